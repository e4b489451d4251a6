// Float literals read back to the same bits: checked on fixed cases and on random bit patterns,
// reading decimals with Number() and hex floats with a small exact reader written here.
import { describe, expect, it } from 'vitest';
import { formatF32, formatF32Hex, formatF64, formatI64 } from '../src/printer/numbers.ts';

const buffer = new ArrayBuffer(8);
const u32 = new Uint32Array(buffer);
const f32 = new Float32Array(buffer);
const f64 = new Float64Array(buffer);

/** Exact value of a finite hex float literal such as `-0x1.8p+3`, as an f64 (exact for every f32). */
function readHexFloat(text: string): number {
  const match = /^(-?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?p([+-]?\d+)$/.exec(text);
  if (match === null) throw new Error(`not a hex float: ${text}`);
  const [, sign, whole, fraction = '', exponent] = match;
  const mantissa = BigInt('0x' + whole + fraction);
  const value = Number(mantissa) * 2 ** (Number(exponent) - 4 * fraction.length);
  return sign === '-' ? -value : value;
}

/** A 32-bit xorshift generator, so that failures are reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

describe('f32 literals', () => {
  it('prints fixed cases', () => {
    expect(formatF32(0x3f800000)).toBe('1');
    expect(formatF32(0xc0490fdb)).toBe('-3.1415927');
    expect(formatF32(0x00000001)).toBe('1.4e-45'); // the smallest subnormal
    expect(formatF32(0x7f7fffff)).toBe('3.4028235e+38');
    expect(formatF32(0x7fa00000)).toBe('nan:0x200000');
    expect(formatF32(0xff800000)).toBe('-inf');
  });

  it('reads back to the same bits for random bit patterns', () => {
    const next = random(0x5eed);
    for (let i = 0; i < 5_000; i++) {
      const bits = next();
      if (((bits >>> 23) & 0xff) === 0xff) continue;
      u32[0] = bits;
      const expected = f32[0]!;
      const text = formatF32(bits);
      const value = Number(text);
      f32[0] = value;
      expect(u32[0], `${bits.toString(16)} printed as ${text}`).toBe(bits);
      expect(Object.is(Math.fround(value), expected)).toBe(true);
    }
  });
});

describe('f32 hex literals (used when no short decimal is safely inside the rounding interval)', () => {
  it('prints fixed cases', () => {
    expect(formatF32Hex(0x3fc00000)).toBe('0x1.8p+0');
    expect(formatF32Hex(0xc1200000)).toBe('-0x1.4p+3');
    expect(formatF32Hex(0x00000001)).toBe('0x0.000002p-126');
    expect(formatF32Hex(0x007fffff)).toBe('0x0.fffffep-126');
    expect(formatF32Hex(0x80000000)).toBe('-0x0p+0');
  });

  it('reads back to the same bits for random bit patterns', () => {
    const next = random(0x4e7);
    for (let i = 0; i < 5_000; i++) {
      const bits = next();
      if (((bits >>> 23) & 0xff) === 0xff) continue;
      const text = formatF32Hex(bits);
      f32[0] = readHexFloat(text);
      expect(u32[0], `${bits.toString(16)} printed as ${text}`).toBe(bits);
    }
  });
});

describe('f64 literals', () => {
  it('reads back to the same bits for random bit patterns', () => {
    const next = random(0xf64);
    for (let i = 0; i < 5_000; i++) {
      const lo = next();
      const hi = next();
      if (((hi >>> 20) & 0x7ff) === 0x7ff) continue;
      const text = formatF64(lo, hi);
      f64[0] = Number(text);
      expect([u32[0], u32[1]], `${hi.toString(16)}:${lo.toString(16)} printed as ${text}`).toEqual([lo, hi]);
    }
  });

  it('prints NaN payloads in hex', () => {
    expect(formatF64(0, 0x7ff80000)).toBe('nan');
    expect(formatF64(0x12345678, 0x7ff00009)).toBe('nan:0x912345678');
  });
});

describe('integers', () => {
  it('prints i64 halves as a signed decimal', () => {
    expect(formatI64(0xffffffff, 0xffffffff)).toBe('-1');
    expect(formatI64(0, 0x80000000)).toBe('-9223372036854775808');
    expect(formatI64(0xffffffff, 0x7fffffff)).toBe('9223372036854775807');
  });
});
