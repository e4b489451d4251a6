// The VM context of a kit case: a block laid out like an instance's (ADR 0008), with one memory,
// one table, one import, a small jump table and a few signature ids, filled through the runtime's
// own pieces — the store's trap exit and builtin table, `MemoryInstance`, `TableInstance` — and
// registered as the builtins' target, so runtime builtins and the lazy-compile callback find it
// through its address as they find an instance's.

import {
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
} from '@flint/backend';
import { FUNCREF } from '@flint/decoder';
import type { LazyCode, LazyTarget } from '../../src/compile/lazy.ts';
import { registerBuiltinTarget, unregisterBuiltinTarget, type BuiltinTarget } from '../../src/instance/builtins.ts';
import { MemoryInstance } from '../../src/instance/memory.ts';
import type { Store } from '../../src/instance/store.ts';
import { TableInstance } from '../../src/instance/table.ts';
import { NativeMemory } from '../../src/native/native-memory.ts';

const JUMP_TABLE_SLOTS = 4;
const SIGNATURE_ID_SLOTS = 16;
const WASM_PAGE = 65536;

/** Where each area of the block starts (after the VM context). */
const AREA = (() => {
  const memories = VMCTX_SIZE;
  const tables = memories + MemoryRecord.size;
  const imports = tables + TableRecord.size;
  const jumpTable = imports + ImportRecord.size;
  const signatureIds = jumpTable + JUMP_TABLE_SLOTS * JUMP_TABLE_ENTRY_SIZE;
  return { memories, tables, imports, jumpTable, signatureIds, size: signatureIds + SIGNATURE_ID_SLOTS * 4 };
})();

export class KitInstance implements BuiltinTarget, LazyTarget {
  readonly block = new NativeMemory(AREA.size);
  readonly jumpTableOffset = AREA.jumpTable;
  lazy: LazyCode | null = null;
  #memory: MemoryInstance | null = null;
  #table: TableInstance | null = null;

  constructor(store: Store) {
    const view = this.block.view;
    const base = this.block.address;
    store.initVmContext(view, 0);
    view.setBigUint64(VMCTX_STACK_LIMIT, store.invoker.stackLimit, true);
    view.setBigUint64(VMCTX_MEMORIES, base + BigInt(AREA.memories), true);
    view.setBigUint64(VMCTX_TABLES, base + BigInt(AREA.tables), true);
    view.setBigUint64(VMCTX_IMPORTED_FUNCTIONS, base + BigInt(AREA.imports), true);
    view.setBigUint64(VMCTX_JUMP_TABLE, base + BigInt(AREA.jumpTable), true);
    view.setBigUint64(VMCTX_SIGNATURE_IDS, base + BigInt(AREA.signatureIds), true);
    registerBuiltinTarget(base, this);
  }

  get address(): bigint {
    return this.block.address;
  }

  get view(): DataView {
    return this.block.view;
  }

  get vmContextView(): DataView {
    return this.block.view;
  }

  /** Gives the instance memory 0 of `byteLength` bytes (whole Wasm pages). */
  addMemory(byteLength: number): MemoryInstance {
    if (byteLength % WASM_PAGE !== 0) throw new Error(`memory of ${byteLength} bytes: not a whole number of Wasm pages`);
    const pages = byteLength / WASM_PAGE;
    this.#memory = new MemoryInstance({ min: BigInt(pages), max: null, shared: false, address: 'i32', pageSizeLog2: 16 }, pages);
    this.#memory.attach(this.block.view, AREA.memories, 0);
    return this.#memory;
  }

  /** Gives the instance table 0 holding `elements` (funcref records, 0 = null). */
  addTable(elements: readonly bigint[]): void {
    const min = BigInt(elements.length);
    this.#table = new TableInstance({ element: FUNCREF, limits: { min, max: min, shared: false, address: 'i32', pageSizeLog2: 16 } }, 0n);
    elements.forEach((element, i) => this.#table!.set(i, element));
    this.#table.attach(this.block.view, AREA.tables);
  }

  setImport(index: number, code: bigint, vmContext: bigint): void {
    if (index !== 0) throw new Error('kit instances have one import');
    this.view.setBigUint64(AREA.imports + ImportRecord.code, code, true);
    this.view.setBigUint64(AREA.imports + ImportRecord.vmContext, vmContext, true);
  }

  setJumpTableSlot(index: number, code: bigint): void {
    if (index >= JUMP_TABLE_SLOTS) throw new Error(`kit instances have ${JUMP_TABLE_SLOTS} jump-table slots`);
    this.view.setBigUint64(AREA.jumpTable + index * JUMP_TABLE_ENTRY_SIZE, code, true);
  }

  jumpTableSlot(index: number): bigint {
    return this.view.getBigUint64(AREA.jumpTable + index * JUMP_TABLE_ENTRY_SIZE, true);
  }

  setSignatureIds(ids: readonly number[]): void {
    if (ids.length > SIGNATURE_ID_SLOTS) throw new Error(`kit instances hold ${SIGNATURE_ID_SLOTS} signature ids`);
    ids.forEach((id, i) => this.view.setUint32(AREA.signatureIds + i * 4, id, true));
  }

  /** The VMCTX_GLOBALS field holds `marker` itself (kit cases read it as their instance's identity). */
  setMarker(marker: number): void {
    this.view.setBigUint64(VMCTX_GLOBALS, BigInt(marker), true);
  }

  dispose(): void {
    unregisterBuiltinTarget(this.block.address);
    this.block.dispose();
  }

  // BuiltinTarget: one memory and one table; no segments or defined functions.

  memory(index: number): MemoryInstance {
    if (index !== 0 || this.#memory === null) throw new Error(`kit instance has no memory ${index}`);
    return this.#memory;
  }

  table(index: number): TableInstance {
    if (index !== 0 || this.#table === null) throw new Error(`kit instance has no table ${index}`);
    return this.#table;
  }

  dataSegment(): Uint8Array {
    return new Uint8Array(0);
  }

  dropData(): void {}

  elementSegment(): readonly bigint[] {
    return [];
  }

  dropElement(): void {}

  funcRef(index: number): bigint {
    throw new Error(`kit instance has no function ${index}`);
  }
}
