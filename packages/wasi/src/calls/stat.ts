// Shared by the fd_* and path_* calls: filestat encoding and timestamp updates.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#filestat
import type { BigIntStats } from 'node:fs';
import { Errno, WasiErrnoError } from '../errno.ts';
import { ClockId, FileType, Filestat, FstFlags } from '../layout.ts';
import type { GuestMemory } from '../memory.ts';
import { now } from './clock.ts';

export function fileTypeOf(stats: BigIntStats): number {
  if (stats.isFile()) return FileType.REGULAR_FILE;
  if (stats.isDirectory()) return FileType.DIRECTORY;
  if (stats.isSymbolicLink()) return FileType.SYMBOLIC_LINK;
  if (stats.isCharacterDevice()) return FileType.CHARACTER_DEVICE;
  if (stats.isBlockDevice()) return FileType.BLOCK_DEVICE;
  if (stats.isSocket()) return FileType.SOCKET_STREAM;
  // FIFOs have no WASI file type.
  return FileType.UNKNOWN;
}

export function writeFilestat(memory: GuestMemory, ptr: number, stats: BigIntStats): void {
  memory.zero(ptr, Filestat.SIZE);
  memory.setU64(ptr + Filestat.DEV, stats.dev);
  memory.setU64(ptr + Filestat.INO, stats.ino);
  memory.setU8(ptr + Filestat.FILETYPE, fileTypeOf(stats));
  memory.setU64(ptr + Filestat.NLINK, stats.nlink);
  memory.setU64(ptr + Filestat.SIZE_FIELD, stats.size);
  memory.setU64(ptr + Filestat.ATIM, stats.atimeNs);
  memory.setU64(ptr + Filestat.MTIM, stats.mtimeNs);
  memory.setU64(ptr + Filestat.CTIM, stats.ctimeNs);
}

/** A filestat for an fd that has no host file (a callback sink or in-memory stdin). */
export function writeStreamFilestat(memory: GuestMemory, ptr: number, fileType: number): void {
  memory.zero(ptr, Filestat.SIZE);
  memory.setU8(ptr + Filestat.FILETYPE, fileType);
  memory.setU64(ptr + Filestat.NLINK, 1n);
}

/**
 * The access and modification times (in seconds, what Node's utimes takes) that
 * `*_filestat_set_times` asks for; an unchanged time keeps its current value. Node passes
 * times as doubles, so sub-microsecond digits of a far-from-zero timestamp are rounded.
 */
export function requestedTimes(current: BigIntStats, atim: bigint, mtim: bigint, flags: number): [number, number] {
  if ((flags & ~15) !== 0) throw new WasiErrnoError(Errno.INVAL, `unknown fstflags 0x${flags.toString(16)}`);
  if ((flags & FstFlags.ATIM) !== 0 && (flags & FstFlags.ATIM_NOW) !== 0) {
    throw new WasiErrnoError(Errno.INVAL, 'fstflags sets both atim and atim_now');
  }
  if ((flags & FstFlags.MTIM) !== 0 && (flags & FstFlags.MTIM_NOW) !== 0) {
    throw new WasiErrnoError(Errno.INVAL, 'fstflags sets both mtim and mtim_now');
  }
  const wallNow = (flags & (FstFlags.ATIM_NOW | FstFlags.MTIM_NOW)) !== 0 ? now(ClockId.REALTIME) : 0n;
  const atime = (flags & FstFlags.ATIM) !== 0 ? atim : (flags & FstFlags.ATIM_NOW) !== 0 ? wallNow : current.atimeNs;
  const mtime = (flags & FstFlags.MTIM) !== 0 ? mtim : (flags & FstFlags.MTIM_NOW) !== 0 ? wallNow : current.mtimeNs;
  return [nsToSeconds(BigInt.asUintN(64, atime)), nsToSeconds(BigInt.asUintN(64, mtime))];
}

function nsToSeconds(ns: bigint): number {
  // Whole seconds and the fraction separately, so whole-second times stay exact.
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}
