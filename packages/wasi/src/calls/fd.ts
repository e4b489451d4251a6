// The fd_* calls: reading, writing, seeking, metadata and directory listing through an fd.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_advise
//
// Files opened by the guest carry their own position and are accessed with positioned
// reads and writes (Node has no lseek); `append` is emulated by writing at the current size,
// and the sync flags by flushing after each write. Streams (stdio) use the host fd as is.
import {
  closeSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, futimesSync, lstatSync, lutimesSync,
  openSync, readSync, readdirSync, writeSync, constants as fsConstants,
} from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { Errno, WasiErrnoError } from '../errno.ts';
import { FdKind } from '../fd-table.ts';
import type { FdEntry } from '../fd-table.ts';
import {
  Advice, Dirent, FDFLAGS_ALL, FdFlags, FileType, Fdstat, Iovec, PreopenType, Prestat, Rights, U64_MAX, Whence,
} from '../layout.ts';
import type { WasiContext } from '../context.ts';
import { directoryHostPath } from '../sandbox.ts';
import { requestedTimes, writeFilestat, writeStreamFilestat } from './stat.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const U32_MAX = 0xffffffff;
const encoder = new TextEncoder();
// One dirent header, filled per entry and copied (possibly cut short) into guest memory.
const header = new Uint8Array(Dirent.SIZE);
const headerView = new DataView(header.buffer);

function statsOf(entry: FdEntry): BigIntStats | undefined {
  if (entry.kind === FdKind.DIRECTORY) return lstatSync(directoryHostPath(entry.preopen!, entry.components), { bigint: true });
  if (entry.hostFd >= 0) return fstatSync(entry.hostFd, { bigint: true });
  return undefined;
}

function refuseDirectory(entry: FdEntry): void {
  if (entry.kind === FdKind.DIRECTORY) throw new WasiErrnoError(Errno.ISDIR, 'fd is a directory');
}

function refuseStream(entry: FdEntry): void {
  if (entry.kind === FdKind.STREAM) throw new WasiErrnoError(Errno.SPIPE, 'fd is a stream and cannot seek');
}

function flushIfSync(entry: FdEntry): void {
  if ((entry.fdFlags & FdFlags.SYNC) !== 0) fsyncSync(entry.hostFd);
  else if ((entry.fdFlags & (FdFlags.DSYNC | FdFlags.RSYNC)) !== 0) fdatasyncSync(entry.hostFd);
}

// Reads at most `length` bytes into guest memory at `ptr`; `position` is null for streams.
function readChunk(ctx: WasiContext, entry: FdEntry, ptr: number, length: number, position: bigint | null): number {
  const bytes = ctx.memory.bytes;
  if (entry.source !== null) {
    const count = Math.min(length, entry.source.length - entry.sourceOffset);
    bytes.set(entry.source.subarray(entry.sourceOffset, entry.sourceOffset + count), ptr);
    entry.sourceOffset += count;
    return count;
  }
  if (entry.hostFd < 0) return 0;
  if (position !== null && position > MAX_SAFE) return 0; // beyond any file Node can address: end of file
  return readSync(entry.hostFd, bytes, ptr, length, position === null ? null : Number(position));
}

function writeChunk(ctx: WasiContext, entry: FdEntry, ptr: number, length: number, position: bigint | null): number {
  const bytes = ctx.memory.bytes;
  if (entry.sink !== null) {
    entry.sink(bytes.slice(ptr, ptr + length));
    return length;
  }
  if (entry.hostFd < 0) return length; // a stream with no host: a null device
  if (position === null) return writeSync(entry.hostFd, bytes, ptr, length);
  if (position + BigInt(length) > MAX_SAFE) throw new WasiErrnoError(Errno.FBIG, 'write beyond the largest file offset');
  return writeSync(entry.hostFd, bytes, ptr, length, Number(position));
}

// Scatter/gather over an iovec array. Stops at the first short transfer, as POSIX readv and
// writev do, and never reports more than fits the u32 result.
function transfer(ctx: WasiContext, entry: FdEntry, iovs: number, iovsLen: number, position: bigint | null, write: boolean): number {
  const memory = ctx.memory;
  memory.check(iovs, iovsLen * Iovec.SIZE);
  let total = 0;
  for (let i = 0; i < iovsLen; i++) {
    const ptr = memory.u32(iovs + i * Iovec.SIZE + Iovec.BUF);
    const length = memory.u32(iovs + i * Iovec.SIZE + Iovec.BUF_LEN);
    memory.check(ptr, length);
    if (length === 0) continue;
    if (total + length > U32_MAX) break;
    const at = position === null ? null : position + BigInt(total);
    const count = write ? writeChunk(ctx, entry, ptr, length, at) : readChunk(ctx, entry, ptr, length, at);
    total += count;
    if (count < length) break;
  }
  return total;
}

export function fdRead(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  refuseDirectory(entry);
  ctx.fds.withRights(fd, Rights.FD_READ);
  ctx.memory.check(resultPtr, 4);
  const position = entry.kind === FdKind.FILE ? entry.position : null;
  const count = transfer(ctx, entry, iovs, iovsLen, position, false);
  if (position !== null) entry.position = position + BigInt(count);
  ctx.memory.setU32(resultPtr, count);
  return Errno.SUCCESS;
}

export function fdWrite(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  refuseDirectory(entry);
  ctx.fds.withRights(fd, Rights.FD_WRITE);
  ctx.memory.check(resultPtr, 4);
  let position: bigint | null = null;
  if (entry.kind === FdKind.FILE) {
    position = (entry.fdFlags & FdFlags.APPEND) !== 0 ? fstatSync(entry.hostFd, { bigint: true }).size : entry.position;
  }
  const count = transfer(ctx, entry, iovs, iovsLen, position, true);
  if (position !== null) {
    entry.position = position + BigInt(count);
    flushIfSync(entry);
  }
  ctx.memory.setU32(resultPtr, count);
  return Errno.SUCCESS;
}

export function fdPread(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, offset: bigint, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  refuseDirectory(entry);
  refuseStream(entry);
  ctx.fds.withRights(fd, Rights.FD_READ | Rights.FD_SEEK);
  ctx.memory.check(resultPtr, 4);
  ctx.memory.setU32(resultPtr, transfer(ctx, entry, iovs, iovsLen, BigInt.asUintN(64, offset), false));
  return Errno.SUCCESS;
}

export function fdPwrite(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, offset: bigint, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  refuseDirectory(entry);
  refuseStream(entry);
  ctx.fds.withRights(fd, Rights.FD_WRITE | Rights.FD_SEEK);
  ctx.memory.check(resultPtr, 4);
  ctx.memory.setU32(resultPtr, transfer(ctx, entry, iovs, iovsLen, BigInt.asUintN(64, offset), true));
  flushIfSync(entry);
  return Errno.SUCCESS;
}

export function fdSeek(ctx: WasiContext, fd: number, offset: bigint, whence: number, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  refuseStream(entry);
  // A query of the current position needs only `fd_tell`, as in wasi-libc's lseek(fd, 0, SEEK_CUR).
  ctx.fds.withRights(fd, offset === 0n && whence === Whence.CUR ? Rights.FD_TELL : Rights.FD_SEEK);
  if (entry.kind !== FdKind.FILE) throw new WasiErrnoError(Errno.BADF, 'only files can seek');
  ctx.memory.check(resultPtr, 8);
  let base: bigint;
  switch (whence) {
    case Whence.SET:
      base = 0n;
      break;
    case Whence.CUR:
      base = entry.position;
      break;
    case Whence.END:
      base = fstatSync(entry.hostFd, { bigint: true }).size;
      break;
    default:
      throw new WasiErrnoError(Errno.INVAL, `unknown whence ${whence}`);
  }
  const position = base + offset;
  if (position < 0n) throw new WasiErrnoError(Errno.INVAL, 'seek before the start of the file');
  if (position > U64_MAX >> 1n) throw new WasiErrnoError(Errno.OVERFLOW, 'seek beyond the largest offset');
  entry.position = position;
  ctx.memory.setU64(resultPtr, position);
  return Errno.SUCCESS;
}

export function fdTell(ctx: WasiContext, fd: number, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  refuseStream(entry);
  ctx.fds.withRights(fd, Rights.FD_TELL);
  ctx.memory.setU64(resultPtr, entry.position);
  return Errno.SUCCESS;
}

export function fdClose(ctx: WasiContext, fd: number): number {
  ctx.fds.close(fd);
  return Errno.SUCCESS;
}

export function fdRenumber(ctx: WasiContext, from: number, to: number): number {
  ctx.fds.renumber(from, to);
  return Errno.SUCCESS;
}

function syncEntry(entry: FdEntry, data: boolean): void {
  if (entry.kind === FdKind.DIRECTORY) {
    const handle = openSync(directoryHostPath(entry.preopen!, entry.components), fsConstants.O_RDONLY | fsConstants.O_DIRECTORY | fsConstants.O_NOFOLLOW);
    try {
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
  } else if (entry.hostFd >= 0 && entry.kind === FdKind.FILE) {
    if (data) fdatasyncSync(entry.hostFd);
    else fsyncSync(entry.hostFd);
  }
  // Streams: a terminal or pipe has nothing to flush; a sink already received every byte.
}

export function fdSync(ctx: WasiContext, fd: number): number {
  syncEntry(ctx.fds.withRights(fd, Rights.FD_SYNC), false);
  return Errno.SUCCESS;
}

export function fdDatasync(ctx: WasiContext, fd: number): number {
  syncEntry(ctx.fds.withRights(fd, Rights.FD_DATASYNC), true);
  return Errno.SUCCESS;
}

// Node has no posix_fadvise; advice is only a hint, so after validation it is accepted and ignored.
export function fdAdvise(ctx: WasiContext, fd: number, _offset: bigint, _length: bigint, advice: number): number {
  const entry = ctx.fds.get(fd);
  refuseDirectory(entry);
  refuseStream(entry);
  ctx.fds.withRights(fd, Rights.FD_ADVISE);
  if (advice > Advice.NOREUSE) throw new WasiErrnoError(Errno.INVAL, `unknown advice ${advice}`);
  return Errno.SUCCESS;
}

// Ensures the file is at least offset + length bytes long (the portable meaning of posix_fallocate).
export function fdAllocate(ctx: WasiContext, fd: number, offset: bigint, length: bigint): number {
  const entry = ctx.fds.get(fd);
  refuseDirectory(entry);
  refuseStream(entry);
  ctx.fds.withRights(fd, Rights.FD_ALLOCATE);
  const end = BigInt.asUintN(64, offset) + BigInt.asUintN(64, length);
  if (length === 0n) throw new WasiErrnoError(Errno.INVAL, 'allocate of zero bytes');
  if (end > MAX_SAFE) throw new WasiErrnoError(Errno.FBIG, 'allocate beyond the largest file size');
  if (fstatSync(entry.hostFd, { bigint: true }).size < end) ftruncateSync(entry.hostFd, Number(end));
  return Errno.SUCCESS;
}

export function fdFdstatGet(ctx: WasiContext, fd: number, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  const memory = ctx.memory;
  memory.zero(resultPtr, Fdstat.SIZE);
  memory.setU8(resultPtr + Fdstat.FILETYPE, entry.fileType);
  memory.setU16(resultPtr + Fdstat.FLAGS, entry.fdFlags);
  memory.setU64(resultPtr + Fdstat.RIGHTS_BASE, entry.rightsBase);
  memory.setU64(resultPtr + Fdstat.RIGHTS_INHERITING, entry.rightsInheriting);
  return Errno.SUCCESS;
}

// The flags are kept on the entry and honoured by our own read/write paths (append, sync);
// `nonblock` is recorded but Node cannot change it on a host fd it did not open.
export function fdFdstatSetFlags(ctx: WasiContext, fd: number, flags: number): number {
  const entry = ctx.fds.withRights(fd, Rights.FD_FDSTAT_SET_FLAGS);
  if ((flags & ~FDFLAGS_ALL) !== 0) throw new WasiErrnoError(Errno.INVAL, `unknown fdflags 0x${flags.toString(16)}`);
  entry.fdFlags = flags;
  return Errno.SUCCESS;
}

// Rights can only be dropped, never gained.
export function fdFdstatSetRights(ctx: WasiContext, fd: number, base: bigint, inheriting: bigint): number {
  const entry = ctx.fds.get(fd);
  const newBase = BigInt.asUintN(64, base);
  const newInheriting = BigInt.asUintN(64, inheriting);
  if ((newBase & ~entry.rightsBase) !== 0n || (newInheriting & ~entry.rightsInheriting) !== 0n) {
    throw new WasiErrnoError(Errno.NOTCAPABLE, 'fd_fdstat_set_rights cannot add rights');
  }
  entry.rightsBase = newBase;
  entry.rightsInheriting = newInheriting;
  return Errno.SUCCESS;
}

export function fdFilestatGet(ctx: WasiContext, fd: number, resultPtr: number): number {
  const entry = ctx.fds.withRights(fd, Rights.FD_FILESTAT_GET);
  ctx.memory.check(resultPtr, 64);
  const stats = statsOf(entry);
  if (stats === undefined) writeStreamFilestat(ctx.memory, resultPtr, entry.fileType);
  else writeFilestat(ctx.memory, resultPtr, stats);
  return Errno.SUCCESS;
}

export function fdFilestatSetSize(ctx: WasiContext, fd: number, size: bigint): number {
  const entry = ctx.fds.get(fd);
  refuseDirectory(entry);
  ctx.fds.withRights(fd, Rights.FD_FILESTAT_SET_SIZE);
  if (entry.hostFd < 0) throw new WasiErrnoError(Errno.INVAL, 'fd has no file to resize');
  const unsigned = BigInt.asUintN(64, size);
  if (unsigned > MAX_SAFE) throw new WasiErrnoError(Errno.FBIG, 'size beyond the largest file size');
  ftruncateSync(entry.hostFd, Number(unsigned));
  return Errno.SUCCESS;
}

export function fdFilestatSetTimes(ctx: WasiContext, fd: number, atim: bigint, mtim: bigint, flags: number): number {
  const entry = ctx.fds.withRights(fd, Rights.FD_FILESTAT_SET_TIMES);
  const stats = statsOf(entry);
  if (stats === undefined) throw new WasiErrnoError(Errno.INVAL, 'fd has no file whose times could be set');
  const [atime, mtime] = requestedTimes(stats, atim, mtim, flags);
  if (entry.kind === FdKind.DIRECTORY) lutimesSync(directoryHostPath(entry.preopen!, entry.components), atime, mtime);
  else futimesSync(entry.hostFd, atime, mtime);
  return Errno.SUCCESS;
}

export function fdPrestatGet(ctx: WasiContext, fd: number, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  if (entry.preopenName === null) throw new WasiErrnoError(Errno.BADF, `fd ${fd} is not a preopened directory`);
  ctx.memory.zero(resultPtr, Prestat.SIZE);
  ctx.memory.setU8(resultPtr + Prestat.TAG, PreopenType.DIR);
  ctx.memory.setU32(resultPtr + Prestat.DIR_NAME_LEN, entry.preopenName.length);
  return Errno.SUCCESS;
}

// The name is written without a terminating NUL; a buffer shorter than the name is refused
// with `nametoolong` (callers size it with fd_prestat_get first).
export function fdPrestatDirName(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const entry = ctx.fds.get(fd);
  if (entry.preopenName === null) throw new WasiErrnoError(Errno.BADF, `fd ${fd} is not a preopened directory`);
  if (pathLen < entry.preopenName.length) throw new WasiErrnoError(Errno.NAMETOOLONG, 'buffer shorter than the preopen name');
  ctx.memory.write(pathPtr, entry.preopenName);
  return Errno.SUCCESS;
}

function readListing(entry: FdEntry, hostPath: string): void {
  const dirents = readdirSync(hostPath, { withFileTypes: true });
  // Sorted so that cookies (positions in this listing) mean the same thing on every call.
  const hostNames = ['.', '..'];
  for (const dirent of dirents) hostNames.push(dirent.name);
  hostNames.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const typeByName = new Map<string, number>([['.', FileType.DIRECTORY], ['..', FileType.DIRECTORY]]);
  for (const dirent of dirents) {
    typeByName.set(dirent.name,
      dirent.isFile() ? FileType.REGULAR_FILE
        : dirent.isDirectory() ? FileType.DIRECTORY
          : dirent.isSymbolicLink() ? FileType.SYMBOLIC_LINK
            : dirent.isCharacterDevice() ? FileType.CHARACTER_DEVICE
              : dirent.isBlockDevice() ? FileType.BLOCK_DEVICE
                : dirent.isSocket() ? FileType.SOCKET_STREAM : FileType.UNKNOWN);
  }
  const types = new Uint8Array(hostNames.length);
  for (let i = 0; i < hostNames.length; i++) types[i] = typeByName.get(hostNames[i]!)!;
  entry.listing = { hostNames, names: hostNames.map((n) => encoder.encode(n)), types };
}

// The inode of `..` at a preopen's root would describe a host directory outside the sandbox,
// so the root reports its own inode there instead.
function inodeOf(entry: FdEntry, hostPath: string, name: string): bigint {
  if (name === '..' && entry.components.length === 0) name = '.';
  return lstatSync(name === '.' ? hostPath : `${hostPath}/${name}`, { bigint: true, throwIfNoEntry: false })?.ino ?? 0n;
}

// Fills the buffer with dirent headers and names from entry `cookie` on; the last entry is cut
// off when it does not fit, and a full buffer tells the caller to ask again with the next cookie.
export function fdReaddir(ctx: WasiContext, fd: number, bufPtr: number, bufLen: number, cookie: bigint, resultPtr: number): number {
  const entry = ctx.fds.get(fd);
  if (entry.kind !== FdKind.DIRECTORY) throw new WasiErrnoError(Errno.NOTDIR, `fd ${fd} is not a directory`);
  ctx.fds.withRights(fd, Rights.FD_READDIR);
  const memory = ctx.memory;
  memory.check(bufPtr, bufLen);
  memory.check(resultPtr, 4);
  const hostPath = directoryHostPath(entry.preopen!, entry.components);
  if (cookie === 0n || entry.listing === null) readListing(entry, hostPath);
  const listing = entry.listing!;
  let used = 0;
  const start = BigInt.asUintN(64, cookie);
  for (let i = start > BigInt(listing.names.length) ? listing.names.length : Number(start); i < listing.names.length; i++) {
    if (used >= bufLen) break;
    const name = listing.names[i]!;
    headerView.setBigUint64(Dirent.NEXT, BigInt(i + 1), true);
    headerView.setBigUint64(Dirent.INO, inodeOf(entry, hostPath, listing.hostNames[i]!), true);
    headerView.setUint32(Dirent.NAMLEN, name.length, true);
    headerView.setUint8(Dirent.TYPE, listing.types[i]!);
    used += memory.write(bufPtr + used, header, bufLen - used);
    if (used >= bufLen) break;
    used += memory.write(bufPtr + used, name, bufLen - used);
  }
  memory.setU32(resultPtr, used);
  return Errno.SUCCESS;
}
