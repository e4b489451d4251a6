// Numeric operators: constants, integer and float comparisons, arithmetic, bit counting, shifts,
// division (through the ISA's fixed-register `div`) and sign extension.
// Spec: https://webassembly.github.io/spec/core/exec/numerics.html
//
// A constant right operand folds into the instruction as an immediate; the left operand's
// register becomes the destination, so a binary operator takes no new register.

import {
  IntCond,
  RegClass,
  ValueKind,
  type DivKind,
  type FloatBinaryKind,
  type FloatCond,
  type FloatUnaryKind,
  type IntBinaryKind,
  type IntUnaryKind,
  type OperandSize,
  type ShiftKind,
} from '@flint/backend';
import type { Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';
import { NUMERIC_FORM, NUMERIC_KIND, NumericForm, OPERAND_SIZE } from '../operators.ts';

export function visitNumeric(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  const kind = NUMERIC_KIND[id]!;
  const size = OPERAND_SIZE[id]! as OperandSize;
  switch (NUMERIC_FORM[id]) {
    case NumericForm.Const:
      pushConstant(c, kind as ValueKind, imm);
      return true;
    case NumericForm.Eqz: {
      // Compare with an immediate zero.
      const value = c.popToAnyReg(RegClass.Int);
      if (c.nextIsConditionalBranch()) {
        c.fuseCompare(IntCond.Eq, size, value, -1, c.imm2.set(0, 0));
        return true;
      }
      c.masm.intCompare(IntCond.Eq, size, value, value, c.imm2.set(0, 0));
      c.pushRegKind(value, ValueKind.I32);
      return true;
    }
    case NumericForm.IntCompare:
      intCompare(c, kind as IntCond, size);
      return true;
    case NumericForm.FloatCompare:
      floatCompare(c, kind as FloatCond, size);
      return true;
    case NumericForm.IntUnary: {
      const reg = c.popToAnyReg(RegClass.Int);
      c.masm.intUnary(kind as IntUnaryKind, size, reg, reg);
      c.pushReg(reg, size);
      return true;
    }
    case NumericForm.IntBinary:
      intBinary(c, kind as IntBinaryKind, size);
      return true;
    case NumericForm.Div:
      c.masm.div(c, kind as DivKind, size);
      return true;
    case NumericForm.Shift:
      shift(c, kind as ShiftKind, size);
      return true;
    case NumericForm.FloatUnary: {
      const reg = c.popToAnyReg(RegClass.Float);
      c.masm.floatUnary(kind as FloatUnaryKind, size, reg, reg);
      c.pushReg(reg, size);
      return true;
    }
    case NumericForm.FloatBinary: {
      const rhs = c.popToAnyReg(RegClass.Float);
      const lhs = c.popToAnyReg(RegClass.Float);
      c.masm.floatBinary(kind as FloatBinaryKind, size, lhs, lhs, rhs);
      c.freeReg(rhs);
      c.pushReg(lhs, size);
      return true;
    }
    default:
      return false;
  }
}

function pushConstant(c: BaselineCompiler, kind: ValueKind, imm: Immediates): void {
  switch (kind) {
    case ValueKind.I32:
      c.pushConst(ValueKind.I32, imm.i32, imm.i32 < 0 ? -1 : 0);
      return;
    case ValueKind.I64:
      c.pushConst(ValueKind.I64, imm.i64Lo, imm.i64Hi);
      return;
    case ValueKind.F32:
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

function shift(c: BaselineCompiler, kind: ShiftKind, size: OperandSize): void {
  if (c.topIsConst()) {
    const amount = c.popConst(c.imm2).lo;
    const reg = c.popToAnyReg(RegClass.Int);
    c.masm.shiftImm(kind, size, reg, reg, amount);
    c.pushReg(reg, size);
    return;
  }
  c.masm.shift(c, kind, size);
}

function intBinary(c: BaselineCompiler, kind: IntBinaryKind, size: OperandSize): void {
  const masm = c.masm;
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
