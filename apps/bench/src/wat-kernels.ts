// The kernels written in the text format (kernels/*.wat): the SIMD kernels, hand-written because
// this machine has no clang with the wasm32 target to build C with -msimd128. This script
// assembles each with @flint/text's parser into the committed .wasm next to it and prints the
// expected checksums, which come from outside any wasm engine: matmul-simd computes exactly
// matmul.c's product (its checksums are matmul's, derived natively by kernels/build.sh), and
// bytescan-simd's come from `bytescanReference`, a scalar TypeScript version of its algorithm.
// Usage: pnpm --filter @flint/bench build:wat-kernels
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWat } from '@flint/text';
import { KERNELS, bytescanReference } from './kernels.ts';

const kernelsDir = join(dirname(fileURLToPath(import.meta.url)), '../kernels');

for (const name of ['matmul-simd', 'bytescan-simd']) {
  const bytes = parseWat(readFileSync(join(kernelsDir, `${name}.wat`), 'utf8'));
  writeFileSync(join(kernelsDir, `${name}.wasm`), bytes);
  const kernel = KERNELS.find((k) => k.name === name)!;
  const expected = name === 'bytescan-simd' ? [bytescanReference(kernel.checkN), bytescanReference(kernel.n)] : ['matmul.c', 'matmul.c'];
  console.log(`${name.padEnd(14)} ${String(bytes.length).padStart(5)} bytes  run(${kernel.checkN}) = ${expected[0]}  run(${kernel.n}) = ${expected[1]}`);
}
