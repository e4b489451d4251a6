#!/usr/bin/env node
// The main job of the quick start (`pnpm start`, after `pnpm build`): Flint's CLI validates and
// summarises the WASI program shipped in examples/, then runs it natively with `flint run`; the
// program's output and exit code are checked against the same program under Node's own
// WebAssembly with node:wasi, and the job fails loudly if they differ.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WASI } from 'node:wasi';
import { $, chalk } from 'zx';

$.verbose = false;
const example = 'examples/primes.wasm';
const limit = '1000000';
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

console.log(chalk.bold(`\nflint run ${example} ${limit}`));
let started = performance.now();
const ran = await $`${flint} run ${example} ${limit}`.nothrow();
const flintMs = performance.now() - started;
process.stdout.write(ran.stdout + ran.stderr);

// The reference: Node's WebAssembly and node:wasi, with the same argv, stdout to a file.
const io = mkdtempSync(join(tmpdir(), 'flint-main-job-'));
const stdout = openSync(join(io, 'stdout'), 'w');
const stderr = openSync(join(io, 'stderr'), 'w');
let nodeExit;
started = performance.now();
try {
  const wasi = new WASI({ version: 'preview1', args: [example, limit], env: {}, stdout, stderr, returnOnExit: true });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(example)), wasi.getImportObject());
  nodeExit = wasi.start(instance);
} finally {
  closeSync(stdout);
  closeSync(stderr);
}
const nodeMs = performance.now() - started;
const nodeOut = readFileSync(join(io, 'stdout'), 'utf8');
const nodeErr = readFileSync(join(io, 'stderr'), 'utf8');
rmSync(io, { recursive: true, force: true });

const same = ran.stdout === nodeOut && ran.stderr === nodeErr && ran.exitCode === nodeExit;
console.log(
  `\nflint run: exit ${ran.exitCode} in ${flintMs.toFixed(0)} ms (process, compile included); ` +
    `Node's WebAssembly + node:wasi: exit ${nodeExit} in ${nodeMs.toFixed(0)} ms (in-process)`,
);
if (!same) {
  console.error(chalk.red('main job failed: flint run and Node disagree on the program’s output or exit code'));
  console.error(`node stdout:\n${nodeOut}${nodeErr ? `node stderr:\n${nodeErr}` : ''}`);
  process.exit(1);
}
console.log(chalk.green('flint run and Node agree: same output, same exit code'));
