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

/**
 * (global $depth (mut i32)) (import "env" "host" (func $host))
 * (func $descend (param $n i32) (global.set $depth (+1))
 *   (if (local.get $n) (then (call $descend (n - 1))) (else (call $host))))
 * (func $leaf (result i32) (i32.const 7))
 * (func $depth (result i32) ...reads and resets $depth)
 */
export function deepHostModule(): Uint8Array {
  const b = new ModuleBuilder();
  const unit = b.addType({ params: [], results: [] });
  const i32ToUnit = b.addType({ params: [ValType.I32], results: [] });
  const getter = b.addType({ params: [], results: [ValType.I32] });
  const host = b.addImport('env', 'host', { func: unit });
  const depth = b.addGlobal({ type: ValType.I32, mutable: true }, [...op('i32.const', 0)]);
  const descend = host + 1;
  b.addFunction(i32ToUnit, [], [
    ...op('global.get', depth), ...op('i32.const', 1), ...op('i32.add'), ...op('global.set', depth),
    ...op('local.get', 0), ...op('if'),
    ...op('local.get', 0), ...op('i32.const', 1), ...op('i32.sub'), ...op('call', descend),
    ...op('else'), ...op('call', host), ...op('end'),
    ...op('end'),
  ]);
  const leaf = b.addFunction(getter, [], [...op('i32.const', 7), ...op('end')]);
  const read = b.addFunction(getter, [], [...op('global.get', depth), ...op('i32.const', 0), ...op('global.set', depth), ...op('end')]);
  b.addExport('descend', ExternKind.Func, descend).addExport('leaf', ExternKind.Func, leaf).addExport('depth', ExternKind.Func, read);
  return b.toBytes();
}

export interface DeepHostExports {
  descend(n: number): void;
  leaf(): number;
  depth(): number;
}

/**
 * Calls a host function from (nearly) the deepest frame the stack allows, which calls back into
 * Wasm: the trap exit, koffi's callback and the nested entry all run in the reserve below the
 * limit. Returns what each step gave; nothing may crash.
 */
export function deepHostCall(instantiate: (host: () => void) => DeepHostExports): string[] {
  const steps: string[] = [];
  let exports: DeepHostExports | null = null;
  let hostCalls = 0;
  exports = instantiate(() => {
    hostCalls++;
    steps.push(`leaf ${exports!.leaf()}`);
  });
  try {
    exports.descend(2 ** 30);
  } catch (error) {
    steps.push(String(error));
  }
  const depth = exports.depth();
  for (const slack of [1, 8, 64, 512]) {
    try {
      exports.descend(depth - slack);
      steps.push(`descend(depth - ${slack}) returned`);
    } catch (error) {
      steps.push(`descend(depth - ${slack}): ${String(error)}`);
    }
    exports.depth();
  }
  steps.push(`host calls ${hostCalls}`);
  return steps;
}

