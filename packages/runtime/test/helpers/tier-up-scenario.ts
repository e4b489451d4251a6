// The dynamic-tiering scenario, shared by tier-up.test.ts (x86-64, here) and its arm64 twin (under
// qemu): module A defines `f`, hot, with a loop (a back-edge) and reaches it four ways — a direct
// call, call_indirect through its table, its export, and module B's import of it from another
// instance. The scenario runs `f` on baseline code until it tiers up, then checks that every way
// in calls the optimized code (every holder of `f`'s code holds its address, and `f`'s budget no
// longer moves: baseline code spends it on every call) and gives the same results.
import { F, moduleA, moduleB, type Way } from './tier-up-modules.ts';
import { FuncRefRecord, ImportRecord, JUMP_TABLE_ENTRY_SIZE } from '@flint/backend';
import type { Engine } from '../../src/compile/engine.ts';
import type { CompiledModule } from '../../src/code/module.ts';
import { instantiate } from '../../src/instance/instantiate.ts';
import { callFunction } from '../../src/instance/call.ts';
import type { Instance } from '../../src/instance/instance.ts';
import type { FunctionHandle } from '../../src/instance/store.ts';

export { DIRECT, F, INDIRECT, WAYS, expected, moduleA, moduleB, type Way } from './tier-up-modules.ts';

export interface Scenario {
  readonly compiled: CompiledModule;
  readonly a: Instance;
  readonly b: Instance;
  /** Calls f by way `way` with x. */
  call(way: Way, x: number): number;
}


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
