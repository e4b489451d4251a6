// Integer operations of the arm64 MacroAssembler: moves, the binary and unary families, shifts and
// rotates (A64 masks register shift counts to the operand size, exactly as Wasm does), division
// with Wasm's traps, comparisons and select.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html#integer-operations

import {
  DivKind,
  IntBinaryKind,
  IntCond,
  IntUnaryKind,
  RegClass,
  ShiftKind,
  TrapReason,
  isFloatReg,
  isImm,
  type Imm,
  type OperandSize,
  type Reg,
  type RegOrImm,
  type ValueSize,
  type ValueStackContext,
} from '@flint/backend';
import { Arrangement, AssemblerError, AssemblerErrorCode, Cond, VecOp, encodeLogicalImmediate, isAddSubImmediate } from '../assembler/index.ts';
import type { Gpr as GprT } from '../assembler/index.ts';
import { MasmBase, V31, X16, g, v } from './base.ts';

// Indexed by IntCond: Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU.
export const INT_COND: readonly Cond[] = [Cond.eq, Cond.ne, Cond.lt, Cond.lo, Cond.gt, Cond.hi, Cond.le, Cond.ls, Cond.ge, Cond.hs];

/** A 64-bit immediate as the assembler takes it: a number when safe, a BigInt only beyond ±2^53. */
function logicalValue64(imm: Imm): number | bigint {
  const value = imm.hi * 0x1_0000_0000 + (imm.lo >>> 0);
  return Number.isSafeInteger(value) ? value : (BigInt(imm.hi) << 32n) | BigInt(imm.lo >>> 0);
}

export class IntegerMasm extends MasmBase {
  move(dst: Reg, src: RegOrImm, size: ValueSize): void {
    if (isImm(src)) {
      if (isFloatReg(dst) || size === 128) throw new AssemblerError(AssemblerErrorCode.InvalidOperand, 'move: an immediate can only go to an integer register');
      this.loadImm(size, g(dst), src);
      return;
    }
    if (dst === src) return;
    if (isFloatReg(dst) !== isFloatReg(src)) throw new AssemblerError(AssemblerErrorCode.InvalidOperand, 'move: source and destination are of different classes');
    // fmov d copies the low 64 bits, which hold an f32 or an f64 alike; a v128 needs all 128.
    if (size === 128) this.asm.vecMovRR(v(dst), v(src));
    else if (isFloatReg(dst)) this.asm.fmovRR(64, v(dst), v(src));
    else this.asm.movRR(size, g(dst), g(src));
  }

  intBinary(kind: IntBinaryKind, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void {
    const d = g(dst);
    const l = g(lhs);
    if (isImm(rhs)) {
      if (this.binaryImmediate(kind, size, d, l, rhs)) return;
      this.loadImm(size, X16, rhs);
      this.binaryRR(kind, size, d, l, X16);
      return;
    }
    this.binaryRR(kind, size, d, l, g(rhs));
  }

  /** The single-instruction immediate forms (add/sub imm12, logical bitmask); false if none fits. */
  private binaryImmediate(kind: IntBinaryKind, size: OperandSize, d: GprT, l: GprT, imm: Imm): boolean {
    const a = this.asm;
    switch (kind) {
      case IntBinaryKind.Add:
      case IntBinaryKind.Sub: {
        if (size === 64 && !imm.fitsInI32()) return false;
        const value = kind === IntBinaryKind.Add ? imm.lo | 0 : -(imm.lo | 0);
        if (isAddSubImmediate(value)) a.addRRI(size, d, l, value);
        else if (isAddSubImmediate(-value)) a.subRRI(size, d, l, -value);
        else return false;
        return true;
      }
      case IntBinaryKind.And:
      case IntBinaryKind.Or:
      case IntBinaryKind.Xor: {
        const value = size === 32 ? imm.lo >>> 0 : logicalValue64(imm);
        if (encodeLogicalImmediate(value, size) === null) return false;
        if (kind === IntBinaryKind.And) a.andRRI(size, d, l, value);
        else if (kind === IntBinaryKind.Or) a.orrRRI(size, d, l, value);
        else a.eorRRI(size, d, l, value);
        return true;
      }
      default:
        return false;
    }
  }

  private binaryRR(kind: IntBinaryKind, size: OperandSize, d: GprT, l: GprT, r: GprT): void {
    const a = this.asm;
    switch (kind) {
      case IntBinaryKind.Add:
        a.addRRR(size, d, l, r);
        return;
      case IntBinaryKind.Sub:
        a.subRRR(size, d, l, r);
        return;
      case IntBinaryKind.Mul:
        a.mulRRR(size, d, l, r);
        return;
      case IntBinaryKind.And:
        a.andRRR(size, d, l, r);
        return;
      case IntBinaryKind.Or:
        a.orrRRR(size, d, l, r);
        return;
      case IntBinaryKind.Xor:
        a.eorRRR(size, d, l, r);
        return;
    }
  }

  intUnary(kind: IntUnaryKind, size: OperandSize, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = g(dst);
    const s = g(src);
    switch (kind) {
      // clz of 0 is the operand size, exactly Wasm's clz.
      case IntUnaryKind.Clz:
        a.clzRR(size, d, s);
        return;
      // No ctz instruction: count the leading zeros of the bit-reversed value.
      case IntUnaryKind.Ctz:
        a.rbitRR(size, X16, s);
        a.clzRR(size, d, X16);
        return;
      // No scalar popcount before FEAT_CSSC: cnt + addv through the float scratch.
      case IntUnaryKind.Popcnt:
        a.popcountRR(size, d, s, V31);
        return;
      case IntUnaryKind.Extend8S:
        a.sxtbRR(size, d, s);
        return;
      case IntUnaryKind.Extend16S:
        a.sxthRR(size, d, s);
        return;
      case IntUnaryKind.Extend32S:
        if (size === 32) {
          if (d !== s) a.movRR(32, d, s);
        } else a.sxtwRR(d, s);
        return;
    }
  }

  shift(ctx: ValueStackContext, kind: ShiftKind, size: OperandSize): void {
    // Any registers do: lslv/asrv/lsrv/rorv use the count modulo the operand size, as Wasm does.
    const count = ctx.popToAnyReg(RegClass.Int);
    const value = ctx.popToAnyReg(RegClass.Int);
    this.shiftByReg(kind, size, value, value, count);
    ctx.freeReg(count);
    ctx.pushReg(value, size);
  }

  /** dst ← src shifted by the count in `countReg` (any registers; the count is taken modulo the size, as in Wasm). */
  shiftByReg(kind: ShiftKind, size: OperandSize, dst: Reg, src: Reg, countReg: Reg): void {
    const a = this.asm;
    const d = g(dst);
    const s = g(src);
    const count = g(countReg);
    switch (kind) {
      case ShiftKind.Shl:
        a.lslRRR(size, d, s, count);
        return;
      case ShiftKind.ShrS:
        a.asrRRR(size, d, s, count);
        return;
      case ShiftKind.ShrU:
        a.lsrRRR(size, d, s, count);
        return;
      case ShiftKind.Rotl:
        // rotl(x, n) = rotr(x, -n): the negated count is taken modulo the size too.
        a.negRR(size, X16, count);
        a.rorRRR(size, d, s, X16);
        return;
      case ShiftKind.Rotr:
        a.rorRRR(size, d, s, count);
        return;
    }
  }

  shiftImm(kind: ShiftKind, size: OperandSize, dst: Reg, src: Reg, amount: number): void {
    const a = this.asm;
    const d = g(dst);
    const s = g(src);
    const count = amount & (size - 1);
    if (count === 0) {
      if (d !== s) a.movRR(size, d, s);
      return;
    }
    switch (kind) {
      case ShiftKind.Shl:
        a.lslRRI(size, d, s, count);
        return;
      case ShiftKind.ShrS:
        a.asrRRI(size, d, s, count);
        return;
      case ShiftKind.ShrU:
        a.lsrRRI(size, d, s, count);
        return;
      case ShiftKind.Rotl:
        a.rorRRI(size, d, s, size - count);
        return;
      case ShiftKind.Rotr:
        a.rorRRI(size, d, s, count);
        return;
    }
  }

  /**
   * Division. sdiv/udiv never fault: x/0 gives 0 and INT_MIN/-1 gives INT_MIN, so both Wasm traps
   * are explicit checks. The remainder is n - (n/d)*d (msub), which is already 0 for INT_MIN % -1.
   */
  div(ctx: ValueStackContext, kind: DivKind, size: OperandSize): void {
    const divisorReg = ctx.popToAnyReg(RegClass.Int);
    const dividendReg = ctx.popToAnyReg(RegClass.Int);
    this.divide(kind, size, dividendReg, dividendReg, divisorReg);
    ctx.freeReg(divisorReg);
    ctx.pushReg(dividendReg, size);
  }

  /**
   * dst ← dividend / divisor (or the remainder) with Wasm's traps; any registers, aliasing
   * allowed (x16 holds the quotient of a remainder). Both tiers use this sequence.
   */
  divide(kind: DivKind, size: OperandSize, dst: Reg, dividendReg: Reg, divisorReg: Reg): void {
    const a = this.asm;
    const d = g(dst);
    const divisor = g(divisorReg);
    const dividend = g(dividendReg);
    a.cbz(size, divisor, this.trapLabel(TrapReason.IntegerDivideByZero));
    switch (kind) {
      case DivKind.SignedDiv:
        // `cmp n, #1` overflows (V) only for n = INT_MIN; then ccmn tests d = -1, else clears Z.
        a.cmpRI(size, dividend, 1);
        a.ccmnRI(size, divisor, 1, 0, Cond.vs);
        this.trapOn(Cond.eq, TrapReason.IntegerOverflow);
        a.sdivRRR(size, d, dividend, divisor);
        break;
      case DivKind.UnsignedDiv:
        a.udivRRR(size, d, dividend, divisor);
        break;
      case DivKind.SignedRem:
        a.sdivRRR(size, X16, dividend, divisor);
        a.msubRRRR(size, d, X16, divisor, dividend);
        break;
      case DivKind.UnsignedRem:
        a.udivRRR(size, X16, dividend, divisor);
        a.msubRRRR(size, d, X16, divisor, dividend);
        break;
    }
  }

  intCompare(cond: IntCond, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void {
    this.compare(size, lhs, rhs);
    this.asm.csetR(32, g(dst), INT_COND[cond]!);
  }

  select(size: ValueSize, dst: Reg, condition: Reg, ifTrue: Reg, ifFalse: Reg): void {
    const a = this.asm;
    a.cmpRI(32, g(condition), 0);
    if (size === 128) {
      // No vector csel: an all-ones/all-zeros mask from the condition, then a bitwise select.
      a.csetmR(64, X16, Cond.ne);
      a.dupGeneralRR(Arrangement.D2, V31, X16);
      a.vecRRR(VecOp.bsl, Arrangement.B16, V31, v(ifTrue), v(ifFalse));
      a.vecMovRR(v(dst), V31);
    } else if (isFloatReg(dst)) a.fcselRRR(size, v(dst), v(ifTrue), v(ifFalse), Cond.ne);
    else a.cselRRR(size, g(dst), g(ifTrue), g(ifFalse), Cond.ne);
  }
}
