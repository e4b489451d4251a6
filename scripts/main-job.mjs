#!/usr/bin/env node
// The main job of the quick start (`pnpm start`, after `pnpm build`): Flint's CLI validates
// and summarises the WASI program shipped in examples/, and the verdict is checked against
// Node's own WebAssembly.validate on the same bytes. Later milestones make it run the program.
import { readFileSync } from 'node:fs';
import { $, chalk } from 'zx';

$.verbose = false;
const example = 'examples/primes.wasm';
const flint = ['node', 'packages/cli/dist/bin.js'];

console.log(chalk.bold(`flint validate ${example}`));
const validated = await $`${flint} validate ${example}`.nothrow();
process.stdout.write(validated.stdout + validated.stderr);

console.log(chalk.bold(`\nflint inspect ${example}`));
const inspected = await $`${flint} inspect ${example}`.nothrow();
process.stdout.write(inspected.stdout + inspected.stderr);

const v8Valid = WebAssembly.validate(readFileSync(example));
const flintValid = validated.exitCode === 0;
console.log(`\nNode's WebAssembly.validate: ${v8Valid ? 'valid' : 'invalid'}; Flint: ${flintValid ? 'valid' : 'invalid'}`);
if (v8Valid !== flintValid || inspected.exitCode !== 0) {
  console.error(chalk.red('main job failed: Flint and V8 disagree, or inspect failed'));
  process.exit(1);
}
