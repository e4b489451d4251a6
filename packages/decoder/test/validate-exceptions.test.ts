// Exception handling: throw, throw_ref, try_table catch clauses, and legacy try/catch/delegate/rethrow.
import { describe, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import { CatchKind } from '../src/operators.ts';
import { EXNREF, HeapType, ValType, refType } from '../src/types.ts';
import { BODY_BASE, expectInvalid, expectValid, makeModule } from './validate-helpers.ts';

const { I32, I64 } = ValType;
const EXN = refType(false, HeapType.Exn);
/** Type 0: [] -> []; type 1: [i32] -> [] (the tag's type); tag 0 has type 1. */
const ehModule = (body: number[], results: ValType[] = []) =>
  makeModule({ types: [{ params: [], results }, { params: [I32], results: [] }], tags: [{ typeIndex: 1 }], funcs: [{ type: 0, body }] });

describe('throw and throw_ref', () => {
  it('throw pops the tag parameters', () => {
    expectValid(ehModule([...op('i32.const', 1), ...op('throw', 0), ...op('end')]));
    expectInvalid(ehModule([...op('i64.const', 1), ...op('throw', 0), ...op('end')]), 'type mismatch', BODY_BASE + 2);
    expectInvalid(ehModule([...op('i32.const', 1), ...op('throw', 1), ...op('end')]), 'unknown tag 1', BODY_BASE + 2);
  });

  it('throw_ref needs an exnref', () => {
    expectInvalid(ehModule([...op('i32.const', 1), ...op('throw_ref'), ...op('end')]), 'type mismatch', BODY_BASE + 2);
  });
});

describe('try_table', () => {
  it('catch delivers the tag values to the label', () => {
    const body = [...op('block', I32), ...op('try_table', undefined, [{ kind: CatchKind.Catch, tag: 0, label: 0 }]), ...op('end'), ...op('i32.const', 0), ...op('end'), ...op('end')];
    expectValid(ehModule(body, [I32]));
  });

  it('catch_ref delivers the values and a non-null exnref; catch_all_ref only the exnref', () => {
    const types = { types: [{ params: [], results: [I32, EXN] }, { params: [I32], results: [] }, { params: [], results: [EXNREF] }], tags: [{ typeIndex: 1 }] };
    const catchRef = [...op('block', { typeIndex: 0 }), ...op('try_table', undefined, [{ kind: CatchKind.CatchRef, tag: 0, label: 0 }]), ...op('end'), ...op('unreachable'), ...op('end'), ...op('end')];
    expectValid(makeModule({ ...types, funcs: [{ type: 0, body: catchRef }] }));
    const allRef = [...op('block', EXNREF), ...op('try_table', undefined, [{ kind: CatchKind.CatchAllRef, label: 0 }]), ...op('end'), ...op('unreachable'), ...op('end'), ...op('end')];
    expectValid(makeModule({ ...types, funcs: [{ type: 2, body: allRef }] }));
  });

  it('rejects a catch whose label type does not match', () => {
    const body = [...op('block', I64), ...op('try_table', undefined, [{ kind: CatchKind.Catch, tag: 0, label: 0 }]), ...op('end'), ...op('i64.const', 0), ...op('end'), ...op('drop'), ...op('end')];
    expectInvalid(ehModule(body), 'type mismatch', BODY_BASE + 2);
  });

  it('resolves catch labels outside the try_table itself', () => {
    const body = [...op('try_table', undefined, [{ kind: CatchKind.CatchAll, label: 1 }]), ...op('end'), ...op('end')];
    expectInvalid(ehModule(body), 'unknown label', BODY_BASE);
  });
});

describe('legacy exception handling', () => {
  it('accepts try/catch/catch_all and rethrow inside a catch', () => {
    const body = [...op('try'), ...op('catch', 0), ...op('drop'), ...op('rethrow', 0), ...op('catch_all'), ...op('end'), ...op('end')];
    expectValid(ehModule(body));
  });

  it('rejects rethrow whose label is not a catch', () => {
    const body = [...op('try'), ...op('rethrow', 0), ...op('end'), ...op('end')];
    expectInvalid(ehModule(body), 'invalid rethrow label', BODY_BASE + 2);
  });

  it('delegate ends a try and names an outer label', () => {
    expectValid(ehModule([...op('block'), ...op('try'), ...op('delegate', 0), ...op('end'), ...op('end')]));
    expectInvalid(ehModule([...op('try'), ...op('delegate', 1), ...op('end')]), 'unknown label');
  });
});
