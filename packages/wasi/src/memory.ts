// Bounds-checked access to the guest's linear memory. The memory can grow during any call,
// which detaches the old ArrayBuffer, so every call starts with `refresh()`; views are rebuilt
// only when the buffer actually changed, so a call allocates nothing in the common case.
import { Errno, WasiErrnoError } from './errno.ts';
import { WasiError } from './error.ts';

/** What WASI needs of a memory: Node's `WebAssembly.Memory` and Flint's both qualify. */
export interface MemoryLike {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class GuestMemory {
  private memory: MemoryLike | null = null;
  private buffer: ArrayBufferLike | null = null;
  view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  bytes: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

  bind(memory: MemoryLike): void {
    this.memory = memory;
    this.buffer = null;
    this.refresh();
  }

  get bound(): boolean {
    return this.memory !== null;
  }

  refresh(): void {
    if (this.memory === null) {
      throw new WasiError('a WASI function was called before wasi.start(instance) or wasi.initialize(instance) gave it the memory');
    }
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.view = new DataView(buffer);
      this.bytes = new Uint8Array(buffer);
    }
  }

  /** Faults (errno `fault`) unless `[ptr, ptr + length)` lies inside the memory. */
  check(ptr: number, length: number): void {
    if (ptr + length > this.bytes.length) {
      throw new WasiErrnoError(Errno.FAULT, `guest range [${ptr}, ${ptr + length}) is outside the ${this.bytes.length}-byte memory`);
    }
  }

  u8(ptr: number): number {
    this.check(ptr, 1);
    return this.view.getUint8(ptr);
  }
  u16(ptr: number): number {
    this.check(ptr, 2);
    return this.view.getUint16(ptr, true);
  }
  u32(ptr: number): number {
    this.check(ptr, 4);
    return this.view.getUint32(ptr, true);
  }
  u64(ptr: number): bigint {
    this.check(ptr, 8);
    return this.view.getBigUint64(ptr, true);
  }
  setU8(ptr: number, value: number): void {
    this.check(ptr, 1);
    this.view.setUint8(ptr, value);
  }
  setU16(ptr: number, value: number): void {
    this.check(ptr, 2);
    this.view.setUint16(ptr, value, true);
  }
  setU32(ptr: number, value: number): void {
    this.check(ptr, 4);
    this.view.setUint32(ptr, value, true);
  }
  setU64(ptr: number, value: bigint): void {
    this.check(ptr, 8);
    this.view.setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }

  /** Zeroes `length` bytes, so that padding in the structs we write never leaks old data. */
  zero(ptr: number, length: number): void {
    this.check(ptr, length);
    this.bytes.fill(0, ptr, ptr + length);
  }

  /** Copies `source` to `ptr`, truncated to `limit` bytes; returns the number copied. */
  write(ptr: number, source: Uint8Array, limit = source.length): number {
    const length = Math.min(limit, source.length);
    this.check(ptr, length);
    this.bytes.set(length === source.length ? source : source.subarray(0, length), ptr);
    return length;
  }

  /** Decodes a UTF-8 string; invalid UTF-8 is errno `ilseq`. */
  string(ptr: number, length: number): string {
    this.check(ptr, length);
    try {
      return utf8.decode(this.bytes.subarray(ptr, ptr + length));
    } catch {
      throw new WasiErrnoError(Errno.ILSEQ, 'string is not valid UTF-8');
    }
  }
}
