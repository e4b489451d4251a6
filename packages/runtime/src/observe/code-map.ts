// Every piece of generated code of a thread, by address: Wasm functions, lazy-compile stubs and
// the trampolines. The code space adds a region's code objects when it places them and removes
// them when the region is unmapped, so the map always describes exactly the code that can run.
// It serves three users:
//   - code logging: listeners get `create`/`free` events (a perf map, an `onCode` hook), V8's
//     CodeEventListener; a `move` event is part of the contract for a code space that compacts,
//     which Flint's never does today;
//   - stack traces: a return address or trap PC → its code object, and for a Wasm function the
//     Wasm offset of the call or trap at that address (observe/stack-trace.ts);
//   - debugging: which functions have code, and where.
// Lookups are binary searches over regions sorted by address, then over the region's pieces.

import type { CallSite, TrapSite } from '@flint/backend';
import type { WasmScript } from './script.ts';

/** What a code object is. */
export type CodeKind = 'wasm-function' | 'lazy-stub' | 'entry-trampoline' | 'trap-exit' | 'host-call' | 'helper';

/** A piece of generated code, as code logging reports it. */
export interface CodeObject {
  readonly kind: CodeKind;
  readonly address: bigint;
  readonly size: number;
  /**
   * What a profiler shows: `wasm-function[3] fib [baseline]` (V8's naming, with the name-section
   * name when there is one and the tier that compiled it), `flint:entry (i32,i32)->(i32)`, …
   */
  readonly name: string;
  /** Wasm functions and their stubs: the function index. */
  readonly funcIndex?: number;
  /** Wasm functions: the tier that compiled it. */
  readonly tier?: string;
  /** Wasm functions and stubs: the module (script) they belong to. */
  readonly script?: WasmScript;
}

/** A code object was created (placed), moved, or freed (its memory unmapped). */
export interface CodeEvent {
  readonly type: 'create' | 'move' | 'free';
  readonly code: CodeObject;
  /** For `move`: where the code was before. */
  readonly from?: bigint;
}

/** How a piece of code is described when it is placed (the address and size come from the placement). */
export interface CodeLabel {
  readonly kind: CodeKind;
  /** For code that is not a Wasm function or stub: its name (without the address). */
  readonly name?: string;
  readonly funcIndex?: number;
  readonly tier?: string;
  readonly script?: WasmScript;
  /** Wasm functions: where the code traps and where it calls, with their Wasm offsets. */
  readonly trapSites?: readonly TrapSite[];
  readonly callSites?: readonly CallSite[];
}

/** A code object with what stack walking needs. */
export interface CodeEntry extends CodeObject {
  readonly trapSites: readonly TrapSite[];
  readonly callSites: readonly CallSite[];
}

const NO_SITES: readonly never[] = [];

/** V8's name for a Wasm function's code, with the tier: `wasm-function[3] fib [baseline]`. */
export function wasmCodeName(funcIndex: number, script: WasmScript | undefined, tier: string | undefined): string {
  const name = script?.functionName(funcIndex) ?? script?.exportName(funcIndex) ?? null;
  return `wasm-function[${funcIndex}]${name === null ? '' : ` ${name}`}${tier === undefined ? '' : ` [${tier}]`}`;
}

function entryOf(label: CodeLabel, address: bigint, size: number): CodeEntry {
  let name: string;
  if (label.kind === 'wasm-function') name = wasmCodeName(label.funcIndex ?? -1, label.script, label.tier);
  else if (label.kind === 'lazy-stub') name = `flint:lazy-stub ${wasmCodeName(label.funcIndex ?? -1, label.script, undefined)}`;
  else name = label.name ?? `flint:${label.kind}`;
  return {
    kind: label.kind,
    address,
    size,
    name,
    ...(label.funcIndex === undefined ? {} : { funcIndex: label.funcIndex }),
    ...(label.tier === undefined ? {} : { tier: label.tier }),
    ...(label.script === undefined ? {} : { script: label.script }),
    trapSites: label.trapSites ?? NO_SITES,
    callSites: label.callSites ?? NO_SITES,
  };
}

interface RegionEntries {
  readonly base: bigint;
  readonly end: bigint;
  /** Ascending by address. */
  readonly entries: readonly CodeEntry[];
}

export type CodeListener = (events: readonly CodeEvent[]) => void;

export class CodeMap {
  /** Ascending by base; regions never overlap. */
  #regions: RegionEntries[] = [];
  readonly #listeners = new Set<CodeListener>();

  /** Records the code objects of a region just placed; returns them (for the caller's bookkeeping). */
  addRegion(base: bigint, length: number, pieces: readonly { readonly address: bigint; readonly size: number; readonly label: CodeLabel }[]): readonly CodeEntry[] {
    const entries = pieces.map((piece) => entryOf(piece.label, piece.address, piece.size));
    const region = { base, end: base + BigInt(length), entries };
    const at = this.#regionIndexAfter(base);
    this.#regions.splice(at, 0, region);
    this.#emit(entries, 'create');
    return entries;
  }

  /** Forgets the region at `base` (being unmapped) and reports its code objects freed. */
  removeRegion(base: bigint): void {
    const at = this.#regionIndexAfter(base) - 1;
    const region = this.#regions[at];
    if (region === undefined || region.base !== base) return;
    this.#regions.splice(at, 1);
    this.#emit(region.entries, 'free');
  }

  /** The code object containing `address`, or undefined. */
  lookup(address: bigint): CodeEntry | undefined {
    const region = this.#regions[this.#regionIndexAfter(address) - 1];
    if (region === undefined || address >= region.end) return undefined;
    const entries = region.entries;
    let lo = 0;
    let hi = entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (entries[mid]!.address <= address) lo = mid;
      else hi = mid - 1;
    }
    const entry = entries[lo];
    if (entry === undefined || address < entry.address || address >= entry.address + BigInt(entry.size)) return undefined;
    return entry;
  }

  /** Every live code object, ascending by address. */
  *entries(): IterableIterator<CodeEntry> {
    for (const region of this.#regions) yield* region.entries;
  }

  /**
   * Calls `listener` with every event from now on; with `replay`, first with `create` events
   * for the code that already exists. Returns the unsubscribe function.
   */
  listen(listener: CodeListener, replay = true): () => void {
    if (replay) {
      const existing = [...this.entries()].map((code): CodeEvent => ({ type: 'create', code: publicView(code) }));
      if (existing.length > 0) listener(existing);
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(entries: readonly CodeEntry[], type: CodeEvent['type']): void {
    if (this.#listeners.size === 0 || entries.length === 0) return;
    const events = entries.map((code): CodeEvent => ({ type, code: publicView(code) }));
    for (const listener of this.#listeners) listener(events);
  }

  /** Index of the first region whose base is above `address`. */
  #regionIndexAfter(address: bigint): number {
    const regions = this.#regions;
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (regions[mid]!.base <= address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The reported object: the entry without its site tables. */
function publicView(entry: CodeEntry): CodeObject {
  const { trapSites: _trapSites, callSites: _callSites, ...code } = entry;
  return code;
}
