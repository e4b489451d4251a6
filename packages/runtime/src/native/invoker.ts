// The thread's door into generated code and back. One invoker per thread (the store's) owns:
//
//  - the thread's `HostState` block (in a SharedArrayBuffer, so that other threads can reach it);
//  - the thread's value stack: every call between the host and Wasm, in either direction, passes
//    its callee and values in a value frame there (`valueFrameBytes` at `base + top`), read and
//    written through typed arrays that exist once — so a call allocates nothing natively, the
//    native call itself takes no arguments (each argument koffi converts costs ~30 ns),
//    signatures of any size fit, and calls nest (host → Wasm → host → Wasm) as deep as the stack
//    has room for;
//  - the entry trampolines, one per signature, generated on first use and bound once as koffi
//    functions `uint32_t entry(void)`; and the trap exit.
//
// Exported functions (api/exported-function.ts) and host functions (instance/host-functions.ts)
// run the call protocol inline, in code generated per signature; `call` here is the generic path
// (engine values, any signature) for the start function, the engine API and tests.

import koffi from 'koffi';
import {
  ENTRY_VALUE_SLOT_SIZE,
  FuncRefRecord,
  HostState,
  VMCTX_TRAP_EXIT,
  ValueKind,
  VALUE_FRAME_HEADER,
  isTrapReason,
  valueFrameBytes,
  type Backend,
  type Signature,
  type TrapReason,
} from '@flint/backend';
import type { CodeRegion, CodeSpace } from '../code/code-space.ts';
import { NativeError, bufferAddress, nativeCallStackBytes } from './libc.ts';
import { NativeMemory } from './native-memory.ts';

/** i32/f32/f64 as numbers, i64 and references as bigints. */
export type NativeValue = number | bigint;

export type NativeOutcome =
  | { readonly kind: 'return'; readonly results: NativeValue[] }
  | { readonly kind: 'trap'; readonly reason: TrapReason };

/** An entry trampoline as koffi binds it: `uint32_t entry(void)`, its value frame at `base + top`. */
export type EntryFunction = () => number;

/** Default size of a thread's value stack: 65,536 slots. */
export const DEFAULT_VALUE_STACK_BYTES = 1024 * 1024;
/**
 * Default native stack Wasm code may use below the thread's outermost entry (`HostState.stackBudget`):
 * about twice the depth V8 reaches for the same trivial recursion (docs/adr/0022).
 */
export const DEFAULT_WASM_STACK_BYTES = 4 * 1024 * 1024;
/**
 * Stack kept free below the deepest Wasm frame: the trap exit, a host function called from the
 * deepest frame (koffi's callback machinery) and the unwinding all run there.
 */
const HOST_STACK_RESERVE = 256 * 1024;

/** Thrown when a call would need more value-stack slots than remain (deep host↔Wasm nesting). */
export function valueStackExhausted(): RangeError {
  return new RangeError('Maximum call stack size exceeded (the Wasm value stack is full)');
}

let entryPrototype: unknown;
let readSpPrototype: unknown;

/** The views of one thread's value stack and of the `HostState` fields the call protocol uses. */
export class ValueStack {
  /** Address of byte 0, as a number (addresses fit in 2^53). */
  readonly base: number;
  readonly size: number;
  readonly memory: NativeMemory;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;
  readonly view: DataView;
  /** u32 words of the `HostState` block: `[HostState.valueStackTop >> 2]` is the top. */
  readonly hostWords: Uint32Array;

  constructor(size: number, hostWords: Uint32Array) {
    this.memory = new NativeMemory(size);
    this.size = size;
    this.base = Number(this.memory.address);
    const buffer = this.memory.view.buffer;
    this.i32 = new Int32Array(buffer, 0, size >> 2);
    this.u32 = new Uint32Array(buffer, 0, size >> 2);
    this.f32 = new Float32Array(buffer, 0, size >> 2);
    this.f64 = new Float64Array(buffer, 0, size >> 3);
    this.i64 = new BigInt64Array(buffer, 0, size >> 3);
    this.u64 = new BigUint64Array(buffer, 0, size >> 3);
    this.view = new DataView(buffer, 0, size);
    this.hostWords = hostWords;
  }

  get top(): number {
    return this.hostWords[HostState.valueStackTop >> 2]!;
  }

  set top(offset: number) {
    this.hostWords[HostState.valueStackTop >> 2] = offset;
  }
}

export class NativeInvoker {
  readonly #backend: Backend;
  readonly #space: CodeSpace;
  readonly #entries = new Map<string, { readonly region: CodeRegion; readonly call: EntryFunction }>();
  readonly #trapExit: CodeRegion;
  /** The thread's `HostState`; shared memory, so another thread can write it (interrupts). */
  readonly hostStateBuffer = new SharedArrayBuffer(HostState.size);
  readonly #hostWords = new Uint32Array(this.hostStateBuffer);
  readonly #hostLongs = new BigUint64Array(this.hostStateBuffer);
  /** Address of the `HostState` block (for trampolines and tests). */
  readonly hostStateAddress: bigint;
  readonly valueStack: ValueStack;
  /** A FuncRefRecord for calls to a raw code address (`invoke`): filled right before each such call. */
  readonly #scratchRecord = new NativeMemory(FuncRefRecord.size);

  constructor(backend: Backend, space: CodeSpace, valueStackBytes: number = DEFAULT_VALUE_STACK_BYTES) {
    this.#backend = backend;
    this.#space = space;
    this.hostStateAddress = bufferAddress(this.hostStateBuffer);
    this.valueStack = new ValueStack(valueStackBytes, this.#hostWords);
    this.#hostLongs[HostState.valueStackBase >> 3] = this.valueStack.memory.address;
    this.#hostWords[HostState.valueStackSize >> 2] = valueStackBytes;
    this.#trapExit = space.place([backend.emitTrapExit(this.hostStateAddress)], {}, [{ kind: 'trap-exit', name: 'flint:trap-exit' }]);
    const readSp = space.place([backend.emitReadStackPointer()], {}, [{ kind: 'helper', name: 'flint:read-stack-pointer' }]);
    readSpPrototype ??= koffi.proto('uint64_t flint_read_sp(void)');
    const sp = BigInt(koffi.call(readSp.addressOf(0), readSpPrototype as never) as number | bigint);
    readSp.dispose();
    this.#stackPointerAtCreation = sp;
    // Wasm runs on koffi's call stack (libc.ts). The read above was a call from JS, made near that
    // stack's top: its end is one stack size below, and the limit never goes under it + reserve.
    this.#maxWasmStackBytes = Math.max(0, nativeCallStackBytes() - HOST_STACK_RESERVE);
    this.#hostLongs[HostState.stackFloor >> 3] = sp - BigInt(this.#maxWasmStackBytes);
    this.wasmStackBytes = Math.min(DEFAULT_WASM_STACK_BYTES, this.#maxWasmStackBytes);
  }

  readonly #maxWasmStackBytes: number;

  readonly #stackPointerAtCreation: bigint;

  /**
   * Native stack Wasm code may use below the thread's outermost entry, at most
   * `maxWasmStackBytes`. Takes effect at the next outermost entry.
   */
  get wasmStackBytes(): number {
    return Number(this.#hostLongs[HostState.stackBudget >> 3]!);
  }

  set wasmStackBytes(bytes: number) {
    const most = this.#maxWasmStackBytes;
    if (!(Number.isSafeInteger(bytes) && bytes >= 0 && bytes <= most)) {
      throw new RangeError(`the Wasm stack size must be an integer from 0 to ${most} (the native call stack, less the host's reserve), got ${bytes}`);
    }
    this.#hostLongs[HostState.stackBudget >> 3] = BigInt(bytes);
    // Until an entry sets it, the limit is derived from where the host stack was at creation,
    // so that VM contexts of instances never entered yet still get a usable limit.
    if (!this.wasmIsRunning) {
      const floor = this.#hostLongs[HostState.stackFloor >> 3]!;
      const limit = this.#stackPointerAtCreation - BigInt(bytes);
      this.#hostLongs[HostState.stackLimit >> 3] = limit < floor ? floor : limit;
    }
  }

  /** The largest `wasmStackBytes`: the native call stack less the host's reserve. */
  get maxWasmStackBytes(): number {
    return this.#maxWasmStackBytes;
  }

  /** Fuel left on this thread for code compiled with fuel metering (negative once exhausted). */
  get fuel(): bigint {
    return BigInt.asIntN(64, this.#hostLongs[HostState.fuel >> 3]!);
  }

  set fuel(value: bigint) {
    this.#hostLongs[HostState.fuel >> 3] = BigInt.asUintN(64, value);
  }

  /** The thread's `HostState` block: the trap exit's recorded frames are read from it. */
  readonly hostStateView = new DataView(this.hostStateBuffer);

  /** Whether Wasm code of this thread is on the stack (an entry has not returned yet). */
  get wasmIsRunning(): boolean {
    return this.#hostLongs[HostState.savedHostSp >> 3] !== 0n;
  }

  /** The stack limit Wasm code of this thread currently runs with (for fresh VM contexts). */
  get stackLimit(): bigint {
    return this.#hostLongs[HostState.stackLimit >> 3]!;
  }

  /** Address of the trap exit; every VM context used with this invoker must point at it. */
  get trapExitAddress(): bigint {
    return this.#trapExit.addressOf(0);
  }

  /** The entry trampoline for `signature`, generated and bound on first use. */
  entryFor(signature: Signature): EntryFunction {
    const key = `${signature.params.join(',')}:${signature.results.join(',')}`;
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const region = this.#space.place([this.#backend.emitEntryTrampoline(signature, this.hostStateAddress)], {}, [{ kind: 'entry-trampoline', name: `flint:entry ${signatureText(signature)}` }]);
      entryPrototype ??= koffi.proto('uint32_t flint_entry(void)');
      entry = { region, call: koffi.decode(region.addressOf(0), entryPrototype as never) as EntryFunction };
      this.#entries.set(key, entry);
    }
    return entry.call;
  }

  /**
   * Calls the function whose `FuncRefRecord` is at `record` with `args` in the engine's raw form;
   * returns the entry's status (0, a trap reason, or a private status of the runtime) and, on 0,
   * the results.
   */
  call(record: bigint, signature: Signature, args: readonly NativeValue[]): { status: number; results: NativeValue[] } {
    if (args.length !== signature.params.length) throw new NativeError(`expected ${signature.params.length} arguments, got ${args.length}`);
    const entry = this.entryFor(signature);
    const stack = this.valueStack;
    const at = stack.top;
    if (at + valueFrameBytes(signature.params.length, signature.results.length) > stack.size) throw valueStackExhausted();
    stack.view.setBigUint64(at, record, true);
    const slots = at + VALUE_FRAME_HEADER;
    signature.params.forEach((kind, i) => writeValue(stack.view, slots + i * ENTRY_VALUE_SLOT_SIZE, kind, args[i]!));
    const status = entry();
    const results = status === 0 ? signature.results.map((kind, i) => readValue(stack.view, slots + i * ENTRY_VALUE_SLOT_SIZE, kind)) : [];
    return { status, results };
  }

  /**
   * Calls the code at `code` with the VM context `vmContext` (hand-assembled code in tests and
   * the backend kit), pointing the context's trap exit at this thread's.
   */
  invoke(vmContext: { readonly address: bigint; readonly view: DataView }, code: bigint, signature: Signature, args: readonly NativeValue[]): NativeOutcome {
    vmContext.view.setBigUint64(VMCTX_TRAP_EXIT, this.trapExitAddress, true);
    const record = this.#scratchRecord;
    record.view.setBigUint64(FuncRefRecord.code, code, true);
    record.view.setBigUint64(FuncRefRecord.vmContext, vmContext.address, true);
    const { status, results } = this.call(record.address, signature, args);
    if (status === 0) return { kind: 'return', results };
    if (!isTrapReason(status)) throw new NativeError(`generated code returned an unknown trap code ${status}`);
    return { kind: 'trap', reason: status };
  }
}

const KIND_NAMES = ['i32', 'i64', 'f32', 'f64', 'v128', 'ref'];

/** `(i32,i64)->(f64)`: how code logs name a signature's trampolines. */
export function signatureText(signature: Signature): string {
  const list = (kinds: readonly ValueKind[]) => `(${kinds.map((kind) => KIND_NAMES[kind] ?? String(kind)).join(',')})`;
  return `${list(signature.params)}->${list(signature.results)}`;
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
