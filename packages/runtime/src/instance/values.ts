// Wasm values inside the engine: bit-exact, so NaN payloads survive every crossing. i32 and f32
// are numbers holding the 32 bits (i32 signed, f32 as its unsigned IEEE bits), i64 and f64 are
// bigints (i64 signed, f64 as unsigned IEEE bits), references are bigints (a `FuncRefRecord`
// address for funcref, an extern handle for externref; 0 is null). The JS API converts at its
// boundary (js-api.ts); the engine API and the test runners use these directly.

import { ValueKind, type Signature } from '@flint/backend';
import { ValType, isRefType, type FuncType } from '@flint/decoder';
import { UnsupportedError } from '../errors.ts';

export type WasmValue = number | bigint;

/** The machine kind of a value type. */
export function valueKindOf(type: ValType): ValueKind {
  switch (type) {
    case ValType.I32:
      return ValueKind.I32;
    case ValType.I64:
      return ValueKind.I64;
    case ValType.F32:
      return ValueKind.F32;
    case ValType.F64:
      return ValueKind.F64;
    case ValType.V128:
      return ValueKind.V128;
    default:
      if (isRefType(type)) return ValueKind.Ref;
      throw new UnsupportedError(`value type 0x${type.toString(16)} has no machine representation`);
  }
}

export function signatureOf(type: FuncType): Signature {
  return { params: type.params.map(valueKindOf), results: type.results.map(valueKindOf) };
}

/** The zero value (null for references) of a type, in the engine's representation. */
export function defaultValue(type: ValType): WasmValue {
  return type === ValType.I32 || type === ValType.F32 ? 0 : 0n;
}

/** Writes `value` of `type` into the 8 (or 16) bytes at `at`. */
export function storeValue(view: DataView, at: number, type: ValType, value: WasmValue): void {
  switch (type) {
    case ValType.I32:
      view.setInt32(at, Number(value) | 0, true);
      return;
    case ValType.F32:
      view.setUint32(at, Number(value) >>> 0, true);
      return;
    case ValType.V128:
      throw new UnsupportedError('v128 values are not supported by the runtime yet');
    default:
      view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
  }
}

export function loadValue(view: DataView, at: number, type: ValType): WasmValue {
  switch (type) {
    case ValType.I32:
      return view.getInt32(at, true);
    case ValType.F32:
      return view.getUint32(at, true);
    case ValType.I64:
      return view.getBigInt64(at, true);
    case ValType.V128:
      throw new UnsupportedError('v128 values are not supported by the runtime yet');
    default:
      return view.getBigUint64(at, true);
  }
}
