// Path resolution inside a preopened directory: the capability boundary of WASI.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path (paths are
// relative to a directory fd) and https://github.com/WebAssembly/WASI/blob/main/legacy/application-abi.md
//
// Node has no `openat`, so we walk the path one component at a time with `lstat`, and expand
// every symlink ourselves instead of letting the host follow it. After resolution every
// component except possibly the last is a real directory under the preopen's root, so a host
// call on the resulting path cannot leave the sandbox; calls that must not follow the last
// component use the host's no-follow variants (lstat, lutimes, O_NOFOLLOW, unlink, rename).
//
// Directory fds are places in the tree (paths), not host handles, so every use of one walks
// its path again from the preopen root.
//
// What counts as an escape, and the errno it gets (`notcapable`, 76, in every case):
//  - an absolute path;
//  - a `..` that would climb above the preopen's root;
//  - a symlink whose target is absolute, or whose relative target climbs above the root.
// The remaining gap is a race with *another host process* swapping a checked directory for a
// symlink between our `lstat` and the host call; the guest itself cannot race (calls are
// synchronous). Closing it needs `openat`/`O_BENEATH`, which Node does not expose.
import { lstatSync, readlinkSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { Errno, WasiErrnoError } from './errno.ts';
import type { Preopen } from './fd-table.ts';

/** Linux's limit on symlink expansions in one lookup (SYMLOOP_MAX / MAXSYMLINKS). */
const MAX_SYMLINK_EXPANSIONS = 40;

export interface Resolution {
  readonly preopen: Preopen;
  /** Components below the preopen root; every one but the last is a real directory. */
  readonly components: string[];
  readonly hostPath: string;
  /** `lstat` of the final component, or undefined if it does not exist. */
  readonly stats: BigIntStats | undefined;
  /** The path's last lexical component (`.`, `..` or a name) before symlink expansion. */
  readonly lastComponent: string;
  /** The path ended with `/`, so the final component must be a directory. */
  readonly trailingSlash: boolean;
}

function escape(what: string): WasiErrnoError {
  return new WasiErrnoError(Errno.NOTCAPABLE, `${what} leads outside the preopened directory`);
}

function hostPathOf(preopen: Preopen, components: readonly string[]): string {
  return components.length === 0 ? preopen.hostRoot : `${preopen.hostRoot}/${components.join('/')}`;
}

/**
 * Resolves `path` relative to the directory at `base` (components below `preopen`'s root).
 * `followFinal` expands a symlink in the last component (`lookupflags.symlink_follow`);
 * symlinks in earlier components are always expanded, as POSIX does.
 */
export function resolvePath(preopen: Preopen, base: readonly string[], path: string, followFinal: boolean): Resolution {
  if (path.length === 0) throw new WasiErrnoError(Errno.NOENT, 'empty path');
  if (path.includes('\0')) throw new WasiErrnoError(Errno.INVAL, 'path contains a NUL byte');
  if (path.startsWith('/')) throw escape(`absolute path '${path}'`);

  const trailingSlash = path.endsWith('/');
  const stack: string[] = [];
  // Components still to visit, last one first, so that symlink targets can be pushed in front.
  // The directory's own components are walked again from the root on every call: the guest may
  // have replaced one of them with a symlink since the fd was opened, and links that are each
  // inside can combine, through the kernel's physical `..`, into a path that leaves the root.
  const pending = path.split('/').filter((c) => c.length > 0).reverse();
  const lastComponent = pending[0] ?? '.';
  for (let i = base.length - 1; i >= 0; i--) pending.push(base[i]!);
  let expansions = 0;
  let stats: BigIntStats | undefined;

  while (pending.length > 0) {
    const component = pending.pop()!;
    const isLast = pending.length === 0;
    if (component === '.') {
      if (isLast) stats = lstatSync(hostPathOf(preopen, stack), { bigint: true });
      continue;
    }
    if (component === '..') {
      if (stack.length === 0) throw escape(`'..' in '${path}'`);
      stack.pop();
      if (isLast) stats = lstatSync(hostPathOf(preopen, stack), { bigint: true });
      continue;
    }
    stack.push(component);
    const host = hostPathOf(preopen, stack);
    const entry = lstatSync(host, { bigint: true, throwIfNoEntry: false });
    if (entry === undefined) {
      if (!isLast) throw new WasiErrnoError(Errno.NOENT, `'${component}' in '${path}' does not exist`);
      stats = undefined;
      break;
    }
    if (entry.isSymbolicLink() && (!isLast || followFinal || trailingSlash)) {
      if (++expansions > MAX_SYMLINK_EXPANSIONS) throw new WasiErrnoError(Errno.LOOP, `too many symlinks in '${path}'`);
      const target = readlinkSync(host, 'utf8');
      if (target.startsWith('/')) throw escape(`symlink '${stack.join('/')}' -> '${target}'`);
      if (target.length === 0) throw new WasiErrnoError(Errno.NOENT, `symlink '${stack.join('/')}' is empty`);
      stack.pop();
      const targetComponents = target.split('/').filter((c) => c.length > 0);
      if (targetComponents.length === 0) targetComponents.push('.');
      for (let i = targetComponents.length - 1; i >= 0; i--) pending.push(targetComponents[i]!);
      continue;
    }
    if (!isLast && !entry.isDirectory()) {
      throw new WasiErrnoError(Errno.NOTDIR, `'${component}' in '${path}' is not a directory`);
    }
    stats = entry;
  }

  if (trailingSlash && stats !== undefined && !stats.isDirectory()) {
    throw new WasiErrnoError(Errno.NOTDIR, `'${path}' ends with '/' but is not a directory`);
  }
  return { preopen, components: stack, hostPath: hostPathOf(preopen, stack), stats, lastComponent, trailingSlash };
}

/** The host path of a directory fd, re-walked from the root (see `resolvePath`). */
export function directoryHostPath(preopen: Preopen, components: readonly string[]): string {
  const resolution = resolvePath(preopen, components, '.', true);
  if (resolution.stats === undefined || !resolution.stats.isDirectory()) {
    throw new WasiErrnoError(Errno.NOTDIR, 'the directory this fd was opened on is gone');
  }
  return resolution.hostPath;
}

/**
 * Whether a symlink with contents `target`, placed in the directory at `directory` (components
 * below the root), points lexically outside the root. Such links are refused at creation so
 * that the host tree never holds a link a host tool could follow out of the sandbox.
 */
export function symlinkEscapes(directory: readonly string[], target: string): boolean {
  if (target.startsWith('/')) return true;
  let depth = directory.length;
  for (const component of target.split('/')) {
    if (component === '' || component === '.') continue;
    if (component === '..') {
      if (depth === 0) return true;
      depth--;
    } else {
      depth++;
    }
  }
  return false;
}
