// The client benchmark: what users ship — sqlite-wasm (Emscripten), @swc/wasm (wasm-bindgen),
// esbuild-wasm (Go) — run by @flint/real-clients' workloads on Node's own WebAssembly (default
// tiering, Liftoff only, TurboFan only) and on Flint's namespace installed as the global (each
// registered tier), each in a child process, side by side in one run. Per library: load time
// (import, compile, instantiate, the library's setup; one per process) and run time (the
// workload, median of the runs after the first), and Flint / V8 ratios. Every engine's results
// must equal V8's: a cell whose run computed something else says so instead of a time.
// Written to results/clients.md by a full run.
// Usage: pnpm --filter @flint/bench bench:clients  [-- --quick] [-- --only=sqlite,swc]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENTS, NODE_DEFAULT, NODE_LIFTOFF, NODE_TURBOFAN, flintEngine, runClientChild, type ClientEngine } from '@flint/real-clients';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
/** Runs of the workload per process; the first is a warm-up (V8 tiers hot functions up while it runs). */
const RUNS = quick ? 2 : 11;

interface Cell {
  readonly loadMs?: number;
  readonly runMs?: number;
  readonly error?: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function flintTiers(): Promise<string[]> {
  const specifier = '@flint/runtime';
  const runtime = (await import(specifier)) as { registeredTiers(): readonly { name: string }[] };
  return runtime.registeredTiers().map((tier) => tier.name);
}

const script = join(here, 'clients-child.js');
const nodeEngines = [NODE_DEFAULT, NODE_LIFTOFF, NODE_TURBOFAN];
const flintEngines = (await flintTiers()).map(flintEngine);
const engines: ClientEngine[] = [...nodeEngines, ...flintEngines];
const clients = CLIENTS.filter((client) => only === undefined || only.includes(client.name));

const cells = new Map<string, Map<string, Cell>>();
for (const client of clients) {
  const row = new Map<string, Cell>();
  cells.set(client.name, row);
  let expected: string | undefined;
  for (const engine of engines) {
    process.stderr.write(`${client.name} on ${engine.label}… `);
    const outcome = await runClientChild(script, client.name, engine, { runs: RUNS });
    if (!outcome.ok) {
      row.set(engine.label, { error: outcome.error.split('\n').slice(0, 2).join(' ') });
      process.stderr.write('failed\n');
      continue;
    }
    const { report } = outcome;
    const result = JSON.stringify(report.result);
    expected ??= engine.kind === 'node' ? result : undefined;
    if (report.namespace !== engine.kind) row.set(engine.label, { error: `the global was ${report.namespace}'s namespace at the end` });
    else if (expected !== undefined && result !== expected) row.set(engine.label, { error: `computed something else than ${NODE_DEFAULT.label}` });
    else row.set(engine.label, { loadMs: report.loadMs, runMs: median(report.runMs.slice(1)) });
    process.stderr.write(`load ${report.loadMs.toFixed(0)} ms, run ${median(report.runMs.slice(1)).toFixed(1)} ms\n`);
  }
}

const ms = (value: number | undefined): string => (value === undefined ? 'n/a' : value >= 100 ? value.toFixed(0) : value.toFixed(1));
const cellText = (cell: Cell | undefined, key: 'loadMs' | 'runMs'): string => (cell?.error !== undefined ? `n/a (${cell.error})` : ms(cell?.[key]));
const ratio = (flint: Cell | undefined, v8: Cell | undefined, key: 'loadMs' | 'runMs'): string => {
  const a = flint?.[key];
  const b = v8?.[key];
  return a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}×`;
};
const geomean = (values: readonly number[]): string =>
  values.length === 0 ? 'n/a' : `${Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length).toFixed(2)}×`;

const lines: string[] = [];
lines.push(`# Real clients${quick ? ' (--quick: two runs per process; correctness and harness only, the times mean little)' : ''}`);
lines.push('');
lines.push(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at the end, ${new Date().toISOString()}.`,
);
lines.push(
  `Each cell is one child process: load = import + compile + instantiate + the library's setup (one sample), ` +
    `run = median of ${RUNS - 1} workload runs after a first one. V8 flags: Liftoff \`${NODE_LIFTOFF.nodeFlags.join(' ')}\`, TurboFan \`${NODE_TURBOFAN.nodeFlags.join(' ')}\`; ` +
    `Flint: its namespace as \`globalThis.WebAssembly\`, the tier from \`FLINT_TIER\`. Every result equals V8's (else the cell says so).`,
);
lines.push('');
lines.push(`| client | phase | ${engines.map((e) => `${e.label} ms`).join(' | ')} |`);
lines.push(`|---|---|${engines.map(() => '---:').join('|')}|`);
for (const client of clients) {
  const row = cells.get(client.name)!;
  for (const key of ['loadMs', 'runMs'] as const) {
    lines.push(`| ${client.name} | ${key === 'loadMs' ? 'load' : 'run'} | ${engines.map((e) => cellText(row.get(e.label), key)).join(' | ')} |`);
  }
}
lines.push('');
// Ratios: each Flint tier against V8 as shipped, and against V8's tier of the same kind.
const peerOf = (tier: ClientEngine): ClientEngine => (tier.env['FLINT_TIER'] === 'baseline' ? NODE_LIFTOFF : NODE_TURBOFAN);
const pairs = flintEngines.flatMap((flint) => [
  [flint, NODE_DEFAULT],
  [flint, peerOf(flint)],
]) as [ClientEngine, ClientEngine][];
lines.push(`| client | phase | ${pairs.map(([f, v]) => `${f.label} / ${v.label}`).join(' | ')} |`);
lines.push(`|---|---|${pairs.map(() => '---:').join('|')}|`);
for (const key of ['loadMs', 'runMs'] as const) {
  for (const client of clients) {
    const row = cells.get(client.name)!;
    lines.push(`| ${client.name} | ${key === 'loadMs' ? 'load' : 'run'} | ${pairs.map(([f, v]) => ratio(row.get(f.label), row.get(v.label), key)).join(' | ')} |`);
  }
  const means = pairs.map(([f, v]) =>
    geomean(
      clients.flatMap((client) => {
        const row = cells.get(client.name)!;
        const a = row.get(f.label)?.[key];
        const b = row.get(v.label)?.[key];
        return a === undefined || b === undefined ? [] : [a / b];
      }),
    ),
  );
  lines.push(`| geomean | ${key === 'loadMs' ? 'load' : 'run'} | ${means.join(' | ')} |`);
}
const table = lines.join('\n');
console.log(table);
if (!quick && only === undefined) {
  const resultsDir = join(here, '../results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'clients.md'), `${table}\n`);
  console.log(`\nWritten to ${join(resultsDir, 'clients.md')}.`);
}
