// The path_* calls. Every path is resolved by `sandbox.ts` relative to a directory fd before
// the host sees it; host calls on the final component use no-follow variants unless the
// resolution already expanded it.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_create_directory
import {
  closeSync, fstatSync, linkSync, lutimesSync, mkdirSync, openSync, readlinkSync, renameSync, rmdirSync,
  symlinkSync, unlinkSync, constants as fsConstants,
} from 'node:fs';
import { Errno, WasiErrnoError } from '../errno.ts';
import { FdEntry, FdKind } from '../fd-table.ts';
import {
  DIRECTORY_RIGHTS, FDFLAGS_ALL, FILE_RIGHTS, FileType, LookupFlags, OFLAGS_ALL, OFlags, Rights,
} from '../layout.ts';
import type { WasiContext } from '../context.ts';
import { resolvePath, symlinkEscapes } from '../sandbox.ts';
import type { Resolution } from '../sandbox.ts';
import { fileTypeOf, requestedTimes, writeFilestat } from './stat.ts';

// Rights that need the host file opened for writing.
const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

function resolve(ctx: WasiContext, dir: FdEntry, pathPtr: number, pathLen: number, follow: boolean): Resolution {
  const path = ctx.memory.string(pathPtr, pathLen);
  return resolvePath(dir.preopen!, dir.components, path, follow);
}

/** Refuses `.`, `..` and the preopen root as the object of a call that removes or replaces it. */
function refuseSpecial(target: Resolution, errnoForDot: number): void {
  if (target.lastComponent === '.') throw new WasiErrnoError(errnoForDot, `'.' cannot be the target`);
  if (target.lastComponent === '..') throw new WasiErrnoError(Errno.NOTEMPTY, `'..' cannot be the target`);
  if (target.components.length === 0) throw new WasiErrnoError(Errno.BUSY, 'the preopened directory itself cannot be the target');
}

export function pathOpen(
  ctx: WasiContext, fd: number, lookupFlags: number, pathPtr: number, pathLen: number, oflags: number,
  rightsBase: bigint, rightsInheriting: bigint, fdFlags: number, resultPtr: number,
): number {
  let needed = Rights.PATH_OPEN;
  if ((oflags & OFlags.CREAT) !== 0) needed |= Rights.PATH_CREATE_FILE;
  if ((oflags & OFlags.TRUNC) !== 0) needed |= Rights.PATH_FILESTAT_SET_SIZE;
  const dir = ctx.fds.directory(fd, needed);
  if ((oflags & ~OFLAGS_ALL) !== 0) throw new WasiErrnoError(Errno.INVAL, `unknown oflags 0x${oflags.toString(16)}`);
  if ((fdFlags & ~FDFLAGS_ALL) !== 0) throw new WasiErrnoError(Errno.INVAL, `unknown fdflags 0x${fdFlags.toString(16)}`);
  const base = BigInt.asUintN(64, rightsBase);
  const inheriting = BigInt.asUintN(64, rightsInheriting);
  // An fd can only hand out rights its directory may pass on.
  if ((base & ~dir.rightsInheriting) !== 0n || (inheriting & ~dir.rightsInheriting) !== 0n) {
    throw new WasiErrnoError(Errno.NOTCAPABLE, 'requested rights exceed the directory\'s inheriting rights');
  }
  ctx.memory.check(resultPtr, 4);

  const create = (oflags & OFlags.CREAT) !== 0;
  const exclusive = create && (oflags & OFlags.EXCL) !== 0;
  // O_CREAT|O_EXCL never follows a final symlink (POSIX): an existing link is EEXIST.
  const follow = (lookupFlags & LookupFlags.SYMLINK_FOLLOW) !== 0 && !exclusive;
  const target = resolve(ctx, dir, pathPtr, pathLen, follow);
  const stats = target.stats;
  if (stats === undefined) {
    if (!create) throw new WasiErrnoError(Errno.NOENT, `'${target.components.join('/')}' does not exist`);
    if ((oflags & OFlags.DIRECTORY) !== 0 || target.trailingSlash) {
      throw new WasiErrnoError(Errno.ISDIR, 'path_open cannot create a directory');
    }
  } else {
    if (exclusive) throw new WasiErrnoError(Errno.EXIST, `'${target.components.join('/')}' exists`);
    if (stats.isSymbolicLink()) throw new WasiErrnoError(Errno.LOOP, 'final component is a symlink and symlink_follow is not set');
    if ((oflags & OFlags.DIRECTORY) !== 0 && !stats.isDirectory()) throw new WasiErrnoError(Errno.NOTDIR, 'not a directory');
    if (stats.isDirectory()) {
      if ((base & WRITE_RIGHTS) !== 0n || (oflags & OFlags.TRUNC) !== 0) {
        throw new WasiErrnoError(Errno.ISDIR, 'a directory cannot be opened for writing');
      }
      const entry = new FdEntry(FdKind.DIRECTORY, FileType.DIRECTORY, base & DIRECTORY_RIGHTS, inheriting);
      entry.preopen = dir.preopen;
      entry.components = target.components;
      entry.fdFlags = fdFlags;
      ctx.memory.setU32(resultPtr, ctx.fds.add(entry));
      return Errno.SUCCESS;
    }
  }

  const read = (base & (Rights.FD_READ | Rights.FD_READDIR)) !== 0n;
  const write = (base & WRITE_RIGHTS) !== 0n;
  let flags = fsConstants.O_NOFOLLOW | (write ? (read ? fsConstants.O_RDWR : fsConstants.O_WRONLY) : fsConstants.O_RDONLY);
  if (create) flags |= fsConstants.O_CREAT;
  if (exclusive) flags |= fsConstants.O_EXCL;
  if ((oflags & OFlags.TRUNC) !== 0) flags |= fsConstants.O_TRUNC;
  // Opening a FIFO for reading would block until a writer appears; the guest sees a
  // non-blocking fd only if it asked for one, but the open itself must not hang.
  if (stats !== undefined && stats.isFIFO()) flags |= fsConstants.O_NONBLOCK;
  const hostFd = openSync(target.hostPath, flags, 0o666);
  let fileType: number;
  try {
    fileType = fileTypeOf(fstatSync(hostFd, { bigint: true }));
  } catch (error) {
    closeSync(hostFd);
    throw error;
  }
  const entry = new FdEntry(FdKind.FILE, fileType, base & FILE_RIGHTS, inheriting);
  entry.hostFd = hostFd;
  entry.ownsHostFd = true;
  entry.fdFlags = fdFlags;
  entry.preopen = dir.preopen;
  entry.components = target.components;
  ctx.memory.setU32(resultPtr, ctx.fds.add(entry));
  return Errno.SUCCESS;
}

export function pathCreateDirectory(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const dir = ctx.fds.directory(fd, Rights.PATH_CREATE_DIRECTORY);
  const target = resolve(ctx, dir, pathPtr, pathLen, false);
  if (target.stats !== undefined) throw new WasiErrnoError(Errno.EXIST, `'${target.components.join('/')}' exists`);
  mkdirSync(target.hostPath, 0o777);
  return Errno.SUCCESS;
}

export function pathRemoveDirectory(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const dir = ctx.fds.directory(fd, Rights.PATH_REMOVE_DIRECTORY);
  const target = resolve(ctx, dir, pathPtr, pathLen, false);
  refuseSpecial(target, Errno.INVAL);
  if (target.stats === undefined) throw new WasiErrnoError(Errno.NOENT, `'${target.components.join('/')}' does not exist`);
  if (!target.stats.isDirectory()) throw new WasiErrnoError(Errno.NOTDIR, 'not a directory');
  rmdirSync(target.hostPath);
  return Errno.SUCCESS;
}

export function pathUnlinkFile(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const dir = ctx.fds.directory(fd, Rights.PATH_UNLINK_FILE);
  const path = ctx.memory.string(pathPtr, pathLen);
  // A trailing slash names a directory: for unlink that is `isdir` on a directory and
  // `notdir` on anything else (Linux semantics), decided before the resolver's own check.
  const target = resolvePath(dir.preopen!, dir.components, path.replace(/\/+$/, '') || path, false);
  refuseSpecial(target, Errno.ISDIR);
  if (target.stats === undefined) throw new WasiErrnoError(Errno.NOENT, `'${path}' does not exist`);
  if (target.stats.isDirectory()) throw new WasiErrnoError(Errno.ISDIR, `'${path}' is a directory`);
  if (path.endsWith('/')) throw new WasiErrnoError(Errno.NOTDIR, `'${path}' ends with '/' but is not a directory`);
  unlinkSync(target.hostPath);
  return Errno.SUCCESS;
}

export function pathRename(
  ctx: WasiContext, fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number,
): number {
  const oldDir = ctx.fds.directory(fd, Rights.PATH_RENAME_SOURCE);
  const newDir = ctx.fds.directory(newFd, Rights.PATH_RENAME_TARGET);
  const source = resolve(ctx, oldDir, oldPtr, oldLen, false);
  const target = resolve(ctx, newDir, newPtr, newLen, false);
  refuseSpecial(source, Errno.BUSY);
  refuseSpecial(target, Errno.BUSY);
  if (source.stats === undefined) throw new WasiErrnoError(Errno.NOENT, `'${source.components.join('/')}' does not exist`);
  if (!source.stats.isDirectory() && (source.trailingSlash || target.trailingSlash)) {
    throw new WasiErrnoError(Errno.NOTDIR, 'a trailing slash names a directory, but the source is not one');
  }
  renameSync(source.hostPath, target.hostPath);
  return Errno.SUCCESS;
}

export function pathLink(
  ctx: WasiContext, oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number,
): number {
  const oldDir = ctx.fds.directory(oldFd, Rights.PATH_LINK_SOURCE);
  const newDir = ctx.fds.directory(newFd, Rights.PATH_LINK_TARGET);
  const source = resolve(ctx, oldDir, oldPtr, oldLen, (oldFlags & LookupFlags.SYMLINK_FOLLOW) !== 0);
  const target = resolve(ctx, newDir, newPtr, newLen, false);
  if (source.stats === undefined) throw new WasiErrnoError(Errno.NOENT, `'${source.components.join('/')}' does not exist`);
  if (source.stats.isDirectory()) throw new WasiErrnoError(Errno.PERM, 'directories cannot be hard-linked');
  if (target.stats !== undefined) throw new WasiErrnoError(Errno.EXIST, `'${target.components.join('/')}' exists`);
  if (target.trailingSlash) throw new WasiErrnoError(Errno.NOENT, 'a link name cannot end with /');
  // Linux link(2) does not follow a symlink given as the source, so this links the
  // resolved object itself.
  linkSync(source.hostPath, target.hostPath);
  return Errno.SUCCESS;
}

// A link whose contents point outside the preopen (absolute, or lexically climbing above the
// root from where the link lives) is refused here as well as when followed. The check at
// creation is lexical, so links that are each inside can still combine into a way out for a
// *host* tool that follows them physically (see test "stale directory fds"); the guarantee for
// the guest is the resolver in sandbox.ts, which never lets the host follow a link.
export function pathSymlink(ctx: WasiContext, oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
  const dir = ctx.fds.directory(fd, Rights.PATH_SYMLINK);
  const contents = ctx.memory.string(oldPtr, oldLen);
  if (contents.includes('\0')) throw new WasiErrnoError(Errno.INVAL, 'symlink contents contain a NUL byte');
  const target = resolve(ctx, dir, newPtr, newLen, false);
  if (target.stats !== undefined) throw new WasiErrnoError(Errno.EXIST, `'${target.components.join('/')}' exists`);
  if (target.trailingSlash) throw new WasiErrnoError(Errno.NOENT, 'a symlink name cannot end with /');
  if (symlinkEscapes(target.components.slice(0, -1), contents)) {
    throw new WasiErrnoError(Errno.NOTCAPABLE, `symlink contents '${contents}' lead outside the preopened directory`);
  }
  symlinkSync(contents, target.hostPath);
  return Errno.SUCCESS;
}

export function pathReadlink(
  ctx: WasiContext, fd: number, pathPtr: number, pathLen: number, bufPtr: number, bufLen: number, resultPtr: number,
): number {
  const dir = ctx.fds.directory(fd, Rights.PATH_READLINK);
  const target = resolve(ctx, dir, pathPtr, pathLen, false);
  ctx.memory.check(bufPtr, bufLen);
  ctx.memory.check(resultPtr, 4);
  if (target.stats === undefined) throw new WasiErrnoError(Errno.NOENT, `'${target.components.join('/')}' does not exist`);
  if (!target.stats.isSymbolicLink()) throw new WasiErrnoError(Errno.INVAL, 'not a symlink');
  // Truncated to the buffer, as readlink(2) does.
  const contents = readlinkSync(target.hostPath, { encoding: 'buffer' });
  ctx.memory.setU32(resultPtr, ctx.memory.write(bufPtr, contents, bufLen));
  return Errno.SUCCESS;
}

export function pathFilestatGet(ctx: WasiContext, fd: number, flags: number, pathPtr: number, pathLen: number, resultPtr: number): number {
  const dir = ctx.fds.directory(fd, Rights.PATH_FILESTAT_GET);
  const target = resolve(ctx, dir, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0);
  if (target.stats === undefined) throw new WasiErrnoError(Errno.NOENT, `'${target.components.join('/')}' does not exist`);
  writeFilestat(ctx.memory, resultPtr, target.stats);
  return Errno.SUCCESS;
}

export function pathFilestatSetTimes(
  ctx: WasiContext, fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fstFlags: number,
): number {
  const dir = ctx.fds.directory(fd, Rights.PATH_FILESTAT_SET_TIMES);
  const target = resolve(ctx, dir, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0);
  if (target.stats === undefined) throw new WasiErrnoError(Errno.NOENT, `'${target.components.join('/')}' does not exist`);
  const [atime, mtime] = requestedTimes(target.stats, atim, mtim, fstFlags);
  lutimesSync(target.hostPath, atime, mtime);
  return Errno.SUCCESS;
}
