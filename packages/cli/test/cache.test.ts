// `flint compile` / `flint run <file.flint>` end to end, with the runtime's code-cache container
// (its format is tested in the runtime): fresh, stale, damaged and refused files. In-process,
// with the guest's stdout captured.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TIER, ENGINE_VERSION, Engine, readCodeCache } from '@flint/runtime';
import { moduleBytesHash, writeCodeCache } from '@flint/runtime/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.ts';
import { examplesDir, tempDir } from './support/cli-process.ts';

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const text = (s: string | Uint8Array) => (typeof s === 'string' ? s : Buffer.from(s).toString());
  const code = main(argv, {
    stdout: { write: (s: string | Uint8Array) => (stdout += text(s)), isTTY: false },
    stderr: { write: (s: string | Uint8Array) => (stderr += text(s)), isTTY: false },
  });
  return { code, stdout, stderr };
}

const primes = join(examplesDir, 'primes.wasm');
const primesBytes = new Uint8Array(readFileSync(primes));
// One compile of primes, whose container the tests below alter.
const primesCache = new Engine().compile(primesBytes).serialize();

describe('flint run <file.flint>', () => {
  const direct = run('run', primes, '1000');

  it('a stale cache is reported and its module recompiled, with the same output', () => {
    const file = join(tempDir('cache'), 'old.flint');
    const contents = readCodeCache(primesCache);
    writeFileSync(file, writeCodeCache({ ...contents, key: { ...contents.key, engine: 'flint-from-the-past' } }));
    const { code, stdout, stderr } = run('run', file, '1000');
    expect(direct.stderr).toBe("");
    expect(direct.code).toBe(0);
    expect(stderr).toBe(`${file}: warning: stale code cache (code cache was written by engine flint-from-the-past, this is engine ${ENGINE_VERSION}): recompiling\n`);
    expect(stdout).toBe(direct.stdout);
    expect(code).toBe(0);
  });

  it('a damaged cache is an error, exit 1', () => {
    const file = join(tempDir('cache'), 'bad.flint');
    writeFileSync(file, primesCache.subarray(0, 100));
    const { code, stderr } = run('run', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.flint: error: code cache: code cache is corrupt: checksum mismatch/);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('flint compile, then flint run loads the cache without compiling', () => {
    const file = join(tempDir('cache'), 'primes.flint');
    const compiled = run('compile', primes, '-o', file);
    expect(compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toMatch(new RegExp(`primes\\.flint: \\d+ bytes \\(${DEFAULT_TIER}, ${process.arch}, engine ${ENGINE_VERSION.replace(/[.+]/g, '\\$&')}\\)`));
    const contents = readCodeCache(new Uint8Array(readFileSync(file)));
    expect(contents.key).toMatchObject({ engine: ENGINE_VERSION, tier: DEFAULT_TIER, backend: process.arch, lazy: false });
    expect(contents.moduleBytes).toEqual(primesBytes);

    const compile = vi.spyOn(Engine.prototype, 'compile');
    const deserialize = vi.spyOn(Engine.prototype, 'deserialize');
    const cached = run('run', file, '1000');
    expect(compile).not.toHaveBeenCalled();
    expect(deserialize).toHaveBeenCalledTimes(1);
    expect(cached.stderr).toBe('');
    expect(cached.stdout).toBe(direct.stdout);
    expect(cached.code).toBe(0);
  });

  it('a cache whose code the runtime refuses (made from other module bytes) is reported and recompiled', () => {
    const file = join(tempDir('cache'), 'mixed.flint');
    const otherPath = join(examplesDir, 'wasi', 'args.wasm');
    const other = readCodeCache(new Engine().compile(new Uint8Array(readFileSync(otherPath))).serialize());
    // A well-formed container (fresh key, right hashes) holding a module never compiled in this
    // process (primes plus an empty custom section) around the code of another module.
    const variant = Uint8Array.from([...primesBytes, 0x00, 0x02, 0x01, 0x78]);
    writeFileSync(file, writeCodeCache({ ...other, moduleBytes: variant, key: { ...other.key, module: moduleBytesHash(variant) } }));
    const compile = vi.spyOn(Engine.prototype, 'compile');
    const { code, stdout, stderr } = run('run', file, '1000');
    expect(stderr).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: warning: code cache refused by the runtime \\(code cache holds \\d+ functions, the module defines \\d+\\): recompiling\n$`));
    expect(compile).toHaveBeenCalledTimes(1);
    expect(stdout).toBe(direct.stdout);
    expect(code).toBe(0);
  });

  it('compile usage errors', () => {
    expect(run('compile', primes).stderr).toContain('compile needs -o <file.flint>');
    expect(run('compile', '-o', 'x.flint').code).toBe(2);
  });
});

describe('flint inspect and disasm of a code cache', () => {
  const dir = tempDir('cache-view');
  const cachePath = join(dir, 'primes.flint');

  it('inspect says what the cache was built by and for, then summarises its module', () => {
    expect(run('compile', primes, '-o', cachePath).code).toBe(0);
    const { code, stdout } = run('inspect', cachePath);
    expect(code).toBe(0);
    const size = readFileSync(cachePath).length;
    expect(stdout).toContain(`${cachePath}: Flint code cache, ${size} bytes`);
    expect(stdout).toMatch(new RegExp(`built by engine ${ENGINE_VERSION.replace(/[.+]/g, '\\$&')} for ${process.arch} \\(CPU features: [^)]+\\), tier ${DEFAULT_TIER}: this flint loads it`));
    expect(stdout).toContain(`module ${primesBytes.length} bytes, compiled code `);
    // The module summary is the one of the .wasm it was compiled from.
    const direct = run('inspect', primes).stdout.split('\n').slice(1).join('\n');
    expect(stdout).toContain(direct);
  });

  it('disasm shows the cached machine code, byte for byte what the runtime compiles', () => {
    const cached = run('disasm', '--function', '_start', cachePath);
    expect(cached.code).toBe(0);
    expect(cached.stdout).toMatch(new RegExp(`^function #\\d+ .*\\(${process.arch}, ${DEFAULT_TIER}, cached by engine .*, \\d+ bytes\\)`));
    const compiled = run('disasm', '--function', '_start', primes);
    // Same bytes and instructions; the compiled listing also marks operator starts ("wasm 0x…").
    const instructions = (out: string) => out.split('\n').filter((line) => /^\s+[0-9a-f]+:/.test(line)).map((line) => line.replace(/\s+;.*$/, '').replace(/\s+wasm 0x[0-9a-f]+.*$/, ''));
    expect(instructions(cached.stdout).length).toBeGreaterThan(3);
    expect(instructions(cached.stdout)).toEqual(instructions(compiled.stdout));
    expect(run('disasm', '--target', 'x64', cachePath).code).toBe(2);
  });

  it('a damaged cache is reported, not shown', () => {
    const damaged = readFileSync(cachePath);
    damaged[damaged.length - 1]! ^= 1;
    const path = join(dir, 'damaged.flint');
    writeFileSync(path, damaged);
    const { code, stderr } = run('inspect', path);
    expect(code).toBe(1);
    expect(stderr).toContain('error: code cache: code cache is corrupt: checksum mismatch');
  });
});
