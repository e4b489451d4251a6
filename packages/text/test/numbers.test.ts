// Numeric literals. Expected bit patterns come from the IEEE 754 encodings worked out by hand
// (noted beside each case) or from Python's correctly rounded float() for f64; random f64
// literals are checked against the JavaScript engine's own correctly rounded Number().
import { describe, expect, it } from 'vitest';
import { F32_FORMAT, F64_FORMAT, LiteralError, parseFloatBits, parseI32, parseInteger, parseUnsigned, roundRational } from '../src/numbers.ts';

const f32 = (text: string): number => Number(parseFloatBits(text, F32_FORMAT));
const f64 = (text: string): bigint => parseFloatBits(text, F64_FORMAT);

function failure(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    if (e instanceof LiteralError) return e.reason;
    throw e;
  }
  throw new Error('expected a LiteralError');
}

describe('integer literals', () => {
  it('accepts the unsigned and signed ranges of i32', () => {
    expect(parseI32('0')).toBe(0);
    expect(parseI32('4294967295')).toBe(-1);
    expect(parseI32('0xffffffff')).toBe(-1);
    expect(parseI32('-2147483648')).toBe(-2147483648);
    expect(parseI32('-0x8000_0000')).toBe(-2147483648);
    expect(parseI32('+2147483647')).toBe(2147483647);
    expect(parseI32('1_000_000')).toBe(1000000);
    expect(parseI32('0x0_F')).toBe(15);
    expect(parseI32('-0')).toBe(0);
  });

  it('reports out-of-range values', () => {
    expect(failure(() => parseI32('4294967296'))).toBe('constant out of range');
    expect(failure(() => parseI32('-2147483649'))).toBe('constant out of range');
    expect(failure(() => parseI32('+2147483648'))).toBe('constant out of range'); // explicit sign: signed range
    expect(failure(() => parseInteger('0x1_0000_0000_0000_0000', 64))).toBe('constant out of range');
    expect(failure(() => parseInteger('-9223372036854775809', 64))).toBe('constant out of range');
    expect(failure(() => parseUnsigned('256', 8))).toBe('constant out of range');
  });

  it('returns i64 bit patterns', () => {
    expect(parseInteger('-1', 64)).toBe(0xffff_ffff_ffff_ffffn);
    expect(parseInteger('-9223372036854775808', 64)).toBe(0x8000_0000_0000_0000n);
    expect(parseInteger('18446744073709551615', 64)).toBe(0xffff_ffff_ffff_ffffn);
  });

  it('rejects malformed digits and separators', () => {
    for (const text of ['1__0', '_1', '1_', '0x', '0x_1', '1a', '--1', '+', '0xg', '']) {
      expect(failure(() => parseInteger(text, 32)), text).toBe('unknown operator');
    }
  });
});

describe('f32 literals', () => {
  it('encodes exact values and limits', () => {
    expect(f32('1')).toBe(0x3f80_0000);
    expect(f32('-0')).toBe(0x8000_0000);
    expect(f32('0x1p-149')).toBe(0x0000_0001); // smallest subnormal
    expect(f32('0x1p-126')).toBe(0x0080_0000); // smallest normal
    expect(f32('-0x1.fffffep127')).toBe(0xff7f_ffff); // largest finite, negated
    expect(f32('3.4028235e38')).toBe(0x7f7f_ffff); // nearest to the largest finite
    expect(f32('1.4e-45')).toBe(0x0000_0001);
    expect(f32('0.5')).toBe(0x3f00_0000);
    expect(f32('1e10')).toBe(0x5015_02f9); // 10^10 = 0x2540BE400, 34 bits, rounds to 0x9502F9 · 2^10
  });

  it('rounds hex literals to nearest, ties to even', () => {
    expect(f32('0x1.000001p0')).toBe(0x3f80_0000); // halfway between 1 and 1+2^-23: even is 1
    expect(f32('0x1.000003p0')).toBe(0x3f80_0002); // halfway between odd 1+2^-23 and even 1+2^-22
    expect(f32('0x1.00000100000000000001p0')).toBe(0x3f80_0001); // just above halfway
    expect(f32('0x1p-150')).toBe(0x0000_0000); // halfway between 0 and the smallest subnormal
    expect(f32('0x1.000001p-150')).toBe(0x0000_0001); // just above that halfway
    expect(f32('0x1.fffffefp127')).toBe(0x7f7f_ffff); // below halfway to 2^128
    expect(f32('0x0.000001p-126')).toBe(0x0000_0000); // 2^-150: halfway, even is zero
  });

  it('rounds decimal literals once, directly to f32 (no double rounding through f64)', () => {
    // 1 + 2^-24 + 2^-60: just above the midpoint of 1 and 1+2^-23, so it rounds up. Going
    // through f64 first lands exactly on the midpoint, which then ties down to 1.
    const text = '1.000000059604644776257986737988403547205962240695953369140625';
    expect(f32(text)).toBe(0x3f80_0001);
    const viaF64 = new DataView(new ArrayBuffer(4));
    viaF64.setFloat32(0, Math.fround(Number(text)));
    expect(viaF64.getUint32(0)).toBe(0x3f80_0000);
    // 2^-150 exactly is a tie (rounds to 0); anything above it rounds to the smallest subnormal.
    expect(f32('7.006492321624085354618647916449580656401309709382578858785341419448955413429303e-46')).toBe(0);
    expect(f32('7.0064923216240854e-46')).toBe(1);
  });

  it('reports overflow as out of range', () => {
    expect(failure(() => f32('0x1p128'))).toBe('constant out of range');
    expect(failure(() => f32('0x1.ffffffp127'))).toBe('constant out of range'); // halfway to 2^128 ties up
    expect(failure(() => f32('3.4028236e38'))).toBe('constant out of range');
    expect(failure(() => f32('1e1000000000'))).toBe('constant out of range');
    expect(f32('1e-1000000000')).toBe(0);
  });

  it('encodes infinities and NaNs with payloads', () => {
    expect(f32('inf')).toBe(0x7f80_0000);
    expect(f32('-inf')).toBe(0xff80_0000);
    expect(f32('nan')).toBe(0x7fc0_0000);
    expect(f32('-nan')).toBe(0xffc0_0000);
    expect(f32('nan:0x200000')).toBe(0x7fa0_0000);
    expect(f32('+nan:0x7fffff')).toBe(0x7fff_ffff);
    expect(f32('nan:0x1')).toBe(0x7f80_0001);
    expect(failure(() => f32('nan:0x800000'))).toBe('constant out of range');
    expect(failure(() => f32('nan:0x0'))).toBe('constant out of range');
  });

  it('rejects malformed literals', () => {
    for (const text of ['.5', '1.e', '1e', '0x1p', '1._5', '1__0.0', '0x.1', 'nan:0x', 'infinity', '1e+_1', '0x1.0e+']) {
      expect(failure(() => f32(text)), text).toBe('unknown operator');
    }
    expect(f32('1.')).toBe(0x3f80_0000);
    expect(f32('1.e0')).toBe(0x3f80_0000);
    expect(f32('0x1.p0')).toBe(0x3f80_0000);
    expect(f32('1_0.0_0e0_1')).toBe(0x42c8_0000); // 100
  });
});

describe('f64 literals', () => {
  it('matches correctly rounded values (derived with Python float())', () => {
    expect(f64('0.1')).toBe(0x3fb9_9999_9999_999an);
    expect(f64('1e-300')).toBe(0x01a5_6e1f_c2f8_f359n);
    expect(f64('2.2250738585072011e-308')).toBe(0x000f_ffff_ffff_ffffn);
    expect(f64('2.4703282292062328e-324')).toBe(0x1n); // just above half the smallest subnormal
    expect(f64('2.4703282292062327e-324')).toBe(0x0n); // just below
    expect(f64('123456789012345678901234567890')).toBe(0x45f8_ee90_ff6c_373en);
    expect(f64('1.7976931348623157e308')).toBe(0x7fef_ffff_ffff_ffffn);
    expect(f64('0x1p-1074')).toBe(0x1n);
    expect(f64('0x1.fffffffffffffp1023')).toBe(0x7fef_ffff_ffff_ffffn);
    expect(f64('-0x1.0000000000000fp0')).toBe(0xbff0_0000_0000_0001n); // 0x…0f: ties? no, 0x0f > 0x08: rounds up
    expect(f64('0x1.00000000000008p0')).toBe(0x3ff0_0000_0000_0000n); // exact tie, even
    expect(f64('nan:0x8000000000000')).toBe(0x7ff8_0000_0000_0000n);
    expect(f64('-nan:0xfffffffffffff')).toBe(0xffff_ffff_ffff_ffffn);
    expect(failure(() => f64('1.7976931348623159e308'))).toBe('constant out of range');
    expect(failure(() => f64('nan:0x10000000000000'))).toBe('constant out of range');
  });

  it('agrees with the engine on random decimal literals', () => {
    const view = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 3000; i++) {
      const digits = 1 + Math.floor(random() * 25);
      let mantissa = String(1 + Math.floor(random() * 9));
      for (let d = 1; d < digits; d++) mantissa += String(Math.floor(random() * 10));
      const point = Math.floor(random() * digits);
      const exponent = Math.floor(random() * 640) - 330;
      const text = `${mantissa.slice(0, point + 1)}.${mantissa.slice(point + 1)}e${exponent}`;
      const expected = Number(text);
      if (!Number.isFinite(expected)) continue;
      view.setFloat64(0, expected);
      expect(f64(text), text).toBe(view.getBigUint64(0));
    }
  });
});

describe('fast paths', () => {
  // The double-precision shortcuts must agree with exact rational rounding everywhere.
  let seed = 99;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  it('agree with exact rounding for short decimal f32 literals, ties included', () => {
    const cases = ['0.1', '16777217', '16777219', '33554435', '1.00000011920928955078125', '3.4028235677973366e38', '1.1754942e-38'];
    for (let i = 0; i < 4000; i++) {
      const digits = 1 + random(15);
      let mantissa = String(1 + random(9));
      for (let d = 1; d < digits; d++) mantissa += String(random(10));
      cases.push(`${mantissa}e${random(60) - 30}`);
    }
    for (const text of cases) {
      const [m, e] = text.includes('e') ? text.split('e') : [text, '0'];
      const [whole, frac = ''] = m!.split('.');
      const mantissa = BigInt(whole! + frac);
      const e10 = Number(e) - frac.length;
      const exact = e10 >= 0 ? roundRational(mantissa * 10n ** BigInt(e10), 1n, F32_FORMAT) : roundRational(mantissa, 10n ** BigInt(-e10), F32_FORMAT);
      if (exact === null) expect(() => f32(text), text).toThrow();
      else expect(f32(text), text).toBe(Number(exact));
    }
  });

  it('agree with exact rounding for hex literals in both formats', () => {
    for (let i = 0; i < 4000; i++) {
      const digits = 1 + random(14);
      let hex = (1 + random(15)).toString(16);
      for (let d = 1; d < digits; d++) hex += random(16).toString(16);
      const exponent = random(2400) - 1200;
      const text = `0x${hex}p${exponent}`;
      const mantissa = BigInt(`0x${hex}`);
      for (const format of [F32_FORMAT, F64_FORMAT]) {
        const exact = exponent >= 0 ? roundRational(mantissa << BigInt(exponent), 1n, format) : roundRational(mantissa, 1n << BigInt(-exponent), format);
        if (exact === null) expect(() => parseFloatBits(text, format), text).toThrow();
        else expect(parseFloatBits(text, format), text).toBe(exact);
      }
    }
  });
});
