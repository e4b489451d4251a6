// WASI preview 1 error numbers and the mapping from Node's system error codes.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#errno

/** `errno` (u16): the value every `wasi_snapshot_preview1` call returns; 0 is success. */
export const Errno = {
  SUCCESS: 0,
  TOOBIG: 1, // `2big`
  ACCES: 2,
  ADDRINUSE: 3,
  ADDRNOTAVAIL: 4,
  AFNOSUPPORT: 5,
  AGAIN: 6,
  ALREADY: 7,
  BADF: 8,
  BADMSG: 9,
  BUSY: 10,
  CANCELED: 11,
  CHILD: 12,
  CONNABORTED: 13,
  CONNREFUSED: 14,
  CONNRESET: 15,
  DEADLK: 16,
  DESTADDRREQ: 17,
  DOM: 18,
  DQUOT: 19,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  HOSTUNREACH: 23,
  IDRM: 24,
  ILSEQ: 25,
  INPROGRESS: 26,
  INTR: 27,
  INVAL: 28,
  IO: 29,
  ISCONN: 30,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  MLINK: 34,
  MSGSIZE: 35,
  MULTIHOP: 36,
  NAMETOOLONG: 37,
  NETDOWN: 38,
  NETRESET: 39,
  NETUNREACH: 40,
  NFILE: 41,
  NOBUFS: 42,
  NODEV: 43,
  NOENT: 44,
  NOEXEC: 45,
  NOLCK: 46,
  NOLINK: 47,
  NOMEM: 48,
  NOMSG: 49,
  NOPROTOOPT: 50,
  NOSPC: 51,
  NOSYS: 52,
  NOTCONN: 53,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTRECOVERABLE: 56,
  NOTSOCK: 57,
  NOTSUP: 58,
  NOTTY: 59,
  NXIO: 60,
  OVERFLOW: 61,
  OWNERDEAD: 62,
  PERM: 63,
  PIPE: 64,
  PROTO: 65,
  PROTONOSUPPORT: 66,
  PROTOTYPE: 67,
  RANGE: 68,
  ROFS: 69,
  SPIPE: 70,
  SRCH: 71,
  STALE: 72,
  TIMEDOUT: 73,
  TXTBSY: 74,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;

export type ErrnoValue = (typeof Errno)[keyof typeof Errno];

// POSIX names of the host errors Node reports in `error.code`. Every WASI errno except
// `2big` (whose POSIX name is E2BIG) and `notcapable` (WASI-only) is its POSIX name
// upper-cased, so the table is derived from `Errno` instead of being written out twice.
const errnoByNodeCode: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const [name, value] of Object.entries(Errno)) {
    if (value === Errno.SUCCESS || value === Errno.NOTCAPABLE || value === Errno.TOOBIG) continue;
    map.set(`E${name}`, value);
  }
  map.set('E2BIG', Errno.TOOBIG);
  // Linux spells a few errors twice; fold the aliases onto the WASI name.
  map.set('EWOULDBLOCK', Errno.AGAIN);
  map.set('EOPNOTSUPP', Errno.NOTSUP);
  map.set('EDEADLOCK', Errno.DEADLK);
  return map;
})();

/** The WASI errno for a Node system error code such as `'ENOENT'`, or `undefined` if it has none. */
export function errnoFromNodeCode(code: string): number | undefined {
  return errnoByNodeCode.get(code);
}

/**
 * Thrown inside a call's implementation to return an errno from deep in a helper; the call
 * wrapper turns it into the return value. Allocated only on failure paths.
 */
export class WasiErrnoError extends Error {
  constructor(readonly errno: number, message?: string) {
    super(message ?? `WASI errno ${errno}`);
    this.name = 'WasiErrnoError';
  }
}

/**
 * Converts what a call threw into its errno. Host system errors (an `E…` code from `node:fs`)
 * map through the table, unknown host codes become `io`; anything else — a bug in this package
 * or the private `proc_exit` unwinding signal — is rethrown so that it is not silently hidden.
 */
export function errnoFromThrown(thrown: unknown): number {
  if (thrown instanceof WasiErrnoError) return thrown.errno;
  if (thrown instanceof Error) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      const mapped = errnoByNodeCode.get(code);
      if (mapped !== undefined) return mapped;
      if (/^E[A-Z0-9]+$/.test(code)) return Errno.IO;
      // Node rejects a path with a NUL byte before reaching the system.
      if (code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_ARG_TYPE') return Errno.INVAL;
      if (code === 'ERR_OUT_OF_RANGE') return Errno.OVERFLOW;
    }
  }
  throw thrown;
}
