// Executable cases: float arithmetic and comparisons with Wasm's NaN and signed-zero rules (a few
// worked examples, then every unary, binary and comparison operator of both sizes over one table
// of inputs), float constants and select, and a few numeric conversions (the rest: convert.ts).

import { ConvertKind, FloatBinaryKind, FloatCond, FloatUnaryKind, IntBinaryKind, type OperandSize } from '../../masm.ts';
import type { ValueKind } from '../../abi.ts';
import { RegClass } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import { f32, f32Bits, f64Bits, isF32, nearestRef } from './numerics.ts';
import { F32, F64, I32, I32_MIN, I64, S32, S64, ok, sig, trap, type ExecutableCase } from './types.ts';

const WORKED_EXAMPLES: readonly ExecutableCase[] = [
  {
    name: 'f64 multiply then add',
    signature: sig([F64, F64, F64], [F64]),
    body: (m, e) => {
      const t = e.temp(RegClass.Float);
      m.floatBinary(FloatBinaryKind.Mul, S64, t, e.params[0]!, e.params[1]!);
      m.floatBinary(FloatBinaryKind.Add, S64, e.result, t, e.params[2]!);
    },
    runs: [
      { args: [1.5, 4, 0.25], expect: ok(6.25) },
      { args: [1e308, 10, 0], expect: ok(Infinity) },
    ],
  },
  {
    name: 'f32.sqrt rounds to single precision',
    signature: sig([F32], [F32]),
    body: (m, e) => m.floatUnary(FloatUnaryKind.Sqrt, S32, e.result, e.params[0]!),
    runs: [
      { args: [2.25], expect: ok(1.5) },
      { args: [2], expect: ok(Math.fround(Math.SQRT2)) },
      { args: [-1], expect: ok(NaN) },
    ],
  },
  {
    name: 'f64.min follows Wasm: -0 below +0, NaN wins',
    signature: sig([F64, F64], [F64]),
    body: (m, e) => m.floatBinary(FloatBinaryKind.Min, S64, e.result, e.params[0]!, e.params[1]!),
    runs: [
      { args: [0, -0], expect: ok(-0) },
      { args: [-0, 0], expect: ok(-0) },
      { args: [NaN, 1], expect: ok(NaN) },
      { args: [3, -2], expect: ok(-2) },
    ],
  },
  {
    name: 'f64.lt and f64.ne with NaN',
    signature: sig([F64, F64], [I32]),
    body: (m, e) => {
      const lt = e.temp(RegClass.Int);
      const ne = e.temp(RegClass.Int);
      m.floatCompare(FloatCond.Lt, S64, lt, e.params[0]!, e.params[1]!);
      m.floatCompare(FloatCond.Ne, S64, ne, e.params[0]!, e.params[1]!);
      m.intBinary(IntBinaryKind.Add, S32, lt, lt, lt);
      m.intBinary(IntBinaryKind.Or, S32, e.result, lt, ne);
    },
    runs: [
      { args: [1, 2], expect: ok(3) },
      { args: [2, 2], expect: ok(0) },
      { args: [NaN, 2], expect: ok(1) },
      { args: [NaN, NaN], expect: ok(1) },
    ],
  },
  {
    name: 'i64.extend_i32_s and i64.extend_i32_u',
    signature: sig([I32], [I64]),
    body: (m, e) => {
      const s = e.temp(RegClass.Int);
      const u = e.temp(RegClass.Int);
      m.convert(ConvertKind.I64ExtendI32S, s, e.params[0]!);
      m.convert(ConvertKind.I64ExtendI32U, u, e.params[0]!);
      m.intBinary(IntBinaryKind.Add, S64, e.result, s, u);
    },
    runs: [
      // -1 sign-extends to -1 and zero-extends to 2^32 - 1: the sum is 2^32 - 2.
      { args: [-1], expect: ok(0xffff_fffen) },
      { args: [5], expect: ok(10n) },
    ],
  },
  {
    name: 'i32.trunc_f64_s truncates toward zero and traps outside the range',
    signature: sig([F64], [I32]),
    body: (m, e) => m.convert(ConvertKind.I32TruncF64S, e.result, e.params[0]!),
    runs: [
      { args: [-3.9], expect: ok(-3) },
      { args: [2147483647.9], expect: ok(2147483647) },
      { args: [-2147483648.9], expect: ok(I32_MIN) },
      { args: [2147483648], expect: trap(TrapReason.IntegerOverflow) },
      { args: [NaN], expect: trap(TrapReason.InvalidConversionToInteger) },
    ],
  },
  {
    name: 'f64.convert_i64_u of a value above 2^63',
    signature: sig([I64], [F64]),
    body: (m, e) => m.convert(ConvertKind.F64ConvertI64U, e.result, e.params[0]!),
    runs: [
      { args: [-1n], expect: ok(2 ** 64) },
      { args: [12345n], expect: ok(12345) },
    ],
  },
];

const SIZES: readonly (readonly [OperandSize, ValueKind, string])[] = [
  [S32, F32, 'f32'],
  [S64, F64, 'f64'],
];

const UNARY_INPUTS = [0.5, -0.5, 1.5, 2.5, -2.5, 3.7, -3.7, -0, 0, NaN, Infinity, -Infinity, 4503599627370497, 1e300, 0.49999999999999994];

const UNARY: readonly [FloatUnaryKind, string, (x: number) => number][] = [
  [FloatUnaryKind.Ceil, 'ceil', Math.ceil],
  [FloatUnaryKind.Floor, 'floor', Math.floor],
  [FloatUnaryKind.Trunc, 'trunc', Math.trunc],
  [FloatUnaryKind.Nearest, 'nearest', nearestRef],
  [FloatUnaryKind.Abs, 'abs', Math.abs],
  [FloatUnaryKind.Neg, 'neg', (x) => -x],
  [FloatUnaryKind.Sqrt, 'sqrt', Math.sqrt],
];

const PAIRS: readonly [number, number][] = [
  [1, 2], [2, 1], [1, 1], [NaN, 1], [1, NaN], [-0, 0], [0, -0], [-Infinity, 3], [1.5, -0], [-2, 3],
];

const BINARY: readonly [FloatBinaryKind, string, (x: number, y: number) => number][] = [
  // Only defined here for a sign source that is not NaN (a NaN's sign bit is not specified).
  [FloatBinaryKind.Copysign, 'copysign', (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x))],
  [FloatBinaryKind.Max, 'max', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y))],
  [FloatBinaryKind.Min, 'min', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y))],
  [FloatBinaryKind.Sub, 'sub', (x, y) => x - y],
  [FloatBinaryKind.Div, 'div', (x, y) => x / y],
];

const COMPARES: readonly [FloatCond, string, (x: number, y: number) => boolean][] = [
  [FloatCond.Eq, 'eq', (x, y) => x === y],
  [FloatCond.Ne, 'ne', (x, y) => x !== y],
  [FloatCond.Lt, 'lt', (x, y) => x < y],
  [FloatCond.Gt, 'gt', (x, y) => x > y],
  [FloatCond.Le, 'le', (x, y) => x <= y],
  [FloatCond.Ge, 'ge', (x, y) => x >= y],
];

function operatorTables(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  for (const [size, type, prefix] of SIZES) {
    const round = (x: number) => (type === F32 ? f32(x) : x);
    for (const [kind, name, ref] of UNARY) {
      cases.push({
        name: `${prefix}.${name}`,
        signature: sig([type], [type]),
        body: (m, e) => m.floatUnary(kind, size, e.result, e.params[0]!),
        runs: UNARY_INPUTS.filter((x) => type === F64 || isF32(x)).map((x) => ({ args: [x], expect: ok(round(ref(x))) })),
      });
    }
    for (const [kind, name, ref] of BINARY) {
      const pairs = kind === FloatBinaryKind.Copysign ? PAIRS.filter(([, y]) => !Number.isNaN(y)) : PAIRS;
      cases.push({
        name: `${prefix}.${name}`,
        signature: sig([type, type], [type]),
        body: (m, e) => m.floatBinary(kind, size, e.result, e.params[0]!, e.params[1]!),
        runs: pairs.map(([x, y]) => ({ args: [x, y], expect: ok(round(ref(x, y))) })),
      });
    }
    for (const [cond, name, ref] of COMPARES) {
      cases.push({
        name: `${prefix}.${name}`,
        signature: sig([type, type], [I32]),
        body: (m, e) => m.floatCompare(cond, size, e.result, e.params[0]!, e.params[1]!),
        runs: PAIRS.map(([x, y]) => ({ args: [x, y], expect: ok(ref(x, y) ? 1 : 0) })),
      });
    }
  }
  return cases;
}

export const FLOAT_CASES: readonly ExecutableCase[] = [
  ...WORKED_EXAMPLES,
  ...operatorTables(),
  {
    name: 'loadFloatConstant: f64 pi, f32 -1.25 and +0',
    signature: sig([F64], [F64]),
    body: (m, e) => {
      const a = e.temp(RegClass.Float);
      const b = e.temp(RegClass.Float);
      const z = e.temp(RegClass.Float);
      const pi = f64Bits(Math.PI);
      m.loadFloatConstant(a, S64, pi.lo, pi.hi);
      m.loadFloatConstant(b, S32, f32Bits(-1.25), 0);
      m.convert(ConvertKind.F64PromoteF32, b, b);
      m.loadFloatConstant(z, S64, 0, 0);
      m.floatBinary(FloatBinaryKind.Add, S64, a, a, b);
      // +0 * x is +0 for the finite positive x below: a wrong constant would show.
      m.floatBinary(FloatBinaryKind.Mul, S64, z, z, e.params[0]!);
      m.floatBinary(FloatBinaryKind.Add, S64, e.result, a, z);
    },
    runs: [
      { args: [3], expect: ok(Math.PI - 1.25) },
      { args: [1e300], expect: ok(Math.PI - 1.25) },
    ],
  },
  {
    name: 'select on f64',
    signature: sig([F64, F64, I32], [F64]),
    body: (m, e) => m.select(S64, e.result, e.params[2]!, e.params[0]!, e.params[1]!),
    runs: [
      { args: [1.5, -2.5, 1], expect: ok(1.5) },
      { args: [1.5, -2.5, 0], expect: ok(-2.5) },
      { args: [1.5, -2.5, -0x8000_0000], expect: ok(1.5) },
    ],
  },
];
