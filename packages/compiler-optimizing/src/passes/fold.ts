// Constant evaluation of integer operations with Wasm's exact semantics, for the simplifier.
// i32 values are JS numbers (int32); i64 values are BigInts (compile time only, rare: the
// hot paths never see them). Anything that would trap (division by zero, signed overflow) is
// not folded: the trap must happen at run time, at its own site.
// Spec: https://webassembly.github.io/spec/core/exec/numerics.html#integer-operations

import { DivKind, IntBinaryKind, IntCond, IntUnaryKind, ShiftKind } from '@flint/backend';

/** The result, or null when the operation must not be folded (it traps). */
export function foldBinary32(kind: number, a: number, b: number): number {
  switch (kind) {
    case IntBinaryKind.Add:
      return (a + b) | 0;
    case IntBinaryKind.Sub:
      return (a - b) | 0;
    case IntBinaryKind.Mul:
      return Math.imul(a, b);
    case IntBinaryKind.And:
      return a & b;
    case IntBinaryKind.Or:
      return a | b;
    default:
      return a ^ b;
  }
}

export function foldShift32(kind: number, a: number, b: number): number {
  const n = b & 31;
  switch (kind) {
    case ShiftKind.Shl:
      return a << n;
    case ShiftKind.ShrS:
      return a >> n;
    case ShiftKind.ShrU:
      return (a >>> n) | 0;
    case ShiftKind.Rotl:
      return n === 0 ? a : (a << n) | (a >>> (32 - n));
    default:
      return n === 0 ? a : (a >>> n) | (a << (32 - n));
  }
}

export function foldDiv32(kind: number, a: number, b: number): number | null {
  if (b === 0) return null;
  switch (kind) {
    case DivKind.SignedDiv:
      if (a === -0x8000_0000 && b === -1) return null;
      return (a / b) | 0;
    case DivKind.UnsignedDiv:
      return ((a >>> 0) / (b >>> 0)) | 0;
    case DivKind.SignedRem:
      return (a % b) | 0;
    default:
      return ((a >>> 0) % (b >>> 0)) | 0;
  }
}

export function foldUnary32(kind: number, a: number): number {
  switch (kind) {
    case IntUnaryKind.Clz:
      return Math.clz32(a);
    case IntUnaryKind.Ctz:
      return a === 0 ? 32 : 31 - Math.clz32(a & -a);
    case IntUnaryKind.Popcnt: {
      let n = a >>> 0;
      n = n - ((n >>> 1) & 0x55555555);
      n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
      return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    case IntUnaryKind.Extend8S:
      return (a << 24) >> 24;
    case IntUnaryKind.Extend16S:
      return (a << 16) >> 16;
    default:
      return a;
  }
}

export function foldCompare32(cond: number, a: number, b: number): boolean {
  const ua = a >>> 0;
  const ub = b >>> 0;
  switch (cond) {
    case IntCond.Eq:
      return a === b;
    case IntCond.Ne:
      return a !== b;
    case IntCond.LtS:
      return a < b;
    case IntCond.LtU:
      return ua < ub;
    case IntCond.GtS:
      return a > b;
    case IntCond.GtU:
      return ua > ub;
    case IntCond.LeS:
      return a <= b;
    case IntCond.LeU:
      return ua <= ub;
    case IntCond.GeS:
      return a >= b;
    default:
      return ua >= ub;
  }
}

// --- 64 bits --------------------------------------------------------------------------------------

const MASK = (1n << 64n) - 1n;
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: bigint): bigint => x & MASK;

export const toBig = (lo: number, hi: number): bigint => s64((BigInt(hi) << 32n) | BigInt(lo >>> 0));
export const bigLo = (x: bigint): number => Number(u64(x) & 0xffff_ffffn) | 0;
export const bigHi = (x: bigint): number => Number(u64(x) >> 32n) | 0;

export function foldBinary64(kind: number, a: bigint, b: bigint): bigint {
  switch (kind) {
    case IntBinaryKind.Add:
      return s64(a + b);
    case IntBinaryKind.Sub:
      return s64(a - b);
    case IntBinaryKind.Mul:
      return s64(a * b);
    case IntBinaryKind.And:
      return s64(a & b);
    case IntBinaryKind.Or:
      return s64(a | b);
    default:
      return s64(a ^ b);
  }
}

export function foldShift64(kind: number, a: bigint, b: bigint): bigint {
  const n = b & 63n;
  const ua = u64(a);
  switch (kind) {
    case ShiftKind.Shl:
      return s64(a << n);
    case ShiftKind.ShrS:
      return s64(a >> n);
    case ShiftKind.ShrU:
      return s64(ua >> n);
    case ShiftKind.Rotl:
      return s64((ua << n) | (ua >> ((64n - n) & 63n)));
    default:
      return s64((ua >> n) | (ua << ((64n - n) & 63n)));
  }
}

export function foldDiv64(kind: number, a: bigint, b: bigint): bigint | null {
  if (b === 0n) return null;
  switch (kind) {
    case DivKind.SignedDiv:
      if (a === -(1n << 63n) && b === -1n) return null;
      return s64(a / b);
    case DivKind.UnsignedDiv:
      return s64(u64(a) / u64(b));
    case DivKind.SignedRem:
      return s64(a % b);
    default:
      return s64(u64(a) % u64(b));
  }
}

export function foldUnary64(kind: number, a: bigint): bigint {
  const ua = u64(a);
  switch (kind) {
    case IntUnaryKind.Clz: {
      let n = 0n;
      for (let bit = 63n; bit >= 0n && ((ua >> bit) & 1n) === 0n; bit--) n++;
      return n;
    }
    case IntUnaryKind.Ctz: {
      if (ua === 0n) return 64n;
      let n = 0n;
      while (((ua >> n) & 1n) === 0n) n++;
      return n;
    }
    case IntUnaryKind.Popcnt: {
      let n = 0n;
      for (let x = ua; x !== 0n; x >>= 1n) n += x & 1n;
      return n;
    }
    case IntUnaryKind.Extend8S:
      return BigInt.asIntN(8, a);
    case IntUnaryKind.Extend16S:
      return BigInt.asIntN(16, a);
    default:
      return BigInt.asIntN(32, a);
  }
}

export function foldCompare64(cond: number, a: bigint, b: bigint): boolean {
  const ua = u64(a);
  const ub = u64(b);
  switch (cond) {
    case IntCond.Eq:
      return a === b;
    case IntCond.Ne:
      return a !== b;
    case IntCond.LtS:
      return a < b;
    case IntCond.LtU:
      return ua < ub;
    case IntCond.GtS:
      return a > b;
    case IntCond.GtU:
      return ua > ub;
    case IntCond.LeS:
      return a <= b;
    case IntCond.LeU:
      return ua <= ub;
    case IntCond.GeS:
      return a >= b;
    default:
      return ua >= ub;
  }
}

/** The condition that holds exactly when `cond` does not. */
export const NEGATED_COND: readonly number[] = [
  IntCond.Ne, IntCond.Eq, IntCond.GeS, IntCond.GeU, IntCond.LeS, IntCond.LeU, IntCond.GtS, IntCond.GtU, IntCond.LtS, IntCond.LtU,
];
