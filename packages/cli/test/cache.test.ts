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
