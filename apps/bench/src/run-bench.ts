// The execution benchmark: the C kernels of kernels.ts on V8 Liftoff only, V8 TurboFan only, V8's
// default mode, Flint's optimizing, baseline and tiered tiers, and the kernels compiled natively by gcc -O2, side by
// side in one run. V8's tier is fixed per process by flags, so each V8 configuration runs
// v8-child.js in a child Node process; Flint runs here, through @flint/runtime's WebAssembly
// namespace; the native column runs kernels/native-bench.c linked with each kernel. Prints two
// Markdown tables, execution time and compile throughput (also written to results/latest.md on
// full runs).
// Usage: pnpm --filter @flint/bench bench:exec  [-- --quick] [-- --only=crc32,fib]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNELS, parseSuiteOptions, runSuite, type KernelResult, type SuiteOptions, type SuiteResult, type WasmNamespace } from './kernels.ts';
import { mbPerSecond } from './measure.ts';

const here = dirname(fileURLToPath(import.meta.url));
const kernelsDir = join(here, '../kernels');

interface V8Config {
  readonly label: string;
  readonly flags: readonly string[];
}

// Eager compilation in both, so `new WebAssembly.Module` compiles every function with the tier,
// and on the calling thread only (no compilation tasks), as Flint's synchronous compile does.
const SINGLE_THREADED = '--wasm-num-compilation-tasks=0';
const LIFTOFF: V8Config = { label: 'V8 Liftoff', flags: ['--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', '--no-wasm-lazy-compilation', SINGLE_THREADED] };
const TURBOFAN: V8Config = { label: 'V8 TurboFan', flags: ['--no-liftoff', '--no-wasm-lazy-compilation', SINGLE_THREADED] };
/** Node as users run it: lazy compilation, Liftoff first, dynamic tiering to TurboFan in the background. */
const V8_DEFAULT: V8Config = { label: 'V8 default', flags: [] };

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
  readonly WebAssembly: WasmNamespace & { readonly Module: new (bytes: Uint8Array, options: { tier: string }) => object };
}

async function runFlint(tier: string, options: SuiteOptions): Promise<Column> {
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
  return runSuite(ns, (bytes) => new ns.Module(bytes, { tier }), options);
}

/**
 * The kernels as native code: each C source compiled by the host gcc with -O2 (and build.sh's
 * flags, so results match wasm's bit for bit), linked with native-bench.c, run(n) timed like the
 * engines. The column is n/a without gcc.
 */
function runNative(options: SuiteOptions): Column {
  const cc = process.env.CC ?? 'gcc';
  const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return { error: `${cc} not available` };
  const out = mkdtempSync(join(tmpdir(), 'flint-native-'));
  const kernels: KernelResult[] = [];
  for (const kernel of KERNELS) {
    if (options.only !== undefined && !options.only.includes(kernel.name)) continue;
    const source = join(kernelsDir, `${kernel.name}.c`);
    if (!existsSync(source)) {
      // The SIMD kernels are written in the text format: there is no C program to compare with.
      kernels.push({ name: kernel.name, error: 'no C source' });
      continue;
    }
    const exe = join(out, kernel.name);
    const define = kernel.result === 'f64' ? ['-DKERNEL_RETURNS_F64'] : [];
    const flags = ['-O2', '-ffp-contract=off', '-fno-builtin', '-fno-math-errno', ...define, '-o', exe, source, join(kernelsDir, 'native-bench.c'), '-lm'];
    const built = spawnSync(cc, flags, { encoding: 'utf8' });
    if (built.status !== 0) {
      kernels.push({ name: kernel.name, error: `${cc} failed: ${built.stderr.split('\n')[0] ?? ''}` });
      continue;
    }
    const n = options.quick ? kernel.checkN : kernel.n;
    const ran = spawnSync(exe, [String(n), options.quick ? '1' : '5'], { encoding: 'utf8' });
    const line = ran.stdout?.trim() ?? '';
    if (ran.status !== 0 || !line.startsWith('{')) {
      kernels.push({ name: kernel.name, error: `native run failed (${String(ran.status)})` });
      continue;
    }
    const { result, medianMs } = JSON.parse(line) as { result: number; medianMs: number };
    const expected = options.quick ? kernel.checkResult : kernel.nResult;
    if (!Object.is(result, expected)) kernels.push({ name: kernel.name, error: `wrong result: run(${n}) = ${result}, expected ${expected}` });
    else kernels.push({ name: kernel.name, runMs: medianMs, n, runs: options.quick ? 1 : 5 });
  }
  return { kernels, callNs: 'n/a (native)' };
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

interface Columns {
  readonly liftoff: Column;
  readonly turbofan: Column;
  readonly v8Default: Column;
  readonly optimizing: Column;
  readonly baseline: Column;
  readonly tiered: Column;
  readonly native: Column;
}

function report(c: Columns, options: SuiteOptions): string {
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
  lines.push(`V8 Liftoff: \`node ${LIFTOFF.flags.join(' ')}\`; V8 TurboFan: \`node ${TURBOFAN.flags.join(' ')}\` (both compile on one thread); Flint: the optimizing and baseline tiers, in the parent process; native: the C source by \`gcc -O2 -ffp-contract=off -fno-builtin\`.`);
  lines.push('');
  lines.push('## Execution time');
  lines.push('');
  lines.push('| kernel | n | V8 TurboFan | Flint optimizing | Flint baseline | V8 Liftoff | native gcc -O2 | optimizing / TurboFan | baseline / TurboFan | optimizing / native |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const optVsTf: number[] = [];
  const baseVsTf: number[] = [];
  const optVsNative: number[] = [];
  for (const kernel of KERNELS) {
    if (options.only !== undefined && !options.only.includes(kernel.name)) continue;
    const [l, t, o, b, n] = [c.liftoff, c.turbofan, c.optimizing, c.baseline, c.native].map((col) => kernelOf(col, kernel.name)) as [Cell, Cell, Cell, Cell, Cell];
    const size = options.quick ? kernel.checkN : kernel.n;
    lines.push(
      `| ${kernel.name} | ${size} | ${timeCell(t)} | ${timeCell(o)} | ${timeCell(b)} | ${timeCell(l)} | ${timeCell(n)} | ` +
        `${ratioCell(runMsOf(o), runMsOf(t), optVsTf)} | ${ratioCell(runMsOf(b), runMsOf(t), baseVsTf)} | ${ratioCell(runMsOf(o), runMsOf(n), optVsNative)} |`,
    );
  }
  lines.push(`| **geometric mean** | | | | | | | ${geomean(optVsTf)} | ${geomean(baseVsTf)} | ${geomean(optVsNative)} |`);
  lines.push('');
  lines.push('Time ratios above 1 mean Flint is slower.');
  lines.push('');
  lines.push('## Dynamic tiering');
  lines.push('');
  lines.push(
    "Flint's `tiered` tier (baseline code first, hot functions recompiled by the optimizing tier in the background) against Flint's optimizing tier alone and Node's default mode (`node` without flags: Liftoff first, dynamic tier-up to TurboFan). Same timing as above: the warm-up run is where functions get hot.",
  );
  lines.push('');
  lines.push('| kernel | Flint tiered | Flint optimizing | V8 default | tiered / optimizing | tiered / V8 default |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  const tieredVsOpt: number[] = [];
  const tieredVsDefault: number[] = [];
  for (const kernel of KERNELS) {
    if (options.only !== undefined && !options.only.includes(kernel.name)) continue;
    const [t, o, d] = [c.tiered, c.optimizing, c.v8Default].map((col) => kernelOf(col, kernel.name)) as [Cell, Cell, Cell];
    lines.push(`| ${kernel.name} | ${timeCell(t)} | ${timeCell(o)} | ${timeCell(d)} | ${ratioCell(runMsOf(t), runMsOf(o), tieredVsOpt)} | ${ratioCell(runMsOf(t), runMsOf(d), tieredVsDefault)} |`);
  }
  lines.push(`| **geometric mean** | | | | ${geomean(tieredVsOpt)} | ${geomean(tieredVsDefault)} |`);
  lines.push('');
  lines.push('## Compile throughput (code-section MB/s, one thread)');
  lines.push('');
  lines.push('| kernel | code | V8 Liftoff | V8 TurboFan | Flint optimizing | Flint baseline | optimizing / TurboFan | optimizing / Liftoff |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  const compileVsTf: number[] = [];
  const compileVsLiftoff: number[] = [];
  for (const kernel of KERNELS) {
    if (options.only !== undefined && !options.only.includes(kernel.name)) continue;
    const [l, t, o, b] = [c.liftoff, c.turbofan, c.optimizing, c.baseline].map((col) => kernelOf(col, kernel.name)) as [Cell, Cell, Cell, Cell];
    const codeBytes = 'codeBytes' in l ? l.codeBytes : undefined;
    lines.push(
      `| ${kernel.name} | ${codeBytes ?? '?'} B | ${throughputCell(l)} | ${throughputCell(t)} | ${throughputCell(o)} | ${throughputCell(b)} | ` +
        `${ratioCell(throughputOf(o), throughputOf(t), compileVsTf)} | ${ratioCell(throughputOf(o), throughputOf(l), compileVsLiftoff)} |`,
    );
  }
  lines.push(`| **geometric mean** | | | | | | ${geomean(compileVsTf)} | ${geomean(compileVsLiftoff)} |`);
  lines.push('');
  lines.push('Throughput ratios above 1 mean Flint compiles faster. The kernels are small (under 2.5 KB of code), so compile');
  lines.push("times include each engine's fixed per-module cost.");
  lines.push('');
  lines.push('Call overhead: one JS → wasm call of the exported `(func (param i32) (result i32) local.get 0)`.');
  lines.push('');
  lines.push('| V8 Liftoff | V8 TurboFan | Flint optimizing | Flint baseline |');
  lines.push('|---:|---:|---:|---:|');
  lines.push(`| ${callCell(c.liftoff)} | ${callCell(c.turbofan)} | ${callCell(c.optimizing)} | ${callCell(c.baseline)} |`);
  return lines.join('\n');
}

type Cell = KernelResult | { readonly error: string };

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
console.error(`${V8_DEFAULT.label}…`);
const v8Default = runV8(V8_DEFAULT, args);
console.error('Flint optimizing…');
const optimizing = await runFlint('optimizing', options);
console.error('Flint baseline…');
const baseline = await runFlint('baseline', options);
console.error('Flint tiered…');
const tiered = await runFlint('tiered', options);
console.error('native…');
const native = runNative(options);
const table = report({ liftoff, turbofan, v8Default, optimizing, baseline, tiered, native }, options);
console.log(table);
if (!options.quick && options.only === undefined) {
  const resultsDir = join(here, '../results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.md'), `${table}\n`);
  console.log(`\nWritten to ${join(resultsDir, 'latest.md')}.`);
}
const failures = [...v8Failures(liftoff, LIFTOFF.label), ...v8Failures(turbofan, TURBOFAN.label), ...v8Failures(v8Default, V8_DEFAULT.label)];
if (failures.length > 0) {
  console.error(`\nV8 failed the suite's own checks:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
