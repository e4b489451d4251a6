// Constants and struct layouts of `wasi_snapshot_preview1`, defined once and read by every call.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md (types section)
// All structs are little-endian in linear memory and use C layout on wasm32 (pointers are 4 bytes).
// `test/layout.test.ts` checks every offset below against wasi-libc's own headers.

/** `rights` (u64 bit set): what an fd may do. One bit per operation. */
export const Rights = {
  FD_DATASYNC: 1n << 0n,
  FD_READ: 1n << 1n,
  FD_SEEK: 1n << 2n,
  FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n,
  FD_TELL: 1n << 5n,
  FD_WRITE: 1n << 6n,
  FD_ADVISE: 1n << 7n,
  FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n,
  PATH_CREATE_FILE: 1n << 10n,
  PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n,
  PATH_OPEN: 1n << 13n,
  FD_READDIR: 1n << 14n,
  PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n,
  PATH_RENAME_TARGET: 1n << 17n,
  PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n,
  PATH_FILESTAT_SET_TIMES: 1n << 20n,
  FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n,
  FD_FILESTAT_SET_TIMES: 1n << 23n,
  PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n,
  PATH_UNLINK_FILE: 1n << 26n,
  POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n,
  SOCK_ACCEPT: 1n << 29n,
} as const;

/** Rights that mean something on a regular file. */
export const FILE_RIGHTS =
  Rights.FD_DATASYNC | Rights.FD_READ | Rights.FD_SEEK | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.FD_TELL | Rights.FD_WRITE | Rights.FD_ADVISE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FILESTAT_SET_TIMES | Rights.POLL_FD_READWRITE;

/** Rights that mean something on a directory. */
export const DIRECTORY_RIGHTS =
  Rights.FD_DATASYNC | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.PATH_CREATE_DIRECTORY | Rights.PATH_CREATE_FILE | Rights.PATH_LINK_SOURCE | Rights.PATH_LINK_TARGET |
  Rights.PATH_OPEN | Rights.FD_READDIR | Rights.PATH_READLINK | Rights.PATH_RENAME_SOURCE |
  Rights.PATH_RENAME_TARGET | Rights.PATH_FILESTAT_GET | Rights.PATH_FILESTAT_SET_SIZE |
  Rights.PATH_FILESTAT_SET_TIMES | Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_TIMES |
  Rights.PATH_SYMLINK | Rights.PATH_REMOVE_DIRECTORY | Rights.PATH_UNLINK_FILE | Rights.POLL_FD_READWRITE;

/** Rights of a stream (a terminal, pipe or callback sink): no seeking, no paths. */
export const STREAM_RIGHTS =
  Rights.FD_READ | Rights.FD_WRITE | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC | Rights.FD_DATASYNC |
  Rights.FD_FILESTAT_GET | Rights.POLL_FD_READWRITE;

/** Every right the spec defines; a guest may pass other bits, which mean nothing. */
export const ALL_RIGHTS = (1n << 30n) - 1n;

/** `filetype` (u8). */
export const FileType = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

/** `fdflags` (u16). */
export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const FDFLAGS_ALL = 31;

/** `oflags` (u16): `path_open` creation flags. */
export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const OFLAGS_ALL = 15;

/** `lookupflags` (u32). */
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;

/** `fstflags` (u16): which timestamps `*_set_times` changes. */
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;

/** `whence` (u8). */
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

/** `advice` (u8): the largest valid value is `noreuse`. */
export const Advice = { NORMAL: 0, SEQUENTIAL: 1, RANDOM: 2, WILLNEED: 3, DONTNEED: 4, NOREUSE: 5 } as const;

/** `clockid` (u32). */
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3 } as const;

/** `eventtype` (u8). */
export const EventType = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;

/** `eventrwflags` (u16). */
export const EventRwFlags = { FD_READWRITE_HANGUP: 1 } as const;

/** `subclockflags` (u16). */
export const SubclockFlags = { ABSTIME: 1 } as const;

/** `preopentype` (u8): only directories exist in preview 1. */
export const PreopenType = { DIR: 0 } as const;

/** `sdflags` (u8) for `sock_shutdown`. */
export const SdFlags = { RD: 1, WR: 2 } as const;

/** `iovec` / `ciovec`: a guest buffer. */
export const Iovec = {
  SIZE: 8,
  BUF: 0, // u32 pointer to the bytes
  BUF_LEN: 4, // u32 length in bytes
} as const;

/** `fdstat`: what `fd_fdstat_get` writes. */
export const Fdstat = {
  SIZE: 24,
  FILETYPE: 0, // u8 filetype
  FLAGS: 2, // u16 fdflags (after one byte of padding)
  RIGHTS_BASE: 8, // u64 rights (aligned to 8)
  RIGHTS_INHERITING: 16, // u64 rights given to fds opened through this one
} as const;

/** `filestat`: what `fd_filestat_get` and `path_filestat_get` write. */
export const Filestat = {
  SIZE: 64,
  DEV: 0, // u64 device id
  INO: 8, // u64 inode
  FILETYPE: 16, // u8 filetype, then 7 bytes of padding
  NLINK: 24, // u64 hard link count
  SIZE_FIELD: 32, // u64 size in bytes (named `size` in the spec)
  ATIM: 40, // u64 last access, ns since the epoch
  MTIM: 48, // u64 last modification
  CTIM: 56, // u64 last status change
} as const;

/** `prestat`: a tagged union whose only variant is `dir`. */
export const Prestat = {
  SIZE: 8,
  TAG: 0, // u8 preopentype
  DIR_NAME_LEN: 4, // u32 length of the preopen's guest path (aligned to 4)
} as const;

/** `dirent`: the fixed header `fd_readdir` writes before each (unterminated) name. */
export const Dirent = {
  SIZE: 24,
  NEXT: 0, // u64 dircookie of the next entry
  INO: 8, // u64 inode
  NAMLEN: 16, // u32 name length in bytes
  TYPE: 20, // u8 filetype, then 3 bytes of padding
} as const;

/** `subscription`: one input to `poll_oneoff`. */
export const Subscription = {
  SIZE: 48,
  USERDATA: 0, // u64 copied to the event
  TAG: 8, // u8 eventtype: the union's tag
  // union body at 16 (the union is 8-aligned because `subscription_clock` holds u64s)
  CLOCK_ID: 16, // u32 clockid
  CLOCK_TIMEOUT: 24, // u64 timestamp, absolute or relative
  CLOCK_PRECISION: 32, // u64 allowed slack
  CLOCK_FLAGS: 40, // u16 subclockflags
  FD: 16, // u32 fd of an fd_read / fd_write subscription
} as const;

/** `event`: one output of `poll_oneoff`. */
export const Event = {
  SIZE: 32,
  USERDATA: 0, // u64 from the subscription
  ERROR: 8, // u16 errno
  TYPE: 10, // u8 eventtype
  NBYTES: 16, // u64 bytes available (fd events only)
  FLAGS: 24, // u16 eventrwflags (fd events only)
} as const;

/** Limits of the spec's integer types. */
export const U64_MAX = (1n << 64n) - 1n;
