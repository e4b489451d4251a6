// Tables, reference instructions and calls through references.
import { describe, expect, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import type { TableType, ValType as VT } from '../src/types.ts';
import { EXTERNREF, FUNCREF, HeapType, ValType, heapFromTypeIndex, refType } from '../src/types.ts';
import { BODY_BASE, expectInvalid, expectValid, makeModule } from './validate-helpers.ts';

const { I32, I64 } = ValType;
const table = (element: VT, address: 'i32' | 'i64' = 'i32'): TableType => ({ element, limits: { min: 1n, max: null, shared: false, address, pageSizeLog2: 16 } });
const VOID = { params: [], results: [] };

describe('table instructions', () => {
  it('table.get/set use the element type and the table address type', () => {
    const body = [...op('i64.const', 0), ...op('i64.const', 0), ...op('table.get', 0), ...op('table.set', 0), ...op('end')];
    expectValid(makeModule({ types: [VOID], tables: [table(EXTERNREF, 'i64')], funcs: [{ type: 0, body }] }));
    expectInvalid(makeModule({ types: [VOID], tables: [table(EXTERNREF)], funcs: [{ type: 0, body }] }), 'type mismatch', BODY_BASE + 4);
  });

  it('rejects an unknown table', () => {
    expectInvalid(makeModule({ types: [VOID], funcs: [{ type: 0, body: [...op('table.size', 0), ...op('drop'), ...op('end')] }] }), 'unknown table 0', BODY_BASE);
  });

  it('table.copy requires the source element type to match the destination', () => {
    const body = [...op('i32.const', 0), ...op('i32.const', 0), ...op('i32.const', 0), ...op('table.copy', 0, 1), ...op('end')];
    expectInvalid(makeModule({ types: [VOID], tables: [table(FUNCREF), table(EXTERNREF)], funcs: [{ type: 0, body }] }), 'type mismatch', BODY_BASE + 6);
    expectValid(makeModule({ types: [VOID], tables: [table(FUNCREF), table(refType(true, HeapType.NoFunc))], funcs: [{ type: 0, body }] }));
  });

  it('table.init and elem.drop name element segments', () => {
    const init = [...op('i32.const', 0), ...op('i32.const', 0), ...op('i32.const', 0), ...op('table.init', 0, 0), ...op('end')];
    expectValid(makeModule({ types: [VOID], tables: [table(FUNCREF)], elements: [{ type: FUNCREF, functionIndices: [] }], funcs: [{ type: 0, body: init }] }));
    expectInvalid(makeModule({ types: [VOID], tables: [table(FUNCREF)], funcs: [{ type: 0, body: init }] }), 'unknown elem segment 0', BODY_BASE + 6);
    expectInvalid(makeModule({ types: [VOID], elements: [{ type: EXTERNREF, exprs: [] }], tables: [table(FUNCREF)], funcs: [{ type: 0, body: init }] }), 'type mismatch');
    expectInvalid(makeModule({ types: [VOID], funcs: [{ type: 0, body: [...op('elem.drop', 0), ...op('end')] }] }), 'unknown elem segment 0');
  });
});

describe('call_indirect and call_ref', () => {
  it('call_indirect needs a function table and a function type', () => {
    const body = [...op('i32.const', 0), ...op('call_indirect', 0, 0), ...op('end')];
    expectValid(makeModule({ types: [VOID], tables: [table(FUNCREF)], funcs: [{ type: 0, body }] }));
    expectInvalid(makeModule({ types: [VOID], tables: [table(EXTERNREF)], funcs: [{ type: 0, body }] }), 'type mismatch', BODY_BASE + 2);
    expectInvalid(makeModule({ types: [VOID], funcs: [{ type: 0, body }] }), 'unknown table 0', BODY_BASE + 2);
  });

  it('call_ref takes a reference to the named function type', () => {
    const fnRef = refType(true, heapFromTypeIndex(0));
    const m = (param: VT) => makeModule({ types: [VOID, { params: [param], results: [] }], funcs: [{ type: 1, body: [...op('local.get', 0), ...op('call_ref', 0), ...op('end')] }] });
    expectValid(m(fnRef));
    expectInvalid(m(FUNCREF), 'type mismatch', BODY_BASE + 2);
  });

  it('return_call requires the callee results to match the caller results', () => {
    const types = [{ params: [], results: [I32] }, { params: [], results: [I64] }];
    expectValid(makeModule({ types, funcs: [{ type: 0, body: [...op('return_call', 1 - 1), ...op('end')] }] }));
    const e = expectInvalid(makeModule({ types, funcs: [{ type: 0, body: [...op('i64.const', 0), ...op('return', 0), ...op('end')] }, { type: 1, body: [...op('return_call', 0), ...op('end')] }] }), 'type mismatch');
    expect(e.message).toContain('return');
  });
});

describe('reference instructions', () => {
  it('ref.func needs the function to be declared outside function bodies', () => {
    const body = [...op('ref.func', 0), ...op('drop'), ...op('end')];
    expectInvalid(makeModule({ types: [VOID], funcs: [{ type: 0, body }] }), 'undeclared function reference', BODY_BASE);
    expectValid(makeModule({ types: [VOID], funcs: [{ type: 0, body }], elements: [{ mode: 'declarative', type: FUNCREF, functionIndices: [0] }] }));
    expectValid(makeModule({ types: [VOID], funcs: [{ type: 0, body }], exports: [{ name: 'f', kind: 0, index: 0, offset: 0 }] }));
    const global = { type: { type: FUNCREF, mutable: false }, init: [...op('ref.func', 0), ...op('end')] };
    expectValid(makeModule({ types: [VOID], funcs: [{ type: 0, body }], globals: [global] }));
  });

  it('ref.func produces a non-null reference of the function type', () => {
    const m = makeModule({
      types: [{ params: [], results: [refType(false, heapFromTypeIndex(0))] }],
      funcs: [{ type: 0, body: [...op('ref.func', 0), ...op('end')] }],
      exports: [{ name: 'f', kind: 0, index: 0, offset: 0 }],
    });
    expectValid(m);
  });

  it('ref.is_null takes any reference and ref.as_non_null drops nullability', () => {
    const body = [...op('local.get', 0), ...op('ref.as_non_null'), ...op('end')];
    expectValid(makeModule({ types: [{ params: [EXTERNREF], results: [refType(false, HeapType.Extern)] }], funcs: [{ type: 0, body }] }));
    expectInvalid(makeModule({ types: [VOID], funcs: [{ type: 0, body: [...op('i32.const', 0), ...op('ref.is_null'), ...op('drop'), ...op('end')] }] }), 'type mismatch', BODY_BASE + 2);
  });

  it('br_on_null passes a non-null reference on, br_on_non_null branches with it', () => {
    const nonNull = refType(false, HeapType.Extern);
    const onNull = [...op('block'), ...op('local.get', 0), ...op('br_on_null', 0), ...op('return'), ...op('end'), ...op('unreachable'), ...op('end')];
    expectValid(makeModule({ types: [{ params: [EXTERNREF], results: [nonNull] }], funcs: [{ type: 0, body: onNull }] }));
    const onNonNull = [...op('block', nonNull), ...op('local.get', 0), ...op('br_on_non_null', 0), ...op('unreachable'), ...op('end'), ...op('end')];
    expectValid(makeModule({ types: [{ params: [EXTERNREF], results: [nonNull] }], funcs: [{ type: 0, body: onNonNull }] }));
    const toI32 = [...op('block', I32), ...op('local.get', 0), ...op('br_on_non_null', 0), ...op('unreachable'), ...op('end'), ...op('end')];
    expectInvalid(makeModule({ types: [{ params: [EXTERNREF], results: [I32] }], funcs: [{ type: 0, body: toI32 }] }), 'type mismatch', BODY_BASE + 4);
  });
});
