// The code cache: the one container (`CompiledModule.serialize()`, `Engine.deserialize`) and the
// engine's opt-in on-disk cache built on it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { CodeCacheError, DEFAULT_TIER, Engine, UnsupportedError, WebAssembly } from '../src/index.ts';
import { packFinishedCode, unpackFinishedCode } from '../src/code/code-pack.ts';
import type { CompiledModule } from '../src/code/module.ts';
import { ENGINE_VERSION, isCodeCache, readCodeCache, writeCodeCache } from '../src/code/serialize.ts';
import { chainModule, chainResult } from './helpers/chain-module.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();
type Fn = (x: number) => number;

const run = (compiled: CompiledModule, name: string, x: number): number =>
  (new WebAssembly.Instance(WebAssembly.Module.fromCompiled(compiled), {}).exports[name] as Fn)(x);

const refusingCompiler = (): never => {
  throw new Error('deserialize must not compile');
};

describe.skipIf(!isX64)('code cache (needs an x86-64 Linux host)', () => {
  const padding = 3;
  const bytes = chainModule({ functions: 50, padding });
  const compiled = new Engine({ compileWorkers: 0 }).compile(bytes);
  const cache = compiled.serialize();

  it('round-trips with the module bytes inside: the loaded module runs without compiling', () => {
    expect(isCodeCache(cache)).toBe(true);
    expect(readCodeCache(cache).moduleBytes).toEqual(bytes);
    const loaded = new Engine({ compiler: refusingCompiler }).deserialize(cache);
    expect(run(loaded, 'f49', 11)).toBe(chainResult(49, 11, padding));
    expect(run(loaded, 'f0', -1)).toBe(chainResult(0, -1, padding));
    expect(loaded.exportDescriptors()).toHaveLength(50);
    // A loaded module serializes to the same container.
    expect(loaded.serialize()).toEqual(cache);
  });

  it('round-trips without the module bytes, which the loader then supplies', () => {
    const bare = compiled.serialize({ moduleBytes: false });
    expect(readCodeCache(bare).moduleBytes).toBeNull();
    expect(bare.length).toBeLessThan(cache.length - bytes.length + 16);
    const engine = new Engine({ compiler: refusingCompiler });
    expect(() => engine.deserialize(bare)).toThrow(/does not carry its module bytes/);
    expect(run(engine.deserialize(bare, bytes), 'f7', 2)).toBe(chainResult(7, 2, padding));
  });

  it('rejects a tampered, truncated or foreign container with CodeCacheError', () => {
    const engine = new Engine({ compiler: refusingCompiler });
    const tampered = cache.slice();
    tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
    expect(() => engine.deserialize(tampered)).toThrow(new CodeCacheError('code cache is corrupt: checksum mismatch'));
    expect(() => engine.deserialize(cache.subarray(0, 20))).toThrow(CodeCacheError);
    expect(() => engine.deserialize(new Uint8Array(100))).toThrow(/bad magic/);
    const other = chainModule({ functions: 50, padding: padding + 1 });
    expect(() => engine.deserialize(compiled.serialize({ moduleBytes: false }), other)).toThrow(/different module bytes/);
    // The CLI's container of format 1 is recognised, and refused with a reason.
    const old = Uint8Array.from([...'FLINTCC\n'].map((c) => c.charCodeAt(0)).concat(new Array(60).fill(0)));
    expect(isCodeCache(old)).toBe(true);
    expect(() => engine.deserialize(old)).toThrow(/format 1/);
  });

  it('rejects a container keyed for another backend, engine build or CPU feature set', () => {
    const engine = new Engine({ compiler: refusingCompiler });
    const contents = readCodeCache(cache);
    const foreign = writeCodeCache({ ...contents, key: { ...contents.key, backend: 'arm64' } });
    expect(() => engine.deserialize(foreign)).toThrow('code cache holds arm64 code, this engine generates x64 code');
    const old = writeCodeCache({ ...contents, key: { ...contents.key, engine: '0.0.1' } });
    expect(() => engine.deserialize(old)).toThrow(`code cache was written by engine 0.0.1, this is engine ${ENGINE_VERSION}`);
    // The key holds the CPU features the code was compiled with (the store's set).
    expect(contents.key.cpuFeatures).toBe(engine.store.cpuFeatures.key);
    const imaginary = `${contents.key.cpuFeatures},imaginary`;
    const cpu = writeCodeCache({ ...contents, key: { ...contents.key, cpuFeatures: imaginary } });
    expect(() => engine.deserialize(cpu)).toThrow(`code cache was compiled for CPU features "${imaginary}", this engine compiles for "${contents.key.cpuFeatures}"`);
    const format = cache.slice();
    format[8] = 99;
    expect(() => engine.deserialize(format)).toThrow(CodeCacheError);
  });

  it('rejects well-formed containers whose records point outside their arrays', () => {
    const engine = new Engine({ compiler: refusingCompiler });
    const contents = readCodeCache(cache);
    const functions = contents.code.functions.slice();
    functions[1] = 0x7fff_0000; // code length of function 0
    const hostile = writeCodeCache({ ...contents, code: { ...contents.code, functions } });
    expect(() => engine.deserialize(hostile)).toThrow(/corrupt: packed code: function 0 code range out of bounds/);
    const fewer = writeCodeCache({ ...contents, code: packFinishedCode(unpackFinishedCode(contents.code).slice(1)) });
    expect(() => engine.deserialize(fewer)).toThrow('code cache holds 49 functions, the module defines 50');
  });

  it('serializes the same after its code moved into the container Module objects share', () => {
    const module = new Engine({ compileWorkers: 0 }).compile(chainModule({ functions: 5, padding: 2 }));
    const before = module.serialize();
    const shared = module.transferable();
    expect(new Uint8Array(shared)).toEqual(before);
    expect(module.serialize()).toEqual(before);
    expect(readCodeCache(module.serialize({ moduleBytes: false })).moduleBytes).toBeNull();
  });

  it('refuses to serialize a lazily compiled module', () => {
    const lazy = new Engine({ compileWorkers: 0 }).compile(bytes, { lazy: true });
    expect(() => lazy.serialize()).toThrow(UnsupportedError);
  });

  describe('on disk (EngineOptions.codeCacheDirectory)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'flint-code-cache-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));
    const module = chainModule({ functions: 20, padding: 7 });

    it('stores a compiled module, and a later engine loads it without compiling', async () => {
      const first = new Engine({ compileWorkers: 0, codeCacheDirectory: directory });
      expect(run(first.compile(module), 'f19', 1)).toBe(chainResult(19, 1, 7));
      expect(first.diskCacheStats).toEqual({ hits: 0, misses: 1, refused: 0, writes: 1, writeFailures: 0 });
      const files = readdirSync(directory);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(new RegExp(`^[0-9a-f]{64}-x64-${DEFAULT_TIER}\\.flint$`));
      // The file is the one container (written without the module bytes, which key it).
      const contents = readCodeCache(readFileSync(join(directory, files[0]!)));
      expect(contents.moduleBytes).toBeNull();
      expect(contents.key).toMatchObject({ engine: ENGINE_VERSION, backend: 'x64', cpuFeatures: first.store.cpuFeatures.key, tier: DEFAULT_TIER, lazy: false });

      // Another engine (another process, in practice) finds it; so do the asynchronous compiles.
      const loads: CompiledModule[] = [];
      for (const compile of [(e: Engine) => e.compile(module), (e: Engine) => e.compileAsync(module)]) {
        const engine = new Engine({ compileWorkers: 0, codeCacheDirectory: directory });
        loads.push(await compile(engine));
        expect(engine.diskCacheStats).toMatchObject({ hits: 1, misses: 0, writes: 0 });
      }
      for (const loaded of loads) expect(run(loaded, 'f19', 5)).toBe(chainResult(19, 5, 7));
    });

    it('refuses a damaged or foreign file and replaces it with fresh code', () => {
      const [file] = readdirSync(directory);
      const path = join(directory, file!);
      const good = readFileSync(path);
      const damaged = Uint8Array.from(good);
      damaged[damaged.length - 40]! ^= 0xff;
      writeFileSync(path, damaged);
      const engine = new Engine({ compileWorkers: 0, codeCacheDirectory: directory });
      expect(run(engine.compile(module), 'f3', 0)).toBe(chainResult(3, 0, 7));
      expect(engine.diskCacheStats).toMatchObject({ hits: 0, refused: 1, writes: 1 });
      expect(readFileSync(path)).toEqual(good);

      const contents = readCodeCache(good);
      writeFileSync(path, writeCodeCache({ ...contents, key: { ...contents.key, engine: 'another build' } }));
      const again = new Engine({ compileWorkers: 0, codeCacheDirectory: directory });
      again.compile(module);
      expect(again.diskCacheStats).toMatchObject({ hits: 0, refused: 1, writes: 1 });
      expect(readFileSync(path)).toEqual(good);
    });

    it('keeps compiling when the directory cannot be written', () => {
      const blocked = join(directory, 'not-a-directory');
      writeFileSync(blocked, 'x');
      const engine = new Engine({ compileWorkers: 0, codeCacheDirectory: blocked });
      expect(run(engine.compile(chainModule({ functions: 3, padding: 1 })), 'f2', 0)).toBe(chainResult(2, 0, 1));
      expect(engine.diskCacheStats).toMatchObject({ writes: 0, writeFailures: 1 });
    });

    it('does not cache lazily compiled modules', () => {
      const lazyDirectory = mkdtempSync(join(tmpdir(), 'flint-code-cache-lazy-'));
      try {
        new Engine({ compileWorkers: 0, codeCacheDirectory: lazyDirectory }).compile(module, { lazy: true });
        expect(readdirSync(lazyDirectory)).toEqual([]);
      } finally {
        rmSync(lazyDirectory, { recursive: true, force: true });
      }
    });
  });
});
