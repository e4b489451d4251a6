// Runs the fuel scenarios on this process's CPU and prints the fuel each run consumed as one JSON
// line. Bundled by fuel-arm64.test.ts and run natively and under qemu-aarch64: fuel is
// deterministic, so both must print the same.
import { Engine, WebAssembly, registeredTiers } from '@flint/runtime';
import { fuelScenarios } from '../../helpers/fuel-scenarios.ts';

const engine = new Engine({ compileWorkers: 0 });
const results = fuelScenarios(engine, WebAssembly, registeredTiers().map((tier) => tier.name));
console.log(JSON.stringify({ arch: process.arch, results }));
