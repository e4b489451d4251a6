// Reference semantics for the case tables, written from the Wasm spec's definitions of the
// numeric operators (https://webassembly.github.io/spec/core/exec/numerics.html), never from a
// backend's output. Inputs to float→int and int→float cases are chosen exactly representable in
// the source type, so JavaScript's own rounding (to f64, then Math.fround) is one correct rounding.

import { TrapReason } from '../../trap.ts';
import type { WasmValue } from './types.ts';

export const f32 = Math.fround;
/** True when `x` is an f32 value (NaN included). */
export const isF32 = (x: number): boolean => Number.isNaN(x) || Object.is(f32(x), x);
export const MIN64 = -(1n << 63n);

function intRange(intBits: 32 | 64, signed: boolean): { min: bigint; max: bigint } {
  const bits = BigInt(intBits);
  return signed ? { min: -(2n ** (bits - 1n)), max: 2n ** (bits - 1n) - 1n } : { min: 0n, max: 2n ** bits - 1n };
}

const asResult = (v: bigint, intBits: 32 | 64): WasmValue => (intBits === 64 ? BigInt.asIntN(64, v) : Number(BigInt.asIntN(32, v)));

/** `trunc_s`/`trunc_u`: the integer toward zero, or the trap the spec names. */
export function truncRef(x: number, intBits: 32 | 64, signed: boolean): { ok: WasmValue } | { trap: TrapReason } {
  if (Number.isNaN(x)) return { trap: TrapReason.InvalidConversionToInteger };
  if (!Number.isFinite(x)) return { trap: TrapReason.IntegerOverflow };
  // Exact integer arithmetic: as doubles, 2^63 - 1 would round up to 2^63.
  const t = BigInt(Math.trunc(x));
  const { min, max } = intRange(intBits, signed);
  if (t < min || t > max) return { trap: TrapReason.IntegerOverflow };
  return { ok: asResult(t, intBits) };
}

/** `trunc_sat_s`/`trunc_sat_u`: NaN → 0, out of range → the nearest bound. */
export function truncSatRef(x: number, intBits: 32 | 64, signed: boolean): WasmValue {
  const { min, max } = intRange(intBits, signed);
  let v: bigint;
  if (Number.isNaN(x)) v = 0n;
  else if (x === Infinity) v = max;
  else if (x === -Infinity) v = min;
  else {
    v = BigInt(Math.trunc(x));
    if (v < min) v = min;
    if (v > max) v = max;
  }
  return asResult(v, intBits);
}

/** `nearest`: round to the nearest integer, ties to even, keeping the sign of zero. */
export function nearestRef(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  const r = diff < 0.5 ? floor : diff > 0.5 ? floor + 1 : floor % 2 === 0 ? floor : floor + 1;
  return r === 0 && x < 0 ? -0 : r;
}

export const rotl32 = (x: number, n: number): number => {
  const k = n & 31;
  return k === 0 ? x : ((x << k) | (x >>> (32 - k))) | 0;
};

export const rotl64 = (x: bigint, n: bigint): bigint => {
  const k = n & 63n;
  const u = BigInt.asUintN(64, x);
  return BigInt.asIntN(64, k === 0n ? u : (u << k) | (u >> (64n - k)));
};

const bits = new DataView(new ArrayBuffer(8));

/** The IEEE bits of an f32 as an unsigned 32-bit number. */
export function f32Bits(x: number): number {
  bits.setFloat32(0, x, true);
  return bits.getUint32(0, true);
}

/** The IEEE bits of an f64 as its low and high 32-bit halves. */
export function f64Bits(x: number): { lo: number; hi: number } {
  bits.setFloat64(0, x, true);
  return { lo: bits.getUint32(0, true), hi: bits.getUint32(4, true) };
}
