// The guest's file descriptor table: small integers indexing an array of entries, each with
// the rights the spec attaches to an fd. Rights are checked here, once, for every call.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#rights
import { closeSync } from 'node:fs';
import { Errno, WasiErrnoError } from './errno.ts';

/** How an fd reaches its data. */
export const FdKind = {
  /** stdio: a host fd used at its own position, a callback sink or an in-memory stdin. */
  STREAM: 0,
  /** A regular (or special) file opened through `path_open`; we track its position. */
  FILE: 1,
  /** A directory: a place in a preopen's tree, addressed by path; it has no host fd. */
  DIRECTORY: 2,
} as const;
export type FdKindValue = (typeof FdKind)[keyof typeof FdKind];

/** One preopened host directory: the root no path may leave. */
export interface Preopen {
  /** The name the guest sees through `fd_prestat_dir_name`, e.g. `/sandbox`. */
  readonly guestPath: string;
  /** The host directory, as a real path (symlinks already resolved by the host at setup). */
  readonly hostRoot: string;
}

/** A directory listing kept between `fd_readdir` calls so that cookies stay stable. */
export interface DirectoryListing {
  readonly names: Uint8Array[];
  readonly types: Uint8Array;
  readonly hostNames: string[];
}

export class FdEntry {
  /** Host fd, or -1 (directories, callback sinks, in-memory stdin). */
  hostFd = -1;
  /** Whether `fd_close` closes `hostFd` (stdio host fds belong to the embedder). */
  ownsHostFd = false;
  fdFlags = 0;
  /** File position for FILE entries; streams use the host's own position. */
  position = 0n;
  /** Callback receiving stdout/stderr bytes, when the embedder gave one. */
  sink: ((bytes: Uint8Array) => void) | null = null;
  /** In-memory stdin and how much of it has been read. */
  source: Uint8Array | null = null;
  sourceOffset = 0;
  /** For directories and files: the preopen and the components below its root. */
  preopen: Preopen | null = null;
  components: readonly string[] = [];
  /** Set only on the preopened directory fds themselves (`fd_prestat_get`). */
  preopenName: Uint8Array | null = null;
  listing: DirectoryListing | null = null;

  constructor(
    readonly kind: FdKindValue,
    public fileType: number,
    public rightsBase: bigint,
    public rightsInheriting: bigint,
  ) {}
}

export class FdTable {
  private readonly entries: (FdEntry | undefined)[] = [];

  /** The entry for `fd`, or errno `badf`. */
  get(fd: number): FdEntry {
    const entry = this.entries[fd];
    if (entry === undefined) throw new WasiErrnoError(Errno.BADF, `fd ${fd} is not open`);
    return entry;
  }

  /** The entry for `fd` if it holds every right in `rights`, else errno `notcapable`. */
  withRights(fd: number, rights: bigint): FdEntry {
    const entry = this.get(fd);
    if ((entry.rightsBase & rights) !== rights) {
      throw new WasiErrnoError(Errno.NOTCAPABLE, `fd ${fd} lacks rights 0x${(rights & ~entry.rightsBase).toString(16)}`);
    }
    return entry;
  }

  /** A directory entry for a path call: `notdir` for other kinds, then the rights check. */
  directory(fd: number, rights: bigint): FdEntry {
    const entry = this.get(fd);
    if (entry.kind !== FdKind.DIRECTORY) throw new WasiErrnoError(Errno.NOTDIR, `fd ${fd} is not a directory`);
    return this.withRights(fd, rights);
  }

  /** Places `entry` at `fd` (used for stdio and preopens at setup). */
  set(fd: number, entry: FdEntry): void {
    this.entries[fd] = entry;
  }

  /** Places `entry` at the lowest free fd, as POSIX does. */
  add(entry: FdEntry): number {
    let fd = 0;
    while (fd < this.entries.length && this.entries[fd] !== undefined) fd++;
    this.entries[fd] = entry;
    return fd;
  }

  close(fd: number): void {
    const entry = this.get(fd);
    this.entries[fd] = undefined;
    if (entry.ownsHostFd) closeSync(entry.hostFd);
  }

  /** `fd_renumber`: `to` is closed and `from` takes its number. */
  renumber(from: number, to: number): void {
    const entry = this.get(from);
    this.get(to);
    if (from === to) return;
    this.close(to);
    this.entries[to] = entry;
    this.entries[from] = undefined;
  }

  /** Closes every host fd the guest opened (after a command finished). */
  closeAll(): void {
    for (let fd = 0; fd < this.entries.length; fd++) {
      const entry = this.entries[fd];
      if (entry === undefined) continue;
      this.entries[fd] = undefined;
      if (entry.ownsHostFd) {
        try {
          closeSync(entry.hostFd);
        } catch {
          // Already closed by the host: nothing left to release.
        }
      }
    }
  }
}
