// Exact text for numeric literals: every float prints as a literal that parses back to the
// same bits, NaN payloads included.
// Spec: https://webassembly.github.io/spec/core/text/values.html#floating-point

const scratch = new ArrayBuffer(8);
const scratchF32 = new Float32Array(scratch);
const scratchU32 = new Uint32Array(scratch);
const scratchF64 = new Float64Array(scratch);

const F32_CANONICAL_NAN = 0x400000;
const F64_CANONICAL_NAN = 1n << 51n;

/** An f32 from its raw bits, as a literal. */
export function formatF32(bits: number): string {
  const sign = bits >>> 31 ? '-' : '';
  const exponent = (bits >>> 23) & 0xff;
  const fraction = bits & 0x7fffff;
  if (exponent === 0xff) {
    if (fraction === 0) return sign + 'inf';
    return fraction === F32_CANONICAL_NAN ? sign + 'nan' : sign + 'nan:0x' + fraction.toString(16);
  }
  scratchU32[0] = bits;
  const value = scratchF32[0]!;
  if (value === 0) return sign + '0';
  // The shortest decimal is used only when it lies well inside the rounding interval (a quarter
  // ulp), so that a parser rounding via f64 and one rounding directly to f32 agree; otherwise
  // the hex form, which is always exact.
  const quarterUlp = 2 ** ((exponent === 0 ? 1 : exponent) - 127 - 23) / 4;
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    const parsed = Number(text);
    if (Math.fround(parsed) === value && Math.abs(parsed - value) <= quarterUlp) return text;
  }
  return formatF32Hex(bits);
}

/** A finite f32 from its raw bits, as an exact hex float literal (`-0x1.8p+3`). */
export function formatF32Hex(bits: number): string {
  const exponent = (bits >>> 23) & 0xff;
  const fraction = bits & 0x7fffff;
  if (exponent === 0 && fraction === 0) return bits >>> 31 ? '-0x0p+0' : '0x0p+0';
  return (bits >>> 31 ? '-' : '') + hexFloat(BigInt(fraction), exponent, 23, 127);
}

/** An f64 from its raw bits (two 32-bit halves), as a literal. */
export function formatF64(lo: number, hi: number): string {
  const sign = hi >>> 31 ? '-' : '';
  const exponent = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
  if (exponent === 0x7ff) {
    if (fraction === 0n) return sign + 'inf';
    return fraction === F64_CANONICAL_NAN ? sign + 'nan' : sign + 'nan:0x' + fraction.toString(16);
  }
  scratchU32[0] = lo;
  scratchU32[1] = hi;
  const value = scratchF64[0]!;
  if (value === 0) return sign + '0';
  // JavaScript's number-to-string is the shortest decimal that reads back to the same f64, and
  // its exponent forms (`1e+21`, `5e-7`) are valid text-format literals.
  return String(value);
}

/** `0x1.8p+3`-style text of a finite non-zero float given its biased exponent and fraction. */
function hexFloat(fraction: bigint, exponent: number, fractionBits: number, bias: number): string {
  const subnormal = exponent === 0;
  const unbiased = (subnormal ? 1 : exponent) - bias;
  // Pad the fraction to whole hex digits, then drop trailing zero digits.
  const padBits = (4 - (fractionBits % 4)) % 4;
  let digits = (fraction << BigInt(padBits)).toString(16).padStart((fractionBits + padBits) / 4, '0');
  digits = digits.replace(/0+$/, '');
  return (subnormal ? '0x0' : '0x1') + (digits.length > 0 ? '.' + digits : '') + 'p' + (unbiased >= 0 ? '+' : '') + unbiased;
}

/** An i32 immediate (held as a signed 32-bit integer). */
export const formatI32 = (value: number): string => String(value | 0);

/** An i64 immediate from two's-complement halves. */
export const formatI64 = (lo: number, hi: number): string =>
  BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
