// Linear memories. Generated code reaches a memory through the base and length in the VM context
// of every instance that uses it (refreshed after each growth); JS reaches it through
// `memory.buffer`. The lifetime model (ADR 0010):
//
//  - A buffer obtained from `memory.buffer` keeps the bytes it covers alive for as long as it is
//    reachable; no stale buffer ever reads or writes another memory.
//  - Growing (from JS or from Wasm) detaches the previous buffer (byteLength 0), as the JS API
//    specifies; `memory.buffer` then returns a new one over the grown memory.
//
// Two backings provide the bytes:
//
//  - `HostWasmBacking` (the default): the host JavaScript engine's own `WebAssembly.Memory`,
//    used as an allocator only. V8 already implements exactly the semantics above for it: its
//    buffers hold a reference on the backing store, it detaches them on growth, it reserves the
//    address space up front so growth is in place, and it frees the reservation when the memory
//    and its last buffer are collected. Flint reads the data address of the buffer and compiles
//    its own code against it. (A buffer from native memory made with koffi cannot be detached:
//    Node copies external buffers instead of transferring them.)
//  - `ReservedBacking`: address space Flint reserves with mmap (PROT_NONE) and commits on growth,
//    for what the host's memories cannot represent (memory64, custom page sizes) or when the host
//    exposes no `WebAssembly` (e.g. `node --jitless`). Its buffers keep the reservation alive
//    through a weak map from buffer to reservation, but cannot be detached; a grown memory's old
//    buffer keeps its old length over the same (still mapped) bytes.
// https://webassembly.github.io/spec/js-api/#memories

import { MemoryRecord, VMCTX_MEMORY0_BASE, VMCTX_MEMORY0_LENGTH } from '@flint/backend';
import type { MemoryType } from '@flint/decoder';
import { RuntimeError } from '../errors.ts';
import { PROT_READ, PROT_WRITE, bufferAddress, pageSize, protect, reserve, unmap, viewOf, type NativePointer } from '../native/libc.ts';
import { MAX_MEMORY_BYTES, ResourceLimitError } from './limits.ts';

const WASM_PAGE_BYTES = 65536;

/** Where a memory's bytes live. */
interface Backing {
  /** Address of byte 0 (may change when growth moves the memory; 0 while empty). */
  readonly base: bigint;
  readonly byteLength: number;
  /** The current buffer over all bytes. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows to `bytes`; false when it cannot (out of address space or memory). */
  growTo(bytes: number): boolean;
}

// The host engine's WebAssembly, captured before anyone replaces the global with Flint's namespace.
// `FLINT_HOST_MEMORY=0` turns it off, so that the reserved backing (the fallback) can be tested.
type HostMemoryConstructor = new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => { readonly buffer: ArrayBuffer | SharedArrayBuffer; grow(delta: number): number };
const HostMemory: HostMemoryConstructor | undefined =
  process.env['FLINT_HOST_MEMORY'] === '0' ? undefined : (globalThis as { WebAssembly?: { Memory?: HostMemoryConstructor } }).WebAssembly?.Memory;

class HostWasmBacking implements Backing {
  readonly #memory: InstanceType<HostMemoryConstructor>;
  #base = 0n;

  constructor(initialPages: number, maxPages: number | null, shared: boolean) {
    this.#memory = new HostMemory!(maxPages === null ? { initial: initialPages } : { initial: initialPages, maximum: maxPages, shared });
    this.#base = bufferAddress(this.#memory.buffer);
  }

  get base(): bigint {
    return this.#base;
  }

  get byteLength(): number {
    return this.#memory.buffer.byteLength;
  }

  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.#memory.buffer;
  }

  growTo(bytes: number): boolean {
    try {
      this.#memory.grow((bytes - this.byteLength) / WASM_PAGE_BYTES);
    } catch {
      return false; // RangeError: the host could not reserve or commit the memory
    }
    this.#base = bufferAddress(this.#memory.buffer);
    return true;
  }
}

/** A reservation, alive while its memory or any buffer over it is reachable. */
interface Reservation {
  readonly pointer: NativePointer;
  readonly length: number;
}

const reservationRegistry = new FinalizationRegistry<{ pointer: NativePointer; length: number }>((r) => unmap(r.pointer, r.length));
/** Keeps a reservation alive for as long as a buffer over it is reachable (ephemeron). */
const reservationOfBuffer = new WeakMap<ArrayBuffer, Reservation>();

class ReservedBacking implements Backing {
  readonly #reservation: Reservation;
  readonly base: bigint;
  #byteLength = 0;
  #committed = 0;
  #buffer: ArrayBuffer | null = null;

  constructor(initialBytes: number, maxBytes: number) {
    const page = pageSize();
    const length = Math.max(page, Math.ceil(maxBytes / page) * page);
    const pointer = reserve(length);
    // The registry holds only the unmapping data, never the reservation object, so the object can die.
    this.#reservation = { pointer, length };
    reservationRegistry.register(this.#reservation, { pointer, length });
    this.base = pointer;
    if (!this.growTo(initialBytes)) throw new RuntimeError(`cannot commit ${initialBytes} bytes of memory`);
  }

  get byteLength(): number {
    return this.#byteLength;
  }

  get buffer(): ArrayBuffer {
    if (this.#buffer === null) {
      this.#buffer = this.#byteLength === 0 ? new ArrayBuffer(0) : viewOf(this.#reservation.pointer, this.#byteLength);
      reservationOfBuffer.set(this.#buffer, this.#reservation);
    }
    return this.#buffer;
  }

  growTo(bytes: number): boolean {
    const page = pageSize();
    const needed = Math.ceil(bytes / page) * page;
    if (needed > this.#reservation.length) return false;
    if (needed > this.#committed) {
      try {
        protect(this.base + BigInt(this.#committed), needed - this.#committed, PROT_READ | PROT_WRITE);
      } catch {
        return false;
      }
      this.#committed = needed;
    }
    this.#byteLength = bytes;
    this.#buffer = null;
    return true;
  }
}

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
  /** Maximum in pages (declared, or what this engine allows). */
  readonly maxPages: number;
  readonly #backing: Backing;
  readonly #observers: MemoryObserver[] = [];

  /** `capBytes`: the store's `maxMemoryBytes` (instance/limits.ts), a RangeError when the initial size passes it. */
  constructor(type: MemoryType, initialPages: number = Number(type.min), capBytes: number = MAX_MEMORY_BYTES) {
    this.type = type;
    this.pageBytes = 2 ** type.pageSizeLog2;
    const limitPages = Math.floor(MAX_MEMORY_BYTES / this.pageBytes);
    const capPages = Math.floor(Math.min(capBytes, MAX_MEMORY_BYTES) / this.pageBytes);
    const declaredMax = type.max === null ? null : Math.min(Number(type.max), limitPages);
    if (initialPages > capPages && capPages < limitPages) {
      throw new ResourceLimitError(`cannot allocate memory of ${initialPages} pages: the limit is ${capBytes} bytes per memory (${capPages} pages)`);
    }
    this.maxPages = Math.min(declaredMax ?? limitPages, capPages);
    if (initialPages > this.maxPages) {
      throw new RuntimeError(`cannot allocate memory of ${initialPages} pages: more than the ${this.maxPages} this engine allows`);
    }
    const hostCanHold = HostMemory !== undefined && this.pageBytes === WASM_PAGE_BYTES && type.address === 'i32';
    try {
      this.#backing = hostCanHold
        ? new HostWasmBacking(initialPages, declaredMax, type.shared)
        : new ReservedBacking(initialPages * this.pageBytes, this.maxPages * this.pageBytes);
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw new RuntimeError(`cannot allocate memory of ${initialPages} pages: ${(error as Error).message}`);
    }
  }

  get pages(): number {
    return this.#backing.byteLength / this.pageBytes;
  }

  get byteLength(): number {
    return this.#backing.byteLength;
  }

  /** Address of byte 0 as generated code sees it (the VM contexts hold a copy). */
  get base(): bigint {
    return this.#backing.base;
  }

  /** The buffer over the memory's current bytes; a new one after each growth (see the file comment). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.#backing.buffer;
  }

  /** Grows by `delta` pages; returns the previous size in pages, or -1 when it cannot. */
  grow(delta: number): number {
    const previous = this.pages;
    if (!Number.isInteger(delta) || delta < 0 || previous + delta > this.maxPages) return -1;
    if (delta === 0) return previous;
    if (!this.#backing.growTo((previous + delta) * this.pageBytes)) return -1;
    this.#publishAll();
    return previous;
  }

  /** Registers a VM context's memory record (and memory-0 fields) to keep in step with growth. */
  attach(view: DataView, recordAt: number, vmContextAt: number): void {
    const observer = { view: new WeakRef(view), recordAt, vmContextAt };
    this.#observers.push(observer);
    this.#publish(observer, view);
  }

  #publishAll(): void {
    for (let i = this.#observers.length - 1; i >= 0; i--) {
      const observer = this.#observers[i]!;
      const view = observer.view.deref();
      if (view === undefined) this.#observers.splice(i, 1);
      else this.#publish(observer, view);
    }
  }

  #publish(observer: MemoryObserver, view: DataView): void {
    const base = this.base;
    const length = BigInt(this.byteLength);
    view.setBigUint64(observer.recordAt + MemoryRecord.base, base, true);
    view.setBigUint64(observer.recordAt + MemoryRecord.length, length, true);
    if (observer.vmContextAt >= 0) {
      view.setBigUint64(observer.vmContextAt + VMCTX_MEMORY0_BASE, base, true);
      view.setBigUint64(observer.vmContextAt + VMCTX_MEMORY0_LENGTH, length, true);
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
