// Numeric operators: constants, integer and float comparisons, arithmetic, bit counting, shifts,
// division (through the ISA's fixed-register `div`) and sign extension.
// Spec: https://webassembly.github.io/spec/core/exec/numerics.html
//
// A constant right operand folds into the instruction as an immediate; the left operand's
// register becomes the destination, so a binary operator takes no new register.

import {
  DivKind,
  FloatBinaryKind,
  FloatUnaryKind,
  IntBinaryKind,
  IntUnaryKind,
  OperandSize,
  RegClass,
  ShiftKind,
  IntCond,
  ValueKind,
  type FloatCond,
} from '@flint/backend';
import type { Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';

const S32 = OperandSize.S32;
const S64 = OperandSize.S64;

// Indexed by opcode - first opcode of the group (i32: 0x67.., i64: 0x79..):
// clz ctz popcnt add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr.
const INT_GROUP_UNARY = [IntUnaryKind.Clz, IntUnaryKind.Ctz, IntUnaryKind.Popcnt] as const;
const INT_GROUP_BINARY: readonly IntBinaryKind[] = [
  IntBinaryKind.Add,
  IntBinaryKind.Sub,
  IntBinaryKind.Mul,
  -1 as IntBinaryKind,
  -1 as IntBinaryKind,
  -1 as IntBinaryKind,
  -1 as IntBinaryKind,
  IntBinaryKind.And,
  IntBinaryKind.Or,
  IntBinaryKind.Xor,
];
// Float groups (f32: 0x8b.., f64: 0x99..): abs neg ceil floor trunc nearest sqrt, then add sub mul div min max copysign.
const FLOAT_GROUP_UNARY: readonly FloatUnaryKind[] = [
  FloatUnaryKind.Abs,
  FloatUnaryKind.Neg,
  FloatUnaryKind.Ceil,
  FloatUnaryKind.Floor,
  FloatUnaryKind.Trunc,
  FloatUnaryKind.Nearest,
  FloatUnaryKind.Sqrt,
];

export function visitNumeric(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  if (id >= 0x41 && id <= 0x44) {
    pushConstant(c, id, imm);
    return true;
  }
  if (id === 0x45 || id === 0x50) {
    // eqz: compare with an immediate zero
    const size = id === 0x45 ? S32 : S64;
    const value = c.popToAnyReg(RegClass.Int);
    if (c.nextIsConditionalBranch()) {
      c.fuseCompare(IntCond.Eq, size, value, -1, c.imm2.set(0, 0));
      return true;
    }
    c.masm.intCompare(IntCond.Eq, size, value, value, c.imm2.set(0, 0));
    c.pushRegKind(value, ValueKind.I32);
    return true;
  }
  if (id >= 0x46 && id <= 0x5a) {
    const size = id <= 0x4f ? S32 : S64;
    intCompare(c, (id <= 0x4f ? id - 0x46 : id - 0x51) as IntCond, size);
    return true;
  }
  if (id >= 0x5b && id <= 0x66) {
    const size = id <= 0x60 ? S32 : S64;
    floatCompare(c, (id <= 0x60 ? id - 0x5b : id - 0x61) as FloatCond, size);
    return true;
  }
  if (id >= 0x67 && id <= 0x8a) {
    const size = id <= 0x78 ? S32 : S64;
    intArithmetic(c, id - (size === S32 ? 0x67 : 0x79), size);
    return true;
  }
  if (id >= 0x8b && id <= 0xa6) {
    const size = id <= 0x98 ? S32 : S64;
    const n = id - (size === S32 ? 0x8b : 0x99);
    if (n < 7) {
      const reg = c.popToAnyReg(RegClass.Float);
      c.masm.floatUnary(FLOAT_GROUP_UNARY[n]!, size, reg, reg);
      c.pushReg(reg, size);
    } else {
      const rhs = c.popToAnyReg(RegClass.Float);
      const lhs = c.popToAnyReg(RegClass.Float);
      c.masm.floatBinary((n - 7) as FloatBinaryKind, size, lhs, lhs, rhs);
      c.freeReg(rhs);
      c.pushReg(lhs, size);
    }
    return true;
  }
  if (id >= 0xc0 && id <= 0xc4) {
    // i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s
    const size = id <= 0xc1 ? S32 : S64;
    const kind = id === 0xc0 || id === 0xc2 ? IntUnaryKind.Extend8S : id === 0xc4 ? IntUnaryKind.Extend32S : IntUnaryKind.Extend16S;
    const reg = c.popToAnyReg(RegClass.Int);
    c.masm.intUnary(kind, size, reg, reg);
    c.pushReg(reg, size);
    return true;
  }
  return false;
}

function pushConstant(c: BaselineCompiler, id: number, imm: Immediates): void {
  switch (id) {
    case 0x41:
      c.pushConst(ValueKind.I32, imm.i32, imm.i32 < 0 ? -1 : 0);
      return;
    case 0x42:
      c.pushConst(ValueKind.I64, imm.i64Lo, imm.i64Hi);
      return;
    case 0x43:
      c.pushConst(ValueKind.F32, imm.f32Bits, 0);
      return;
    default:
      c.pushConst(ValueKind.F64, imm.f64Lo, imm.f64Hi);
  }
}

function intCompare(c: BaselineCompiler, cond: IntCond, size: OperandSize): void {
  const fuse = c.nextIsConditionalBranch();
  if (c.topIsConst()) {
    const rhs = c.popConst(c.imm2);
    const lhs = c.popToAnyReg(RegClass.Int);
    if (fuse) c.fuseCompare(cond, size, lhs, -1, rhs);
    else {
      c.masm.intCompare(cond, size, lhs, lhs, rhs);
      c.pushRegKind(lhs, ValueKind.I32);
    }
    return;
  }
  const rhs = c.popToAnyReg(RegClass.Int);
  const lhs = c.popToAnyReg(RegClass.Int);
  if (fuse) {
    c.fuseCompare(cond, size, lhs, rhs, null);
    return;
  }
  c.masm.intCompare(cond, size, lhs, lhs, rhs);
  c.freeReg(rhs);
  c.pushRegKind(lhs, ValueKind.I32);
}

function floatCompare(c: BaselineCompiler, cond: FloatCond, size: OperandSize): void {
  const rhs = c.popToAnyReg(RegClass.Float);
  const lhs = c.popToAnyReg(RegClass.Float);
  const dst = c.allocReg(RegClass.Int);
  c.masm.floatCompare(cond, size, dst, lhs, rhs);
  c.freeReg(rhs);
  c.freeReg(lhs);
  c.pushRegKind(dst, ValueKind.I32);
}

/** `n` is the position in the integer group: clz ctz popcnt add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr. */
function intArithmetic(c: BaselineCompiler, n: number, size: OperandSize): void {
  const masm = c.masm;
  if (n < 3) {
    const reg = c.popToAnyReg(RegClass.Int);
    masm.intUnary(INT_GROUP_UNARY[n]!, size, reg, reg);
    c.pushReg(reg, size);
    return;
  }
  if (n >= 6 && n <= 9) {
    masm.div(c, (n - 6) as DivKind, size);
    return;
  }
  if (n >= 13) {
    const kind = (n - 13) as ShiftKind;
    if (c.topIsConst()) {
      const amount = c.popConst(c.imm2).lo;
      const reg = c.popToAnyReg(RegClass.Int);
      masm.shiftImm(kind, size, reg, reg, amount);
      c.pushReg(reg, size);
    } else {
      masm.shift(c, kind, size);
    }
    return;
  }
  const kind = INT_GROUP_BINARY[n - 3]!;
  if (c.topIsConst()) {
    const rhs = c.popConst(c.imm2);
    // An i32 constant's hi half is its sign, which is what Imm expects for 32-bit operations.
    const lhs = c.popToAnyReg(RegClass.Int);
    masm.intBinary(kind, size, lhs, lhs, rhs);
    c.pushReg(lhs, size);
    return;
  }
  const rhs = c.popToAnyReg(RegClass.Int);
  const lhs = c.popToAnyReg(RegClass.Int);
  masm.intBinary(kind, size, lhs, lhs, rhs);
  c.freeReg(rhs);
  c.pushReg(lhs, size);
}
