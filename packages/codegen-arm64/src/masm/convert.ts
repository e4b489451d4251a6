// Numeric conversions of the arm64 MacroAssembler: wrap/extend, int→float (scvtf/ucvtf round
// correctly from every integer width, unsigned 64-bit included), float→int trapping ("invalid
// conversion to integer" for NaN, "integer overflow" out of range) and saturating (fcvtzs/fcvtzu
// already saturate and map NaN to 0, exactly Wasm's trunc_sat), demote/promote and
// reinterpretations.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html#conversions

import { ConvertKind, TrapReason, type Reg } from '@flint/backend';
import { Cond } from '../assembler/index.ts';
import type { FpSize, RegSize } from '../assembler/index.ts';
import { V31, X16, g, v } from './base.ts';
import { FloatMasm } from './float.ts';

/**
 * The valid source range of each float→int truncation, indexed by `kind - I32TruncF32S` (trapping
 * kinds; the saturating ones reuse the shape): source size, result size, signed, lower bound,
 * whether the lower bound itself is valid, and the (exclusive) upper bound. Every bound is exactly
 * representable in the source type, so one fcmp against each decides the range: for instance
 * f64→i32 accepts -2147483648.9 (truncates to INT_MIN) but not -2147483649.
 */
const TRUNC_SHAPES: readonly (readonly [FpSize, RegSize, boolean, number, boolean, number])[] = [
  [32, 32, true, -(2 ** 31), true, 2 ** 31], // I32TruncF32S
  [32, 32, false, -1, false, 2 ** 32], // I32TruncF32U
  [64, 32, true, -(2 ** 31) - 1, false, 2 ** 31], // I32TruncF64S
  [64, 32, false, -1, false, 2 ** 32], // I32TruncF64U
  [32, 64, true, -(2 ** 63), true, 2 ** 63], // I64TruncF32S
  [32, 64, false, -1, false, 2 ** 64], // I64TruncF32U
  [64, 64, true, -(2 ** 63), true, 2 ** 63], // I64TruncF64S
  [64, 64, false, -1, false, 2 ** 64], // I64TruncF64U
];

// Raw bits of a bound in the source precision, without allocating.
const boundBits = new DataView(new ArrayBuffer(8));

export class ConvertMasm extends FloatMasm {
  convert(kind: ConvertKind, dst: Reg, src: Reg): void {
    const a = this.asm;
    switch (kind) {
      case ConvertKind.I32WrapI64:
      case ConvertKind.I64ExtendI32U:
        a.movRR(32, g(dst), g(src)); // a w-register move truncates and zero-extends at once
        return;
      case ConvertKind.I64ExtendI32S:
        a.sxtwRR(g(dst), g(src));
        return;
      case ConvertKind.F32ConvertI32S:
        a.scvtfRR(32, 32, v(dst), g(src));
        return;
      case ConvertKind.F32ConvertI64S:
        a.scvtfRR(32, 64, v(dst), g(src));
        return;
      case ConvertKind.F64ConvertI32S:
        a.scvtfRR(64, 32, v(dst), g(src));
        return;
      case ConvertKind.F64ConvertI64S:
        a.scvtfRR(64, 64, v(dst), g(src));
        return;
      case ConvertKind.F32ConvertI32U:
        a.ucvtfRR(32, 32, v(dst), g(src));
        return;
      case ConvertKind.F32ConvertI64U:
        a.ucvtfRR(32, 64, v(dst), g(src));
        return;
      case ConvertKind.F64ConvertI32U:
        a.ucvtfRR(64, 32, v(dst), g(src));
        return;
      case ConvertKind.F64ConvertI64U:
        a.ucvtfRR(64, 64, v(dst), g(src));
        return;
      case ConvertKind.F32DemoteF64:
        a.fcvtRR(32, 64, v(dst), v(src));
        return;
      case ConvertKind.F64PromoteF32:
        a.fcvtRR(64, 32, v(dst), v(src));
        return;
      case ConvertKind.I32ReinterpretF32:
        a.fmovToGprRR(32, g(dst), v(src));
        return;
      case ConvertKind.I64ReinterpretF64:
        a.fmovToGprRR(64, g(dst), v(src));
        return;
      case ConvertKind.F32ReinterpretI32:
        a.fmovFromGprRR(32, v(dst), g(src));
        return;
      case ConvertKind.F64ReinterpretI64:
        a.fmovFromGprRR(64, v(dst), g(src));
        return;
      default:
        if (kind >= ConvertKind.I32TruncF32S && kind <= ConvertKind.I64TruncF64U) this.truncate(kind - ConvertKind.I32TruncF32S, true, dst, src);
        else this.truncate(kind - ConvertKind.I32TruncSatF32S, false, dst, src);
    }
  }

  /**
   * Float→int toward zero. fcvtzs/fcvtzu saturate, so the trapping kinds first reject NaN and
   * values outside the shape's range with explicit compares; the saturating kinds are one
   * instruction. The w form of the result zero-extends i32 results.
   */
  private truncate(shapeIndex: number, trapping: boolean, dst: Reg, src: Reg): void {
    const a = this.asm;
    const [fpSize, intSize, signed, low, lowValid, high] = TRUNC_SHAPES[shapeIndex]!;
    const s = v(src);
    if (trapping) {
      a.fcmpRR(fpSize, s, s);
      this.trapOn(Cond.vs, TrapReason.InvalidConversionToInteger);
      this.loadBound(fpSize, low);
      a.fcmpRR(fpSize, s, V31);
      this.trapOn(lowValid ? Cond.lt : Cond.le, TrapReason.IntegerOverflow);
      this.loadBound(fpSize, high);
      a.fcmpRR(fpSize, s, V31);
      this.trapOn(Cond.ge, TrapReason.IntegerOverflow);
    }
    if (signed) a.fcvtzsRR(intSize, fpSize, g(dst), s);
    else a.fcvtzuRR(intSize, fpSize, g(dst), s);
  }

  /** v31 ← `value` in precision `size` (-1.0 is an fmov immediate; the powers of two go through x16). */
  private loadBound(size: FpSize, value: number): void {
    const a = this.asm;
    if (value === -1) {
      a.fmovRI(size, V31, -1);
      return;
    }
    if (size === 32) {
      boundBits.setFloat32(0, value, true);
      a.movRI(32, X16, boundBits.getUint32(0, true));
    } else {
      boundBits.setFloat64(0, value, true);
      this.loadImm64(X16, boundBits.getUint32(0, true), boundBits.getUint32(4, true));
    }
    a.fmovFromGprRR(size, V31, X16);
  }
}
