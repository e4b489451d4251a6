// v128 on x64, part 3: bitwise, integer and float lane arithmetic, comparisons, shifts and the
// three-operand operators (bitselect and the relaxed ones).
// Where SSE lacks an operation (i64x2 multiply and abs, byte shifts, unsigned compares,
// Wasm's NaN-propagating min/max) the sequences are built from what it has, each explained.
// Relaxed SIMD on x64 (see the README): relaxed_swizzle = pshufb, relaxed_trunc = cvtt* (INT32_MIN
// for NaN and out of range; the unsigned forms saturate as trunc_sat), relaxed_min/max =
// minps/maxps (the second operand on NaN or ±0), relaxed_q15mulr = pmulhrsw (0x8000 * 0x8000 →
// 0x8000), relaxed_dot = pmaddubsw (second operand unsigned, pairs saturating to i16),
// laneselect = pblendvb / blendvps / blendvpd (the top bit of each mask byte / lane; i16x8 is
// bitselect), relaxed_madd = vfmadd when the CPU has FMA3, else a multiply and an add.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html

import {
  FloatCond,
  IntCond,
  LaneShape,
  ValueSize,
  RegClass,
  ShiftKind,
  V128BinaryKind,
  V128TernaryKind,
  V128UnaryKind,
  isImm,
  makeReg,
  type Reg,
  type RegOrImm,
  type ValueStackContext,
} from '@flint/backend';
import { AssemblerError, FloatPredicate, RoundMode, SimdOp, SimdShiftOp, VexOp } from '../assembler/index.ts';
import { FSCRATCH, SCRATCH, VSCRATCH2, hw } from './base.ts';
import { SimdConvertMasm } from './simd-convert.ts';
import { PCMPEQ } from './simd-lanes.ts';

const XMM0 = makeReg(RegClass.Float, 0);

// Binary kinds that are one instruction, commutative or not: [kind, op, commutative].
const SIMPLE_BINARY: readonly (readonly [V128BinaryKind, number, boolean])[] = [
  [V128BinaryKind.And, SimdOp.pand, true],
  [V128BinaryKind.Or, SimdOp.por, true],
  [V128BinaryKind.Xor, SimdOp.pxor, true],
  [V128BinaryKind.I8x16NarrowI16x8S, SimdOp.packsswb, false],
  [V128BinaryKind.I8x16NarrowI16x8U, SimdOp.packuswb, false],
  [V128BinaryKind.I8x16Add, SimdOp.paddb, true],
  [V128BinaryKind.I8x16AddSatS, SimdOp.paddsb, true],
  [V128BinaryKind.I8x16AddSatU, SimdOp.paddusb, true],
  [V128BinaryKind.I8x16Sub, SimdOp.psubb, false],
  [V128BinaryKind.I8x16SubSatS, SimdOp.psubsb, false],
  [V128BinaryKind.I8x16SubSatU, SimdOp.psubusb, false],
  [V128BinaryKind.I8x16MinS, SimdOp.pminsb, true],
  [V128BinaryKind.I8x16MinU, SimdOp.pminub, true],
  [V128BinaryKind.I8x16MaxS, SimdOp.pmaxsb, true],
  [V128BinaryKind.I8x16MaxU, SimdOp.pmaxub, true],
  [V128BinaryKind.I8x16AvgrU, SimdOp.pavgb, true],
  [V128BinaryKind.I16x8NarrowI32x4S, SimdOp.packssdw, false],
  [V128BinaryKind.I16x8NarrowI32x4U, SimdOp.packusdw, false],
  [V128BinaryKind.I16x8Add, SimdOp.paddw, true],
  [V128BinaryKind.I16x8AddSatS, SimdOp.paddsw, true],
  [V128BinaryKind.I16x8AddSatU, SimdOp.paddusw, true],
  [V128BinaryKind.I16x8Sub, SimdOp.psubw, false],
  [V128BinaryKind.I16x8SubSatS, SimdOp.psubsw, false],
  [V128BinaryKind.I16x8SubSatU, SimdOp.psubusw, false],
  [V128BinaryKind.I16x8Mul, SimdOp.pmullw, true],
  [V128BinaryKind.I16x8MinS, SimdOp.pminsw, true],
  [V128BinaryKind.I16x8MinU, SimdOp.pminuw, true],
  [V128BinaryKind.I16x8MaxS, SimdOp.pmaxsw, true],
  [V128BinaryKind.I16x8MaxU, SimdOp.pmaxuw, true],
  [V128BinaryKind.I16x8AvgrU, SimdOp.pavgw, true],
  [V128BinaryKind.I32x4Add, SimdOp.paddd, true],
  [V128BinaryKind.I32x4Sub, SimdOp.psubd, false],
  [V128BinaryKind.I32x4Mul, SimdOp.pmulld, true],
  [V128BinaryKind.I32x4MinS, SimdOp.pminsd, true],
  [V128BinaryKind.I32x4MinU, SimdOp.pminud, true],
  [V128BinaryKind.I32x4MaxS, SimdOp.pmaxsd, true],
  [V128BinaryKind.I32x4MaxU, SimdOp.pmaxud, true],
  [V128BinaryKind.I32x4DotI16x8S, SimdOp.pmaddwd, true],
  [V128BinaryKind.I64x2Add, SimdOp.paddq, true],
  [V128BinaryKind.I64x2Sub, SimdOp.psubq, false],
  [V128BinaryKind.F32x4Add, SimdOp.addps, true],
  [V128BinaryKind.F32x4Sub, SimdOp.subps, false],
  [V128BinaryKind.F32x4Mul, SimdOp.mulps, true],
  [V128BinaryKind.F32x4Div, SimdOp.divps, false],
  [V128BinaryKind.F64x2Add, SimdOp.addpd, true],
  [V128BinaryKind.F64x2Sub, SimdOp.subpd, false],
  [V128BinaryKind.F64x2Mul, SimdOp.mulpd, true],
  [V128BinaryKind.F64x2Div, SimdOp.divpd, false],
  [V128BinaryKind.I8x16RelaxedSwizzle, SimdOp.pshufb, false],
  [V128BinaryKind.F32x4RelaxedMin, SimdOp.minps, false],
  [V128BinaryKind.F32x4RelaxedMax, SimdOp.maxps, false],
  [V128BinaryKind.F64x2RelaxedMin, SimdOp.minpd, false],
  [V128BinaryKind.F64x2RelaxedMax, SimdOp.maxpd, false],
  [V128BinaryKind.I16x8RelaxedQ15mulrS, SimdOp.pmulhrsw, true],
];
const SIMPLE_OP: number[] = [];
const SIMPLE_COMMUTATIVE: boolean[] = [];
for (const [kind, op, commutative] of SIMPLE_BINARY) {
  SIMPLE_OP[kind] = op;
  SIMPLE_COMMUTATIVE[kind] = commutative;
}

// Per integer shape I8x16 … I32x4 (I64x2 has none of these in SSE).
const PMAXS = [SimdOp.pmaxsb, SimdOp.pmaxsw, SimdOp.pmaxsd];
const PMINS = [SimdOp.pminsb, SimdOp.pminsw, SimdOp.pminsd];
const PMAXU = [SimdOp.pmaxub, SimdOp.pmaxuw, SimdOp.pmaxud];
const PMINU = [SimdOp.pminub, SimdOp.pminuw, SimdOp.pminud];
const PCMPGT = [SimdOp.pcmpgtb, SimdOp.pcmpgtw, SimdOp.pcmpgtd, SimdOp.pcmpgtq];
const ROUND_MODES = [RoundMode.Ceil, RoundMode.Floor, RoundMode.Trunc, RoundMode.Nearest];
// Per shape I16x8, I32x4, I64x2: shift by an xmm count and by an immediate.
const SHL = [SimdOp.psllw, SimdOp.pslld, SimdOp.psllq];
const SHR_U = [SimdOp.psrlw, SimdOp.psrld, SimdOp.psrlq];
const SHR_S = [SimdOp.psraw, SimdOp.psrad];
const SHL_IMM = [SimdShiftOp.psllw, SimdShiftOp.pslld, SimdShiftOp.psllq];
const SHR_U_IMM = [SimdShiftOp.psrlw, SimdShiftOp.psrld, SimdShiftOp.psrlq];
const SHR_S_IMM = [SimdShiftOp.psraw, SimdShiftOp.psrad];

export class SimdArithMasm extends SimdConvertMasm {
  v128Unary(kind: V128UnaryKind, dst: Reg, src: Reg): void {
    const d = hw(dst);
    const s = hw(src);
    if (this.v128Conversion(kind, d, s)) return;
    switch (kind) {
      case V128UnaryKind.Not:
        this.onesVec(FSCRATCH);
        this.op2(SimdOp.pxor, d, s, FSCRATCH, true);
        return;
      case V128UnaryKind.I8x16Abs:
      case V128UnaryKind.I16x8Abs:
      case V128UnaryKind.I32x4Abs:
        this.op1(kind === V128UnaryKind.I8x16Abs ? SimdOp.pabsb : kind === V128UnaryKind.I16x8Abs ? SimdOp.pabsw : SimdOp.pabsd, d, s);
        return;
      case V128UnaryKind.I64x2Abs:
        // t = each lane's sign spread over it (psrad 31 on the high dwords, copied down);
        // (x ^ t) - t negates exactly the negative lanes.
        this.vshiftImm(SimdShiftOp.psrad, FSCRATCH, s, 31);
        this.op1i(SimdOp.pshufd, FSCRATCH, FSCRATCH, 0xf5);
        this.op2(SimdOp.pxor, d, s, FSCRATCH, true);
        this.op2(SimdOp.psubq, d, d, FSCRATCH);
        return;
      case V128UnaryKind.I8x16Neg:
      case V128UnaryKind.I16x8Neg:
      case V128UnaryKind.I32x4Neg:
      case V128UnaryKind.I64x2Neg: {
        const sub =
          kind === V128UnaryKind.I8x16Neg ? SimdOp.psubb : kind === V128UnaryKind.I16x8Neg ? SimdOp.psubw : kind === V128UnaryKind.I32x4Neg ? SimdOp.psubd : SimdOp.psubq;
        this.zeroVec(FSCRATCH);
        this.op2(sub, d, FSCRATCH, s);
        return;
      }
      case V128UnaryKind.I8x16Popcnt:
        this.popcnt(d, s);
        return;
      case V128UnaryKind.F32x4Abs:
        this.op2m(SimdOp.andps, d, s, this.maskConstant(32, 0x7fff_ffff, 0));
        return;
      case V128UnaryKind.F32x4Neg:
        this.op2m(SimdOp.xorps, d, s, this.maskConstant(32, 0x8000_0000, 0));
        return;
      case V128UnaryKind.F64x2Abs:
        this.op2m(SimdOp.andpd, d, s, this.maskConstant(64, 0xffff_ffff, 0x7fff_ffff));
        return;
      case V128UnaryKind.F64x2Neg:
        this.op2m(SimdOp.xorpd, d, s, this.maskConstant(64, 0, 0x8000_0000));
        return;
      case V128UnaryKind.F32x4Sqrt:
        this.op1(SimdOp.sqrtps, d, s);
        return;
      case V128UnaryKind.F64x2Sqrt:
        this.op1(SimdOp.sqrtpd, d, s);
        return;
      default:
        if (kind >= V128UnaryKind.F32x4Ceil && kind <= V128UnaryKind.F32x4Nearest) {
          this.op1i(SimdOp.roundps, d, s, ROUND_MODES[kind - V128UnaryKind.F32x4Ceil]!);
          return;
        }
        if (kind >= V128UnaryKind.F64x2Ceil && kind <= V128UnaryKind.F64x2Nearest) {
          this.op1i(SimdOp.roundpd, d, s, ROUND_MODES[kind - V128UnaryKind.F64x2Ceil]!);
          return;
        }
        throw new AssemblerError(`v128Unary: unknown kind ${kind}`);
    }
  }

  /** Bytes' popcounts by nibble table lookups (pshufb): table[x & 15] + table[x >> 4]. */
  private popcnt(d: number, s: number): void {
    this.vshiftImm(SimdShiftOp.psrlw, FSCRATCH, s, 4);
    this.op2m(SimdOp.pand, FSCRATCH, FSCRATCH, this.smallLaneConstant(8, 0x0f)); // high nibbles
    this.op2m(SimdOp.pand, d, s, this.smallLaneConstant(8, 0x0f)); // low nibbles
    this.op1m(SimdOp.movdqu, VSCRATCH2, this.nibbleCounts());
    if (this.hasAvx) {
      this.asm.vexRRR(SimdOp.pshufb, d, VSCRATCH2, d);
      this.asm.vexRRR(SimdOp.pshufb, FSCRATCH, VSCRATCH2, FSCRATCH);
    } else {
      // The table is shuffled in place, so look the low nibbles up in a copy of it.
      this.asm.simdRR(SimdOp.pshufb, VSCRATCH2, d);
      this.asm.simdRM(SimdOp.movdqu, d, this.nibbleCounts());
      this.asm.simdRR(SimdOp.pshufb, d, FSCRATCH);
      this.asm.movapsRR(FSCRATCH, VSCRATCH2);
    }
    this.op2(SimdOp.paddb, d, d, FSCRATCH, true);
  }

  private nibbleCounts() {
    // Bits set in 0..15; two 32-bit lanes' worth of bytes repeat it (little-endian words).
    return this.v128Constant(NIBBLE_COUNTS, 0);
  }

  v128Binary(kind: V128BinaryKind, dst: Reg, lhs: Reg, rhs: Reg): void {
    const d = hw(dst);
    const l = hw(lhs);
    const r = hw(rhs);
    const simple = SIMPLE_OP[kind];
    if (simple !== undefined) {
      this.op2(simple, d, l, r, SIMPLE_COMMUTATIVE[kind]);
      return;
    }
    switch (kind) {
      case V128BinaryKind.AndNot:
        // pandn computes ~first & second.
        this.op2(SimdOp.pandn, d, r, l);
        return;
      case V128BinaryKind.I8x16Swizzle:
        // Indices ≥ 16 must give 0: saturating + 0x70 sets their top bit (pshufb's "zero" bit)
        // and keeps the low four bits of the others.
        this.op2m(SimdOp.paddusb, FSCRATCH, r, this.smallLaneConstant(8, 0x70));
        this.op2(SimdOp.pshufb, d, l, FSCRATCH);
        return;
      case V128BinaryKind.I16x8Q15mulrSatS:
        // pmulhrsw overflows only for 0x8000 * 0x8000, giving 0x8000 where Wasm saturates to 0x7fff.
        this.op2(SimdOp.pmulhrsw, d, l, r, true);
        this.op2m(SimdOp.pcmpeqw, FSCRATCH, d, this.smallLaneConstant(16, 0x8000));
        this.op2(SimdOp.pxor, d, d, FSCRATCH, true);
        return;
      case V128BinaryKind.I16x8RelaxedDotI8x16I7x16S:
        this.op2(SimdOp.pmaddubsw, d, r, l);
        return;
      case V128BinaryKind.I64x2Mul:
        this.i64x2Mul(d, l, r);
        return;
      case V128BinaryKind.I16x8ExtmulLowI8x16S:
      case V128BinaryKind.I16x8ExtmulHighI8x16S:
      case V128BinaryKind.I16x8ExtmulLowI8x16U:
      case V128BinaryKind.I16x8ExtmulHighI8x16U: {
        // Widen both (the high halves moved down first), then a 16-bit multiply.
        const n = kind - V128BinaryKind.I16x8ExtmulLowI8x16S;
        const widen = n < 2 ? SimdOp.pmovsxbw : SimdOp.pmovzxbw;
        const high = (n & 1) === 1;
        if (high) {
          this.op1i(SimdOp.pshufd, FSCRATCH, l, 0xee);
          this.op1(widen, FSCRATCH, FSCRATCH);
          this.op1i(SimdOp.pshufd, d, r, 0xee);
          this.op1(widen, d, d);
        } else {
          this.op1(widen, FSCRATCH, l);
          this.op1(widen, d, r);
        }
        this.op2(SimdOp.pmullw, d, d, FSCRATCH, true);
        return;
      }
      case V128BinaryKind.I32x4ExtmulLowI16x8S:
      case V128BinaryKind.I32x4ExtmulHighI16x8S:
      case V128BinaryKind.I32x4ExtmulLowI16x8U:
      case V128BinaryKind.I32x4ExtmulHighI16x8U: {
        // Low and high 16 bits of each 32-bit product, interleaved.
        const n = kind - V128BinaryKind.I32x4ExtmulLowI16x8S;
        this.op2(SimdOp.pmullw, FSCRATCH, l, r, true);
        this.op2(n < 2 ? SimdOp.pmulhw : SimdOp.pmulhuw, d, l, r, true);
        this.op2((n & 1) === 1 ? SimdOp.punpckhwd : SimdOp.punpcklwd, d, FSCRATCH, d);
        return;
      }
      case V128BinaryKind.I64x2ExtmulLowI32x4S:
      case V128BinaryKind.I64x2ExtmulHighI32x4S:
      case V128BinaryKind.I64x2ExtmulLowI32x4U:
      case V128BinaryKind.I64x2ExtmulHighI32x4U: {
        // pmuldq/pmuludq multiply the even dwords: spread the wanted two dwords to lanes 0 and 2.
        const n = kind - V128BinaryKind.I64x2ExtmulLowI32x4S;
        const spread = (n & 1) === 1 ? 0xfa : 0x50;
        this.op1i(SimdOp.pshufd, FSCRATCH, l, spread);
        this.op1i(SimdOp.pshufd, d, r, spread);
        this.op2(n < 2 ? SimdOp.pmuldq : SimdOp.pmuludq, d, d, FSCRATCH, true);
        return;
      }
      case V128BinaryKind.F32x4Min:
      case V128BinaryKind.F64x2Min:
        this.floatMin(kind === V128BinaryKind.F64x2Min, d, l, r);
        return;
      case V128BinaryKind.F32x4Max:
      case V128BinaryKind.F64x2Max:
        this.floatMax(kind === V128BinaryKind.F64x2Max, d, l, r);
        return;
      // pmin(a, b) = b < a ? b : a, which is minps(b, a); pmax likewise with maxps.
      case V128BinaryKind.F32x4Pmin:
        this.op2(SimdOp.minps, d, r, l);
        return;
      case V128BinaryKind.F32x4Pmax:
        this.op2(SimdOp.maxps, d, r, l);
        return;
      case V128BinaryKind.F64x2Pmin:
        this.op2(SimdOp.minpd, d, r, l);
        return;
      case V128BinaryKind.F64x2Pmax:
        this.op2(SimdOp.maxpd, d, r, l);
        return;
      default:
        throw new AssemblerError(`v128Binary: unknown kind ${kind}`);
    }
  }

  /** lo64(a·b) = alo·blo + ((ahi·blo + alo·bhi) << 32), from pmuludq's 32×32→64 products. */
  private i64x2Mul(d: number, l: number, r: number): void {
    if (d === r && d !== l) [l, r] = [r, l];
    this.vshiftImm(SimdShiftOp.psrlq, FSCRATCH, l, 32);
    this.op2(SimdOp.pmuludq, FSCRATCH, FSCRATCH, r, true);
    this.vshiftImm(SimdShiftOp.psrlq, VSCRATCH2, r, 32);
    this.op2(SimdOp.pmuludq, VSCRATCH2, VSCRATCH2, l, true);
    this.op2(SimdOp.paddq, FSCRATCH, FSCRATCH, VSCRATCH2, true);
    this.vshiftImm(SimdShiftOp.psllq, FSCRATCH, FSCRATCH, 32);
    this.op2(SimdOp.pmuludq, d, l, r, true);
    this.op2(SimdOp.paddq, d, d, FSCRATCH, true);
  }

  /**
   * Wasm min: NaN if either is NaN, -0 below +0. minps returns its second operand on NaN and
   * on equal (±0) inputs, so both orders are taken and or-ed (propagating -0 and NaN bits);
   * NaN lanes are then turned into a canonical (quiet, payload-free) NaN.
   */
  private floatMin(f64: boolean, d: number, l: number, r: number): void {
    const min = f64 ? SimdOp.minpd : SimdOp.minps;
    const [first, second] = d === r && d !== l ? [r, l] : [l, r];
    this.op2(min, FSCRATCH, second, first);
    this.op2(min, d, first, second);
    this.op2(SimdOp.orps, FSCRATCH, FSCRATCH, d, true);
    this.op2i(f64 ? SimdOp.cmppd : SimdOp.cmpps, d, d, FSCRATCH, FloatPredicate.Unord, true);
    this.op2(SimdOp.orps, FSCRATCH, FSCRATCH, d, true);
    this.vshiftImm(f64 ? SimdShiftOp.psrlq : SimdShiftOp.psrld, d, d, f64 ? 13 : 10);
    this.op2(SimdOp.andnps, d, d, FSCRATCH);
  }

  /**
   * Wasm max: as `floatMin`, but the two orders are combined so that +0 wins over -0: their
   * xor marks the discrepancies, or-ing it in and subtracting it again leaves +0 for ±0 and
   * turns a NaN in either order into a NaN, which is then made canonical.
   */
  private floatMax(f64: boolean, d: number, l: number, r: number): void {
    const max = f64 ? SimdOp.maxpd : SimdOp.maxps;
    const [first, second] = d === r && d !== l ? [r, l] : [l, r];
    this.op2(max, FSCRATCH, second, first);
    this.op2(max, d, first, second);
    this.op2(SimdOp.xorps, d, d, FSCRATCH, true);
    this.op2(SimdOp.orps, FSCRATCH, FSCRATCH, d, true);
    this.op2(f64 ? SimdOp.subpd : SimdOp.subps, FSCRATCH, FSCRATCH, d);
    this.op2i(f64 ? SimdOp.cmppd : SimdOp.cmpps, d, d, FSCRATCH, FloatPredicate.Unord, true);
    this.vshiftImm(f64 ? SimdShiftOp.psrlq : SimdShiftOp.psrld, d, d, f64 ? 13 : 10);
    this.op2(SimdOp.andnps, d, d, FSCRATCH);
  }

  v128IntCompare(shape: LaneShape, cond: IntCond, dst: Reg, lhs: Reg, rhs: Reg): void {
    const d = hw(dst);
    const l = hw(lhs);
    const r = hw(rhs);
    const i = shape as number;
    switch (cond) {
      case IntCond.Eq:
        this.op2(PCMPEQ[i]!, d, l, r, true);
        return;
      case IntCond.Ne:
        this.op2(PCMPEQ[i]!, d, l, r, true);
        this.notVec(d);
        return;
      case IntCond.GtS:
        this.greaterS(i, d, l, r);
        return;
      case IntCond.LtS:
        this.greaterS(i, d, r, l);
        return;
      case IntCond.GeS:
      case IntCond.LeS:
        if (shape === LaneShape.I64x2) {
          // a >= b is !(b > a); a <= b is !(a > b).
          if (cond === IntCond.GeS) this.greaterS(i, d, r, l);
          else this.greaterS(i, d, l, r);
          this.notVec(d);
          return;
        }
        // a >= b ⇔ max(a, b) == a; a <= b ⇔ min(a, b) == a.
        this.op2((cond === IntCond.GeS ? PMAXS : PMINS)[i]!, FSCRATCH, l, r, true);
        this.op2(PCMPEQ[i]!, d, FSCRATCH, l, true);
        return;
      case IntCond.GeU:
      case IntCond.LeU:
        this.op2((cond === IntCond.GeU ? PMAXU : PMINU)[i]!, FSCRATCH, l, r, true);
        this.op2(PCMPEQ[i]!, d, FSCRATCH, l, true);
        return;
      case IntCond.GtU:
      case IntCond.LtU: {
        // a > b ⇔ !(max(a, b) == b); a < b ⇔ !(min(a, b) == b).
        this.op2((cond === IntCond.GtU ? PMAXU : PMINU)[i]!, FSCRATCH, l, r, true);
        this.op2(PCMPEQ[i]!, d, FSCRATCH, r, true);
        this.notVec(d);
        return;
      }
    }
  }

  /** d = a > b (signed). i64x2 without SSE4.2's pcmpgtq: from 32-bit compares and a subtraction. */
  private greaterS(shape: number, d: number, a: number, b: number): void {
    if (shape !== LaneShape.I64x2 || this.hasSse42) {
      this.op2(PCMPGT[shape]!, d, a, b);
      return;
    }
    // High dwords differ: their signed compare decides. Equal: b - a borrows into a negative high
    // dword exactly when a's low dword is above b's (unsigned). Then copy each high dword down.
    this.op2(SimdOp.psubq, VSCRATCH2, b, a);
    this.op2(SimdOp.pcmpeqd, FSCRATCH, a, b, true);
    this.op2(SimdOp.pand, VSCRATCH2, VSCRATCH2, FSCRATCH, true);
    this.op2(SimdOp.pcmpgtd, FSCRATCH, a, b);
    this.op2(SimdOp.por, VSCRATCH2, VSCRATCH2, FSCRATCH, true);
    this.op1i(SimdOp.pshufd, d, VSCRATCH2, 0xf5);
  }

  v128FloatCompare(shape: LaneShape, cond: FloatCond, dst: Reg, lhs: Reg, rhs: Reg): void {
    const d = hw(dst);
    const l = hw(lhs);
    const r = hw(rhs);
    const op = shape === LaneShape.F64x2 ? SimdOp.cmppd : SimdOp.cmpps;
    switch (cond) {
      case FloatCond.Eq:
        this.op2i(op, d, l, r, FloatPredicate.Eq, true);
        return;
      case FloatCond.Ne:
        this.op2i(op, d, l, r, FloatPredicate.Neq, true);
        return;
      case FloatCond.Lt:
        this.op2i(op, d, l, r, FloatPredicate.Lt);
        return;
      case FloatCond.Le:
        this.op2i(op, d, l, r, FloatPredicate.Le);
        return;
      case FloatCond.Gt:
        this.op2i(op, d, r, l, FloatPredicate.Lt);
        return;
      case FloatCond.Ge:
        this.op2i(op, d, r, l, FloatPredicate.Le);
        return;
    }
  }

  v128Shift(shape: LaneShape, kind: ShiftKind, dst: Reg, src: Reg, amount: RegOrImm): void {
    const a = this.asm;
    const d = hw(dst);
    const s = hw(src);
    const bits = 8 << shape;
    if (isImm(amount)) {
      const n = amount.lo & (bits - 1);
      if (n === 0) this.vmov(d, s);
      else if (shape === LaneShape.I8x16) this.byteShiftImm(kind, d, s, n);
      else if (kind === ShiftKind.Shl) this.vshiftImm(SHL_IMM[shape - 1]!, d, s, n);
      else if (kind === ShiftKind.ShrU) this.vshiftImm(SHR_U_IMM[shape - 1]!, d, s, n);
      else if (shape === LaneShape.I64x2) {
        // No psraq before AVX-512: with m = 2^63 >>> n, ((x >>> n) ^ m) - m sign-extends.
        this.vshiftImm(SimdShiftOp.psrlq, d, s, n);
        const m = 2 ** (63 - n);
        const mask = this.maskConstant(64, m % 2 ** 32, Math.floor(m / 2 ** 32));
        this.op2m(SimdOp.pxor, d, d, mask);
        const again = this.maskConstant(64, m % 2 ** 32, Math.floor(m / 2 ** 32));
        this.op2m(SimdOp.psubq, d, d, again);
      } else this.vshiftImm(SHR_S_IMM[shape - 1]!, d, s, n);
      return;
    }
    // The count, modulo the lane width, in the low 64 bits of FSCRATCH.
    a.movRR(32, SCRATCH, hw(amount));
    a.andRI(32, SCRATCH, bits - 1);
    if (shape === LaneShape.I8x16) {
      this.byteShift(kind, d, s);
      return;
    }
    a.movdXR(32, FSCRATCH, SCRATCH);
    if (kind === ShiftKind.Shl) this.op2(SHL[shape - 1]!, d, s, FSCRATCH);
    else if (kind === ShiftKind.ShrU) this.op2(SHR_U[shape - 1]!, d, s, FSCRATCH);
    else if (shape !== LaneShape.I64x2) this.op2(SHR_S[shape - 1]!, d, s, FSCRATCH);
    else {
      this.op1m(SimdOp.movdqu, VSCRATCH2, this.maskConstant(64, 0, 0x8000_0000));
      this.op2(SimdOp.psrlq, VSCRATCH2, VSCRATCH2, FSCRATCH);
      this.op2(SimdOp.psrlq, d, s, FSCRATCH);
      this.op2(SimdOp.pxor, d, d, VSCRATCH2, true);
      this.op2(SimdOp.psubq, d, d, VSCRATCH2);
    }
  }

  /**
   * Byte shifts by a constant, from word shifts: shl and shr_u shift words and clear the bits
   * that crossed into a neighbouring byte; shr_s sign-extends each byte to a word (interleaving it
   * with itself), shifts by 8 + n and packs back.
   */
  private byteShiftImm(kind: ShiftKind, d: number, s: number, n: number): void {
    if (kind === ShiftKind.Shl) {
      this.vshiftImm(SimdShiftOp.psllw, d, s, n);
      this.op2m(SimdOp.pand, d, d, this.smallLaneConstant(8, (0xff << n) & 0xff));
    } else if (kind === ShiftKind.ShrU) {
      this.vshiftImm(SimdShiftOp.psrlw, d, s, n);
      this.op2m(SimdOp.pand, d, d, this.smallLaneConstant(8, 0xff >> n));
    } else {
      this.op2(SimdOp.punpckhbw, FSCRATCH, s, s);
      this.op2(SimdOp.punpcklbw, d, s, s);
      this.vshiftImm(SimdShiftOp.psraw, FSCRATCH, FSCRATCH, 8 + n);
      this.vshiftImm(SimdShiftOp.psraw, d, d, 8 + n);
      this.op2(SimdOp.packsswb, d, d, FSCRATCH);
    }
  }

  /** Byte shifts by the count in SCRATCH (already masked to 0..7), as `byteShiftImm`. */
  private byteShift(kind: ShiftKind, d: number, s: number): void {
    const a = this.asm;
    if (kind === ShiftKind.ShrS) {
      a.addRI(32, SCRATCH, 8);
      a.movdXR(32, FSCRATCH, SCRATCH);
      this.op2(SimdOp.punpckhbw, VSCRATCH2, s, s);
      this.op2(SimdOp.punpcklbw, d, s, s);
      this.op2(SimdOp.psraw, VSCRATCH2, VSCRATCH2, FSCRATCH);
      this.op2(SimdOp.psraw, d, d, FSCRATCH);
      this.op2(SimdOp.packsswb, d, d, VSCRATCH2);
      return;
    }
    // mask = 0xff >> n in every byte: all-ones words shifted right by 8 + n, packed to bytes.
    a.addRI(32, SCRATCH, 8);
    a.movdXR(32, FSCRATCH, SCRATCH);
    this.onesVec(VSCRATCH2);
    this.op2(SimdOp.psrlw, VSCRATCH2, VSCRATCH2, FSCRATCH);
    this.op2(SimdOp.packuswb, VSCRATCH2, VSCRATCH2, VSCRATCH2);
    a.subRI(32, SCRATCH, 8);
    a.movdXR(32, FSCRATCH, SCRATCH);
    if (kind === ShiftKind.Shl) {
      // Clear each byte's top n bits first, so the word shift moves nothing across bytes.
      this.op2(SimdOp.pand, d, s, VSCRATCH2, true);
      this.op2(SimdOp.psllw, d, d, FSCRATCH);
    } else {
      this.op2(SimdOp.psrlw, d, s, FSCRATCH);
      this.op2(SimdOp.pand, d, d, VSCRATCH2, true);
    }
  }

  v128Ternary(ctx: ValueStackContext, kind: V128TernaryKind): void {
    const a = this.asm;
    const avx = this.hasAvx;
    if (!avx && (kind === V128TernaryKind.I8x16RelaxedLaneselect || kind === V128TernaryKind.I32x4RelaxedLaneselect || kind === V128TernaryKind.I64x2RelaxedLaneselect)) {
      // SSE4.1's variable blends read their mask from xmm0.
      ctx.popToReg(XMM0, ValueSize.S128);
      const b = ctx.popToAnyReg(RegClass.Float);
      const x = ctx.popToAnyReg(RegClass.Float);
      // b ← mask ? x : b
      const blend =
        kind === V128TernaryKind.I8x16RelaxedLaneselect ? SimdOp.pblendvb : kind === V128TernaryKind.I32x4RelaxedLaneselect ? SimdOp.blendvps : SimdOp.blendvpd;
      a.simdRR(blend, hw(b), hw(x));
      ctx.freeReg(x);
      ctx.freeReg(XMM0);
      ctx.pushReg(b, ValueSize.S128);
      return;
    }
    const c = ctx.popToAnyReg(RegClass.Float);
    const b = ctx.popToAnyReg(RegClass.Float);
    const x = ctx.popToAnyReg(RegClass.Float);
    const [hx, hb, hc] = [hw(x), hw(b), hw(c)];
    let result = x;
    switch (kind) {
      case V128TernaryKind.Bitselect:
      case V128TernaryKind.I16x8RelaxedLaneselect:
        // ((x ^ b) & c) ^ b: x where c is set, b elsewhere.
        this.op2(SimdOp.pxor, FSCRATCH, hx, hb, true);
        this.op2(SimdOp.pand, FSCRATCH, FSCRATCH, hc, true);
        this.op2(SimdOp.pxor, hx, FSCRATCH, hb, true);
        break;
      case V128TernaryKind.I8x16RelaxedLaneselect:
        a.vexRRRR(VexOp.vpblendvb, hx, hb, hx, hc);
        break;
      case V128TernaryKind.I32x4RelaxedLaneselect:
        a.vexRRRR(VexOp.vblendvps, hx, hb, hx, hc);
        break;
      case V128TernaryKind.I64x2RelaxedLaneselect:
        a.vexRRRR(VexOp.vblendvpd, hx, hb, hx, hc);
        break;
      case V128TernaryKind.F32x4RelaxedMadd:
      case V128TernaryKind.F32x4RelaxedNmadd:
      case V128TernaryKind.F64x2RelaxedMadd:
      case V128TernaryKind.F64x2RelaxedNmadd: {
        const f64 = kind >= V128TernaryKind.F64x2RelaxedMadd;
        const negate = kind === V128TernaryKind.F32x4RelaxedNmadd || kind === V128TernaryKind.F64x2RelaxedNmadd;
        if (this.hasFma) {
          // c ← ±(x * b) + c, one rounding.
          const op = negate ? (f64 ? VexOp.vfnmadd231pd : VexOp.vfnmadd231ps) : f64 ? VexOp.vfmadd231pd : VexOp.vfmadd231ps;
          a.vexRRR(op, hc, hx, hb);
          result = c;
        } else {
          this.op2(f64 ? SimdOp.mulpd : SimdOp.mulps, hx, hx, hb, true);
          if (negate) {
            this.op2(f64 ? SimdOp.subpd : SimdOp.subps, hc, hc, hx);
            result = c;
          } else {
            this.op2(f64 ? SimdOp.addpd : SimdOp.addps, hx, hx, hc, true);
          }
        }
        break;
      }
      case V128TernaryKind.I32x4RelaxedDotI8x16I7x16AddS:
        // Byte products in pairs (b unsigned: the 7-bit operand), then word pairs, then + c.
        this.op2(SimdOp.pmaddubsw, FSCRATCH, hb, hx);
        this.op2m(SimdOp.pmaddwd, FSCRATCH, FSCRATCH, this.smallLaneConstant(16, 1));
        this.op2(SimdOp.paddd, hc, hc, FSCRATCH, true);
        result = c;
        break;
    }
    for (const reg of [x, b, c]) if (reg !== result) ctx.freeReg(reg);
    ctx.pushReg(result, ValueSize.S128);
  }

}

// The bit counts of 0..15, the table both pshufb lookups in `popcnt` index.
const NIBBLE_COUNTS = new Uint8Array([0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4]);
