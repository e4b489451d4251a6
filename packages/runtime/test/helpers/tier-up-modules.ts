// The modules of the dynamic-tiering scenario (tier-up.test.ts, tier-up-arm64.test.ts): module A
// defines `f`, hot, with a loop (a back-edge), and exports it, a direct caller and a caller through
// call_indirect; module B imports it from another instance. No runtime imports, so the arm64 child
// program can bundle it beside the public runtime.
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';

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

export const WAYS = ['export', 'direct', 'indirect', 'import'] as const;
export type Way = (typeof WAYS)[number];
