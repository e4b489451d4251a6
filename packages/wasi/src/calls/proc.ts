// proc_exit, proc_raise, sched_yield, random_get, and the sock_* calls.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#proc_exit
import { randomFillSync } from 'node:crypto';
import { Errno, WasiErrnoError } from '../errno.ts';
import type { WasiContext } from '../context.ts';

/**
 * Unwinds the guest's stack on `proc_exit`; caught by `WASI.start`. Not exported from the
 * package: nothing outside should be able to fake an exit. A reactor export that exits
 * reaches its host caller as this error, which says what happened.
 */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`the WASI program exited with proc_exit(${code})`);
    this.name = 'ProcExit';
  }
}

export function procExit(_ctx: WasiContext, code: number): never {
  throw new ProcExit(code >>> 0);
}

// Signals have no meaning for a WASI process here, and the spec lets a host refuse them.
export function procRaise(_ctx: WasiContext, _signal: number): number {
  return Errno.NOSYS;
}

// The host's event loop cannot run during a synchronous call, so there is nothing to yield to.
export function schedYield(_ctx: WasiContext): number {
  return Errno.SUCCESS;
}

// randomFillSync takes at most 2^31 - 1 bytes at a time.
const RANDOM_CHUNK = 1 << 30;

export function randomGet(ctx: WasiContext, bufPtr: number, bufLen: number): number {
  ctx.memory.check(bufPtr, bufLen);
  for (let offset = 0; offset < bufLen; offset += RANDOM_CHUNK) {
    randomFillSync(ctx.memory.bytes, bufPtr + offset, Math.min(RANDOM_CHUNK, bufLen - offset));
  }
  return Errno.SUCCESS;
}

// Sockets: preview 1 can only use sockets the host hands over, and this host hands over none,
// so every socket call on an open fd is `notsup`; an unknown fd is `badf`.
function notSupported(ctx: WasiContext, fd: number): number {
  ctx.fds.get(fd);
  throw new WasiErrnoError(Errno.NOTSUP, 'sockets are not supported');
}

export function sockAccept(ctx: WasiContext, fd: number, _flags: number, _resultPtr: number): number {
  return notSupported(ctx, fd);
}

export function sockRecv(ctx: WasiContext, fd: number, _riData: number, _riDataLen: number, _riFlags: number, _sizePtr: number, _flagsPtr: number): number {
  return notSupported(ctx, fd);
}

export function sockSend(ctx: WasiContext, fd: number, _siData: number, _siDataLen: number, _siFlags: number, _sizePtr: number): number {
  return notSupported(ctx, fd);
}

export function sockShutdown(ctx: WasiContext, fd: number, _how: number): number {
  return notSupported(ctx, fd);
}
