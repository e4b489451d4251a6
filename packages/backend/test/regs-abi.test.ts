import { describe, expect, it } from 'vitest';
import {
  REFERENCE_TYPE_BIT,
  RegClass,
  ValueKind,
  computeCallLayout,
  forEachReg,
  hwEncodingOf,
  makeReg,
  regClassOf,
  regSetAdd,
  regSetCount,
  regSetFirst,
  regSetHas,
  regSetOf,
  regSetRemove,
  regSetToArray,
  valueKindOf,
  type CallingConvention,
} from '@flint/backend';

const int = (n: number) => makeReg(RegClass.Int, n);
const flt = (n: number) => makeReg(RegClass.Float, n);

describe('registers as data', () => {
  it('packs class and hardware encoding into one integer', () => {
    const x31 = makeReg(RegClass.Float, 31);
    expect(regClassOf(x31)).toBe(RegClass.Float);
    expect(hwEncodingOf(x31)).toBe(31);
    expect(regClassOf(int(15))).toBe(RegClass.Int);
    expect(int(3)).not.toBe(flt(3));
  });

  it('register sets add, remove, count and iterate in encoding order, up to encoding 31', () => {
    let set = regSetOf([int(3), int(0), int(31)]);
    expect(regSetCount(set)).toBe(3);
    expect(regSetHas(set, int(31))).toBe(true);
    expect(regSetHas(set, int(1))).toBe(false);
    set = regSetAdd(set, int(7));
    set = regSetRemove(set, int(0));
    expect(regSetToArray(set, RegClass.Int)).toEqual([int(3), int(7), int(31)]);
    expect(regSetFirst(set, RegClass.Int)).toBe(int(3));
    expect(regSetFirst(0, RegClass.Int)).toBe(-1);
    const seen: number[] = [];
    forEachReg(regSetOf([flt(1), flt(30)]), RegClass.Float, (r) => seen.push(r));
    expect(seen).toEqual([flt(1), flt(30)]);
    expect(regSetCount(0xffffffff)).toBe(32);
  });
});

// System V AMD64 as published in the psABI (§3.2.3), written out independently of any backend.
const sysv: CallingConvention = {
  name: 'test-sysv',
  intArgs: [7, 6, 2, 1, 8, 9].map(int),
  floatArgs: [0, 1, 2, 3, 4, 5, 6, 7].map(flt),
  intResults: [int(0), int(2)],
  floatResults: [flt(0), flt(1)],
  calleeSavedInt: regSetOf([3, 5, 12, 13, 14, 15].map(int)),
  calleeSavedFloat: 0,
  stackAlignment: 16,
  redZone: 128,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};
// Win64: four shared positions and 32 bytes of shadow space.
const win64: CallingConvention = {
  ...sysv,
  name: 'test-win64',
  intArgs: [1, 2, 8, 9].map(int),
  floatArgs: [0, 1, 2, 3].map(flt),
  redZone: 0,
  shadowSpace: 32,
  sharedArgCounter: true,
};

describe('computeCallLayout', () => {
  it('assigns int and float parameters from independent counters (System V)', () => {
    const layout = computeCallLayout(sysv, {
      params: [ValueKind.I32, ValueKind.F64, ValueKind.I64, ValueKind.F32],
      results: [ValueKind.I64],
    });
    expect(layout.params).toEqual([
      { kind: 'reg', reg: int(7) },
      { kind: 'reg', reg: flt(0) },
      { kind: 'reg', reg: int(6) },
      { kind: 'reg', reg: flt(1) },
    ]);
    expect(layout.results).toEqual([{ kind: 'reg', reg: int(0) }]);
    expect(layout.stackArgBytes).toBe(0);
  });

  it('puts the seventh integer argument on the stack and rounds the area to the alignment', () => {
    const layout = computeCallLayout(sysv, { params: Array(8).fill(ValueKind.I64), results: [] });
    expect(layout.params[6]).toEqual({ kind: 'stack', offset: 0 });
    expect(layout.params[7]).toEqual({ kind: 'stack', offset: 8 });
    expect(layout.stackArgBytes).toBe(16);
    const odd = computeCallLayout(sysv, { params: Array(7).fill(ValueKind.I32), results: [] });
    expect(odd.stackArgBytes).toBe(16);
  });

  it('shares one position counter and skips shadow space on Win64', () => {
    const layout = computeCallLayout(win64, {
      params: [ValueKind.I32, ValueKind.F64, ValueKind.I64, ValueKind.F32, ValueKind.I32],
      results: [],
    });
    expect(layout.params).toEqual([
      { kind: 'reg', reg: int(1) },
      { kind: 'reg', reg: flt(1) },
      { kind: 'reg', reg: int(8) },
      { kind: 'reg', reg: flt(3) },
      { kind: 'stack', offset: 32 },
    ]);
    expect(layout.stackArgBytes).toBe(16);
  });

  it('sends results beyond the result registers to the stack result area', () => {
    const layout = computeCallLayout(sysv, {
      params: [],
      results: [ValueKind.I32, ValueKind.I64, ValueKind.I32, ValueKind.V128],
    });
    expect(layout.results[2]).toEqual({ kind: 'stack', offset: 0 });
    expect(layout.results[3]).toEqual({ kind: 'reg', reg: flt(0) });
    expect(layout.stackResultBytes).toBe(16);
  });
});

describe('valueKindOf', () => {
  it('maps the binary codes of numeric and vector types, and every code with the reference bit', () => {
    expect([0x7f, 0x7e, 0x7d, 0x7c, 0x7b].map(valueKindOf)).toEqual([ValueKind.I32, ValueKind.I64, ValueKind.F32, ValueKind.F64, ValueKind.V128]);
    expect(valueKindOf(REFERENCE_TYPE_BIT)).toBe(ValueKind.Ref);
    expect(valueKindOf(REFERENCE_TYPE_BIT | 0x200 | (0x70 << 11))).toBe(ValueKind.Ref);
    // Packed storage types (i8 0x78, i16 0x77) and the validator's bottom type (0) are not value types.
    for (const code of [0x78, 0x77, 0, 0x40]) expect(() => valueKindOf(code)).toThrow(RangeError);
  });
});
