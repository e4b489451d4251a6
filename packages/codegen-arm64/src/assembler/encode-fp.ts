// Scalar floating-point and the few SIMD encodings the backend needs (cnt/addv for popcount).
// Arm ARM (DDI 0487) C4.1.96 "Data Processing -- Scalar Floating-Point and Advanced SIMD":
// floating-point data-processing (1 and 2 source), compare, conditional select, immediate,
// conversion between floating-point and integer; C7.2 "CNT", "ADDV".
// https://developer.arm.com/documentation/ddi0487

import { invalidOperand } from './errors.ts';
import { ftype, rz, sf, uimm, vr } from './fields.ts';
import { encodeFpImmediate } from './immediates.ts';
import type { Cond, FpSize, RegSize, Vreg } from './registers.ts';

/** Floating-point data-processing (2 source): opcode at bits 12-15. */
export const FpBinary = { fmul: 0, fdiv: 1, fadd: 2, fsub: 3, fmax: 4, fmin: 5, fmaxnm: 6, fminnm: 7, fnmul: 8 } as const;
export type FpBinary = (typeof FpBinary)[keyof typeof FpBinary];

export function encFpBinary(op: FpBinary, size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): number {
  const opcode = uimm(op, 8, 'fp binary opcode');
  return (0x1e200800 | ftype(size, 'fp binary') | (vr(vm, 'second source') << 16) | (opcode << 12) | (vr(vn, 'first source') << 5) | vr(vd, 'destination')) >>> 0;
}

/**
 * Floating-point data-processing (1 source): opcode at bits 15-20. The fcvt entries name the
 * destination precision; the source precision is the instruction's `size`.
 */
export const FpUnary = {
  fmov: 0,
  fabs: 1,
  fneg: 2,
  fsqrt: 3,
  fcvtToS: 4,
  fcvtToD: 5,
  frintn: 8,
  frintp: 9,
  frintm: 10,
  frintz: 11,
  frinta: 12,
  frintx: 14,
  frinti: 15,
} as const;
export type FpUnary = (typeof FpUnary)[keyof typeof FpUnary];

export function encFpUnary(op: FpUnary, size: FpSize, vd: Vreg, vn: Vreg): number {
  const opcode = uimm(op, 15, 'fp unary opcode');
  if (opcode === 6 || opcode === 7 || opcode === 13) throw invalidOperand(`fp unary opcode ${opcode} is not supported`);
  if ((op === FpUnary.fcvtToS && size === 32) || (op === FpUnary.fcvtToD && size === 64)) {
    throw invalidOperand('fcvt: source and destination precision must differ');
  }
  return (0x1e204000 | ftype(size, 'fp unary') | (opcode << 15) | (vr(vn, 'source') << 5) | vr(vd, 'destination')) >>> 0;
}

/** FCMP (or FCMPE with `signaling`) of vn with vm, or with +0.0 when `vm` is null. */
export function encFpCompare(size: FpSize, vn: Vreg, vm: Vreg | null, signaling: boolean): number {
  const m = vm === null ? 0 : vr(vm, 'fcmp second source');
  const opc = (vm === null ? 0x08 : 0) | (signaling ? 0x10 : 0);
  return (0x1e202000 | ftype(size, 'fcmp') | (m << 16) | (vr(vn, 'fcmp first source') << 5) | opc) >>> 0;
}

export function encFpCondSelect(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg, cond: Cond): number {
  return (
    (0x1e200c00 |
      ftype(size, 'fcsel') |
      (vr(vm, 'fcsel second source') << 16) |
      (uimm(cond, 15, 'fcsel condition') << 12) |
      (vr(vn, 'fcsel first source') << 5) |
      vr(vd, 'fcsel destination')) >>>
    0
  );
}

/** FMOV (scalar, immediate); throws when `value` is not an encodable FP immediate. */
export function encFpMoveImm(size: FpSize, vd: Vreg, value: number): number {
  const imm8 = encodeFpImmediate(value, size);
  if (imm8 === null) throw invalidOperand(`fmov: ${String(value)} is not encodable as an 8-bit floating-point immediate`);
  return (0x1e201000 | ftype(size, 'fmov immediate') | (imm8 << 13) | vr(vd, 'fmov destination')) >>> 0;
}

/** Conversions between FP and integer registers: rmode (bits 19-20) and opcode (bits 16-18). */
export const FpIntOp = {
  /** Float to signed integer, rounding toward zero; saturates and maps NaN to 0. */
  fcvtzs: 0x180000,
  /** Float to unsigned integer, rounding toward zero; saturates and maps NaN to 0. */
  fcvtzu: 0x190000,
  scvtf: 0x020000,
  ucvtf: 0x030000,
  /** Bit copy FP -> general register. */
  fmovToGpr: 0x060000,
  /** Bit copy general register -> FP. */
  fmovFromGpr: 0x070000,
} as const;
export type FpIntOp = (typeof FpIntOp)[keyof typeof FpIntOp];

/**
 * One FP<->integer conversion. `intSize` is the general register's size, `fpSize` the FP one's;
 * for the fmov bit copies they must be equal (w<->s, x<->d). `rd` and `rn` are a general or a
 * vector register depending on the direction.
 */
export function encFpInt(op: FpIntOp, intSize: RegSize, fpSize: FpSize, rd: number, rn: number): number {
  const toGpr = op === FpIntOp.fcvtzs || op === FpIntOp.fcvtzu || op === FpIntOp.fmovToGpr;
  if ((op === FpIntOp.fmovToGpr || op === FpIntOp.fmovFromGpr) && intSize !== fpSize) {
    throw invalidOperand('fmov between general and FP registers copies w<->s or x<->d: sizes must match');
  }
  const d = toGpr ? rz(rd, 'conversion destination') : vr(rd, 'conversion destination');
  const n = toGpr ? vr(rn, 'conversion source') : rz(rn, 'conversion source');
  return (sf(intSize, 'fp/integer conversion') | 0x1e200000 | ftype(fpSize, 'fp/integer conversion') | op | (n << 5) | d) >>> 0;
}

/** CNT Vd.8B, Vn.8B: population count of each byte. */
export function encCnt8B(vd: Vreg, vn: Vreg): number {
  return (0x0e205800 | (vr(vn, 'cnt source') << 5) | vr(vd, 'cnt destination')) >>> 0;
}

/** ADDV Bd, Vn.8B: sum of the eight bytes into the low byte of vd. */
export function encAddv8B(vd: Vreg, vn: Vreg): number {
  return (0x0e31b800 | (vr(vn, 'addv source') << 5) | vr(vd, 'addv destination')) >>> 0;
}
