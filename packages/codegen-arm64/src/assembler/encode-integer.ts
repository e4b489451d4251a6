// Integer data-processing encodings: each function checks its operands and returns the 32-bit
// instruction word. Arm ARM (DDI 0487) C4.1.92 "Data Processing -- Immediate" and C4.1.95
// "Data Processing -- Register" (add/sub, logical, move wide, bitfield, extract, 1/2/3-source,
// conditional select and compare).
// https://developer.arm.com/documentation/ddi0487

import { invalidOperand } from './errors.ts';
import { rs, rz, sf, uimm } from './fields.ts';
import { encodeLogicalImmediateHalves, splitHigh, splitLow, splitValue } from './immediates.ts';
import type { Cond, Gpr, RegSize } from './registers.ts';

/** Shift applied to the last register of a shifted-register form. `ror` is valid for logical ops only. */
export const Shift = { lsl: 0, lsr: 1, asr: 2, ror: 3 } as const;
export type Shift = (typeof Shift)[keyof typeof Shift];

/** Extension applied to the last register of an extended-register form (and register-offset addressing). */
export const Extend = { uxtb: 0, uxth: 1, uxtw: 2, uxtx: 3, sxtb: 4, sxth: 5, sxtw: 6, sxtx: 7 } as const;
export type Extend = (typeof Extend)[keyof typeof Extend];

/** add / adds / sub / subs: `op` is bit 30 (subtract) and bit 29 (set flags) of the encoding. */
export const AddSubOp = { add: 0, adds: 0x20000000, sub: 0x40000000, subs: 0x60000000 } as const;
export type AddSubOp = (typeof AddSubOp)[keyof typeof AddSubOp];

/** Logical operations: `opc` at bits 29-30 with the N (invert) bit 21 of the shifted-register form. */
export const LogicalOp = {
  and: 0,
  bic: 0x00200000,
  orr: 0x20000000,
  orn: 0x20200000,
  eor: 0x40000000,
  eon: 0x40200000,
  ands: 0x60000000,
  bics: 0x60200000,
} as const;
export type LogicalOp = (typeof LogicalOp)[keyof typeof LogicalOp];

const NAME = 'add/sub';

function setsFlags(op: AddSubOp): boolean {
  return (op & 0x20000000) !== 0;
}

/** ADD/SUB (immediate): `imm` is 0..4095, or a multiple of 4096 up to 0xfff000 (encoded with LSL #12). */
export function encAddSubImm(op: AddSubOp, size: RegSize, rd: Gpr, rn: Gpr, imm: number): number {
  const d = setsFlags(op) ? rz(rd, 'add/sub (immediate) destination') : rs(rd, 'add/sub (immediate) destination');
  const n = rs(rn, 'add/sub (immediate) source');
  let field: number;
  if (Number.isInteger(imm) && imm >= 0 && imm <= 0xfff) field = imm << 10;
  else if (Number.isInteger(imm) && imm > 0 && imm <= 0xfff000 && (imm & 0xfff) === 0) field = (1 << 22) | ((imm >>> 12) << 10);
  else throw invalidOperand('add/sub (immediate): ${String(imm)} is not a 12-bit immediate, optionally shifted by 12');
  return (sf(size, NAME) | op | 0x11000000 | field | (n << 5) | d) >>> 0;
}

/** ADD/SUB (shifted register). The zero register is valid in every position; sp in none. */
export function encAddSubShifted(op: AddSubOp, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): number {
  if (shift === Shift.ror || !(shift >>> 0 <= 3)) throw invalidOperand('add/sub (shifted register): shift must be lsl, lsr or asr');
  const a = uimm(amount, size - 1, 'add/sub shift amount');
  return (
    (sf(size, NAME) |
      op |
      0x0b000000 |
      (shift << 22) |
      (rz(rm, 'add/sub second source') << 16) |
      (a << 10) |
      (rz(rn, 'add/sub first source') << 5) |
      rz(rd, 'add/sub destination')) >>>
    0
  );
}

/** ADD/SUB (extended register): `rn` and (without flags) `rd` may be sp; `amount` is 0..4. */
export function encAddSubExtended(op: AddSubOp, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, extend: Extend, amount: number): number {
  const d = setsFlags(op) ? rz(rd, 'add/sub (extended register) destination') : rs(rd, 'add/sub (extended register) destination');
  const option = uimm(extend, 7, 'add/sub extend');
  const a = uimm(amount, 4, 'add/sub extend shift amount');
  return (
    (sf(size, NAME) |
      op |
      0x0b200000 |
      (rz(rm, 'add/sub second source') << 16) |
      (option << 13) |
      (a << 10) |
      (rs(rn, 'add/sub first source') << 5) |
      d) >>>
    0
  );
}

/** Logical (shifted register): and/bic/orr/orn/eor/eon/ands/bics with any shift including ror. */
export function encLogicalShifted(op: LogicalOp, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): number {
  if (!(shift >>> 0 <= 3)) throw invalidOperand('logical (shifted register): invalid shift');
  const a = uimm(amount, size - 1, 'logical shift amount');
  return (
    (sf(size, 'logical') |
      op |
      0x0a000000 |
      (shift << 22) |
      (rz(rm, 'logical second source') << 16) |
      (a << 10) |
      (rz(rn, 'logical first source') << 5) |
      rz(rd, 'logical destination')) >>>
    0
  );
}

/**
 * Logical (immediate): and/orr/eor/ands with a bitmask immediate. `bic`/`orn`/`eon`/`bics` have no
 * immediate form (invert the value instead). The destination may be sp except for `ands`.
 */
export function encLogicalImm(op: LogicalOp, size: RegSize, rd: Gpr, rn: Gpr, value: number | bigint): number {
  if ((op & 0x00200000) !== 0) throw invalidOperand('logical (immediate): bic/orn/eon/bics have no immediate form');
  splitValue(value, 'logical immediate');
  const lo = splitLow();
  const field = encodeLogicalImmediateHalves(lo, size === 32 ? lo : splitHigh());
  if (field === null) {
    throw invalidOperand(`logical (immediate): ${String(value)} is not encodable as a ${size}-bit bitmask immediate`);
  }
  return encLogicalImmField(op, size, rd, rn, field);
}

/** Logical (immediate) with an already encoded `N:immr:imms` field. */
export function encLogicalImmField(op: LogicalOp, size: RegSize, rd: Gpr, rn: Gpr, field: number): number {
  if (size === 32 && (field & 0x1000) !== 0) throw invalidOperand('logical (immediate): N must be 0 for 32-bit operands');
  const d = op === LogicalOp.ands ? rz(rd, 'ands destination') : rs(rd, 'logical (immediate) destination');
  return (sf(size, 'logical') | op | 0x12000000 | ((field & 0x1fff) << 10) | (rz(rn, 'logical (immediate) source') << 5) | d) >>> 0;
}

/** Move wide opcodes at bits 29-30. */
export const MoveWide = { movn: 0, movz: 0x40000000, movk: 0x60000000 } as const;
export type MoveWide = (typeof MoveWide)[keyof typeof MoveWide];

/** MOVN/MOVZ/MOVK: `shift` is 0, 16 (and 32, 48 for 64-bit). */
export function encMoveWide(op: MoveWide, size: RegSize, rd: Gpr, imm16: number, shift: number): number {
  const i = uimm(imm16, 0xffff, 'move wide immediate');
  if (!(shift === 0 || shift === 16 || (size === 64 && (shift === 32 || shift === 48)))) {
    throw invalidOperand(`move wide: shift ${String(shift)} is not 0, 16${size === 64 ? ', 32 or 48' : ''}`);
  }
  return (sf(size, 'move wide') | op | 0x12800000 | ((shift >>> 4) << 21) | (i << 5) | rz(rd, 'move wide destination')) >>> 0;
}

/** Bitfield opcodes at bits 29-30. */
export const Bitfield = { sbfm: 0, bfm: 0x20000000, ubfm: 0x40000000 } as const;
export type Bitfield = (typeof Bitfield)[keyof typeof Bitfield];

/** SBFM/BFM/UBFM with raw `immr`/`imms` (0..size-1); N equals sf. */
export function encBitfield(op: Bitfield, size: RegSize, rd: Gpr, rn: Gpr, immr: number, imms: number): number {
  const r = uimm(immr, size - 1, 'bitfield immr');
  const s = uimm(imms, size - 1, 'bitfield imms');
  const n = size === 64 ? 1 << 22 : 0;
  return (
    (sf(size, 'bitfield') | op | 0x13000000 | n | (r << 16) | (s << 10) | (rz(rn, 'bitfield source') << 5) | rz(rd, 'bitfield destination')) >>>
    0
  );
}

/** Checks a (lsb, width) bitfield and returns nothing; shared by the ubfx/sbfx/bfi family. */
export function checkField(size: RegSize, lsb: number, width: number, what: string): void {
  if (!Number.isInteger(lsb) || lsb < 0 || lsb >= size) throw invalidOperand(`${what}: lsb ${String(lsb)} is outside 0..${size - 1}`);
  if (!Number.isInteger(width) || width < 1 || width > size - lsb) {
    throw invalidOperand(`${what}: width ${String(width)} must be 1..${size - lsb} for lsb ${lsb}`);
  }
}

/** EXTR: bits lsb..lsb+size-1 of rn:rm (rm low). `ror rd, rs, #n` is extr rd, rs, rs, #n. */
export function encExtr(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, lsb: number): number {
  const l = uimm(lsb, size - 1, 'extr lsb');
  const n = size === 64 ? 1 << 22 : 0;
  return (
    (sf(size, 'extr') | 0x13800000 | n | (rz(rm, 'extr second source') << 16) | (l << 10) | (rz(rn, 'extr first source') << 5) | rz(rd, 'extr destination')) >>>
    0
  );
}

/** Data-processing (1 source) opcodes at bits 10-15. */
export const OneSource = { rbit: 0, rev16: 1, rev32: 2, rev: 3, clz: 4, cls: 5 } as const;
export type OneSource = (typeof OneSource)[keyof typeof OneSource];

/** RBIT/REV16/REV32/REV/CLZ/CLS. `rev` picks its 32- or 64-bit opcode; `rev32` is 64-bit only. */
export function encOneSource(op: OneSource, size: RegSize, rd: Gpr, rn: Gpr): number {
  let opcode: number = op;
  if (op === OneSource.rev && size === 32) opcode = 2;
  else if (op === OneSource.rev32 && size === 32) throw invalidOperand('rev32 exists only for 64-bit operands (use rev for w registers)');
  return (sf(size, 'data-processing (1 source)') | 0x5ac00000 | (opcode << 10) | (rz(rn, 'source') << 5) | rz(rd, 'destination')) >>> 0;
}

/** Data-processing (2 source) opcodes at bits 10-15. */
export const TwoSource = { udiv: 2, sdiv: 3, lslv: 8, lsrv: 9, asrv: 10, rorv: 11 } as const;
export type TwoSource = (typeof TwoSource)[keyof typeof TwoSource];

export function encTwoSource(op: TwoSource, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): number {
  return (
    (sf(size, 'data-processing (2 source)') | 0x1ac00000 | (rz(rm, 'second source') << 16) | (op << 10) | (rz(rn, 'first source') << 5) | rz(rd, 'destination')) >>>
    0
  );
}

/** Data-processing (3 source): op31 at bits 21-23 and o0 at bit 15. */
export const ThreeSource = {
  madd: 0,
  msub: 0x8000,
  smaddl: 0x00200000,
  smsubl: 0x00208000,
  smulh: 0x00400000,
  umaddl: 0x00a00000,
  umsubl: 0x00a08000,
  umulh: 0x00c00000,
} as const;
export type ThreeSource = (typeof ThreeSource)[keyof typeof ThreeSource];

/**
 * MADD/MSUB (size 32 or 64) and the 64-bit-only long and high forms. For smaddl/umaddl the sources
 * are w registers and `size` must be 64; smulh/umulh take no accumulator (pass zr).
 */
export function encThreeSource(op: ThreeSource, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr): number {
  if (op !== ThreeSource.madd && op !== ThreeSource.msub && size !== 64) {
    throw invalidOperand('smaddl/umaddl/smulh/umulh produce a 64-bit result: size must be 64');
  }
  if ((op === ThreeSource.smulh || op === ThreeSource.umulh) && ra !== 31) {
    throw invalidOperand('smulh/umulh take no accumulator: ra must be zr');
  }
  return (
    (sf(size, 'data-processing (3 source)') |
      0x1b000000 |
      op |
      (rz(rm, 'second source') << 16) |
      (rz(ra, 'accumulator') << 10) |
      (rz(rn, 'first source') << 5) |
      rz(rd, 'destination')) >>>
    0
  );
}

/** Conditional select: op (bit 30) and op2 (bit 10). */
export const CondSelect = { csel: 0, csinc: 0x400, csinv: 0x40000000, csneg: 0x40000400 } as const;
export type CondSelect = (typeof CondSelect)[keyof typeof CondSelect];

export function encCondSelect(op: CondSelect, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond): number {
  const c = uimm(cond, 15, 'condition');
  return (
    (sf(size, 'conditional select') | 0x1a800000 | op | (rz(rm, 'second source') << 16) | (c << 12) | (rz(rn, 'first source') << 5) | rz(rd, 'destination')) >>>
    0
  );
}

/**
 * CCMP/CCMN: if `cond` holds, set the flags from comparing rn with rm (or a 5-bit immediate),
 * otherwise set them to `nzcv`. `negate` selects ccmn.
 */
export function encCondCompare(negate: boolean, size: RegSize, rn: Gpr, rmOrImm: number, isImm: boolean, nzcv: number, cond: Cond): number {
  const c = uimm(cond, 15, 'condition');
  const flags = uimm(nzcv, 15, 'ccmp nzcv');
  const operand = isImm ? uimm(rmOrImm, 31, 'ccmp immediate') : rz(rmOrImm, 'ccmp second source');
  return (
    (sf(size, 'conditional compare') |
      (negate ? 0x3a400000 : 0x7a400000) |
      (isImm ? 0x800 : 0) |
      (operand << 16) |
      (c << 12) |
      (rz(rn, 'ccmp first source') << 5) |
      flags) >>>
    0
  );
}

