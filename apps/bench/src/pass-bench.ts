// What each optimization pays: every kernel compiled by the optimizing tier with one pass
// switched off (then inlining off, then every pass off), its run time against the whole
// pipeline's, measured the way the execution suite measures (kernels.ts). Flint's optimizing
// compiler runs here through an engine with its compiler replaced (the `compiler` hook), since
// the tier registry row always runs every pass.
// Usage: pnpm --filter @flint/bench bench:passes  [-- --quick] [-- --only=crc32,fib]
import { OptimizingCompiler, PASS_NAMES, type PassName } from '@flint/compiler-optimizing';
import { loadavg } from 'node:os';
import { KERNELS, parseSuiteOptions, runSuite, type SuiteResult, type WasmNamespace } from './kernels.ts';

interface Config {
  readonly label: string;
  readonly disabled: readonly PassName[];
  readonly inlining: boolean;
}

const CONFIGS: readonly Config[] = [
  { label: 'all passes', disabled: [], inlining: true },
  ...PASS_NAMES.map((pass) => ({ label: `no ${pass}`, disabled: [pass], inlining: true })),
  { label: 'no inlining', disabled: [], inlining: false },
  { label: 'no passes, no inlining', disabled: [...PASS_NAMES], inlining: false },
];

interface EngineLike {
  compile(bytes: Uint8Array): object;
}
interface Runtime {
  readonly Engine: new (options: { compileWorkers: number; compiler: (input: never, backend: never) => unknown }) => EngineLike;
  readonly WebAssembly: WasmNamespace & { readonly Module: { fromCompiled(compiled: object): object } };
}

const options = parseSuiteOptions(process.argv.slice(2));
const specifier = '@flint/runtime';
const runtime = (await import(specifier)) as Runtime;
const results: SuiteResult[] = [];
for (const config of CONFIGS) {
  console.error(`${config.label}…`);
  let compiler: OptimizingCompiler | null = null;
  const engine = new runtime.Engine({
    compileWorkers: 0,
    compiler: (input, backend) => (compiler ??= new OptimizingCompiler(backend)).compile(input, { disabledPasses: config.disabled, inlining: config.inlining }),
  });
  results.push(runSuite(runtime.WebAssembly, (bytes) => runtime.WebAssembly.Module.fromCompiled(engine.compile(bytes)), options));
}

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
const lines: string[] = [];
lines.push(`# What each pass pays (load average ${loadavg()[0]!.toFixed(1)})`);
lines.push('');
lines.push('Run time of each kernel with one pass switched off, relative to the whole pipeline (above 1: the pass pays).');
lines.push('');
lines.push(`| kernel | all passes | ${CONFIGS.slice(1).map((c) => c.label).join(' | ')} |`);
lines.push(`|---|---:|${CONFIGS.slice(1).map(() => '---:').join('|')}|`);
const logs = CONFIGS.map(() => [] as number[]);
for (const kernel of KERNELS) {
  if (options.only !== undefined && !options.only.includes(kernel.name)) continue;
  const times = results.map((r) => r.kernels.find((k) => k.name === kernel.name));
  const base = times[0]?.runMs;
  const cells = times.slice(1).map((t, i) => {
    if (t?.runMs === undefined || base === undefined) return t?.error ? `n/a (${t.error})` : 'n/a';
    const ratio = t.runMs / base;
    logs[i + 1]!.push(Math.log(ratio));
    return `${fmt(ratio)}×`;
  });
  lines.push(`| ${kernel.name} | ${base === undefined ? 'n/a' : `${fmt(base)} ms`} | ${cells.join(' | ')} |`);
}
const mean = (xs: number[]): string => (xs.length === 0 ? '–' : `${fmt(Math.exp(xs.reduce((a, b) => a + b, 0) / xs.length))}×`);
lines.push(`| **geometric mean** | | ${logs.slice(1).map(mean).join(' | ')} |`);
console.log(lines.join('\n'));
