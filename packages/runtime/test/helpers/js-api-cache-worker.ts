// A worker of the JS API code-cache test: compiles the module it is sent through the namespace
// (whose engine reads FLINT_CODE_CACHE from this thread's environment) and reports what the
// on-disk cache did, and the module's result.
import { parentPort } from 'node:worker_threads';
import { jsApiEngine } from '../../src/api/exported-function.ts';
import { WebAssembly } from '../../src/index.ts';

parentPort!.once('message', async ({ bytes, name, arg }: { bytes: Uint8Array; name: string; arg: number }) => {
  const { instance } = await WebAssembly.instantiate(bytes);
  const sync = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const results = [(instance.exports[name] as (x: number) => number)(arg), (sync.exports[name] as (x: number) => number)(arg)];
  parentPort!.postMessage({ results, stats: jsApiEngine().diskCacheStats });
});
