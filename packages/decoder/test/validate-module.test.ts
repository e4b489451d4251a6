// Module-level rules and constant expressions.
import { describe, expect, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import type { Limits } from '../src/types.ts';
import { EXTERNREF, FUNCREF, HeapType, ValType, refType } from '../src/types.ts';
import { CONST_BASE, expectInvalid, expectValid, makeModule, memory } from './validate-helpers.ts';

const { I32, I64, F32 } = ValType;
const VOID = { params: [], results: [] };
const global = (type: ValType, init: number[], mutable = false) => ({ type: { type, mutable }, init: [...init, ...op('end')] });

describe('constant expressions', () => {
  it('accepts constants, extended-const arithmetic and GC allocation', () => {
    const r = expectValid(makeModule({ globals: [global(I32, [...op('i32.const', 1), ...op('i32.const', 2), ...op('i32.add')]), global(refType(false, HeapType.I31), [...op('i32.const', 1), ...op('ref.i31')])] }));
    expect(r.features.has('extended-const')).toBe(true);
  });

  it('rejects a non-constant instruction, at its offset', () => {
    const e = expectInvalid(makeModule({ globals: [global(I32, [...op('i32.const', 1), ...op('i32.const', 2), ...op('i32.div_s')])] }), 'constant expression required', CONST_BASE + 4);
    expect(e.message).toContain('i32.div_s');
  });

  it('rejects an initializer of the wrong type', () => {
    expectInvalid(makeModule({ globals: [global(I32, op('f32.const', 1))] }), 'type mismatch');
    expectInvalid(makeModule({ globals: [global(I32, [])] }), 'type mismatch');
  });

  it('lets global.get read earlier immutable globals only', () => {
    expectValid(makeModule({ globals: [global(I32, op('i32.const', 1)), global(I32, op('global.get', 0))] }));
    expectInvalid(makeModule({ globals: [global(I32, op('global.get', 1)), global(I32, op('i32.const', 1))] }), 'unknown global 1');
    expectInvalid(makeModule({ globals: [global(I32, op('i32.const', 1), true), global(I32, op('global.get', 0))] }), 'constant expression required');
    expectValid(makeModule({ importedGlobals: [{ type: F32, mutable: false }], globals: [global(F32, op('global.get', 0))] }));
  });

  it('types data and element offsets by the memory and table address types', () => {
    const limits: Limits = { min: 1n, max: null, shared: false, address: 'i64', pageSizeLog2: 16 };
    expectValid(makeModule({ memories: [memory(1, null, 'i64')], datas: [{ mode: 'active', memory: 0, offsetExpr: { bytes: Uint8Array.from([...op('i64.const', 0), ...op('end')]), offset: 0x70 } }] }));
    expectInvalid(makeModule({ memories: [memory(1, null, 'i64')], datas: [{ mode: 'active', memory: 0, offsetExpr: { bytes: Uint8Array.from([...op('i32.const', 0), ...op('end')]), offset: 0x70 } }] }), 'type mismatch');
    expectValid(makeModule({ tables: [{ element: FUNCREF, limits }], elements: [{ mode: 'active', table: 0, type: FUNCREF, functionIndices: [], offsetExpr: { bytes: Uint8Array.from([...op('i64.const', 0), ...op('end')]), offset: 0x70 } }] }));
  });
});

describe('module rules', () => {
  it('rejects duplicate export names', () => {
    const exp = (name: string) => ({ name, kind: 3 as const, index: 0, offset: 0x30 });
    const m = makeModule({ globals: [global(I32, op('i32.const', 0))], exports: [exp('a'), exp('a')] });
    expectInvalid(m, 'duplicate export name', 0x30);
  });

  it('rejects exports of unknown items', () => {
    expectInvalid(makeModule({ exports: [{ name: 'f', kind: 0, index: 0, offset: 0x30 }] }), 'unknown function 0', 0x30);
    expectInvalid(makeModule({ exports: [{ name: 'm', kind: 2, index: 0, offset: 0x30 }] }), 'unknown memory 0', 0x30);
  });

  it('requires the start function to have type [] -> []', () => {
    expectValid(makeModule({ types: [VOID], funcs: [{ type: 0, body: op('end') }], start: 0 }));
    expectInvalid(makeModule({ types: [{ params: [I32], results: [] }], funcs: [{ type: 0, body: op('end') }], start: 0 }), 'start function');
    expectInvalid(makeModule({ start: 0 }), 'unknown function 0');
  });

  it('checks memory limits (pages, minimum vs maximum, shared, page size)', () => {
    expectValid(makeModule({ memories: [memory(0, 65536)] }));
    expectInvalid(makeModule({ memories: [memory(65537)] }), 'memory size must be at most 65536 pages (4GiB)');
    expectInvalid(makeModule({ memories: [memory(2, 1)] }), 'size minimum must not be greater than maximum');
    expectValid(makeModule({ memories: [memory(65537, null, 'i64')] }));
    expectInvalid(makeModule({ memories: [{ ...memory(0), address: 'i64', min: (1n << 48n) + 1n }] }), 'memory size must be at most');
    expectInvalid(makeModule({ memories: [{ ...memory(1), shared: true }] }), 'shared memory must have maximum');
    expectInvalid(makeModule({ memories: [{ ...memory(1), pageSizeLog2: 2 }] }), 'invalid custom page size');
    const r = expectValid(makeModule({ memories: [{ ...memory(0xffff_ffff), pageSizeLog2: 0 }] }));
    expect(r.features.has('custom-page-sizes')).toBe(true);
  });

  it('requires tables of non-nullable references to have an initializer', () => {
    const limits: Limits = { min: 1n, max: null, shared: false, address: 'i32', pageSizeLog2: 16 };
    const element = refType(false, HeapType.Func);
    expectInvalid(makeModule({ tables: [{ element, limits }] }), 'type mismatch');
    expectValid(makeModule({ types: [VOID], funcs: [{ type: 0, body: op('end') }], tables: [{ element, limits }], tableInits: [[...op('ref.func', 0), ...op('end')]] }));
  });

  it('checks element segment types against their table', () => {
    const limits: Limits = { min: 1n, max: null, shared: false, address: 'i32', pageSizeLog2: 16 };
    const offsetExpr = { bytes: Uint8Array.from([...op('i32.const', 0), ...op('end')]), offset: 0x70 };
    expectInvalid(makeModule({ tables: [{ element: FUNCREF, limits }], elements: [{ mode: 'active', table: 0, type: EXTERNREF, exprs: [], offsetExpr }] }), 'type mismatch');
    expectInvalid(makeModule({ elements: [{ mode: 'active', table: 0, type: FUNCREF, functionIndices: [], offsetExpr }] }), 'unknown table 0');
  });

  it('requires tag types to have empty results', () => {
    expectInvalid(makeModule({ types: [{ params: [], results: [I32] }], tags: [{ typeIndex: 0 }] }), 'non-empty tag result type');
  });

  it('rejects unknown function types', () => {
    expectInvalid(makeModule({ types: [VOID], funcs: [{ type: 1, body: op('end') }] }), 'unknown type');
  });

  it('reports the features a module uses', () => {
    const r = expectValid(makeModule({ memories: [memory(1, 2, 'i64'), memory(1)], tags: [{ typeIndex: 0 }], types: [{ params: [I64], results: [] }] }));
    for (const f of ['memory64', 'multi-memory', 'exceptions'] as const) expect(r.features.has(f)).toBe(true);
    expect(r.features.has('gc')).toBe(false);
  });
});
