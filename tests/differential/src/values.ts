// Edge values of each numeric type, as raw bits, shared by the generator (constants) and the
// runner (argument vectors): the values where engines most often disagree — zero signs, the
// integer extremes, NaNs (quiet, signalling, with payloads), infinities, denormals and the
// bounds of float→int truncation.
import { ValType } from '@flint/decoder';
import type { Prng } from './prng.ts';

export const I32_EDGES: readonly number[] = [
  0, 1, -1, 2, 7, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, -0x80000000, -2,
];

export const I64_EDGES: readonly bigint[] = [
  0n, 1n, -1n, 2n, 63n, 64n, 65n, 0x7fn, 0xffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
  0x7fffffffffffffffn, -0x8000000000000000n, -2n, -0x80000000n,
];

/** f32 bit patterns. */
export const F32_EDGE_BITS: readonly number[] = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7fc00000, 0xffc00000, 0x7fa00001, 0x7f800001, 0x7fffffff,
  0x7f800000, 0xff800000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x3f000000, 0xbfc00000, 0x4f000000,
  0xcf000000, 0x4f800000, 0x5f000000, 0xdf000000, 0x3fc00000, 0x40200000,
];

/** f64 bit patterns. */
export const F64_EDGE_BITS: readonly bigint[] = [
  0x0000000000000000n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff8000000000000n,
  0xfff8000000000000n, 0x7ff4000000000001n, 0x7ff0000000000001n, 0x7ff0000000000000n, 0xfff0000000000000n,
  0x0000000000000001n, 0x800fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn, 0x3fe0000000000000n,
  0x41e0000000000000n, 0xc1e0000000200000n, 0x41efffffffe00000n, 0x43e0000000000000n, 0xc3e0000000000000n,
  0x43f0000000000000n, 0x4004000000000000n, 0xbfe8000000000000n, 0x3ff8000000000000n,
];

const bitsScratch = new DataView(new ArrayBuffer(8));

/** The JS number a WebAssembly f32 with these bits becomes at the JS boundary. */
export function f32FromBits(bits: number): number {
  bitsScratch.setUint32(0, bits >>> 0, true);
  return bitsScratch.getFloat32(0, true);
}

export function f64FromBits(bits: bigint): number {
  bitsScratch.setBigUint64(0, BigInt.asUintN(64, bits), true);
  return bitsScratch.getFloat64(0, true);
}

/** A JS argument of `type`: usually an edge value, sometimes random bits. */
export function randomArgument(rng: Prng, type: ValType): number | bigint {
  switch (type) {
    case ValType.I32:
      return rng.chance(0.75) ? rng.pick(I32_EDGES) : rng.nextU32() | 0;
    case ValType.I64:
      return rng.chance(0.75) ? rng.pick(I64_EDGES) : BigInt.asIntN(64, rng.nextU64());
    case ValType.F32:
      return f32FromBits(rng.chance(0.75) ? rng.pick(F32_EDGE_BITS) : rng.nextU32());
    case ValType.F64:
      return f64FromBits(rng.chance(0.75) ? rng.pick(F64_EDGE_BITS) : rng.nextU64());
    default:
      throw new RangeError(`randomArgument: unsupported type 0x${type.toString(16)}`);
  }
}
