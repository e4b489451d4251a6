// v128 on x64, part 2: lane-type conversions (float ↔ int with Wasm's saturation, demote,
// promote, the relaxed truncations), widening (extend low/high) and pairwise widening adds.
// SSE has no unsigned or saturating packed conversions, so those are built from the signed ones
// (sequences after V8's SharedMacroAssembler, re-derived in the comments below).
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html

import { V128UnaryKind } from '@flint/backend';
import { FloatPredicate, RoundMode, SimdOp, SimdShiftOp } from '../assembler/index.ts';
import { FSCRATCH, VSCRATCH2 } from './base.ts';
import { SimdLanesMasm } from './simd-lanes.ts';

const bitsView = new DataView(new ArrayBuffer(8));
/** The IEEE bits of an f64 as [lo, hi] 32-bit halves. */
function f64Bits(value: number): [number, number] {
  bitsView.setFloat64(0, value, true);
  return [bitsView.getUint32(0, true), bitsView.getUint32(4, true)];
}
const INT32_MAX_F64 = f64Bits(2147483647);
const UINT32_MAX_F64 = f64Bits(4294967295);
const TWO_POW_52_F64 = f64Bits(2 ** 52);

// Widening per source shape (bytes, words, dwords): sign and zero extension, high-half interleave.
const PMOVSX = [SimdOp.pmovsxbw, SimdOp.pmovsxwd, SimdOp.pmovsxdq];
const PMOVZX = [SimdOp.pmovzxbw, SimdOp.pmovzxwd, SimdOp.pmovzxdq];
const PUNPCKH = [SimdOp.punpckhbw, SimdOp.punpckhwd, SimdOp.punpckhdq];

export class SimdConvertMasm extends SimdLanesMasm {
  /** The conversion and widening kinds of `v128Unary` (hardware encodings); false for any other kind. */
  protected v128Conversion(kind: V128UnaryKind, d: number, s: number): boolean {
    if (kind >= V128UnaryKind.I16x8ExtendLowI8x16S && kind <= V128UnaryKind.I64x2ExtendHighI32x4U) {
      const n = kind - V128UnaryKind.I16x8ExtendLowI8x16S;
      const shape = n >> 2;
      const form = n & 3;
      if (form === 0) this.op1(PMOVSX[shape]!, d, s);
      else if (form === 2) this.op1(PMOVZX[shape]!, d, s);
      else if (form === 1) {
        // The high 64 bits down, then the same sign extension as the low half.
        this.op1i(SimdOp.pshufd, d, s, 0xee);
        this.op1(PMOVSX[shape]!, d, d);
      } else {
        // Interleaving the high half with zeros zero-extends it.
        this.zeroVec(FSCRATCH);
        this.op2(PUNPCKH[shape]!, d, s, FSCRATCH);
      }
      return true;
    }
    switch (kind) {
      case V128UnaryKind.I16x8ExtaddPairwiseI8x16S:
        // pmaddubsw multiplies unsigned bytes of its first operand with signed bytes of its second.
        this.op1m(SimdOp.movdqu, FSCRATCH, this.smallLaneConstant(8, 1));
        this.op2(SimdOp.pmaddubsw, d, FSCRATCH, s);
        return true;
      case V128UnaryKind.I16x8ExtaddPairwiseI8x16U:
        this.op2m(SimdOp.pmaddubsw, d, s, this.smallLaneConstant(8, 1));
        return true;
      case V128UnaryKind.I32x4ExtaddPairwiseI16x8S:
        this.op2m(SimdOp.pmaddwd, d, s, this.smallLaneConstant(16, 1));
        return true;
      case V128UnaryKind.I32x4ExtaddPairwiseI16x8U:
        // The odd words shifted down plus the even words masked by shifting up and down.
        this.vshiftImm(SimdShiftOp.psrld, FSCRATCH, s, 16);
        this.vshiftImm(SimdShiftOp.pslld, d, s, 16);
        this.vshiftImm(SimdShiftOp.psrld, d, d, 16);
        this.op2(SimdOp.paddd, d, d, FSCRATCH, true);
        return true;
      case V128UnaryKind.F32x4ConvertI32x4S:
        this.op1(SimdOp.cvtdq2ps, d, s);
        return true;
      case V128UnaryKind.F32x4ConvertI32x4U:
        // lo = the low 16 bits of each lane (exact in f32); hi = the rest, halved so it is a
        // positive i32, converted and doubled (exact: a multiple of 2^16 below 2^32); lo + hi
        // rounds once.
        this.zeroVec(FSCRATCH);
        this.op2i(SimdOp.pblendw, FSCRATCH, FSCRATCH, s, 0x55);
        this.op2(SimdOp.psubd, d, s, FSCRATCH);
        this.op1(SimdOp.cvtdq2ps, FSCRATCH, FSCRATCH);
        this.vshiftImm(SimdShiftOp.psrld, d, d, 1);
        this.op1(SimdOp.cvtdq2ps, d, d);
        this.op2(SimdOp.addps, d, d, d, true);
        this.op2(SimdOp.addps, d, d, FSCRATCH, true);
        return true;
      case V128UnaryKind.I32x4TruncSatF32x4S:
        this.truncSatF32x4S(d, s);
        return true;
      case V128UnaryKind.I32x4TruncSatF32x4U:
      case V128UnaryKind.I32x4RelaxedTruncF32x4U:
        this.truncSatF32x4U(d, s);
        return true;
      case V128UnaryKind.I32x4TruncSatF64x2SZero:
        // Ordered lanes are clamped to INT32_MAX, NaN lanes become 0 (minpd returns its second
        // operand on NaN); cvttpd2dq gives INT32_MIN for the too-negative ones and zeroes lanes 2-3.
        this.op2i(SimdOp.cmppd, FSCRATCH, s, s, FloatPredicate.Eq, true);
        this.op2m(SimdOp.andpd, FSCRATCH, FSCRATCH, this.maskConstant(64, INT32_MAX_F64[0], INT32_MAX_F64[1]));
        this.op2(SimdOp.minpd, d, s, FSCRATCH);
        this.op1(SimdOp.cvttpd2dq, d, d);
        return true;
      case V128UnaryKind.I32x4TruncSatF64x2UZero:
      case V128UnaryKind.I32x4RelaxedTruncF64x2UZero:
        // Clamp to [0, UINT32_MAX] (maxpd with 0 first: NaN → 0), truncate, add 2^52 so the
        // integer is the low 32 bits of each double, then gather those and two zero lanes.
        this.zeroVec(FSCRATCH);
        this.op2(SimdOp.maxpd, d, s, FSCRATCH);
        this.op2m(SimdOp.minpd, d, d, this.maskConstant(64, UINT32_MAX_F64[0], UINT32_MAX_F64[1]));
        this.op1i(SimdOp.roundpd, d, d, RoundMode.Trunc);
        this.op2m(SimdOp.addpd, d, d, this.maskConstant(64, TWO_POW_52_F64[0], TWO_POW_52_F64[1]));
        this.op2i(SimdOp.shufps, d, d, FSCRATCH, 0x88);
        return true;
      case V128UnaryKind.F64x2ConvertLowI32x4S:
        this.op1(SimdOp.cvtdq2pd, d, s);
        return true;
      case V128UnaryKind.F64x2ConvertLowI32x4U:
        // Each u32 as the low half of a double whose high half is 0x43300000: exactly 2^52 + u.
        this.op2m(SimdOp.unpcklps, d, s, this.maskConstant(32, 0x4330_0000, 0));
        this.op2m(SimdOp.subpd, d, d, this.maskConstant(64, TWO_POW_52_F64[0], TWO_POW_52_F64[1]));
        return true;
      case V128UnaryKind.F32x4DemoteF64x2Zero:
        this.op1(SimdOp.cvtpd2ps, d, s);
        return true;
      case V128UnaryKind.F64x2PromoteLowF32x4:
        this.op1(SimdOp.cvtps2pd, d, s);
        return true;
      // Relaxed: NaN and out-of-range lanes give INT32_MIN (cvtt's "integer indefinite").
      case V128UnaryKind.I32x4RelaxedTruncF32x4S:
        this.op1(SimdOp.cvttps2dq, d, s);
        return true;
      case V128UnaryKind.I32x4RelaxedTruncF64x2SZero:
        this.op1(SimdOp.cvttpd2dq, d, s);
        return true;
      default:
        return false;
    }
  }

  /**
   * NaN lanes are zeroed first; cvttps2dq gives INT32_MIN for every out-of-range lane; the
   * lanes that were non-negative and came out negative overflowed upwards and become INT32_MAX.
   */
  private truncSatF32x4S(d: number, s: number): void {
    this.op2i(SimdOp.cmpps, FSCRATCH, s, s, FloatPredicate.Eq, true);
    this.op2(SimdOp.andps, d, s, FSCRATCH, true);
    // FSCRATCH = ~d where ordered: its sign bit is set exactly for the lanes d >= +0.
    this.op2(SimdOp.pxor, FSCRATCH, FSCRATCH, d, true);
    this.op1(SimdOp.cvttps2dq, d, d);
    this.op2(SimdOp.pand, FSCRATCH, FSCRATCH, d, true);
    this.vshiftImm(SimdShiftOp.psrad, FSCRATCH, FSCRATCH, 31);
    this.op2(SimdOp.pxor, d, d, FSCRATCH, true);
  }

  /**
   * NaN and negative lanes become 0 (maxps with 0 first); then d = cvt(x) is right below 2^31
   * and INT32_MIN above, and t = cvt(x - 2^31) (≤ 0 → 0, ≥ 2^31 → all ones after the compare
   * mask) is the part above 2^31: the sum is x for [2^31, 2^32) and UINT32_MAX beyond.
   */
  private truncSatF32x4U(d: number, s: number): void {
    this.zeroVec(FSCRATCH);
    this.op2(SimdOp.maxps, d, s, FSCRATCH);
    this.onesVec(FSCRATCH);
    this.vshiftImm(SimdShiftOp.psrld, FSCRATCH, FSCRATCH, 1);
    this.op1(SimdOp.cvtdq2ps, FSCRATCH, FSCRATCH); // 2^31
    this.op2(SimdOp.subps, VSCRATCH2, d, FSCRATCH);
    this.op2i(SimdOp.cmpps, FSCRATCH, FSCRATCH, VSCRATCH2, FloatPredicate.Le);
    this.op1(SimdOp.cvttps2dq, VSCRATCH2, VSCRATCH2);
    this.op2(SimdOp.pxor, VSCRATCH2, VSCRATCH2, FSCRATCH, true);
    this.zeroVec(FSCRATCH);
    this.op2(SimdOp.pmaxsd, VSCRATCH2, VSCRATCH2, FSCRATCH, true);
    this.op1(SimdOp.cvttps2dq, d, d);
    this.op2(SimdOp.paddd, d, d, VSCRATCH2, true);
  }

}
