// Instantiation follows the spec's order: globals (incl. extended constant expressions and
// imported globals) before data segments, segments in module order, the start function last.
import { describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { WebAssembly } from '../src/index.ts';
import { I32, I64, buildModule, op, sleb, uleb } from './helpers/module-builder.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();

describe.skipIf(!isX64)('instantiation order (runs generated code: needs an x86-64 Linux host)', () => {
  it('runs the start function after globals and data segments, observing both', () => {
    const bytes = buildModule({
      types: [[[], []], [[], [I32]]],
      imports: [{ module: 'env', name: 'base', global: [I32, false] }],
      memory: [1],
      globals: [
        // base + 100 (extended const over an imported global)
        { type: I32, mutable: false, init: [op.globalGet, 0, op.i32Const, ...sleb(100), op.i32Add] },
        { type: I32, mutable: true, init: [op.i32Const, ...sleb(-1)], export: 'seen' },
      ],
      funcs: [
        // start: seen = mem[16] + global 1
        { type: 0, body: [op.i32Const, 16, op.i32Load, 2, 0, op.globalGet, 1, op.i32Add, op.globalSet, 2] },
      ],
      start: 0,
      datas: [{ offset: 16, bytes: [5, 0, 0, 0] }],
    });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { base: 20 } });
    expect((instance.exports['seen'] as InstanceType<typeof WebAssembly.Global>).value).toBe(5 + 20 + 100);
  });

  it('applies earlier data segments before an out-of-bounds one traps', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const bytes = buildModule({
      imports: [{ module: 'env', name: 'mem', memory: [1] }],
      datas: [
        { offset: 0, bytes: [1, 2, 3] },
        { offset: 65534, bytes: [9, 9, 9] },
        { offset: 8, bytes: [7] },
      ],
    });
    const module = new WebAssembly.Module(bytes);
    expect(() => new WebAssembly.Instance(module, { env: { mem: memory } })).toThrow(WebAssembly.RuntimeError);
    expect(() => new WebAssembly.Instance(module, { env: { mem: memory } })).toThrow('out of bounds memory access');
    const view = new Uint8Array(memory.buffer);
    expect([...view.subarray(0, 3)]).toEqual([1, 2, 3]);
    // The segment after the failing one was never applied.
    expect(view[8]).toBe(0);
    expect(view[65534]).toBe(0);
  });

  it('evaluates i64 extended constant expressions', () => {
    const bytes = buildModule({
      globals: [{ type: I64, mutable: false, init: [op.i64Const, ...sleb(1n << 40n), op.i64Const, ...sleb(-1), op.i64Add], export: 'g' }],
    });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect((instance.exports['g'] as InstanceType<typeof WebAssembly.Global>).value).toBe((1n << 40n) - 1n);
  });

  it('names the import in a LinkError', () => {
    const bytes = buildModule({
      types: [[[I32], [I32]]],
      imports: [
        { module: 'env', name: 'f', func: 0 },
        { module: 'env', name: 'g', global: [I32, true] },
        { module: 'env', name: 'm', memory: [2] },
      ],
    });
    const module = new WebAssembly.Module(bytes);
    const mem = new WebAssembly.Memory({ initial: 2 });
    const mutable = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    expect(() => new WebAssembly.Instance(module, { env: { f: 1, g: mutable, m: mem } })).toThrow(
      new WebAssembly.LinkError('import #0 "env" "f": function import requires a callable'),
    );
    expect(() => new WebAssembly.Instance(module, { env: { f: () => 0, g: 1, m: mem } })).toThrow(
      'import #1 "env" "g": imported mutable global must be a WebAssembly.Global object',
    );
    const immutable = new WebAssembly.Global({ value: 'i32' }, 0);
    expect(() => new WebAssembly.Instance(module, { env: { f: () => 0, g: immutable, m: mem } })).toThrow(
      'import #1 "env" "g": incompatible import type: global mutability differs (import is mutable)',
    );
    expect(() => new WebAssembly.Instance(module, { env: { f: () => 0, g: mutable, m: new WebAssembly.Memory({ initial: 1 }) } })).toThrow(
      'import #2 "env" "m": incompatible import type: memory has 1 pages, the import requires at least 2',
    );
    expect(() => new WebAssembly.Instance(module, { env: { f: () => 0, g: mutable, m: {} } })).toThrow(
      'import #2 "env" "m": memory import must be a WebAssembly.Memory object',
    );
    expect(() => new WebAssembly.Instance(module, {})).toThrow(TypeError);
    expect(new WebAssembly.Instance(module, { env: { f: () => 0, g: mutable, m: mem } }).exports).toEqual({});
  });

  it('rejects an exported function of the wrong type by canonical type id', () => {
    const provider = new WebAssembly.Instance(new WebAssembly.Module(buildModule({
      types: [[[], [I32]]],
      funcs: [{ type: 0, body: [op.i32Const, 1], export: 'one' }],
    })));
    const consumer = new WebAssembly.Module(buildModule({
      types: [[[I32], [I32]], [[], [I32]]],
      imports: [{ module: 'p', name: 'one', func: 0 }],
    }));
    expect(() => new WebAssembly.Instance(consumer, { p: provider.exports })).toThrow(
      'import #0 "p" "one": incompatible import type: imported function does not match the expected function type',
    );
    const matching = new WebAssembly.Module(buildModule({ types: [[[], [I32]]], imports: [{ module: 'p', name: 'one', func: 0 }], exports: [{ name: 'again', kind: 0, index: 0 }] }));
    const reexported = new WebAssembly.Instance(matching, { p: provider.exports });
    // The JS API hands out one function object per function.
    expect(reexported.exports['again']).toBe(provider.exports['one']);
  });

  it('uses uleb helper consistently', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});
