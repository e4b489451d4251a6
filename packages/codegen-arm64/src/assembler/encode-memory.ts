// Load/store encodings: unsigned scaled offset, unscaled 9-bit offset, pre/post-index, register
// offset, pairs and PC-relative literals, for every integer size and sign extension and for the
// FP/SIMD registers. Arm ARM (DDI 0487) C4.1.94 "Loads and Stores" (LDR/STR immediate and register,
// LDUR/STUR, LDP/STP, LDR literal).
// https://developer.arm.com/documentation/ddi0487

import { invalidOperand } from './errors.ts';
import { rs, rz, simm, vr } from './fields.ts';
import { Extend } from './encode-integer.ts';
import type { Gpr } from './registers.ts';

/**
 * A single-register load or store. The name gives the mnemonic and the register's view: `ldr32`
 * loads a w register, `ldrsbX` sign-extends a byte into an x register, `ldrV64` loads d<n>.
 */
export const MemOp = {
  strb: 0,
  ldrb: 1,
  ldrsbX: 2,
  ldrsbW: 3,
  strh: 4,
  ldrh: 5,
  ldrshX: 6,
  ldrshW: 7,
  str32: 8,
  ldr32: 9,
  ldrsw: 10,
  str64: 11,
  ldr64: 12,
  strV8: 13,
  ldrV8: 14,
  strV16: 15,
  ldrV16: 16,
  strV32: 17,
  ldrV32: 18,
  strV64: 19,
  ldrV64: 20,
  strV128: 21,
  ldrV128: 22,
} as const;
export type MemOp = (typeof MemOp)[keyof typeof MemOp];

// Indexed by MemOp: the unsigned-offset encoding with zero fields, log2 of the access size, and
// flags (bit 0: load, bit 1: FP/SIMD register).
const MEM_BASE = new Uint32Array([
  0x39000000, 0x39400000, 0x39800000, 0x39c00000, 0x79000000, 0x79400000, 0x79800000, 0x79c00000, 0xb9000000, 0xb9400000,
  0xb9800000, 0xf9000000, 0xf9400000, 0x3d000000, 0x3d400000, 0x7d000000, 0x7d400000, 0xbd000000, 0xbd400000, 0xfd000000,
  0xfd400000, 0x3d800000, 0x3dc00000,
]);
const MEM_SCALE = new Uint8Array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
const LOAD = 1;
const VECTOR = 2;
const MEM_FLAGS = new Uint8Array([0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3]);
const MEM_NAMES = [
  'strb', 'ldrb', 'ldrsb', 'ldrsb', 'strh', 'ldrh', 'ldrsh', 'ldrsh', 'str', 'ldr', 'ldrsw', 'str', 'ldr',
  'str', 'ldr', 'str', 'ldr', 'str', 'ldr', 'str', 'ldr', 'str', 'ldr',
];

function checkOp(op: MemOp): void {
  if (!(op >>> 0 < MEM_BASE.length) || !Number.isInteger(op)) throw invalidOperand(`${String(op)} is not a MemOp`);
}

/** log2 of the number of bytes `op` transfers. */
export function memOpScale(op: MemOp): number {
  checkOp(op);
  return MEM_SCALE[op]!;
}

function transferReg(op: MemOp, rt: number): number {
  return (MEM_FLAGS[op]! & VECTOR) !== 0 ? vr(rt, 'load/store transfer register') : rz(rt, 'load/store transfer register');
}

/** True when `offset` fits the unsigned scaled 12-bit form of `op`. */
export function isScaledOffset(op: MemOp, offset: number): boolean {
  const scale = memOpScale(op);
  return Number.isInteger(offset) && offset >= 0 && offset % (1 << scale) === 0 && offset >>> scale <= 0xfff;
}

/** True when `offset` fits the signed 9-bit unscaled form (ldur/stur, pre/post-index). */
export function isUnscaledOffset(offset: number): boolean {
  return Number.isInteger(offset) && offset >= -256 && offset <= 255;
}

/** LDR/STR (immediate, unsigned offset): `offset` is a multiple of the access size, 0..4095 units. */
export function encMemScaled(op: MemOp, rt: number, rn: Gpr, offset: number): number {
  if (!isScaledOffset(op, offset)) {
    const scale = MEM_SCALE[op]!;
    throw invalidOperand(
      `${MEM_NAMES[op]} (unsigned offset): ${String(offset)} is not a multiple of ${1 << scale} in 0..${0xfff << scale}`,
    );
  }
  return (MEM_BASE[op]! | ((offset >>> MEM_SCALE[op]!) << 10) | (rs(rn, 'base register') << 5) | transferReg(op, rt)) >>> 0;
}

/** Addressing with a signed 9-bit byte offset: 0 unscaled (ldur/stur), 1 post-index, 3 pre-index. */
export const IndexMode = { unscaled: 0, post: 1, pre: 3 } as const;
export type IndexMode = (typeof IndexMode)[keyof typeof IndexMode];

/** LDUR/STUR and the pre/post-index forms (which write the updated address back to rn). */
export function encMemIndexed(op: MemOp, mode: IndexMode, rt: number, rn: Gpr, offset: number): number {
  checkOp(op);
  const imm = simm(offset, 9, 'load/store 9-bit offset');
  const base = rs(rn, 'base register');
  const t = transferReg(op, rt);
  if (mode !== IndexMode.unscaled) {
    if (mode !== IndexMode.pre && mode !== IndexMode.post) throw invalidOperand(`invalid index mode ${String(mode)}`);
    // Writing back into the register being transferred is CONSTRAINED UNPREDICTABLE.
    if ((MEM_FLAGS[op]! & VECTOR) === 0 && base === t && base !== 31) {
      throw invalidOperand(`${MEM_NAMES[op]} with writeback: the base register must differ from the transfer register`);
    }
  }
  return ((MEM_BASE[op]! & ~0x01000000) | (imm << 12) | (mode << 10) | (base << 5) | t) >>> 0;
}

/**
 * LDR/STR (register offset): address rn + extend(rm) << (scaled ? access size : 0). `extend` is
 * uxtw or sxtw (rm is a w register) or uxtx/sxtx (rm is an x register; uxtx prints as lsl).
 */
export function encMemRegister(op: MemOp, rt: number, rn: Gpr, rm: Gpr, extend: Extend, scaled: boolean): number {
  checkOp(op);
  if (extend !== Extend.uxtw && extend !== Extend.uxtx && extend !== Extend.sxtw && extend !== Extend.sxtx) {
    throw invalidOperand(`${MEM_NAMES[op]} (register offset): extend must be uxtw, lsl (uxtx), sxtw or sxtx`);
  }
  const s = scaled && MEM_SCALE[op]! > 0 ? 1 << 12 : 0;
  return (
    ((MEM_BASE[op]! & ~0x01000000) |
      0x00200800 |
      (rz(rm, 'offset register') << 16) |
      (extend << 13) |
      s |
      (rs(rn, 'base register') << 5) |
      transferReg(op, rt)) >>>
    0
  );
}

/** Load/store pair operations; the name gives the registers' view as for `MemOp`. */
export const PairOp = {
  stp32: 0,
  ldp32: 1,
  ldpsw: 2,
  stp64: 3,
  ldp64: 4,
  stpV32: 5,
  ldpV32: 6,
  stpV64: 7,
  ldpV64: 8,
  stpV128: 9,
  ldpV128: 10,
} as const;
export type PairOp = (typeof PairOp)[keyof typeof PairOp];

// Indexed by PairOp: the signed-offset encoding, log2 of one register's size, flags as MEM_FLAGS.
const PAIR_BASE = new Uint32Array([
  0x29000000, 0x29400000, 0x69400000, 0xa9000000, 0xa9400000, 0x2d000000, 0x2d400000, 0x6d000000, 0x6d400000, 0xad000000, 0xad400000,
]);
const PAIR_SCALE = new Uint8Array([2, 2, 2, 3, 3, 2, 2, 3, 3, 4, 4]);
const PAIR_FLAGS = new Uint8Array([0, 1, 1, 0, 1, 2, 3, 2, 3, 2, 3]);
const PAIR_NAMES = ['stp', 'ldp', 'ldpsw', 'stp', 'ldp', 'stp', 'ldp', 'stp', 'ldp', 'stp', 'ldp'];

/** Pair addressing: signed offset (no writeback), post-index or pre-index. */
export const PairMode = { offset: 2, post: 1, pre: 3 } as const;
export type PairMode = (typeof PairMode)[keyof typeof PairMode];

export function pairOpScale(op: PairOp): number {
  if (!(op >>> 0 < PAIR_BASE.length) || !Number.isInteger(op)) throw invalidOperand(`${String(op)} is not a PairOp`);
  return PAIR_SCALE[op]!;
}

/** LDP/STP/LDPSW: `offset` is a multiple of one register's size, -64..63 units. */
export function encPair(op: PairOp, mode: PairMode, rt: number, rt2: number, rn: Gpr, offset: number): number {
  const scale = pairOpScale(op);
  const name = PAIR_NAMES[op]!;
  if (mode !== PairMode.offset && mode !== PairMode.pre && mode !== PairMode.post) throw invalidOperand(`invalid pair mode ${String(mode)}`);
  const unit = 1 << scale;
  if (!Number.isInteger(offset) || offset % unit !== 0 || offset < -64 * unit || offset > 63 * unit) {
    throw invalidOperand(`${name}: offset ${String(offset)} is not a multiple of ${unit} in ${-64 * unit}..${63 * unit}`);
  }
  const vector = (PAIR_FLAGS[op]! & VECTOR) !== 0;
  const t = vector ? vr(rt, 'pair first register') : rz(rt, 'pair first register');
  const t2 = vector ? vr(rt2, 'pair second register') : rz(rt2, 'pair second register');
  const base = rs(rn, 'base register');
  if ((PAIR_FLAGS[op]! & LOAD) !== 0 && t === t2) throw invalidOperand(`${name}: loading both registers of a pair into ${t} is unpredictable`);
  if (mode !== PairMode.offset && !vector && base !== 31 && (base === t || base === t2)) {
    throw invalidOperand(`${name} with writeback: the base register must differ from the transferred registers`);
  }
  const imm7 = (offset / unit) & 0x7f;
  return ((PAIR_BASE[op]! & ~0x01800000) | (mode << 23) | (imm7 << 15) | (t2 << 10) | (base << 5) | t) >>> 0;
}

/** PC-relative literal loads. */
export const LiteralOp = { ldr32: 0, ldr64: 1, ldrsw: 2, ldrV32: 3, ldrV64: 4, ldrV128: 5 } as const;
export type LiteralOp = (typeof LiteralOp)[keyof typeof LiteralOp];
const LITERAL_BASE = new Uint32Array([0x18000000, 0x58000000, 0x98000000, 0x1c000000, 0x5c000000, 0x9c000000]);

/** LDR (literal) with a zero offset; the offset (±1 MiB, in words) is filled in by a fix-up. */
export function encLiteral(op: LiteralOp, rt: number): number {
  if (!(op >>> 0 < LITERAL_BASE.length) || !Number.isInteger(op)) throw invalidOperand(`${String(op)} is not a LiteralOp`);
  const t = op >= LiteralOp.ldrV32 ? vr(rt, 'ldr (literal) register') : rz(rt, 'ldr (literal) register');
  return (LITERAL_BASE[op]! | t) >>> 0;
}
