// Runs the limits scenarios on this process's CPU and prints what they gave as one JSON line:
// growth results under caps, and recursion depths (V8's and Flint's at several stack sizes).
// Bundled by limits-arm64.test.ts and run natively and under qemu-aarch64.
import { DEFAULT_LIMITS, Engine, WebAssembly, registeredTiers } from '@flint/runtime';
import { deepHostCall, deepHostModule, growModule, recursionDepth, stackModule, type DeepHostExports, type StackExports } from '../../helpers/limits-scenarios.ts';

/** Node's own WebAssembly (V8), for the depth Flint must reach. */
const V8_WEBASSEMBLY = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: object } } }).WebAssembly;

const engine = new Engine({ compileWorkers: 0 });
const results: Record<string, unknown>[] = [];
const v8 = new V8_WEBASSEMBLY.Instance(new V8_WEBASSEMBLY.Module(stackModule()), { env: { js: () => {} } }).exports as unknown as StackExports;
const v8Depth = recursionDepth(v8).depth;
for (const { name: tier } of registeredTiers()) {
  engine.store.setLimits({ maxMemoryBytes: 4 * 65536, maxTableElements: 10 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(growModule(1, 1000, 2), { tier }), {});
  const growMemory = exports['growMemory'] as (n: number) => number;
  const growTable = exports['growTable'] as (n: number) => number;
  const grow = [growMemory(4), growMemory(3), growMemory(1), growTable(9), growTable(8), growTable(1)];
  engine.store.setLimits(DEFAULT_LIMITS);
  const flint = new WebAssembly.Instance(new WebAssembly.Module(stackModule(), { tier }), { env: { js: () => {} } }).exports as unknown as StackExports;
  const outcome = recursionDepth(flint);
  engine.store.setLimits({ wasmStackBytes: 256 * 1024 });
  const small = recursionDepth(flint).depth;
  engine.store.setLimits({ wasmStackBytes: 1024 * 1024 });
  const large = recursionDepth(flint).depth;
  engine.store.setLimits({ wasmStackBytes: engine.store.invoker.maxWasmStackBytes });
  const deepest = recursionDepth(flint).depth;
  engine.store.setLimits(DEFAULT_LIMITS);
  const deep = deepHostCall((host) => new WebAssembly.Instance(new WebAssembly.Module(deepHostModule(), { tier }), { env: { host } }).exports as unknown as DeepHostExports);
  results.push({ tier, grow, v8Depth, depth: outcome.depth, error: String(outcome.error), small, large, deepest, deep });
}
console.log(JSON.stringify({ arch: process.arch, results }));
