// `onProgress(done, total)` on `Engine.compile`/`compileAsync`: one call per compiled function.
import { describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { bundleCompileWorker } from './helpers/compile-worker-bundle.ts';
import { Engine } from '../src/index.ts';
import { chainModule } from './helpers/chain-module.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();

describe.skipIf(!isX64)('compile progress (places code: needs an x86-64 Linux host)', () => {
  it('compile reports each function once, in order, and nothing for a module it already has', () => {
    const engine = new Engine({ compileWorkers: 0 });
    const bytes = chainModule({ functions: 5, padding: 1 });
    const calls: [number, number][] = [];
    engine.compile(bytes, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
    calls.length = 0;
    engine.compile(bytes, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([]);
  });

  it('compileAsync on the calling thread reports as compile does', async () => {
    const engine = new Engine({ compileWorkers: 0 });
    const calls: [number, number][] = [];
    await engine.compileAsync(chainModule({ functions: 3, padding: 2 }), { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  it('the option does not change what the module is keyed by', () => {
    const engine = new Engine({ compileWorkers: 0 });
    const bytes = chainModule({ functions: 2, padding: 0 });
    const first = engine.compile(bytes, { onProgress: () => {} });
    expect(engine.compile(bytes)).toBe(first);
    expect(first.options).toEqual({ tier: 'baseline', lazy: false, fuel: false });
  });

  it('on the compile pool, progress arrives once, when every function is back (a temporary limit)', async () => {
    const engine = new Engine({ compileWorkerUrl: await bundleCompileWorker(), compileWorkers: 1 });
    try {
      expect(engine.compilesInBackground).toBe(true);
      const calls: [number, number][] = [];
      await engine.compileAsync(chainModule({ functions: 4, padding: 3 }), { onProgress: (done, total) => calls.push([done, total]) });
      expect(calls).toEqual([[4, 4]]);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
