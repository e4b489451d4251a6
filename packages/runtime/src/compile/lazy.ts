// Lazy compilation: a module compiled with `lazy: true` starts with one stub per function (from
// the backend) in place of its code. The first call of a function reaches its stub, which calls
// back into the runtime; the runtime compiles that function, stores its address in the module's
// code table (which every stub checks first, so later calls through stubs jump straight on) and
// patches the calling instance's jump-table slot, so direct calls then skip the stub. Code is
// never patched: stubs, tables and jump-table slots are data.

import koffi from 'koffi';
import { JUMP_TABLE_ENTRY_SIZE, type FinishedCode } from '@flint/backend';
import { lookupBuiltinTarget } from '../instance/builtins.ts';
import type { CodeRegion } from '../code/code-space.ts';
import { NativeMemory } from '../native/native-memory.ts';
import type { Store } from '../instance/store.ts';

/** The per-module state of lazy compilation. */
export class LazyCode {
  /** u64 per defined function: its compiled code, or 0 while only the stub exists. */
  readonly codeTable: NativeMemory;
  readonly #compileOne: (funcIndex: number) => FinishedCode;
  readonly #place: (code: FinishedCode, funcIndex: number) => CodeRegion;
  readonly #numImported: number;
  // Compiled functions' regions stay alive with the module.
  readonly #regions: CodeRegion[] = [];

  constructor(definedCount: number, numImported: number, compileOne: (funcIndex: number) => FinishedCode, place: (code: FinishedCode, funcIndex: number) => CodeRegion) {
    this.codeTable = new NativeMemory(Math.max(1, definedCount) * 8);
    this.#numImported = numImported;
    this.#compileOne = compileOne;
    this.#place = place;
  }

  slotAddress(funcIndex: number): bigint {
    return this.codeTable.address + BigInt((funcIndex - this.#numImported) * 8);
  }

  /** The code of `funcIndex`, compiling it on first request. */
  codeOf(funcIndex: number): bigint {
    const at = (funcIndex - this.#numImported) * 8;
    const existing = this.codeTable.view.getBigUint64(at, true);
    if (existing !== 0n) return existing;
    const region = this.#place(this.#compileOne(funcIndex), funcIndex);
    this.#regions.push(region);
    const code = region.addressOf(0);
    this.codeTable.view.setBigUint64(at, code, true);
    return code;
  }

  /** Makes `code` the code of `funcIndex` (dynamic tiering installs optimized code here). */
  setCode(funcIndex: number, code: bigint): void {
    this.codeTable.view.setBigUint64((funcIndex - this.#numImported) * 8, code, true);
  }

  /** How many functions have been compiled so far. */
  get compiledCount(): number {
    return this.#regions.length;
  }
}

/** What the lazy-compile callback needs from an instance. */
export interface LazyTarget {
  readonly lazy: LazyCode | null;
  readonly vmContextView: DataView;
  readonly jumpTableOffset: number;
}

const callbacks = new WeakMap<Store, bigint>();

/** The native entry of the store's lazy-compile callback `uint64 compile(vmctx, funcIndex)`. */
export function lazyCompilerAddress(store: Store): bigint {
  let address = callbacks.get(store);
  if (address !== undefined) return address;
  const proto = koffi.proto('uint64_t flint_lazy_compile(void *vmctx, uint32_t funcIndex)');
  const callback = (vmctx: bigint, funcIndex: number): bigint => {
    try {
      const target = lookupBuiltinTarget(vmctx) as unknown as LazyTarget | undefined;
      if (target?.lazy === null || target === undefined) throw new Error(`lazy compile of function ${funcIndex}: unknown VM context`);
      const code = target.lazy.codeOf(funcIndex);
      target.vmContextView.setBigUint64(target.jumpTableOffset + funcIndex * JUMP_TABLE_ENTRY_SIZE, code, true);
      return code;
    } catch (error) {
      store.pendingException = { error };
      return 0n;
    }
  };
  address = koffi.register(callback, koffi.pointer(proto));
  callbacks.set(store, address);
  return address;
}

