// Script values across Flint's JS API: arguments from `WastConst`s, and results checked
// against `WastExpected`s. The JS API carries floats as JS numbers, so NaN payloads do not
// survive it: any NaN matches an expected NaN (canonical, arithmetic or a specific payload).
// A bit-exact runner lives in tests/execution (it uses @flint/runtime/testing).
// Script semantics: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import type { WastConst, WastExpected } from '@flint/text';

/** A command the CLI runner cannot check through the JS API; counted as skipped. */
export class Skip extends Error {
  override readonly name = 'Skip';
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigUint64Array(f64.buffer);

function f32FromBits(bits: number): number {
  f32Bits[0] = bits;
  return f32[0]!;
}

function f64FromBits(bits: bigint): number {
  f64Bits[0] = bits;
  return f64[0]!;
}

function bitsOfF32(value: number): number {
  f32[0] = value;
  return f32Bits[0]!;
}

function bitsOfF64(value: number): bigint {
  f64[0] = value;
  return f64Bits[0]!;
}

// Quiet NaNs keep their payload through JS numbers in practice (f32 → f64 → f32 included), but
// converting a signalling NaN between widths sets its quiet bit: such arguments are skipped.
const F32_QUIET_BIT = 0x00400000;
const F64_QUIET_BIT = 0x0008000000000000n;
const SIGNALLING_NAN = 'signalling NaN arguments cannot cross the JS API unchanged';

/** Host objects standing for `ref.extern n` / `ref.host n`, one per n. */
export class HostObjects {
  readonly #objects = new Map<string, object>();

  get(kind: string, n: number): object {
    const key = `${kind} ${n}`;
    let value = this.#objects.get(key);
    if (value === undefined) {
      value = Object.freeze({ [kind]: n });
      this.#objects.set(key, value);
    }
    return value;
  }
}

export function toJSArgument(value: WastConst, hosts: HostObjects): unknown {
  switch (value.type) {
    case 'i32':
    case 'i64':
      return value.value;
    case 'f32':
      if (Number.isNaN(f32FromBits(value.bits)) && (value.bits & F32_QUIET_BIT) === 0) throw new Skip(SIGNALLING_NAN);
      return f32FromBits(value.bits);
    case 'f64':
      if (Number.isNaN(f64FromBits(value.bits)) && (value.bits & F64_QUIET_BIT) === 0n) throw new Skip(SIGNALLING_NAN);
      return f64FromBits(value.bits);
    case 'v128':
      throw new Skip('v128 values cannot cross the JS API');
    case 'ref.null':
      return null;
    case 'ref.extern':
    case 'ref.host':
      if (value.value === undefined) throw new Skip(`${value.type} without a value`);
      return hosts.get(value.type, value.value);
    default:
      throw new Skip(`${value.type} arguments are not supported by the CLI runner`);
  }
}

/** Why `actual` does not match `expected`, or null when it does. */
export function mismatch(actual: unknown, expected: WastExpected, hosts: HostObjects): string | null {
  const describe = `expected ${formatExpected(expected)}, got ${formatActual(actual)}`;
  switch (expected.type) {
    case 'i32':
      return typeof actual === 'number' && (actual | 0) === expected.value ? null : describe;
    case 'i64':
      return typeof actual === 'bigint' && BigInt.asIntN(64, actual) === expected.value ? null : describe;
    case 'f32':
    case 'f64': {
      if (typeof actual !== 'number') return describe;
      const expectsNaN = 'nan' in expected || (expected.type === 'f32' ? Number.isNaN(f32FromBits(expected.bits as number)) : Number.isNaN(f64FromBits(expected.bits as bigint)));
      if (expectsNaN) return Number.isNaN(actual) ? null : describe;
      if ('nan' in expected) return describe;
      const same = expected.type === 'f32' ? bitsOfF32(actual) === expected.bits : bitsOfF64(actual) === expected.bits;
      return same ? null : describe;
    }
    case 'v128':
      throw new Skip('v128 values cannot cross the JS API');
    case 'either':
      return expected.options.some((option) => mismatch(actual, option, hosts) === null) ? null : describe;
    case 'ref.null':
      return actual === null ? null : describe;
    case 'ref.extern':
    case 'ref.host':
      if (expected.value === undefined) return actual !== null && actual !== undefined ? null : describe;
      return actual === hosts.get(expected.type, expected.value) ? null : describe;
    case 'ref.func':
      return typeof actual === 'function' ? null : describe;
    default:
      // Other references (any, eq, i31, struct, array, exn): only non-null can be told apart.
      return actual !== null && actual !== undefined ? null : describe;
  }
}

export function formatExpected(expected: WastExpected): string {
  switch (expected.type) {
    case 'i32':
    case 'i64':
      return `(${expected.type}.const ${expected.value})`;
    case 'f32':
    case 'f64':
      if ('nan' in expected) return `(${expected.type}.const ${expected.nan})`;
      return `(${expected.type}.const ${expected.type === 'f32' ? f32FromBits(expected.bits as number) : f64FromBits(expected.bits as bigint)})`;
    case 'either':
      return `(either ${expected.options.map(formatExpected).join(' ')})`;
    case 'v128':
      return '(v128.const …)';
    default:
      return `(${expected.type}${'value' in expected && expected.value !== undefined ? ` ${expected.value}` : ''})`;
  }
}

function formatActual(actual: unknown): string {
  if (typeof actual === 'bigint') return `${actual} (i64)`;
  if (typeof actual === 'number') return String(actual);
  if (typeof actual === 'function') return 'a function reference';
  if (actual === null) return 'null';
  if (actual === undefined) return 'no value';
  return 'a reference';
}
