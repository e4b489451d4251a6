// Byte-level helpers the generator needs beyond `op()`: constants given as raw bits (so that NaN
// payloads and signalling NaNs survive, which `op('f32.const', number)` cannot express) and
// block types.
// Spec: https://webassembly.github.io/spec/core/binary/instructions.html#numeric-instructions
import { ValType } from '@flint/decoder';
import { sleb } from '@flint/decoder/testing';

export function i32Const(value: number): number[] {
  return [0x41, ...sleb(value | 0)];
}

export function i64Const(value: bigint): number[] {
  return [0x42, ...sleb(BigInt.asIntN(64, value))];
}

export function f32ConstBits(bits: number): number[] {
  const b = bits >>> 0;
  return [0x43, b & 0xff, (b >>> 8) & 0xff, (b >>> 16) & 0xff, b >>> 24];
}

export function f64ConstBits(bits: bigint): number[] {
  const out = [0x44];
  let b = BigInt.asUintN(64, bits);
  for (let i = 0; i < 8; i++) {
    out.push(Number(b & 0xffn));
    b >>= 8n;
  }
  return out;
}

/** The constant zero of a numeric type. */
export function zeroConst(type: ValType): number[] {
  switch (type) {
    case ValType.I32:
      return i32Const(0);
    case ValType.I64:
      return i64Const(0n);
    case ValType.F32:
      return f32ConstBits(0);
    case ValType.F64:
      return f64ConstBits(0n);
    default:
      throw new RangeError(`zeroConst: unsupported type 0x${type.toString(16)}`);
  }
}

/** The canonical NaN of f32 or f64 (positive sign, only the quiet bit set). */
export function canonicalNaN(type: ValType): number[] {
  return type === ValType.F32 ? f32ConstBits(0x7fc00000) : f64ConstBits(0x7ff8000000000000n);
}
