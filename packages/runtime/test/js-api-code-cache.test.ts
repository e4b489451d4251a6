// The JS API's opt-in on-disk code cache: FLINT_CODE_CACHE names the directory of the
// namespace's engine. Each run is a worker thread with its own engine and store (a fresh
// process, as far as the cache can tell).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsApiEngineOptions } from '../src/api/engine-options.ts';
import { chainModule, chainResult } from './helpers/chain-module.ts';
import { bundleWorker } from './helpers/compile-worker-bundle.ts';

const isX64 = process.arch === 'x64' && process.platform === 'linux';

it('reads the directory from FLINT_CODE_CACHE, and nothing else', () => {
  expect(jsApiEngineOptions({})).toEqual({});
  expect(jsApiEngineOptions({ FLINT_CODE_CACHE: '' })).toEqual({});
  expect(jsApiEngineOptions({ FLINT_CODE_CACHE: '/var/cache/flint' })).toEqual({ codeCacheDirectory: '/var/cache/flint' });
});

describe.skipIf(!isX64)('the JS API with FLINT_CODE_CACHE (needs an x86-64 Linux host)', () => {
  let workerUrl: URL;
  const directory = mkdtempSync(join(tmpdir(), 'flint-js-api-cache-'));
  beforeAll(async () => {
    workerUrl = await bundleWorker(new URL('./helpers/js-api-cache-worker.ts', import.meta.url), 'js-api-cache-worker');
  }, 120_000);
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
    rmSync(dirname(fileURLToPath(workerUrl)), { recursive: true, force: true });
  });

  const runIn = (env: Record<string, string>, bytes: Uint8Array): Promise<{ results: number[]; stats: unknown }> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl, { env: { ...process.env, ...env } });
      worker.once('message', (message) => {
        resolve(message);
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.postMessage({ bytes, name: 'f29', arg: 4 });
    });

  it('the first thread compiles and stores, the next loads from the directory', async () => {
    const bytes = chainModule({ functions: 30, padding: 4 });
    const expected = chainResult(29, 4, 4);
    const first = await runIn({ FLINT_CODE_CACHE: directory }, bytes);
    expect(first.results).toEqual([expected, expected]);
    expect(first.stats).toMatchObject({ hits: 0, misses: 1, writes: 1 });
    expect(readdirSync(directory)).toHaveLength(1);
    const second = await runIn({ FLINT_CODE_CACHE: directory }, bytes);
    expect(second.results).toEqual([expected, expected]);
    // instantiate(bytes) loads from disk; new Module(bytes) then finds it in the engine's memory.
    expect(second.stats).toMatchObject({ hits: 1, misses: 0, writes: 0 });
    const without = await runIn({ FLINT_CODE_CACHE: '' }, bytes);
    expect(without).toEqual({ results: [expected, expected], stats: null });
  });
});
