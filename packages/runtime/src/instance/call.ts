// Calls into Wasm from the host with bit-exact values, and the turning of an entry's status
// into the JS-visible outcome: results, a `RuntimeError` for a trap, or the very exception a
// host function threw (recorded by the host-call dispatcher, rethrown here unchanged).

import { ENTRY_VALUE_SLOT_SIZE, VALUE_FRAME_HEADER, isTrapReason, valueFrameBytes } from '@flint/backend';
import { HOST_EXCEPTION_STATUS } from './builtins.ts';
import { RuntimeError, UnsupportedError } from '../errors.ts';
import { BackendBailout } from '@flint/backend';
import { ValType, type FuncType } from '@flint/decoder';
import { valueStackExhausted } from '../native/invoker.ts';
import type { FunctionHandle, Store } from './store.ts';
import { loadValue, signatureOf, storeValue, type WasmValue } from './values.ts';
import type { Signature } from '@flint/backend';

const signatures = new WeakMap<object, Signature>();

/** Calls the function behind `handle` with `args` (engine representation); returns its results. */
export function callFunction(store: Store, handle: FunctionHandle, args: readonly WasmValue[]): WasmValue[] {
  const type = handle.type;
  if (args.length !== type.params.length) throw new TypeError(`function expects ${type.params.length} arguments, got ${args.length}`);
  let signature = signatures.get(type);
  if (signature === undefined) {
    signature = signatureOf(type);
    signatures.set(type, signature);
  }
  let entry;
  try {
    entry = store.invoker.entryFor(signature);
  } catch (error) {
    // No entry trampoline for this signature (e.g. v128): not supported, rather than a crash.
    if (error instanceof BackendBailout) throw new UnsupportedError(unsupportedSignature(type, error));
    throw error;
  }
  const stack = store.invoker.valueStack;
  const at = stack.top;
  if (at + valueFrameBytes(type.params.length, type.results.length) > stack.size) throw valueStackExhausted();
  stack.view.setBigUint64(at, handle.record, true);
  const slots = at + VALUE_FRAME_HEADER;
  for (let i = 0; i < args.length; i++) storeValue(stack.view, slots + i * ENTRY_VALUE_SLOT_SIZE, type.params[i]!, args[i]!);
  const status = entry();
  if (status !== 0) throw failure(store, status);
  const results: WasmValue[] = [];
  for (let i = 0; i < type.results.length; i++) results.push(loadValue(stack.view, slots + i * ENTRY_VALUE_SLOT_SIZE, type.results[i]!));
  return results;
}

function unsupportedSignature(type: FuncType, bailout: BackendBailout): string {
  if ([...type.params, ...type.results].includes(ValType.V128)) return 'proposal not supported: simd';
  return `calling this function from the host is not supported: ${bailout.message}`;
}

/** The error for a non-zero entry status. */
export function failure(store: Store, status: number): unknown {
  if (status === HOST_EXCEPTION_STATUS) {
    const pending = store.pendingException;
    store.pendingException = null;
    if (pending !== null) return pending.error;
    return new RuntimeError('a host function failed, but its exception was lost');
  }
  if (isTrapReason(status)) return RuntimeError.trap(status);
  return new RuntimeError(`generated code returned an unknown status ${status}`);
}
