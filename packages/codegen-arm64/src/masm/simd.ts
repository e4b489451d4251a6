// v128 on arm64, with Advanced SIMD (NEON), which every AArch64 host has. Most Wasm operators are
// one instruction: NEON has three-operand forms, saturating conversions with Wasm's NaN → 0
// (fcvtzs/fcvtzu), NaN-propagating fmin/fmax, a zeroing out-of-range table lookup (tbl, exactly
// i8x16.swizzle), sqrdmulh (exactly q15mulr_sat_s) and widening multiplies. Sequences remain for
// i64x2.mul, the bitmasks, any/all_true and the two-source shuffle.
// v31 and v30 are the vector scratch registers (consecutive: `tbl` with a two-register table).
// Constants are built in x16 and moved in (movi when the bytes allow), like the scalar float
// constants: no constant pool to keep within ±1 MiB.
//
// Relaxed SIMD on arm64 (see the README): relaxed_swizzle = tbl (0 for any index ≥ 16),
// relaxed_trunc = fcvtzs/fcvtzu (saturating, NaN → 0: the trunc_sat results), relaxed_min/max =
// fmin/fmax (Wasm's min/max), relaxed_madd/nmadd = fmla/fmls (fused), laneselect = bsl
// (bitselect), relaxed_q15mulr = sqrdmulh (saturating), relaxed_dot = smull/smull2/addp (both
// operands signed, pairs wrapping in i16), dot_add adds the i16 pairs (saddlp) to the accumulator.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions

import {
  FloatCond,
  IntCond,
  LaneShape,
  RegClass,
  ShiftKind,
  V128BinaryKind,
  V128LoadKind,
  V128ReduceKind,
  V128TernaryKind,
  V128UnaryKind,
  ValueSize,
  isImm,
  type Reg,
  type RegOrImm,
  type ValueStackContext,
} from '@flint/backend';
import {
  Arrangement as A,
  AssemblerError,
  AssemblerErrorCode,
  Cond,
  Gpr,
  MemOp,
  Shift,
  VecAcrossOp,
  VecLongOp,
  VecMiscOp,
  VecNarrowOp,
  VecOp,
  VecPermuteOp,
  VecShiftOp,
  VecWidenOp,
  isAddSubImmediate,
  type Arrangement,
} from '../assembler/index.ts';
import { V31, X16, X17, g, v } from './base.ts';
import { ControlMasm } from './control.ts';

/** The second vector scratch (with v31: a consecutive pair for two-register table lookups). */
export const V30 = 30;

/** The full-register arrangement of each shape. */
const ARR: readonly Arrangement[] = [A.B16, A.H8, A.S4, A.D2, A.S4, A.D2];
/** The half-register (low 64 bits) arrangement of each integer shape's lanes. */
const HALF: readonly Arrangement[] = [A.B8, A.H4, A.S2, A.D1];

// Binary kinds that are one three-same instruction: [kind, op, arrangement].
const SIMPLE_BINARY: readonly (readonly [V128BinaryKind, VecOp, Arrangement])[] = [
  [V128BinaryKind.And, VecOp.and, A.B16],
  [V128BinaryKind.AndNot, VecOp.bic, A.B16],
  [V128BinaryKind.Or, VecOp.orr, A.B16],
  [V128BinaryKind.Xor, VecOp.eor, A.B16],
  [V128BinaryKind.I8x16Add, VecOp.add, A.B16],
  [V128BinaryKind.I8x16AddSatS, VecOp.sqadd, A.B16],
  [V128BinaryKind.I8x16AddSatU, VecOp.uqadd, A.B16],
  [V128BinaryKind.I8x16Sub, VecOp.sub, A.B16],
  [V128BinaryKind.I8x16SubSatS, VecOp.sqsub, A.B16],
  [V128BinaryKind.I8x16SubSatU, VecOp.uqsub, A.B16],
  [V128BinaryKind.I8x16MinS, VecOp.smin, A.B16],
  [V128BinaryKind.I8x16MinU, VecOp.umin, A.B16],
  [V128BinaryKind.I8x16MaxS, VecOp.smax, A.B16],
  [V128BinaryKind.I8x16MaxU, VecOp.umax, A.B16],
  [V128BinaryKind.I8x16AvgrU, VecOp.urhadd, A.B16],
  [V128BinaryKind.I16x8Q15mulrSatS, VecOp.sqrdmulh, A.H8],
  [V128BinaryKind.I16x8Add, VecOp.add, A.H8],
  [V128BinaryKind.I16x8AddSatS, VecOp.sqadd, A.H8],
  [V128BinaryKind.I16x8AddSatU, VecOp.uqadd, A.H8],
  [V128BinaryKind.I16x8Sub, VecOp.sub, A.H8],
  [V128BinaryKind.I16x8SubSatS, VecOp.sqsub, A.H8],
  [V128BinaryKind.I16x8SubSatU, VecOp.uqsub, A.H8],
  [V128BinaryKind.I16x8Mul, VecOp.mul, A.H8],
  [V128BinaryKind.I16x8MinS, VecOp.smin, A.H8],
  [V128BinaryKind.I16x8MinU, VecOp.umin, A.H8],
  [V128BinaryKind.I16x8MaxS, VecOp.smax, A.H8],
  [V128BinaryKind.I16x8MaxU, VecOp.umax, A.H8],
  [V128BinaryKind.I16x8AvgrU, VecOp.urhadd, A.H8],
  [V128BinaryKind.I32x4Add, VecOp.add, A.S4],
  [V128BinaryKind.I32x4Sub, VecOp.sub, A.S4],
  [V128BinaryKind.I32x4Mul, VecOp.mul, A.S4],
  [V128BinaryKind.I32x4MinS, VecOp.smin, A.S4],
  [V128BinaryKind.I32x4MinU, VecOp.umin, A.S4],
  [V128BinaryKind.I32x4MaxS, VecOp.smax, A.S4],
  [V128BinaryKind.I32x4MaxU, VecOp.umax, A.S4],
  [V128BinaryKind.I64x2Add, VecOp.add, A.D2],
  [V128BinaryKind.I64x2Sub, VecOp.sub, A.D2],
  [V128BinaryKind.F32x4Add, VecOp.fadd, A.S4],
  [V128BinaryKind.F32x4Sub, VecOp.fsub, A.S4],
  [V128BinaryKind.F32x4Mul, VecOp.fmul, A.S4],
  [V128BinaryKind.F32x4Div, VecOp.fdiv, A.S4],
  [V128BinaryKind.F32x4Min, VecOp.fmin, A.S4],
  [V128BinaryKind.F32x4Max, VecOp.fmax, A.S4],
  [V128BinaryKind.F64x2Add, VecOp.fadd, A.D2],
  [V128BinaryKind.F64x2Sub, VecOp.fsub, A.D2],
  [V128BinaryKind.F64x2Mul, VecOp.fmul, A.D2],
  [V128BinaryKind.F64x2Div, VecOp.fdiv, A.D2],
  [V128BinaryKind.F64x2Min, VecOp.fmin, A.D2],
  [V128BinaryKind.F64x2Max, VecOp.fmax, A.D2],
  [V128BinaryKind.F32x4RelaxedMin, VecOp.fmin, A.S4],
  [V128BinaryKind.F32x4RelaxedMax, VecOp.fmax, A.S4],
  [V128BinaryKind.F64x2RelaxedMin, VecOp.fmin, A.D2],
  [V128BinaryKind.F64x2RelaxedMax, VecOp.fmax, A.D2],
  [V128BinaryKind.I16x8RelaxedQ15mulrS, VecOp.sqrdmulh, A.H8],
];
const SIMPLE_OP: number[] = [];
const SIMPLE_ARR: number[] = [];
for (const [kind, op, arr] of SIMPLE_BINARY) {
  SIMPLE_OP[kind] = op;
  SIMPLE_ARR[kind] = arr;
}

// One-instruction unary kinds: [kind, op, arrangement].
const SIMPLE_UNARY: readonly (readonly [V128UnaryKind, VecMiscOp, Arrangement])[] = [
  [V128UnaryKind.Not, VecMiscOp.not, A.B16],
  [V128UnaryKind.I8x16Abs, VecMiscOp.abs, A.B16],
  [V128UnaryKind.I8x16Neg, VecMiscOp.neg, A.B16],
  [V128UnaryKind.I8x16Popcnt, VecMiscOp.cnt, A.B16],
  [V128UnaryKind.I16x8Abs, VecMiscOp.abs, A.H8],
  [V128UnaryKind.I16x8Neg, VecMiscOp.neg, A.H8],
  [V128UnaryKind.I32x4Abs, VecMiscOp.abs, A.S4],
  [V128UnaryKind.I32x4Neg, VecMiscOp.neg, A.S4],
  [V128UnaryKind.I64x2Abs, VecMiscOp.abs, A.D2],
  [V128UnaryKind.I64x2Neg, VecMiscOp.neg, A.D2],
  [V128UnaryKind.F32x4Abs, VecMiscOp.fabs, A.S4],
  [V128UnaryKind.F32x4Neg, VecMiscOp.fneg, A.S4],
  [V128UnaryKind.F32x4Sqrt, VecMiscOp.fsqrt, A.S4],
  [V128UnaryKind.F32x4Ceil, VecMiscOp.frintp, A.S4],
  [V128UnaryKind.F32x4Floor, VecMiscOp.frintm, A.S4],
  [V128UnaryKind.F32x4Trunc, VecMiscOp.frintz, A.S4],
  [V128UnaryKind.F32x4Nearest, VecMiscOp.frintn, A.S4],
  [V128UnaryKind.F64x2Abs, VecMiscOp.fabs, A.D2],
  [V128UnaryKind.F64x2Neg, VecMiscOp.fneg, A.D2],
  [V128UnaryKind.F64x2Sqrt, VecMiscOp.fsqrt, A.D2],
  [V128UnaryKind.F64x2Ceil, VecMiscOp.frintp, A.D2],
  [V128UnaryKind.F64x2Floor, VecMiscOp.frintm, A.D2],
  [V128UnaryKind.F64x2Trunc, VecMiscOp.frintz, A.D2],
  [V128UnaryKind.F64x2Nearest, VecMiscOp.frintn, A.D2],
  [V128UnaryKind.I32x4TruncSatF32x4S, VecMiscOp.fcvtzs, A.S4],
  [V128UnaryKind.I32x4TruncSatF32x4U, VecMiscOp.fcvtzu, A.S4],
  [V128UnaryKind.F32x4ConvertI32x4S, VecMiscOp.scvtf, A.S4],
  [V128UnaryKind.F32x4ConvertI32x4U, VecMiscOp.ucvtf, A.S4],
  [V128UnaryKind.I32x4RelaxedTruncF32x4S, VecMiscOp.fcvtzs, A.S4],
  [V128UnaryKind.I32x4RelaxedTruncF32x4U, VecMiscOp.fcvtzu, A.S4],
];
const UNARY_OP: number[] = [];
const UNARY_ARR: number[] = [];
for (const [kind, op, arr] of SIMPLE_UNARY) {
  UNARY_OP[kind] = op;
  UNARY_ARR[kind] = arr;
}

/** The little-endian 32-bit word at bytes[at..at+4). */
const word = (bytes: Uint8Array, at: number): number => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

/** Reused for constants built by the sequences (bitmask weights, shuffle indices). */
const scratchBytes = new Uint8Array(16);
const scratchView = new DataView(scratchBytes.buffer);

export class SimdMasm extends ControlMasm {
  protected movVec(dst: number, src: number): void {
    if (dst !== src) this.asm.vecMovRR(dst, src);
  }

  /** dst ← the 16 bytes at bytes[at..at+16): movi when the bytes allow, else through x16. */
  protected loadV128Bytes(dst: number, bytes: Uint8Array, at: number): void {
    const a = this.asm;
    let same = true;
    let halvesEqual = true;
    let onlyZeroOrOnes = true;
    for (let i = 0; i < 16; i++) {
      const b = bytes[at + i]!;
      if (b !== bytes[at]) same = false;
      if (i < 8 && b !== bytes[at + 8 + i]) halvesEqual = false;
      if (b !== 0 && b !== 0xff) onlyZeroOrOnes = false;
    }
    if (same) {
      a.moviRI(true, dst, bytes[at]!);
      return;
    }
    if (onlyZeroOrOnes && halvesEqual) {
      // movi .2d: one bit per byte of the (repeated) 64-bit half.
      let byteMask = 0;
      for (let i = 0; i < 8; i++) if (bytes[at + i] === 0xff) byteMask |= 1 << i;
      a.movi2DRI(dst, byteMask);
      return;
    }
    this.loadImm64(X16, word(bytes, at), word(bytes, at + 4));
    if (halvesEqual) {
      a.dupGeneralRR(A.D2, dst, X16);
      return;
    }
    a.fmovFromGprRR(64, dst, X16); // zeroes the upper half
    this.loadImm64(X16, word(bytes, at + 8), word(bytes, at + 12));
    a.insGeneralRR(64, dst, 1, X16);
  }

  /** x16 (or `base` itself) ← base + offset: ld1/st1 address only a register. */
  private effectiveAddress(base: Reg, offset: number): Gpr {
    const a = this.asm;
    if (offset === 0) return g(base);
    if (isAddSubImmediate(offset)) a.addRRI(64, X16, g(base), offset);
    else {
      if (!Number.isSafeInteger(offset)) throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `address offset ${offset} is not an integer`);
      a.movRI(64, X16, offset);
      a.addRRR(64, X16, g(base), X16);
    }
    return X16;
  }

  // --- constants, splat, lanes -----------------------------------------------------------------

  loadV128Constant(dst: Reg, bytes: Uint8Array, at: number): void {
    this.loadV128Bytes(v(dst), bytes, at);
  }

  v128Splat(shape: LaneShape, dst: Reg, src: Reg): void {
    if (shape === LaneShape.F32x4 || shape === LaneShape.F64x2) this.asm.dupElementRR(ARR[shape]!, v(dst), v(src), 0);
    else this.asm.dupGeneralRR(ARR[shape]!, v(dst), g(src));
  }

  v128ExtractLane(shape: LaneShape, signed: boolean, dst: Reg, src: Reg, lane: number): void {
    const a = this.asm;
    switch (shape) {
      case LaneShape.I8x16:
      case LaneShape.I16x8: {
        const bits = shape === LaneShape.I8x16 ? 8 : 16;
        // smov into a w register zeroes bits 63:32: the i32 stays zero-extended.
        if (signed) a.smovRR(32, bits, g(dst), v(src), lane);
        else a.umovRR(bits, g(dst), v(src), lane);
        return;
      }
      case LaneShape.I32x4:
        a.umovRR(32, g(dst), v(src), lane);
        return;
      case LaneShape.I64x2:
        a.umovRR(64, g(dst), v(src), lane);
        return;
      default:
        a.dupScalarRR(shape === LaneShape.F32x4 ? 32 : 64, v(dst), v(src), lane);
    }
  }

  v128ReplaceLane(shape: LaneShape, dst: Reg, vector: Reg, value: Reg, lane: number): void {
    const a = this.asm;
    const d = v(dst);
    if (shape === LaneShape.F32x4 || shape === LaneShape.F64x2) {
      let x = v(value);
      if (x === d && d !== v(vector)) {
        a.vecMovRR(V31, x);
        x = V31;
      }
      this.movVec(d, v(vector));
      a.insElementRR(shape === LaneShape.F32x4 ? 32 : 64, d, lane, x, 0);
      return;
    }
    this.movVec(d, v(vector));
    a.insGeneralRR((8 << shape) as 8 | 16 | 32 | 64, d, lane, g(value));
  }

  v128Shuffle(dst: Reg, lhs: Reg, rhs: Reg, bytes: Uint8Array, at: number): void {
    const a = this.asm;
    const d = v(dst);
    const l = v(lhs);
    const r = v(rhs);
    let fromLhs = 0;
    for (let i = 0; i < 16; i++) if (bytes[at + i]! < 16) fromLhs++;
    if (l === r || fromLhs === 16 || fromLhs === 0) {
      for (let i = 0; i < 16; i++) scratchBytes[i] = bytes[at + i]! & 15;
      this.loadV128Bytes(V31, scratchBytes, 0);
      a.tblRRR(d, fromLhs === 0 ? r : l, 1, V31);
      return;
    }
    // Two sources: the table is the consecutive pair v30:v31 (indices 0..31 as given).
    a.vecMovRR(V30, l);
    a.vecMovRR(V31, r);
    this.loadV128Bytes(d, bytes, at);
    a.tblRRR(d, V30, 2, d);
  }

  // --- arithmetic ------------------------------------------------------------------------------

  v128Unary(kind: V128UnaryKind, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = v(dst);
    const s = v(src);
    const op = UNARY_OP[kind];
    if (op !== undefined) {
      a.vecRR(op, UNARY_ARR[kind] as Arrangement, d, s);
      return;
    }
    if (kind >= V128UnaryKind.I16x8ExtendLowI8x16S && kind <= V128UnaryKind.I64x2ExtendHighI32x4U) {
      // sshll/ushll #0 (sxtl/uxtl); the `2` form (source 16B/8H/4S) reads the high half.
      const n = kind - V128UnaryKind.I16x8ExtendLowI8x16S;
      const shape = n >> 2;
      const high = (n & 1) === 1;
      const unsigned = (n & 2) === 2;
      a.vecShiftRRI(unsigned ? VecShiftOp.ushll : VecShiftOp.sshll, (HALF[shape]! | (high ? 1 : 0)) as Arrangement, d, s, 0);
      return;
    }
    switch (kind) {
      case V128UnaryKind.I16x8ExtaddPairwiseI8x16S:
        a.vecWidenRR(VecWidenOp.saddlp, A.B16, d, s);
        return;
      case V128UnaryKind.I16x8ExtaddPairwiseI8x16U:
        a.vecWidenRR(VecWidenOp.uaddlp, A.B16, d, s);
        return;
      case V128UnaryKind.I32x4ExtaddPairwiseI16x8S:
        a.vecWidenRR(VecWidenOp.saddlp, A.H8, d, s);
        return;
      case V128UnaryKind.I32x4ExtaddPairwiseI16x8U:
        a.vecWidenRR(VecWidenOp.uaddlp, A.H8, d, s);
        return;
      // Saturating conversion to 64 bits, then saturating narrowing (which zeroes lanes 2 and 3).
      case V128UnaryKind.I32x4TruncSatF64x2SZero:
      case V128UnaryKind.I32x4RelaxedTruncF64x2SZero:
        a.vecRR(VecMiscOp.fcvtzs, A.D2, d, s);
        a.vecNarrowRR(VecNarrowOp.sqxtn, A.S2, d, d);
        return;
      case V128UnaryKind.I32x4TruncSatF64x2UZero:
      case V128UnaryKind.I32x4RelaxedTruncF64x2UZero:
        a.vecRR(VecMiscOp.fcvtzu, A.D2, d, s);
        a.vecNarrowRR(VecNarrowOp.uqxtn, A.S2, d, d);
        return;
      case V128UnaryKind.F64x2ConvertLowI32x4S:
        a.vecShiftRRI(VecShiftOp.sshll, A.S2, d, s, 0);
        a.vecRR(VecMiscOp.scvtf, A.D2, d, d);
        return;
      case V128UnaryKind.F64x2ConvertLowI32x4U:
        a.vecShiftRRI(VecShiftOp.ushll, A.S2, d, s, 0);
        a.vecRR(VecMiscOp.ucvtf, A.D2, d, d);
        return;
      case V128UnaryKind.F32x4DemoteF64x2Zero:
        a.fcvtnRR(false, d, s);
        return;
      case V128UnaryKind.F64x2PromoteLowF32x4:
        a.fcvtlRR(false, d, s);
        return;
      default:
        throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `v128Unary: unknown kind ${kind}`);
    }
  }

  v128Binary(kind: V128BinaryKind, dst: Reg, lhs: Reg, rhs: Reg): void {
    const a = this.asm;
    const d = v(dst);
    const l = v(lhs);
    const r = v(rhs);
    const op = SIMPLE_OP[kind];
    if (op !== undefined) {
      a.vecRRR(op, SIMPLE_ARR[kind] as Arrangement, d, l, r);
      return;
    }
    switch (kind) {
      case V128BinaryKind.I8x16NarrowI16x8S:
      case V128BinaryKind.I8x16NarrowI16x8U:
      case V128BinaryKind.I16x8NarrowI32x4S:
      case V128BinaryKind.I16x8NarrowI32x4U: {
        // The low half from lhs, the high half from rhs (read before it may be overwritten).
        const bytes = kind <= V128BinaryKind.I8x16NarrowI16x8U;
        const narrow = kind === V128BinaryKind.I8x16NarrowI16x8S || kind === V128BinaryKind.I16x8NarrowI32x4S ? VecNarrowOp.sqxtn : VecNarrowOp.sqxtun;
        const t = d === r ? V31 : d;
        a.vecNarrowRR(narrow, bytes ? A.B8 : A.H4, t, l);
        a.vecNarrowRR(narrow, bytes ? A.B16 : A.H8, t, r);
        this.movVec(d, t);
        return;
      }
      case V128BinaryKind.I8x16Swizzle:
      case V128BinaryKind.I8x16RelaxedSwizzle:
        a.tblRRR(d, l, 1, r);
        return;
      case V128BinaryKind.I64x2Mul:
        // lo64(a·b) = alo·blo + ((alo·bhi + ahi·blo) << 32): the cross products from one 32-bit
        // multiply of a with b's halves swapped, summed pairwise, shifted, plus umlal of the lows.
        a.vecRR(VecMiscOp.rev64, A.S4, V31, r);
        a.vecRRR(VecOp.mul, A.S4, V31, V31, l);
        a.vecNarrowRR(VecNarrowOp.xtn, A.S2, V30, l);
        a.vecRRR(VecOp.addp, A.S4, V31, V31, V31);
        a.vecNarrowRR(VecNarrowOp.xtn, A.S2, d, r);
        a.vecWidenRR(VecWidenOp.shll, A.S2, V31, V31);
        a.vecLongRRR(VecLongOp.umlal, A.S2, V31, V30, d);
        a.vecMovRR(d, V31);
        return;
      case V128BinaryKind.I16x8ExtmulLowI8x16S:
      case V128BinaryKind.I16x8ExtmulHighI8x16S:
      case V128BinaryKind.I16x8ExtmulLowI8x16U:
      case V128BinaryKind.I16x8ExtmulHighI8x16U:
      case V128BinaryKind.I32x4ExtmulLowI16x8S:
      case V128BinaryKind.I32x4ExtmulHighI16x8S:
      case V128BinaryKind.I32x4ExtmulLowI16x8U:
      case V128BinaryKind.I32x4ExtmulHighI16x8U:
      case V128BinaryKind.I64x2ExtmulLowI32x4S:
      case V128BinaryKind.I64x2ExtmulHighI32x4S:
      case V128BinaryKind.I64x2ExtmulLowI32x4U:
      case V128BinaryKind.I64x2ExtmulHighI32x4U: {
        const group = kind >= V128BinaryKind.I64x2ExtmulLowI32x4S ? 2 : kind >= V128BinaryKind.I32x4ExtmulLowI16x8S ? 1 : 0;
        const first = [V128BinaryKind.I16x8ExtmulLowI8x16S, V128BinaryKind.I32x4ExtmulLowI16x8S, V128BinaryKind.I64x2ExtmulLowI32x4S][group]!;
        const n = kind - first;
        const src = (HALF[group]! | (n & 1)) as Arrangement;
        a.vecLongRRR(n < 2 ? VecLongOp.smull : VecLongOp.umull, src, d, l, r);
        return;
      }
      case V128BinaryKind.I32x4DotI16x8S:
        a.vecLongRRR(VecLongOp.smull, A.H4, V31, l, r);
        a.vecLongRRR(VecLongOp.smull, A.H8, V30, l, r);
        a.vecRRR(VecOp.addp, A.S4, d, V31, V30);
        return;
      case V128BinaryKind.I16x8RelaxedDotI8x16I7x16S:
        a.vecLongRRR(VecLongOp.smull, A.B8, V31, l, r);
        a.vecLongRRR(VecLongOp.smull, A.B16, V30, l, r);
        a.vecRRR(VecOp.addp, A.H8, d, V31, V30);
        return;
      // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a: a mask, then bsl picks b or a.
      case V128BinaryKind.F32x4Pmin:
      case V128BinaryKind.F64x2Pmin:
      case V128BinaryKind.F32x4Pmax:
      case V128BinaryKind.F64x2Pmax: {
        const arr = kind === V128BinaryKind.F32x4Pmin || kind === V128BinaryKind.F32x4Pmax ? A.S4 : A.D2;
        const min = kind === V128BinaryKind.F32x4Pmin || kind === V128BinaryKind.F64x2Pmin;
        if (min) a.vecRRR(VecOp.fcmgt, arr, V31, l, r);
        else a.vecRRR(VecOp.fcmgt, arr, V31, r, l);
        a.vecRRR(VecOp.bsl, A.B16, V31, r, l);
        a.vecMovRR(d, V31);
        return;
      }
      default:
        throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `v128Binary: unknown kind ${kind}`);
    }
  }

  v128Ternary(ctx: ValueStackContext, kind: V128TernaryKind): void {
    const a = this.asm;
    const c = ctx.popToAnyReg(RegClass.Float);
    const b = ctx.popToAnyReg(RegClass.Float);
    const x = ctx.popToAnyReg(RegClass.Float);
    const [vx, vb, vc] = [v(x), v(b), v(c)];
    switch (kind) {
      case V128TernaryKind.Bitselect:
      case V128TernaryKind.I8x16RelaxedLaneselect:
      case V128TernaryKind.I16x8RelaxedLaneselect:
      case V128TernaryKind.I32x4RelaxedLaneselect:
      case V128TernaryKind.I64x2RelaxedLaneselect:
        // bsl: the mask register becomes (mask & x) | (~mask & b).
        a.vecRRR(VecOp.bsl, A.B16, vc, vx, vb);
        break;
      case V128TernaryKind.F32x4RelaxedMadd:
        a.vecRRR(VecOp.fmla, A.S4, vc, vx, vb);
        break;
      case V128TernaryKind.F32x4RelaxedNmadd:
        a.vecRRR(VecOp.fmls, A.S4, vc, vx, vb);
        break;
      case V128TernaryKind.F64x2RelaxedMadd:
        a.vecRRR(VecOp.fmla, A.D2, vc, vx, vb);
        break;
      case V128TernaryKind.F64x2RelaxedNmadd:
        a.vecRRR(VecOp.fmls, A.D2, vc, vx, vb);
        break;
      case V128TernaryKind.I32x4RelaxedDotI8x16I7x16AddS:
        a.vecLongRRR(VecLongOp.smull, A.B8, V31, vx, vb);
        a.vecLongRRR(VecLongOp.smull, A.B16, V30, vx, vb);
        a.vecRRR(VecOp.addp, A.H8, V31, V31, V30);
        a.vecWidenRR(VecWidenOp.saddlp, A.H8, V31, V31);
        a.vecRRR(VecOp.add, A.S4, vc, vc, V31);
        break;
    }
    ctx.freeReg(x);
    ctx.freeReg(b);
    ctx.pushReg(c, ValueSize.S128);
  }

  v128IntCompare(shape: LaneShape, cond: IntCond, dst: Reg, lhs: Reg, rhs: Reg): void {
    const a = this.asm;
    const arr = ARR[shape]!;
    const d = v(dst);
    const l = v(lhs);
    const r = v(rhs);
    switch (cond) {
      case IntCond.Eq:
        a.vecRRR(VecOp.cmeq, arr, d, l, r);
        return;
      case IntCond.Ne:
        a.vecRRR(VecOp.cmeq, arr, d, l, r);
        a.vecRR(VecMiscOp.not, A.B16, d, d);
        return;
      case IntCond.GtS:
        a.vecRRR(VecOp.cmgt, arr, d, l, r);
        return;
      case IntCond.LtS:
        a.vecRRR(VecOp.cmgt, arr, d, r, l);
        return;
      case IntCond.GeS:
        a.vecRRR(VecOp.cmge, arr, d, l, r);
        return;
      case IntCond.LeS:
        a.vecRRR(VecOp.cmge, arr, d, r, l);
        return;
      case IntCond.GtU:
        a.vecRRR(VecOp.cmhi, arr, d, l, r);
        return;
      case IntCond.LtU:
        a.vecRRR(VecOp.cmhi, arr, d, r, l);
        return;
      case IntCond.GeU:
        a.vecRRR(VecOp.cmhs, arr, d, l, r);
        return;
      case IntCond.LeU:
        a.vecRRR(VecOp.cmhs, arr, d, r, l);
        return;
    }
  }

  v128FloatCompare(shape: LaneShape, cond: FloatCond, dst: Reg, lhs: Reg, rhs: Reg): void {
    const a = this.asm;
    const arr = ARR[shape]!;
    const d = v(dst);
    const l = v(lhs);
    const r = v(rhs);
    switch (cond) {
      case FloatCond.Eq:
        a.vecRRR(VecOp.fcmeq, arr, d, l, r);
        return;
      case FloatCond.Ne:
        a.vecRRR(VecOp.fcmeq, arr, d, l, r);
        a.vecRR(VecMiscOp.not, A.B16, d, d);
        return;
      case FloatCond.Gt:
        a.vecRRR(VecOp.fcmgt, arr, d, l, r);
        return;
      case FloatCond.Lt:
        a.vecRRR(VecOp.fcmgt, arr, d, r, l);
        return;
      case FloatCond.Ge:
        a.vecRRR(VecOp.fcmge, arr, d, l, r);
        return;
      case FloatCond.Le:
        a.vecRRR(VecOp.fcmge, arr, d, r, l);
        return;
    }
  }

  v128Shift(shape: LaneShape, kind: ShiftKind, dst: Reg, src: Reg, amount: RegOrImm): void {
    const a = this.asm;
    const arr = ARR[shape]!;
    const bits = 8 << shape;
    const d = v(dst);
    const s = v(src);
    if (isImm(amount)) {
      const n = amount.lo & (bits - 1);
      if (n === 0) this.movVec(d, s);
      else if (kind === ShiftKind.Shl) a.vecShiftRRI(VecShiftOp.shl, arr, d, s, n);
      else a.vecShiftRRI(kind === ShiftKind.ShrS ? VecShiftOp.sshr : VecShiftOp.ushr, arr, d, s, n);
      return;
    }
    // sshl/ushl shift each lane by the signed count in its low byte: right shifts are negative
    // left shifts. The count is taken modulo the lane width first.
    a.andRRI(32, X16, g(amount), bits - 1);
    if (kind !== ShiftKind.Shl) a.negRR(64, X16, X16);
    a.dupGeneralRR(arr, V31, X16);
    a.vecRRR(kind === ShiftKind.ShrS ? VecOp.sshl : VecOp.ushl, arr, d, s, V31);
  }

  v128Reduce(kind: V128ReduceKind, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = g(dst);
    const s = v(src);
    switch (kind) {
      case V128ReduceKind.AnyTrue:
        a.vecRRR(VecOp.umaxp, A.S4, V31, s, s);
        a.fmovToGprRR(64, X16, V31);
        a.cmpRI(64, X16, 0);
        a.csetR(32, d, Cond.ne);
        return;
      case V128ReduceKind.I8x16AllTrue:
      case V128ReduceKind.I16x8AllTrue:
      case V128ReduceKind.I32x4AllTrue:
        // The smallest lane is non-zero exactly when every lane is.
        a.vecAcrossRR(VecAcrossOp.uminv, ARR[kind - V128ReduceKind.I8x16AllTrue]!, V31, s);
        a.fmovToGprRR(32, X16, V31);
        a.cmpRI(32, X16, 0);
        a.csetR(32, d, Cond.ne);
        return;
      case V128ReduceKind.I64x2AllTrue:
        a.vecRR(VecMiscOp.cmeq0, A.D2, V31, s);
        a.addpScalarRR(V31, V31);
        a.fmovToGprRR(64, X16, V31);
        a.cmpRI(64, X16, 0);
        a.csetR(32, d, Cond.eq);
        return;
      case V128ReduceKind.I8x16Bitmask: {
        // Each byte's sign as 0/-1, weighted 1, 2, … 128 in both halves; the halves interleaved
        // so one 16-bit lane-wise sum holds the low byte's bits below the high byte's.
        a.vecShiftRRI(VecShiftOp.sshr, A.B16, V31, s, 7);
        for (let i = 0; i < 16; i++) scratchBytes[i] = 1 << (i & 7);
        this.loadV128Bytes(V30, scratchBytes, 0);
        a.vecRRR(VecOp.and, A.B16, V31, V31, V30);
        a.extRRRI(V30, V31, V31, 8);
        a.vecPermuteRRR(VecPermuteOp.zip1, A.B16, V31, V31, V30);
        a.vecAcrossRR(VecAcrossOp.addv, A.H8, V31, V31);
        a.umovRR(16, d, V31, 0);
        return;
      }
      case V128ReduceKind.I16x8Bitmask:
      case V128ReduceKind.I32x4Bitmask: {
        const halfwords = kind === V128ReduceKind.I16x8Bitmask;
        const arr = halfwords ? A.H8 : A.S4;
        a.vecShiftRRI(VecShiftOp.sshr, arr, V31, s, halfwords ? 15 : 31);
        for (let i = 0; i < (halfwords ? 8 : 4); i++) {
          if (halfwords) scratchView.setUint16(i * 2, 1 << i, true);
          else scratchView.setUint32(i * 4, 1 << i, true);
        }
        this.loadV128Bytes(V30, scratchBytes, 0);
        a.vecRRR(VecOp.and, A.B16, V31, V31, V30);
        a.vecAcrossRR(VecAcrossOp.addv, arr, V31, V31);
        a.umovRR(halfwords ? 16 : 32, d, V31, 0);
        return;
      }
      default:
        a.vecShiftRRI(VecShiftOp.ushr, A.D2, V31, s, 63);
        a.umovRR(64, X16, V31, 0);
        a.umovRR(64, X17, V31, 1);
        a.addRRShifted(32, d, X16, X17, Shift.lsl, 1);
    }
  }

  // --- memory ----------------------------------------------------------------------------------

  v128Load(kind: V128LoadKind, dst: Reg, base: Reg, offset: number): void {
    const a = this.asm;
    const d = v(dst);
    switch (kind) {
      case V128LoadKind.Load8x8S:
      case V128LoadKind.Load8x8U:
      case V128LoadKind.Load16x4S:
      case V128LoadKind.Load16x4U:
      case V128LoadKind.Load32x2S:
      case V128LoadKind.Load32x2U: {
        this.access(MemOp.ldrV64, d, g(base), offset);
        const shape = kind >> 1;
        a.vecShiftRRI((kind & 1) === 1 ? VecShiftOp.ushll : VecShiftOp.sshll, HALF[shape]!, d, d, 0);
        return;
      }
      case V128LoadKind.Load8Splat:
      case V128LoadKind.Load16Splat:
      case V128LoadKind.Load32Splat:
      case V128LoadKind.Load64Splat:
        a.ld1rR(ARR[kind - V128LoadKind.Load8Splat]!, d, this.effectiveAddress(base, offset));
        return;
      case V128LoadKind.Load32Zero:
        this.access(MemOp.ldrV32, d, g(base), offset);
        return;
      default:
        this.access(MemOp.ldrV64, d, g(base), offset);
    }
  }

  v128LoadLane(laneBits: 8 | 16 | 32 | 64, dst: Reg, base: Reg, offset: number, lane: number): void {
    this.asm.ld1LaneR(laneBits, v(dst), lane, this.effectiveAddress(base, offset));
  }

  v128StoreLane(laneBits: 8 | 16 | 32 | 64, src: Reg, base: Reg, offset: number, lane: number): void {
    this.asm.st1LaneR(laneBits, v(src), lane, this.effectiveAddress(base, offset));
  }
}
