// Compile throughput of Flint's baseline tier against V8 Liftoff, side by side in one run, on
// the real-world corpus (corpus.ts) and the execution kernels (kernels.ts). Throughput is
// megabytes of code-section payload per second, the unit V8 reports for its own tiers.
//
// - V8 Liftoff runs in a child Node process (this same file with `--v8-child`) started with
//   `--liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation
//   --single-threaded`: every function is compiled by Liftoff, eagerly, on the main thread.
//   Each timed `new WebAssembly.Module(bytes)` gets bytes with a fresh nonce custom section, so
//   V8's native module cache never answers. V8's time includes decoding and validation.
// - Flint runs here: `decodeModule` + `validateModule` (@flint/decoder), then one reused
//   `BaselineCompiler` (@flint/compiler-baseline) over every defined function through the x64
//   backend (@flint/codegen-x64) directly, not the runtime: no code installation, no
//   instantiation. "Flint total" includes decode and validate, like V8's number; the breakdown
//   splits decode, validate, compile (the operator pass) and finish (`MacroAssembler.finish`),
//   from `CompileStats`.
//
// Usage: pnpm --filter @flint/bench bench:compile [-- --quick] [-- --only=esbuild,swc]
// A full run writes results/compile-latest.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule, validateModule } from '@flint/decoder';
// The compiler and a concrete backend without the runtime around them (benchmarks may use any
// package, see scripts/check-layering.mjs); tsup bundles them from their sources (the
// `@flint/source` condition, see tsup.config.ts).
import { isBackendBailout } from '@flint/backend';
import { x64Backend } from '@flint/codegen-x64';
import { BaselineCompiler, createCompileStats, type CompileStats } from '@flint/compiler-baseline';
import { loadCorpus } from './corpus.ts';
import { KERNELS, codeSectionSize, loadKernel, withNonce } from './kernels.ts';
import { mbPerSecond } from './measure.ts';

const LIFTOFF_FLAGS = ['--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', '--no-wasm-lazy-compilation', '--single-threaded'];

interface BenchModule {
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface Options {
  readonly quick: boolean;
  readonly only: readonly string[] | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  return { quick: argv.includes('--quick'), only };
}

function loadModules(options: Options): BenchModule[] {
  const modules: BenchModule[] = [
    ...loadCorpus().map(({ name, bytes }) => ({ name, bytes })),
    ...KERNELS.map(({ name }) => ({ name: `kernel ${name}`, bytes: loadKernel(name) })),
  ];
  return options.only === undefined ? modules : modules.filter((m) => options.only!.some((o) => m.name === o || m.name === `kernel ${o}`));
}

/** Warm-up runs and timed runs per module: big modules take seconds per compile on this tier. */
function runsFor(options: Options, bytes: Uint8Array): { warmup: number; runs: number } {
  if (options.quick) return { warmup: 0, runs: 1 };
  return bytes.length > 1_000_000 ? { warmup: 1, runs: 3 } : { warmup: 2, runs: 7 };
}

const median = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
};

// --- V8 side (child process) -------------------------------------------------------------------

function v8Child(options: Options): void {
  let nonce = 0;
  const result: Record<string, number> = {};
  for (const { name, bytes } of loadModules(options)) {
    const { warmup, runs } = runsFor(options, bytes);
    const samples: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const distinct = withNonce(bytes, ++nonce);
      const started = performance.now();
      new WebAssembly.Module(distinct);
      if (i >= warmup) samples.push(performance.now() - started);
    }
    result[name] = median(samples);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runLiftoff(argv: readonly string[]): Record<string, number> | { error: string } {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...LIFTOFF_FLAGS, self, '--v8-child', ...argv], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const lastLine = child.stdout?.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !lastLine.startsWith('{')) {
    return { error: `child exited with ${String(child.status)}: ${child.stderr?.trim().split('\n').slice(0, 3).join(' ') ?? ''}` };
  }
  return JSON.parse(lastLine) as Record<string, number>;
}

// --- Flint side ------------------------------------------------------------------------------

interface FlintRun {
  readonly decodeMs: number;
  readonly validateMs: number;
  readonly stats: CompileStats;
  readonly bailouts: number;
}

const compiler = new BaselineCompiler(x64Backend);

function flintOnce(bytes: Uint8Array): FlintRun {
  const t0 = performance.now();
  const module = decodeModule(bytes);
  const t1 = performance.now();
  validateModule(module);
  const t2 = performance.now();
  const stats = createCompileStats();
  let bailouts = 0;
  for (const body of module.codes) {
    try {
      compiler.compile({ module, body }, { stats });
    } catch (error) {
      if (!isBackendBailout(error)) throw error;
      bailouts++;
    }
  }
  return { decodeMs: t1 - t0, validateMs: t2 - t1, stats, bailouts };
}

const totalMs = (r: FlintRun): number => r.decodeMs + r.validateMs + r.stats.milliseconds;

function flintMedian(bytes: Uint8Array, options: Options): FlintRun {
  const { warmup, runs } = runsFor(options, bytes);
  for (let i = 0; i < warmup; i++) flintOnce(bytes);
  const samples: FlintRun[] = [];
  for (let i = 0; i < runs; i++) samples.push(flintOnce(bytes));
  samples.sort((a, b) => totalMs(a) - totalMs(b));
  return samples[samples.length >> 1]!;
}

// --- report ----------------------------------------------------------------------------------

const fmt = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`;

function main(argv: readonly string[]): void {
  const options = parseOptions(argv);
  console.error('V8 Liftoff (child process)…');
  const liftoff = runLiftoff(argv);
  console.error('Flint…');
  const lines: string[] = [];
  lines.push(`# Compile throughput: Flint baseline vs V8 Liftoff${options.quick ? ' (--quick: one compile each; correctness only, the numbers mean little)' : ''}`);
  lines.push('');
  const load = loadavg()[0]!.toFixed(1);
  lines.push(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${load} at the start, ${new Date().toISOString()}.`);
  lines.push(`V8 Liftoff: \`node ${LIFTOFF_FLAGS.join(' ')}\`, \`new WebAssembly.Module\` of bytes with a fresh nonce custom section (includes decode + validate).`);
  lines.push('Flint: decode + validate + one reused `BaselineCompiler` over every function, x64 backend, no installation. Median of the runs.');
  lines.push('Throughput: code-section MB per second. Ratio above 1 means Flint compiles faster.');
  lines.push('');
  lines.push('| module | code section | V8 Liftoff | Flint total | Flint/Liftoff | decode | validate | compile | finish | Flint compile only | machine code / body | bailouts |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const ratios: number[] = [];
  for (const { name, bytes } of loadModules(options)) {
    const codeBytes = codeSectionSize(bytes);
    const run = flintMedian(bytes, options);
    const total = totalMs(run);
    const flintMbs = mbPerSecond(codeBytes, total);
    const liftoffMs = 'error' in liftoff ? undefined : liftoff[name];
    const liftoffMbs = liftoffMs === undefined ? undefined : mbPerSecond(codeBytes, liftoffMs);
    const ratio = liftoffMbs === undefined ? undefined : flintMbs / liftoffMbs;
    if (ratio !== undefined && !name.startsWith('kernel ')) ratios.push(ratio);
    const compileOnlyMs = run.stats.milliseconds - run.stats.finishMilliseconds;
    lines.push(
      `| ${name} | ${fmt(codeBytes / 1000)} KB | ${liftoffMbs === undefined ? 'n/a' : `${fmt(liftoffMbs)} MB/s`} | ${fmt(flintMbs)} MB/s | ` +
        `${ratio === undefined ? '–' : `${fmt(ratio)}×`} | ${pct(run.decodeMs, total)} | ${pct(run.validateMs, total)} | ` +
        `${pct(compileOnlyMs, total)} | ${pct(run.stats.finishMilliseconds, total)} | ${fmt(mbPerSecond(codeBytes, run.stats.milliseconds))} MB/s | ` +
        `${fmt(run.stats.codeBytes / Math.max(1, run.stats.bodyBytes))}× | ${run.bailouts} |`,
    );
  }
  if (ratios.length > 0) {
    const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
    lines.push(`| **geometric mean (real-world corpus)** | | | | **${fmt(geomean)}×** | | | | | | | |`);
  }
  lines.push('');
  if ('error' in liftoff) lines.push(`V8 Liftoff column missing: ${liftoff.error}`);
  lines.push('Kernels are tiny (under 2.5 KB of code): their times are dominated by per-module fixed costs.');
  lines.push('Bailouts: functions this tier refuses (time until the refusal is counted; their bytes stay in the code section).');
  const table = lines.join('\n');
  console.log(table);
  if (!options.quick && options.only === undefined) {
    const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '../results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'compile-latest.md'), `${table}\n`);
    console.log(`\nWritten to ${join(resultsDir, 'compile-latest.md')}.`);
  }
}

const argv = process.argv.slice(2);
if (argv.includes('--v8-child')) v8Child(parseOptions(argv));
else main(argv);
