// The dynamic-tiering scenario, shared by tier-up.test.ts (x86-64, here) and its arm64 twin (under
// qemu): module A defines `f`, hot, with a loop (a back-edge) and reaches it four ways — a direct
// call, call_indirect through its table, its export, and module B's import of it from another
// instance. The scenario runs `f` on baseline code until it tiers up, then checks that every way
// in calls the optimized code (every holder of `f`'s code holds its address, and `f`'s budget no
// longer moves: baseline code spends it on every call) and gives the same results.
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { FuncRefRecord, ImportRecord, JUMP_TABLE_ENTRY_SIZE } from '@flint/backend';
import type { Engine } from '../../src/compile/engine.ts';
import type { CompiledModule } from '../../src/code/module.ts';
import { instantiate } from '../../src/instance/instantiate.ts';
import { callFunction } from '../../src/instance/call.ts';
import type { Instance } from '../../src/instance/instance.ts';
import type { FunctionHandle } from '../../src/instance/store.ts';

/** Function indices in module A. */
export const F = 0;
export const DIRECT = 1;
export const INDIRECT = 2;
/** f(x) = 3x + 1 + (0 + 1 + 2 + 3), through a loop of four iterations. */
export const expected = (x: number): number => (3 * x + 7) | 0;

export function moduleA(): Uint8Array {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  b.addTable({ min: 1 });
  const f = b.addFunction(type, [ValType.I32, ValType.I32], [
    ...op('local.get', 0), ...op('i32.const', 3), ...op('i32.mul'), ...op('i32.const', 1), ...op('i32.add'), ...op('local.set', 2),
    ...op('block'),
    ...op('loop'),
    ...op('local.get', 1), ...op('i32.const', 4), ...op('i32.ge_u'), ...op('br_if', 1),
    ...op('local.get', 2), ...op('local.get', 1), ...op('i32.add'), ...op('local.set', 2),
    ...op('local.get', 1), ...op('i32.const', 1), ...op('i32.add'), ...op('local.set', 1),
    ...op('br', 0),
    ...op('end'),
    ...op('end'),
    ...op('local.get', 2),
    ...op('end'),
  ]);
  const direct = b.addFunction(type, [], [...op('local.get', 0), ...op('call', f), ...op('end')]);
  const indirect = b.addFunction(type, [], [...op('local.get', 0), ...op('i32.const', 0), ...op('call_indirect', type, 0), ...op('end')]);
  b.addElement({ table: 0, offset: op('i32.const', 0), funcs: [f] });
  b.addExport('f', ExternKind.Func, f);
  b.addExport('direct', ExternKind.Func, direct);
  b.addExport('indirect', ExternKind.Func, indirect);
  return b.toBytes();
}

/** Module B: `viaImport(x)` calls the imported `a.f`. */
export function moduleB(): Uint8Array {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  const imported = b.addImport('a', 'f', { func: type });
  const via = b.addFunction(type, [], [...op('local.get', 0), ...op('call', imported), ...op('end')]);
  b.addExport('viaImport', ExternKind.Func, via);
  return b.toBytes();
}

export interface Scenario {
  readonly compiled: CompiledModule;
  readonly a: Instance;
  readonly b: Instance;
  /** Calls f by way `way` with x. */
  call(way: Way, x: number): number;
}

export const WAYS = ['export', 'direct', 'indirect', 'import'] as const;
export type Way = (typeof WAYS)[number];

export function setUp(engine: Engine, options: { lazy?: boolean } = {}): Scenario {
  const compiled = engine.compile(moduleA(), { tier: 'tiered', lazy: options.lazy ?? false });
  const a = instantiate(engine.store, compiled, []);
  const f = exported(a, 'f');
  const b = instantiate(engine.store, engine.compile(moduleB(), { tier: 'tiered' }), [{ kind: 'function', handle: f }]);
  const handles: Record<Way, FunctionHandle> = { export: f, direct: exported(a, 'direct'), indirect: exported(a, 'indirect'), import: exported(b, 'viaImport') };
  return { compiled, a, b, call: (way, x) => callFunction(engine.store, handles[way], [x])[0] as number };
}

function exported(instance: Instance, name: string): FunctionHandle {
  const value = instance.exports.get(name);
  if (value?.kind !== 'function') throw new Error(`no function export ${name}`);
  return value.handle;
}

/** Where each holder of `f`'s code points: A's jump-table slot, A's FuncRefRecord, A's handle, B's import record and jump-table slot. */
export function holdersOfF(s: Scenario): bigint[] {
  const a = s.a.block.view;
  const b = s.b.block.view;
  return [
    a.getBigUint64(s.a.layout.jumpTable + F * JUMP_TABLE_ENTRY_SIZE, true),
    a.getBigUint64(s.a.layout.funcRefs + F * FuncRefRecord.size + FuncRefRecord.code, true),
    s.a.functions[F]!.code,
    b.getBigUint64(s.b.layout.imports + ImportRecord.code, true),
    b.getBigUint64(s.b.layout.jumpTable + 0 * JUMP_TABLE_ENTRY_SIZE, true),
  ];
}

/** The address of `funcIndex`'s code object of tier `tier` in the engine's code map, or undefined. */
export function codeOf(engine: Engine, compiled: CompiledModule, funcIndex: number, tier: string): bigint | undefined {
  return engine.codeObjects().find((code) => code.kind === 'wasm-function' && code.funcIndex === funcIndex && code.tier === tier && code.script === compiled.script)?.address;
}
