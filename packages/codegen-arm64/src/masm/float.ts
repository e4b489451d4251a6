// Floating-point operations of the arm64 MacroAssembler with exact Wasm semantics. A64 needs no
// fix-ups where x64 does: fmin/fmax already propagate NaN and order -0 below +0, frintn/m/p/z are
// nearest-even/floor/ceil/trunc, and fabs/fneg only touch the sign bit. copysign splices sign bits
// in integer registers.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html#floating-point-operations

import { FloatBinaryKind, FloatCond, FloatUnaryKind, type OperandSize, type Reg } from '@flint/backend';
import { Cond, Gpr } from '../assembler/index.ts';
import { X16, X17, g, v } from './base.ts';
import { IntegerMasm } from './integer.ts';

// Indexed by FloatCond: Eq, Ne, Lt, Gt, Le, Ge. After fcmp, unordered sets C and V: `mi`, `ls`,
// `gt` and `ge` are then false (Wasm's lt/le/gt/ge), `eq` false and `ne` true, as Wasm requires.
const FLOAT_COND: readonly Cond[] = [Cond.eq, Cond.ne, Cond.mi, Cond.gt, Cond.ls, Cond.ge];

export class FloatMasm extends IntegerMasm {
  loadFloatConstant(dst: Reg, size: OperandSize, lo: number, hi: number): void {
    const a = this.asm;
    if (lo === 0 && (size === 32 || hi === 0)) {
      a.fmovFromGprRR(64, v(dst), Gpr.zr); // +0.0 without a memory access
      return;
    }
    // Through x16: at most 4 movz/movk plus fmov, and no constant-pool entry (the code buffer keys
    // each pooled constant by its bytes, an allocation per constant on the compiler's hot path).
    if (size === 32) a.movRI(32, X16, lo >>> 0);
    else this.loadImm64(X16, lo, hi);
    a.fmovFromGprRR(size, v(dst), X16);
  }

  floatBinary(kind: FloatBinaryKind, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void {
    const a = this.asm;
    const d = v(dst);
    const l = v(lhs);
    const r = v(rhs);
    switch (kind) {
      case FloatBinaryKind.Add:
        a.faddRRR(size, d, l, r);
        return;
      case FloatBinaryKind.Sub:
        a.fsubRRR(size, d, l, r);
        return;
      case FloatBinaryKind.Mul:
        a.fmulRRR(size, d, l, r);
        return;
      case FloatBinaryKind.Div:
        a.fdivRRR(size, d, l, r);
        return;
      case FloatBinaryKind.Min:
        a.fminRRR(size, d, l, r);
        return;
      case FloatBinaryKind.Max:
        a.fmaxRRR(size, d, l, r);
        return;
      case FloatBinaryKind.Copysign:
        // x17 = rhs bits; its low size-1 bits are replaced by lhs's: lhs magnitude, rhs sign.
        a.fmovToGprRR(size, X16, l);
        a.fmovToGprRR(size, X17, r);
        a.bfxilRRII(size, X17, X16, 0, size - 1);
        a.fmovFromGprRR(size, d, X17);
        return;
    }
  }

  floatUnary(kind: FloatUnaryKind, size: OperandSize, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = v(dst);
    const s = v(src);
    switch (kind) {
      case FloatUnaryKind.Abs:
        a.fabsRR(size, d, s);
        return;
      case FloatUnaryKind.Neg:
        a.fnegRR(size, d, s);
        return;
      case FloatUnaryKind.Sqrt:
        a.fsqrtRR(size, d, s);
        return;
      case FloatUnaryKind.Ceil:
        a.frintpRR(size, d, s);
        return;
      case FloatUnaryKind.Floor:
        a.frintmRR(size, d, s);
        return;
      case FloatUnaryKind.Trunc:
        a.frintzRR(size, d, s);
        return;
      case FloatUnaryKind.Nearest:
        a.frintnRR(size, d, s);
        return;
    }
  }

  floatCompare(cond: FloatCond, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void {
    this.asm.fcmpRR(size, v(lhs), v(rhs));
    this.asm.csetR(32, g(dst), FLOAT_COND[cond]!);
  }
}
