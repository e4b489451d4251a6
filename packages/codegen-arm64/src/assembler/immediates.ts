// Immediate encodings of A64: add/sub immediates, bitmask ("logical") immediates, FP immediates and
// the shortest move-wide sequence for a constant.
// Arm ARM (DDI 0487) C6.2 "ADD (immediate)", "AND (immediate)" with the DecodeBitMasks pseudocode
// (J1.1.3 shared/functions/bitmasks), "FMOV (scalar, immediate)" with VFPExpandImm, "MOVZ/MOVN/MOVK".
//
// 64-bit values travel as two unsigned 32-bit halves so that nothing here needs BigInt; the public
// entry points also accept a bigint for convenience.
// https://developer.arm.com/documentation/ddi0487

import { invalidOperand } from './errors.ts';
import type { FpSize, RegSize } from './registers.ts';

/** True when `value` fits an add/sub immediate: 12 bits, optionally shifted left by 12. */
export function isAddSubImmediate(value: number): boolean {
  if (!Number.isInteger(value) || value < 0) return false;
  return value <= 0xfff || ((value & 0xfff) === 0 && value <= 0xfff000);
}

// Results of `splitValue`, kept in module scope so that splitting allocates nothing.
let splitLo = 0;
let splitHi = 0;

/** Splits a number (safe integer, two's complement when negative) or bigint into 32-bit halves. */
export function splitValue(value: number | bigint, what: string): void {
  if (typeof value === 'bigint') {
    splitLo = Number(BigInt.asUintN(32, value));
    splitHi = Number(BigInt.asUintN(32, value >> 32n));
    return;
  }
  if (!Number.isSafeInteger(value)) throw invalidOperand(`${what}: ${String(value)} is not a safe integer; pass a bigint`);
  splitLo = value >>> 0;
  splitHi = Math.floor(value / 4294967296) >>> 0;
}
export function splitLow(): number {
  return splitLo;
}
export function splitHigh(): number {
  return splitHi;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Trailing zeros of a nonzero 64-bit value given as halves. */
function ctz64(lo: number, hi: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  return 63 - Math.clz32(hi & -hi);
}

/** Bits [from, to) of a 32-bit word set, 0 <= from <= to <= 32. */
function bitRange32(from: number, to: number): number {
  if (to <= from) return 0;
  const width = to - from;
  return (width === 32 ? 0xffffffff : ((1 << width) - 1) << from) >>> 0;
}

/** True when the 64-bit halves are exactly `count` ones starting at bit `start` (no wrap-around). */
function isRunAt(lo: number, hi: number, start: number, count: number): boolean {
  const end = start + count;
  if (end > 64) return false;
  const wantLo = bitRange32(Math.min(start, 32), Math.min(end, 32));
  const wantHi = bitRange32(Math.max(start, 32) - 32, Math.max(end, 32) - 32);
  return lo === wantLo && hi === wantHi;
}

/**
 * Encodes the low `size` bits of `value` as a logical (bitmask) immediate and returns the 13-bit
 * field `N:immr:imms` (N at bit 12), or null when the value is not encodable: it must be a
 * repetition of a 2-, 4-, …, or `size`-bit element that is a rotated run of ones, and neither all
 * zeros nor all ones.
 */
export function encodeLogicalImmediate(value: number | bigint, size: RegSize): number | null {
  splitValue(value, 'logical immediate');
  return encodeLogicalImmediateHalves(splitLo, size === 32 ? splitLo : splitHi);
}

/**
 * The same as `encodeLogicalImmediate` for a 64-bit pattern given as halves; a 32-bit operand is
 * passed with `hi === lo` (the 32-bit pattern replicated), which is how the hardware expands it.
 */
export function encodeLogicalImmediateHalves(lo: number, hi: number): number | null {
  lo >>>= 0;
  hi >>>= 0;
  if ((lo | hi) === 0 || (lo & hi) === -1) return null;
  // Smallest element size whose repetition gives the value.
  let esize = 64;
  if (lo === hi) {
    esize = 32;
    while (esize > 2) {
      const half = esize >>> 1;
      const mask = (1 << half) - 1;
      if ((lo & mask) !== ((lo >>> half) & mask)) break;
      esize = half;
    }
  }
  let elo: number;
  let ehi: number;
  let mlo: number;
  let mhi: number;
  if (esize === 64) {
    elo = lo;
    ehi = hi;
    mlo = 0xffffffff;
    mhi = 0xffffffff;
  } else {
    mlo = bitRange32(0, esize);
    mhi = 0;
    elo = (lo & mlo) >>> 0;
    ehi = 0;
  }
  const ones = popcount32(elo) + popcount32(ehi);
  let start: number;
  if ((elo & 1) === 0) {
    // The ones do not wrap around the element: one run starting at its lowest set bit.
    start = ctz64(elo, ehi);
    if (!isRunAt(elo, ehi, start, ones)) return null;
  } else {
    // Bit 0 is set, so the zeros form the one run instead; the ones start right after it.
    const zlo = (~elo & mlo) >>> 0;
    const zhi = (~ehi & mhi) >>> 0;
    const zeroStart = ctz64(zlo, zhi);
    if (!isRunAt(zlo, zhi, zeroStart, esize - ones)) return null;
    start = (zeroStart + esize - ones) % esize;
  }
  const immr = (esize - start) % esize;
  const n = esize === 64 ? 1 : 0;
  const imms = (~(2 * esize - 1) & 0x3f) | (ones - 1);
  return (n << 12) | (immr << 6) | imms;
}

/**
 * The value of a logical immediate field (`N:immr:imms` as returned by `encodeLogicalImmediate`),
 * or null for a reserved encoding. Follows DecodeBitMasks; used by tests and disassembly.
 */
export function decodeLogicalImmediate(field: number, size: RegSize): bigint | null {
  const n = (field >>> 12) & 1;
  const immr = (field >>> 6) & 0x3f;
  const imms = field & 0x3f;
  if (size === 32 && n === 1) return null;
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return null;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return null;
  const esize = 1 << len;
  const levels = esize - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return null;
  const eMask = (1n << BigInt(esize)) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const rotated = ((welem >> BigInt(r)) | (welem << BigInt(esize - r))) & eMask;
  let result = 0n;
  for (let i = 0; i < size; i += esize) result |= rotated << BigInt(i);
  return result;
}

const F64_SCRATCH = new Float64Array(1);
const F64_WORDS = new Uint32Array(F64_SCRATCH.buffer);
const F32_SCRATCH = new Float32Array(1);

/**
 * Encodes `value` as the 8-bit immediate of `fmov (scalar, immediate)`, or returns null. Encodable
 * values are ±(16 + m)/16 × 2^e with m in 0..15 and e in -3..4 (so 0 is not encodable).
 */
export function encodeFpImmediate(value: number, size: FpSize): number | null {
  if (!Number.isFinite(value) || value === 0) return null;
  if (size === 32) {
    F32_SCRATCH[0] = value;
    if (F32_SCRATCH[0] !== value) return null;
  }
  const sign = value < 0 ? 1 : 0;
  const magnitude = Math.abs(value);
  for (let e = -3; e <= 4; e++) {
    const scaled = magnitude * 2 ** (4 - e);
    if (scaled >= 16 && scaled < 32 && Number.isInteger(scaled)) {
      const bcd = e >= 1 ? e - 1 : 4 | (e + 3);
      return (sign << 7) | (bcd << 4) | (scaled - 16);
    }
  }
  return null;
}

/** The value of an 8-bit FP immediate (VFPExpandImm), built bit by bit. Used by tests and disassembly. */
export function decodeFpImmediate(imm8: number): number {
  const a = (imm8 >>> 7) & 1;
  const b = (imm8 >>> 6) & 1;
  const cd = (imm8 >>> 4) & 3;
  const efgh = imm8 & 15;
  // Double: sign a, exponent NOT(b):Replicate(b,8):c:d, fraction e:f:g:h followed by zeros.
  const exponent = ((b ^ 1) << 10) | (b === 1 ? 0xff << 2 : 0) | cd;
  F64_WORDS[0] = 0;
  F64_WORDS[1] = ((a << 31) | (exponent << 20) | (efgh << 16)) >>> 0;
  return F64_SCRATCH[0]!;
}

/** Move-wide opcodes, as they appear in `MoveWideStep.op`. */
export const MoveWideOp = { Movn: 0, Movz: 2, Movk: 3 } as const;
export type MoveWideOp = (typeof MoveWideOp)[keyof typeof MoveWideOp];

/**
 * Plans the shortest move-wide sequence for the low `size` bits of `lo:hi`: `movz` then `movk`s when
 * zero halfwords dominate, `movn` then `movk`s when 0xffff halfwords do. Writes the steps into
 * `out` as triples (op, imm16, halfword index) and returns how many steps there are (1..4).
 */
export function planMoveWide(lo: number, hi: number, size: RegSize, out: Int32Array): number {
  const count = size === 64 ? 4 : 2;
  let zeros = 0;
  let ones = 0;
  for (let i = 0; i < count; i++) {
    const chunk = halfword(lo, hi, i);
    if (chunk === 0) zeros++;
    else if (chunk === 0xffff) ones++;
  }
  const inverted = ones > zeros;
  const skip = inverted ? 0xffff : 0;
  let steps = 0;
  for (let i = 0; i < count; i++) {
    const chunk = halfword(lo, hi, i);
    if (chunk === skip) continue;
    if (steps === 0) {
      out[0] = inverted ? MoveWideOp.Movn : MoveWideOp.Movz;
      out[1] = inverted ? ~chunk & 0xffff : chunk;
    } else {
      out[steps * 3] = MoveWideOp.Movk;
      out[steps * 3 + 1] = chunk;
    }
    out[steps * 3 + 2] = i;
    steps++;
  }
  if (steps === 0) {
    // Every halfword is the skipped value: 0 is `movz #0`, all ones is `movn #0`.
    out[0] = inverted ? MoveWideOp.Movn : MoveWideOp.Movz;
    out[1] = 0;
    out[2] = 0;
    steps = 1;
  }
  return steps;
}

function halfword(lo: number, hi: number, index: number): number {
  const word = index < 2 ? lo : hi;
  return (index & 1) === 0 ? word & 0xffff : word >>> 16;
}
