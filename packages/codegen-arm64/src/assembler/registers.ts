// A64 register numbers and condition codes.
// Arm ARM (DDI 0487), C1.2.5 "Register names": register number 31 means the stack pointer in some
// operand positions and the zero register in others. C1.2.4 "Condition code".
//
// Number 31 is ambiguous in the hardware encoding, so this assembler gives the two meanings
// different numbers: `zr` is 31 and `sp` is 32. Every operand field states which one it accepts and
// rejects the other, so `add x0, sp, #1` and `add x0, xzr, #1` cannot be confused by accident.
// https://developer.arm.com/documentation/ddi0487

/** General-purpose registers. `x`/`w` is chosen by each instruction's operand size, not here. */
export const Gpr = {
  x0: 0,
  x1: 1,
  x2: 2,
  x3: 3,
  x4: 4,
  x5: 5,
  x6: 6,
  x7: 7,
  x8: 8,
  x9: 9,
  x10: 10,
  x11: 11,
  x12: 12,
  x13: 13,
  x14: 14,
  x15: 15,
  x16: 16,
  x17: 17,
  x18: 18,
  x19: 19,
  x20: 20,
  x21: 21,
  x22: 22,
  x23: 23,
  x24: 24,
  x25: 25,
  x26: 26,
  x27: 27,
  x28: 28,
  x29: 29,
  x30: 30,
  /** Frame pointer (AAPCS64): x29. */
  fp: 29,
  /** Link register, x30: `bl`/`blr` write the return address here. */
  lr: 30,
  /** The zero register: reads as 0, writes are discarded. Encoded as 31. */
  zr: 31,
  /** The stack pointer. Also encoded as 31, in the operand positions that accept it. */
  sp: 32,
} as const;
export type Gpr = number;

/** SIMD and floating-point registers v0..v31 (seen as b/h/s/d/q by the instruction). */
export type Vreg = number;

/** Operand size of an integer instruction: 32 selects the `w` form, 64 the `x` form. */
export type RegSize = 32 | 64;

/** Size of a scalar floating-point operand: 32 is single (`s`), 64 is double (`d`). */
export type FpSize = 32 | 64;

/** Condition codes, by their 4-bit encoding. `hs`/`lo` are the unsigned `cs`/`cc`. */
export const Cond = {
  eq: 0,
  ne: 1,
  hs: 2,
  lo: 3,
  mi: 4,
  pl: 5,
  vs: 6,
  vc: 7,
  hi: 8,
  ls: 9,
  ge: 10,
  lt: 11,
  gt: 12,
  le: 13,
  al: 14,
  nv: 15,
} as const;
export type Cond = (typeof Cond)[keyof typeof Cond];

/** The opposite condition. Flipping bit 0 negates every pair (eq/ne … gt/le). */
export function invertCond(cond: Cond): Cond {
  return (cond ^ 1) as Cond;
}

const COND_NAMES = ['eq', 'ne', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

export function condName(cond: Cond): string {
  return COND_NAMES[cond]!;
}

/** The assembler name of a general-purpose register at `size`, e.g. `x3`, `wzr`, `sp`, `wsp`. */
export function gprName(reg: Gpr, size: RegSize): string {
  const prefix = size === 64 ? 'x' : 'w';
  if (reg === Gpr.sp) return size === 64 ? 'sp' : 'wsp';
  if (reg === Gpr.zr) return `${prefix}zr`;
  return `${prefix}${reg}`;
}

/** The assembler name of a vector register seen as a scalar of `bits` (8 `b`, 16 `h`, 32 `s`, 64 `d`, 128 `q`). */
export function vregName(reg: Vreg, bits: 8 | 16 | 32 | 64 | 128): string {
  const prefix = bits === 8 ? 'b' : bits === 16 ? 'h' : bits === 32 ? 's' : bits === 64 ? 'd' : 'q';
  return `${prefix}${reg}`;
}
