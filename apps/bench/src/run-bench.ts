// The execution benchmark: the C kernels of kernels.ts on V8 Liftoff only, V8 TurboFan only and
// Flint's baseline tier, side by side in one run. V8's tier is fixed per process by flags, so each
// V8 configuration runs v8-child.js in a child Node process; Flint runs here, through
// @flint/runtime's WebAssembly namespace. Prints a Markdown table (also written to
// results/latest.md on full runs).
// Usage: pnpm --filter @flint/bench bench:exec  [-- --quick] [-- --only=crc32,fib]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNELS, parseSuiteOptions, runSuite, type KernelResult, type SuiteOptions, type SuiteResult, type WasmNamespace } from './kernels.ts';
import { mbPerSecond } from './measure.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface V8Config {
  readonly label: string;
  readonly flags: readonly string[];
}

// Eager compilation in both, so `new WebAssembly.Module` compiles every function with the tier.
const LIFTOFF: V8Config = { label: 'V8 Liftoff', flags: ['--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', '--no-wasm-lazy-compilation'] };
const TURBOFAN: V8Config = { label: 'V8 TurboFan', flags: ['--no-liftoff', '--no-wasm-lazy-compilation'] };

/** A whole engine column: its results, or why it has none. */
type Column = SuiteResult | { readonly error: string };

function runV8(config: V8Config, args: readonly string[]): Column {
  const child = join(here, 'v8-child.js');
  if (!existsSync(child)) return { error: `${child} is missing: run through the bench:exec script (tsup builds it)` };
  const result = spawnSync(process.execPath, [...config.flags, child, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const lastLine = result.stdout?.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !lastLine.startsWith('{')) {
    const reason = result.error?.message ?? result.stderr?.trim().split('\n').slice(0, 3).join(' ') ?? '';
    return { error: `child exited with ${String(result.status)}: ${reason}` };
  }
  return JSON.parse(lastLine) as SuiteResult;
}

/** The slice of @flint/runtime this benchmark needs; checked at run time, as the runtime is young. */
interface FlintRuntime {
  readonly WebAssembly: WasmNamespace & { readonly Module: new (bytes: Uint8Array, options: { tier: 'baseline' }) => object };
}

async function runFlint(options: SuiteOptions): Promise<Column> {
  let runtime: FlintRuntime;
  try {
    // A computed specifier: the runtime is loaded from its own build (it loads a native addon, so
    // it is not bundled here), and a runtime that fails to load leaves its column n/a.
    const specifier = '@flint/runtime';
    runtime = (await import(specifier)) as FlintRuntime;
  } catch (error) {
    return { error: `runtime not loadable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const ns = runtime.WebAssembly;
  if (typeof ns?.Module !== 'function' || typeof ns.Instance !== 'function') return { error: 'runtime exports no WebAssembly namespace' };
  return runSuite(ns, (bytes) => new ns.Module(bytes, { tier: 'baseline' }), options);
}

/** Three significant digits, without exponent notation: numbers here span 0.001 to 100,000. */
const fmt = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));

const cellError = (reason: string): string => `n/a (${reason.replaceAll('|', '\\|')})`;

function kernelOf(column: Column, name: string): KernelResult | { readonly error: string } {
  if ('error' in column) return { error: column.error };
  return column.kernels.find((k) => k.name === name) ?? { error: 'not run' };
}

const runMsOf = (r: KernelResult | { error: string }): number | undefined => ('runMs' in r ? r.runMs : undefined);
const throughputOf = (r: KernelResult | { error: string }): number | undefined =>
  'compileMs' in r && r.compileMs !== undefined && r.codeBytes !== undefined ? mbPerSecond(r.codeBytes, r.compileMs) : undefined;

function timeCell(r: KernelResult | { error: string }): string {
  if ('error' in r && r.error !== undefined) return cellError(r.error);
  const ms = runMsOf(r);
  return ms === undefined ? cellError('no time') : `${fmt(ms)} ms`;
}

function throughputCell(r: KernelResult | { error: string }): string {
  if ('error' in r && r.error !== undefined) return cellError(r.error);
  const mbs = throughputOf(r);
  return mbs === undefined ? cellError('no time') : `${fmt(mbs)} MB/s`;
}

/** Ratio cell, collecting the ratio for the geometric mean when both sides exist. */
function ratioCell(numerator: number | undefined, denominator: number | undefined, into: number[]): string {
  if (numerator === undefined || denominator === undefined || denominator === 0) return '–';
  const ratio = numerator / denominator;
  into.push(ratio);
  return `${fmt(ratio)}×`;
}

const geomean = (values: readonly number[]): string =>
  values.length === 0 ? '–' : `${fmt(Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length))}× (${values.length} kernels)`;

function callCell(column: Column): string {
  if ('error' in column) return cellError(column.error);
  return typeof column.callNs === 'number' ? `${fmt(column.callNs)} ns` : column.callNs;
}

function report(liftoff: Column, turbofan: Column, flint: Column, options: SuiteOptions): string {
  const lines: string[] = [];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  lines.push(`# Execution benchmark${options.quick ? ' (--quick: tiny sizes, one run; correctness only, the times mean nothing)' : ''}`);
  lines.push('');
  lines.push(`node ${process.version}, ${cpu}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end, ${new Date().toISOString()}.`);
  lines.push(
    options.quick
      ? 'Execution: one run of `run(n)`; compile: one compilation (code section bytes per second).'
      : 'Execution: median of 5 runs of `run(n)` after a warm-up run; compile: median of 5 compilations of distinct bytes after a warm-up one (code section bytes per second).',
  );
  lines.push(`V8 Liftoff: \`node ${LIFTOFF.flags.join(' ')}\`; V8 TurboFan: \`node ${TURBOFAN.flags.join(' ')}\`; Flint: baseline tier, in the parent process.`);
  lines.push('');
  lines.push('| kernel | n | code | V8 Liftoff | V8 TurboFan | Flint | Flint/Liftoff time | Flint/TurboFan time | Liftoff compile | TurboFan compile | Flint compile | Flint/Liftoff compile throughput |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const vsLiftoff: number[] = [];
  const vsTurbofan: number[] = [];
  const compileVsLiftoff: number[] = [];
  for (const kernel of KERNELS) {
    if (options.only !== undefined && !options.only.includes(kernel.name)) continue;
    const l = kernelOf(liftoff, kernel.name);
    const t = kernelOf(turbofan, kernel.name);
    const f = kernelOf(flint, kernel.name);
    const n = options.quick ? kernel.checkN : kernel.n;
    const codeBytes = 'codeBytes' in l ? l.codeBytes : undefined;
    lines.push(
      `| ${kernel.name} | ${n} | ${codeBytes ?? '?'} B | ${timeCell(l)} | ${timeCell(t)} | ${timeCell(f)} | ` +
        `${ratioCell(runMsOf(f), runMsOf(l), vsLiftoff)} | ${ratioCell(runMsOf(f), runMsOf(t), vsTurbofan)} | ` +
        `${throughputCell(l)} | ${throughputCell(t)} | ${throughputCell(f)} | ${ratioCell(throughputOf(f), throughputOf(l), compileVsLiftoff)} |`,
    );
  }
  lines.push(`| **geometric mean** | | | | | | ${geomean(vsLiftoff)} | ${geomean(vsTurbofan)} | | | | ${geomean(compileVsLiftoff)} |`);
  lines.push('');
  lines.push('Time ratios above 1 mean Flint is slower; the compile-throughput ratio above 1 means Flint compiles faster.');
  lines.push('The kernels are small (under 2.5 KB of code), so compile times include each engine\'s fixed per-module cost.');
  lines.push('');
  lines.push('Call overhead: one JS → wasm call of the exported `(func (param i32) (result i32) local.get 0)`.');
  lines.push('');
  lines.push('| V8 Liftoff | V8 TurboFan | Flint |');
  lines.push('|---:|---:|---:|');
  lines.push(`| ${callCell(liftoff)} | ${callCell(turbofan)} | ${callCell(flint)} |`);
  return lines.join('\n');
}

/** V8 failing a correctness check means the suite itself is wrong: that must not pass quietly. */
function v8Failures(column: Column, label: string): string[] {
  if ('error' in column) return [`${label}: ${column.error}`];
  return column.kernels.filter((k) => k.error !== undefined).map((k) => `${label} ${k.name}: ${k.error}`);
}

const args = process.argv.slice(2);
const options = parseSuiteOptions(args);
console.error(`${LIFTOFF.label}…`);
const liftoff = runV8(LIFTOFF, args);
console.error(`${TURBOFAN.label}…`);
const turbofan = runV8(TURBOFAN, args);
console.error('Flint…');
const flint = await runFlint(options);
const table = report(liftoff, turbofan, flint, options);
console.log(table);
if (!options.quick && options.only === undefined) {
  const resultsDir = join(here, '../results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.md'), `${table}\n`);
  console.log(`\nWritten to ${join(resultsDir, 'latest.md')}.`);
}
const failures = [...v8Failures(liftoff, LIFTOFF.label), ...v8Failures(turbofan, TURBOFAN.label)];
if (failures.length > 0) {
  console.error(`\nV8 failed the suite's own checks:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
