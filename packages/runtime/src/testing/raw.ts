import { callFunction } from '../instance/call.ts';
import { Global, functionHandleOf, jsApiEngine } from '../api/js-api.ts';
import type { WasmValue } from '../instance/values.ts';

/**
 * Calls an exported function with arguments in the engine's bit-exact form (i32/f32 as number
 * bits, i64/f64 as bigint bits, references as raw handles) and returns its raw results.
 */
export function invokeRaw(fn: unknown, args: readonly WasmValue[]): WasmValue[] {
  const handle = functionHandleOf(fn);
  if (handle === undefined) throw new TypeError('invokeRaw expects an exported WebAssembly function');
  return callFunction(jsApiEngine().store, handle, args);
}

/** A global's value in the engine's bit-exact form. */
export function globalValueRaw(global: unknown): WasmValue {
  if (!(global instanceof Global)) throw new TypeError('globalValueRaw expects a WebAssembly.Global');
  return global.global.value;
}

/** The raw externref handle of a JS value (null → 0). */
export function externToRaw(value: unknown): bigint {
  return jsApiEngine().store.externToHandle(value);
}

/** The JS value behind a raw externref handle. */
export function rawToExtern(raw: WasmValue): unknown {
  return jsApiEngine().store.handleToExtern(BigInt(raw));
}

/** True when `raw` is the address of a function reference the store knows. */
export function isRawFuncRef(raw: WasmValue): boolean {
  return jsApiEngine().store.functionHandle(BigInt(raw)) !== undefined;
}
