// args_get, args_sizes_get, environ_get, environ_sizes_get.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#args_get
import { Errno } from '../errno.ts';
import type { GuestMemory } from '../memory.ts';
import type { WasiContext } from '../context.ts';

function sizesGet(memory: GuestMemory, strings: readonly Uint8Array[], countPtr: number, bufSizePtr: number): number {
  let size = 0;
  for (const s of strings) size += s.length;
  memory.setU32(countPtr, strings.length);
  memory.setU32(bufSizePtr, size);
  return Errno.SUCCESS;
}

// Writes the pointer array and the NUL-terminated strings it points to. Bounds are checked
// for the whole of both areas before any byte is written.
function stringsGet(memory: GuestMemory, strings: readonly Uint8Array[], pointersPtr: number, bufPtr: number): number {
  let size = 0;
  for (const s of strings) size += s.length;
  memory.check(pointersPtr, strings.length * 4);
  memory.check(bufPtr, size);
  let cursor = bufPtr;
  for (let i = 0; i < strings.length; i++) {
    memory.setU32(pointersPtr + i * 4, cursor);
    cursor += memory.write(cursor, strings[i]!);
  }
  return Errno.SUCCESS;
}

export function argsSizesGet(ctx: WasiContext, argcPtr: number, bufSizePtr: number): number {
  return sizesGet(ctx.memory, ctx.args, argcPtr, bufSizePtr);
}

export function argsGet(ctx: WasiContext, argvPtr: number, bufPtr: number): number {
  return stringsGet(ctx.memory, ctx.args, argvPtr, bufPtr);
}

export function environSizesGet(ctx: WasiContext, countPtr: number, bufSizePtr: number): number {
  return sizesGet(ctx.memory, ctx.environ, countPtr, bufSizePtr);
}

export function environGet(ctx: WasiContext, environPtr: number, bufPtr: number): number {
  return stringsGet(ctx.memory, ctx.environ, environPtr, bufPtr);
}
