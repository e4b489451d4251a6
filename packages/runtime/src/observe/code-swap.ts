// Swapping one function's code while a module runs: what the debugger does to put a function in
// debug code and back. Code is never patched; every way into a function goes through data:
//   - direct calls through each instance's jump table (VMCTX_JUMP_TABLE),
//   - indirect calls, funcrefs and calls from the host through the function's FuncRefRecord,
//   - calls from other instances that imported the function through their import records,
//   - lazily compiled modules' stubs through the module's code table,
//   - instances created later through `CompiledModule.codeAddress` (`swapFunctionCode`).
// Frames already running the old code finish in it (the debugger moves paused frames itself).

import { FuncRefRecord, ImportRecord, JUMP_TABLE_ENTRY_SIZE } from '@flint/backend';
import type { CompiledModule } from '../code/module.ts';
import { liveBuiltinTargets } from '../instance/builtins.ts';
import { Instance } from '../instance/instance.ts';

/** Lazy modules: what each function's code-table entry held before its code was first swapped. */
const lazyOriginals = new WeakMap<CompiledModule, Map<number, bigint>>();

/**
 * Makes every live instance of `compiled`, every instance importing its function `funcIndex`, and
 * every later instance run `code` for that function; null returns to the compiled code.
 */
export function swapFunctionCode(compiled: CompiledModule, funcIndex: number, code: bigint | null): void {
  const target = code ?? compiled.originalCodeAddress(funcIndex);
  compiled.swapFunctionCode(funcIndex, code);
  const lazy = compiled.lazy;
  if (lazy !== null) {
    // Stubs jump to the code-table entry when it is set: point them at the new code, or back at
    // whatever the lazy compiler had put there (0 when the function was never called).
    let originals = lazyOriginals.get(compiled);
    if (originals === undefined) lazyOriginals.set(compiled, (originals = new Map()));
    const at = Number(lazy.slotAddress(funcIndex) - lazy.codeTable.address);
    if (!originals.has(funcIndex)) originals.set(funcIndex, lazy.codeTable.view.getBigUint64(at, true));
    lazy.codeTable.view.setBigUint64(at, code ?? originals.get(funcIndex)!, true);
    if (code === null) originals.delete(funcIndex);
  }
  redirectFunction(compiled, funcIndex, target);
}

/**
 * Points every live holder of defined function `funcIndex`'s code at `target`: each instance of
 * `compiled` (its jump-table slot, its `FuncRefRecord`, which tables, funcrefs and exported
 * functions call through, and its handle, which later importers link to) and every instance that
 * imported the function (its import record and jump-table slot). Each holder is one aligned
 * 8-byte store, so a caller sees the old code or the new, both whole. Dynamic tiering installs
 * optimized code through this too (compile/tier-up.ts).
 */
export function redirectFunction(compiled: CompiledModule, funcIndex: number, target: bigint): void {
  const instances = [...liveBuiltinTargets()].filter((t): t is Instance => t instanceof Instance);
  for (const instance of instances) {
    if (instance.compiled !== compiled) continue;
    const view = instance.block.view;
    const slot = instance.layout.jumpTable + funcIndex * JUMP_TABLE_ENTRY_SIZE;
    const previous = view.getBigUint64(slot, true);
    view.setBigUint64(slot, target, true);
    const record = instance.layout.funcRefs + (funcIndex - compiled.module.numImportedFunctions) * FuncRefRecord.size;
    view.setBigUint64(record + FuncRefRecord.code, target, true);
    const handle = instance.functions[funcIndex];
    // The handle's copy of the address is what later importers link to.
    if (handle !== undefined) (handle as { code: bigint }).code = target;
    for (const importer of instances) redirectImports(importer, instance.vmContext, previous, target);
  }
}

/** Points `importer`'s imports of the function at `from` in the instance `vmContext` to `to`. */
function redirectImports(importer: Instance, vmContext: bigint, from: bigint, to: bigint): void {
  const view = importer.block.view;
  const count = importer.compiled.module.numImportedFunctions;
  for (let index = 0; index < count; index++) {
    const at = importer.layout.imports + index * ImportRecord.size;
    if (view.getBigUint64(at + ImportRecord.code, true) !== from || view.getBigUint64(at + ImportRecord.vmContext, true) !== vmContext) continue;
    view.setBigUint64(at + ImportRecord.code, to, true);
    view.setBigUint64(importer.layout.jumpTable + index * JUMP_TABLE_ENTRY_SIZE, to, true);
  }
}
