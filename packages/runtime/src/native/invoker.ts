// Runs placed Wasm code from the host through a backend's entry trampolines: one trampoline per
// signature, generated on first use and cached; one trap exit per invoker. Arguments and
// results travel through a reused native values buffer, so a call allocates only its results.

import {
  ENTRY_VALUE_SLOT_SIZE,
  VMCTX_TRAP_EXIT,
  ValueKind,
  isTrapReason,
  type Backend,
  type Signature,
  type TrapReason,
} from '@flint/backend';
import type { CodeRegion, CodeSpace } from '../code-space.ts';
import { callEntry } from './entry.ts';
import { NativeError, type NativePointer } from './libc.ts';
import { NativeMemory } from './native-memory.ts';

/** i32/f32/f64 as numbers, i64 and references as bigints. */
export type NativeValue = number | bigint;

export type NativeOutcome =
  | { readonly kind: 'return'; readonly results: NativeValue[] }
  | { readonly kind: 'trap'; readonly reason: TrapReason };

const MAX_VALUES = 256;

export class NativeInvoker {
  readonly #backend: Backend;
  readonly #space: CodeSpace;
  readonly #entries = new Map<string, CodeRegion>();
  readonly #trapExit: CodeRegion;
  readonly #values = new NativeMemory(MAX_VALUES * ENTRY_VALUE_SLOT_SIZE);

  constructor(backend: Backend, space: CodeSpace) {
    this.#backend = backend;
    this.#space = space;
    this.#trapExit = space.place([backend.emitTrapExit()]);
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
      region = this.#space.place([this.#backend.emitEntryTrampoline(signature)]);
      this.#entries.set(key, region);
    }
    return region.pointerOf(0);
  }

  /** Calls the Wasm function at `code` with `vmContext` and returns its results or its trap. */
  invoke(vmContext: NativeMemory, code: NativePointer, signature: Signature, args: readonly NativeValue[]): NativeOutcome {
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
    const status = callEntry(entry, vmContext.pointer, code, this.#values.pointer);
    if (status !== 0) {
      if (!isTrapReason(status)) throw new NativeError(`generated code returned an unknown trap code ${status}`);
      return { kind: 'trap', reason: status };
    }
    return { kind: 'return', results: signature.results.map((kind, i) => readValue(values, i * ENTRY_VALUE_SLOT_SIZE, kind)) };
  }

  dispose(): void {
    this.#values.dispose();
  }
}

function writeValue(view: DataView, at: number, kind: ValueKind, value: NativeValue): void {
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
    default:
      throw new NativeError(`cannot pass a value of kind ${kind} to native code`);
  }
}

function readValue(view: DataView, at: number, kind: ValueKind): NativeValue {
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
    default:
      throw new NativeError(`cannot read a value of kind ${kind} from native code`);
  }
}
