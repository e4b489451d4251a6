// The mapping from Node's system error codes to WASI errno values.
import { readFileSync, rmdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Errno, WasiErrnoError, errnoFromNodeCode, errnoFromThrown } from '../src/errno.ts';
import { ProcExit } from '../src/calls/proc.ts';
import { tempDir } from './harness.ts';

describe('errnoFromNodeCode', () => {
  // The values are the spec's (cross-checked against wasi-libc in layout.test.ts).
  it.each([
    ['ENOENT', 44], ['EEXIST', 20], ['EBADF', 8], ['EACCES', 2], ['ENOTDIR', 54], ['EISDIR', 31], ['ENOTEMPTY', 55],
    ['EINVAL', 28], ['ELOOP', 32], ['ENAMETOOLONG', 37], ['EPERM', 63], ['E2BIG', 1], ['EAGAIN', 6], ['EWOULDBLOCK', 6],
    ['ENOSPC', 51], ['EXDEV', 75], ['EMFILE', 33], ['ESPIPE', 70], ['EROFS', 69], ['EFBIG', 22], ['EBUSY', 10],
    ['ENOSYS', 52], ['EOPNOTSUPP', 58], ['ENOTSUP', 58], ['EIO', 29], ['EPIPE', 64], ['EMLINK', 34], ['ETXTBSY', 74],
  ])('%s -> %i', (code, errno) => {
    expect(errnoFromNodeCode(code)).toBe(errno);
  });

  it('has no entry for codes WASI does not know', () => {
    expect(errnoFromNodeCode('ENOTCAPABLE')).toBeUndefined();
    expect(errnoFromNodeCode('EWHATEVER')).toBeUndefined();
  });
});

describe('errnoFromThrown', () => {
  const dir = tempDir('errno');

  function thrownBy(action: () => unknown): unknown {
    try {
      action();
    } catch (error) {
      return error;
    }
    throw new Error('expected the action to throw');
  }

  it('maps real node:fs failures', () => {
    writeFileSync(join(dir, 'file'), 'x');
    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full/x'), 'x');
    expect(errnoFromThrown(thrownBy(() => readFileSync(join(dir, 'missing'))))).toBe(Errno.NOENT);
    expect(errnoFromThrown(thrownBy(() => mkdirSync(join(dir, 'file'))))).toBe(Errno.EXIST);
    expect(errnoFromThrown(thrownBy(() => readFileSync(join(dir, 'file/below'))))).toBe(Errno.NOTDIR);
    expect(errnoFromThrown(thrownBy(() => readFileSync(dir)))).toBe(Errno.ISDIR);
    expect(errnoFromThrown(thrownBy(() => rmdirSync(join(dir, 'full'))))).toBe(Errno.NOTEMPTY);
    expect(errnoFromThrown(thrownBy(() => readFileSync(join(dir, 'x'.repeat(300)))))).toBe(Errno.NAMETOOLONG);
  });

  it('passes WasiErrnoError through and maps an unknown host code to io', () => {
    expect(errnoFromThrown(new WasiErrnoError(Errno.NOTCAPABLE))).toBe(76);
    expect(errnoFromThrown(Object.assign(new Error('odd'), { code: 'ESOMETHINGNEW' }))).toBe(Errno.IO);
  });

  it('rethrows what is not a host error, so bugs and proc_exit are not turned into errnos', () => {
    const bug = new TypeError('bug');
    expect(() => errnoFromThrown(bug)).toThrow(bug);
    const exit = new ProcExit(3);
    expect(() => errnoFromThrown(exit)).toThrow(exit);
  });
});
