// Random arguments and random memory into every import: each call must return an errno
// (an integer from 0 to 76) and never throw, and nothing may appear outside the sandbox.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { WASI } from '../src/index.ts';
import { snapshotTree, tempDir } from './harness.ts';

// xorshift32: a fixed seed makes a failure reproducible.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

// proc_exit unwinds by design; poll_oneoff with random clock subscriptions would sleep for
// random (up to 584-year) timeouts, so it gets its own bounded case in calls.test.ts.
const skipped = new Set(['proc_exit', 'poll_oneoff']);

it('20000 random calls return errnos and stay inside the sandbox', () => {
  const root = tempDir('fuzz');
  const sandbox = join(root, 'sandbox');
  mkdirSync(join(sandbox, 'd'), { recursive: true });
  writeFileSync(join(sandbox, 'f'), 'file');
  writeFileSync(join(root, 'outside.txt'), 'outside');
  const outsideBefore = snapshotTree(root).filter((line) => !line.includes('sandbox'));

  const next = random(0x2545f491);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const wasi = new WASI({ preopens: { '/sb': sandbox }, stdout: () => {}, stderr: () => {}, stdin: new Uint8Array(8) });
  wasi.initialize({ exports: { memory } });
  const bytes = new Uint8Array(memory.buffer);
  const names = Object.keys(wasi.wasiImport).filter((name) => !skipped.has(name));
  // Short paths drawn from a small alphabet make the path calls reach real files often.
  const alphabet = new TextEncoder().encode('fd./');
  const arg = (): number | bigint => {
    const r = next() % 8;
    if (r === 0) return next() | 0; // any i32
    if (r === 1) return BigInt(next()) << 32n | BigInt(next());
    if (r < 4) return next() % 8; // small: fds, flags, enums
    return next() % 65600; // pointers and lengths around the memory's end
  };
  for (let i = 0; i < 20000; i++) {
    if (i % 100 === 0) for (let j = 0; j < 256; j++) bytes[next() % 2048] = next() & 0xff;
    for (let j = 0; j < 8; j++) bytes[4096 + j] = alphabet[next() % alphabet.length]!;
    const name = names[next() % names.length]!;
    const args: (number | bigint)[] = [];
    for (let j = 0; j < 10; j++) args.push(arg());
    // i64 parameters must be BigInt and i32 ones numbers, as the JS API passes them.
    const fn = wasi.wasiImport[name]!;
    const typed = typedArgs(name, args, next);
    let result: number;
    try {
      result = fn(...typed);
    } catch (error) {
      throw new Error(`${name}(${typed.join(', ')}) threw ${String(error)}`);
    }
    expect(Number.isInteger(result) && result >= 0 && result <= 76, `${name} -> ${result}`).toBe(true);
  }
  expect(snapshotTree(root).filter((line) => !line.includes('sandbox'))).toEqual(outsideBefore);
});

// Which parameters of each function are i64 (by position), from the spec's signatures.
const i64Params: Record<string, number[]> = {
  clock_time_get: [1], fd_advise: [1, 2], fd_allocate: [1, 2], fd_fdstat_set_rights: [1, 2], fd_filestat_set_size: [1],
  fd_filestat_set_times: [1, 2], fd_pread: [3], fd_pwrite: [3], fd_readdir: [3], fd_seek: [1],
  path_filestat_set_times: [4, 5], path_open: [5, 6],
};

// Where each path call takes (pointer, length) pairs, and its directory fds.
const pathParams: Record<string, { strings: number[]; dirs: number[] }> = {
  path_create_directory: { strings: [1], dirs: [0] }, path_filestat_get: { strings: [2], dirs: [0] },
  path_filestat_set_times: { strings: [2], dirs: [0] }, path_link: { strings: [2, 5], dirs: [0, 4] },
  path_open: { strings: [2], dirs: [0] }, path_readlink: { strings: [1], dirs: [0] },
  path_remove_directory: { strings: [1], dirs: [0] }, path_rename: { strings: [1, 4], dirs: [0, 3] },
  path_symlink: { strings: [0, 3], dirs: [2] }, path_unlink_file: { strings: [1], dirs: [0] },
};

function typedArgs(name: string, args: (number | bigint)[], next: () => number): (number | bigint)[] {
  const wide = i64Params[name] ?? [];
  const paths = pathParams[name];
  if (paths !== undefined && next() % 4 !== 0) {
    // Mostly well-formed: the preopen and a short path from the generated region.
    for (const dir of paths.dirs) args[dir] = 3;
    for (const at of paths.strings) {
      args[at] = 4096 + (next() % 4);
      args[at + 1] = 1 + (next() % 4);
    }
    return args.map((value, index) => (wide.includes(index) ? BigInt.asIntN(64, BigInt(value)) : typeof value === 'bigint' ? next() | 0 : value));
  }
  return args.map((value, index) => {
    if (wide.includes(index)) return typeof value === 'bigint' ? value : BigInt(value);
    // Mostly real fds (0-2 stdio, 3 the preopen, 4+ what the guest opened), but the preopen is
    // never closed or renumbered away, or every later path call would only see badf.
    if ((name === 'fd_close' || name === 'fd_renumber') && index < 2) return 4 + (next() % 3);
    if (index === 0 && next() % 5 !== 0) return next() % 7;
    if (typeof value === 'bigint') return next() | 0;
    // Path arguments often point at the generated short path.
    return index > 0 && next() % 3 === 0 ? 4096 : value;
  });
}
