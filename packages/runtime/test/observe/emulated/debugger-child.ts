// Runs the debugger scenarios on this process's CPU (every tier that makes debug code, eager and
// lazy) and prints the traces as one JSON line. Bundled by debugger-arm64.test.ts and run natively
// and under qemu-aarch64; both must print the same.
import { Engine, WebAssembly, registeredTiers } from '@flint/runtime';
import { runDebugScenarios } from '../../helpers/debug-scenarios.ts';

const results: unknown[] = [];
for (const tier of registeredTiers()) {
  for (const lazy of [false, true]) {
    results.push({ tier: tier.name, lazy, traces: runDebugScenarios(new Engine({ compileWorkers: 0 }), WebAssembly, { tier: tier.name, lazy }) });
  }
}
console.log(JSON.stringify({ arch: process.arch, results }));
