// Executable memory for generated code. Each placement maps fresh pages read/write, copies the
// code in, applies relocations now that addresses are known, then flips the pages to
// read/execute: a page is never writable and executable at once (W^X). On ISAs whose instruction
// fetch does not snoop data writes (`isa.instructionCache === 'clear-cache'`, e.g. arm64) the new
// code is then cleaned from the data cache and invalidated in the instruction cache with
// libgcc's `__clear_cache` (what `__builtin___clear_cache` compiles to; ADR 0007); on coherent
// ones the mprotect system call that precedes the first execution serialises. Regions are released by
// `dispose()` or, as a safety net, when their `CodeRegion` object is garbage collected.

import { RelocKind, RelocTarget, type FinishedCode, type IsaDescriptor, type Relocation } from '@flint/backend';
import {
  NativeError,
  PROT_EXEC,
  PROT_READ,
  clearInstructionCache,
  mapReadWrite,
  protect,
  roundUpToPages,
  unmap,
  viewOf,
  type NativePointer,
} from '../native/libc.ts';

/** Code pieces in one region start at this alignment (a cache line's half; what x64 decoders like). */
const PIECE_ALIGNMENT = 16;

/**
 * Supplies addresses for relocation targets outside the pieces being placed. `Function`
 * relocations whose index is a piece of the same placement resolve to that piece unless
 * `resolveFunction` is given.
 */
export interface RelocationResolver {
  resolveFunction?(index: number): bigint;
  /** Function index of piece 0 (piece i is function `firstFunctionIndex + i`); 0 unless given. */
  firstFunctionIndex?: number;
  resolveBuiltin?(id: number): bigint;
  trapExit?(): bigint;
}

interface Mapping {
  readonly pointer: NativePointer;
  readonly length: number;
  released: boolean;
}

const regionRegistry = new FinalizationRegistry<Mapping>((mapping) => {
  if (!mapping.released) {
    mapping.released = true;
    unmap(mapping.pointer, mapping.length);
  }
});

/** One mapped, executable region holding one or more pieces of code. */
export class CodeRegion {
  readonly #mapping: Mapping;
  readonly #base: bigint;
  readonly #offsets: readonly number[];

  constructor(mapping: Mapping, offsets: readonly number[]) {
    this.#mapping = mapping;
    this.#base = mapping.pointer;
    this.#offsets = offsets;
    regionRegistry.register(this, mapping, this);
  }

  get pieceCount(): number {
    return this.#offsets.length;
  }

  get byteLength(): number {
    return this.#mapping.length;
  }

  get disposed(): boolean {
    return this.#mapping.released;
  }

  /** Address of piece `index` (its first instruction). */
  addressOf(index: number): bigint {
    this.checkLive();
    const offset = this.#offsets[index];
    if (offset === undefined) throw new NativeError(`code region has no piece ${index} (it holds ${this.#offsets.length})`);
    return this.#base + BigInt(offset);
  }

  /** A read-only copy of the placed bytes of piece `index` (relocations applied). */
  bytesOf(index: number, length: number): Uint8Array {
    this.checkLive();
    const offset = this.#offsets[index] ?? 0;
    return new Uint8Array(viewOf(this.#mapping.pointer, this.#mapping.length)).slice(offset, offset + length);
  }

  /** Unmaps the region now. Pointers into it must not be called afterwards. */
  dispose(): void {
    if (this.#mapping.released) return;
    this.#mapping.released = true;
    regionRegistry.unregister(this);
    unmap(this.#mapping.pointer, this.#mapping.length);
  }

  private checkLive(): void {
    if (this.#mapping.released) throw new NativeError('code region was disposed');
  }
}

/** Allocates executable regions and places finished code into them. */
export class CodeSpace {
  /** How new code reaches instruction fetch on this host (the host backend's `isa.instructionCache`). */
  readonly #instructionCache: IsaDescriptor['instructionCache'];
  // Weak, so a region nobody references any more is unmapped by the finalization registry
  // without waiting for the code space's dispose().
  #regions: WeakRef<CodeRegion>[] = [];
  #pruneAt = 64;

  constructor(instructionCache: IsaDescriptor['instructionCache']) {
    this.#instructionCache = instructionCache;
  }

  /**
   * Places `pieces` in one page-granular region (each at a 16-byte boundary), applies their
   * relocations, makes the region executable and returns it.
   */
  place(pieces: readonly FinishedCode[], resolver: RelocationResolver = {}): CodeRegion {
    if (pieces.length === 0) throw new NativeError('nothing to place: no code pieces given');
    const offsets: number[] = [];
    let size = 0;
    for (const piece of pieces) {
      size = Math.ceil(size / PIECE_ALIGNMENT) * PIECE_ALIGNMENT;
      offsets.push(size);
      size += piece.code.length;
    }
    const length = roundUpToPages(size);
    const pointer = mapReadWrite(length);
    const base = pointer;
    try {
      const bytes = new Uint8Array(viewOf(pointer, length));
      pieces.forEach((piece, i) => bytes.set(piece.code, offsets[i]!));
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      pieces.forEach((piece, i) => {
        for (const reloc of piece.relocations) {
          applyRelocation(view, base, offsets[i]!, reloc, targetAddress(reloc, base, offsets, resolver));
        }
      });
      protect(pointer, length, PROT_READ | PROT_EXEC);
      if (this.#instructionCache === 'clear-cache') clearInstructionCache(base, length);
    } catch (error) {
      unmap(pointer, length);
      throw error;
    }
    const region = new CodeRegion({ pointer, length, released: false }, offsets);
    this.#regions.push(new WeakRef(region));
    if (this.#regions.length >= this.#pruneAt) {
      this.#regions = this.#regions.filter((ref) => ref.deref()?.disposed === false);
      this.#pruneAt = Math.max(64, this.#regions.length * 2);
    }
    return region;
  }

  /** Releases every region this code space placed. */
  dispose(): void {
    for (const ref of this.#regions) ref.deref()?.dispose();
    this.#regions = [];
  }
}

function targetAddress(reloc: Relocation, base: bigint, offsets: readonly number[], resolver: RelocationResolver): bigint {
  switch (reloc.target) {
    case RelocTarget.Function: {
      if (resolver.resolveFunction !== undefined) return resolver.resolveFunction(reloc.index);
      const offset = offsets[reloc.index - (resolver.firstFunctionIndex ?? 0)];
      if (offset === undefined) throw new NativeError(`relocation to function ${reloc.index}, which is not placed and has no resolver`);
      return base + BigInt(offset);
    }
    case RelocTarget.Builtin:
      if (resolver.resolveBuiltin === undefined) throw new NativeError(`relocation to builtin ${reloc.index} without a builtin resolver`);
      return resolver.resolveBuiltin(reloc.index);
    case RelocTarget.TrapExit:
      if (resolver.trapExit === undefined) throw new NativeError('relocation to the trap exit without a trap-exit resolver');
      return resolver.trapExit();
    default:
      throw new NativeError(`unknown relocation target ${reloc.target as number}`);
  }
}

function applyRelocation(view: DataView, base: bigint, pieceOffset: number, reloc: Relocation, target: bigint): void {
  const at = pieceOffset + reloc.at;
  const value = target + BigInt(reloc.addend);
  const place = base + BigInt(at);
  switch (reloc.kind) {
    case RelocKind.Abs64:
      view.setBigUint64(at, BigInt.asUintN(64, value), true);
      return;
    case RelocKind.PcRel32: {
      const delta = value - (place + 4n);
      if (delta < -(2n ** 31n) || delta >= 2n ** 31n) {
        throw new NativeError(`PC-relative relocation at ${at} cannot reach its target (distance ${delta})`);
      }
      view.setInt32(at, Number(delta), true);
      return;
    }
    case RelocKind.Arm64Call26: {
      const delta = value - place;
      if ((delta & 3n) !== 0n || delta < -(2n ** 27n) || delta >= 2n ** 27n) {
        throw new NativeError(`arm64 call relocation at ${at} cannot reach its target (distance ${delta})`);
      }
      const word = view.getUint32(at, true);
      view.setUint32(at, ((word & 0xfc00_0000) | (Number(delta >> 2n) & 0x03ff_ffff)) >>> 0, true);
      return;
    }
    default:
      throw new NativeError(`unknown relocation kind ${reloc.kind as number}`);
  }
}
