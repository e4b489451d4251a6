// Compile-speed measurement: compiles every function of the given modules with one reused
// BaselineCompiler, several rounds, and prints functions/s and MB/s of function-body bytes per
// round (the first round includes JIT warm-up).
//
// It lives with the benchmarks because it needs a concrete backend, which the compiler package may
// never import (not even in a bench folder: scripts/check-layering.mjs reads every file). Run:
//   pnpm --filter @flint/bench bench:compile-speed -- ../../examples/primes.wasm node_modules/esbuild-wasm/esbuild.wasm
// (ROUNDS=n sets the number of rounds; the first includes JIT warm-up.)

import { readFileSync } from 'node:fs';
import { isBackendBailout } from '@flint/backend';
import { decodeModule, validateModule } from '@flint/decoder';
import { x64Backend } from '@flint/codegen-x64';
import { BaselineCompiler, createCompileStats } from '@flint/compiler-baseline';

const ROUNDS = Number(process.env['ROUNDS'] ?? 3);

for (const file of process.argv.slice(2)) {
  const module = decodeModule(readFileSync(file));
  validateModule(module);
  const compiler = new BaselineCompiler(x64Backend);
  const bailouts = new Map<string, number>();
  for (let round = 1; round <= ROUNDS; round++) {
    const stats = createCompileStats();
    const started = performance.now();
    for (const body of module.codes) {
      try {
        compiler.compile({ module, body }, { stats });
      } catch (error) {
        if (!isBackendBailout(error)) throw error;
        if (round === 1) bailouts.set(error.message, (bailouts.get(error.message) ?? 0) + 1);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${file} round ${round}: ${stats.functions} functions, ${(stats.bodyBytes / 1e6).toFixed(2)} MB in ` +
        `${(seconds * 1000).toFixed(0)} ms = ${(stats.functions / seconds).toFixed(0)} functions/s, ` +
        `${(stats.bodyBytes / 1e6 / seconds).toFixed(2)} MB/s; code ${(stats.codeBytes / 1e6).toFixed(2)} MB, ` +
        `${stats.recompiles} recompiled`,
    );
  }
  for (const [reason, count] of bailouts) console.log(`  bailout ×${count}: ${reason}`);
}
