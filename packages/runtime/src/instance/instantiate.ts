// Instantiation, in the order the spec gives: imports are checked, functions, globals, tables
// and memories are allocated (constant expressions evaluated as they come), exports are
// collected, then active element and data segments are applied in order — an out-of-bounds
// segment traps after the earlier ones took effect — and finally the start function runs.
// https://webassembly.github.io/spec/core/exec/modules.html#instantiation

import { TrapReason } from '@flint/backend';
import { ExternKind, isRefType, type Module } from '@flint/decoder';
import { builtinAddresses, registerBuiltinTarget } from './builtins.ts';
import { callFunction } from './call.ts';
import { evaluateConst, type ConstContext } from './const-eval.ts';
import { LinkError, RuntimeError } from '../errors.ts';
import type { ExternValue } from './extern.ts';
import { GlobalInstance } from './global.ts';
import { Instance } from './instance.ts';
import { checkImport } from './link.ts';
import { MemoryInstance } from './memory.ts';
import type { CompiledModule } from '../code/module.ts';
import type { Store } from './store.ts';
import { TableInstance } from './table.ts';
import { TagInstance } from './tag.ts';

/** Instantiates `compiled` with `imports` (one external value per import, in import order). */
export function instantiate(store: Store, compiled: CompiledModule, imports: readonly ExternValue[]): Instance {
  const module = compiled.module;
  if (imports.length !== module.imports.length) {
    throw new LinkError(`the module has ${module.imports.length} imports, but ${imports.length} external values were given`);
  }
  imports.forEach((value, i) => checkImport(compiled, i, value));

  builtinAddresses(store);
  const instance = new Instance(store, compiled);
  registerBuiltinTarget(instance.vmContext, instance);

  let importedFunctions = 0;
  const tags: TagInstance[] = [];
  for (const value of imports) {
    switch (value.kind) {
      case 'function':
        instance.setImportedFunction(importedFunctions++, value.handle);
        break;
      case 'table':
        instance.addTable(value.table);
        break;
      case 'memory':
        instance.addMemory(value.memory);
        break;
      case 'global': {
        const index = instance.globals.length;
        const slot = instance.globalSlot(index);
        slot.view.setBigUint64(slot.offset, value.global.cell.address, true);
        // Wasm code of this instance may store any reference it reaches into a mutable global.
        if (isRefType(value.global.type.type)) value.global.retain(instance);
        instance.globals.push(value.global);
        break;
      }
      case 'tag':
        tags.push(value.tag);
        break;
    }
  }
  for (let t = module.numImportedTags; t < module.tags.length; t++) {
    const typeIndex = module.tags[t]!.typeIndex;
    tags.push(new TagInstance(compiled.funcType(typeIndex), compiled.canonicalTypeId(typeIndex)));
  }
  for (let f = module.numImportedFunctions; f < module.functions.length; f++) instance.defineFunction(f);

  const context: ConstContext = {
    global: (index) => instance.globals[index]!.value,
    funcRef: (index) => instance.funcRef(index),
  };
  for (let g = module.numImportedGlobals; g < module.globals.length; g++) {
    const global = new GlobalInstance(module.globals[g]!, instance.globalSlot(g));
    if (isRefType(global.type.type)) global.retain(instance);
    global.value = evaluateConst(module.globalInits[g - module.numImportedGlobals]!, context);
    instance.globals.push(global);
  }
  for (let t = module.numImportedTables; t < module.tables.length; t++) {
    const init = module.tableInits[t] ?? null;
    const initial = init === null ? 0n : BigInt(evaluateConst(init, context));
    instance.addTable(new TableInstance(module.tables[t]!, initial, store.limits.maxTableElements));
  }
  for (let m = module.numImportedMemories; m < module.memories.length; m++) instance.addMemory(new MemoryInstance(module.memories[m]!, undefined, store.limits.maxMemoryBytes));

  for (const segment of module.elements) {
    const refs: bigint[] =
      segment.functionIndices !== null
        ? segment.functionIndices.map((f) => instance.funcRef(f))
        : (segment.exprs ?? []).map((expr) => BigInt(evaluateConst(expr, context)));
    instance.elementSegments.push(refs);
  }
  collectExports(instance, module, tags);

  applySegments(instance, module, context);
  if (module.start !== null) callFunction(store, instance.functions[module.start]!, []);
  return instance;
}

function collectExports(instance: Instance, module: Module, tags: readonly TagInstance[]): void {
  for (const exp of module.exports) {
    let value: ExternValue;
    switch (exp.kind) {
      case ExternKind.Func:
        value = { kind: 'function', handle: instance.functions[exp.index]! };
        break;
      case ExternKind.Table:
        value = { kind: 'table', table: instance.tables[exp.index]! };
        break;
      case ExternKind.Memory:
        value = { kind: 'memory', memory: instance.memories[exp.index]! };
        break;
      case ExternKind.Global:
        value = { kind: 'global', global: instance.globals[exp.index]! };
        break;
      case ExternKind.Tag:
        value = { kind: 'tag', tag: tags[exp.index]! };
        break;
    }
    instance.exports.set(exp.name, value);
  }
}

/** Active element segments, then active data segments, each in module order (the order matters). */
function applySegments(instance: Instance, module: Module, context: ConstContext): void {
  module.elements.forEach((segment, index) => {
    if (segment.mode === 'active') {
      const table = instance.tables[segment.table]!;
      const offset = toIndex(evaluateConst(segment.offsetExpr!, context));
      const refs = instance.elementSegment(index);
      if (offset + refs.length > table.length) throw RuntimeError.trap(TrapReason.OutOfBoundsTableAccess);
      table.retain(instance);
      for (let i = 0; i < refs.length; i++) table.set(offset + i, refs[i]!);
      instance.dropElement(index);
    } else if (segment.mode === 'declarative') {
      instance.dropElement(index);
    }
  });
  module.datas.forEach((segment, index) => {
    if (segment.mode !== 'active') return;
    const memory = instance.memories[segment.memory]!;
    const offset = toIndex(evaluateConst(segment.offsetExpr!, context));
    if (offset + segment.bytes.length > memory.byteLength) throw RuntimeError.trap(TrapReason.OutOfBoundsMemoryAccess);
    memory.write(offset, segment.bytes);
    instance.dropData(index);
  });
}

/** An i32 offset (unsigned) or i64 offset from a constant expression. */
function toIndex(value: number | bigint): number {
  return typeof value === 'number' ? value >>> 0 : Number(BigInt.asUintN(64, value));
}

