// Executable cases: float arithmetic and comparisons with Wasm's NaN and signed-zero rules, and
// numeric conversions (trapping ones included).

import { ConvertKind, FloatBinaryKind, FloatCond, FloatUnaryKind, IntBinaryKind } from '../../masm.ts';
import { RegClass } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import { F32, F64, I32, I32_MIN, I64, S32, S64, ok, sig, trap, type ExecutableCase } from './types.ts';

export const FLOAT_CASES: readonly ExecutableCase[] = [
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
