// Host functions: JS functions imported by Wasm code. Each (JS function, function type) pair gets
// a host-call trampoline (from the backend) that calls the store's dispatcher, one koffi callback
// `uint32_t dispatch(vmctx, hostId, values)`. The dispatcher converts the arguments with
// ToJSValue, calls the function, and converts its results with ToWebAssemblyValue. A JS exception
// is caught here, recorded in the store and reported with a private status, which makes the
// trampoline leave through the trap exit; the outermost Wasm call rethrows it unchanged.
// https://webassembly.github.io/spec/js-api/#create-a-host-function

import koffi from 'koffi';
import { BackendBailout, BailoutReason, ENTRY_VALUE_SLOT_SIZE } from '@flint/backend';
import { UnsupportedError } from '../errors.ts';
import type { FuncType } from '@flint/decoder';
import { HOST_EXCEPTION_STATUS } from './builtins.ts';
import { toJSValue, toWebAssemblyValue } from '../api/js-values.ts';
import type { FunctionHandle, Store } from './store.ts';
import { loadValue, signatureOf, storeValue } from './values.ts';

interface HostFunction {
  readonly fn: (...args: unknown[]) => unknown;
  readonly type: FuncType;
}

interface Dispatcher {
  readonly address: bigint;
  readonly functions: HostFunction[];
  readonly handles: WeakMap<object, Map<number, FunctionHandle>>;
}

const dispatchers = new WeakMap<Store, Dispatcher>();

function dispatcherOf(store: Store): Dispatcher {
  let dispatcher = dispatchers.get(store);
  if (dispatcher !== undefined) return dispatcher;
  const functions: HostFunction[] = [];
  const proto = koffi.proto('uint32_t flint_host_call(void *vmctx, uint32_t hostId, void *values)');
  const callback = (_vmctx: unknown, hostId: number, values: unknown): number => {
    try {
      const host = functions[hostId]!;
      const type = host.type;
      const slots = Math.max(1, type.params.length, type.results.length);
      const view = new DataView(koffi.view(values, slots * ENTRY_VALUE_SLOT_SIZE));
      const args: unknown[] = [];
      for (let i = 0; i < type.params.length; i++) args.push(toJSValue(store, type.params[i]!, loadValue(view, i * ENTRY_VALUE_SLOT_SIZE, type.params[i]!)));
      const result = host.fn(...args);
      if (type.results.length === 1) {
        storeValue(view, 0, type.results[0]!, toWebAssemblyValue(store, type.results[0]!, result));
      } else if (type.results.length > 1) {
        const list = iterableToList(result, type.results.length);
        for (let i = 0; i < list.length; i++) storeValue(view, i * ENTRY_VALUE_SLOT_SIZE, type.results[i]!, toWebAssemblyValue(store, type.results[i]!, list[i]));
      }
      return 0;
    } catch (error) {
      store.pendingException = { error };
      return HOST_EXCEPTION_STATUS;
    }
  };
  const pointer = koffi.register(callback, koffi.pointer(proto));
  dispatcher = { address: koffi.address(pointer), functions, handles: new WeakMap() };
  dispatchers.set(store, dispatcher);
  return dispatcher;
}

function iterableToList(value: unknown, expected: number): unknown[] {
  if (value === null || typeof value !== 'object' || !(Symbol.iterator in value)) {
    throw new TypeError(`a host function with ${expected} results must return an iterable`);
  }
  const list = [...(value as Iterable<unknown>)];
  if (list.length !== expected) throw new TypeError(`a host function returned ${list.length} values, expected ${expected}`);
  return list;
}

/**
 * The function handle of JS function `fn` used at type `type` (canonical id `typeId`): one
 * host-call trampoline and `FuncRefRecord` per pair, created on first use.
 */
export function hostFunctionHandle(store: Store, fn: (...args: unknown[]) => unknown, type: FuncType, typeId: number): FunctionHandle {
  const dispatcher = dispatcherOf(store);
  let byType = dispatcher.handles.get(fn);
  if (byType === undefined) {
    byType = new Map();
    dispatcher.handles.set(fn, byType);
  }
  const cached = byType.get(typeId);
  if (cached !== undefined) return cached;
  const hostId = dispatcher.functions.length;
  dispatcher.functions.push({ fn, type });
  let trampoline;
  try {
    trampoline = store.backend.emitHostCallTrampoline(signatureOf(type), dispatcher.address, hostId);
  } catch (error) {
    if (error instanceof BackendBailout) {
      throw new UnsupportedError(error.reason === BailoutReason.UnsupportedType ? 'proposal not supported: simd' : `host function not supported: ${error.message}`);
    }
    throw error;
  }
  const region = store.codeSpace.place([trampoline]);
  keepAlive.push(region);
  const handle = store.allocateFuncRef(region.addressOf(0), store.hostVmContext.address, typeId, type, fn.name);
  byType.set(typeId, handle);
  return handle;
}

// Trampolines of host functions live as long as their FuncRefRecords (the store's lifetime).
const keepAlive: unknown[] = [];
