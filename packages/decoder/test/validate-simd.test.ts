// SIMD: signatures from the opcode table, lane index bounds, shuffles, wide arithmetic results.
import { describe, expect, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import { ValType } from '../src/types.ts';
import { BODY_BASE, expectInvalid, expectValid, makeModule, memory } from './validate-helpers.ts';

const { I32, I64, V128 } = ValType;
const ZERO16 = new Array<number>(16).fill(0);
const fn = (params: ValType[], results: ValType[], body: number[]) => makeModule({ types: [{ params, results }], memories: [memory(1)], funcs: [{ type: 0, body }] });

describe('SIMD', () => {
  it('types v128 arithmetic from the table', () => {
    expectValid(fn([], [V128], [...op('v128.const', ZERO16), ...op('v128.const', ZERO16), ...op('i32x4.add'), ...op('end')]));
    expectInvalid(fn([], [V128], [...op('v128.const', ZERO16), ...op('i32.const', 0), ...op('i32x4.add'), ...op('end')]), 'type mismatch', BODY_BASE + 20);
    expect(expectValid(fn([], [V128], [...op('v128.const', ZERO16), ...op('end')])).features.has('simd')).toBe(true);
  });

  it('bounds lane indices by the shape', () => {
    const extract = (name: string, lane: number, result: ValType) => fn([V128], [result], [...op('local.get', 0), ...op(name, lane), ...op('end')]);
    expectValid(extract('i8x16.extract_lane_s', 15, I32));
    expectInvalid(extract('i8x16.extract_lane_s', 16, I32), 'invalid lane index', BODY_BASE + 2);
    expectValid(extract('i64x2.extract_lane', 1, I64));
    expectInvalid(extract('i64x2.extract_lane', 2, I64), 'invalid lane index', BODY_BASE + 2);
  });

  it('bounds load/store lane indices by the access size', () => {
    const load = (lane: number) => fn([V128], [V128], [...op('i32.const', 0), ...op('local.get', 0), ...op('v128.load32_lane', {}, lane), ...op('end')]);
    expectValid(load(3));
    expectInvalid(load(4), 'invalid lane index', BODY_BASE + 4);
  });

  it('bounds shuffle lane indices by 32', () => {
    const shuffle = (lanes: number[]) => fn([V128], [V128], [...op('local.get', 0), ...op('local.get', 0), ...op('i8x16.shuffle', lanes), ...op('end')]);
    expectValid(shuffle([...ZERO16.slice(1), 31]));
    expectInvalid(shuffle([...ZERO16.slice(1), 32]), 'invalid lane index', BODY_BASE + 4);
  });

  it('checks SIMD memory alignment', () => {
    expectInvalid(fn([], [V128], [...op('i32.const', 0), ...op('v128.load', { align: 5 }), ...op('end')]), 'alignment must not be larger than natural', BODY_BASE + 2);
  });
});

describe('wide arithmetic', () => {
  it('pushes both results of i64.mul_wide_s', () => {
    const r = expectValid(makeModule({ types: [{ params: [], results: [I64, I64] }], funcs: [{ type: 0, body: [...op('i64.const', 1), ...op('i64.const', 2), ...op('i64.mul_wide_s'), ...op('end')] }] }));
    expect(r.features.has('wide-arithmetic')).toBe(true);
  });
});
