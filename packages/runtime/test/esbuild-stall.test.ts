// The event-loop stall while compiling a real 14 MB module (esbuild.wasm) in the background,
// against a synchronous compile of the same bytes. Opt-in (FLINT_STALL_BENCH=1): it compiles
// 14 MB twice, which takes tens of seconds on a 2-core machine; the always-on bound is in
// compile-pool.test.ts on a synthetic module.
import { existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Engine, WebAssembly } from '../src/index.ts';
import { bundleCompileWorker } from './helpers/compile-worker-bundle.ts';

const esbuildWasm = fileURLToPath(new URL('../../../apps/bench/node_modules/esbuild-wasm/esbuild.wasm', import.meta.url));
const enabled = process.env['FLINT_STALL_BENCH'] === '1' && existsSync(esbuildWasm) && process.arch === 'x64' && process.platform === 'linux';

describe.skipIf(!enabled)('event-loop stall on esbuild.wasm (opt-in: FLINT_STALL_BENCH=1, x86-64 Linux, apps/bench installed)', () => {
  it('stays responsive while compiling on workers', async () => {
    const bytes = new Uint8Array(readFileSync(esbuildWasm));
    const engine = new Engine({ compileWorkerUrl: await bundleCompileWorker() });
    try {
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      let started = performance.now();
      histogram.enable();
      const compiled = await engine.compileAsync(bytes);
      histogram.disable();
      const backgroundMs = performance.now() - started;
      const asyncStall = histogram.max / 1e6;
      expect(WebAssembly.Module.exports(WebAssembly.Module.fromCompiled(compiled)).length).toBeGreaterThan(0);

      started = performance.now();
      new Engine({ compileWorkers: 0 }).compile(bytes);
      const syncStall = performance.now() - started;
      console.log(
        `esbuild.wasm (${bytes.length} bytes): compileAsync on ${engine.compilePool?.size} workers ${backgroundMs.toFixed(0)} ms, ` +
          `longest stall ${asyncStall.toFixed(0)} ms (p99 ${(histogram.percentile(99) / 1e6).toFixed(0)} ms); synchronous compile ${syncStall.toFixed(0)} ms`,
      );
      expect(asyncStall).toBeLessThan(syncStall / 10);
    } finally {
      await engine.close();
    }
  }, 600_000);
});
