// Limits (issue 12, docs/adr/0021): caps on memories and tables (declared minimums and growth, from
// Wasm and from JS), a maximum module size on every way in, and the Wasm stack size — whose
// default must reach at least the depth V8 reaches for the same recursion.
import { afterEach, describe, expect, it } from 'vitest';
import { CompileError, DEFAULT_LIMITS, Engine, ResourceLimitError, RuntimeError, WebAssembly, registeredTiers } from '../../src/index.ts';
import { deepHostCall, deepHostModule, growModule, recursionDepth, stackModule, type DeepHostExports, type StackExports } from '../helpers/limits-scenarios.ts';

/** Node's own WebAssembly (V8), for the depth Flint must reach. */
const V8_WEBASSEMBLY = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: object } } }).WebAssembly;

const onNativeHost = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');

describe.skipIf(!onNativeHost)('limits', () => {
  const engine = new Engine({ compileWorkers: 0 });
  afterEach(() => engine.store.setLimits(DEFAULT_LIMITS));

  describe('memories and tables', () => {
    it('a declared minimum above a cap fails instantiation with a RangeError naming the limit', () => {
      engine.store.setLimits({ maxMemoryBytes: 16 * 65536, maxTableElements: 100 });
      const module = new WebAssembly.Module(growModule(17, undefined, 1));
      expect(() => new WebAssembly.Instance(module, {})).toThrow(ResourceLimitError);
      expect(() => new WebAssembly.Instance(module, {})).toThrow(/^cannot allocate memory of 17 pages: the limit is 1048576 bytes per memory \(16 pages\)$/);
      const tables = new WebAssembly.Module(growModule(1, undefined, 101));
      expect(() => new WebAssembly.Instance(tables, {})).toThrow(RangeError);
      expect(() => new WebAssembly.Instance(tables, {})).toThrow(/^cannot allocate a table of 101 elements: the limit is 100$/);
      // At the cap exactly, it instantiates.
      new WebAssembly.Instance(new WebAssembly.Module(growModule(16, undefined, 100)), {});
    });

    for (const { name: tier } of registeredTiers()) {
      it(`${tier}: memory.grow and table.grow return -1 past a cap, below a declared maximum too`, () => {
        engine.store.setLimits({ maxMemoryBytes: 4 * 65536, maxTableElements: 10 });
        for (const max of [undefined, 1000]) {
          const { exports } = new WebAssembly.Instance(new WebAssembly.Module(growModule(1, max, 2), { tier }), {});
          const growMemory = exports['growMemory'] as (n: number) => number;
          const growTable = exports['growTable'] as (n: number) => number;
          expect(growMemory(4)).toBe(-1);
          expect(growMemory(3)).toBe(1);
          expect(growMemory(1)).toBe(-1);
          expect(growMemory(0)).toBe(4);
          expect(growTable(9)).toBe(-1);
          expect(growTable(8)).toBe(2);
          expect(growTable(1)).toBe(-1);
          // From JS, growth past the cap is a RangeError, as past a maximum.
          const memory = exports['memory'] as InstanceType<typeof WebAssembly.Memory>;
          expect(() => memory.grow(1)).toThrow(RangeError);
          expect(memory.buffer.byteLength).toBe(4 * 65536);
        }
      });
    }

    it('WebAssembly.Memory and WebAssembly.Table from JS: the cap bounds creation and grow', () => {
      engine.store.setLimits({ maxMemoryBytes: 2 * 65536, maxTableElements: 3 });
      expect(() => new WebAssembly.Memory({ initial: 3 })).toThrow(RangeError);
      const memory = new WebAssembly.Memory({ initial: 1 });
      expect(memory.grow(1)).toBe(1);
      expect(() => memory.grow(1)).toThrow(RangeError);
      expect(() => new WebAssembly.Table({ element: 'anyfunc', initial: 4 })).toThrow(RangeError);
      const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1, maximum: 100 });
      expect(table.grow(2)).toBe(1);
      expect(() => table.grow(1)).toThrow(RangeError);
      expect(table.length).toBe(3);
    });

    it('limits that are not non-negative integers within the engine’s own are refused', () => {
      expect(() => engine.store.setLimits({ maxMemoryBytes: -1 })).toThrow(RangeError);
      expect(() => engine.store.setLimits({ maxMemoryBytes: 2 ** 33 })).toThrow(RangeError);
      expect(() => engine.store.setLimits({ maxTableElements: 1.5 })).toThrow(RangeError);
      expect(() => engine.store.setLimits({ maxModuleBytes: 2 ** 31 })).toThrow(RangeError);
      expect(() => engine.store.setLimits({ wasmStackBytes: engine.store.invoker.maxWasmStackBytes + 1 })).toThrow(RangeError);
    });
  });

  describe('module size', () => {
    const bytes = growModule(1, undefined, 1);
    const tooLarge = /^module too large: \d+ bytes, more than the limit of 20 \(at byte 0x14\)$/;

    it('is checked on every way in: compile, compileAsync, compileStreaming, validate, deserialize', async () => {
      const cache = engine.compile(bytes).serialize();
      engine.store.setLimits({ maxModuleBytes: 20 });
      expect(() => engine.compile(bytes)).toThrow(CompileError);
      expect(() => engine.compile(bytes)).toThrow(tooLarge);
      await expect(engine.compileAsync(bytes)).rejects.toThrow(tooLarge);
      async function* chunks(): AsyncGenerator<Uint8Array> {
        for (let at = 0; at < bytes.length; at += 8) yield bytes.subarray(at, at + 8);
      }
      await expect(engine.compileStreaming(chunks())).rejects.toThrow(tooLarge);
      expect(engine.validate(bytes)).toBe(false);
      expect(WebAssembly.validate(bytes)).toBe(false);
      expect(() => new WebAssembly.Module(bytes)).toThrow(WebAssembly.CompileError);
      expect(() => engine.deserialize(cache)).toThrow(tooLarge);
      // Exactly at the limit is fine.
      engine.store.setLimits({ maxModuleBytes: bytes.length });
      expect(engine.validate(bytes)).toBe(true);
    });

    it('defaults to V8’s limit, 1 GiB', () => {
      expect(DEFAULT_LIMITS.maxModuleBytes).toBe(1024 * 1024 * 1024);
    });
  });

  describe('stack size', () => {
    for (const { name: tier } of registeredTiers()) {
      it(`${tier}: the default reaches at least V8's depth for the same recursion`, () => {
        const v8 = new V8_WEBASSEMBLY.Instance(new V8_WEBASSEMBLY.Module(stackModule()), { env: { js: () => {} } }).exports as unknown as StackExports;
        const v8Depth = recursionDepth(v8);
        expect(v8Depth.error).toBeInstanceOf(RangeError);
        const flint = new WebAssembly.Instance(new WebAssembly.Module(stackModule(), { tier }), { env: { js: () => {} } }).exports as unknown as StackExports;
        const flintDepth = recursionDepth(flint);
        expect(flintDepth.error).toBeInstanceOf(RuntimeError);
        expect((flintDepth.error as Error).message).toBe('call stack exhausted');
        expect(flintDepth.depth).toBeGreaterThanOrEqual(v8Depth.depth);
      });

      it(`${tier}: the depth follows wasmStackBytes`, () => {
        const flint = new WebAssembly.Instance(new WebAssembly.Module(stackModule(), { tier }), { env: { js: () => {} } }).exports as unknown as StackExports;
        engine.store.setLimits({ wasmStackBytes: 256 * 1024 });
        const small = recursionDepth(flint).depth;
        engine.store.setLimits({ wasmStackBytes: 1024 * 1024 });
        const large = recursionDepth(flint).depth;
        // Four times the stack, four times the frames (give or take the frames above the first).
        expect(large / small).toBeGreaterThan(3.9);
        expect(large / small).toBeLessThan(4.1);
        // The whole native call stack, less the host's reserve, is usable without harm.
        engine.store.setLimits({ wasmStackBytes: engine.store.invoker.maxWasmStackBytes });
        expect(recursionDepth(flint).depth).toBeGreaterThan(large);
      });
    }

    for (const { name: tier } of registeredTiers()) {
      it(`${tier}: a host call from the deepest frame, calling back into Wasm, runs in the reserve below the limit`, () => {
        const steps = deepHostCall((host) => new WebAssembly.Instance(new WebAssembly.Module(deepHostModule(), { tier }), { env: { host } }).exports as unknown as DeepHostExports);
        expect(steps[0]).toBe('RuntimeError: call stack exhausted');
        // `descend(depth - k)` calls the host k frames above the limit; the host's nested call of
        // `leaf` (koffi's call machinery, the entry trampoline) then either fits or traps at a
        // prologue — a RuntimeError out of every frame, never a crash. 512 frames up, it fits.
        for (const step of steps.slice(1, -1)) expect(step).toMatch(/^(leaf 7|descend\(depth - \d+\) returned|descend\(depth - \d+\): RuntimeError: call stack exhausted)$/);
        expect(steps.slice(-3)).toEqual(['leaf 7', 'descend(depth - 512) returned', 'host calls 4']);
      });
    }

    it('Wasm→JS→Wasm re-entry ends with a RangeError when the JS stack is used up, and the thread goes on', () => {
      let levels = 0;
      let exports: StackExports | null = null;
      exports = new WebAssembly.Instance(new WebAssembly.Module(stackModule()), {
        env: {
          js: () => {
            levels++;
            exports!.reenter();
          },
        },
      }).exports as unknown as StackExports;
      expect(() => exports.reenter()).toThrow(RangeError);
      expect(levels).toBeGreaterThan(50);
      expect(recursionDepth(exports).depth).toBeGreaterThan(1000);
    });
  });
});
