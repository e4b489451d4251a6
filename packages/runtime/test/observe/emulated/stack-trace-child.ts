// Runs the stack-trace scenarios on this process's CPU and prints what each error carries as one
// JSON line: the frames `wasmFramesOf` gives and the `stack` lines, module hashes masked. Bundled
// by stack-trace-arm64.test.ts, with the runtime in a bundle of its own (so its frames are told
// apart from these), and run natively and under qemu-aarch64; both must print the same.
import { WebAssembly, registeredTiers, wasmFramesOf, Engine } from '@flint/runtime';
import { runScenarios, type WasmNamespace } from '../../helpers/stack-scenarios.ts';

const engine = new Engine({ compileWorkers: 0 });
const results: unknown[] = [];
for (const tier of registeredTiers()) {
  for (const lazy of [false, true]) {
    for (const moduleName of [null, 'mymod']) {
      const namespace: WasmNamespace = {
        Module: class {
          constructor(bytes: Uint8Array) {
            return WebAssembly.Module.fromCompiled(engine.compile(bytes, { tier: tier.name, lazy }));
          }
        } as unknown as WasmNamespace['Module'],
        Instance: WebAssembly.Instance as unknown as WasmNamespace['Instance'],
      };
      for (const outcome of runScenarios(namespace, moduleName)) {
        const frames = wasmFramesOf(outcome.error).map((f) => [f.funcIndex, f.functionName, f.offset, f.tier]);
        const stack = String((outcome.error as Error).stack)
          .split('\n')
          // Node's own frames differ between the host's Node and the sysroot's Node 18.
          .filter((line) => !line.includes('(node:internal/'))
          .map((line) => line.replace(/wasm:\/\/wasm\/((?:\w+-)?)[0-9a-f]{8}:/, 'wasm://wasm/$1HASH:'));
        results.push({ tier: tier.name, lazy, moduleName, scenario: outcome.name, frames: frames.slice(0, 12), frameCount: frames.length, stack });
      }
    }
  }
}
console.log(JSON.stringify({ arch: process.arch, results }));
