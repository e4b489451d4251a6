// The resources benchmark: what 20,000 create-call-drop cycles of an instance leave behind — the
// process's resident memory and its kernel mappings (/proc/self/maps) — in Node's own WebAssembly
// (V8) and in Flint, each engine in its own child process (so neither sees the other's heap), for
// each kind of instance: plain, with a JS import (a new function each time), with a memory, with a
// table of function references; and 2 million calls from JS into one export. The churn tests
// (packages/runtime/test/resources) assert bounds; this prints the figures side by side.
//
// Usage: pnpm --filter @flint/bench bench:resources   (Linux only: it reads /proc/self/maps)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';

interface Namespace {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

interface Kind {
  readonly name: string;
  readonly bytes: Uint8Array;
  imports(): object;
}

/** Every kind exports `f: (i32) -> i32`. */
function kinds(): Kind[] {
  const module = (build: (b: ModuleBuilder, type: number) => number): Uint8Array => {
    const b = new ModuleBuilder();
    const type = b.addType({ params: [ValType.I32], results: [ValType.I32] });
    b.addExport('f', ExternKind.Func, build(b, type));
    return b.toBytes();
  };
  return [
    { name: 'plain', bytes: module((b, t) => b.addFunction(t, [], [...op('local.get', 0), ...op('end')])), imports: () => ({}) },
    {
      name: 'with a JS import',
      bytes: module((b, t) => {
        const g = b.addImport('env', 'g', { func: t });
        return b.addFunction(t, [], [...op('local.get', 0), ...op('call', g), ...op('end')]);
      }),
      imports: () => ({ env: { g: (x: number) => x + 1 } }),
    },
    {
      name: 'with a memory',
      bytes: module((b, t) => {
        b.addMemory({ min: 1 });
        return b.addFunction(t, [], [...op('local.get', 0), ...op('local.get', 0), ...op('i32.store'), ...op('local.get', 0), ...op('i32.load'), ...op('end')]);
      }),
      imports: () => ({}),
    },
    {
      name: 'with a table of funcrefs',
      bytes: module((b, t) => {
        const id = b.addFunction(t, [], [...op('local.get', 0), ...op('end')]);
        b.addTable({ min: 4 });
        b.addElement({ mode: 'active', table: 0, offset: op('i32.const', 0), funcs: [id, id] });
        return b.addFunction(t, [], [...op('local.get', 0), ...op('i32.const', 1), ...op('call_indirect', t, 0), ...op('end')]);
      }),
      imports: () => ({}),
    },
  ];
}

interface Figures {
  readonly rssMb: number;
  readonly mappings: number;
}

const measure = async (): Promise<Figures> => {
  const gc = (globalThis as { gc?: () => void }).gc!;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10)); // finalizers run between turns
  }
  return { rssMb: process.memoryUsage().rss / 2 ** 20, mappings: readFileSync('/proc/self/maps', 'utf8').split('\n').length };
};

/** In a child: every kind churned, then the calls; prints one JSON line of figures. */
async function child(engine: string): Promise<void> {
  // Flint from its own build (a variable specifier: the bundler leaves the runtime and koffi alone).
  const specifier = '@flint/runtime';
  const ns: Namespace =
    engine === 'flint'
      ? ((await import(specifier)) as { WebAssembly: Namespace }).WebAssembly
      : (globalThis as unknown as { WebAssembly: Namespace }).WebAssembly;
  const results: Record<string, Figures> = { start: await measure() };
  for (const kind of kinds()) {
    const module = new ns.Module(kind.bytes);
    for (let i = 0; i < 20_000; i++) {
      const f = new ns.Instance(module, kind.imports()).exports['f'] as (x: number) => number;
      f(i);
      if (i % 2000 === 1999) await measure();
    }
    results[kind.name] = await measure();
  }
  const f = new ns.Instance(new ns.Module(kinds()[0]!.bytes), {}).exports['f'] as (x: number) => number;
  for (let i = 0; i < 2_000_000; i++) f(i);
  results['2M calls from JS'] = await measure();
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

function main(): void {
  const rows: [string, Record<string, Figures>][] = [];
  for (const engine of ['v8', 'flint']) {
    const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', engine], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) {
      process.stderr.write(`${engine}: child failed (${String(run.status)}): ${run.stderr.slice(-2000)}\n`);
      process.exitCode = 1;
      return;
    }
    rows.push([engine === 'v8' ? "Node's WebAssembly (V8)" : 'Flint', JSON.parse(line) as Record<string, Figures>]);
  }
  const phases = Object.keys(rows[0]![1]);
  const lines = ['| after | ' + rows.map(([name]) => `${name}: RSS MB | mappings`).join(' | ') + ' |', '|---|' + rows.map(() => '---:|---:').join('|') + '|'];
  for (const phase of phases) {
    lines.push(`| ${phase === 'start' ? 'start' : `20,000 instances ${phase}`.replace('20,000 instances 2M', '2M')} | ` + rows.map(([, r]) => `${r[phase]!.rssMb.toFixed(0)} | ${r[phase]!.mappings}`).join(' | ') + ' |');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[2] === '--child') await child(process.argv[3]!);
else main();
