// What is unreachable is freed (issue 12): instances of every kind — plain, with a JS import, with
// a memory, with a table of function references — created and dropped 20,000 times, and modules
// compiled from 2,000 distinct byte strings, leave the process with bounded kernel mappings and
// resident memory. (Before reclamation, ~16,000 instances with a memory exhausted
// vm.max_map_count.) The figures against V8 are a benchmark: apps/bench, bench:resources.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValType } from '@flint/decoder';
import { ModuleBuilder, op as wasm } from '@flint/decoder/testing';
import { I32, buildModule, op, uleb } from '../helpers/module-builder.ts';
import { WebAssembly } from '../../src/index.ts';
import { collectGarbage } from '../helpers/gc.ts';

const onLinux = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');
const mappings = (): number => readFileSync('/proc/self/maps', 'utf8').split('\n').length;
const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

interface Kind {
  readonly name: string;
  readonly bytes: Uint8Array;
  imports(): object;
}

// (func (export "f") (param i32) (result i32) ...): every kind's instance is called once.
const KINDS: readonly Kind[] = [
  {
    name: 'plain',
    bytes: buildModule({ types: [[[I32], [I32]]], funcs: [{ type: 0, body: [op.localGet, ...uleb(0)], export: 'f' }] }),
    imports: () => ({}),
  },
  {
    name: 'with a JS import (a new function each time)',
    bytes: buildModule({
      types: [[[I32], [I32]]],
      imports: [{ module: 'env', name: 'g', func: 0 }],
      funcs: [{ type: 0, body: [op.localGet, ...uleb(0), op.call, ...uleb(0)], export: 'f' }],
    }),
    imports: () => ({ env: { g: (x: number) => x + 1 } }),
  },
  {
    name: 'with a memory',
    bytes: buildModule({
      types: [[[I32], [I32]]],
      memory: [1],
      funcs: [{ type: 0, body: [op.localGet, ...uleb(0), op.localGet, ...uleb(0), op.i32Store, 2, 0, op.localGet, ...uleb(0), op.i32Load, 2, 0], export: 'f' }],
    }),
    imports: () => ({}),
  },
  {
    // (table 4 funcref) (elem (i32.const 0) func $f $f), and f calls through it: call_indirect.
    name: 'with a table of function references',
    bytes: (() => {
      const b = new ModuleBuilder();
      const type = b.addType({ params: [ValType.I32], results: [ValType.I32] });
      const id = b.addFunction(type, [], [...wasm('local.get', 0), ...wasm('end')]);
      const f = b.addFunction(type, [], [...wasm('local.get', 0), ...wasm('i32.const', 1), ...wasm('call_indirect', type, 0), ...wasm('end')]);
      b.addTable({ min: 4 });
      b.addElement({ mode: 'active', table: 0, offset: wasm('i32.const', 0), funcs: [id, id] });
      b.addExport('f', 0, f);
      return b.toBytes();
    })(),
    imports: () => ({}),
  },
];

async function churn(count: number, once: (i: number) => void, collectEvery = 2000): Promise<{ mappings: number; rssMb: number }> {
  // Warm up (trampolines, caches, lazily bound natives), then measure from a collected state.
  for (let i = 0; i < 200; i++) once(i);
  await collectGarbage();
  const before = { mappings: mappings(), rssMb: rssMb() };
  for (let i = 0; i < count; i++) {
    once(i);
    if (i % collectEvery === collectEvery - 1) await collectGarbage(1);
  }
  await collectGarbage();
  return { mappings: mappings() - before.mappings, rssMb: rssMb() - before.rssMb };
}

describe.skipIf(!onLinux)('resources are reclaimed', () => {
  for (const kind of KINDS) {
    it(`20,000 instances ${kind.name}: bounded mappings and memory`, async () => {
      const module = new WebAssembly.Module(kind.bytes);
      const grown = await churn(20_000, (i) => {
        const instance = new WebAssembly.Instance(module, kind.imports());
        (instance.exports['f'] as (x: number) => number)(i);
      });
      expect(grown.mappings).toBeLessThan(300);
      expect(grown.rssMb).toBeLessThan(150);
    }, 120_000);
  }

  it('2,000 modules from distinct bytes (each compiled, instantiated, dropped): bounded mappings and memory', async () => {
    const base = KINDS[2]!.bytes;
    const grown = await churn(2_000, (i) => {
      // A custom section with a counter makes every byte string distinct (no cache answers).
      const name = `n${i}`;
      const bytes = new Uint8Array([...base, 0, 1 + name.length, name.length, ...new TextEncoder().encode(name)]);
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      (instance.exports['f'] as (x: number) => number)(i);
    });
    expect(grown.mappings).toBeLessThan(300);
    expect(grown.rssMb).toBeLessThan(150);
  }, 120_000);

  it('2 million calls from JS grow resident memory by less than 100 MB (nothing native per call)', async () => {
    const f = new WebAssembly.Instance(new WebAssembly.Module(KINDS[0]!.bytes), {}).exports['f'] as (x: number) => number;
    const grown = await churn(2_000_000, (i) => f(i), 500_000);
    expect(grown.rssMb).toBeLessThan(100);
  }, 120_000);

  it('200,000 externref values passed through a table are not all kept alive', async () => {
    const table = new WebAssembly.Table({ element: 'externref', initial: 1 });
    const module = new WebAssembly.Module(
      buildModule({ types: [[[0x6f], []]], funcs: [{ type: 0, body: [], export: 'take' }] }),
    );
    const take = new WebAssembly.Instance(module, {}).exports['take'] as (x: unknown) => void;
    for (let i = 0; i < 200_000; i++) {
      take({ payload: new Array(8).fill(i) });
      if (i % 1000 === 0) table.set(0, { kept: i });
    }
    await collectGarbage();
    const store = (await import('../../src/api/exported-function.ts')).store();
    expect(store.externs.size).toBeLessThan(20_000);
    expect((table.get(0) as { kept: number }).kept).toBe(199_000);
  }, 120_000);
});

