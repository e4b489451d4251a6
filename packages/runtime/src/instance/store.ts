// The per-thread store: what every instance of a thread shares. One code space, one invoker
// (entry trampolines, trap exit and the thread's `HostState`), one type canonicalizer (so
// canonical type ids compare across modules), the builtin table, the host-call dispatcher, the
// extern handles, the registry from VM-context and funcref addresses back to their JS-side
// objects, and small native cells (globals created from JS, host-function records).
// https://webassembly.github.io/spec/core/exec/runtime.html#store

import { FuncRefRecord, VMCTX_BUILTINS, VMCTX_HOST_STATE, VMCTX_POLL_COUNTDOWN, VMCTX_SIZE, VMCTX_TRAP_EXIT, type Backend, type CpuFeatureSet } from '@flint/backend';
import { TypeCanonicalizer, type FuncType } from '@flint/decoder';
import { CodeSpace } from '../code/code-space.ts';
import { backendForHost } from '../native/backends.ts';
import { detectCpuFeatures } from '../native/cpu-features.ts';
import { NativeInvoker } from '../native/invoker.ts';
import { NativeMemory } from '../native/native-memory.ts';
import { externHolders } from './extern-holders.ts';
import { InterruptState, POLL_INTERVAL } from './interrupts.ts';
import { DEFAULT_LIMITS, mergeLimits, type ResourceLimits } from './limits.ts';

/** A small native cell (a global made from JS, a host function's record): `view` covers it from `offset`. */
export interface NativeCell {
  readonly view: DataView;
  readonly offset: number;
  readonly address: bigint;
  /** What keeps the cell's memory allocated (its own block, or the instance block it sits in): holding the cell holds it. */
  readonly owner: object;
}

/**
 * Hands out small native cells, each its own C-heap block freed when the object holding the cell
 * (a `GlobalInstance`, a host function's handle) is collected.
 */
class CellAllocator {
  allocate(size: number): NativeCell {
    const memory = new NativeMemory(size);
    return { view: memory.view, offset: 0, address: memory.address, owner: memory };
  }
}

/** What the store knows of a function reference (the JS side of a `FuncRefRecord`). */
export interface FunctionHandle {
  /** Address of the function's `FuncRefRecord`. */
  readonly record: bigint;
  readonly code: bigint;
  readonly vmContext: bigint;
  /** Canonical type id of the function's type. */
  readonly typeId: number;
  readonly type: FuncType;
  /** The function's name for the JS API (`name` of the exported function: its index). */
  readonly name: string;
  /**
   * What must stay alive while the function can be called: its instance (the VM context and code
   * it points at), or for a host function the trampoline and record behind it. Anything that can
   * hold the function's record natively (a table, a global) retains the owner, so a function
   * outliving every other reference to its instance never runs on freed memory.
   */
  readonly owner: object;
}

export class Store {
  readonly backend: Backend;
  readonly codeSpace: CodeSpace;
  /** The CPU features every compile for this store may use (part of each compile's identity). */
  readonly cpuFeatures: CpuFeatureSet;
  readonly invoker: NativeInvoker;
  readonly canonicalizer = new TypeCanonicalizer();
  readonly cells = new CellAllocator();
  /** Native array of builtin entry points, shared by every VM context (filled by builtins.ts). */
  readonly builtinTable: NativeMemory;
  /**
   * A VM context for code that belongs to no instance (host-call trampolines): only its trap
   * exit and trap-reason fields are used.
   */
  readonly hostVmContext: NativeMemory;
  readonly externs: ExternTable;
  /** Interrupt flag, deadlines: what the `Poll` builtin answers from (interrupts.ts). */
  readonly interrupts = new InterruptState();
  /** What the code of this thread may take (instance/limits.ts). */
  get limits(): Readonly<Required<ResourceLimits>> {
    return this.#limits;
  }

  #limits: Readonly<Required<ResourceLimits>> = DEFAULT_LIMITS;

  /** Sets the limits named in `limits` (the others keep their values). */
  setLimits(limits: ResourceLimits): void {
    this.#limits = mergeLimits(this.#limits, limits);
    this.invoker.wasmStackBytes = this.#limits.wasmStackBytes;
  }

  /** The exception a host function threw, waiting to be rethrown by the outermost Wasm call. */
  pendingException: { readonly error: unknown } | null = null;

  /** `cpuFeatures` defaults to what the CPU reports, capped by the backend's environment variable. */
  constructor(backend: Backend, cpuFeatures?: CpuFeatureSet) {
    this.backend = backend;
    this.codeSpace = new CodeSpace(backend.isa.instructionCache);
    this.cpuFeatures = cpuFeatures ?? detectCpuFeatures(backend, this.codeSpace);
    this.invoker = new NativeInvoker(backend, this.codeSpace);
    // The default stack is smaller when koffi's call stack is (another module loaded koffi first).
    this.#limits = { ...DEFAULT_LIMITS, wasmStackBytes: this.invoker.wasmStackBytes };
    this.builtinTable = new NativeMemory(64 * 8);
    this.hostVmContext = new NativeMemory(VMCTX_SIZE);
    this.initVmContext(this.hostVmContext.view, 0);
    this.externs = new ExternTable(() => this.invoker.wasmIsRunning);
  }

  /** Fills the store-wide fields of a fresh VM context at `at` in `view`. */
  initVmContext(view: DataView, at: number): void {
    view.setBigUint64(at + VMCTX_TRAP_EXIT, this.invoker.trapExitAddress, true);
    view.setBigUint64(at + VMCTX_BUILTINS, this.builtinTable.address, true);
    view.setBigUint64(at + VMCTX_HOST_STATE, this.invoker.hostStateAddress, true);
    view.setUint32(at + VMCTX_POLL_COUNTDOWN, POLL_INTERVAL, true);
  }

  /** The externref handle of a JS value (0 for null). */
  externToHandle(value: unknown): bigint {
    return this.externs.toHandle(value);
  }

  handleToExtern(handle: bigint): unknown {
    return this.externs.fromHandle(handle);
  }

  /**
   * Allocates and fills the `FuncRefRecord` of a function that belongs to no instance (a host
   * function, a test's hand-made code). The handle's owner holds the record and `keepAlive`
   * (what the code needs: its region, its dispatcher slot), so whatever retains the owner keeps
   * the record and its code valid.
   */
  allocateFuncRef(code: bigint, vmContext: bigint, typeId: number, type: FuncType, name: string, keepAlive: object): FunctionHandle {
    const cell = this.cells.allocate(FuncRefRecord.size);
    writeFuncRef(cell.view, cell.offset, code, vmContext, typeId);
    const handle = { record: cell.address, code, vmContext, typeId, type, name, owner: { cell, keepAlive } };
    this.registerFunction(handle);
    return handle;
  }

  readonly #functions = new Map<bigint, WeakRef<FunctionHandle>>();
  readonly #functionRegistry = new FinalizationRegistry<bigint>((record) => {
    // The address may have been reused by a newer record since: only drop a dead entry.
    if (this.#functions.get(record)?.deref() === undefined) this.#functions.delete(record);
  });

  /**
   * Makes `handle` findable from its record address (a funcref coming out of Wasm) for as long
   * as the handle lives; the store itself keeps no function alive.
   */
  registerFunction(handle: FunctionHandle): void {
    this.#functions.set(handle.record, new WeakRef(handle));
    this.#functionRegistry.register(handle, handle.record);
  }

  /** The handle of the function whose `FuncRefRecord` is at `record`, if it is alive. */
  functionHandle(record: bigint): FunctionHandle | undefined {
    return this.#functions.get(record)?.deref();
  }
}

/**
 * Externref values: a JS value passed into Wasm becomes a handle (index + 1 in this table; 0 is
 * null) that tables, globals and element segments hold natively. The table keeps each value alive
 * while a handle to it may exist, and reclaims the rest by a mark-and-sweep over the places
 * handles can live (extern-holders.ts) — run only when no Wasm code is on this thread's stack (so no handle sits in a
 * register, a local or a value frame) and the table has doubled since the last sweep.
 */
export class ExternTable {
  readonly #values: unknown[] = [];
  /** Whether slot i holds a value (a value may itself be `undefined`). */
  readonly #occupied: boolean[] = [];
  readonly #handles = new Map<unknown, number>();
  readonly #free: number[] = [];
  readonly #wasmIsRunning: () => boolean;
  #sweepAt = 1024;

  constructor(wasmIsRunning: () => boolean) {
    this.#wasmIsRunning = wasmIsRunning;
  }

  /** Values with a handle now (after the last sweep). */
  get size(): number {
    return this.#handles.size;
  }

  toHandle(value: unknown): bigint {
    if (value === null) return 0n;
    const known = this.#handles.get(value);
    if (known !== undefined) return BigInt(known + 1);
    if (this.#handles.size >= this.#sweepAt && !this.#wasmIsRunning()) this.sweep();
    const index = this.#free.pop() ?? this.#values.length;
    this.#values[index] = value;
    this.#occupied[index] = true;
    this.#handles.set(value, index);
    return BigInt(index + 1);
  }

  fromHandle(handle: bigint): unknown {
    return handle === 0n ? null : this.#values[Number(handle) - 1];
  }

  /**
   * Frees every handle no holder stores. The caller guarantees no Wasm frame of this thread is
   * live (handles of JS values held only by JS need no handle: they get a new one when passed again).
   */
  sweep(): void {
    const live = new Uint8Array(this.#values.length + 1);
    const mark = (handle: bigint): void => {
      if (handle > 0n && handle <= BigInt(this.#values.length)) live[Number(handle)] = 1;
    };
    for (const holder of externHolders()) holder.forEachExternHandle(mark);
    for (let index = 0; index < this.#values.length; index++) {
      if (live[index + 1] === 1 || this.#occupied[index] !== true) continue;
      this.#handles.delete(this.#values[index]);
      this.#values[index] = undefined;
      this.#occupied[index] = false;
      this.#free.push(index);
    }
    this.#sweepAt = Math.max(1024, this.#handles.size * 2);
  }
}


export function writeFuncRef(view: DataView, at: number, code: bigint, vmContext: bigint, typeId: number): void {
  view.setBigUint64(at + FuncRefRecord.code, code, true);
  view.setBigUint64(at + FuncRefRecord.vmContext, vmContext, true);
  view.setUint32(at + FuncRefRecord.typeId, typeId, true);
}

let threadStore: Store | undefined;

/** The store of this thread (module state is per worker thread), created on first use. */
export function currentStore(): Store {
  threadStore ??= new Store(backendForHost());
  return threadStore;
}
