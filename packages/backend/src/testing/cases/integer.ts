// Executable cases: integer arithmetic, comparisons, division and shifts — a few worked examples,
// then tables: every division and shift kind of both sizes over operands of every sign, shifts
// by every kind of immediate, immediates of every encoding class (small, shifted, bitmask-like,
// ones that must be materialized), every comparison against registers and immediates.

import {
  DivKind,
  Imm,
  IntBinaryKind,
  IntCond,
  IntUnaryKind,
  ShiftKind,
  type MacroAssembler,
  type OperandSize,
} from '../../masm.ts';
import { RegClass } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import { MIN64, rotl32, rotl64 } from './numerics.ts';
import { I32, I32_MIN, I64, S32, S64, ok, sig, trap, type CaseEnv, type ExecutableCase } from './types.ts';

/** Pushes both parameters, runs a value-stack operation, pops the result into `env.result`. */
function viaStack(op: (masm: MacroAssembler, env: CaseEnv) => void, size: OperandSize) {
  return (masm: MacroAssembler, env: CaseEnv) => {
    env.stack.pushReg(env.params[0]!, size);
    env.stack.pushReg(env.params[1]!, size);
    op(masm, env);
    env.stack.popToReg(env.result, size);
  };
}

const WORKED_EXAMPLES: readonly ExecutableCase[] = [
  {
    name: 'i32.add wraps around',
    signature: sig([I32, I32], [I32]),
    body: (m, e) => m.intBinary(IntBinaryKind.Add, S32, e.result, e.params[0]!, e.params[1]!),
    runs: [
      { args: [40, 2], expect: ok(42) },
      { args: [0x7fff_ffff, 1], expect: ok(I32_MIN) },
      { args: [-1, -1], expect: ok(-2) },
    ],
  },
  {
    name: 'i64.sub and i64.add with immediates (one beyond 32 bits)',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      const t = e.temp(RegClass.Int);
      m.intBinary(IntBinaryKind.Sub, S64, t, e.params[0]!, Imm.i32(1));
      m.intBinary(IntBinaryKind.Add, S64, e.result, t, Imm.i64(0, 1));
    },
    runs: [
      { args: [10n], expect: ok(9n + 0x1_0000_0000n) },
      { args: [-(2n ** 63n)], expect: ok(2n ** 63n - 1n + 0x1_0000_0000n - 2n ** 64n) },
    ],
  },
  {
    name: 'i32.mul keeps the low 32 bits',
    signature: sig([I32, I32], [I32]),
    body: (m, e) => m.intBinary(IntBinaryKind.Mul, S32, e.result, e.params[0]!, e.params[1]!),
    runs: [
      { args: [6, 7], expect: ok(42) },
      { args: [0x1_0000, 0x1_0000], expect: ok(0) },
      { args: [-3, 5], expect: ok(-15) },
    ],
  },
  {
    name: 'i32.lt_s and i32.lt_u differ on negative operands',
    signature: sig([I32, I32], [I32]),
    body: (m, e) => {
      const signed = e.temp(RegClass.Int);
      const unsigned = e.temp(RegClass.Int);
      m.intCompare(IntCond.LtS, S32, signed, e.params[0]!, e.params[1]!);
      m.intCompare(IntCond.LtU, S32, unsigned, e.params[0]!, e.params[1]!);
      // result = lt_s * 2 + lt_u
      m.intBinary(IntBinaryKind.Add, S32, signed, signed, signed);
      m.intBinary(IntBinaryKind.Or, S32, e.result, signed, unsigned);
    },
    runs: [
      { args: [-1, 0], expect: ok(2) },
      { args: [0, -1], expect: ok(1) },
      { args: [1, 2], expect: ok(3) },
      { args: [2, 2], expect: ok(0) },
    ],
  },
  {
    name: 'i32.div_s traps on zero and on overflow',
    signature: sig([I32, I32], [I32]),
    body: viaStack((m, e) => m.div(e.stack, DivKind.SignedDiv, S32), S32),
    runs: [
      { args: [7, 2], expect: ok(3) },
      { args: [-7, 2], expect: ok(-3) },
      { args: [1, 0], expect: trap(TrapReason.IntegerDivideByZero) },
      { args: [I32_MIN, -1], expect: trap(TrapReason.IntegerOverflow) },
    ],
  },
  {
    name: 'i32.rem_s of MIN by -1 is 0, not a trap',
    signature: sig([I32, I32], [I32]),
    body: viaStack((m, e) => m.div(e.stack, DivKind.SignedRem, S32), S32),
    runs: [
      { args: [I32_MIN, -1], expect: ok(0) },
      { args: [-7, 2], expect: ok(-1) },
      { args: [7, 0], expect: trap(TrapReason.IntegerDivideByZero) },
    ],
  },
  {
    name: 'i64.div_u treats operands as unsigned',
    signature: sig([I64, I64], [I64]),
    body: viaStack((m, e) => m.div(e.stack, DivKind.UnsignedDiv, S64), S64),
    runs: [
      { args: [-1n, 2n], expect: ok(2n ** 63n - 1n) },
      { args: [100n, 7n], expect: ok(14n) },
      { args: [1n, 0n], expect: trap(TrapReason.IntegerDivideByZero) },
    ],
  },
  {
    name: 'i32.shl masks the shift amount to 5 bits',
    signature: sig([I32, I32], [I32]),
    body: viaStack((m, e) => m.shift(e.stack, ShiftKind.Shl, S32), S32),
    runs: [
      { args: [1, 33], expect: ok(2) },
      { args: [1, 31], expect: ok(I32_MIN) },
    ],
  },
  {
    name: 'i64.shr_s masks the shift amount to 6 bits',
    signature: sig([I64, I64], [I64]),
    body: viaStack((m, e) => m.shift(e.stack, ShiftKind.ShrS, S64), S64),
    runs: [
      { args: [-16n, 2n], expect: ok(-4n) },
      { args: [-16n, 66n], expect: ok(-4n) },
    ],
  },
  {
    name: 'i32.rotl by an immediate',
    signature: sig([I32], [I32]),
    body: (m, e) => m.shiftImm(ShiftKind.Rotl, S32, e.result, e.params[0]!, 1),
    runs: [{ args: [0x8000_0001 | 0], expect: ok(3) }],
  },
  {
    name: 'clz, ctz and popcnt',
    signature: sig([I32], [I32]),
    body: (m, e) => {
      const clz = e.temp(RegClass.Int);
      const ctz = e.temp(RegClass.Int);
      const pop = e.temp(RegClass.Int);
      m.intUnary(IntUnaryKind.Clz, S32, clz, e.params[0]!);
      m.intUnary(IntUnaryKind.Ctz, S32, ctz, e.params[0]!);
      m.intUnary(IntUnaryKind.Popcnt, S32, pop, e.params[0]!);
      // result = clz << 16 | ctz << 8 | popcnt
      m.shiftImm(ShiftKind.Shl, S32, clz, clz, 16);
      m.shiftImm(ShiftKind.Shl, S32, ctz, ctz, 8);
      m.intBinary(IntBinaryKind.Or, S32, clz, clz, ctz);
      m.intBinary(IntBinaryKind.Or, S32, e.result, clz, pop);
    },
    runs: [
      { args: [0], expect: ok((32 << 16) | (32 << 8) | 0) },
      { args: [1], expect: ok((31 << 16) | (0 << 8) | 1) },
      { args: [0xf0], expect: ok((24 << 16) | (4 << 8) | 4) },
      { args: [-1], expect: ok((0 << 16) | (0 << 8) | 32) },
    ],
  },
];

const u32 = (x: number) => x >>> 0;

function divisionCases(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  const i32Pairs: [number, number][] = [
    [7, 3], [-7, 3], [7, -3], [I32_MIN, -1], [I32_MIN, 1], [0x7fff_ffff, -1], [5, 0], [0, 5], [-1, 33], [0x1234_5678, 36], [-2, 2],
  ];
  // A result, or null for a zero divisor; 'overflow' for MIN / -1.
  const div32: [DivKind, string, (x: number, y: number) => number | 'overflow' | null][] = [
    [DivKind.SignedDiv, 'div_s', (x, y) => (y === 0 ? null : x === I32_MIN && y === -1 ? 'overflow' : Math.trunc(x / y) | 0)],
    [DivKind.UnsignedDiv, 'div_u', (x, y) => (y === 0 ? null : Math.floor(u32(x) / u32(y)) | 0)],
    [DivKind.SignedRem, 'rem_s', (x, y) => (y === 0 ? null : y === -1 ? 0 : (x % y) | 0)],
    [DivKind.UnsignedRem, 'rem_u', (x, y) => (y === 0 ? null : u32(x) % u32(y) | 0)],
  ];
  for (const [kind, name, ref] of div32) {
    cases.push({
      name: `i32.${name} (all operand signs, zero divisor)`,
      signature: sig([I32, I32], [I32]),
      body: viaStack((m, e) => m.div(e.stack, kind, S32), S32),
      runs: i32Pairs.map(([x, y]) => {
        const r = ref(x, y);
        if (r === null) return { args: [x, y], expect: trap(TrapReason.IntegerDivideByZero) };
        if (r === 'overflow') return { args: [x, y], expect: trap(TrapReason.IntegerOverflow) };
        return { args: [x, y], expect: ok(r) };
      }),
    });
  }
  const i64Pairs: [bigint, bigint][] = [
    [7n, 3n], [-7n, 3n], [MIN64, -1n], [MIN64, 1n], [-1n, 2n], [5n, 0n], [(1n << 40n) + 5n, -(1n << 20n)], [-1n, -1n],
  ];
  const div64: [DivKind, string, (x: bigint, y: bigint) => bigint | 'overflow' | null][] = [
    [DivKind.SignedDiv, 'div_s', (x, y) => (y === 0n ? null : x === MIN64 && y === -1n ? 'overflow' : x / y)],
    [DivKind.UnsignedDiv, 'div_u', (x, y) => (y === 0n ? null : BigInt.asUintN(64, x) / BigInt.asUintN(64, y))],
    [DivKind.SignedRem, 'rem_s', (x, y) => (y === 0n ? null : x % y)],
    [DivKind.UnsignedRem, 'rem_u', (x, y) => (y === 0n ? null : BigInt.asUintN(64, x) % BigInt.asUintN(64, y))],
  ];
  for (const [kind, name, ref] of div64) {
    cases.push({
      name: `i64.${name} (all operand signs, zero divisor)`,
      signature: sig([I64, I64], [I64]),
      body: viaStack((m, e) => m.div(e.stack, kind, S64), S64),
      runs: i64Pairs.map(([x, y]) => {
        const r = ref(x, y);
        if (r === null) return { args: [x, y], expect: trap(TrapReason.IntegerDivideByZero) };
        if (r === 'overflow') return { args: [x, y], expect: trap(TrapReason.IntegerOverflow) };
        return { args: [x, y], expect: ok(BigInt.asIntN(64, r)) };
      }),
    });
  }
  return cases;
}

function shiftCases(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  const shifts32: [ShiftKind, string, (x: number, n: number) => number][] = [
    [ShiftKind.Shl, 'shl', (x, n) => x << n],
    [ShiftKind.ShrS, 'shr_s', (x, n) => x >> n],
    [ShiftKind.ShrU, 'shr_u', (x, n) => (x >>> n) | 0],
    [ShiftKind.Rotl, 'rotl', (x, n) => rotl32(x, n)],
    [ShiftKind.Rotr, 'rotr', (x, n) => rotl32(x, 32 - (n & 31))],
  ];
  const registerInputs: [number, number][] = [[0x8000_0001 | 0, 1], [0x1234_5678, 0], [0x1234_5678, 36], [-1, 31], [0x0f0f_0000, 68], [-8, 35]];
  for (const [kind, name, ref] of shifts32) {
    cases.push({
      name: `i32.${name} by a register`,
      signature: sig([I32, I32], [I32]),
      body: viaStack((m, e) => m.shift(e.stack, kind, S32), S32),
      runs: registerInputs.map(([x, n]) => ({ args: [x, n], expect: ok(ref(x, n)) })),
    });
    for (const n of [0, 1, 13, 31, 33]) {
      cases.push({
        name: `i32.${name} by immediate ${n}`,
        signature: sig([I32], [I32]),
        body: (m, e) => m.shiftImm(kind, S32, e.result, e.params[0]!, n),
        runs: [0x8000_0001 | 0, 0x1234_5678, -1].map((x) => ({ args: [x], expect: ok(ref(x, n)) })),
      });
    }
  }
  const shifts64: [ShiftKind, string, (x: bigint, n: bigint) => bigint][] = [
    [ShiftKind.Shl, 'shl', (x, n) => BigInt.asIntN(64, x << (n & 63n))],
    [ShiftKind.ShrS, 'shr_s', (x, n) => x >> (n & 63n)],
    [ShiftKind.ShrU, 'shr_u', (x, n) => BigInt.asIntN(64, BigInt.asUintN(64, x) >> (n & 63n))],
    [ShiftKind.Rotl, 'rotl', rotl64],
    [ShiftKind.Rotr, 'rotr', (x, n) => rotl64(x, (64n - (n & 63n)) & 63n)],
  ];
  const registerInputs64: [bigint, bigint][] = [
    [-0x7fff_ffff_ffff_ffffn, 1n],
    [0x0123_4567_89ab_cdefn, 68n],
    [-1n, 63n],
    [0x0123_4567_89ab_cdefn, 0n],
    [0x0123_4567_89ab_cdefn, -4n],
  ];
  for (const [kind, name, ref] of shifts64) {
    cases.push({
      name: `i64.${name} by a register`,
      signature: sig([I64, I64], [I64]),
      body: viaStack((m, e) => m.shift(e.stack, kind, S64), S64),
      runs: registerInputs64.map(([x, n]) => ({ args: [x, n], expect: ok(ref(x, n)) })),
    });
    cases.push({
      name: `i64.${name} by immediate 40`,
      signature: sig([I64], [I64]),
      body: (m, e) => m.shiftImm(kind, S64, e.result, e.params[0]!, 40),
      runs: [0x0123_4567_89ab_cdefn, -2n].map((x) => ({ args: [x], expect: ok(ref(x, 40n)) })),
    });
  }
  return cases;
}

function immediateCases(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  const imm32 = [0, 1, 4095, 4096, 4097, 0xfff000, -1, -4095, -4097, 0x00ff_00ff, 0x1234_5678, I32_MIN, 0x7fff_ffff];
  const binary32: [IntBinaryKind, string, (x: number, y: number) => number][] = [
    [IntBinaryKind.Add, 'add', (x, y) => (x + y) | 0],
    [IntBinaryKind.Sub, 'sub', (x, y) => (x - y) | 0],
    [IntBinaryKind.Mul, 'mul', (x, y) => Math.imul(x, y)],
    [IntBinaryKind.And, 'and', (x, y) => x & y],
    [IntBinaryKind.Or, 'or', (x, y) => x | y],
    [IntBinaryKind.Xor, 'xor', (x, y) => x ^ y],
  ];
  for (const [kind, name, ref] of binary32) {
    for (const value of imm32) {
      cases.push({
        name: `i32.${name} with immediate ${value}`,
        signature: sig([I32], [I32]),
        body: (m, e) => m.intBinary(kind, S32, e.result, e.params[0]!, Imm.i32(value)),
        runs: [0, 0x7654_3210, -5].map((x) => ({ args: [x], expect: ok(ref(x, value)) })),
      });
    }
  }
  // [lo, hi] halves of 64-bit immediates.
  const imm64: [number, number][] = [
    [1, 0], [-1, -1], [4096, 0], [0xffff_f000 | 0, -1], [0x00ff_00ff, 0x00ff_00ff], [0, 1], [0x1234_5678, 0x9abc_def0 | 0], [0, I32_MIN],
  ];
  const binary64: [IntBinaryKind, string, (x: bigint, y: bigint) => bigint][] = [
    [IntBinaryKind.Add, 'add', (x, y) => x + y],
    [IntBinaryKind.Sub, 'sub', (x, y) => x - y],
    [IntBinaryKind.Mul, 'mul', (x, y) => x * y],
    [IntBinaryKind.And, 'and', (x, y) => x & y],
    [IntBinaryKind.Or, 'or', (x, y) => x | y],
    [IntBinaryKind.Xor, 'xor', (x, y) => x ^ y],
  ];
  for (const [kind, name, ref] of binary64) {
    cases.push({
      name: `i64.${name} with immediates`,
      signature: sig([I64], [I64]),
      body: (m, e) => {
        // Chains every immediate: r = (((x op i0) op i1) ...).
        m.move(e.result, e.params[0]!, S64);
        for (const [lo, hi] of imm64) m.intBinary(kind, S64, e.result, e.result, Imm.i64(lo, hi));
      },
      runs: [0n, 0x0123_4567_89ab_cdefn, -3n].map((x) => {
        let r = x;
        for (const [lo, hi] of imm64) r = BigInt.asIntN(64, ref(r, (BigInt(hi) << 32n) | BigInt(lo >>> 0)));
        return { args: [x], expect: ok(r) };
      }),
    });
  }
  return cases;
}

function comparisonCases(): ExecutableCase[] {
  const conds: [IntCond, string, (x: bigint, y: bigint) => boolean][] = [
    [IntCond.Eq, 'eq', (x, y) => x === y],
    [IntCond.Ne, 'ne', (x, y) => x !== y],
    [IntCond.LtS, 'lt_s', (x, y) => x < y],
    [IntCond.LtU, 'lt_u', (x, y) => BigInt.asUintN(64, x) < BigInt.asUintN(64, y)],
    [IntCond.GtS, 'gt_s', (x, y) => x > y],
    [IntCond.GtU, 'gt_u', (x, y) => BigInt.asUintN(64, x) > BigInt.asUintN(64, y)],
    [IntCond.LeS, 'le_s', (x, y) => x <= y],
    [IntCond.LeU, 'le_u', (x, y) => BigInt.asUintN(64, x) <= BigInt.asUintN(64, y)],
    [IntCond.GeS, 'ge_s', (x, y) => x >= y],
    [IntCond.GeU, 'ge_u', (x, y) => BigInt.asUintN(64, x) >= BigInt.asUintN(64, y)],
  ];
  const pairs: [bigint, bigint][] = [[1n, 2n], [2n, 1n], [5n, 5n], [-1n, 1n], [1n, -1n], [MIN64, -MIN64 - 1n]];
  return conds.map(([cond, name, ref]) => ({
    name: `i64.${name}, and with immediates -5 and 2^40 via intCompare and branchIf`,
    signature: sig([I64, I64], [I32]),
    body: (m, e) => {
      // The result register may be the first parameter's: accumulate in r, move at the end.
      const r = e.temp(RegClass.Int);
      const t = e.temp(RegClass.Int);
      const skip = m.newLabel();
      m.intCompare(cond, S64, r, e.params[0]!, e.params[1]!);
      // bit 1: x cond -5; bit 2: not (x cond 2^40), through a branch rather than a compare
      m.intCompare(cond, S64, t, e.params[0]!, Imm.i32(-5));
      m.shiftImm(ShiftKind.Shl, S32, t, t, 1);
      m.intBinary(IntBinaryKind.Or, S32, r, r, t);
      m.branchIf(cond, S64, e.params[0]!, Imm.i64(0, 0x100), skip);
      m.intBinary(IntBinaryKind.Or, S32, r, r, Imm.i32(4));
      m.bind(skip);
      m.move(e.result, r, S32);
    },
    runs: pairs.map(([x, y]) => ({
      args: [x, y],
      expect: ok((ref(x, y) ? 1 : 0) | (ref(x, -5n) ? 2 : 0) | (ref(x, 1n << 40n) ? 0 : 4)),
    })),
  }));
}

export const INTEGER_CASES: readonly ExecutableCase[] = [
  ...WORKED_EXAMPLES,
  ...divisionCases(),
  ...shiftCases(),
  ...immediateCases(),
  ...comparisonCases(),
  {
    name: 'i32.lt_u and trapIf with immediates',
    signature: sig([I32], [I32]),
    body: (m, e) => {
      m.trapIf(IntCond.Eq, S32, e.params[0]!, Imm.i32(-4097), TrapReason.Unreachable);
      m.intCompare(IntCond.LtU, S32, e.result, e.params[0]!, Imm.i32(-2));
    },
    runs: [
      { args: [-4097], expect: trap(TrapReason.Unreachable) },
      { args: [-2], expect: ok(0) },
      { args: [-3], expect: ok(1) },
      { args: [5], expect: ok(1) },
    ],
  },
  {
    name: 'i64 clz, ctz and popcnt',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      const a = e.temp(RegClass.Int);
      const b = e.temp(RegClass.Int);
      m.intUnary(IntUnaryKind.Clz, S64, a, e.params[0]!);
      m.intUnary(IntUnaryKind.Ctz, S64, b, e.params[0]!);
      m.shiftImm(ShiftKind.Shl, S64, b, b, 8);
      m.intBinary(IntBinaryKind.Or, S64, a, a, b);
      m.intUnary(IntUnaryKind.Popcnt, S64, b, e.params[0]!);
      m.shiftImm(ShiftKind.Shl, S64, b, b, 16);
      m.intBinary(IntBinaryKind.Or, S64, e.result, a, b);
    },
    runs: [0n, 1n, -1n, 0x00f0_0000_0000_0100n, MIN64].map((x) => {
      const u = BigInt.asUintN(64, x);
      const digits = u.toString(2);
      const clz = u === 0n ? 64 : 64 - digits.length;
      const ctz = u === 0n ? 64 : digits.length - 1 - digits.lastIndexOf('1');
      const pop = digits.replaceAll('0', '').length;
      return { args: [x], expect: ok(BigInt(clz | (ctz << 8) | (pop << 16))) };
    }),
  },
];
