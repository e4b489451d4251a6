// Numeric literals of the text format: integers (decimal and hex, `_` separators, signs) and
// floats (decimal and hex, `inf`, `nan`, `nan:0x…`), with exact round-to-nearest-even for f32
// and f64. Decimal and hex floats are turned into an exact rational and rounded once at the
// target precision, so f32 literals are never double-rounded through f64.
// Spec: https://webassembly.github.io/spec/core/text/values.html
import { isHexDigit } from './lexer.ts';

/** Thrown by the literal parsers; the caller attaches the token's position. */
export class LiteralError {
  constructor(readonly reason: string) {}
}
const MALFORMED = 'unknown operator';
const OUT_OF_RANGE = 'constant out of range';

const malformed = (): never => {
  throw new LiteralError(MALFORMED);
};
const outOfRange = (): never => {
  throw new LiteralError(OUT_OF_RANGE);
};

// Scans a digit group with `_` allowed only between digits; returns the end offset, or -1.
function scanDigits(text: string, i: number, end: number, hex: boolean): number {
  let last = -1; // -1 at start, 0 after `_`, 1 after a digit
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    const isDigit = hex ? isHexDigit(c) : c >= 0x30 && c <= 0x39;
    if (isDigit) last = 1;
    else if (c === 0x5f && last === 1) last = 0;
    else break;
  }
  return last === 0 ? -1 : i;
}

/** Digits in [s, e) after leading zeros, separators not counted. */
function significantDigits(text: string, s: number, e: number): number {
  let count = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f || (c === 0x30 && count === 0)) continue;
    count++;
  }
  return count;
}

// The value of a validated digit group. Groups longer than any 64-bit value are out of range
// before conversion, so a hostile literal of a million digits costs one linear scan.
function digitsValue(text: string, s: number, e: number, hex: boolean): bigint {
  if (significantDigits(text, s, e) > (hex ? 16 : 20)) outOfRange();
  let digits = text.slice(s, e);
  if (digits.indexOf('_') >= 0) digits = digits.split('_').join('');
  return BigInt(hex ? `0x${digits}` : digits);
}

/** An unsigned literal (indices, limits, counts): returns its value, or throws. */
export function parseUnsigned(text: string, bits: number): bigint {
  const n = text.length;
  let i = 0;
  let hex = false;
  if (n > 2 && text.charCodeAt(0) === 0x30 && text.charCodeAt(1) === 0x78) {
    hex = true;
    i = 2;
  }
  const e = scanDigits(text, i, n, hex);
  if (e !== n || i === n) malformed();
  const value = digitsValue(text, i, n, hex);
  if (value >> BigInt(bits) !== 0n) outOfRange();
  return value;
}

/** A u32 as a JS number (fast path for short decimal indices). */
export function parseU32(text: string): number {
  const n = text.length;
  if (n > 0 && n < 10) {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return Number(parseUnsigned(text, 32));
      v = v * 10 + (c - 0x30);
    }
    return v;
  }
  return Number(parseUnsigned(text, 32));
}

/**
 * An integer literal of an `iN` instruction: unsigned (< 2^N) or signed (−2^(N−1) ≤ v < 2^(N−1)).
 * Returns the two's-complement bit pattern as an unsigned bigint.
 */
export function parseInteger(text: string, bits: number): bigint {
  const n = text.length;
  let i = 0;
  let sign = 0;
  const c0 = text.charCodeAt(0);
  if (c0 === 0x2b || c0 === 0x2d) {
    sign = c0 === 0x2d ? -1 : 1;
    i = 1;
  }
  let hex = false;
  if (n > i + 2 && text.charCodeAt(i) === 0x30 && text.charCodeAt(i + 1) === 0x78) {
    hex = true;
    i += 2;
  }
  const e = scanDigits(text, i, n, hex);
  if (e !== n || i >= n) malformed();
  const magnitude = digitsValue(text, i, n, hex);
  const big = BigInt(bits);
  if (sign === 0) {
    if (magnitude >> big !== 0n) outOfRange();
    return magnitude;
  }
  const half = 1n << (big - 1n);
  if (sign > 0) {
    if (magnitude >= half) outOfRange();
    return magnitude;
  }
  if (magnitude > half) outOfRange();
  return magnitude === 0n ? 0n : (1n << big) - magnitude;
}

/** An i32 literal as a signed 32-bit JS number. */
export function parseI32(text: string): number {
  const n = text.length;
  // Fast path: short plain decimals, the overwhelming majority.
  if (n > 0 && n < 10) {
    let i = 0;
    let neg = false;
    const c0 = text.charCodeAt(0);
    if (c0 === 0x2d || c0 === 0x2b) {
      neg = c0 === 0x2d;
      i = 1;
    }
    if (i < n) {
      let v = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x30 || c > 0x39) break;
        v = v * 10 + (c - 0x30);
      }
      if (i === n) return neg ? -v | 0 : v | 0;
    }
  }
  return Number(BigInt.asIntN(32, parseInteger(text, 32)));
}

export interface FloatFormat {
  /** Significand bits including the implicit bit. */
  readonly precision: number;
  readonly exponentBits: number;
}
export const F32_FORMAT: FloatFormat = { precision: 24, exponentBits: 8 };
export const F64_FORMAT: FloatFormat = { precision: 53, exponentBits: 11 };

const scratch = new DataView(new ArrayBuffer(8));

/** A float literal's IEEE bit pattern (as an unsigned bigint) in the given format. */
export function parseFloatBits(text: string, format: FloatFormat): bigint {
  const n = text.length;
  let i = 0;
  let negative = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 0x2b || c0 === 0x2d) {
    negative = c0 === 0x2d;
    i = 1;
  }
  const p = format.precision;
  const eb = format.exponentBits;
  const signBit = negative ? 1n << BigInt(p - 1 + eb) : 0n;
  const expAllOnes = ((1n << BigInt(eb)) - 1n) << BigInt(p - 1);
  const rest = text.slice(i);
  if (rest === 'inf') return signBit | expAllOnes;
  if (rest === 'nan') return signBit | expAllOnes | (1n << BigInt(p - 2));
  if (rest.startsWith('nan:0x')) {
    const e = scanDigits(text, i + 6, n, true);
    if (e !== n || n === i + 6) malformed();
    const payload = digitsValue(text, i + 6, n, true);
    if (payload === 0n || payload >> BigInt(p - 1) !== 0n) outOfRange();
    return signBit | expAllOnes | payload;
  }
  let hex = false;
  if (n > i + 2 && text.charCodeAt(i) === 0x30 && text.charCodeAt(i + 1) === 0x78) {
    hex = true;
    i += 2;
  }
  // Integer part, optional fraction, optional exponent.
  const intStart = i;
  const intEnd = scanDigits(text, i, n, hex);
  if (intEnd < 0 || intEnd === intStart) malformed();
  i = intEnd;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && text.charCodeAt(i) === 0x2e) {
    fracStart = i + 1;
    fracEnd = scanDigits(text, fracStart, n, hex);
    if (fracEnd < 0) malformed();
    i = fracEnd;
  }
  let exponent = 0;
  if (i < n) {
    const c = text.charCodeAt(i) | 0x20;
    if (c !== (hex ? 0x70 : 0x65)) malformed();
    i++;
    let expNegative = false;
    const s = text.charCodeAt(i);
    if (s === 0x2b || s === 0x2d) {
      expNegative = s === 0x2d;
      i++;
    }
    const expEnd = scanDigits(text, i, n, false);
    if (expEnd !== n || expEnd === i) malformed();
    // Clamped: beyond a billion the result is 0 or out of range either way.
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d !== 0x5f) exponent = Math.min(exponent * 10 + (d - 0x30), 1e9);
    }
    if (expNegative) exponent = -exponent;
  }
  // The significant digits without separators, leading or trailing zeros. Beyond a bounded
  // count only a sticky "something non-zero follows" digit is kept: enough for exact rounding
  // (a halfway point between two f64s has at most 767 significant decimal digits).
  let digits = text.slice(intStart, intEnd) + text.slice(fracStart, fracEnd);
  let fracDigits = fracEnd - fracStart;
  if (digits.indexOf('_') >= 0) {
    fracDigits -= countUnderscores(text, fracStart, fracEnd);
    digits = digits.split('_').join('');
  }
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 0x30) lead++;
  let end = digits.length;
  while (end > lead && digits.charCodeAt(end - 1) === 0x30) end--;
  if (lead === end) return signBit;
  // value = digits[lead, end) · base^(scale)
  let scale = digits.length - end - fracDigits;
  digits = digits.slice(lead, end);
  const limit = hex ? 300 : 800;
  if (digits.length > limit) {
    scale += digits.length - limit - 1;
    digits = `${digits.slice(0, limit)}1`; // the rest is non-zero (trailing zeros were stripped)
  }
  const bits = hex ? roundBinary(digits, exponent + 4 * scale, format) : roundDecimal(digits, exponent + scale, format);
  if (bits === null) return outOfRange();
  return signBit | bits;
}

function countUnderscores(text: string, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if (text.charCodeAt(i) === 0x5f) n++;
  return n;
}

// mantissa · 2^e2, rounded; null on overflow.
function roundBinary(hexDigits: string, e2: number, format: FloatFormat): bigint | null {
  const approxBits = hexDigits.length * 4;
  // Fast paths, each with a single IEEE rounding:
  //  - f64: Number(mantissa) is the correctly rounded significand, and scaling it by a power of
  //    two is exact while the result stays in the normal range;
  //  - f32: a significand of at most 52 bits (longer ones shortened to 52 with a sticky low
  //    bit, far below f32's rounding position) times a power of two is an exact double, which
  //    the f32 store then rounds once.
  if (format.precision === 53) {
    if (e2 >= -1074 && e2 + approxBits - 4 >= -1022 && e2 + approxBits <= 1023) {
      const m = approxBits <= 52 ? parseInt(hexDigits, 16) : Number(BigInt(`0x${hexDigits}`));
      scratch.setFloat64(0, m * 2 ** e2);
      return scratch.getBigUint64(0);
    }
  } else if (e2 >= -1022 && e2 + approxBits <= 1023) {
    let m: number;
    let scale = e2;
    if (approxBits > 52) {
      const big = BigInt(`0x${hexDigits}`);
      const shift = BigInt(approxBits - 52);
      const sticky = (big & ((1n << shift) - 1n)) !== 0n ? 1n : 0n;
      m = Number((big >> shift) | sticky);
      scale += approxBits - 52;
    } else {
      m = parseInt(hexDigits, 16);
    }
    const v = m * 2 ** scale;
    if (v >= F32_OVERFLOW) return null;
    scratch.setFloat32(0, v);
    return BigInt(scratch.getUint32(0));
  }
  const magnitude = approxBits + e2;
  if (magnitude > (1 << (format.exponentBits - 1)) + 8) return null;
  if (magnitude < -(1 << (format.exponentBits - 1)) - format.precision - 8) return 0n;
  const mantissa = BigInt(`0x${hexDigits}`);
  return e2 >= 0 ? roundRational(mantissa << BigInt(e2), 1n, format) : roundRational(mantissa, 1n << BigInt(-e2), format);
}

const F32_MIN_NORMAL = 2 ** -126;
/** Values from here up round to f32 infinity (the midpoint between the largest f32 and 2^128). */
const F32_OVERFLOW = 2 ** 128 - 2 ** 103;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

// mantissa · 10^e10, rounded; null on overflow.
function roundDecimal(decimalDigits: string, e10: number, format: FloatFormat): bigint | null {
  const numDigits = decimalDigits.length;
  // Fast path: both operands exact doubles and one IEEE operation, so one correct rounding.
  if (numDigits <= 15 && e10 >= -22 && e10 <= 22) {
    const m = Number(decimalDigits);
    if (format.precision === 53) {
      const v = e10 >= 0 ? m * POW10[e10]! : m / POW10[-e10]!;
      if (v === Infinity) return null;
      scratch.setFloat64(0, v);
      return scratch.getBigUint64(0);
    }
    // The f64 result d is the exact value correctly rounded; rounding d again to f32 is still
    // correct unless d sits exactly on an f32 midpoint (then the exact value may lie on either
    // side). In the f32 normal range a midpoint has its low 29 f64 mantissa bits = 1 << 28.
    const d = e10 >= 0 ? m * POW10[e10]! : m / POW10[-e10]!;
    if (d === 0 || (d >= F32_MIN_NORMAL && d < F32_OVERFLOW)) {
      scratch.setFloat64(0, d);
      if ((scratch.getUint32(4) & 0x1fffffff) !== 0x10000000) {
        scratch.setFloat32(0, d);
        return BigInt(scratch.getUint32(0));
      }
    }
  }
  const magnitude = numDigits + e10; // value < 10^magnitude
  if (magnitude > 330) return null;
  if (magnitude < -345) return 0n;
  const mantissa = BigInt(decimalDigits);
  return e10 >= 0 ? roundRational(mantissa * 10n ** BigInt(e10), 1n, format) : roundRational(mantissa, 10n ** BigInt(-e10), format);
}

function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/** Rounds num/den (both positive) to nearest-even in `format`; the unsigned bits, or null on overflow. */
export function roundRational(num: bigint, den: bigint, format: FloatFormat): bigint | null {
  const p = format.precision;
  const bias = (1 << (format.exponentBits - 1)) - 1;
  const emin = 1 - bias;
  // Scale so that the quotient carries at least p + 2 bits; the remainder becomes a sticky bit.
  const shift = p + 3 - (bitLength(num) - bitLength(den));
  const scaledNum = shift >= 0 ? num << BigInt(shift) : num;
  const scaledDen = shift >= 0 ? den : den << BigInt(-shift);
  const q = scaledNum / scaledDen;
  const sticky = q * scaledDen !== scaledNum;
  const qBits = bitLength(q);
  // value ≈ q · 2^-shift; its leading bit has exponent qBits - 1 - shift.
  const lead = qBits - 1 - shift;
  const keep = lead >= emin ? p : p - (emin - lead);
  const drop = qBits - keep;
  let m: bigint;
  let x: number; // value = m · 2^x
  if (drop <= 0) {
    m = q << BigInt(-drop);
    x = -shift + drop;
  } else {
    const d = BigInt(drop);
    m = q >> d;
    const rem = q & ((1n << d) - 1n);
    const half = 1n << (d - 1n);
    if (rem > half || (rem === half && (sticky || (m & 1n) === 1n))) m++;
    x = drop - shift;
  }
  if (m === 0n) return 0n;
  if (m >> BigInt(p) !== 0n) {
    m >>= 1n;
    x++;
  }
  if (m >> BigInt(p - 1) !== 0n) {
    const biased = x + p - 1 + bias;
    if (biased >= 2 * bias + 1) return null;
    return (BigInt(biased) << BigInt(p - 1)) | (m & ((1n << BigInt(p - 1)) - 1n));
  }
  return m; // subnormal
}
