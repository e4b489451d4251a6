// Host functions: JS functions imported by Wasm code. Each (JS function, function type) pair gets
// a host-call trampoline (from the backend) that pushes a value frame (host id, arguments) on the
// thread's value stack and calls the store's dispatcher, one koffi callback without arguments
// `uint32_t dispatch(void)` that finds the frame through `HostState.hostCallFrame` and runs the
// host id's adapter (wasm-to-js-adapter.ts) on it. The adapter converts the arguments with
// ToJSValue, calls the function, and converts its results with ToWebAssemblyValue. A JS exception
// is caught here, recorded in the store and reported with a private status, which makes the
// trampoline leave through the trap exit; the outermost Wasm call rethrows it unchanged.
// https://webassembly.github.io/spec/js-api/#create-a-host-function

import koffi from 'koffi';
import { BackendBailout, BailoutReason, HostState } from '@flint/backend';
import { UnsupportedError } from '../errors.ts';
import type { FuncType } from '@flint/decoder';
import { HOST_EXCEPTION_STATUS } from './builtins.ts';
import { toBigInt64, toJSValue, toWebAssemblyValue } from '../api/js-values.ts';
import type { FunctionHandle, Store } from './store.ts';
import { signatureOf } from './values.ts';
import { makeAdapter, type HostCallAdapter } from './wasm-to-js-adapter.ts';

interface Dispatcher {
  readonly address: bigint;
  /** By host id: the adapter that runs one call of the host function (undefined once it is collected). */
  readonly adapters: (HostCallAdapter | undefined)[];
  /** Host ids of collected host functions, for reuse. */
  readonly freeIds: number[];
  readonly handles: WeakMap<object, Map<number, FunctionHandle>>;
}

const dispatchers = new WeakMap<Store, Dispatcher>();
/** One koffi prototype for every store's dispatcher: koffi rejects a second type of the same name. */
let hostCallProto: ReturnType<typeof koffi.proto> | undefined;

function dispatcherOf(store: Store): Dispatcher {
  let dispatcher = dispatchers.get(store);
  if (dispatcher !== undefined) return dispatcher;
  const adapters: (HostCallAdapter | undefined)[] = [];
  const proto = (hostCallProto ??= koffi.proto('uint32_t flint_host_call(void)'));
  const words = store.invoker.valueStack.u32;
  const hostWords = store.invoker.valueStack.hostWords;
  const callback = (): number => {
    try {
      const at = hostWords[HostState.hostCallFrame >> 2]!;
      return adapters[words[at >> 2]!]!(at);
    } catch (error) {
      store.pendingException = { error };
      return HOST_EXCEPTION_STATUS;
    }
  };
  dispatcher = { address: koffi.register(callback, koffi.pointer(proto)), adapters, freeIds: [], handles: new WeakMap() };
  dispatchers.set(store, dispatcher);
  return dispatcher;
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
  const hostId = dispatcher.freeIds.pop() ?? dispatcher.adapters.length;
  dispatcher.adapters[hostId] = (
    makeAdapter(type, {
      fn,
      stack: store.invoker.valueStack,
      toJSRef: type.params.map((param) => (raw: bigint) => toJSValue(store, param, raw)),
      toWasmRef: type.results.map((result) => (value: unknown) => BigInt(toWebAssemblyValue(store, result, value))),
      toBigInt64,
    })
  );
  let trampoline;
  try {
    trampoline = store.backend.emitHostCallTrampoline(signatureOf(type), dispatcher.address, hostId, store.invoker.hostStateAddress);
  } catch (error) {
    if (error instanceof BackendBailout) {
      throw new UnsupportedError(error.reason === BailoutReason.UnsupportedType ? 'proposal not supported: simd' : `host function not supported: ${error.message}`);
    }
    throw error;
  }
  const region = store.codeSpace.place([trampoline]);
  // The trampoline and the dispatcher slot live while the function can be called (its owner is
  // reachable); then the slot is reused and the region unmapped.
  const body = { region, hostId };
  releaseOnCollect.register(body, { dispatcher, hostId });
  const handle = store.allocateFuncRef(region.addressOf(0), store.hostVmContext.address, typeId, type, fn.name, body);
  byType.set(typeId, handle);
  return handle;
}

const releaseOnCollect = new FinalizationRegistry<{ dispatcher: Dispatcher; hostId: number }>(({ dispatcher, hostId }) => {
  dispatcher.adapters[hostId] = undefined;
  dispatcher.freeIds.push(hostId);
});
