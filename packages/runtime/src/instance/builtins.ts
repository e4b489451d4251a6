// The runtime builtins: operations generated code delegates to the runtime, all with the one C
// signature `int64_t builtin(vmctx, a, b, c, d)` (see @flint/backend builtins.ts), so a single
// koffi callback type serves them. A builtin that traps writes the reason into the VM context's
// trap-reason slot and returns; generated code checks the slot and leaves through the trap exit.
// Bulk memory and table semantics: https://webassembly.github.io/spec/core/exec/instructions.html

import koffi from 'koffi';
import { BUILTIN_COUNT, Builtin, HostState, TrapReason, VMCTX_TRAP_REASON } from '@flint/backend';
import type { MemoryInstance } from './memory.ts';
import type { Store } from './store.ts';
import type { CodeRegion } from '../code/code-space.ts';
import { nativeRoutines } from '../native/libc.ts';
import { TableInstance } from './table.ts';

/**
 * What the builtins need from an instance; `Instance` implements it. A builtin that stores a
 * reference into a table makes the table retain the instance: every reference its code can
 * produce is its own or reachable from it.
 */
export interface BuiltinTarget {
  /** The instance's block; its VM context is at offset 0. */
  readonly vmContextView: DataView;
  memory(index: number): MemoryInstance;
  table(index: number): TableInstance;
  /** The bytes of data segment `index` (empty once dropped). */
  dataSegment(index: number): Uint8Array;
  dropData(index: number): void;
  /** The references of element segment `index` (empty once dropped). */
  elementSegment(index: number): readonly bigint[];
  dropElement(index: number): void;
  /** The address of function `index`'s `FuncRefRecord`. */
  funcRef(index: number): bigint;
  /** Function `funcIndex`'s tiering budget ran out: queue it for the optimizing tier (compile/tier-up.ts). */
  requestTierUp?(funcIndex: number): void;
}

const targets = new Map<bigint, WeakRef<BuiltinTarget>>();
const targetRegistry = new FinalizationRegistry<bigint>((vmContext) => {
  if (targets.get(vmContext)?.deref() === undefined) targets.delete(vmContext);
});

/** Makes `target` reachable from the builtins through its VM context address. */
export function registerBuiltinTarget(vmContext: bigint, target: BuiltinTarget): void {
  targets.set(vmContext, new WeakRef(target));
  targetRegistry.register(target, vmContext);
}

export function lookupBuiltinTarget(vmContext: bigint): BuiltinTarget | undefined {
  return targets.get(vmContext)?.deref();
}

/** Every live instance of the thread (what a debugger switching a function's code must reach). */
export function* liveBuiltinTargets(): IterableIterator<BuiltinTarget> {
  for (const ref of targets.values()) {
    const target = ref.deref();
    if (target !== undefined) yield target;
  }
}

type DebugBreakHandler = (target: BuiltinTarget, funcIndex: number, wasmOffset: number, framePointer: bigint, site: number) => bigint;
let debugBreakHandler: DebugBreakHandler | null = null;

/** Installs the debugger behind the `DebugBreak` builtin (observe/debugger.ts); it must not throw. */
export function setDebugBreakHandler(handler: DebugBreakHandler): void {
  debugBreakHandler = handler;
}

export function unregisterBuiltinTarget(vmContext: bigint): void {
  targets.delete(vmContext);
}

type Arg = number | bigint;
type BuiltinImpl = (target: BuiltinTarget, a: Arg, b: Arg, c: Arg, d: Arg) => number | bigint;

const u64 = (value: Arg): bigint => BigInt.asUintN(64, BigInt(value));
const hi32 = (value: Arg): number => Number((u64(value) >> 32n) & 0xffff_ffffn);
const lo32 = (value: Arg): number => Number(u64(value) & 0xffff_ffffn);

/** An address or length operand of memory `memory`: 32 bits for i32 memories, else 64. */
function memoryOperand(memory: MemoryInstance, value: Arg): number {
  return memory.type.address === 'i32' ? lo32(value) : Number(u64(value));
}

function tableOperand(table: TableInstance, value: Arg): number {
  return table.type.limits.address === 'i32' ? lo32(value) : Number(u64(value));
}

class Trap {
  constructor(readonly reason: TrapReason) {}
}

function inBounds(start: number, count: number, length: number): boolean {
  return start + count <= length;
}

const IMPLEMENTATIONS: readonly BuiltinImpl[] = (() => {
  const impl: BuiltinImpl[] = [];
  impl[Builtin.MemoryGrow] = (t, memory, delta) => {
    const m = t.memory(Number(memory));
    const pages = memoryOperand(m, delta);
    return m.grow(pages);
  };
  impl[Builtin.MemorySize] = (t, memory) => t.memory(Number(memory)).pages;
  impl[Builtin.MemoryFill] = (t, memory, dst, value, length) => {
    const m = t.memory(Number(memory));
    const d = memoryOperand(m, dst);
    const n = memoryOperand(m, length);
    if (!inBounds(d, n, m.byteLength)) throw new Trap(TrapReason.OutOfBoundsMemoryAccess);
    m.bytes().fill(lo32(value) & 0xff, d, d + n);
    return 0;
  };
  impl[Builtin.MemoryCopy] = (t, memories, dst, src, length) => {
    const to = t.memory(hi32(memories));
    const from = t.memory(lo32(memories));
    const d = memoryOperand(to, dst);
    const s = memoryOperand(from, src);
    const n = Math.min(memoryOperand(to, length), memoryOperand(from, length));
    if (!inBounds(d, n, to.byteLength) || !inBounds(s, n, from.byteLength)) throw new Trap(TrapReason.OutOfBoundsMemoryAccess);
    if (to === from) to.bytes().copyWithin(d, s, s + n);
    else to.bytes().set(from.bytes().subarray(s, s + n), d);
    return 0;
  };
  impl[Builtin.MemoryInit] = (t, which, dst, src, length) => {
    const m = t.memory(hi32(which));
    const segment = t.dataSegment(lo32(which));
    const d = memoryOperand(m, dst);
    const s = lo32(src);
    const n = lo32(length);
    if (!inBounds(d, n, m.byteLength) || !inBounds(s, n, segment.length)) throw new Trap(TrapReason.OutOfBoundsMemoryAccess);
    m.bytes().set(segment.subarray(s, s + n), d);
    return 0;
  };
  impl[Builtin.DataDrop] = (t, segment) => {
    t.dropData(Number(segment));
    return 0;
  };
  impl[Builtin.TableGet] = (t, table, index) => {
    const tab = t.table(Number(table));
    const i = tableOperand(tab, index);
    if (i >= tab.length) throw new Trap(TrapReason.OutOfBoundsTableAccess);
    return BigInt.asIntN(64, tab.get(i));
  };
  impl[Builtin.TableSet] = (t, table, index, value) => {
    const tab = t.table(Number(table));
    const i = tableOperand(tab, index);
    if (i >= tab.length) throw new Trap(TrapReason.OutOfBoundsTableAccess);
    tab.retain(t);
    tab.set(i, u64(value));
    return 0;
  };
  impl[Builtin.TableSize] = (t, table) => t.table(Number(table)).length;
  impl[Builtin.TableGrow] = (t, table, initial, delta) => {
    const tab = t.table(Number(table));
    tab.retain(t);
    return tab.grow(tableOperand(tab, delta), u64(initial));
  };
  impl[Builtin.TableFill] = (t, table, dst, value, length) => {
    const tab = t.table(Number(table));
    const d = tableOperand(tab, dst);
    const n = tableOperand(tab, length);
    if (!inBounds(d, n, tab.length)) throw new Trap(TrapReason.OutOfBoundsTableAccess);
    tab.retain(t);
    tab.fill(d, u64(value), n);
    return 0;
  };
  impl[Builtin.TableCopy] = (t, tables, dst, src, length) => {
    const to = t.table(hi32(tables));
    const from = t.table(lo32(tables));
    const d = tableOperand(to, dst);
    const s = tableOperand(from, src);
    const n = Math.min(tableOperand(to, length), tableOperand(from, length));
    if (!inBounds(d, n, to.length) || !inBounds(s, n, from.length)) throw new Trap(TrapReason.OutOfBoundsTableAccess);
    TableInstance.copy(to, d, from, s, n);
    return 0;
  };
  impl[Builtin.TableInit] = (t, which, dst, src, length) => {
    const tab = t.table(hi32(which));
    const segment = t.elementSegment(lo32(which));
    const d = tableOperand(tab, dst);
    const s = lo32(src);
    const n = lo32(length);
    if (!inBounds(d, n, tab.length) || !inBounds(s, n, segment.length)) throw new Trap(TrapReason.OutOfBoundsTableAccess);
    tab.retain(t);
    for (let i = 0; i < n; i++) tab.set(d + i, segment[s + i]!);
    return 0;
  };
  impl[Builtin.ElemDrop] = (t, segment) => {
    t.dropElement(Number(segment));
    return 0;
  };
  impl[Builtin.RefFunc] = (t, index) => BigInt.asIntN(64, t.funcRef(Number(index)));
  // Only debug code calls it, and only a debugger compiles debug code: no handler, go on.
  impl[Builtin.DebugBreak] = (t, funcIndex, offset, framePointer, site) =>
    debugBreakHandler === null ? 0 : debugBreakHandler(t, Number(funcIndex), Number(offset), u64(framePointer), Number(site));
  // Queues, never compiles: the caller goes on in its baseline code at once.
  impl[Builtin.TierUp] = (t, funcIndex) => {
    t.requestTierUp?.(Number(funcIndex));
    return 0;
  };
  return impl;
})();

/** Runs builtin `id` for the instance of `vmContext` (also used directly by tests and the JS API). */
export function runBuiltin(id: number, vmContext: bigint, a: Arg, b: Arg, c: Arg, d: Arg): number | bigint {
  const target = targets.get(vmContext)?.deref();
  if (target === undefined) throw new Error(`builtin ${id} called with unknown VM context 0x${vmContext.toString(16)}`);
  try {
    return IMPLEMENTATIONS[id]!(target, a, b, c, d);
  } catch (error) {
    if (!(error instanceof Trap)) throw error;
    target.vmContextView.setUint32(VMCTX_TRAP_REASON, error.reason, true);
    return 0;
  }
}

const registered = new WeakMap<Store, bigint[]>();
let pollProto: ReturnType<typeof koffi.proto> | undefined;
const nativeBuiltinRegions = new WeakMap<Store, CodeRegion[]>();
/** One koffi prototype for every store's callbacks: koffi rejects a second type of the same name. */
let builtinProto: ReturnType<typeof koffi.proto> | undefined;

/** The native entry point of builtin `id` (a koffi callback registered once per store). */
export function builtinAddress(store: Store, id: number): bigint {
  return builtinAddresses(store)[id]!;
}

/**
 * Fills `store`'s builtin table: the backend's machine-code builtin where it has one (bulk memory
 * without entering JS), else a koffi callback into the implementation above.
 */
export function builtinAddresses(store: Store): bigint[] {
  let addresses = registered.get(store);
  if (addresses !== undefined) return addresses;
  const proto = (builtinProto ??= koffi.proto('int64_t flint_builtin(void *vmctx, int64_t a, int64_t b, int64_t c, int64_t d)'));
  addresses = [];
  const routines = nativeRoutines();
  for (let id = 0; id < BUILTIN_COUNT; id++) {
    if (id === Builtin.Poll) {
      // Its own callback: the answer goes to HostState.pollAnswer (generated code cleared it; when
      // the thread is terminating this JS never runs, koffi returns whatever, and 0 stays).
      const hostWords = store.invoker.valueStack.hostWords;
      const poll = (vmctx: bigint): number => {
        const answer = store.interrupts.poll(lookupBuiltinTarget(vmctx)?.vmContextView);
        // Optimized code compiled in the background is installed here too while a call runs long.
        if (store.pollHooks.size > 0) for (const hook of store.pollHooks) hook();
        hostWords[HostState.pollAnswer >> 2] = answer;
        return answer;
      };
      const pointer = koffi.register(poll, koffi.pointer((pollProto ??= koffi.proto('int64_t flint_poll(void *vmctx)'))));
      addresses.push(pointer);
      store.builtinTable.view.setBigUint64(id * 8, pointer, true);
      continue;
    }
    const native = store.backend.emitBuiltin(id as Builtin, routines);
    if (native !== null) {
      // Placed once per store and kept alive with it (a region nobody holds is unmapped).
      const region = store.codeSpace.place([native]);
      nativeBuiltinRegions.set(store, [...(nativeBuiltinRegions.get(store) ?? []), region]);
      const address = region.addressOf(0);
      addresses.push(address);
      store.builtinTable.view.setBigUint64(id * 8, address, true);
      continue;
    }
    const callback = (vmctx: bigint, a: Arg, b: Arg, c: Arg, d: Arg): number | bigint => {
      try {
        return runBuiltin(id, vmctx, a, b, c, d);
      } catch (error) {
        // A JS exception must not cross the native frames: it unwinds like a host exception.
        store.pendingException = { error };
        const view = new DataView(koffi.view(vmctx, 8 * 16));
        view.setUint32(VMCTX_TRAP_REASON, HOST_EXCEPTION_STATUS, true);
        return 0;
      }
    };
    const pointer = koffi.register(callback, koffi.pointer(proto));
    addresses.push(pointer);
    store.builtinTable.view.setBigUint64(id * 8, pointer, true);
  }
  registered.set(store, addresses);
  return addresses;
}

/**
 * The private status a host-call trampoline (or builtin) reports when JS code threw: the
 * exception waits in `Store.pendingException` and is rethrown unchanged by the outermost call.
 */
export const HOST_EXCEPTION_STATUS = 0xffff;
