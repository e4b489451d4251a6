// The few C library calls native execution needs (mmap, mprotect, munmap, sysconf), bound through
// koffi on first use so that merely importing the runtime never loads native code.
// mmap(2), mprotect(2): https://man7.org/linux/man-pages/man2/mmap.2.html

import koffi from 'koffi';

/**
 * A native address. koffi (3.x) represents pointers as BigInts, in and out, so an address is a
 * pointer: no wrapper objects, nothing allocated natively to pass one.
 */
export type NativePointer = bigint;

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
const MAP_PRIVATE = 0x02;
// Reservations are address space only: no swap is accounted for PROT_NONE pages.
const MAP_NORESERVE_LINUX = 0x4000;
const MAP_NORESERVE_DARWIN = 0x40;
// Linux value; macOS uses 0x1000 (chosen per platform below).
const MAP_ANONYMOUS_LINUX = 0x20;
const MAP_ANONYMOUS_DARWIN = 0x1000;
const SC_PAGESIZE_LINUX = 30;
const SC_PAGESIZE_DARWIN = 29;
/** mmap's failure value, (void *)-1. */
const MAP_FAILED = 0xffff_ffff_ffff_ffffn;

/** A failed native call (mmap, mprotect, …) or an unsupported host. */
export class NativeError extends Error {
  override readonly name = 'NativeError';
}

interface LibcBindings {
  readonly calloc: (count: number, size: number) => NativePointer | null;
  readonly free: (pointer: NativePointer) => void;
  /** Bound as `memmove(buf, buf, 0)`: returns its destination, i.e. the data address of a buffer koffi passes. */
  readonly memmove: (dst: ArrayBufferView, src: ArrayBufferView, length: number) => NativePointer;
  readonly mmap: (addr: null, length: number, prot: number, flags: number, fd: number, offset: number) => NativePointer;
  readonly mprotect: (addr: NativePointer, length: number, prot: number) => number;
  readonly munmap: (addr: NativePointer, length: number) => number;
  readonly pageSize: number;
  readonly mapAnonymous: number;
  readonly mapNoReserve: number;
}

let bindings: LibcBindings | undefined;

/**
 * The stack koffi runs synchronous native calls on: a block it allocates per thread, not the
 * thread's own stack, so Wasm code (which the runtime calls through koffi) runs there too and can
 * go no deeper than it. Its size can only be set before the process loads its first library
 * through koffi, so the runtime asks for koffi's largest (16 MiB) before its own first load; the
 * pages are only address space until touched. When another module loaded a library first, the
 * size it left is what there is (`nativeCallStackBytes`).
 */
const WANTED_NATIVE_CALL_STACK_BYTES = 16 * 1024 * 1024;
let callStackConfigured = false;

/** `koffi.load(name)`, after sizing koffi's call stack on the first load (see above). */
function loadLibrary(name: string): ReturnType<typeof koffi.load> {
  if (!callStackConfigured) {
    callStackConfigured = true;
    try {
      if (koffi.config().sync_stack_size! < WANTED_NATIVE_CALL_STACK_BYTES) koffi.config({ ...koffi.config(), sync_stack_size: WANTED_NATIVE_CALL_STACK_BYTES });
    } catch {
      // A library was loaded through koffi before: its stack keeps the size it has.
    }
  }
  return koffi.load(name);
}

/** Bytes of the stack koffi runs synchronous calls (and so Wasm code) on. */
export function nativeCallStackBytes(): number {
  return koffi.config().sync_stack_size!;
}

function libc(): LibcBindings {
  if (bindings !== undefined) return bindings;
  const platform = process.platform;
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new NativeError(`native execution needs a POSIX host (linux or darwin), not ${platform}`);
  }
  const lib = loadLibrary(platform === 'linux' ? 'libc.so.6' : 'libSystem.B.dylib');
  const sysconf = lib.func('long sysconf(int name)') as (name: number) => number;
  bindings = {
    calloc: lib.func('void *calloc(size_t count, size_t size)'),
    free: lib.func('void free(void *pointer)'),
    memmove: lib.func('void *memmove(void *dst, void *src, size_t n)'),
    mmap: lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)'),
    mprotect: lib.func('int mprotect(void *addr, size_t length, int prot)'),
    munmap: lib.func('int munmap(void *addr, size_t length)'),
    pageSize: sysconf(platform === 'linux' ? SC_PAGESIZE_LINUX : SC_PAGESIZE_DARWIN),
    mapAnonymous: platform === 'linux' ? MAP_ANONYMOUS_LINUX : MAP_ANONYMOUS_DARWIN,
    mapNoReserve: platform === 'linux' ? MAP_NORESERVE_LINUX : MAP_NORESERVE_DARWIN,
  };
  return bindings;
}

let routines: { memmove: bigint; memset: bigint } | undefined;

/** Addresses of the C library routines machine-code builtins call (`Backend.emitBuiltin`). */
export function nativeRoutines(): { readonly memmove: bigint; readonly memset: bigint } {
  if (routines !== undefined) return routines;
  const lib = loadLibrary(process.platform === 'linux' ? 'libc.so.6' : 'libSystem.B.dylib');
  routines = { memmove: BigInt(lib.symbol('memmove') as bigint), memset: BigInt(lib.symbol('memset') as bigint) };
  return routines;
}

export function pageSize(): number {
  return libc().pageSize;
}

export function roundUpToPages(bytes: number): number {
  const page = pageSize();
  return Math.max(page, Math.ceil(bytes / page) * page);
}

/** `length` zeroed bytes from the C heap, 16-byte aligned (glibc and macOS align to 16 on 64-bit hosts). */
export function allocateZeroed(length: number): NativePointer {
  const pointer = libc().calloc(1, length);
  if (pointer === null || pointer === 0n) throw new NativeError(`calloc of ${length} bytes failed`);
  if ((pointer & 15n) !== 0n) throw new NativeError(`calloc returned memory not aligned to 16 bytes (0x${pointer.toString(16)})`);
  return pointer;
}

export function freeAllocation(pointer: NativePointer): void {
  libc().free(pointer);
}

/** Maps `length` bytes (a page multiple) of fresh zeroed read/write memory. */
export function mapReadWrite(length: number): NativePointer {
  const c = libc();
  const pointer = c.mmap(null, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | c.mapAnonymous, -1, 0);
  if (pointer === null || pointer === MAP_FAILED) {
    throw new NativeError(`mmap of ${length} bytes failed (errno ${koffi.errno()})`);
  }
  return pointer;
}

/**
 * Reserves `length` bytes (a page multiple) of address space, inaccessible until `protect`
 * commits parts of it read/write.
 */
export function reserve(length: number): NativePointer {
  const c = libc();
  const pointer = c.mmap(null, length, 0, MAP_PRIVATE | c.mapAnonymous | c.mapNoReserve, -1, 0);
  if (pointer === null || pointer === MAP_FAILED) {
    throw new NativeError(`reserving ${length} bytes of address space failed (errno ${koffi.errno()})`);
  }
  return pointer;
}

export function protect(pointer: NativePointer, length: number, prot: number): void {
  if (libc().mprotect(pointer, length, prot) !== 0) {
    throw new NativeError(`mprotect(${length} bytes, prot ${prot}) failed (errno ${koffi.errno()})`);
  }
}

export function unmap(pointer: NativePointer, length: number): void {
  libc().munmap(pointer, length);
}

/**
 * The address of a buffer's data (0 for an empty one). koffi passes a typed array's data
 * pointer to native calls and has no other way to read it; `memmove` with length 0 returns its
 * destination untouched. The address is only as stable as the buffer: callers keep the buffer
 * (or what owns its backing store) alive.
 */
export function bufferAddress(buffer: ArrayBuffer | SharedArrayBuffer): bigint {
  if (buffer.byteLength === 0) return 0n;
  const view = new Uint8Array(buffer);
  return libc().memmove(view, view, 0) ?? 0n;
}

/** An ArrayBuffer aliasing `length` bytes of native memory at `pointer`. */
export function viewOf(pointer: NativePointer, length: number): ArrayBuffer {
  return koffi.view(pointer, length);
}

let clearCache: ((begin: NativePointer, end: NativePointer) => void) | undefined;

/**
 * Cleans the data cache and invalidates the instruction cache for [address, address + length)
 * through libgcc's `__clear_cache` (Linux; bound on first use). Only arm64 hosts need it.
 */
export function clearInstructionCache(address: bigint, length: number): void {
  if (clearCache === undefined) {
    if (process.platform !== 'linux') throw new NativeError(`instruction-cache flush is implemented for Linux only, not ${process.platform}`);
    clearCache = loadLibrary('libgcc_s.so.1').func('void __clear_cache(void *begin, void *end)') as (begin: NativePointer, end: NativePointer) => void;
  }
  clearCache(address, address + BigInt(length));
}
