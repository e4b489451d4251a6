// The boundary benchmark: what a call across the JS↔Wasm boundary costs, and what the builtins
// real libraries lean on (memory.copy and memory.fill, Emscripten's memcpy/memset) cost, on V8
// Liftoff only, V8 TurboFan only and Flint, side by side in one run. V8's tier is fixed per
// process, so each V8 configuration runs this same file with `--child` in a child Node process
// (it prints its results as one JSON line); Flint runs in the parent. Prints a Markdown table of
// nanoseconds per operation and Flint's ratios.
//
// Usage: pnpm --filter @flint/bench bench:boundary  [-- --quick]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { measure } from './measure.ts';

interface Namespace {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/** One module with every measured operation (hand-built, so all engines run the same bytes). */
function boundaryModule(): Uint8Array {
  const b = new ModuleBuilder();
  const { I32, I64 } = ValType;
  const binary = b.addType({ params: [I32, I32], results: [I32] });
  const unary64 = b.addType({ params: [I64], results: [I64] });
  const unary = b.addType({ params: [I32], results: [I32] });
  const imported = b.addImport('env', 'f', { func: unary });
  b.addMemory({ min: 1 });
  const add = b.addFunction(binary, [], [...op('local.get', 0), ...op('local.get', 1), ...op('i32.add'), ...op('end')]);
  const inc64 = b.addFunction(unary64, [], [...op('local.get', 0), ...op('i64.const', 1n), ...op('i64.add'), ...op('end')]);
  // (loop n times: acc += f(i)), returns acc: n host calls from Wasm.
  const loopBody = (inner: number[]): number[] => [
    ...op('block'), ...op('loop'),
    ...op('local.get', 0), ...op('i32.eqz'), ...op('br_if', 1),
    ...inner,
    ...op('local.get', 0), ...op('i32.const', 1), ...op('i32.sub'), ...op('local.set', 0),
    ...op('br', 0), ...op('end'), ...op('end'),
  ];
  const callImport = b.addFunction(unary, [I32], [
    ...loopBody([...op('local.get', 1), ...op('local.get', 0), ...op('call', imported), ...op('i32.add'), ...op('local.set', 1)]),
    ...op('local.get', 1), ...op('end'),
  ]);
  // n × memory.copy of 16 bytes (overlapping-free, within the first page), and n × memory.fill of 16 bytes.
  const copy = b.addFunction(unary, [], [
    ...loopBody([...op('i32.const', 1024), ...op('i32.const', 2048), ...op('i32.const', 16), ...op('memory.copy', 0, 0)]),
    ...op('i32.const', 0), ...op('end'),
  ]);
  const fill = b.addFunction(unary, [], [
    ...loopBody([...op('i32.const', 4096), ...op('local.get', 0), ...op('i32.const', 16), ...op('memory.fill', 0)]),
    ...op('i32.const', 0), ...op('end'),
  ]);
  b.addExport('add', 0, add).addExport('inc64', 0, inc64).addExport('callImport', 0, callImport);
  b.addExport('copy', 0, copy).addExport('fill', 0, fill);
  return b.toBytes();
}

interface Row {
  readonly name: string;
  readonly what: string;
  /** Runs `count` operations. */
  run(exports: Record<string, unknown>, count: number): void;
}

let sink = 0;
const ROWS: readonly Row[] = [
  {
    name: 'js→wasm i32',
    what: 'call of exported add(i32, i32) → i32 from JS',
    run(exports, count) {
      const add = exports['add'] as (a: number, b: number) => number;
      let s = 0;
      for (let i = 0; i < count; i++) s = add(s, i);
      sink ^= s;
    },
  },
  {
    name: 'js→wasm i64',
    what: 'call of exported inc64(i64) → i64 (BigInt in and out)',
    run(exports, count) {
      const inc = exports['inc64'] as (x: bigint) => bigint;
      let x = 0n;
      for (let i = 0; i < count; i++) x = inc(x);
      sink ^= Number(x & 1n);
    },
  },
  {
    name: 'wasm→js',
    what: 'call of an imported JS function (i32) → i32 from a Wasm loop',
    run(exports, count) {
      sink ^= (exports['callImport'] as (n: number) => number)(count);
    },
  },
  {
    name: 'memory.copy 16 B',
    what: 'memory.copy of 16 bytes in a Wasm loop',
    run(exports, count) {
      (exports['copy'] as (n: number) => number)(count);
    },
  },
  {
    name: 'memory.fill 16 B',
    what: 'memory.fill of 16 bytes in a Wasm loop',
    run(exports, count) {
      (exports['fill'] as (n: number) => number)(count);
    },
  },
];

/** ns per operation of each row on one engine. */
function measureEngine(ns: Namespace, quick: boolean): Record<string, number | string> {
  const module = new ns.Module(boundaryModule());
  const instance = new ns.Instance(module, { env: { f: (x: number) => (x + 1) | 0 } });
  const out: Record<string, number | string> = {};
  for (const row of ROWS) {
    try {
      // Grow the batch until it takes ~50 ms, then time it.
      let count = 1000;
      for (;;) {
        const t0 = performance.now();
        row.run(instance.exports, count);
        if (performance.now() - t0 >= (quick ? 5 : 50) || count >= 1 << 26) break;
        count *= 2;
      }
      const timing = measure(() => row.run(instance.exports, count), quick ? { warmup: 0, runs: 1 } : { warmup: 1, runs: 5 });
      out[row.name] = (timing.medianMs * 1e6) / count;
    } catch (error) {
      out[row.name] = `n/a (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    }
  }
  return out;
}

const V8_CONFIGS = [
  { label: 'V8 Liftoff', flags: ['--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'] },
  { label: 'V8 TurboFan', flags: ['--no-liftoff'] },
] as const;

const fmt = (value: number | string | undefined): string => (typeof value === 'number' ? value.toFixed(1) : (value ?? 'n/a'));
const ratio = (a: number | string | undefined, b: number | string | undefined): string =>
  typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  if (args.includes('--child')) {
    process.stdout.write(`${JSON.stringify(measureEngine(WebAssembly as unknown as Namespace, quick))}\n`);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const v8 = V8_CONFIGS.map((config) => {
    const result = spawnSync(process.execPath, [...config.flags, self, '--child', ...(quick ? ['--quick'] : [])], { encoding: 'utf8' });
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    return line.startsWith('{') ? (JSON.parse(line) as Record<string, number | string>) : Object.fromEntries(ROWS.map((row) => [row.name, `n/a (child: ${result.stderr.trim().split('\n')[0]})`]));
  });
  const specifier = '@flint/runtime';
  const flint = measureEngine(((await import(specifier)) as { WebAssembly: Namespace }).WebAssembly, quick);
  const lines = [
    '| operation | V8 Liftoff ns | V8 TurboFan ns | Flint ns | Flint / Liftoff | Flint / TurboFan |',
    '|---|---:|---:|---:|---:|---:|',
    ...ROWS.map((row) => `| ${row.name} | ${fmt(v8[0]![row.name])} | ${fmt(v8[1]![row.name])} | ${fmt(flint[row.name])} | ${ratio(flint[row.name], v8[0]![row.name])} | ${ratio(flint[row.name], v8[1]![row.name])} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n\n${ROWS.map((row) => `- ${row.name}: ${row.what}`).join('\n')}\n`);
  if (sink === 0.5) process.stdout.write('');
}

await main();
