// Stack traces through Wasm, checked against V8 (Node's own WebAssembly) on the same modules: a
// trap, a JS exception crossing Wasm, call_indirect, nested activations (JS → Wasm → JS → Wasm)
// and recursion give the same frames, names and offsets, in the same places among the JS frames.
// Every registered tier, eager and lazy. The same scenarios run for arm64 under qemu in
// stack-trace-arm64.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { DEFAULT_TIER, Engine, WebAssembly, registeredTiers, wasmFramesOf } from '../../src/index.ts';
import { runScenarios, scenarioModule, type WasmNamespace } from '../helpers/stack-scenarios.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();
/** Node's own WebAssembly (V8): the reference. */
const V8_WEBASSEMBLY = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;

/**
 * Runs `work` with V8's own stack formatting: vitest installs an `Error.prepareStackTrace` that
 * rewrites frames through source maps (and mangles `wasm://` ones). Stacks are formatted on
 * first access, so they are read inside.
 */
function withV8Formatting<T>(work: () => T): T {
  const error = Error as { prepareStackTrace?: unknown };
  const saved = error.prepareStackTrace;
  error.prepareStackTrace = undefined;
  try {
    return work();
  } finally {
    error.prepareStackTrace = saved;
  }
}

/** The frames of a stack up to the scenario runner's own frame, module hashes masked. */
function framesOf(error: unknown): string[] {
  const lines = String((error as Error).stack).split('\n').slice(1);
  const end = lines.findIndex((line) => line.includes('at runScenarios '));
  return lines.slice(0, end < 0 ? lines.length : end + 1).map((line) => line.replace(/wasm:\/\/wasm\/((?:\w+-)?)[0-9a-f]{8}:/, 'wasm://wasm/$1HASH:'));
}

/** The JS API namespace of an engine compiling with `options` (a `WebAssembly.Module` made by that engine). */
function namespaceFor(engine: Engine, options: { tier: string; lazy: boolean }): WasmNamespace {
  return {
    Module: class {
      constructor(bytes: Uint8Array) {
        return WebAssembly.Module.fromCompiled(engine.compile(bytes, options));
      }
    } as unknown as WasmNamespace['Module'],
    Instance: WebAssembly.Instance as unknown as WasmNamespace['Instance'],
  };
}

const configurations = registeredTiers().flatMap((tier) => [false, true].map((lazy) => ({ tier: tier.name, lazy })));

describe.skipIf(!isX64)('stack traces through Wasm, compared with V8 (x86-64 Linux host; arm64: stack-trace-arm64.test.ts)', () => {
  const engine = new Engine({ compileWorkers: 0 });
  afterAll(() => engine.close());

  for (const moduleName of [null, 'mymod']) {
    for (const options of configurations) {
      it(`${options.tier}${options.lazy ? ' lazy' : ''}, module ${moduleName === null ? 'without a name' : `named ${moduleName}`}`, () => {
        const v8 = withV8Formatting(() => runScenarios(V8_WEBASSEMBLY, moduleName, false).map((o) => ({ name: o.name, frames: framesOf(o.error) })));
        const flint = withV8Formatting(() => runScenarios(namespaceFor(engine, options), moduleName, false).map((o) => ({ name: o.name, frames: framesOf(o.error) })));
        expect(flint).toEqual(v8);
        // The comparison has substance: every scenario has Wasm frames, and the nested one two activations.
        for (const { frames } of flint) expect(frames.some((line) => line.includes(':wasm-function['))).toBe(true);
        const nested = flint.find((o) => o.name === 'trap in a nested activation')!.frames;
        expect(nested.map((line) => line.trim().split(' ')[1])).toEqual([moduleName === null ? 'inner' : 'mymod.inner', expect.stringMatching(/^(wasm:|mymod$)/), 'reenter', moduleName === null ? 'viajs' : 'mymod.viajs', 'call', expect.any(String), 'failure', 'runScenarios']);
      });
    }
  }

  it('stack exhaustion: the innermost frame at the function body, as V8 places it, then the recursive calls', () => {
    const { index } = scenarioModule();
    const [exhausted] = withV8Formatting(() => runScenarios(WebAssembly as unknown as WasmNamespace).filter((o) => o.name === 'stack exhaustion'));
    const [v8] = withV8Formatting(() => {
      const saved = Error.stackTraceLimit;
      Error.stackTraceLimit = 4;
      try {
        return runScenarios(V8_WEBASSEMBLY).filter((o) => o.name === 'stack exhaustion').map((o) => framesOf(o.error));
      } finally {
        Error.stackTraceLimit = saved;
      }
    });
    expect((exhausted!.error as Error).message).toBe('call stack exhausted');
    expect(framesOf(exhausted!.error).slice(0, 4)).toEqual(v8);
    const frames = wasmFramesOf(exhausted!.error);
    expect(frames.length).toBeGreaterThan(100); // the trap exit records hundreds of frames, the stack string shows Error.stackTraceLimit
    expect(frames.every((frame) => frame.funcIndex === index['recurse'])).toBe(true);
  });

  it('wasmFramesOf: structured frames of every activation, innermost first', () => {
    const nested = runScenarios(WebAssembly as unknown as WasmNamespace, 'mymod').find((o) => o.name === 'trap in a nested activation')!;
    const { index } = scenarioModule();
    expect(wasmFramesOf(nested.error).map((f) => [f.funcIndex, f.functionName, f.offset, f.tier, f.script.url.replace(/[0-9a-f]{8}$/, 'HASH')])).toEqual([
      [index['inner'], 'inner', 0x8f, DEFAULT_TIER, 'wasm://wasm/mymod-HASH'],
      [index['anon'], null, 0x95, DEFAULT_TIER, 'wasm://wasm/mymod-HASH'],
      [index['viajs'], 'viajs', 0xb2, DEFAULT_TIER, 'wasm://wasm/mymod-HASH'],
    ]);
    expect(wasmFramesOf(new Error('not through Wasm'))).toEqual([]);
    expect(wasmFramesOf(42)).toEqual([]);
  });

  it('names frames by the module’s URL when it has one', async () => {
    const { bytes } = scenarioModule();
    const compiled = engine.compile(bytes, { url: 'https://example.com/app.wasm' });
    expect(compiled.script.url).toBe('https://example.com/app.wasm');
    const exports = new WebAssembly.Instance(WebAssembly.Module.fromCompiled(compiled), { env: { cb() {}, reenter: (x: number) => x } }).exports;
    const error = withV8Formatting(() => {
      try {
        (exports['anon'] as (x: number) => number)(0);
      } catch (e) {
        void (e as Error).stack;
        return e;
      }
      return null;
    });
    expect(String((error as Error).stack).split('\n').slice(1, 3)).toEqual([
      '    at inner (https://example.com/app.wasm:wasm-function[2]:0x8f)',
      '    at https://example.com/app.wasm:wasm-function[3]:0x95',
    ]);
    // The same bytes without a URL are another module, named by their hash.
    expect(engine.compile(bytes).script.url).toMatch(/^wasm:\/\/wasm\/[0-9a-f]{8}$/);
  });
});
