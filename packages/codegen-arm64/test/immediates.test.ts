// Immediate encoders checked exhaustively: every 13-bit logical-immediate field, every 8-bit FP
// immediate, against sets built here from the instruction set's definitions.
import { describe, expect, it } from 'vitest';
import {
  decodeFpImmediate,
  decodeLogicalImmediate,
  encodeFpImmediate,
  encodeLogicalImmediate,
  isAddSubImmediate,
} from '../src/assembler/index.ts';
import { Rng, allBitmaskValues } from './support/syntax.ts';

describe('encodeLogicalImmediate', () => {
  for (const size of [32, 64] as const) {
    it(`round-trips every valid ${size}-bit field and matches the definition`, () => {
      const decoded = new Set<bigint>();
      let valid = 0;
      for (let field = 0; field < 1 << 13; field++) {
        const value = decodeLogicalImmediate(field, size);
        if (value === null) continue;
        decoded.add(value);
        const encoded = encodeLogicalImmediate(value, size)!;
        expect(decodeLogicalImmediate(encoded, size)).toBe(value);
        // immr bits above the element size are ignored by the hardware; the encoder leaves them 0.
        if (encoded === field) valid++;
      }
      // 5334 distinct 64-bit bitmask immediates and 1302 32-bit ones, each with one canonical field.
      expect(decoded.size).toBe(size === 64 ? 5334 : 1302);
      expect(valid).toBe(decoded.size);
      const defined = new Set(allBitmaskValues(size));
      expect(defined.size).toBe(valid);
      for (const v of defined) expect(decoded.has(v)).toBe(true);
    });

    it(`rejects every ${size}-bit value that is not a bitmask immediate`, () => {
      const defined = new Set(allBitmaskValues(size));
      const mask = (1n << BigInt(size)) - 1n;
      expect(encodeLogicalImmediate(0n, size)).toBeNull();
      expect(encodeLogicalImmediate(mask, size)).toBeNull();
      // Each valid value with one bit flipped, plus random values: encodable exactly when defined.
      let rejected = 0;
      for (const v of defined) {
        const bit = BigInt(Number(v % BigInt(size)));
        const flipped = v ^ (1n << bit);
        const result = encodeLogicalImmediate(flipped, size);
        expect(result !== null).toBe(defined.has(flipped));
        if (result === null) rejected++;
      }
      expect(rejected).toBeGreaterThan(defined.size / 2);
      const rng = new Rng(size);
      for (let i = 0; i < 20000; i++) {
        const v = ((BigInt(rng.next()) << 32n) | BigInt(rng.next())) & mask;
        expect(encodeLogicalImmediate(v, size) !== null).toBe(defined.has(v));
      }
    });
  }

  it('accepts numbers (two’s complement when negative) and uses only the low bits of 32-bit operands', () => {
    expect(encodeLogicalImmediate(0xff, 64)).toBe((1 << 12) | 7);
    expect(encodeLogicalImmediate(-256, 64)).toBe(encodeLogicalImmediate(0xffffffffffffff00n, 64));
    expect(encodeLogicalImmediate(0xffff_ff00, 32)).toBe(encodeLogicalImmediate(-256, 32));
    expect(encodeLogicalImmediate(0x5555_5555, 32)).toBe(0b0_000000_111100);
    expect(encodeLogicalImmediate(0x5555_5555, 64)).toBeNull();
    expect(() => encodeLogicalImmediate(2 ** 60, 64)).toThrow(/safe integer/);
  });
});

describe('encodeFpImmediate', () => {
  const defined = new Set<number>();
  for (const sign of [1, -1]) for (let e = -3; e <= 4; e++) for (let m = 0; m < 16; m++) defined.add((sign * (16 + m) * 2 ** e) / 16);

  it('round-trips all 256 immediates in both precisions', () => {
    expect(defined.size).toBe(256);
    for (let imm8 = 0; imm8 < 256; imm8++) {
      const value = decodeFpImmediate(imm8);
      expect(defined.has(value)).toBe(true);
      expect(encodeFpImmediate(value, 64)).toBe(imm8);
      expect(encodeFpImmediate(value, 32)).toBe(imm8);
    }
    expect(decodeFpImmediate(0x70)).toBe(1);
    expect(decodeFpImmediate(0x00)).toBe(2);
    expect(decodeFpImmediate(0xf0)).toBe(-1);
    expect(decodeFpImmediate(0x7f)).toBe(1.9375);
  });

  it('rejects values outside the set', () => {
    for (const v of [0, -0, 0.1, 32, 33, 0.0625 * 1.9, 0.12109375, 31.5, 1 + 2 ** -5, NaN, Infinity, -Infinity, 1e300]) {
      expect(encodeFpImmediate(v, 64)).toBeNull();
      expect(encodeFpImmediate(v, 32)).toBeNull();
    }
    expect(encodeFpImmediate(31, 64)).not.toBeNull();
    expect(encodeFpImmediate(0.125, 32)).not.toBeNull();
  });
});

describe('isAddSubImmediate', () => {
  it('accepts 12 bits, or 12 bits shifted by 12, and nothing else', () => {
    for (const v of [0, 1, 0xfff, 0x1000, 0x2000, 0xfff000]) expect(isAddSubImmediate(v)).toBe(true);
    for (const v of [-1, 0x1001, 0x1000000, 0xfff001, 1.5, NaN]) expect(isAddSubImmediate(v)).toBe(false);
  });
});
