// Control instructions: blocks, branches, multi-value, unreachable code and the polymorphic stack.
import { describe, expect, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import { ValType } from '../src/types.ts';
import { BODY_BASE, expectInvalid, expectValid, makeModule } from './validate-helpers.ts';

const { I32, I64, F32 } = ValType;
const fn = (body: number[], params: ValType[] = [], results: ValType[] = [], locals = [] as { count: number; type: ValType }[]) =>
  makeModule({ types: [{ params, results }], funcs: [{ type: 0, body, locals }] });

/** Offset of the operator that starts at `index` bytes into the first body. */
const at = (index: number): number => BODY_BASE + index;

describe('function bodies: operand stack', () => {
  it('accepts an i32.add of two i32 constants returning i32', () => {
    expectValid(fn([...op('i32.const', 1), ...op('i32.const', 2), ...op('i32.add'), ...op('end')], [], [I32]));
  });

  it('rejects i32.add of i32 and f32 naming the operator, both types and the offset', () => {
    const prefix = [...op('i32.const', 1), ...op('f32.const', 2)];
    const e = expectInvalid(fn([...prefix, ...op('i32.add'), ...op('end')], [], [I32]), 'type mismatch', at(prefix.length));
    expect(e.message).toBe(`type mismatch: instruction requires [i32 i32] but stack has [i32 f32] (at byte 0x${at(prefix.length).toString(16)}, i32.add in function #0)`);
  });

  it('rejects a missing operand', () => {
    expectInvalid(fn([...op('i32.const', 1), ...op('i32.eq'), ...op('end')], [], [I32]), 'type mismatch', at(2));
  });

  it('rejects a body that leaves too many values', () => {
    expectInvalid(fn([...op('i32.const', 1), ...op('i32.const', 1), ...op('end')], [], [I32]), 'type mismatch: block requires [i32] but stack has [i32 i32]', at(4));
  });

  it('rejects a result of the wrong type at the final end', () => {
    expectInvalid(fn([...op('i64.const', 1), ...op('end')], [], [I32]), 'type mismatch', at(2));
  });
});

describe('blocks', () => {
  it('accepts a block with one result', () => {
    expectValid(fn([...op('block', I32), ...op('i32.const', 7), ...op('end'), ...op('end')], [], [I32]));
  });

  it('accepts multi-value blocks given by type index (params and results)', () => {
    const m = makeModule({
      types: [{ params: [], results: [I32] }, { params: [I32, I32], results: [I32] }],
      funcs: [{ type: 0, body: [...op('i32.const', 1), ...op('i32.const', 2), ...op('block', { typeIndex: 1 }), ...op('i32.add'), ...op('end'), ...op('end')] }],
    });
    const result = expectValid(m);
    expect(result.features.has('multi-value')).toBe(true);
  });

  it('rejects a block type index that is not a function type or out of range', () => {
    expectInvalid(fn([...op('block', { typeIndex: 5 }), ...op('end'), ...op('end')]), 'unknown type', at(0));
  });

  it('rejects a block whose parameters are missing from the stack', () => {
    const m = makeModule({
      types: [{ params: [], results: [] }, { params: [I32], results: [] }],
      funcs: [{ type: 0, body: [...op('block', { typeIndex: 1 }), ...op('drop'), ...op('end'), ...op('end')] }],
    });
    expectInvalid(m, 'type mismatch', at(0));
  });

  it('rejects an if without else whose params do not equal its results', () => {
    const body = [...op('i32.const', 0), ...op('if', I32), ...op('i32.const', 1), ...op('end'), ...op('end')];
    expectInvalid(fn(body, [], [I32]), 'type mismatch', at(6));
  });

  it('accepts if/else with matching arms and rejects mismatched arms', () => {
    const good = [...op('i32.const', 0), ...op('if', I32), ...op('i32.const', 1), ...op('else'), ...op('i32.const', 2), ...op('end'), ...op('end')];
    expectValid(fn(good, [], [I32]));
    const bad = [...op('i32.const', 0), ...op('if', I32), ...op('i32.const', 1), ...op('else'), ...op('f32.const', 2), ...op('end'), ...op('end')];
    expectInvalid(fn(bad, [], [I32]), 'type mismatch', at(bad.length - 2));
  });

  it('rejects if without an i32 condition', () => {
    expectInvalid(fn([...op('i64.const', 0), ...op('if'), ...op('end'), ...op('end')]), 'type mismatch', at(2));
  });
});

describe('branches', () => {
  it('accepts br to a block label with its result', () => {
    expectValid(fn([...op('block', I32), ...op('i32.const', 1), ...op('br', 0), ...op('end'), ...op('end')], [], [I32]));
  });

  it('uses loop parameters (not results) as a loop label type', () => {
    const m = makeModule({
      types: [{ params: [], results: [] }, { params: [I32], results: [] }],
      funcs: [{ type: 0, body: [...op('i32.const', 1), ...op('loop', { typeIndex: 1 }), ...op('br', 0), ...op('end'), ...op('end')] }],
    });
    expectValid(m);
  });

  it('rejects an unknown label', () => {
    expectInvalid(fn([...op('block'), ...op('br', 2), ...op('end'), ...op('end')]), 'unknown label', at(2));
  });

  it('br_if keeps the label values on the stack', () => {
    const body = [...op('block', I32), ...op('i32.const', 1), ...op('i32.const', 0), ...op('br_if', 0), ...op('end'), ...op('end')];
    expectValid(fn(body, [], [I32]));
  });

  it('br_table requires every target to carry the same number of values', () => {
    const good = [...op('block'), ...op('block'), ...op('i32.const', 0), ...op('br_table', [0, 1], 0), ...op('end'), ...op('end'), ...op('end')];
    expectValid(fn(good));
    const bad = [...op('block', I32), ...op('block'), ...op('i32.const', 0), ...op('br_table', [0], 1), ...op('end'), ...op('i32.const', 0), ...op('end'), ...op('drop'), ...op('end')];
    expectInvalid(fn(bad), 'type mismatch', at(6));
  });

  it('return checks the function results', () => {
    expectValid(fn([...op('i32.const', 1), ...op('return'), ...op('end')], [], [I32]));
    expectInvalid(fn([...op('f32.const', 1), ...op('return'), ...op('end')], [], [I32]), 'type mismatch', at(5));
  });
});

describe('unreachable code', () => {
  it('makes the stack polymorphic after unreachable', () => {
    expectValid(fn([...op('unreachable'), ...op('i32.add'), ...op('end')], [], [I32]));
    expectValid(fn([...op('unreachable'), ...op('end')], [], [I32, I64, F32]));
  });

  it('still checks the types that are on the stack', () => {
    expectInvalid(fn([...op('unreachable'), ...op('f32.const', 0), ...op('i32.add'), ...op('end')], [], [I32]), 'type mismatch', at(6));
  });

  it('untyped select of unknown operands yields the known one', () => {
    const body = [...op('unreachable'), ...op('i64.const', 0), ...op('i32.const', 0), ...op('select'), ...op('end')];
    expectValid(fn(body, [], [ValType.I64]));
    expectInvalid(fn(body, [], [I32]), 'type mismatch', at(body.length - 1));
  });
});

describe('select and drop', () => {
  it('accepts untyped select on numbers and rejects mismatched operands', () => {
    expectValid(fn([...op('i32.const', 1), ...op('i32.const', 2), ...op('i32.const', 0), ...op('select'), ...op('end')], [], [I32]));
    expectInvalid(fn([...op('i32.const', 1), ...op('i64.const', 2), ...op('i32.const', 0), ...op('select'), ...op('drop'), ...op('end')]), 'type mismatch', at(6));
  });

  it('rejects untyped select on references', () => {
    const body = [...op('ref.null', 0x70), ...op('ref.null', 0x70), ...op('i32.const', 0), ...op('select'), ...op('drop'), ...op('end')];
    expectInvalid(fn(body), 'type mismatch', at(6));
  });

  it('rejects a typed select with other than one type', () => {
    const body = [...op('i32.const', 0), ...op('select', []), ...op('end')];
    expectInvalid(fn(body), 'invalid result arity', at(2));
  });

  it('rejects drop on an empty stack', () => {
    expectInvalid(fn([...op('drop'), ...op('end')]), 'type mismatch', at(0));
  });
});
