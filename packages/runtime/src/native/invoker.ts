// Runs placed Wasm code from the host through a backend's entry trampolines: one trampoline per
// signature, generated on first use and cached; one trap exit and one `HostState` block per
// invoker (the runtime makes one invoker per thread). Arguments and results travel through a
// reused native values buffer, so a call allocates only its results. The buffer may be reused by
// a nested call (host → Wasm → host → Wasm): the outer call has consumed its arguments by then
// and writes its results only after the inner call returned.

import {
  ENTRY_VALUE_SLOT_SIZE,
  HostState,
  VMCTX_TRAP_EXIT,
  ValueKind,
  isTrapReason,
  type Backend,
  type Signature,
  type TrapReason,
} from '@flint/backend';
import type { CodeRegion, CodeSpace } from '../code/code-space.ts';
import { callEntry, callReadStackPointer } from './entry.ts';
import { NativeError, type NativePointer } from './libc.ts';
import { NativeMemory } from './native-memory.ts';

/** i32/f32/f64 as numbers, i64 and references as bigints. */
export type NativeValue = number | bigint;

export type NativeOutcome =
  | { readonly kind: 'return'; readonly results: NativeValue[] }
  | { readonly kind: 'trap'; readonly reason: TrapReason };

const MAX_VALUES = 256;
/** Stack granted below the invoker's creation point until the first entry sets the real limit. */
const INITIAL_STACK_BUDGET = 512 * 1024;

export class NativeInvoker {
  readonly #backend: Backend;
  readonly #space: CodeSpace;
  readonly #entries = new Map<string, CodeRegion>();
  readonly #trapExit: CodeRegion;
  readonly #values = new NativeMemory(MAX_VALUES * ENTRY_VALUE_SLOT_SIZE);
  readonly #hostState = new NativeMemory(HostState.size);

  constructor(backend: Backend, space: CodeSpace) {
    this.#backend = backend;
    this.#space = space;
    this.#trapExit = space.place([backend.emitTrapExit(this.#hostState.address)]);
    // Until the first entry sets it, the stack limit is derived from where the host stack is
    // now, so that VM contexts of instances never entered yet still get a usable limit.
    const readSp = space.place([backend.emitReadStackPointer()]);
    const sp = callReadStackPointer(readSp.pointerOf(0));
    readSp.dispose();
    this.#hostState.view.setBigUint64(HostState.stackLimit, sp - BigInt(INITIAL_STACK_BUDGET), true);
  }

  /** Address of this thread's `HostState` block (for host-call trampolines and tests). */
  get hostStateAddress(): bigint {
    return this.#hostState.address;
  }

  /** The stack limit Wasm code of this thread currently runs with (for fresh VM contexts). */
  get stackLimit(): bigint {
    return this.#hostState.view.getBigUint64(HostState.stackLimit, true);
  }

  /** Address of the trap exit; every VM context used with this invoker must point at it. */
  get trapExitAddress(): bigint {
    return this.#trapExit.addressOf(0);
  }

  /** The cached entry trampoline for `signature`. */
  entryFor(signature: Signature): NativePointer {
    const key = `${signature.params.join(',')}:${signature.results.join(',')}`;
    let region = this.#entries.get(key);
    if (region === undefined) {
      region = this.#space.place([this.#backend.emitEntryTrampoline(signature, this.#hostState.address)]);
      this.#entries.set(key, region);
    }
    return region.pointerOf(0);
  }

  /** Calls the Wasm function at `code` with `vmContext` and returns its results or its trap. */
  invoke(vmContext: NativeMemory, code: NativePointer, signature: Signature, args: readonly NativeValue[]): NativeOutcome {
    const status = this.invokeRaw(vmContext, code, signature, args);
    if (status !== 0) {
      if (!isTrapReason(status)) throw new NativeError(`generated code returned an unknown trap code ${status}`);
      return { kind: 'trap', reason: status };
    }
    return { kind: 'return', results: this.readResults(signature) };
  }

  /**
   * Calls the Wasm function and returns the entry's status (0, a trap reason or a private status
   * of the runtime); on 0 the results are in the values buffer until the next call.
   */
  invokeRaw(vmContext: { readonly pointer: NativePointer; readonly view: DataView }, code: NativePointer, signature: Signature, args: readonly NativeValue[]): number {
    if (args.length !== signature.params.length) {
      throw new NativeError(`expected ${signature.params.length} arguments, got ${args.length}`);
    }
    if (Math.max(args.length, signature.results.length) > MAX_VALUES) {
      throw new NativeError(`more than ${MAX_VALUES} parameters or results`);
    }
    const entry = this.entryFor(signature);
    vmContext.view.setBigUint64(VMCTX_TRAP_EXIT, this.trapExitAddress, true);
    const values = this.#values.view;
    signature.params.forEach((kind, i) => writeValue(values, i * ENTRY_VALUE_SLOT_SIZE, kind, args[i]!));
    return callEntry(entry, vmContext.pointer, code, this.#values.pointer);
  }

  /** The native values buffer (`ENTRY_VALUE_SLOT_SIZE` bytes per slot), for `callWithValues`. */
  get values(): DataView {
    return this.#values.view;
  }

  /**
   * Calls the Wasm function with the arguments the caller already wrote into `values`; returns
   * the entry's status. On 0 the results are in `values`, to be read before the next call.
   */
  callWithValues(vmContext: NativePointer, code: NativePointer, signature: Signature): number {
    const entry = this.entryFor(signature);
    return callEntry(entry, vmContext, code, this.#values.pointer);
  }

  /** The results of the last successful `invokeRaw` for `signature`. */
  readResults(signature: Signature): NativeValue[] {
    const values = this.#values.view;
    return signature.results.map((kind, i) => readValue(values, i * ENTRY_VALUE_SLOT_SIZE, kind));
  }

  dispose(): void {
    this.#values.dispose();
    this.#hostState.dispose();
  }
}

export function writeValue(view: DataView, at: number, kind: ValueKind, value: NativeValue): void {
  switch (kind) {
    case ValueKind.I32:
      view.setInt32(at, Number(value) | 0, true);
      return;
    case ValueKind.F32:
      view.setFloat32(at, Number(value), true);
      return;
    case ValueKind.F64:
      view.setFloat64(at, Number(value), true);
      return;
    case ValueKind.I64:
    case ValueKind.Ref:
      view.setBigInt64(at, BigInt.asIntN(64, BigInt(value)), true);
      return;
    case ValueKind.V128: {
      // An unsigned 128-bit bigint, lane 0 in the low bits.
      const bits = BigInt.asUintN(128, BigInt(value));
      view.setBigUint64(at, BigInt.asUintN(64, bits), true);
      view.setBigUint64(at + 8, bits >> 64n, true);
      return;
    }
    default:
      throw new NativeError(`cannot pass a value of kind ${kind} to native code`);
  }
}

export function readValue(view: DataView, at: number, kind: ValueKind): NativeValue {
  switch (kind) {
    case ValueKind.I32:
      return view.getInt32(at, true);
    case ValueKind.F32:
      return view.getFloat32(at, true);
    case ValueKind.F64:
      return view.getFloat64(at, true);
    case ValueKind.I64:
    case ValueKind.Ref:
      return view.getBigInt64(at, true);
    case ValueKind.V128:
      return view.getBigUint64(at, true) | (view.getBigUint64(at + 8, true) << 64n);
    default:
      throw new NativeError(`cannot read a value of kind ${kind} from native code`);
  }
}
