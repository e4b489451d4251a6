// The embedder's entry point: builds the `wasi_snapshot_preview1` import object over one
// WasiContext and runs commands (`_start`) and reactors (`_initialize`).
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/application-abi.md
import { fstatSync, realpathSync, statSync } from 'node:fs';
import { errnoFromThrown } from './errno.ts';
import { WasiError } from './error.ts';
import { WasiContext } from './context.ts';
import { FdEntry, FdKind } from './fd-table.ts';
import type { Preopen } from './fd-table.ts';
import { DIRECTORY_RIGHTS, FILE_RIGHTS, FileType, Rights, STREAM_RIGHTS } from './layout.ts';
import type { MemoryLike } from './memory.ts';
import { argsGet, argsSizesGet, environGet, environSizesGet } from './calls/args.ts';
import { clockResGet, clockTimeGet } from './calls/clock.ts';
import {
  fdAdvise, fdAllocate, fdClose, fdDatasync, fdFdstatGet, fdFdstatSetFlags, fdFdstatSetRights, fdFilestatGet,
  fdFilestatSetSize, fdFilestatSetTimes, fdPread, fdPrestatDirName, fdPrestatGet, fdPwrite, fdRead, fdReaddir,
  fdRenumber, fdSeek, fdSync, fdTell, fdWrite,
} from './calls/fd.ts';
import {
  pathCreateDirectory, pathFilestatGet, pathFilestatSetTimes, pathLink, pathOpen, pathReadlink,
  pathRemoveDirectory, pathRename, pathSymlink, pathUnlinkFile,
} from './calls/path.ts';
import { pollOneoff } from './calls/poll.ts';
import {
  ProcExit, procExit, procRaise, randomGet, schedYield, sockAccept, sockRecv, sockSend, sockShutdown,
} from './calls/proc.ts';
import { fileTypeOf } from './calls/stat.ts';

/** Where a guest's stdout or stderr goes: a host fd, or a callback receiving each write. */
export type WasiOutput = number | ((bytes: Uint8Array) => void);

export interface WasiOptions {
  /** `argv`, including the program name as `args[0]`. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Guest path → host directory. Each becomes a preopened fd, from 3 in this order. */
  readonly preopens?: Readonly<Record<string, string>>;
  /** A host fd (default 0), or the bytes the guest reads from stdin. */
  readonly stdin?: number | Uint8Array;
  readonly stdout?: WasiOutput;
  readonly stderr?: WasiOutput;
  /** `start` returns the exit code (default) instead of ending the Node process with it. */
  readonly returnOnExit?: boolean;
}

/** What `start` and `initialize` need of an instance: Node's and Flint's both qualify. */
export interface WasiInstance {
  readonly exports: object;
}

/** One import function: i32 arguments arrive as JS numbers, i64 as bigints. */
export type WasiFunction = (...args: (number | bigint)[]) => number;

type Call = (ctx: WasiContext, ...args: never[]) => number;

// Every call, by import name. The order follows the spec's function list.
const calls: Record<string, Call> = {
  args_get: argsGet,
  args_sizes_get: argsSizesGet,
  environ_get: environGet,
  environ_sizes_get: environSizesGet,
  clock_res_get: clockResGet,
  clock_time_get: clockTimeGet,
  fd_advise: fdAdvise,
  fd_allocate: fdAllocate,
  fd_close: fdClose,
  fd_datasync: fdDatasync,
  fd_fdstat_get: fdFdstatGet,
  fd_fdstat_set_flags: fdFdstatSetFlags,
  fd_fdstat_set_rights: fdFdstatSetRights,
  fd_filestat_get: fdFilestatGet,
  fd_filestat_set_size: fdFilestatSetSize,
  fd_filestat_set_times: fdFilestatSetTimes,
  fd_pread: fdPread,
  fd_prestat_get: fdPrestatGet,
  fd_prestat_dir_name: fdPrestatDirName,
  fd_pwrite: fdPwrite,
  fd_read: fdRead,
  fd_readdir: fdReaddir,
  fd_renumber: fdRenumber,
  fd_seek: fdSeek,
  fd_sync: fdSync,
  fd_tell: fdTell,
  fd_write: fdWrite,
  path_create_directory: pathCreateDirectory,
  path_filestat_get: pathFilestatGet,
  path_filestat_set_times: pathFilestatSetTimes,
  path_link: pathLink,
  path_open: pathOpen,
  path_readlink: pathReadlink,
  path_remove_directory: pathRemoveDirectory,
  path_rename: pathRename,
  path_symlink: pathSymlink,
  path_unlink_file: pathUnlinkFile,
  poll_oneoff: pollOneoff,
  proc_exit: procExit,
  proc_raise: procRaise,
  sched_yield: schedYield,
  random_get: randomGet,
  sock_accept: sockAccept,
  sock_recv: sockRecv,
  sock_send: sockSend,
  sock_shutdown: sockShutdown,
};

// Every i32 parameter of preview 1 is unsigned, but the JS API hands it over as a signed number.
function unsigned(value: number | bigint | undefined): number | bigint | undefined {
  return typeof value === 'number' ? value >>> 0 : value;
}

// Wraps a call for the guest: numbers are reinterpreted as unsigned, the memory view is
// refreshed, and whatever the call throws becomes its errno (except proc_exit's unwinding and
// host bugs, which propagate). The wrapper takes the longest parameter list (path_open's nine)
// instead of a rest parameter so that a call allocates no argument array; extra arguments are
// `undefined` and ignored.
function bind(ctx: WasiContext, call: Call): WasiFunction {
  type Arg = number | bigint | undefined;
  const invoke = call as (ctx: WasiContext, ...args: Arg[]) => number;
  return ((a0: Arg, a1: Arg, a2: Arg, a3: Arg, a4: Arg, a5: Arg, a6: Arg, a7: Arg, a8: Arg): number => {
    ctx.memory.refresh();
    try {
      return invoke(ctx, unsigned(a0), unsigned(a1), unsigned(a2), unsigned(a3), unsigned(a4), unsigned(a5),
        unsigned(a6), unsigned(a7), unsigned(a8));
    } catch (thrown) {
      return errnoFromThrown(thrown);
    }
  }) as WasiFunction;
}

const encoder = new TextEncoder();

function nulTerminated(value: string, what: string): Uint8Array {
  if (value.includes('\0')) throw new WasiError(`${what} contains a NUL character: ${JSON.stringify(value)}`);
  return encoder.encode(`${value}\0`);
}

function hostFileType(fd: number): number {
  try {
    return fileTypeOf(fstatSync(fd, { bigint: true }));
  } catch {
    return FileType.UNKNOWN;
  }
}

function streamEntry(target: number | Uint8Array | ((bytes: Uint8Array) => void), rights: bigint, name: string): FdEntry {
  if (typeof target === 'number') {
    if (!Number.isInteger(target) || target < 0) throw new WasiError(`${name} must be a host fd, got ${target}`);
    const entry = new FdEntry(FdKind.STREAM, hostFileType(target), rights, 0n);
    entry.hostFd = target;
    return entry;
  }
  if (target instanceof Uint8Array) {
    const entry = new FdEntry(FdKind.STREAM, FileType.UNKNOWN, rights, 0n);
    entry.source = target;
    return entry;
  }
  if (typeof target === 'function') {
    // Reported as a terminal, so that C stdio line-buffers as it would on a console.
    const entry = new FdEntry(FdKind.STREAM, FileType.CHARACTER_DEVICE, rights, 0n);
    entry.sink = target;
    return entry;
  }
  throw new WasiError(`${name} must be a host fd or ${name === 'stdin' ? 'a Uint8Array' : 'a callback'}`);
}

function exportedMemory(instance: WasiInstance): MemoryLike {
  const memory = (instance.exports as Record<string, unknown>)['memory'];
  if (typeof memory !== 'object' || memory === null || !((memory as MemoryLike).buffer instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer !== 'undefined' && (memory as MemoryLike).buffer instanceof SharedArrayBuffer))) {
    throw new WasiError('the instance does not export its memory as "memory"');
  }
  return memory as MemoryLike;
}

function exportedFunction(instance: WasiInstance, name: string): (() => unknown) | undefined {
  const value = (instance.exports as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new WasiError(`the instance's "${name}" export is not a function`);
  return value as () => unknown;
}

/**
 * WASI preview 1 for one guest program. Create it, instantiate the module with `imports`,
 * then `start` (commands) or `initialize` (reactors) the instance once.
 */
export class WASI {
  /** The import functions, by name. */
  readonly wasiImport: Readonly<Record<string, WasiFunction>>;
  /** The import object to instantiate with: `{ wasi_snapshot_preview1: wasiImport }`. */
  readonly imports: { readonly wasi_snapshot_preview1: Readonly<Record<string, WasiFunction>> };
  private readonly ctx: WasiContext;
  private readonly returnOnExit: boolean;
  private started = false;

  constructor(options: WasiOptions = {}) {
    const args = (options.args ?? []).map((arg, i) => nulTerminated(String(arg), `args[${i}]`));
    const environ = Object.entries(options.env ?? {}).map(([key, value]) => {
      if (key.includes('=') || key.length === 0) throw new WasiError(`env key ${JSON.stringify(key)} is empty or contains '='`);
      return nulTerminated(`${key}=${String(value)}`, `env[${JSON.stringify(key)}]`);
    });
    this.ctx = new WasiContext(args, environ);
    this.returnOnExit = options.returnOnExit ?? true;

    const fds = this.ctx.fds;
    fds.set(0, streamEntry(options.stdin ?? 0, STREAM_RIGHTS & ~Rights.FD_WRITE, 'stdin'));
    fds.set(1, streamEntry(options.stdout ?? 1, STREAM_RIGHTS & ~Rights.FD_READ, 'stdout'));
    fds.set(2, streamEntry(options.stderr ?? 2, STREAM_RIGHTS & ~Rights.FD_READ, 'stderr'));
    let fd = 3;
    for (const [guestPath, hostPath] of Object.entries(options.preopens ?? {})) {
      let hostRoot: string;
      try {
        hostRoot = realpathSync(hostPath);
      } catch {
        throw new WasiError(`preopen ${JSON.stringify(guestPath)}: host directory ${JSON.stringify(hostPath)} does not exist`);
      }
      if (!statSync(hostRoot).isDirectory()) {
        throw new WasiError(`preopen ${JSON.stringify(guestPath)}: ${JSON.stringify(hostPath)} is not a directory`);
      }
      const preopen: Preopen = { guestPath, hostRoot };
      const entry = new FdEntry(FdKind.DIRECTORY, FileType.DIRECTORY, DIRECTORY_RIGHTS, DIRECTORY_RIGHTS | FILE_RIGHTS);
      entry.preopen = preopen;
      entry.preopenName = encoder.encode(guestPath);
      fds.set(fd++, entry);
    }

    const wasiImport: Record<string, WasiFunction> = {};
    for (const [name, call] of Object.entries(calls)) wasiImport[name] = bind(this.ctx, call);
    this.wasiImport = wasiImport;
    this.imports = { wasi_snapshot_preview1: wasiImport };
  }

  /**
   * Runs a command: calls `_start` and returns its exit code (0 when `_start` returns,
   * the `proc_exit` code otherwise). Files the guest left open are closed afterwards.
   */
  start(instance: WasiInstance): number {
    this.claim();
    const memory = exportedMemory(instance);
    const entry = exportedFunction(instance, '_start');
    if (entry === undefined) throw new WasiError('the instance is not a WASI command: it does not export "_start"');
    if (exportedFunction(instance, '_initialize') !== undefined) {
      throw new WasiError('the instance exports both "_start" and "_initialize"');
    }
    this.ctx.memory.bind(memory);
    let code = 0;
    try {
      entry();
    } catch (thrown) {
      if (!(thrown instanceof ProcExit)) throw thrown;
      code = thrown.code;
    } finally {
      this.ctx.fds.closeAll();
    }
    if (!this.returnOnExit) process.exit(code);
    return code;
  }

  /** Prepares a reactor: calls `_initialize` if it is exported; the host then calls its exports. */
  initialize(instance: WasiInstance): void {
    this.claim();
    const memory = exportedMemory(instance);
    if (exportedFunction(instance, '_start') !== undefined) {
      throw new WasiError('the instance is a WASI command (it exports "_start"): use start()');
    }
    const init = exportedFunction(instance, '_initialize');
    this.ctx.memory.bind(memory);
    init?.();
  }

  private claim(): void {
    if (this.started) throw new WasiError('this WASI object has already started an instance');
    this.started = true;
  }
}
