// Script values in the engine's bit-exact form (`@flint/runtime/testing`): arguments from
// `WastConst`s, results checked against `WastExpected`s. Nothing goes through JS numbers, so NaN
// payloads (signalling ones included) and reference identities are compared exactly.
// https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import { UnsupportedError } from '@flint/runtime';
import { externToRaw, isRawFuncRef, rawToExtern, type WasmValue } from '@flint/runtime/testing';
import type { FloatPattern, WastConst, WastExpected } from '@flint/text';

/** Host objects standing for `ref.extern n` / `ref.host n`: one object per kind and n, per runner. */
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

/** An argument in raw form. What the engine cannot take yet is an `UnsupportedError` (the command is skipped). */
export function constToRaw(value: WastConst, hosts: HostObjects): WasmValue {
  switch (value.type) {
    case 'i32':
      return value.value | 0;
    case 'i64':
      return BigInt.asIntN(64, value.value);
    case 'f32':
      return value.bits >>> 0;
    case 'f64':
      return BigInt.asUintN(64, value.bits);
    case 'v128':
      return v128Bits(value.bytes);
    case 'ref.null':
      return 0n;
    case 'ref.extern':
    case 'ref.host':
      return externToRaw(hosts.get(value.type, value.value ?? 0));
    default:
      throw new UnsupportedError(`proposal not supported: gc (${value.type} argument)`);
  }
}

const F32_EXP = 0x7f80_0000;
const F32_QUIET = 0x0040_0000;
const F64_EXP = 0x7ff0_0000_0000_0000n;
const F64_QUIET = 0x0008_0000_0000_0000n;

/** Whether the raw result `actual` is what `expected` describes (`nan:canonical`, `nan:arithmetic` as the spec defines them). */
export function matches(expected: WastExpected, actual: WasmValue, hosts: HostObjects): boolean {
  switch (expected.type) {
    case 'i32':
      return (Number(actual) | 0) === (expected.value | 0);
    case 'i64':
      return BigInt.asIntN(64, BigInt(actual)) === BigInt.asIntN(64, expected.value);
    case 'f32': {
      const bits = Number(actual) >>> 0;
      if ('nan' in expected) {
        if ((bits & F32_EXP) !== F32_EXP || (bits & 0x007f_ffff) === 0) return false;
        return expected.nan === 'nan:canonical' ? (bits & 0x7fff_ffff) === (F32_EXP | F32_QUIET) : (bits & F32_QUIET) !== 0;
      }
      return bits === expected.bits >>> 0;
    }
    case 'f64': {
      const bits = BigInt.asUintN(64, BigInt(actual));
      if ('nan' in expected) {
        if ((bits & F64_EXP) !== F64_EXP || (bits & 0x000f_ffff_ffff_ffffn) === 0n) return false;
        return expected.nan === 'nan:canonical' ? (bits & 0x7fff_ffff_ffff_ffffn) === (F64_EXP | F64_QUIET) : (bits & F64_QUIET) !== 0n;
      }
      return bits === BigInt.asUintN(64, expected.bits);
    }
    case 'either':
      return expected.options.some((option) => matches(option, actual, hosts));
    case 'ref.null':
      return BigInt(actual) === 0n;
    case 'ref.extern':
    case 'ref.host':
      return expected.value === undefined ? BigInt(actual) !== 0n : rawToExtern(actual) === hosts.get(expected.type, expected.value);
    case 'ref.func':
      return BigInt(actual) !== 0n && isRawFuncRef(actual);
    case 'v128':
      if ('bytes' in expected) return BigInt.asUintN(128, BigInt(actual)) === v128Bits(expected.bytes);
      return matchesV128(expected.shape, expected.lanes, actual, hosts);
    default:
      throw new UnsupportedError(`proposal not supported: gc (${expected.type} result)`);
  }
}

/** The engine's raw v128: an unsigned 128-bit bigint of the 16 little-endian bytes. */
function v128Bits(bytes: Uint8Array): bigint {
  let bits = 0n;
  for (let i = 15; i >= 0; i--) bits = (bits << 8n) | BigInt(bytes[i]!);
  return bits;
}

const LANE_BITS: Readonly<Record<string, number>> = { i8x16: 8, i16x8: 16, i32x4: 32, i64x2: 64, f32x4: 32, f64x2: 64 };

/** Each lane of a v128 result against its pattern: integer lanes bit-exact, float lanes as f32/f64 results (NaN patterns included). */
function matchesV128(shape: string, lanes: readonly (bigint | FloatPattern)[], actual: WasmValue, hosts: HostObjects): boolean {
  const value = BigInt.asUintN(128, BigInt(actual));
  const bits = LANE_BITS[shape]!;
  return lanes.every((lane, i) => {
    const got = BigInt.asUintN(bits, value >> BigInt(i * bits));
    if (typeof lane === 'bigint') return got === BigInt.asUintN(bits, lane);
    return matches(lane, bits === 32 ? Number(got) : got, hosts);
  });
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigUint64Array(f64.buffer);

function f32Text(bits: number): string {
  f32Bits[0] = bits;
  return Number.isNaN(f32[0]!) ? `nan:0x${(bits & 0x7f_ffff).toString(16)}${bits >>> 31 ? ' (negative)' : ''}` : String(f32[0]);
}

function f64Text(bits: bigint): string {
  f64Bits[0] = bits;
  return Number.isNaN(f64[0]!) ? `nan:0x${(bits & 0xf_ffff_ffff_ffffn).toString(16)}${bits >> 63n ? ' (negative)' : ''}` : String(f64[0]);
}

/** An expected result as the script spells it: `(i32.const 5)`, `(f32.const nan:canonical)`, `(ref.null)`. */
export function describeExpected(expected: WastExpected): string {
  switch (expected.type) {
    case 'i32':
    case 'i64':
      return `(${expected.type}.const ${expected.value})`;
    case 'f32':
      return `(f32.const ${'nan' in expected ? expected.nan : f32Text(expected.bits >>> 0)})`;
    case 'f64':
      return `(f64.const ${'nan' in expected ? expected.nan : f64Text(BigInt.asUintN(64, expected.bits))})`;
    case 'either':
      return `(either ${expected.options.map(describeExpected).join(' ')})`;
    case 'v128':
      if ('bytes' in expected) return `(v128.const i8x16 ${[...expected.bytes].join(' ')})`;
      return `(v128.const ${expected.shape} ${expected.lanes.map((l) => (typeof l === 'bigint' ? String(l) : describeExpected(l))).join(' ')})`;
    default:
      return `(${expected.type}${'value' in expected && expected.value !== undefined ? ` ${expected.value}` : ''})`;
  }
}

/** A raw result, read as the type `expected` names: `4`, `-1 (i64)`, `1.5`, `nan:0x200000`, `null`, `a reference`. */
export function describeActual(actual: WasmValue, expected: WastExpected): string {
  const type = expected.type === 'either' ? (expected.options[0]?.type ?? 'i32') : expected.type;
  switch (type) {
    case 'i32':
      return String(Number(actual) | 0);
    case 'i64':
      return `${BigInt.asIntN(64, BigInt(actual))} (i64)`;
    case 'f32':
      return f32Text(Number(actual) >>> 0);
    case 'f64':
      return f64Text(BigInt.asUintN(64, BigInt(actual)));
    case 'v128':
      return `0x${BigInt.asUintN(128, BigInt(actual)).toString(16).padStart(32, '0')} (v128)`;
    default:
      return BigInt(actual) === 0n ? 'null' : 'a reference';
  }
}
