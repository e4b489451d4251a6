// Fixed-width and relaxed SIMD: every 0xFD operator, as one call of the MacroAssembler's v128
// families (v128.ts in @flint/backend). v128 values live in `Float`-class registers and 16-byte
// frame slots (the module's slot size, see compiler.ts).
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions
//
// The operators are described by one table indexed by their 0xFD code (`ACTIONS`): a family and
// its two parameters (a kind, or a shape and a condition / shift kind / lane signedness), so
// this file has one case per family, not per operator.

import {
  FloatCond,
  IntCond,
  LANE_BITS,
  LaneShape,
  LoadKind,
  RegClass,
  ShiftKind,
  StoreKind,
  V128BinaryKind,
  V128LoadKind,
  V128ReduceKind,
  V128TernaryKind,
  V128UnaryKind,
  V128_LOAD_ACCESS_SIZE,
  ValueKind,
} from '@flint/backend';
import type { Immediates, OperatorInfo } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';
import { Loc } from '../value-stack.ts';
import { checkMemory, popAddress } from './memory.ts';

const Family = {
  None: 0,
  Load: 1,
  LoadTransform: 2,
  Store: 3,
  Const: 4,
  Shuffle: 5,
  Splat: 6,
  ExtractLane: 7,
  ReplaceLane: 8,
  IntCompare: 9,
  FloatCompare: 10,
  Unary: 11,
  Binary: 12,
  Ternary: 13,
  Reduce: 14,
  Shift: 15,
  LoadLane: 16,
  StoreLane: 17,
} as const;
type Family = (typeof Family)[keyof typeof Family];

/** Per 0xFD code: family | a << 8 | b << 16 (a: a kind or a shape; b: condition, shift kind, signedness). */
const ACTIONS = new Int32Array(0x114);
const set = (code: number, family: Family, a = 0, b = 0): void => void (ACTIONS[code] = family | (a << 8) | (b << 16));

const { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 } = LaneShape;
const U = V128UnaryKind;
const B = V128BinaryKind;

set(0x00, Family.Load);
for (let k = 0; k <= 9; k++) set(0x01 + k, Family.LoadTransform, k);
set(0x0b, Family.Store);
set(0x0c, Family.Const);
set(0x0d, Family.Shuffle);
set(0x0e, Family.Binary, B.I8x16Swizzle);
for (let shape = 0; shape < 6; shape++) set(0x0f + shape, Family.Splat, shape);
// Lanes: i8x16 and i16x8 have signed and unsigned extracts.
set(0x15, Family.ExtractLane, I8x16, 1);
set(0x16, Family.ExtractLane, I8x16, 0);
set(0x17, Family.ReplaceLane, I8x16);
set(0x18, Family.ExtractLane, I16x8, 1);
set(0x19, Family.ExtractLane, I16x8, 0);
set(0x1a, Family.ReplaceLane, I16x8);
for (const [code, shape] of [[0x1b, I32x4], [0x1d, I64x2], [0x1f, F32x4], [0x21, F64x2]] as const) {
  set(code, Family.ExtractLane, shape, 0);
  set(code + 1, Family.ReplaceLane, shape);
}
// Comparisons follow IntCond's / FloatCond's order within each shape.
for (let cond = 0; cond < 10; cond++) {
  set(0x23 + cond, Family.IntCompare, I8x16, cond);
  set(0x2d + cond, Family.IntCompare, I16x8, cond);
  set(0x37 + cond, Family.IntCompare, I32x4, cond);
}
for (let cond = 0; cond < 6; cond++) {
  set(0x41 + cond, Family.FloatCompare, F32x4, cond);
  set(0x47 + cond, Family.FloatCompare, F64x2, cond);
}
const I64_CONDS = [IntCond.Eq, IntCond.Ne, IntCond.LtS, IntCond.GtS, IntCond.LeS, IntCond.GeS];
I64_CONDS.forEach((cond, k) => set(0xd6 + k, Family.IntCompare, I64x2, cond));
set(0x4d, Family.Unary, U.Not);
set(0x4e, Family.Binary, B.And);
set(0x4f, Family.Binary, B.AndNot);
set(0x50, Family.Binary, B.Or);
set(0x51, Family.Binary, B.Xor);
set(0x52, Family.Ternary, V128TernaryKind.Bitselect);
set(0x53, Family.Reduce, V128ReduceKind.AnyTrue);
for (let k = 0; k < 4; k++) {
  set(0x54 + k, Family.LoadLane, 8 << k);
  set(0x58 + k, Family.StoreLane, 8 << k);
}
set(0x5c, Family.LoadTransform, V128LoadKind.Load32Zero);
set(0x5d, Family.LoadTransform, V128LoadKind.Load64Zero);
set(0x5e, Family.Unary, U.F32x4DemoteF64x2Zero);
set(0x5f, Family.Unary, U.F64x2PromoteLowF32x4);
// Integer shapes: the groups at 0x60 (i8x16), 0x80 (i16x8), 0xa0 (i32x4), 0xc0 (i64x2).
const unary = (code: number, kind: number): void => set(code, Family.Unary, kind);
const binary = (code: number, kind: number): void => set(code, Family.Binary, kind);
unary(0x60, U.I8x16Abs);
unary(0x61, U.I8x16Neg);
unary(0x62, U.I8x16Popcnt);
unary(0x80, U.I16x8Abs);
unary(0x81, U.I16x8Neg);
unary(0xa0, U.I32x4Abs);
unary(0xa1, U.I32x4Neg);
unary(0xc0, U.I64x2Abs);
unary(0xc1, U.I64x2Neg);
[I8x16, I16x8, I32x4, I64x2].forEach((shape, i) => {
  const base = 0x60 + i * 0x20;
  set(base + 3, Family.Reduce, V128ReduceKind.I8x16AllTrue + i);
  set(base + 4, Family.Reduce, V128ReduceKind.I8x16Bitmask + i);
  set(base + 0x0b, Family.Shift, shape, ShiftKind.Shl);
  set(base + 0x0c, Family.Shift, shape, ShiftKind.ShrS);
  set(base + 0x0d, Family.Shift, shape, ShiftKind.ShrU);
  if (i > 0) for (let k = 0; k < 4; k++) unary(base + 7 + k, U.I16x8ExtendLowI8x16S + (i - 1) * 4 + k);
});
binary(0x65, B.I8x16NarrowI16x8S);
binary(0x66, B.I8x16NarrowI16x8U);
for (let k = 0; k < 4; k++) unary(0x67 + k, U.F32x4Ceil + k);
for (let k = 0; k < 6; k++) binary(0x6e + k, B.I8x16Add + k);
unary(0x74, U.F64x2Ceil);
unary(0x75, U.F64x2Floor);
for (let k = 0; k < 4; k++) binary(0x76 + k, B.I8x16MinS + k);
unary(0x7a, U.F64x2Trunc);
binary(0x7b, B.I8x16AvgrU);
for (let k = 0; k < 4; k++) unary(0x7c + k, U.I16x8ExtaddPairwiseI8x16S + k);
binary(0x82, B.I16x8Q15mulrSatS);
binary(0x85, B.I16x8NarrowI32x4S);
binary(0x86, B.I16x8NarrowI32x4U);
for (let k = 0; k < 6; k++) binary(0x8e + k, B.I16x8Add + k);
unary(0x94, U.F64x2Nearest);
for (let k = 0; k < 5; k++) binary(0x95 + k, B.I16x8Mul + k);
binary(0x9b, B.I16x8AvgrU);
for (let k = 0; k < 4; k++) binary(0x9c + k, B.I16x8ExtmulLowI8x16S + k);
binary(0xae, B.I32x4Add);
binary(0xb1, B.I32x4Sub);
for (let k = 0; k < 5; k++) binary(0xb5 + k, B.I32x4Mul + k);
binary(0xba, B.I32x4DotI16x8S);
for (let k = 0; k < 4; k++) binary(0xbc + k, B.I32x4ExtmulLowI16x8S + k);
binary(0xce, B.I64x2Add);
binary(0xd1, B.I64x2Sub);
binary(0xd5, B.I64x2Mul);
for (let k = 0; k < 4; k++) binary(0xdc + k, B.I64x2ExtmulLowI32x4S + k);
// Float shapes: abs neg _ sqrt add sub mul div min max pmin pmax at 0xe0 (f32x4) and 0xec (f64x2).
unary(0xe0, U.F32x4Abs);
unary(0xe1, U.F32x4Neg);
unary(0xe3, U.F32x4Sqrt);
unary(0xec, U.F64x2Abs);
unary(0xed, U.F64x2Neg);
unary(0xef, U.F64x2Sqrt);
for (let k = 0; k < 8; k++) {
  binary(0xe4 + k, B.F32x4Add + k);
  binary(0xf0 + k, B.F64x2Add + k);
}
for (let k = 0; k < 8; k++) unary(0xf8 + k, U.I32x4TruncSatF32x4S + k);
// Relaxed SIMD.
binary(0x100, B.I8x16RelaxedSwizzle);
for (let k = 0; k < 4; k++) unary(0x101 + k, U.I32x4RelaxedTruncF32x4S + k);
for (let k = 0; k < 4; k++) set(0x105 + k, Family.Ternary, V128TernaryKind.F32x4RelaxedMadd + k);
for (let k = 0; k < 4; k++) set(0x109 + k, Family.Ternary, V128TernaryKind.I8x16RelaxedLaneselect + k);
for (let k = 0; k < 4; k++) binary(0x10d + k, B.F32x4RelaxedMin + k);
binary(0x111, B.I16x8RelaxedQ15mulrS);
binary(0x112, B.I16x8RelaxedDotI8x16I7x16S);
set(0x113, Family.Ternary, V128TernaryKind.I32x4RelaxedDotI8x16I7x16AddS);

/** The scalar kind of one lane of each shape, for extract_lane results and splat operands. */
const LANE_KIND: readonly ValueKind[] = [ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I64, ValueKind.F32, ValueKind.F64];

/** Reused by constant splats: the 16 bytes of the resulting v128. */
const splatBytes = new Uint8Array(16);
const splatView = new DataView(splatBytes.buffer);

export function visitSimd(c: BaselineCompiler, op: OperatorInfo, imm: Immediates): boolean {
  const action = ACTIONS[op.code] ?? 0;
  const family = (action & 0xff) as Family;
  const a = (action >> 8) & 0xff;
  const b = action >> 16;
  const masm = c.masm;
  switch (family) {
    case Family.None:
      return false;
    case Family.Load:
    case Family.LoadTransform: {
      checkMemory(c, imm.memIndex);
      const base = popAddress(c, imm.memIndex, imm.memOffset, family === Family.Load ? 16 : V128_LOAD_ACCESS_SIZE[a]!);
      const dst = c.allocReg(RegClass.Float);
      if (family === Family.Load) masm.load(LoadKind.V128, dst, base, c.accessOffset);
      else masm.v128Load(a as V128LoadKind, dst, base, c.accessOffset);
      c.freeReg(base);
      c.pushRegKind(dst, ValueKind.V128);
      return true;
    }
    case Family.Store: {
      checkMemory(c, imm.memIndex);
      const value = c.popToAnyReg(RegClass.Float);
      const base = popAddress(c, imm.memIndex, imm.memOffset, 16);
      masm.store(StoreKind.V128, value, base, c.accessOffset);
      c.freeReg(base);
      c.freeReg(value);
      return true;
    }
    case Family.LoadLane:
    case Family.StoreLane: {
      checkMemory(c, imm.memIndex);
      const bits = a as 8 | 16 | 32 | 64;
      const vector = c.popToAnyReg(RegClass.Float);
      const base = popAddress(c, imm.memIndex, imm.memOffset, bits / 8);
      if (family === Family.LoadLane) masm.v128LoadLane(bits, vector, base, c.accessOffset, imm.lane);
      else masm.v128StoreLane(bits, vector, base, c.accessOffset, imm.lane);
      c.freeReg(base);
      if (family === Family.LoadLane) c.pushRegKind(vector, ValueKind.V128);
      else c.freeReg(vector);
      return true;
    }
    case Family.Const: {
      const dst = c.allocReg(RegClass.Float);
      masm.loadV128Constant(dst, c.bodyBytes, imm.bytesAt);
      c.pushRegKind(dst, ValueKind.V128);
      return true;
    }
    case Family.Shuffle: {
      const rhs = c.popToAnyReg(RegClass.Float);
      const lhs = c.popToAnyReg(RegClass.Float);
      masm.v128Shuffle(lhs, lhs, rhs, c.bodyBytes, imm.bytesAt);
      c.freeReg(rhs);
      c.pushRegKind(lhs, ValueKind.V128);
      return true;
    }
    case Family.Splat:
      splat(c, a as LaneShape);
      return true;
    case Family.ExtractLane: {
      const shape = a as LaneShape;
      const src = c.popToAnyReg(RegClass.Float);
      // A float lane can stay in the vector's register: only its low lane is read from then on.
      const float = shape === F32x4 || shape === F64x2;
      const dst = float ? src : c.allocReg(RegClass.Int);
      masm.v128ExtractLane(shape, b === 1, dst, src, imm.lane);
      if (!float) c.freeReg(src);
      c.pushRegKind(dst, LANE_KIND[shape]!);
      return true;
    }
    case Family.ReplaceLane: {
      const value = c.popReg();
      const vector = c.popToAnyReg(RegClass.Float);
      masm.v128ReplaceLane(a as LaneShape, vector, vector, value, imm.lane);
      c.freeReg(value);
      c.pushRegKind(vector, ValueKind.V128);
      return true;
    }
    case Family.IntCompare:
    case Family.FloatCompare:
    case Family.Binary: {
      const rhs = c.popToAnyReg(RegClass.Float);
      const lhs = c.popToAnyReg(RegClass.Float);
      if (family === Family.Binary) masm.v128Binary(a as V128BinaryKind, lhs, lhs, rhs);
      else if (family === Family.IntCompare) masm.v128IntCompare(a as LaneShape, b as IntCond, lhs, lhs, rhs);
      else masm.v128FloatCompare(a as LaneShape, b as FloatCond, lhs, lhs, rhs);
      c.freeReg(rhs);
      c.pushRegKind(lhs, ValueKind.V128);
      return true;
    }
    case Family.Unary: {
      const reg = c.popToAnyReg(RegClass.Float);
      masm.v128Unary(a as V128UnaryKind, reg, reg);
      c.pushRegKind(reg, ValueKind.V128);
      return true;
    }
    case Family.Ternary:
      masm.v128Ternary(c, a as V128TernaryKind);
      return true;
    case Family.Reduce: {
      const src = c.popToAnyReg(RegClass.Float);
      const dst = c.allocReg(RegClass.Int);
      masm.v128Reduce(a as V128ReduceKind, dst, src);
      c.freeReg(src);
      c.pushRegKind(dst, ValueKind.I32);
      return true;
    }
    case Family.Shift: {
      if (c.topIsConst()) {
        const amount = c.popConst(c.imm2);
        const reg = c.popToAnyReg(RegClass.Float);
        masm.v128Shift(a as LaneShape, b as ShiftKind, reg, reg, amount);
        c.pushRegKind(reg, ValueKind.V128);
        return true;
      }
      const amount = c.popToAnyReg(RegClass.Int);
      const reg = c.popToAnyReg(RegClass.Float);
      masm.v128Shift(a as LaneShape, b as ShiftKind, reg, reg, amount);
      c.freeReg(amount);
      c.pushRegKind(reg, ValueKind.V128);
      return true;
    }
  }
}

/** `*.splat`; a constant operand becomes a v128 constant (one load, or none for 0 and -1). */
function splat(c: BaselineCompiler, shape: LaneShape): void {
  const s = c.stack;
  const top = s.height - 1;
  if (s.loc[top] === Loc.Const) {
    const lo = s.lo[top]!;
    const hi = s.hi[top]!;
    const bits = LANE_BITS[shape]!;
    for (let at = 0; at < 16; at += bits / 8) {
      if (bits === 8) splatView.setUint8(at, lo & 0xff);
      else if (bits === 16) splatView.setUint16(at, lo & 0xffff, true);
      else {
        splatView.setUint32(at, lo >>> 0, true);
        if (bits === 64) splatView.setUint32(at + 4, hi >>> 0, true);
      }
    }
    s.height = top;
    const dst = c.allocReg(RegClass.Float);
    c.masm.loadV128Constant(dst, splatBytes, 0);
    c.pushRegKind(dst, ValueKind.V128);
    return;
  }
  const src = c.popReg();
  const dst = c.allocReg(RegClass.Float);
  c.masm.v128Splat(shape, dst, src);
  c.freeReg(src);
  c.pushRegKind(dst, ValueKind.V128);
}

/** Operator codes this visitor handles (for tests and coverage checks). */
export const SIMD_CODES: readonly number[] = Array.from(ACTIONS.keys()).filter((code) => ACTIONS[code] !== 0);
