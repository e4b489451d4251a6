// Modules shared by the limits tests: resources/limits.test.ts runs them in its own process,
// resources/emulated/limits-child.ts natively and under qemu-aarch64.
import { ExternKind, FUNCREF, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';

/** (memory min [max]) (table tableMin funcref) and exports grow/size for both. */
export function growModule(memoryMin: number, memoryMax: number | undefined, tableMin: number): Uint8Array {
  const b = new ModuleBuilder();
  const i32ToI32 = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  b.addMemory(memoryMax === undefined ? { min: memoryMin } : { min: memoryMin, max: memoryMax });
  b.addTable({ min: tableMin });
  const growMemory = b.addFunction(i32ToI32, [], [...op('local.get', 0), ...op('memory.grow', 0), ...op('end')]);
  const growTable = b.addFunction(i32ToI32, [], [...op('ref.null', FUNCREF), ...op('local.get', 0), ...op('table.grow', 0), ...op('end')]);
  b.addExport('growMemory', ExternKind.Func, growMemory).addExport('growTable', ExternKind.Func, growTable);
  b.addExport('memory', ExternKind.Memory, 0);
  return b.toBytes();
}

/** (global $depth (mut i32)) (func $recurse (global.set $depth (+1)) (call $recurse)) (func $reenter (call $js)) */
export function stackModule(): Uint8Array {
  const b = new ModuleBuilder();
  const unit = b.addType({ params: [], results: [] });
  const getter = b.addType({ params: [], results: [ValType.I32] });
  const js = b.addImport('env', 'js', { func: unit });
  const depth = b.addGlobal({ type: ValType.I32, mutable: true }, [...op('i32.const', 0)]);
  const recurse = b.addFunction(unit, [], [...op('global.get', depth), ...op('i32.const', 1), ...op('i32.add'), ...op('global.set', depth), ...op('call', js + 1), ...op('end')]);
  const reenter = b.addFunction(unit, [], [...op('call', js), ...op('end')]);
  const read = b.addFunction(getter, [], [...op('global.get', depth), ...op('i32.const', 0), ...op('global.set', depth), ...op('end')]);
  b.addExport('recurse', ExternKind.Func, recurse).addExport('reenter', ExternKind.Func, reenter).addExport('depth', ExternKind.Func, read);
  return b.toBytes();
}

export interface StackExports {
  recurse(): void;
  reenter(): void;
  depth(): number;
}

/** How deep `recurse` goes in `wasm`, and the error that ended it. */
export function recursionDepth(exports: StackExports): { depth: number; error: unknown } {
  let error: unknown = null;
  try {
    exports.recurse();
  } catch (e) {
    error = e;
  }
  return { depth: exports.depth(), error };
}
