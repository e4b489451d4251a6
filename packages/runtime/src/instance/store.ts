// The per-thread store: what every instance of a thread shares. One code space, one invoker
// (entry trampolines, trap exit and the thread's `HostState`), one type canonicalizer (so
// canonical type ids compare across modules), the builtin table, the host-call dispatcher, the
// extern handles, the registry from VM-context and funcref addresses back to their JS-side
// objects, and small native cells (globals created from JS, host-function records).
// https://webassembly.github.io/spec/core/exec/runtime.html#store

import { FuncRefRecord, VMCTX_BUILTINS, VMCTX_SIZE, VMCTX_TRAP_EXIT, type Backend, type CpuFeatureSet } from '@flint/backend';
import { TypeCanonicalizer, type FuncType } from '@flint/decoder';
import { CodeSpace } from '../code/code-space.ts';
import { backendForHost } from '../native/backends.ts';
import { detectCpuFeatures } from '../native/cpu-features.ts';
import { NativeInvoker } from '../native/invoker.ts';
import { NativeMemory } from '../native/native-memory.ts';

/** A native cell carved out of a slab: `view` covers the whole slab, the cell starts at `offset`. */
export interface NativeCell {
  readonly view: DataView;
  readonly offset: number;
  readonly address: bigint;
}

const SLAB_BYTES = 64 * 1024;

/**
 * Hands out small native cells that live as long as the process: globals made from JS and the
 * `FuncRefRecord`s of host functions. Temporary: cells are never freed; a free list keyed by
 * finalization of their owners would replace this.
 */
class CellAllocator {
  #slab: NativeMemory | null = null;
  #used = SLAB_BYTES;
  readonly #slabs: NativeMemory[] = [];

  allocate(size: number): NativeCell {
    const aligned = Math.ceil(size / 16) * 16;
    if (this.#slab === null || this.#used + aligned > SLAB_BYTES) {
      this.#slab = new NativeMemory(SLAB_BYTES);
      this.#slabs.push(this.#slab);
      this.#used = 0;
    }
    const offset = this.#used;
    this.#used += aligned;
    return { view: this.#slab.view, offset, address: this.#slab.address + BigInt(offset) };
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
   * What must stay alive while the function can be called (its instance: the VM context and
   * code it points at), so that a function outliving every other reference to its instance
   * never runs on freed memory.
   */
  readonly owner?: object;
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
  /** JS values behind externref handles; handle = index + 1 (0 is null). Temporary: never freed. */
  readonly #externs: unknown[] = [];
  readonly #externHandles = new Map<unknown, bigint>();
  /** The exception a host function threw, waiting to be rethrown by the outermost Wasm call. */
  pendingException: { readonly error: unknown } | null = null;

  /** `cpuFeatures` defaults to what the CPU reports, capped by the backend's environment variable. */
  constructor(backend: Backend, cpuFeatures?: CpuFeatureSet) {
    this.backend = backend;
    this.codeSpace = new CodeSpace(backend.isa.instructionCache);
    this.cpuFeatures = cpuFeatures ?? detectCpuFeatures(backend, this.codeSpace);
    this.invoker = new NativeInvoker(backend, this.codeSpace);
    this.builtinTable = new NativeMemory(64 * 8);
    this.hostVmContext = new NativeMemory(VMCTX_SIZE);
    this.initVmContext(this.hostVmContext.view, 0);
  }

  /** Fills the store-wide fields of a fresh VM context at `at` in `view`. */
  initVmContext(view: DataView, at: number): void {
    view.setBigUint64(at + VMCTX_TRAP_EXIT, this.invoker.trapExitAddress, true);
    view.setBigUint64(at + VMCTX_BUILTINS, this.builtinTable.address, true);
  }

  externToHandle(value: unknown): bigint {
    if (value === null) return 0n;
    let handle = this.#externHandles.get(value);
    if (handle === undefined) {
      this.#externs.push(value);
      handle = BigInt(this.#externs.length);
      this.#externHandles.set(value, handle);
    }
    return handle;
  }

  handleToExtern(handle: bigint): unknown {
    if (handle === 0n) return null;
    return this.#externs[Number(handle) - 1];
  }

  /** Allocates and fills a `FuncRefRecord` that lives as long as the store. */
  allocateFuncRef(code: bigint, vmContext: bigint, typeId: number, type: FuncType, name: string): FunctionHandle {
    const cell = this.cells.allocate(FuncRefRecord.size);
    writeFuncRef(cell.view, cell.offset, code, vmContext, typeId);
    const handle = { record: cell.address, code, vmContext, typeId, type, name };
    this.functions.set(handle.record, handle);
    return handle;
  }

  /**
   * Every function reference the store handed out, by `FuncRefRecord` address. Temporary: never
   * pruned, so instances whose functions were referenced stay alive with the store.
   */
  readonly functions = new Map<bigint, FunctionHandle>();
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
