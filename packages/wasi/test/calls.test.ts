// Direct calls into the import functions with a hand-made memory: rights, bounds, errno
// values and struct contents that C programs do not reach easily.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Errno, WASI, WasiError } from '../src/index.ts';
import { FILE_RIGHTS, FdFlags, FileType, Rights } from '../src/layout.ts';
import { loadExample, tempDir } from './harness.ts';

const RET = 0; // 8 bytes of results
const RET2 = 8;
const IOV = 64; // iovec array
const STR = 1024; // path strings
const BUF = 4096; // data
const READ = Rights.FD_READ | Rights.FD_SEEK | Rights.FD_TELL | Rights.FD_FILESTAT_GET;

function setup(options: ConstructorParameters<typeof WASI>[0] = {}) {
  const sandbox = options.preopens?.['/sb'] ?? tempDir('calls');
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const wasi = new WASI({ preopens: { '/sb': sandbox }, ...options });
  wasi.initialize({ exports: { memory } });
  const w = wasi.wasiImport as Record<string, (...args: (number | bigint)[]) => number>;
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  const str = (s: string, at = STR): [number, number] => {
    const encoded = new TextEncoder().encode(s);
    bytes().set(encoded, at);
    return [at, encoded.length];
  };
  const open = (path: string, oflags = 0, rights = READ, fdflags = 0, lookup = 1): number => {
    const errno = w.path_open!(3, lookup, ...str(path), oflags, rights, 0n, fdflags, RET);
    return errno === 0 ? view().getUint32(RET, true) : -errno;
  };
  const iov = (ptr: number, len: number, index = 0) => {
    view().setUint32(IOV + index * 8, ptr, true);
    view().setUint32(IOV + index * 8 + 4, len, true);
  };
  return { sandbox, memory, wasi, w, view, bytes, str, open, iov };
}

describe('preopens', () => {
  it('fd_prestat_get and fd_prestat_dir_name describe fd 3', () => {
    const { w, view, bytes } = setup();
    expect(w.fd_prestat_get!(3, RET)).toBe(0);
    expect(view().getUint8(RET)).toBe(0); // preopentype dir
    expect(view().getUint32(RET + 4, true)).toBe(3); // "/sb"
    expect(w.fd_prestat_dir_name!(3, BUF, 2)).toBe(Errno.NAMETOOLONG);
    expect(w.fd_prestat_dir_name!(3, BUF, 3)).toBe(0);
    expect(new TextDecoder().decode(bytes().subarray(BUF, BUF + 3))).toBe('/sb');
    expect(w.fd_prestat_get!(0, RET)).toBe(Errno.BADF);
    expect(w.fd_prestat_get!(4, RET)).toBe(Errno.BADF);
  });
});

describe('rights', () => {
  it('a read-only fd cannot write, and its fdstat says so', () => {
    const { w, sandbox, view, open, iov, str } = setup();
    writeFileSync(join(sandbox, 'r.txt'), 'abc');
    const fd = open('r.txt');
    expect(fd).toBeGreaterThan(3);
    iov(BUF, 3);
    expect(w.fd_write!(fd, IOV, 1, RET)).toBe(Errno.NOTCAPABLE);
    expect(w.fd_read!(fd, IOV, 1, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(3);
    expect(w.fd_fdstat_get!(fd, BUF)).toBe(0);
    expect(view().getUint8(BUF)).toBe(FileType.REGULAR_FILE);
    expect(view().getBigUint64(BUF + 8, true)).toBe(READ & FILE_RIGHTS);
    expect(readFileSync(join(sandbox, 'r.txt'), 'utf8')).toBe('abc');
    // fd_pwrite, fd_filestat_set_size and fd_allocate need write rights too
    expect(w.fd_pwrite!(fd, IOV, 1, 0n, RET)).toBe(Errno.NOTCAPABLE);
    expect(w.fd_filestat_set_size!(fd, 0n)).toBe(Errno.NOTCAPABLE);
    expect(w.fd_allocate!(fd, 0n, 10n)).toBe(Errno.NOTCAPABLE);
    // path calls on a file fd: not a directory
    expect(w.path_create_directory!(fd, ...str('x'))).toBe(Errno.NOTDIR);
  });

  it('rights can be dropped but never regained, and bound what path_open hands out', () => {
    const { w, open } = setup();
    const dirRights = Rights.PATH_OPEN | Rights.PATH_FILESTAT_GET;
    expect(w.fd_fdstat_set_rights!(3, dirRights, READ)).toBe(0);
    expect(w.fd_fdstat_set_rights!(3, dirRights | Rights.PATH_CREATE_FILE, READ)).toBe(Errno.NOTCAPABLE);
    expect(w.fd_fdstat_set_rights!(3, dirRights, READ | Rights.FD_WRITE)).toBe(Errno.NOTCAPABLE);
    expect(open('new.txt', 1 /* creat */, Rights.FD_WRITE)).toBe(-Errno.NOTCAPABLE);
    expect(open('.', 0, Rights.FD_WRITE)).toBe(-Errno.NOTCAPABLE); // beyond the inheriting rights
    expect(open('.', 2 /* directory */, Rights.FD_READ)).toBeGreaterThan(3);
  });

  it('a directory cannot be opened for writing or read as a file', () => {
    const { w, open, iov } = setup();
    expect(open('.', 0, Rights.FD_WRITE)).toBe(-Errno.ISDIR);
    iov(BUF, 4);
    expect(w.fd_read!(3, IOV, 1, RET)).toBe(Errno.ISDIR);
    expect(w.fd_write!(3, IOV, 1, RET)).toBe(Errno.ISDIR);
  });
});

describe('hostile arguments', () => {
  it('out-of-bounds pointers and lengths are faults, never exceptions or huge allocations', () => {
    const { w, memory, iov, str } = setup();
    const size = memory.buffer.byteLength;
    expect(w.fd_write!(1, size - 4, 1, RET)).toBe(Errno.FAULT);
    expect(w.fd_write!(1, IOV, 0x7fffffff, RET)).toBe(Errno.FAULT);
    expect(w.fd_write!(1, IOV, -1, RET)).toBe(Errno.FAULT); // i32 -1 is u32 0xffffffff
    iov(size - 2, 100);
    expect(w.fd_write!(1, IOV, 1, RET)).toBe(Errno.FAULT);
    expect(w.path_open!(3, 0, size - 1, 10, 0, READ, 0n, 0, RET)).toBe(Errno.FAULT);
    expect(w.random_get!(size - 10, 11)).toBe(Errno.FAULT);
    expect(w.random_get!(BUF, 0)).toBe(0);
    expect(w.args_sizes_get!(size, RET)).toBe(Errno.FAULT);
    expect(w.clock_time_get!(1, 0n, -8)).toBe(Errno.FAULT);
    expect(w.fd_readdir!(3, BUF, 0x7fffffff, 0n, RET)).toBe(Errno.FAULT);
    expect(w.poll_oneoff!(BUF, BUF + 48, 0x100000, RET)).toBe(Errno.FAULT);
    expect(w.path_create_directory!(3, ...str('ok'))).toBe(0); // the instance still works
  });

  it('bad fds, bad flags, bad enums and bad UTF-8 get their errno', () => {
    const { w, bytes, str, open } = setup();
    expect(w.fd_read!(42, IOV, 0, RET)).toBe(Errno.BADF);
    expect(w.fd_close!(42)).toBe(Errno.BADF);
    expect(w.fd_seek!(1, 0n, 0, RET)).toBe(Errno.SPIPE);
    expect(w.clock_time_get!(9, 0n, RET)).toBe(Errno.INVAL);
    expect(w.clock_res_get!(4, RET)).toBe(Errno.INVAL);
    expect(w.path_open!(3, 0, ...str('x'), 0x10, READ, 0n, 0, RET)).toBe(Errno.INVAL);
    expect(w.path_open!(3, 0, ...str('x'), 1, READ, 0n, 0x20, RET)).toBe(Errno.INVAL);
    bytes().set([0x61, 0xff, 0xfe], STR);
    expect(w.path_open!(3, 0, STR, 3, 0, READ, 0n, 0, RET)).toBe(Errno.ILSEQ);
    expect(w.path_open!(3, 0, ...str('a\0b'), 0, READ, 0n, 0, RET)).toBe(Errno.INVAL);
    expect(open('')).toBe(-Errno.NOENT);
    const fd = open('f', 1, READ);
    expect(w.fd_seek!(fd, 0n, 3, RET)).toBe(Errno.INVAL);
    expect(w.fd_seek!(fd, -1n, 0, RET)).toBe(Errno.INVAL);
    expect(w.fd_advise!(fd, 0n, 0n, 6)).toBe(Errno.NOTCAPABLE); // no FD_ADVISE right asked for
    expect(w.fd_fdstat_set_flags!(1, 0x40)).toBe(Errno.INVAL);
    expect(w.fd_filestat_set_times!(3, 0n, 0n, 1 | 2)).toBe(Errno.INVAL);
    expect(w.fd_filestat_set_times!(3, 0n, 0n, 4 | 8)).toBe(Errno.INVAL);
    expect(w.poll_oneoff!(BUF, BUF + 48, 0, RET)).toBe(Errno.INVAL);
  });
});

describe('files through fds', () => {
  it('scatter/gather, seek, tell, pread/pwrite, append, allocate, set_size', () => {
    const { w, sandbox, view, bytes, open, iov } = setup();
    const rw = READ | Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FDSTAT_SET_FLAGS |
      Rights.FD_FILESTAT_SET_TIMES;
    const fd = open('data', 1 | 8, rw);
    bytes().set(new TextEncoder().encode('hello world'), BUF);
    iov(BUF, 5, 0);
    iov(BUF + 5, 6, 1);
    expect(w.fd_write!(fd, IOV, 2, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(11);
    expect(w.fd_tell!(fd, RET)).toBe(0);
    expect(view().getBigUint64(RET, true)).toBe(11n);
    expect(w.fd_seek!(fd, -5n, 2, RET)).toBe(0);
    expect(view().getBigUint64(RET, true)).toBe(6n);
    iov(BUF + 100, 2, 0);
    iov(BUF + 200, 10, 1);
    expect(w.fd_read!(fd, IOV, 2, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(5);
    expect(new TextDecoder().decode(bytes().subarray(BUF + 100, BUF + 102))).toBe('wo');
    expect(new TextDecoder().decode(bytes().subarray(BUF + 200, BUF + 203))).toBe('rld');
    iov(BUF, 5);
    expect(w.fd_pwrite!(fd, IOV, 1, 6n, RET)).toBe(0);
    expect(w.fd_tell!(fd, RET)).toBe(0);
    expect(view().getBigUint64(RET, true)).toBe(11n); // pwrite does not move the position
    expect(readFileSync(join(sandbox, 'data'), 'utf8')).toBe('hello hello');
    expect(w.fd_fdstat_set_flags!(fd, FdFlags.APPEND)).toBe(0);
    expect(w.fd_seek!(fd, 0n, 0, RET)).toBe(0);
    iov(BUF, 1);
    expect(w.fd_write!(fd, IOV, 1, RET)).toBe(0);
    expect(readFileSync(join(sandbox, 'data'), 'utf8')).toBe('hello helloh');
    expect(w.fd_allocate!(fd, 10n, 10n)).toBe(0);
    expect(statSync(join(sandbox, 'data')).size).toBe(20);
    expect(w.fd_filestat_set_size!(fd, 4n)).toBe(0);
    expect(w.fd_filestat_get!(fd, BUF)).toBe(0);
    expect(view().getUint8(BUF + 16)).toBe(FileType.REGULAR_FILE);
    expect(view().getBigUint64(BUF + 32, true)).toBe(4n);
    expect(view().getBigUint64(BUF + 24, true)).toBe(1n); // nlink
    expect(w.fd_filestat_set_times!(fd, 0n, 1_500_000_000_000_000_000n, 4)).toBe(0);
    expect(statSync(join(sandbox, 'data')).mtimeMs).toBe(1_500_000_000_000);
    expect(w.fd_sync!(fd)).toBe(Errno.NOTCAPABLE); // FD_SYNC was not requested
    expect(w.fd_close!(fd)).toBe(0);
    expect(w.fd_close!(fd)).toBe(Errno.BADF);
  });

  it('fd_renumber moves an open file onto another number', () => {
    const { w, sandbox, view, bytes, open, iov } = setup();
    writeFileSync(join(sandbox, 'in.txt'), 'from file');
    const fd = open('in.txt');
    expect(w.fd_renumber!(fd, 0)).toBe(0);
    expect(w.fd_read!(fd, IOV, 0, RET)).toBe(Errno.BADF);
    iov(BUF, 20);
    expect(w.fd_read!(0, IOV, 1, RET)).toBe(0);
    expect(new TextDecoder().decode(bytes().subarray(BUF, BUF + view().getUint32(RET, true)))).toBe('from file');
    expect(w.fd_renumber!(0, 77)).toBe(Errno.BADF);
  });

  it('works after the memory grows (the buffer is re-read on every call)', () => {
    const { w, memory, sandbox, bytes, open, view } = setup();
    const fd = open('grown', 1, READ | Rights.FD_WRITE);
    memory.grow(1);
    const far = 65536 + 100;
    bytes().set(new TextEncoder().encode('far away'), far);
    view().setUint32(far + 16, far, true);
    view().setUint32(far + 20, 8, true);
    expect(w.fd_write!(fd, far + 16, 1, far + 32)).toBe(0);
    expect(view().getUint32(far + 32, true)).toBe(8);
    expect(readFileSync(join(sandbox, 'grown'), 'utf8')).toBe('far away');
  });
});

describe('directories and paths', () => {
  it('fd_readdir pages through entries with cookies and truncates into small buffers', () => {
    const { w, sandbox, view, bytes, open } = setup();
    for (const name of ['c', 'a', 'bb']) writeFileSync(join(sandbox, name), name);
    mkdirSync(join(sandbox, 'd'));
    symlinkSync('a', join(sandbox, 'l'));
    const dir = open('.', 2, Rights.FD_READDIR);
    const seen: [string, number, bigint][] = [];
    let cookie = 0n;
    // A 40-byte buffer holds one 24-byte header and its name, then the start of the next
    // entry's header; the next call starts again at the first entry's cookie.
    for (let calls = 0; calls < 50; calls++) {
      expect(w.fd_readdir!(dir, BUF, 40, cookie, RET)).toBe(0);
      const used = view().getUint32(RET, true);
      if (used === 0) break;
      const namlen = view().getUint32(BUF + 16, true);
      expect(used === 40 || used === 24 + namlen).toBe(true);
      seen.push([new TextDecoder().decode(bytes().subarray(BUF + 24, BUF + 24 + namlen)), view().getUint8(BUF + 20), view().getBigUint64(BUF + 8, true)]);
      cookie = view().getBigUint64(BUF, true);
    }
    expect(seen.map(([name, type]) => [name, type])).toEqual([
      ['.', FileType.DIRECTORY], ['..', FileType.DIRECTORY], ['a', FileType.REGULAR_FILE], ['bb', FileType.REGULAR_FILE],
      ['c', FileType.REGULAR_FILE], ['d', FileType.DIRECTORY], ['l', FileType.SYMBOLIC_LINK],
    ]);
    expect(seen[2]![2]).toBe(BigInt(statSync(join(sandbox, 'a')).ino));
    // A buffer too small for even one header is filled completely (the caller must grow it).
    expect(w.fd_readdir!(dir, BUF, 10, 0n, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(10);
    // A cookie past the end gives nothing.
    expect(w.fd_readdir!(dir, BUF, 100, 1000n, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(0);
    expect(w.fd_readdir!(1, BUF, 100, 0n, RET)).toBe(Errno.NOTDIR);
  });

  it('path calls follow POSIX on trailing slashes, dot entries and symlinks', () => {
    const { w, sandbox, view, bytes, str } = setup();
    writeFileSync(join(sandbox, 'file'), 'x');
    mkdirSync(join(sandbox, 'dir'));
    symlinkSync('file', join(sandbox, 'link'));
    expect(w.path_unlink_file!(3, ...str('file/'))).toBe(Errno.NOTDIR);
    expect(w.path_unlink_file!(3, ...str('dir/'))).toBe(Errno.ISDIR);
    expect(w.path_unlink_file!(3, ...str('dir'))).toBe(Errno.ISDIR);
    expect(w.path_remove_directory!(3, ...str('.'))).toBe(Errno.INVAL);
    expect(w.path_remove_directory!(3, ...str('dir/..'))).toBe(Errno.NOTEMPTY);
    expect(w.path_remove_directory!(3, ...str('link'))).toBe(Errno.NOTDIR);
    expect(w.path_create_directory!(3, ...str('dir'))).toBe(Errno.EXIST);
    expect(w.path_create_directory!(3, ...str('missing/dir'))).toBe(Errno.NOENT);
    expect(w.path_filestat_get!(3, 0, ...str('link'), BUF)).toBe(0);
    expect(view().getUint8(BUF + 16)).toBe(FileType.SYMBOLIC_LINK);
    expect(w.path_filestat_get!(3, 1, ...str('link'), BUF)).toBe(0);
    expect(view().getUint8(BUF + 16)).toBe(FileType.REGULAR_FILE);
    expect(w.path_readlink!(3, ...str('link'), BUF, 2, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(2); // truncated, as readlink(2) does
    expect(new TextDecoder().decode(bytes().subarray(BUF, BUF + 2))).toBe('fi');
    expect(w.path_readlink!(3, ...str('file'), BUF, 10, RET)).toBe(Errno.INVAL);
    expect(w.path_symlink!(...str('file', STR + 100), 3, ...str('link'))).toBe(Errno.EXIST);
    expect(w.path_link!(3, 0, ...str('dir', STR + 100), 3, ...str('dir2'))).toBe(Errno.PERM);
    expect(w.path_rename!(3, ...str('file', STR + 100), 3, ...str('dir/moved'))).toBe(0);
    expect(readFileSync(join(sandbox, 'dir/moved'), 'utf8')).toBe('x');
    expect(w.path_filestat_set_times!(3, 0, ...str('dir/moved'), 2_000_000_000_000_000_000n, 0n, 1)).toBe(0);
    expect(statSync(join(sandbox, 'dir/moved')).atimeMs).toBe(2_000_000_000_000);
  });
});

describe('stale directory fds', () => {
  // A directory fd names a place in the tree, and the guest can later swap a directory on
  // its path for a symlink. Links that each stay inside on their own can combine, through the
  // kernel's physical `..`, into a way out: d/c -> '..' and d/a -> 'c/../../outside' are both
  // lexically inside, yet d/a leads to <root>/outside. Every use of a directory fd must
  // therefore walk its path again instead of handing it to the host.
  it('cannot be turned into a way out by replacing a directory on its path', () => {
    const root = tempDir('stale');
    const sandbox = join(root, 'sandbox');
    const outside = join(root, 'outside');
    mkdirSync(join(outside, 'v'), { recursive: true });
    writeFileSync(join(outside, 'v', 'secret.txt'), 'top secret');
    mkdirSync(join(sandbox, 'w', 'v'), { recursive: true });
    mkdirSync(join(sandbox, 'd'));
    const { w, view, bytes, str } = setup({ preopens: { '/sb': sandbox } });
    const dirRights = Rights.FD_READDIR | Rights.PATH_OPEN | Rights.FD_FILESTAT_GET | Rights.PATH_FILESTAT_GET;
    expect(w.path_open!(3, 0, ...str('w/v'), 2, dirRights, Rights.FD_READ, 0, RET)).toBe(0);
    const stale = view().getUint32(RET, true);
    // Each link is lexically inside: d/c -> .. is the root, d/a -> c/../outside climbs back to d.
    expect(w.path_symlink!(...str('..', STR + 200), 3, ...str('d/c'))).toBe(0);
    expect(w.path_symlink!(...str('c/../outside', STR + 200), 3, ...str('d/a'))).toBe(0);
    expect(w.path_rename!(3, ...str('w', STR + 200), 3, ...str('w2'))).toBe(0);
    expect(w.path_symlink!(...str('d/a', STR + 200), 3, ...str('w'))).toBe(0);
    // The host kernel would take w/v to <root>/outside/v; our walk refuses it.
    const [ptr, len] = str('secret.txt');
    expect(w.path_open!(stale, 0, ptr, len, 0, Rights.FD_READ, 0n, 0, RET)).toBe(Errno.NOTCAPABLE);
    expect(w.path_filestat_get!(stale, 0, ptr, len, BUF)).toBe(Errno.NOTCAPABLE);
    bytes().fill(0, BUF, BUF + 256);
    expect(w.fd_readdir!(stale, BUF, 256, 0n, RET)).toBe(Errno.NOTCAPABLE);
    expect(new TextDecoder().decode(bytes().subarray(BUF, BUF + 256))).not.toContain('secret');
    expect(w.fd_filestat_get!(stale, BUF)).toBe(Errno.NOTCAPABLE);
    expect(readFileSync(join(outside, 'v', 'secret.txt'), 'utf8')).toBe('top secret');
  });
});

describe('poll_oneoff', () => {
  it('reports fd readiness at once and clock timeouts after the wait', () => {
    const { w, sandbox, view, open } = setup();
    writeFileSync(join(sandbox, 'ready'), '12345');
    const fd = open('ready', 0, READ | Rights.POLL_FD_READWRITE);
    const sub = (index: number, userdata: bigint, tag: number, fdOrClock: number, timeout = 0n, flags = 0) => {
      const at = BUF + index * 48;
      new Uint8Array(view().buffer, at, 48).fill(0);
      view().setBigUint64(at, userdata, true);
      view().setUint8(at + 8, tag);
      view().setUint32(at + 16, fdOrClock, true);
      view().setBigUint64(at + 24, timeout, true);
      view().setUint16(at + 40, flags, true);
    };
    const out = BUF + 1024;
    sub(0, 11n, 1, fd); // fd_read on a file: ready, 5 bytes
    sub(1, 12n, 2, 99); // fd_write on a bad fd: an event carrying badf
    sub(2, 13n, 0, 1, 10_000_000_000n); // a 10 s clock that must not fire
    expect(w.poll_oneoff!(BUF, out, 3, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(2);
    expect(view().getBigUint64(out, true)).toBe(11n);
    expect(view().getUint16(out + 8, true)).toBe(0);
    expect(view().getUint8(out + 10)).toBe(1);
    expect(view().getBigUint64(out + 16, true)).toBe(5n);
    expect(view().getBigUint64(out + 32, true)).toBe(12n);
    expect(view().getUint16(out + 40, true)).toBe(Errno.BADF);

    sub(0, 21n, 0, 1, 10_000_000_000n); // relative monotonic 10 s: must not be waited for
    sub(1, 22n, 0, 0, 0n, 1); // absolute realtime in the past: fires at once
    let before = process.hrtime.bigint();
    expect(w.poll_oneoff!(BUF, out, 2, RET)).toBe(0);
    expect(view().getUint32(RET, true)).toBe(1);
    expect(view().getBigUint64(out, true)).toBe(22n);
    expect(process.hrtime.bigint() - before).toBeLessThan(5_000_000_000n);

    sub(0, 31n, 0, 1, 5_000_000n);
    before = process.hrtime.bigint();
    expect(w.poll_oneoff!(BUF, out, 1, RET)).toBe(0);
    expect(view().getBigUint64(out, true)).toBe(31n);
    expect(process.hrtime.bigint() - before).toBeGreaterThanOrEqual(5_000_000n);
  });
});

describe('the rest of the calls', () => {
  it('sockets are not supported, signals are not raised, yielding succeeds', () => {
    const { w } = setup();
    expect(w.sock_accept!(3, 0, RET)).toBe(Errno.NOTSUP);
    expect(w.sock_recv!(3, IOV, 1, 0, RET, RET2)).toBe(Errno.NOTSUP);
    expect(w.sock_send!(3, IOV, 1, 0, RET)).toBe(Errno.NOTSUP);
    expect(w.sock_shutdown!(3, 1)).toBe(Errno.NOTSUP);
    expect(w.sock_shutdown!(50, 1)).toBe(Errno.BADF);
    expect(w.proc_raise!(9)).toBe(Errno.NOSYS);
    expect(w.sched_yield!()).toBe(0);
  });

  it('args and environ sizes count the terminating NULs', () => {
    const { w, view } = setup({ args: ['prog', 'ä'], env: { A: '1' } });
    expect(w.args_sizes_get!(RET, RET2)).toBe(0);
    expect([view().getUint32(RET, true), view().getUint32(RET2, true)]).toEqual([2, 5 + 3]);
    expect(w.environ_sizes_get!(RET, RET2)).toBe(0);
    expect([view().getUint32(RET, true), view().getUint32(RET2, true)]).toEqual([1, 4]);
  });

  it('covers every function of wasi_snapshot_preview1', () => {
    const { wasi } = setup();
    expect(Object.keys(wasi.wasiImport).sort()).toEqual([
      'args_get', 'args_sizes_get', 'clock_res_get', 'clock_time_get', 'environ_get', 'environ_sizes_get', 'fd_advise',
      'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'fd_fdstat_set_rights',
      'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread', 'fd_prestat_dir_name',
      'fd_prestat_get', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek', 'fd_sync', 'fd_tell', 'fd_write',
      'path_create_directory', 'path_filestat_get', 'path_filestat_set_times', 'path_link', 'path_open', 'path_readlink',
      'path_remove_directory', 'path_rename', 'path_symlink', 'path_unlink_file', 'poll_oneoff', 'proc_exit',
      'proc_raise', 'random_get', 'sched_yield', 'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
    ]);
    expect(wasi.imports.wasi_snapshot_preview1).toBe(wasi.wasiImport);
  });
});

describe('the embedder API', () => {
  it('stdin bytes and stdout/stderr callbacks', () => {
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    const wasi = new WASI({ stdin: new TextEncoder().encode('piped in\n'), stdout: (b) => out.push(b), stderr: (b) => err.push(b) });
    const instance = new WebAssembly.Instance(loadExample('cat'), wasi.imports as WebAssembly.Imports);
    expect(wasi.start(instance)).toBe(0);
    expect(Buffer.concat(out).toString()).toBe('piped in\n');
    expect(Buffer.concat(err).toString()).toBe('copied 9 bytes\n');
  });

  it('start returns the proc_exit code and refuses a second start', () => {
    const wasi = new WASI({ args: ['args', '42'], stdout: () => {}, stderr: () => {} });
    const instance = new WebAssembly.Instance(loadExample('args'), wasi.imports as WebAssembly.Imports);
    expect(wasi.start(instance)).toBe(42);
    expect(() => wasi.start(instance)).toThrow(WasiError);
  });

  it('closes the files a command left open', () => {
    const sandbox = tempDir('leak');
    const wasi = new WASI({ preopens: { '/sb': sandbox } });
    const memory = new WebAssembly.Memory({ initial: 1 });
    let hostFd = -1;
    const _start = () => {
      const bytes = new Uint8Array(memory.buffer);
      bytes.set(new TextEncoder().encode('f'), 100);
      expect(wasi.wasiImport.path_open!(3, 0, 100, 1, 1, Rights.FD_READ, 0n, 0, 0)).toBe(0);
      const guestFd = new DataView(memory.buffer).getUint32(0, true);
      expect(wasi.wasiImport.fd_fdstat_get!(guestFd, 200)).toBe(0);
      hostFd = openSync(join(sandbox, 'f'), 'r'); // the next free host fd after the guest's
      closeSync(hostFd);
      wasi.wasiImport.proc_exit!(5);
    };
    expect(wasi.start({ exports: { memory, _start } })).toBe(5);
    // After start, the guest's host fd is closed: a fresh open reuses a number at or below it.
    const again = openSync(join(sandbox, 'f'), 'r');
    closeSync(again);
    expect(again).toBeLessThanOrEqual(hostFd);
  });

  it('a reactor export that calls proc_exit reaches its caller as an error naming the code', () => {
    const wasi = new WASI();
    const memory = new WebAssembly.Memory({ initial: 1 });
    wasi.initialize({ exports: { memory } });
    expect(() => wasi.wasiImport.proc_exit!(9)).toThrow('proc_exit(9)');
  });

  it('rejects bad options and instances with typed errors', () => {
    expect(() => new WASI({ preopens: { '/x': '/definitely/not/here' } })).toThrow(WasiError);
    expect(() => new WASI({ args: ['a\0b'] })).toThrow(WasiError);
    expect(() => new WASI({ env: { 'A=B': 'c' } })).toThrow(WasiError);
    expect(() => new WASI({ stdout: -1 })).toThrow(WasiError);
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(() => new WASI().start({ exports: { memory } })).toThrow(/does not export "_start"/);
    expect(() => new WASI().start({ exports: { _start: () => {} } })).toThrow(/memory/);
    expect(() => new WASI().initialize({ exports: { memory, _start: () => {} } })).toThrow(WasiError);
    expect(() => new WASI().wasiImport.fd_write!(1, 0, 0, 0)).toThrow(WasiError);
  });
});
