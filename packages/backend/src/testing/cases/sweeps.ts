// Executable cases: clz, ctz and popcnt, and ceil/floor/trunc/nearest, over edge values and a
// seeded spread of random ones, each with the destination register distinct from and equal to
// the source. These are the operators ISAs implement with optional instructions (LZCNT, TZCNT,
// POPCNT, SSE4.1 rounding on x64) and replace by longer sequences without them; the runtime runs
// the kit once per CPU feature set it can switch off, so both forms answer these cases.
// Expected values come from JavaScript's own integer and Math operations, which compute the
// spec's definitions (ties to even written out below).

import { FloatUnaryKind, IntUnaryKind, type OperandSize } from '../../masm.ts';
import type { ValueKind } from '../../abi.ts';
import { F32, F64, I32, I64, S32, S64, ok, sig, type CaseRun, type ExecutableCase, type WasmValue } from './types.ts';

/** xorshift32: a fixed seed, so every run and every backend sees the same values. */
function randomWords(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

const RANDOM_VALUES = 200;

// --- integers ---------------------------------------------------------------------------------

function i32Values(): number[] {
  const values = [0, 1, -1, 2, 3, 0x7fff_ffff, -0x8000_0000, 0x5555_5555, -0x5555_5556, 0x0f0f_0f0f];
  for (let k = 0; k < 32; k++) values.push(1 << k, ((1 << k) - 1) | 0, -(1 << k) | 0);
  const next = randomWords(0x1234_5678);
  // Random words shifted by random amounts: every leading/trailing zero count, sparse and dense.
  for (let i = 0; i < RANDOM_VALUES; i++) values.push((next() >>> (next() & 31)) << (next() & 31) | 0);
  return values;
}

function i64Values(): bigint[] {
  const values = [0n, 1n, -1n, 2n, 3n, 2n ** 63n - 1n, -(2n ** 63n), 0x5555_5555_5555_5555n, 0x0f0f_0f0f_0f0f_0f0fn, 0xffff_ffffn, 2n ** 32n];
  for (let k = 0n; k < 64n; k++) values.push(BigInt.asIntN(64, 1n << k), BigInt.asIntN(64, (1n << k) - 1n), BigInt.asIntN(64, -(1n << k)));
  const next = randomWords(0x9abc_def0);
  for (let i = 0; i < RANDOM_VALUES; i++) {
    const word = (BigInt(next()) << 32n) | BigInt(next());
    values.push(BigInt.asIntN(64, (word >> BigInt(next() & 63)) << BigInt(next() & 63)));
  }
  return values;
}

function popcount(x: bigint, bits: number): number {
  let count = 0;
  for (let v = BigInt.asUintN(bits, x); v !== 0n; v &= v - 1n) count++;
  return count;
}

function clz(x: bigint, bits: number): number {
  const v = BigInt.asUintN(bits, x);
  return v === 0n ? bits : bits - v.toString(2).length;
}

function ctz(x: bigint, bits: number): number {
  const v = BigInt.asUintN(bits, x);
  if (v === 0n) return bits;
  let count = 0;
  for (let w = v; (w & 1n) === 0n; w >>= 1n) count++;
  return count;
}

const INT_OPS: readonly [string, IntUnaryKind, (x: bigint, bits: number) => number][] = [
  ['clz', IntUnaryKind.Clz, clz],
  ['ctz', IntUnaryKind.Ctz, ctz],
  ['popcnt', IntUnaryKind.Popcnt, popcount],
];

function intSweeps(): ExecutableCase[] {
  const i32 = i32Values();
  const i64 = i64Values();
  const cases: ExecutableCase[] = [];
  for (const [name, kind, reference] of INT_OPS) {
    for (const size of [S32, S64] as const) {
      const runs: CaseRun[] =
        size === S32
          ? i32.map((x) => ({ args: [x], expect: ok(reference(BigInt(x), 32)) }))
          : i64.map((x) => ({ args: [x], expect: ok(BigInt(reference(x, 64))) }));
      const type = size === S32 ? I32 : I64;
      cases.push(
        {
          name: `i${size}.${name} sweep`,
          signature: sig([type], [type]),
          body: (m, e) => m.intUnary(kind, size, e.result, e.params[0]!),
          runs,
        },
        {
          name: `i${size}.${name} sweep, in place`,
          signature: sig([type], [type]),
          body: (m, e) => {
            m.move(e.result, e.params[0]!, size);
            m.intUnary(kind, size, e.result, e.result);
          },
          runs,
        },
      );
    }
  }
  return cases;
}

// --- rounding ---------------------------------------------------------------------------------

/** Round half to even (Wasm's `nearest`), keeping the sign for zero results. */
function nearestEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const magnitude = Math.abs(x);
  const floor = Math.floor(magnitude);
  const fraction = magnitude - floor; // exact: both are in the same binade or below 1
  const rounded = fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return x < 0 || Object.is(x, -0) ? -rounded : rounded;
}

const ROUND_OPS: readonly [string, FloatUnaryKind, (x: number) => number][] = [
  ['ceil', FloatUnaryKind.Ceil, Math.ceil],
  ['floor', FloatUnaryKind.Floor, Math.floor],
  ['trunc', FloatUnaryKind.Trunc, Math.trunc],
  ['nearest', FloatUnaryKind.Nearest, nearestEven],
];

/** Edge values of a float format whose integers stop being spaced below 1 at 2^`mantissaBits`. */
function floatValues(mantissaBits: number, round: (x: number) => number, seed: number): number[] {
  const big = 2 ** mantissaBits;
  const ulpBelowHalf = 2 ** -(mantissaBits + 2);
  const magnitudes = [
    0, 0.5, 1, 1.5, 2.5, 3.5, 0.25, 0.75, 0.5 - ulpBelowHalf, 0.5 + 2 * ulpBelowHalf, 1 - ulpBelowHalf, 1 + 4 * ulpBelowHalf,
    big / 2 + 0.5, big / 2 + 1.5, big - 0.5, big - 1, big - 1.5, big, big + 1, big + 2, 2 * big, 2 * big + 2,
    1e30, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** -126, 2 ** -149, 3.4028234663852886e38, Infinity,
  ];
  const values: number[] = [NaN];
  for (const m of magnitudes) values.push(m, -m);
  const next = randomWords(seed);
  for (let i = 0; i < RANDOM_VALUES; i++) {
    const sign = next() & 1 ? -1 : 1;
    if (i % 4 === 0) {
      values.push(sign * ((next() % 1000) + 0.5)); // ties
    } else {
      // Exponents from 2^-4 to past 2^mantissaBits, so every branch of a fallback is taken.
      const exponent = (next() % (mantissaBits + 8)) - 4;
      values.push(sign * (1 + next() / 2 ** 32) * 2 ** exponent);
    }
  }
  // Only values the format holds exactly (f32 rounds the constants above).
  return [...new Set(values.map(round))];
}

function roundSweeps(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  const formats: [OperandSize, ValueKind, number[]][] = [
    [S32, F32, floatValues(23, Math.fround, 0x0bad_f00d)],
    [S64, F64, floatValues(52, (x) => x, 0x5eed_cafe)],
  ];
  for (const [name, kind, reference] of ROUND_OPS) {
    for (const [size, type, values] of formats) {
      const runs: CaseRun[] = values.map((x) => ({ args: [x] as WasmValue[], expect: ok(reference(x)) }));
      cases.push(
        {
          name: `f${size}.${name} sweep`,
          signature: sig([type], [type]),
          body: (m, e) => m.floatUnary(kind, size, e.result, e.params[0]!),
          runs,
        },
        {
          name: `f${size}.${name} sweep, in place`,
          signature: sig([type], [type]),
          body: (m, e) => {
            m.move(e.result, e.params[0]!, size);
            m.floatUnary(kind, size, e.result, e.result);
          },
          runs,
        },
      );
    }
  }
  return cases;
}

export const SWEEP_CASES: readonly ExecutableCase[] = [...intSweeps(), ...roundSweeps()];
