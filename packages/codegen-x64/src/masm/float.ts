// Floating-point operations of the x64 MacroAssembler with exact Wasm semantics: arithmetic,
// min/max (NaN propagation, -0 below +0), copysign/abs/neg through sign masks from the constant
// pool, ceil/floor/trunc/nearest through roundss/roundsd (SSE4.1) or an SSE2 sequence without it,
// and NaN-aware comparisons.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html#floating-point-operations

import { FloatBinaryKind, FloatCond, FloatUnaryKind, type OperandSize, type Reg } from '@flint/backend';
import { Cond, RoundMode } from '../assembler/index.ts';
import { FSCRATCH, SCRATCH, hw } from './base.ts';
import { IntegerMasm } from './integer.ts';
import type { Mem } from '../assembler/index.ts';

const SIGN32 = 0x8000_0000;
const ROUND_MODES: readonly RoundMode[] = [RoundMode.Ceil, RoundMode.Floor, RoundMode.Trunc, RoundMode.Nearest];

export class FloatMasm extends IntegerMasm {
  loadFloatConstant(dst: Reg, size: OperandSize, lo: number, hi: number): void {
    const d = hw(dst);
    if (lo === 0 && (size === 32 || hi === 0)) {
      this.asm.xorpsRR(d, d); // +0.0 without a memory access
      return;
    }
    const constant = this.bitsConstant(size, lo, hi);
    if (size === 32) this.asm.movssRM(d, constant);
    else this.asm.movsdRM(d, constant);
  }

  floatBinary(kind: FloatBinaryKind, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void {
    const d = hw(dst);
    const l = hw(lhs);
    const r = hw(rhs);
    switch (kind) {
      case FloatBinaryKind.Add:
      case FloatBinaryKind.Mul:
        if (d === r && d !== l) this.arith(kind, size, d, l);
        else {
          this.moveFloat(d, l);
          this.arith(kind, size, d, r);
        }
        return;
      case FloatBinaryKind.Sub:
      case FloatBinaryKind.Div:
        if (d === r && d !== l) {
          this.asm.movapsRR(FSCRATCH, r);
          this.asm.movapsRR(d, l);
          this.arith(kind, size, d, FSCRATCH);
        } else {
          this.moveFloat(d, l);
          this.arith(kind, size, d, r);
        }
        return;
      case FloatBinaryKind.Min:
      case FloatBinaryKind.Max:
        // Wasm min/max are commutative up to NaN payloads, so dst may take either operand.
        if (d === r) this.minMax(kind === FloatBinaryKind.Min, size, d, l);
        else {
          this.moveFloat(d, l);
          this.minMax(kind === FloatBinaryKind.Min, size, d, r);
        }
        return;
      case FloatBinaryKind.Copysign:
        this.copysign(size, d, l, r);
        return;
    }
  }

  private arith(kind: FloatBinaryKind, size: OperandSize, dst: number, src: number): void {
    const a = this.asm;
    if (size === 32) {
      if (kind === FloatBinaryKind.Add) a.addssRR(dst, src);
      else if (kind === FloatBinaryKind.Sub) a.subssRR(dst, src);
      else if (kind === FloatBinaryKind.Mul) a.mulssRR(dst, src);
      else a.divssRR(dst, src);
    } else {
      if (kind === FloatBinaryKind.Add) a.addsdRR(dst, src);
      else if (kind === FloatBinaryKind.Sub) a.subsdRR(dst, src);
      else if (kind === FloatBinaryKind.Mul) a.mulsdRR(dst, src);
      else a.divsdRR(dst, src);
    }
  }

  protected moveFloat(dst: number, src: number): void {
    if (dst !== src) this.asm.movapsRR(dst, src);
  }

  /**
   * dst = min/max(dst, src) with Wasm semantics. minss/maxss alone are wrong twice: with a NaN
   * they return the second operand, and for ±0 (which compare equal) they return the second
   * operand too. So: unordered → dst + src (a quiet NaN); equal → OR (min: -0 wins) or AND
   * (max: +0 wins) of the bit patterns; otherwise minss/maxss.
   */
  private minMax(isMin: boolean, size: OperandSize, dst: number, src: number): void {
    const a = this.asm;
    const nan = a.newLabel();
    const notEqual = a.newLabel();
    const done = a.newLabel();
    if (size === 32) a.ucomissRR(dst, src);
    else a.ucomisdRR(dst, src);
    a.jccShort(Cond.P, nan);
    a.jccShort(Cond.NE, notEqual);
    if (isMin) a.orpsRR(dst, src);
    else a.andpsRR(dst, src);
    a.jmpShort(done);
    a.bind(nan);
    if (size === 32) a.addssRR(dst, src);
    else a.addsdRR(dst, src);
    a.jmpShort(done);
    a.bind(notEqual);
    if (size === 32) {
      if (isMin) a.minssRR(dst, src);
      else a.maxssRR(dst, src);
    } else if (isMin) a.minsdRR(dst, src);
    else a.maxsdRR(dst, src);
    a.bind(done);
  }

  /** dst = magnitude of lhs with the sign of rhs. */
  private copysign(size: OperandSize, dst: number, lhs: number, rhs: number): void {
    const a = this.asm;
    a.movapsRR(FSCRATCH, rhs);
    a.andpsRM(FSCRATCH, this.signMask(size));
    this.moveFloat(dst, lhs);
    a.andpsRM(dst, this.absMask(size));
    a.orpsRR(dst, FSCRATCH);
  }

  private signMask(size: OperandSize): Mem {
    return size === 32 ? this.maskConstant(32, SIGN32, 0) : this.maskConstant(64, 0, SIGN32);
  }

  private absMask(size: OperandSize): Mem {
    return size === 32 ? this.maskConstant(32, 0x7fff_ffff, 0) : this.maskConstant(64, 0xffff_ffff, 0x7fff_ffff);
  }

  floatUnary(kind: FloatUnaryKind, size: OperandSize, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = hw(dst);
    const s = hw(src);
    switch (kind) {
      case FloatUnaryKind.Abs:
        this.moveFloat(d, s);
        a.andpsRM(d, this.absMask(size));
        return;
      case FloatUnaryKind.Neg:
        this.moveFloat(d, s);
        a.xorpsRM(d, this.signMask(size));
        return;
      case FloatUnaryKind.Sqrt:
        if (size === 32) a.sqrtssRR(d, s);
        else a.sqrtsdRR(d, s);
        return;
      default:
        // Ceil, Floor, Trunc, Nearest (round half to even): one roundss/roundsd each (SSE4.1).
        if (!this.hasSse41) {
          this.roundWithoutSse41(kind, size, d, s);
        } else if (size === 32) {
          a.roundssRRI(d, s, ROUND_MODES[kind - FloatUnaryKind.Ceil]!);
        } else {
          a.roundsdRRI(d, s, ROUND_MODES[kind - FloatUnaryKind.Ceil]!);
        }
    }
  }

  /**
   * ceil/floor/trunc/nearest in SSE2. Every float of magnitude 2^52 or more (2^23 for f32) is an
   * integer already, and so are ±inf; those and NaN keep their value (NaN made quiet by adding
   * 0). Below, adding and subtracting 2^52 rounds the magnitude to the nearest integer, ties to
   * even: the sum lies in [2^52, 2^53), where floats are exactly the integers (this relies on
   * the default round-to-nearest mode of MXCSR, which Wasm arithmetic needs anyway). Then:
   *   nearest  the rounded magnitude with the sign of x;
   *   trunc    the rounded magnitude, minus 1 if it rounded up, with the sign of x;
   *   floor    the signed nearest r, minus 1 if r > x;
   *   ceil     the signed nearest r, plus 1 if r < x, with the sign of x again (ceil(-0.7) is -0,
   *            not the +0 that -1 + 1 gives).
   * Every result has the sign of x, which keeps -0 for -0 and for negative inputs rounding to 0.
   * x's bits stay in the integer scratch register throughout.
   */
  private roundWithoutSse41(kind: FloatUnaryKind, size: OperandSize, d: number, s: number): void {
    const a = this.asm;
    const big = a.newLabel();
    const done = a.newLabel();
    const integral = size === 32 ? 2 ** 23 : 2 ** 52;
    a.movdRX(size, SCRATCH, s);
    this.moveFloat(d, s);
    a.andpsRM(d, this.absMask(size));
    this.ucomisConstantOfSize(size, d, integral);
    a.jccShort(Cond.P, big);
    a.jccShort(Cond.AE, big);
    if (kind === FloatUnaryKind.Trunc) a.movapsRR(FSCRATCH, d);
    this.arithConstant(FloatBinaryKind.Add, size, d, integral);
    this.arithConstant(FloatBinaryKind.Sub, size, d, integral);
    if (kind === FloatUnaryKind.Trunc) {
      const exact = a.newLabel();
      this.ucomisOfSize(size, d, FSCRATCH);
      a.jccShort(Cond.BE, exact);
      this.arithConstant(FloatBinaryKind.Sub, size, d, 1);
      a.bind(exact);
    }
    this.orSignOfScratch(size, d);
    if (kind === FloatUnaryKind.Floor) {
      a.movdXR(size, FSCRATCH, SCRATCH);
      this.ucomisOfSize(size, d, FSCRATCH);
      a.jccShort(Cond.BE, done);
      this.arithConstant(FloatBinaryKind.Sub, size, d, 1);
    } else if (kind === FloatUnaryKind.Ceil) {
      a.movdXR(size, FSCRATCH, SCRATCH);
      this.ucomisOfSize(size, FSCRATCH, d);
      a.jccShort(Cond.BE, done);
      this.arithConstant(FloatBinaryKind.Add, size, d, 1);
      this.orSignOfScratch(size, d);
    }
    a.jmpShort(done);
    a.bind(big);
    a.movdXR(size, d, SCRATCH);
    a.xorpsRR(FSCRATCH, FSCRATCH);
    this.arith(FloatBinaryKind.Add, size, d, FSCRATCH);
    a.bind(done);
  }

  /** dst |= the sign bit of the float whose bits are in the integer scratch register. */
  private orSignOfScratch(size: OperandSize, dst: number): void {
    this.asm.movdXR(size, FSCRATCH, SCRATCH);
    this.asm.andpsRM(FSCRATCH, this.signMask(size));
    this.asm.orpsRR(dst, FSCRATCH);
  }

  private ucomisOfSize(size: OperandSize, lhs: number, rhs: number): void {
    if (size === 32) this.asm.ucomissRR(lhs, rhs);
    else this.asm.ucomisdRR(lhs, rhs);
  }

  private ucomisConstantOfSize(size: OperandSize, lhs: number, value: number): void {
    if (size === 32) this.asm.ucomissRM(lhs, this.f32Constant(value));
    else this.asm.ucomisdRM(lhs, this.f64Constant(value));
  }

  /** dst = dst op constant, for Add and Sub. */
  private arithConstant(kind: FloatBinaryKind, size: OperandSize, dst: number, value: number): void {
    const a = this.asm;
    if (size === 32) {
      if (kind === FloatBinaryKind.Add) a.addssRM(dst, this.f32Constant(value));
      else a.subssRM(dst, this.f32Constant(value));
    } else if (kind === FloatBinaryKind.Add) a.addsdRM(dst, this.f64Constant(value));
    else a.subsdRM(dst, this.f64Constant(value));
  }

  /**
   * dst = lhs cond rhs, false on NaN except for Ne. ucomis sets ZF, PF and CF all to 1 for
   * unordered operands, so "above" (CF=0 and ZF=0) and "above or equal" (CF=0) are false on NaN;
   * lt/le swap the operands to use them. Eq and Ne also consult PF.
   */
  floatCompare(cond: FloatCond, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void {
    const a = this.asm;
    const d = hw(dst);
    const swap = cond === FloatCond.Lt || cond === FloatCond.Le;
    const l = hw(swap ? rhs : lhs);
    const r = hw(swap ? lhs : rhs);
    if (size === 32) a.ucomissRR(l, r);
    else a.ucomisdRR(l, r);
    switch (cond) {
      case FloatCond.Eq:
        a.setccR(Cond.E, d);
        a.setccR(Cond.NP, SCRATCH);
        a.andRR(8, d, SCRATCH);
        a.movzxRR(8, 32, d, d);
        return;
      case FloatCond.Ne:
        a.setccR(Cond.NE, d);
        a.setccR(Cond.P, SCRATCH);
        a.orRR(8, d, SCRATCH);
        a.movzxRR(8, 32, d, d);
        return;
      case FloatCond.Gt:
      case FloatCond.Lt:
        this.setBool(Cond.A, d);
        return;
      case FloatCond.Ge:
      case FloatCond.Le:
        this.setBool(Cond.AE, d);
        return;
    }
  }
}
