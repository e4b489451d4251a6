// Checks layout.ts and errno.ts against wasi-libc: examples/wasi/layout.c prints the sizes,
// offsets and constants its own headers (wasi/api.h, generated from the spec's witx) define.
import { describe, expect, it } from 'vitest';
import { Errno } from '../src/errno.ts';
import {
  Advice, ClockId, Dirent, Event, EventRwFlags, EventType, FdFlags, Fdstat, FileType, Filestat, FstFlags, Iovec,
  LookupFlags, OFlags, PreopenType, Prestat, Rights, SdFlags, SubclockFlags, Subscription, Whence,
} from '../src/layout.ts';
import { WASI } from '../src/index.ts';
import { loadExample } from './harness.ts';

function wasiLibcFacts(): Map<string, number> {
  const chunks: Uint8Array[] = [];
  const wasi = new WASI({ args: ['layout'], stdout: (bytes) => chunks.push(bytes) });
  const instance = new WebAssembly.Instance(loadExample('layout'), wasi.imports as WebAssembly.Imports);
  expect(wasi.start(instance)).toBe(0);
  const facts = new Map<string, number>();
  for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
    if (line === '') continue;
    const [kind, name, value] = line.split(' ');
    facts.set(`${kind} ${name}`, Number(value));
  }
  return facts;
}

const facts = wasiLibcFacts();

function fact(key: string): number {
  const value = facts.get(key);
  if (value === undefined) throw new Error(`layout.c printed no "${key}"`);
  return value;
}

describe('struct layouts match wasi-libc', () => {
  it.each([
    ['size iovec', Iovec.SIZE], ['offset iovec.buf', Iovec.BUF], ['offset iovec.buf_len', Iovec.BUF_LEN],
    ['size fdstat', Fdstat.SIZE], ['offset fdstat.fs_filetype', Fdstat.FILETYPE], ['offset fdstat.fs_flags', Fdstat.FLAGS],
    ['offset fdstat.fs_rights_base', Fdstat.RIGHTS_BASE], ['offset fdstat.fs_rights_inheriting', Fdstat.RIGHTS_INHERITING],
    ['size filestat', Filestat.SIZE], ['offset filestat.dev', Filestat.DEV], ['offset filestat.ino', Filestat.INO],
    ['offset filestat.filetype', Filestat.FILETYPE], ['offset filestat.nlink', Filestat.NLINK],
    ['offset filestat.size', Filestat.SIZE_FIELD], ['offset filestat.atim', Filestat.ATIM],
    ['offset filestat.mtim', Filestat.MTIM], ['offset filestat.ctim', Filestat.CTIM],
    ['size prestat', Prestat.SIZE], ['offset prestat.tag', Prestat.TAG], ['offset prestat.u.dir.pr_name_len', Prestat.DIR_NAME_LEN],
    ['size dirent', Dirent.SIZE], ['offset dirent.d_next', Dirent.NEXT], ['offset dirent.d_ino', Dirent.INO],
    ['offset dirent.d_namlen', Dirent.NAMLEN], ['offset dirent.d_type', Dirent.TYPE],
    ['size subscription', Subscription.SIZE], ['offset subscription.userdata', Subscription.USERDATA],
    ['offset subscription.u.tag', Subscription.TAG], ['offset subscription.clock.id', Subscription.CLOCK_ID],
    ['offset subscription.clock.timeout', Subscription.CLOCK_TIMEOUT],
    ['offset subscription.clock.precision', Subscription.CLOCK_PRECISION],
    ['offset subscription.clock.flags', Subscription.CLOCK_FLAGS], ['offset subscription.fd', Subscription.FD],
    ['size event', Event.SIZE], ['offset event.userdata', Event.USERDATA], ['offset event.error', Event.ERROR],
    ['offset event.type', Event.TYPE], ['offset event.nbytes', Event.NBYTES], ['offset event.flags', Event.FLAGS],
  ])('%s = %i', (key, value) => {
    expect(value).toBe(fact(key));
  });
});

describe('constants match wasi-libc', () => {
  it('every errno', () => {
    for (const [name, value] of Object.entries(Errno)) {
      expect([name, value]).toEqual([name, fact(`const ERRNO_${name === 'TOOBIG' ? '2BIG' : name}`)]);
    }
    const errnoFacts = [...facts.keys()].filter((k) => k.startsWith('const ERRNO_'));
    expect(Object.keys(Errno)).toHaveLength(errnoFacts.length);
  });

  it('every right', () => {
    for (const [name, value] of Object.entries(Rights)) expect([name, value]).toEqual([name, BigInt(fact(`const RIGHTS_${name}`))]);
    expect(Object.keys(Rights)).toHaveLength([...facts.keys()].filter((k) => k.startsWith('const RIGHTS_')).length);
  });

  it.each([
    ['FILETYPE', FileType], ['FDFLAGS', FdFlags], ['OFLAGS', OFlags], ['LOOKUPFLAGS', LookupFlags], ['FSTFLAGS', FstFlags],
    ['WHENCE', Whence], ['ADVICE', Advice], ['CLOCKID', ClockId], ['EVENTTYPE', EventType], ['EVENTRWFLAGS', EventRwFlags],
    ['PREOPENTYPE', PreopenType], ['SDFLAGS', SdFlags],
  ] as [string, Record<string, number>][])('%s', (prefix, table) => {
    for (const [name, value] of Object.entries(table)) expect([name, value]).toEqual([name, fact(`const ${prefix}_${name}`)]);
  });

  it('SUBCLOCKFLAGS', () => {
    expect(SubclockFlags.ABSTIME).toBe(fact('const SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME'));
  });
});
