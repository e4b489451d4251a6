// Exported functions: the JS function object of each Wasm function that reaches JS, created once
// per function, and the call path from JS into Wasm through it (the JS API's "call an exported
// function": ToWebAssemblyValue on the arguments, the call, ToJSValue on the results).
// https://webassembly.github.io/spec/js-api/#exported-function-exotic-objects

import { Engine } from '../compile/engine.ts';
import { failure } from '../instance/call.ts';
import { signatureOf } from '../instance/values.ts';
import type { EntryFunction } from '../native/invoker.ts';
import { makeWrapper } from './js-to-wasm-wrapper.ts';
import { RuntimeError } from '../errors.ts';
import type { FunctionHandle, Store } from '../instance/store.ts';
import { ValType, type FuncType } from '@flint/decoder';
import { setFunctionBridge, toJSValue, toWebAssemblyValue } from './js-values.ts';

let engine: Engine | undefined;
/** The engine behind the JS API namespace (one per thread). */
export function jsApiEngine(): Engine {
  engine ??= new Engine();
  return engine;
}
export const store = (): Store => jsApiEngine().store;

// Exported functions and their handles; each handle has one JS function.
const functionHandles = new WeakMap<object, FunctionHandle>();
/** Each handle's function, held weakly: the function holds its handle, never the other way round. */
const functionObjects = new WeakMap<FunctionHandle, WeakRef<(...args: unknown[]) => unknown>>();

/**
 * The entry trampoline for `type`; a signature no trampoline can serve (v128) gets one that is
 * never called, since its wrapper throws the JS API's TypeError first.
 */
function entryOf(s: Store, type: FuncType): EntryFunction {
  if (type.params.includes(ValType.V128) || type.results.includes(ValType.V128)) return () => 0; // never called: the wrapper throws first
  return s.invoker.entryFor(signatureOf(type));
}

/** The exported-function object of a function handle (created once per handle). */
export function exportedFunction(handle: FunctionHandle): (...args: unknown[]) => unknown {
  const existing = functionObjects.get(handle)?.deref();
  if (existing !== undefined) return existing;
  const type = handle.type;
  const s = store();
  const fn = makeWrapper(type, {
    entry: entryOf(s, type),
    record: handle.record,
    stack: s.invoker.valueStack,
    toWasmRef: type.params.map((param) => (value: unknown) => BigInt(toWebAssemblyValue(s, param, value))),
    toJSRef: type.results.map((result) => (raw: bigint) => toJSValue(s, result, raw)),
    failure: (status) => failure(s, status),
  });
  Object.defineProperty(fn, 'name', { value: handle.name });
  Object.defineProperty(fn, 'length', { value: type.params.length });
  functionHandles.set(fn, handle);
  functionObjects.set(handle, new WeakRef(fn));
  return fn;
}

/** The engine's handle of an exported function, or undefined for other values. */
export function functionHandleOf(value: unknown): FunctionHandle | undefined {
  return typeof value === 'function' ? functionHandles.get(value) : undefined;
}

setFunctionBridge({
  toJS(s, record) {
    const handle = s.functionHandle(record);
    if (handle === undefined) throw new RuntimeError(`unknown function reference 0x${record.toString(16)}`);
    return exportedFunction(handle);
  },
  fromJS(_s, value) {
    return functionHandleOf(value)?.record ?? null;
  },
});

