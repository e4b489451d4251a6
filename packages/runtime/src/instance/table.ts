// Tables in native memory: 8-byte elements that generated code indexes directly (a funcref is
// the address of a `FuncRefRecord`, an externref a handle of the store's extern table; 0 is
// null). Growing may move the elements, so every VM context that refers to a table is
// registered and gets the new base and length.
// https://webassembly.github.io/spec/core/exec/modules.html#growing-tables

import { TableRecord } from '@flint/backend';
import { ImplementationLimits, type TableType } from '@flint/decoder';
import { NativeMemory } from '../native/native-memory.ts';
import { holdsExternHandles, registerExternHolder, type ExternHolder } from './extern-holders.ts';
import { ResourceLimitError } from './limits.ts';

/**
 * Tables larger than this are refused: the JS API's limit on a table's size (10^7 elements),
 * which every table of the engine follows, whether made by a module or by JS.
 */
export const MAX_TABLE_ELEMENTS = ImplementationLimits.maxTableSize;

interface TableObserver {
  readonly view: WeakRef<DataView>;
  readonly recordAt: number;
}

export class TableInstance implements ExternHolder {
  readonly type: TableType;
  /**
   * The owners of every function reference written into the table (the instances whose code or
   * segments wrote them, the host functions JS stored): the table keeps them alive, since its
   * elements point into their blocks and code.
   */
  readonly #retained = new Set<object>();
  readonly maxLength: number;
  #storage: NativeMemory;
  #length: number;
  readonly #observers: TableObserver[] = [];

  /** `capElements`: the store's `maxTableElements` (instance/limits.ts). */
  constructor(type: TableType, initial: bigint, capElements: number = MAX_TABLE_ELEMENTS) {
    this.type = type;
    const length = Number(type.limits.min);
    const cap = Math.min(capElements, MAX_TABLE_ELEMENTS);
    this.maxLength = type.limits.max === null ? cap : Math.min(Number(type.limits.max), cap);
    // Allocation failure is a RangeError, as for a JS allocation that is too large (the JS API's
    // `new Table` and instantiation both specify one).
    if (type.limits.min > BigInt(cap)) {
      const message = `cannot allocate a table of ${type.limits.min} elements: the limit is ${cap}`;
      throw cap < MAX_TABLE_ELEMENTS ? new ResourceLimitError(message) : new RangeError(message);
    }
    this.#storage = new NativeMemory(Math.max(1, length) * 8);
    this.#length = length;
    if (initial !== 0n) this.fill(0, initial, length);
    if (holdsExternHandles(type.element)) registerExternHolder(this);
  }

  /** Keeps `owner` alive as long as this table: something it owns may be stored in an element. */
  retain(owner: object): void {
    this.#retained.add(owner);
  }

  forEachExternHandle(visit: (handle: bigint) => void): void {
    const view = this.#storage.view;
    for (let i = 0; i < this.#length; i++) visit(view.getBigUint64(i * 8, true));
  }

  get length(): number {
    return this.#length;
  }

  get(index: number): bigint {
    return this.#storage.view.getBigUint64(index * 8, true);
  }

  set(index: number, value: bigint): void {
    this.#storage.view.setBigUint64(index * 8, value, true);
  }

  fill(start: number, value: bigint, count: number): void {
    const view = this.#storage.view;
    for (let i = 0; i < count; i++) view.setBigUint64((start + i) * 8, value, true);
  }

  /** Copies elements within or between tables; overlapping ranges behave like memmove. */
  static copy(dst: TableInstance, dstIndex: number, src: TableInstance, srcIndex: number, count: number): void {
    if (dst !== src) for (const owner of src.#retained) dst.#retained.add(owner);
    const bytes = src.#storage.bytes.slice(srcIndex * 8, (srcIndex + count) * 8);
    dst.#storage.bytes.set(bytes, dstIndex * 8);
  }

  /** Grows by `delta` elements set to `initial`; returns the previous length, or -1. */
  grow(delta: number, initial: bigint): number {
    const previous = this.#length;
    if (!Number.isInteger(delta) || delta < 0 || previous + delta > this.maxLength) return -1;
    const wanted = (previous + delta) * 8;
    if (wanted > this.#storage.byteLength) {
      const next = new NativeMemory(Math.max(wanted, this.#storage.byteLength * 2));
      next.bytes.set(this.#storage.bytes.subarray(0, previous * 8));
      this.#storage.dispose();
      this.#storage = next;
    }
    this.#length = previous + delta;
    this.fill(previous, initial, delta);
    this.publishAll();
    return previous;
  }

  attach(view: DataView, recordAt: number): void {
    const observer = { view: new WeakRef(view), recordAt };
    this.#observers.push(observer);
    this.publish(observer, view);
  }

  private publishAll(): void {
    for (let i = this.#observers.length - 1; i >= 0; i--) {
      const observer = this.#observers[i]!;
      const view = observer.view.deref();
      if (view === undefined) this.#observers.splice(i, 1);
      else this.publish(observer, view);
    }
  }

  private publish(observer: TableObserver, view: DataView): void {
    view.setBigUint64(observer.recordAt + TableRecord.base, this.#storage.address, true);
    view.setBigUint64(observer.recordAt + TableRecord.length, BigInt(this.#length), true);
  }
}
