// Executable cases: integer arithmetic, comparisons, division and shifts.

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

export const INTEGER_CASES: readonly ExecutableCase[] = [
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
