// The code cache: `CompiledModule.serialize()` and `Engine.deserialize(cache, moduleBytes)`.
import { describe, expect, it } from 'vitest';
import { CodeCacheError, Engine, UnsupportedError, WebAssembly } from '../src/index.ts';
import { packFinishedCode, unpackFinishedCode } from '../src/code/code-pack.ts';
import type { CompiledModule } from '../src/code/module.ts';
import { ENGINE_VERSION, moduleBytesHash, readCodeCache, writeCodeCache } from '../src/code/serialize.ts';
import { chainModule, chainResult } from './helpers/chain-module.ts';

const isX64 = process.arch === 'x64' && process.platform === 'linux';
type Fn = (x: number) => number;

const run = (compiled: CompiledModule, name: string, x: number): number =>
  (new WebAssembly.Instance(WebAssembly.Module.fromCompiled(compiled), {}).exports[name] as Fn)(x);

const refusingCompiler = (): never => {
  throw new Error('deserialize must not compile');
};

describe.skipIf(!isX64)('code cache (needs an x86-64 Linux host)', () => {
  const padding = 3;
  const bytes = chainModule({ functions: 50, padding });
  const cache = new Engine({ compileWorkers: 0 }).compile(bytes).serialize();
  const expectedKey = () => {
    const store = new Engine({ compiler: refusingCompiler }).store;
    return { engine: ENGINE_VERSION, backend: store.backend.name, cpuFeatures: store.cpuFeatures.key, module: moduleBytesHash(bytes) };
  };

  it('round-trips: the loaded module runs without compiling', () => {
    const loaded = new Engine({ compiler: refusingCompiler }).deserialize(cache, bytes);
    expect(run(loaded, 'f49', 11)).toBe(chainResult(49, 11, padding));
    expect(run(loaded, 'f0', -1)).toBe(chainResult(0, -1, padding));
    expect(loaded.exportDescriptors()).toHaveLength(50);
    // A loaded module serializes to the same cache.
    expect(loaded.serialize()).toEqual(cache);
  });

  it('rejects a tampered, truncated or foreign cache with CodeCacheError', () => {
    const engine = new Engine({ compiler: refusingCompiler });
    const tampered = cache.slice();
    tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
    expect(() => engine.deserialize(tampered, bytes)).toThrow(new CodeCacheError('code cache is corrupt: checksum mismatch'));
    expect(() => engine.deserialize(cache.subarray(0, 20), bytes)).toThrow(CodeCacheError);
    expect(() => engine.deserialize(new Uint8Array(100), bytes)).toThrow(/bad magic/);
    const other = chainModule({ functions: 50, padding: padding + 1 });
    expect(() => engine.deserialize(cache, other)).toThrow(/different module bytes/);
  });

  it('rejects a cache compiled for other CPU features', () => {
    const engine = new Engine({ compiler: refusingCompiler });
    const contents = readCodeCache(cache, expectedKey());
    expect(contents.key.cpuFeatures).toBe(engine.store.cpuFeatures.key);
    const other = writeCodeCache({ ...contents, key: { ...contents.key, cpuFeatures: `${contents.key.cpuFeatures},imaginary` } });
    expect(() => engine.deserialize(other, bytes)).toThrow(
      `code cache was compiled for CPU features "${contents.key.cpuFeatures},imaginary", this engine compiles for "${contents.key.cpuFeatures}"`,
    );
  });

  it('rejects a cache from another backend, engine version or format', () => {
    const engine = new Engine({ compiler: refusingCompiler });
    const contents = readCodeCache(cache, expectedKey());
    const foreign = writeCodeCache({ ...contents, key: { ...contents.key, backend: 'arm64' } });
    expect(() => engine.deserialize(foreign, bytes)).toThrow('code cache holds arm64 code, this engine generates x64 code');
    const old = writeCodeCache({ ...contents, key: { ...contents.key, engine: '0.0.1' } });
    expect(() => engine.deserialize(old, bytes)).toThrow(`code cache was written by engine 0.0.1, this is engine ${ENGINE_VERSION}`);
    const format = cache.slice();
    format[8] = 99;
    expect(() => engine.deserialize(format, bytes)).toThrow(CodeCacheError); // checksum or format: either way rejected
  });

  it('rejects well-formed caches whose records point outside their arrays', () => {
    const engine = new Engine({ compiler: refusingCompiler });
    const contents = readCodeCache(cache, expectedKey());
    const functions = contents.code.functions.slice();
    functions[1] = 0x7fff_0000; // code length of function 0
    const hostile = writeCodeCache({ ...contents, code: { ...contents.code, functions } });
    expect(() => engine.deserialize(hostile, bytes)).toThrow(/corrupt: packed code: function 0 code range out of bounds/);
    const fewer = writeCodeCache({ ...contents, code: packFinishedCode(unpackFinishedCode(contents.code).slice(1)) });
    expect(() => engine.deserialize(fewer, bytes)).toThrow('code cache holds 49 functions, the module defines 50');
  });

  it('refuses to serialize a lazily compiled module', () => {
    const lazy = new Engine({ compileWorkers: 0 }).compile(bytes, { lazy: true });
    expect(() => lazy.serialize()).toThrow(UnsupportedError);
  });
});
