// The code cache: its file format (round trip, damage and staleness detected), and `flint
// compile` / `flint run <file.flint>` end to end. In-process, with the guest's stdout captured.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_VERSION, Engine } from '@flint/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CACHE_MAGIC, decodeCodeCache, encodeCodeCache, staleReason } from '../src/cache/format.ts';
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
const key = { engine: 'test-engine 1', tier: 'baseline', target: 'x64' };
const payload = new Uint8Array([1, 2, 3, 4, 5]);

describe('code cache format', () => {
  it('round-trips the key, the module and the payload', () => {
    const decoded = decodeCodeCache(encodeCodeCache({ key, module: primesBytes, payload }));
    expect(decoded.key).toEqual(key);
    expect(decoded.module).toEqual(primesBytes);
    expect(decoded.payload).toEqual(payload);
  });

  it('rejects damage: flipped bytes, truncation, foreign files, hostile lengths', () => {
    const good = encodeCodeCache({ key, module: primesBytes, payload });
    const flipped = good.slice();
    flipped[good.length - payload.length - 10]! ^= 1; // inside the module bytes
    expect(() => decodeCodeCache(flipped)).toThrow('damaged: the module bytes do not match their hash');
    const flippedPayload = good.slice();
    flippedPayload[good.length - 1]! ^= 1;
    expect(() => decodeCodeCache(flippedPayload)).toThrow('damaged: the compiled code does not match its hash');
    expect(() => decodeCodeCache(good.subarray(0, good.length - 1))).toThrow(/truncated or damaged: the header describes \d+ bytes, the file has \d+/);
    expect(() => decodeCodeCache(primesBytes)).toThrow('not a Flint code cache (bad magic)');
    const hostile = good.slice();
    new DataView(hostile.buffer).setUint32(CACHE_MAGIC.length + 4, 0xffffffff, true);
    expect(() => decodeCodeCache(hostile)).toThrow(/header of 4294967295 bytes/);
    const future = good.slice();
    new DataView(future.buffer).setUint32(CACHE_MAGIC.length, 2, true);
    expect(() => decodeCodeCache(future)).toThrow('format version 2, this flint reads version 1');
  });

  it('says why a cache is stale', () => {
    expect(staleReason(key, key)).toBeNull();
    expect(staleReason(key, { ...key, engine: 'test-engine 2' })).toBe('built for engine test-engine 1, this is test-engine 2');
    expect(staleReason(key, { ...key, target: 'arm64' })).toBe('built for target x64, this host is arm64');
  });
});

describe('flint run <file.flint>', () => {
  const direct = run('run', primes, '1000');

  it('a stale cache is reported and its module recompiled, with the same output', () => {
    const file = join(tempDir('cache'), 'old.flint');
    writeFileSync(file, encodeCodeCache({ key: { ...key, engine: 'flint-from-the-past', target: process.arch }, module: primesBytes, payload }));
    const { code, stdout, stderr } = run('run', file, '1000');
    expect(direct.stderr).toBe("");
    expect(direct.code).toBe(0);
    expect(stderr).toBe(`${file}: warning: stale code cache (built for engine flint-from-the-past, this is ${ENGINE_VERSION}): recompiling\n`);
    expect(stdout).toBe(direct.stdout);
    expect(code).toBe(0);
  });

  it('a damaged cache is an error, exit 1', () => {
    const file = join(tempDir('cache'), 'bad.flint');
    const bytes = encodeCodeCache({ key, module: primesBytes, payload });
    writeFileSync(file, bytes.subarray(0, 100));
    const { code, stderr } = run('run', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.flint: error: code cache: truncated or damaged/);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('flint compile, then flint run loads the cache without compiling', () => {
    const file = join(tempDir('cache'), 'primes.flint');
    const compiled = run('compile', primes, '-o', file);
    expect(compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toMatch(new RegExp(`primes\\.flint: \\d+ bytes \\(baseline, ${process.arch}, engine ${ENGINE_VERSION.replace(/[.+]/g, '\\$&')}\\)`));
    const header = decodeCodeCache(new Uint8Array(readFileSync(file)));
    expect(header.key).toEqual({ engine: ENGINE_VERSION, tier: 'baseline', target: process.arch });
    expect(header.module).toEqual(primesBytes);

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
    const other = join(examplesDir, 'wasi', 'args.wasm');
    const otherCode = new Engine().compile(new Uint8Array(readFileSync(other))).serialize();
    // A well-formed CLI file (fresh key, both hashes right) around the code of another module.
    writeFileSync(file, encodeCodeCache({ key: { engine: ENGINE_VERSION, tier: 'baseline', target: process.arch }, module: primesBytes, payload: otherCode }));
    const compile = vi.spyOn(Engine.prototype, 'compile');
    const { code, stdout, stderr } = run('run', file, '1000');
    expect(stderr).toBe(`${file}: warning: code cache refused by the runtime (code cache was compiled from different module bytes (SHA-256 mismatch)): recompiling\n`);
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
    expect(stdout).toContain(`built by engine ${ENGINE_VERSION} for ${process.arch}, tier baseline: this flint loads it`);
    expect(stdout).toContain(`module ${primesBytes.length} bytes, compiled code `);
    // The module summary is the one of the .wasm it was compiled from.
    const direct = run('inspect', primes).stdout.split('\n').slice(1).join('\n');
    expect(stdout).toContain(direct);
  });

  it('disasm shows the cached machine code, byte for byte what the runtime compiles', () => {
    const cached = run('disasm', '--function', '_start', cachePath);
    expect(cached.code).toBe(0);
    expect(cached.stdout).toMatch(new RegExp(`^function #\\d+ .*\\(${process.arch}, baseline, cached by engine .*, \\d+ bytes\\)`));
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
    expect(stderr).toContain('code cache: damaged: the compiled code does not match its hash');
  });
});
