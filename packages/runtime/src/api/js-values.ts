// Values crossing the JS boundary, as the JS API specifies: ToJSValue and ToWebAssemblyValue.
// i64 is a BigInt, f32 goes through Math.fround, references are JS functions / JS values.
// https://webassembly.github.io/spec/js-api/#tojsvalue
// https://webassembly.github.io/spec/js-api/#towebassemblyvalue

import { HeapType, ValType, heapTypeOf, isConcreteHeap, isNullable, isRefType } from '@flint/decoder';
import type { Store } from '../instance/store.ts';
import type { WasmValue } from '../instance/values.ts';

const scratch = new DataView(new ArrayBuffer(8));

export function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}
export function f32ToBits(value: number): number {
  scratch.setFloat32(0, value, true);
  return scratch.getUint32(0, true);
}
export function f64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, BigInt.asUintN(64, bits), true);
  return scratch.getFloat64(0, true);
}
export function f64ToBits(value: number): bigint {
  scratch.setFloat64(0, value, true);
  return scratch.getBigUint64(0, true);
}

/** Converts a function reference to its JS function; provided by js-api.ts (it owns the wrappers). */
export interface FunctionBridge {
  toJS(store: Store, record: bigint): unknown;
  /** The record of an exported function, or null when `value` is not one. */
  fromJS(store: Store, value: unknown): bigint | null;
}

let bridge: FunctionBridge | null = null;
export function setFunctionBridge(b: FunctionBridge): void {
  bridge = b;
}

function isFuncHeap(type: ValType): boolean {
  const heap = heapTypeOf(type);
  return heap === HeapType.Func || heap === HeapType.NoFunc || isConcreteHeap(heap);
}

export function toJSValue(store: Store, type: ValType, value: WasmValue): unknown {
  switch (type) {
    case ValType.I32:
      return Number(value) | 0;
    case ValType.I64:
      return BigInt.asIntN(64, BigInt(value));
    case ValType.F32:
      return f32FromBits(Number(value));
    case ValType.F64:
      return f64FromBits(BigInt(value));
    case ValType.V128:
      throw new TypeError('v128 values cannot cross into JS');
    default: {
      const ref = BigInt(value);
      if (ref === 0n) return null;
      if (isRefType(type) && isFuncHeap(type)) {
        if (bridge === null) throw new TypeError('function references need the JS API');
        return bridge.toJS(store, ref);
      }
      return store.handleToExtern(ref);
    }
  }
}

export function toWebAssemblyValue(store: Store, type: ValType, value: unknown): WasmValue {
  switch (type) {
    case ValType.I32:
      return toNumber(value) | 0;
    case ValType.I64:
      return BigInt.asIntN(64, toBigInt(value));
    case ValType.F32:
      return f32ToBits(Math.fround(toNumber(value)));
    case ValType.F64:
      return f64ToBits(toNumber(value));
    case ValType.V128:
      throw new TypeError('v128 values cannot cross from JS');
    default: {
      if (value === null) {
        if (!isNullable(type)) throw new TypeError('null is not allowed for a non-nullable reference');
        return 0n;
      }
      if (isRefType(type) && isFuncHeap(type)) {
        const record = bridge?.fromJS(store, value) ?? null;
        if (record === null) throw new TypeError('a funcref value must be null or an exported WebAssembly function');
        return record;
      }
      const heap = heapTypeOf(type);
      if (heap !== HeapType.Extern && heap !== HeapType.Any) throw new TypeError(`references of heap type 0x${heap.toString(16)} cannot cross from JS yet`);
      return store.externToHandle(value);
    }
  }
}

/**
 * ToWebAssemblyValue of a value about to be stored natively in `holder` (a table or a global): a
 * function reference also makes the holder retain the function's owner, since the stored record
 * points into the owner's memory and code.
 */
export function toStoredWebAssemblyValue(store: Store, type: ValType, value: unknown, holder: { retain(owner: object): void }): WasmValue {
  const raw = toWebAssemblyValue(store, type, value);
  if (typeof raw === 'bigint' && raw !== 0n && isRefType(type) && isFuncHeap(type)) {
    const owner = store.functionHandle(raw)?.owner;
    if (owner !== undefined) holder.retain(owner);
  }
  return raw;
}

/** ToNumber: BigInt throws a TypeError, everything else coerces. */
function toNumber(value: unknown): number {
  if (typeof value === 'bigint') throw new TypeError('cannot convert a BigInt to a number');
  return Number(value);
}

/** ToBigInt64: a BigInt, boolean or string, wrapped to 64 bits; a Number is a TypeError (the JS API demands BigInt for i64). */
export function toBigInt64(value: unknown): bigint {
  return BigInt.asIntN(64, toBigInt(value));
}

/** ToBigInt: numbers throw a TypeError (the JS API demands a BigInt for i64). */
function toBigInt(value: unknown): bigint {
  if (typeof value === 'number') throw new TypeError('cannot convert a number to a BigInt: i64 values are BigInts');
  return BigInt(value as string | boolean | bigint);
}
