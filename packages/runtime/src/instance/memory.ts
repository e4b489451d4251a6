// Linear memories in native memory. Each memory reserves its whole possible extent up front
// (PROT_NONE address space) and commits pages read/write as it grows, so its base address never
// moves: generated code and every VM context that refers to it keep a valid base, and only the
// length fields must be refreshed after `memory.grow`.
// https://webassembly.github.io/spec/core/exec/modules.html#growing-memories
//
// Reservation policy: the declared maximum, or for memories without one 4 GiB (the whole i32
// address space; i64 memories without a maximum are also capped there for now), rounded to
// pages. Bounds are checked explicitly by generated code against the length, so no guard region
// is needed beyond the reservation.

import { MemoryRecord, VMCTX_MEMORY0_BASE, VMCTX_MEMORY0_LENGTH } from '@flint/backend';
import type { MemoryType } from '@flint/decoder';
import { RuntimeError } from '../errors.ts';
import { PROT_READ, PROT_WRITE, addressOf, pageSize, pointerAt, protect, reserve, unmap, viewOf, type NativePointer } from '../native/libc.ts';

/** The largest reservation: 4 GiB, the i32 address space. */
const MAX_RESERVATION = 2 ** 32;

interface Reservation {
  readonly pointer: NativePointer;
  readonly length: number;
  released: boolean;
}

const registry = new FinalizationRegistry<Reservation>((r) => {
  if (!r.released) {
    r.released = true;
    unmap(r.pointer, r.length);
  }
});

/** A place holding this memory's base and length: a VM context's memory record (and memory-0 fields). */
interface MemoryObserver {
  readonly view: WeakRef<DataView>;
  readonly recordAt: number;
  /** Offset of the VM context when this is the instance's memory 0, else -1. */
  readonly vmContextAt: number;
}

export class MemoryInstance {
  readonly type: MemoryType;
  readonly pageBytes: number;
  /** Maximum in pages (declared, or what the reservation allows). */
  readonly maxPages: number;
  readonly #reservation: Reservation;
  readonly base: bigint;
  #pages: number;
  #committed = 0;
  #buffer: ArrayBuffer | null = null;
  readonly #observers: MemoryObserver[] = [];

  constructor(type: MemoryType, initialPages: number = Number(type.min)) {
    this.type = type;
    this.pageBytes = 2 ** type.pageSizeLog2;
    const limitPages = Math.floor(MAX_RESERVATION / this.pageBytes);
    const declaredMax = type.max === null ? limitPages : Math.min(Number(type.max), limitPages);
    if (initialPages > declaredMax) {
      throw new RuntimeError(`cannot allocate memory of ${initialPages} pages: more than the ${declaredMax} this engine reserves`);
    }
    this.maxPages = declaredMax;
    const page = pageSize();
    const reservationBytes = Math.max(page, Math.ceil((declaredMax * this.pageBytes) / page) * page);
    const pointer = reserve(reservationBytes);
    this.#reservation = { pointer, length: reservationBytes, released: false };
    registry.register(this, this.#reservation, this);
    this.base = addressOf(pointer);
    this.#pages = 0;
    this.commit(initialPages);
  }

  get pages(): number {
    return this.#pages;
  }

  get byteLength(): number {
    return this.#pages * this.pageBytes;
  }

  /**
   * An ArrayBuffer over the memory's current bytes. A new one after each growth: the old one
   * keeps its length (native external buffers cannot be detached from JS) — see the README.
   */
  get buffer(): ArrayBuffer {
    if (this.#buffer === null) {
      this.#buffer = this.byteLength === 0 ? new ArrayBuffer(0) : viewOf(this.#reservation.pointer, this.byteLength);
    }
    return this.#buffer;
  }

  /** Grows by `delta` pages; returns the previous size in pages, or -1 when it cannot. */
  grow(delta: number): number {
    const previous = this.#pages;
    if (!Number.isInteger(delta) || delta < 0 || previous + delta > this.maxPages) return -1;
    if (delta === 0) return previous;
    this.commit(previous + delta);
    return previous;
  }

  /** Registers a VM context's memory record (and memory-0 fields) to keep in step with growth. */
  attach(view: DataView, recordAt: number, vmContextAt: number): void {
    const observer = { view: new WeakRef(view), recordAt, vmContextAt };
    this.#observers.push(observer);
    this.publish(observer, view);
  }

  private commit(pages: number): void {
    const bytes = pages * this.pageBytes;
    const page = pageSize();
    const needed = Math.ceil(bytes / page) * page;
    if (needed > this.#committed) {
      protect(pointerPlus(this.#reservation.pointer, this.#committed), needed - this.#committed, PROT_READ | PROT_WRITE);
      this.#committed = needed;
    }
    this.#pages = pages;
    this.#buffer = null;
    for (let i = this.#observers.length - 1; i >= 0; i--) {
      const observer = this.#observers[i]!;
      const view = observer.view.deref();
      if (view === undefined) this.#observers.splice(i, 1);
      else this.publish(observer, view);
    }
  }

  private publish(observer: MemoryObserver, view: DataView): void {
    view.setBigUint64(observer.recordAt + MemoryRecord.base, this.base, true);
    view.setBigUint64(observer.recordAt + MemoryRecord.length, BigInt(this.byteLength), true);
    if (observer.vmContextAt >= 0) {
      view.setBigUint64(observer.vmContextAt + VMCTX_MEMORY0_BASE, this.base, true);
      view.setBigUint64(observer.vmContextAt + VMCTX_MEMORY0_LENGTH, BigInt(this.byteLength), true);
    }
  }

  /** Copies `bytes` to `offset`; the caller checked the bounds. */
  write(offset: number, bytes: Uint8Array): void {
    new Uint8Array(this.buffer, offset, bytes.length).set(bytes);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buffer);
  }
}

function pointerPlus(pointer: NativePointer, offset: number): NativePointer {
  return offset === 0 ? pointer : pointerAt(addressOf(pointer) + BigInt(offset));
}
