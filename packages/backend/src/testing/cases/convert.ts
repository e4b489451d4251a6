// Executable cases: every numeric conversion — trapping and saturating float→int at the edges of
// each integer range, int→float of both signednesses, demote/promote, reinterpretations and the
// sign extensions. Expected values come from the references in numerics.ts.

import { ConvertKind, IntBinaryKind, IntUnaryKind } from '../../masm.ts';
import { RegClass } from '../../regs.ts';
import { f32, f32Bits, isF32, truncRef, truncSatRef } from './numerics.ts';
import { F32, F64, I32, I64, S32, S64, ok, sig, trap, type CaseRun, type ExecutableCase, type WasmValue } from './types.ts';
import type { ValueKind } from '../../abi.ts';

/** Float inputs around every integer range's edges (the f32 ones are filtered for f32 sources). */
const TRUNC_INPUTS = [
  NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, -0.9, -1, -1.5, 1.9, 100.7, -100.7,
  2 ** 31 - 1, 2 ** 31 - 128, 2 ** 31 - 0.5, 2 ** 31, -(2 ** 31), -(2 ** 31) - 0.5, -(2 ** 31) - 1, -(2 ** 31) - 256,
  2 ** 32 - 1, 2 ** 32 - 256, 2 ** 32 - 0.5, 2 ** 32, 2 ** 53, 2 ** 63 - 1024, 2 ** 63 - 2 ** 39, 2 ** 63, -(2 ** 63), -(2 ** 63) - 2048,
  -(2 ** 63) - 2 ** 40, 2 ** 64 - 2048, 2 ** 64 - 2 ** 40, 2 ** 64, 1e30, -1e30,
];

interface Truncation {
  readonly name: string;
  readonly trapping: ConvertKind;
  readonly saturating: ConvertKind;
  readonly source: ValueKind;
  readonly intBits: 32 | 64;
  readonly signed: boolean;
}

const TRUNCATIONS: readonly Truncation[] = [
  { name: 'i32.trunc_f32_s', trapping: ConvertKind.I32TruncF32S, saturating: ConvertKind.I32TruncSatF32S, source: F32, intBits: 32, signed: true },
  { name: 'i32.trunc_f32_u', trapping: ConvertKind.I32TruncF32U, saturating: ConvertKind.I32TruncSatF32U, source: F32, intBits: 32, signed: false },
  { name: 'i32.trunc_f64_s', trapping: ConvertKind.I32TruncF64S, saturating: ConvertKind.I32TruncSatF64S, source: F64, intBits: 32, signed: true },
  { name: 'i32.trunc_f64_u', trapping: ConvertKind.I32TruncF64U, saturating: ConvertKind.I32TruncSatF64U, source: F64, intBits: 32, signed: false },
  { name: 'i64.trunc_f32_s', trapping: ConvertKind.I64TruncF32S, saturating: ConvertKind.I64TruncSatF32S, source: F32, intBits: 64, signed: true },
  { name: 'i64.trunc_f32_u', trapping: ConvertKind.I64TruncF32U, saturating: ConvertKind.I64TruncSatF32U, source: F32, intBits: 64, signed: false },
  { name: 'i64.trunc_f64_s', trapping: ConvertKind.I64TruncF64S, saturating: ConvertKind.I64TruncSatF64S, source: F64, intBits: 64, signed: true },
  { name: 'i64.trunc_f64_u', trapping: ConvertKind.I64TruncF64U, saturating: ConvertKind.I64TruncSatF64U, source: F64, intBits: 64, signed: false },
];

function truncationCases(): ExecutableCase[] {
  return TRUNCATIONS.flatMap((t): ExecutableCase[] => {
    const inputs = TRUNC_INPUTS.filter((x) => t.source === F64 || isF32(x));
    const signature = sig([t.source], [t.intBits === 64 ? I64 : I32]);
    return [
      {
        name: `${t.name} traps on NaN and out of range`,
        signature,
        body: (m, e) => m.convert(t.trapping, e.result, e.params[0]!),
        runs: inputs.map((x): CaseRun => {
          const r = truncRef(x, t.intBits, t.signed);
          return { args: [x], expect: 'trap' in r ? trap(r.trap) : ok(r.ok) };
        }),
      },
      {
        name: `${t.name.replace('trunc', 'trunc_sat')} saturates`,
        signature,
        body: (m, e) => m.convert(t.saturating, e.result, e.params[0]!),
        runs: inputs.map((x) => ({ args: [x], expect: ok(truncSatRef(x, t.intBits, t.signed)) })),
      },
    ];
  });
}

const INT_TO_FLOAT: readonly [ConvertKind, ValueKind, ValueKind, boolean, string][] = [
  [ConvertKind.F32ConvertI32S, I32, F32, true, 'f32.convert_i32_s'],
  [ConvertKind.F32ConvertI32U, I32, F32, false, 'f32.convert_i32_u'],
  [ConvertKind.F32ConvertI64S, I64, F32, true, 'f32.convert_i64_s'],
  [ConvertKind.F32ConvertI64U, I64, F32, false, 'f32.convert_i64_u'],
  [ConvertKind.F64ConvertI32S, I32, F64, true, 'f64.convert_i32_s'],
  [ConvertKind.F64ConvertI32U, I32, F64, false, 'f64.convert_i32_u'],
  [ConvertKind.F64ConvertI64S, I64, F64, true, 'f64.convert_i64_s'],
  [ConvertKind.F64ConvertI64U, I64, F64, false, 'f64.convert_i64_u'],
];

// Few significant bits, so that each value is exact in f64 and Math.fround rounds once.
const I32_INPUTS = [0, 1, -1, 0x7fff_ffff, -0x8000_0000, 0x0100_0001, -0x0100_0003, 123456789];
const I64_INPUTS = [0n, 1n, -1n, (1n << 63n) - (1n << 10n), -(1n << 63n), (1n << 62n) + (1n << 30n), -(1n << 40n) - 1n, (1n << 24n) + 1n, (1n << 53n) + (1n << 29n)];

function intToFloatCases(): ExecutableCase[] {
  return INT_TO_FLOAT.map(([kind, from, to, signed, name]) => ({
    name,
    signature: sig([from], [to]),
    body: (m, e) => m.convert(kind, e.result, e.params[0]!),
    runs: (from === I32 ? I32_INPUTS : I64_INPUTS).map((x: WasmValue) => {
      const exact =
        from === I32 ? (signed ? (x as number) : (x as number) >>> 0) : Number(signed ? BigInt.asIntN(64, x as bigint) : BigInt.asUintN(64, x as bigint));
      return { args: [x], expect: ok(to === F32 ? f32(exact) : exact) };
    }),
  }));
}

export const CONVERT_CASES: readonly ExecutableCase[] = [
  ...truncationCases(),
  ...intToFloatCases(),
  {
    name: 'f32.demote_f64 and f64.promote_f32 round trip',
    signature: sig([F64], [F64]),
    body: (m, e) => {
      const t = e.temp(RegClass.Float);
      m.convert(ConvertKind.F32DemoteF64, t, e.params[0]!);
      m.convert(ConvertKind.F64PromoteF32, e.result, t);
    },
    runs: [Math.PI, -0, 1e300, -1e-300, 16777217, Infinity].map((x) => ({ args: [x], expect: ok(f32(x)) })),
  },
  {
    name: 'reinterpretations keep the bits',
    signature: sig([F32, I64], [I64]),
    body: (m, e) => {
      const i = e.temp(RegClass.Int);
      const d = e.temp(RegClass.Float);
      const j = e.temp(RegClass.Int);
      m.convert(ConvertKind.I32ReinterpretF32, i, e.params[0]!); // f32 bits, zero-extended
      m.convert(ConvertKind.F64ReinterpretI64, d, e.params[1]!);
      m.convert(ConvertKind.I64ReinterpretF64, j, d);
      m.intBinary(IntBinaryKind.Xor, S64, e.result, i, j);
    },
    runs: (
      [
        [1.5, 0x1234_5678_9abc_def0n],
        [-0, -1n],
      ] as const
    ).map(([x, y]) => ({ args: [x, y], expect: ok(BigInt.asIntN(64, BigInt(f32Bits(x)) ^ y)) })),
  },
  {
    name: 'i64.extend_i32_s, extend8_s, extend16_s and i32.wrap_i64',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      const p = e.params[0]!;
      const a = e.temp(RegClass.Int);
      const b = e.temp(RegClass.Int);
      m.convert(ConvertKind.I32WrapI64, a, p);
      m.intUnary(IntUnaryKind.Extend8S, S64, b, a); // sign of bit 7
      m.intUnary(IntUnaryKind.Extend16S, S32, a, a); // i32, zero-extended
      m.intBinary(IntBinaryKind.Add, S64, a, a, b);
      m.intUnary(IntUnaryKind.Extend32S, S64, b, p);
      m.intBinary(IntBinaryKind.Xor, S64, e.result, a, b);
    },
    runs: [0x1234_5678_8081n, -1n, 0x7fn, 0xffff_ff80n].map((x) => {
      const wrapped = BigInt.asUintN(32, x);
      const e8 = BigInt.asIntN(8, wrapped);
      const e16 = BigInt.asUintN(32, BigInt.asIntN(16, wrapped));
      const e32 = BigInt.asIntN(32, x);
      return { args: [x], expect: ok(BigInt.asIntN(64, BigInt.asIntN(64, e16 + e8) ^ e32)) };
    }),
  },
];
