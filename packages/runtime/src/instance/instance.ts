// An instance: the VM context and everything it points at, in one block of native memory,
// plus the JS-side objects (memories, tables, globals, function handles) the runtime keeps.
//
// Block layout (each area naturally aligned, sizes from the module):
//     VM context (VMCTX_SIZE) | memory records | table records | import records | jump table
//     | signature ids (u32) | FuncRefRecords of defined functions | globals (16-byte slots)

import {
  FuncRefRecord,
  GLOBAL_SLOT_SIZE,
  ImportRecord,
  JUMP_TABLE_ENTRY_SIZE,
  MemoryRecord,
  TableRecord,
  VMCTX_GLOBALS,
  VMCTX_IMPORTED_FUNCTIONS,
  VMCTX_JUMP_TABLE,
  VMCTX_MEMORIES,
  VMCTX_SIGNATURE_IDS,
  VMCTX_SIZE,
  VMCTX_STACK_LIMIT,
  VMCTX_TABLES,
  VMCTX_TIERING_BUDGETS,
} from '@flint/backend';
import type { BuiltinTarget } from './builtins.ts';
import type { ExternValue } from './extern.ts';
import type { GlobalInstance } from './global.ts';
import type { LazyCode } from '../compile/lazy.ts';
import type { MemoryInstance } from './memory.ts';
import type { CompiledModule } from '../code/module.ts';
import { NativeMemory } from '../native/native-memory.ts';
import type { FunctionHandle, NativeCell, Store } from './store.ts';
import { holdsExternHandles, registerExternHolder, type ExternHolder } from './extern-holders.ts';
import { writeFuncRef } from './store.ts';
import type { TableInstance } from './table.ts';

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/** Where each area of an instance block starts. */
export interface BlockLayout {
  readonly memories: number;
  readonly tables: number;
  readonly imports: number;
  readonly jumpTable: number;
  readonly signatureIds: number;
  readonly funcRefs: number;
  readonly globals: number;
  readonly size: number;
}

export function computeBlockLayout(compiled: CompiledModule): BlockLayout {
  const m = compiled.module;
  const memories = VMCTX_SIZE;
  const tables = memories + m.memories.length * MemoryRecord.size;
  const imports = tables + m.tables.length * TableRecord.size;
  const jumpTable = imports + m.numImportedFunctions * ImportRecord.size;
  const signatureIds = jumpTable + m.functions.length * JUMP_TABLE_ENTRY_SIZE;
  const funcRefs = align(signatureIds + m.types.length * 4, 8);
  const globals = align(funcRefs + (m.functions.length - m.numImportedFunctions) * FuncRefRecord.size, GLOBAL_SLOT_SIZE);
  const size = globals + m.globals.length * GLOBAL_SLOT_SIZE;
  return { memories, tables, imports, jumpTable, signatureIds, funcRefs, globals, size };
}

export class Instance implements BuiltinTarget, ExternHolder {
  readonly store: Store;
  readonly compiled: CompiledModule;
  readonly block: NativeMemory;
  readonly layout: BlockLayout;
  readonly functions: FunctionHandle[] = [];
  readonly memories: MemoryInstance[] = [];
  readonly tables: TableInstance[] = [];
  readonly globals: GlobalInstance[] = [];
  readonly exports = new Map<string, ExternValue>();
  readonly #dataSegments: (Uint8Array | null)[];
  /** Element segments' references, evaluated at instantiation; null once dropped. */
  readonly elementSegments: (readonly bigint[] | null)[] = [];

  constructor(store: Store, compiled: CompiledModule) {
    this.store = store;
    this.compiled = compiled;
    this.layout = computeBlockLayout(compiled);
    this.block = new NativeMemory(this.layout.size);
    const view = this.block.view;
    const base = this.block.address;
    store.initVmContext(view, 0);
    view.setBigUint64(VMCTX_STACK_LIMIT, store.invoker.stackLimit, true);
    view.setBigUint64(VMCTX_MEMORIES, base + BigInt(this.layout.memories), true);
    view.setBigUint64(VMCTX_TABLES, base + BigInt(this.layout.tables), true);
    view.setBigUint64(VMCTX_IMPORTED_FUNCTIONS, base + BigInt(this.layout.imports), true);
    view.setBigUint64(VMCTX_JUMP_TABLE, base + BigInt(this.layout.jumpTable), true);
    view.setBigUint64(VMCTX_SIGNATURE_IDS, base + BigInt(this.layout.signatureIds), true);
    view.setBigUint64(VMCTX_GLOBALS, base + BigInt(this.layout.globals), true);
    view.setBigUint64(VMCTX_TIERING_BUDGETS, compiled.tiering?.budgets.address ?? 0n, true);
    const ids = compiled.validation.canonicalTypeIds;
    for (let i = 0; i < ids.length; i++) view.setUint32(this.layout.signatureIds + i * 4, ids[i]!, true);
    this.#dataSegments = compiled.module.datas.map((segment) => segment.bytes);
    // Element segments of a non-function reference type may hold externref handles until dropped.
    if (compiled.module.elements.some((segment) => holdsExternHandles(segment.type))) registerExternHolder(this);
  }

  forEachExternHandle(visit: (handle: bigint) => void): void {
    for (const segment of this.elementSegments) if (segment !== null) for (const ref of segment) visit(ref);
  }

  get lazy(): LazyCode | null {
    return this.compiled.lazy;
  }

  get jumpTableOffset(): number {
    return this.layout.jumpTable;
  }

  get vmContext(): bigint {
    return this.block.address;
  }

  get vmContextView(): DataView {
    return this.block.view;
  }

  /** Links imported function `index` (its import record and jump-table slot). */
  setImportedFunction(index: number, handle: FunctionHandle): void {
    const view = this.block.view;
    const at = this.layout.imports + index * ImportRecord.size;
    view.setBigUint64(at + ImportRecord.code, handle.code, true);
    view.setBigUint64(at + ImportRecord.vmContext, handle.vmContext, true);
    view.setBigUint64(this.layout.jumpTable + index * JUMP_TABLE_ENTRY_SIZE, handle.code, true);
    this.functions[index] = handle;
  }

  /** Creates the handle (and `FuncRefRecord`) of defined function `index`. */
  defineFunction(index: number): void {
    const compiled = this.compiled;
    const view = this.block.view;
    const code = compiled.codeAddress(index);
    const typeIndex = compiled.module.functions[index]!;
    const typeId = compiled.canonicalTypeId(typeIndex);
    const at = this.layout.funcRefs + (index - compiled.module.numImportedFunctions) * FuncRefRecord.size;
    writeFuncRef(view, at, code, this.vmContext, typeId);
    view.setBigUint64(this.layout.jumpTable + index * JUMP_TABLE_ENTRY_SIZE, code, true);
    const handle: FunctionHandle = {
      record: this.block.address + BigInt(at),
      code,
      vmContext: this.vmContext,
      typeId,
      type: compiled.funcType(typeIndex),
      name: String(index),
      owner: this,
    };
    this.store.registerFunction(handle);
    this.functions[index] = handle;
  }

  addMemory(memory: MemoryInstance): void {
    const index = this.memories.length;
    this.memories.push(memory);
    memory.attach(this.block.view, this.layout.memories + index * MemoryRecord.size, index === 0 ? 0 : -1);
  }

  addTable(table: TableInstance): void {
    const index = this.tables.length;
    this.tables.push(table);
    table.attach(this.block.view, this.layout.tables + index * TableRecord.size);
  }

  /** The native cell of defined global `index` (its slot in the globals area). */
  globalSlot(index: number): NativeCell {
    const offset = this.layout.globals + index * GLOBAL_SLOT_SIZE;
    return { view: this.block.view, offset, address: this.block.address + BigInt(offset), owner: this.block };
  }

  // BuiltinTarget

  memory(index: number): MemoryInstance {
    return this.memories[index]!;
  }

  table(index: number): TableInstance {
    return this.tables[index]!;
  }

  dataSegment(index: number): Uint8Array {
    return this.#dataSegments[index] ?? EMPTY_BYTES;
  }

  dropData(index: number): void {
    this.#dataSegments[index] = null;
  }

  elementSegment(index: number): readonly bigint[] {
    return this.elementSegments[index] ?? EMPTY_REFS;
  }

  dropElement(index: number): void {
    this.elementSegments[index] = null;
  }

  funcRef(index: number): bigint {
    return this.functions[index]!.record;
  }

  requestTierUp(funcIndex: number): void {
    this.compiled.tiering?.request(funcIndex);
  }
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_REFS: readonly bigint[] = [];
