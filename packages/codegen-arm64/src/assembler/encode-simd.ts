// Advanced SIMD (NEON) vector encodings: the instruction classes of Arm ARM C4.1.96 "Data
// Processing -- Scalar Floating-Point and Advanced SIMD" that Wasm's v128 needs, each as one
// table of operations and one encoder:
//   three same (C4-371), three different (C4-370), two-register miscellaneous (C4-368),
//   across lanes (C4-369), shift by immediate (C4-375), modified immediate (C4-374),
//   copy (C4-366), permute (C4-362), extract (C4-363), table lookup (C4-361),
//   scalar pairwise (C4-378), scalar copy (C4-376),
// and C4.1.94 "Advanced SIMD load/store single structure" for lane loads, lane stores and ld1r.
// https://developer.arm.com/documentation/ddi0487

import { invalidOperand } from './errors.ts';
import { rs, uimm, vr } from './fields.ts';
import type { Gpr, Vreg } from './registers.ts';

/**
 * A vector arrangement: element size and count, encoded as `size << 1 | Q` (size 0 = bytes …
 * 3 = doublewords; Q = 128-bit register).
 */
export const Arrangement = { B8: 0, B16: 1, H4: 2, H8: 3, S2: 4, S4: 5, D1: 6, D2: 7 } as const;
export type Arrangement = (typeof Arrangement)[keyof typeof Arrangement];

const ARRANGEMENT_NAMES = ['8b', '16b', '4h', '8h', '2s', '4s', '1d', '2d'];
/** The arrangement as assemblers write it after a register: `16b`, `4s`, … */
export const arrangementName = (arr: Arrangement): string => ARRANGEMENT_NAMES[arr]!;
/** log2 of the element size in bytes (the `size` field). */
export const elementSizeOf = (arr: Arrangement): number => arr >> 1;
/** 1 for the 128-bit arrangements. */
export const qOf = (arr: Arrangement): number => arr & 1;

function arrangement(arr: Arrangement, what: string): Arrangement {
  if (Number.isInteger(arr) && arr >= 0 && arr <= 7) return arr;
  throw invalidOperand(`${what}: ${String(arr)} is not a vector arrangement`);
}

/** Element width of a lane operation in bits. */
export type LaneBits = 8 | 16 | 32 | 64;

function laneSize(bits: LaneBits, what: string): number {
  switch (bits) {
    case 8:
      return 0;
    case 16:
      return 1;
    case 32:
      return 2;
    case 64:
      return 3;
  }
  throw invalidOperand(`${what}: lane width must be 8, 16, 32 or 64, got ${String(bits)}`);
}

function laneIndex(bits: LaneBits, index: number, what: string): number {
  return uimm(index, 128 / bits - 1, `${what} lane index`);
}

// --- three same --------------------------------------------------------------------------------

// An op packs U << 5 | opcode, plus a size rule: the arrangement's size (integer ops), a fixed
// size (bitwise ops, bits 6-7 with bit 8 set) or a float op (bit 9 set, bit 10 = size<1>).
const FIXED = 1 << 8;
const FLOAT = 1 << 9;
const same = (u: number, opcode: number): number => (u << 5) | opcode;
const logic = (u: number, size: number): number => (u << 5) | 0b00011 | (size << 6) | FIXED;
const fsame = (u: number, a: number, opcode: number): number => (u << 5) | opcode | FLOAT | (a << 10);

/** Three-same operations: `op vd.T, vn.T, vm.T`. */
export const VecOp = {
  add: same(0, 0b10000),
  sub: same(1, 0b10000),
  /** Not for 2D. */
  mul: same(0, 0b10011),
  sqadd: same(0, 0b00001),
  uqadd: same(1, 0b00001),
  sqsub: same(0, 0b00101),
  uqsub: same(1, 0b00101),
  smax: same(0, 0b01100),
  umax: same(1, 0b01100),
  smin: same(0, 0b01101),
  umin: same(1, 0b01101),
  urhadd: same(1, 0b00010),
  cmeq: same(1, 0b10001),
  cmgt: same(0, 0b00110),
  cmge: same(0, 0b00111),
  cmhi: same(1, 0b00110),
  cmhs: same(1, 0b00111),
  cmtst: same(0, 0b10001),
  /** Shift by a signed per-lane count: left when positive, right (arithmetic) when negative. */
  sshl: same(0, 0b01000),
  /** Shift by a signed per-lane count: left when positive, right (logical) when negative. */
  ushl: same(1, 0b01000),
  addp: same(0, 0b10111),
  umaxp: same(1, 0b10100),
  uminp: same(1, 0b10101),
  /** 4H/8H/2S/4S: saturating rounding doubling multiply, high half (Wasm's q15mulr_sat_s). */
  sqrdmulh: same(1, 0b10110),
  and: logic(0, 0),
  bic: logic(0, 1),
  orr: logic(0, 2),
  orn: logic(0, 3),
  eor: logic(1, 0),
  /** vd = (vd & vn) | (~vd & vm): vd holds the mask. */
  bsl: logic(1, 1),
  /** vd = (vn & vm) | (vd & ~vm): insert vn where vm is set. */
  bit: logic(1, 2),
  /** vd = (vd & vm) | (vn & ~vm): insert vn where vm is clear. */
  bif: logic(1, 3),
  fadd: fsame(0, 0, 0b11010),
  fsub: fsame(0, 1, 0b11010),
  fmul: fsame(1, 0, 0b11011),
  fdiv: fsame(1, 0, 0b11111),
  /** NaN-propagating, -0 below +0: Wasm's fmax. */
  fmax: fsame(0, 0, 0b11110),
  fmin: fsame(0, 1, 0b11110),
  fcmeq: fsame(0, 0, 0b11100),
  fcmge: fsame(1, 0, 0b11100),
  fcmgt: fsame(1, 1, 0b11100),
  /** vd += vn * vm, fused. */
  fmla: fsame(0, 0, 0b11001),
  /** vd -= vn * vm, fused. */
  fmls: fsame(0, 1, 0b11001),
} as const;
export type VecOp = (typeof VecOp)[keyof typeof VecOp];

export const isBitwiseOp = (op: number): boolean => (op & FIXED) !== 0;
export const isFloatOp = (op: number): boolean => (op & FLOAT) !== 0;

/** The float arrangements 2S, 4S and 2D give `sz` = 0, 0, 1. */
function floatSz(arr: Arrangement, what: string): number {
  if (arr === Arrangement.S2 || arr === Arrangement.S4) return 0;
  if (arr === Arrangement.D2) return 1;
  throw invalidOperand(`${what}: float arrangement must be 2s, 4s or 2d, got ${arrangementName(arr)}`);
}

/** The `size` field of an op given its size rule and the arrangement. */
function sizeField(op: number, arr: Arrangement, what: string): number {
  if ((op & FIXED) !== 0) {
    if (elementSizeOf(arr) !== 0) throw invalidOperand(`${what}: bitwise operations take 8b or 16b, got ${arrangementName(arr)}`);
    return (op >> 6) & 3;
  }
  if ((op & FLOAT) !== 0) return (((op >> 10) & 1) << 1) | floatSz(arr, what);
  if (arr === Arrangement.D1) throw invalidOperand(`${what}: 1d is not a vector arrangement of this class`);
  return elementSizeOf(arr);
}

export function encVec3Same(op: VecOp, arr: Arrangement, vd: Vreg, vn: Vreg, vm: Vreg): number {
  arrangement(arr, 'three same');
  const size = sizeField(op, arr, 'three same');
  return (
    (0x0e200400 |
      (qOf(arr) << 30) |
      (((op >> 5) & 1) << 29) |
      (size << 22) |
      (vr(vm, 'second source') << 16) |
      ((op & 31) << 11) |
      (vr(vn, 'first source') << 5) |
      vr(vd, 'destination')) >>>
    0
  );
}

// --- three different -----------------------------------------------------------------------------

/** Long operations: `op vd.Tw, vn.Tn, vm.Tn`, the `2` forms reading the high halves. U << 4 | opcode. */
export const VecLongOp = {
  smull: (0 << 4) | 0b1100,
  umull: (1 << 4) | 0b1100,
  smlal: (0 << 4) | 0b1000,
  umlal: (1 << 4) | 0b1000,
  saddl: (0 << 4) | 0b0000,
  uaddl: (1 << 4) | 0b0000,
} as const;
export type VecLongOp = (typeof VecLongOp)[keyof typeof VecLongOp];

/** `src` is the narrow sources' arrangement (8B/4H/2S, or 16B/8H/4S for the `2` form). */
export function encVec3Different(op: VecLongOp, src: Arrangement, vd: Vreg, vn: Vreg, vm: Vreg): number {
  arrangement(src, 'three different');
  if (elementSizeOf(src) === 3) throw invalidOperand('three different: sources must be bytes, halfwords or words');
  return (
    (0x0e200000 |
      (qOf(src) << 30) |
      ((op >> 4) << 29) |
      (elementSizeOf(src) << 22) |
      (vr(vm, 'second source') << 16) |
      ((op & 15) << 12) |
      (vr(vn, 'first source') << 5) |
      vr(vd, 'destination')) >>>
    0
  );
}

// --- two-register miscellaneous ------------------------------------------------------------------

const misc = (u: number, opcode: number): number => (u << 5) | opcode;
const fmisc = (u: number, a: number, opcode: number): number => (u << 5) | opcode | FLOAT | (a << 10);
const miscFixed = (u: number, opcode: number, size: number): number => (u << 5) | opcode | FIXED | (size << 6);

/** Two-register operations of one arrangement: `op vd.T, vn.T` (compares against zero add `#0`). */
export const VecMiscOp = {
  rev64: misc(0, 0b00000),
  /** 8B/16B only. */
  cnt: miscFixed(0, 0b00101, 0),
  /** `mvn`: 8B/16B only. */
  not: miscFixed(1, 0b00101, 0),
  abs: misc(0, 0b01011),
  neg: misc(1, 0b01011),
  cmgt0: misc(0, 0b01000),
  cmeq0: misc(0, 0b01001),
  cmlt0: misc(0, 0b01010),
  cmge0: misc(1, 0b01000),
  cmle0: misc(1, 0b01001),
  fabs: fmisc(0, 1, 0b01111),
  fneg: fmisc(1, 1, 0b01111),
  fsqrt: fmisc(1, 1, 0b11111),
  /** Round to nearest, ties to even. */
  frintn: fmisc(0, 0, 0b11000),
  /** Round toward -∞. */
  frintm: fmisc(0, 0, 0b11001),
  /** Round toward +∞. */
  frintp: fmisc(0, 1, 0b11000),
  /** Round toward zero. */
  frintz: fmisc(0, 1, 0b11001),
  /** Saturating, NaN → 0: Wasm's trunc_sat. */
  fcvtzs: fmisc(0, 1, 0b11011),
  fcvtzu: fmisc(1, 1, 0b11011),
  scvtf: fmisc(0, 0, 0b11101),
  ucvtf: fmisc(1, 0, 0b11101),
} as const;
export type VecMiscOp = (typeof VecMiscOp)[keyof typeof VecMiscOp];

export function encVec2Misc(op: VecMiscOp, arr: Arrangement, vd: Vreg, vn: Vreg): number {
  arrangement(arr, 'two-register misc');
  const size = sizeField(op, arr, 'two-register misc');
  return (0x0e200800 | (qOf(arr) << 30) | (((op >> 5) & 1) << 29) | (size << 22) | ((op & 31) << 12) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

/**
 * Narrowing operations `op vd.Tn, vn.Tw` (the `2` forms write the high half and keep the low):
 * `dst` is the narrow destination's arrangement, 8B/4H/2S or 16B/8H/4S for the `2` form.
 */
export const VecNarrowOp = {
  xtn: misc(0, 0b10010),
  sqxtn: misc(0, 0b10100),
  uqxtn: misc(1, 0b10100),
  /** Signed source, unsigned saturation. */
  sqxtun: misc(1, 0b10010),
} as const;
export type VecNarrowOp = (typeof VecNarrowOp)[keyof typeof VecNarrowOp];

export function encVecNarrow(op: VecNarrowOp, dst: Arrangement, vd: Vreg, vn: Vreg): number {
  arrangement(dst, 'narrow');
  if (elementSizeOf(dst) === 3) throw invalidOperand('narrow: the destination must be bytes, halfwords or words');
  return (0x0e200800 | (qOf(dst) << 30) | ((op >> 5) << 29) | (elementSizeOf(dst) << 22) | ((op & 31) << 12) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

/**
 * Pairwise long additions and `shll`: `op vd.Tw, vn.Tn` with the source arrangement in the
 * encoding (`saddlp v0.8h, v1.16b`; `shll v0.2d, v1.2s, #32` shifts by the element width).
 */
export const VecWidenOp = {
  saddlp: misc(0, 0b00010),
  uaddlp: misc(1, 0b00010),
  shll: misc(1, 0b10011),
} as const;
export type VecWidenOp = (typeof VecWidenOp)[keyof typeof VecWidenOp];

export function encVecWiden(op: VecWidenOp, src: Arrangement, vd: Vreg, vn: Vreg): number {
  arrangement(src, 'widen');
  if (elementSizeOf(src) === 3) throw invalidOperand('widen: the source must be bytes, halfwords or words');
  return (0x0e200800 | (qOf(src) << 30) | ((op >> 5) << 29) | (elementSizeOf(src) << 22) | ((op & 31) << 12) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

/** `fcvtn vd.2S/4S, vn.2D` (f64 → f32; `fcvtn2` with Q) and `fcvtl vd.2D, vn.2S/4S` (f32 → f64). */
export function encFcvtn(high: boolean, vd: Vreg, vn: Vreg): number {
  return (0x0e616800 | (high ? 1 << 30 : 0) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}
export function encFcvtl(high: boolean, vd: Vreg, vn: Vreg): number {
  return (0x0e617800 | (high ? 1 << 30 : 0) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

// --- across lanes ----------------------------------------------------------------------------------

/** Reductions `op <scalar>d, vn.T`: the result is a scalar of the element size (saddlv/uaddlv: twice it). */
export const VecAcrossOp = {
  addv: (0 << 5) | 0b11011,
  uminv: (1 << 5) | 0b11010,
  umaxv: (1 << 5) | 0b01010,
  sminv: (0 << 5) | 0b11010,
  smaxv: (0 << 5) | 0b01010,
  saddlv: (0 << 5) | 0b00011,
  uaddlv: (1 << 5) | 0b00011,
} as const;
export type VecAcrossOp = (typeof VecAcrossOp)[keyof typeof VecAcrossOp];

export function encVecAcross(op: VecAcrossOp, arr: Arrangement, vd: Vreg, vn: Vreg): number {
  arrangement(arr, 'across lanes');
  if (elementSizeOf(arr) === 3 || arr === Arrangement.S2) throw invalidOperand(`across lanes: ${arrangementName(arr)} is not reducible`);
  return (0x0e300800 | (qOf(arr) << 30) | ((op >> 5) << 29) | (elementSizeOf(arr) << 22) | ((op & 31) << 12) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

// --- shift by immediate ----------------------------------------------------------------------------

/**
 * Shifts by a constant: `sshr`/`ushr` (1..element bits), `shl` (0..element bits - 1), and the
 * widening `sshll`/`ushll` (0..source element bits - 1, source arrangement given; `sxtl`/`uxtl`
 * are these with shift 0). U << 5 | opcode, bit 6 marks the right shifts (immh:immb = 2·esize - n).
 */
const RIGHT = 1 << 6;
const WIDEN = 1 << 7;
export const VecShiftOp = {
  sshr: (0 << 5) | 0b00000 | RIGHT,
  ushr: (1 << 5) | 0b00000 | RIGHT,
  shl: (0 << 5) | 0b01010,
  sshll: (0 << 5) | 0b10100 | WIDEN,
  ushll: (1 << 5) | 0b10100 | WIDEN,
} as const;
export type VecShiftOp = (typeof VecShiftOp)[keyof typeof VecShiftOp];

export function encVecShiftImm(op: VecShiftOp, arr: Arrangement, vd: Vreg, vn: Vreg, shift: number): number {
  arrangement(arr, 'shift by immediate');
  const esize = 8 << elementSizeOf(arr);
  if (arr === Arrangement.D1) throw invalidOperand('shift by immediate: 1d is a scalar arrangement');
  if ((op & WIDEN) !== 0 && esize === 64) throw invalidOperand('shift by immediate: widening shifts take bytes, halfwords or words');
  let immhb: number;
  if ((op & RIGHT) !== 0) {
    if (!(Number.isInteger(shift) && shift >= 1 && shift <= esize)) throw invalidOperand(`shift by immediate: right shift ${shift} outside 1..${esize}`);
    immhb = 2 * esize - shift;
  } else {
    if (!(Number.isInteger(shift) && shift >= 0 && shift < esize)) throw invalidOperand(`shift by immediate: left shift ${shift} outside 0..${esize - 1}`);
    immhb = esize + shift;
  }
  return (0x0f000400 | (qOf(arr) << 30) | (((op >> 5) & 1) << 29) | (immhb << 16) | ((op & 31) << 11) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

// --- modified immediate ----------------------------------------------------------------------------

/** `movi vd.8B/16B, #imm8`: every byte set to imm8. */
export function encMoviBytes(q: boolean, vd: Vreg, imm8: number): number {
  const v = uimm(imm8, 255, 'movi immediate');
  return (0x0f00e400 | (q ? 1 << 30 : 0) | ((v >> 5) << 16) | ((v & 31) << 5) | vr(vd, 'destination')) >>> 0;
}

/** `movi vd.2D, #imm`: each of the eight bytes of both lanes 0x00 or 0xff, bit i of `byteMask` for byte i. */
export function encMovi2D(vd: Vreg, byteMask: number): number {
  const v = uimm(byteMask, 255, 'movi byte mask');
  return (0x6f00e400 | ((v >> 5) << 16) | ((v & 31) << 5) | vr(vd, 'destination')) >>> 0;
}

// --- copy ------------------------------------------------------------------------------------------

/** imm5 of a lane: the element size's marker bit and the index above it. */
function imm5(bits: LaneBits, index: number, what: string): number {
  const size = laneSize(bits, what);
  return ((laneIndex(bits, index, what) << (size + 1)) | (1 << size)) & 31;
}

/** `dup vd.T, vn.Ts[index]`: every lane ← one lane. */
export function encDupElement(arr: Arrangement, vd: Vreg, vn: Vreg, index: number): number {
  arrangement(arr, 'dup');
  if (arr === Arrangement.D1) throw invalidOperand('dup: 1d is not a vector arrangement');
  const bits = (8 << elementSizeOf(arr)) as LaneBits;
  return (0x0e000400 | (qOf(arr) << 30) | (imm5(bits, index, 'dup') << 16) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

/** `dup vd.T, wn/xn`: every lane ← a general register (x for 2D). */
export function encDupGeneral(arr: Arrangement, vd: Vreg, rn: Gpr): number {
  arrangement(arr, 'dup');
  if (arr === Arrangement.D1) throw invalidOperand('dup: 1d is not a vector arrangement');
  const bits = (8 << elementSizeOf(arr)) as LaneBits;
  return (0x0e000c00 | (qOf(arr) << 30) | (imm5(bits, 0, 'dup') << 16) | (rzGeneral(rn) << 5) | vr(vd, 'destination')) >>> 0;
}

/** `ins vd.Ts[index], wn/xn` (`mov`): one lane ← a general register. */
export function encInsGeneral(bits: LaneBits, vd: Vreg, index: number, rn: Gpr): number {
  return (0x4e001c00 | (imm5(bits, index, 'ins') << 16) | (rzGeneral(rn) << 5) | vr(vd, 'destination')) >>> 0;
}

/** `ins vd.Ts[dIndex], vn.Ts[sIndex]` (`mov`): one lane ← one lane of another register. */
export function encInsElement(bits: LaneBits, vd: Vreg, dIndex: number, vn: Vreg, sIndex: number): number {
  const size = laneSize(bits, 'ins');
  const imm4 = laneIndex(bits, sIndex, 'ins source') << size;
  return (0x6e000400 | (imm5(bits, dIndex, 'ins') << 16) | (imm4 << 11) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

/** `umov wd/xd, vn.Ts[index]` (x only for D lanes): zero-extended lane. */
export function encUmov(bits: LaneBits, rd: Gpr, vn: Vreg, index: number): number {
  const q = bits === 64 ? 1 << 30 : 0;
  return (0x0e003c00 | q | (imm5(bits, index, 'umov') << 16) | (vr(vn, 'source') << 5) | rzGeneral(rd)) >>> 0;
}

/** `smov wd/xd, vn.Ts[index]` (B or H lanes to w or x, S lanes to x): sign-extended lane. */
export function encSmov(size: 32 | 64, bits: LaneBits, rd: Gpr, vn: Vreg, index: number): number {
  if (bits === 64 || (bits === 32 && size === 32)) throw invalidOperand(`smov: a ${bits}-bit lane cannot sign-extend into ${size} bits`);
  return (0x0e002c00 | (size === 64 ? 1 << 30 : 0) | (imm5(bits, index, 'smov') << 16) | (vr(vn, 'source') << 5) | rzGeneral(rd)) >>> 0;
}

/** `dup <scalar>d, vn.Ts[index]` (`mov`): the scalar register of the lane's size ← one lane, rest zeroed. */
export function encDupScalar(bits: LaneBits, vd: Vreg, vn: Vreg, index: number): number {
  return (0x5e000400 | (imm5(bits, index, 'dup') << 16) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

/** General register operand where 31 is the zero register (rz), as the copy class reads it. */
function rzGeneral(reg: Gpr): number {
  if (Number.isInteger(reg) && reg >= 0 && reg <= 31) return reg;
  throw invalidOperand(`${String(reg)} is not a general-purpose register operand (x0..x30, zr)`);
}

// --- permute, extract, table lookup ----------------------------------------------------------------

export const VecPermuteOp = { uzp1: 1, trn1: 2, zip1: 3, uzp2: 5, trn2: 6, zip2: 7 } as const;
export type VecPermuteOp = (typeof VecPermuteOp)[keyof typeof VecPermuteOp];

export function encVecPermute(op: VecPermuteOp, arr: Arrangement, vd: Vreg, vn: Vreg, vm: Vreg): number {
  arrangement(arr, 'permute');
  if (arr === Arrangement.D1) throw invalidOperand('permute: 1d is not a vector arrangement');
  return (
    (0x0e000800 | (qOf(arr) << 30) | (elementSizeOf(arr) << 22) | (vr(vm, 'second source') << 16) | (op << 12) | (vr(vn, 'first source') << 5) | vr(vd, 'destination')) >>>
    0
  );
}

/** `ext vd.16B, vn.16B, vm.16B, #index`: bytes index.. of the pair vm:vn (8B with index < 8). */
export function encExt(q: boolean, vd: Vreg, vn: Vreg, vm: Vreg, index: number): number {
  const i = uimm(index, q ? 15 : 7, 'ext index');
  return (0x2e000000 | (q ? 1 << 30 : 0) | (vr(vm, 'second source') << 16) | (i << 11) | (vr(vn, 'first source') << 5) | vr(vd, 'destination')) >>> 0;
}

/**
 * `tbl vd.16B, {vn.16B … vn+count-1.16B}, vm.16B`: each byte of vm indexes the table of `count`
 * consecutive registers (wrapping after v31); indices past the table give 0 (`tbx`: keep vd).
 */
export function encTbl(extend: boolean, q: boolean, vd: Vreg, vn: Vreg, count: number, vm: Vreg): number {
  const len = uimm(count - 1, 3, 'table register count - 1');
  return (
    (0x0e000000 | (q ? 1 << 30 : 0) | (vr(vm, 'indices') << 16) | (len << 13) | (extend ? 1 << 12 : 0) | (vr(vn, 'table') << 5) | vr(vd, 'destination')) >>> 0
  );
}

// --- scalar pairwise -------------------------------------------------------------------------------

/** `addp dd, vn.2D`: the sum of both 64-bit lanes. */
export function encAddpScalar(vd: Vreg, vn: Vreg): number {
  return (0x5ef1b800 | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

// --- load/store single structure -------------------------------------------------------------------

/** `ld1 {vt.Ts}[index], [xn]` / `st1 …`: one lane from or to memory; the rest of vt is kept. */
export function encLaneLoadStore(load: boolean, bits: LaneBits, vt: Vreg, index: number, rn: Gpr): number {
  const size = laneSize(bits, 'ld1/st1');
  const i = laneIndex(bits, index, 'ld1/st1');
  // Q:S:size hold the index above the element size; opcode selects b (000), h (010), s/d (100).
  let q: number;
  let s: number;
  let sizeBits: number;
  let opcode: number;
  switch (size) {
    case 0:
      [q, s, sizeBits, opcode] = [i >> 3, (i >> 2) & 1, i & 3, 0b000];
      break;
    case 1:
      [q, s, sizeBits, opcode] = [i >> 2, (i >> 1) & 1, (i & 1) << 1, 0b010];
      break;
    case 2:
      [q, s, sizeBits, opcode] = [i >> 1, i & 1, 0b00, 0b100];
      break;
    default:
      [q, s, sizeBits, opcode] = [i, 0, 0b01, 0b100];
  }
  return (
    ((load ? 0x0d400000 : 0x0d000000) | (q << 30) | (opcode << 13) | (s << 12) | (sizeBits << 10) | (rs(rn, 'ld1/st1 base') << 5) | vr(vt, 'ld1/st1 register')) >>> 0
  );
}

/** `ld1r {vt.T}, [xn]`: load one element and replicate it to every lane. */
export function encLd1r(arr: Arrangement, vt: Vreg, rn: Gpr): number {
  arrangement(arr, 'ld1r');
  return (0x0d40c000 | (qOf(arr) << 30) | (elementSizeOf(arr) << 10) | (rs(rn, 'ld1r base') << 5) | vr(vt, 'ld1r register')) >>> 0;
}
