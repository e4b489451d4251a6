// The code buffer every ISA emits into: machine-code bytes, labels with fix-ups, relocations,
// trap sites and a constant pool. ISA-neutral: an ISA defines its fix-up kinds (small integers)
// and supplies the patcher that knows how to write a label's offset into each kind of field.
//
// Emitting allocates nothing per instruction: bytes go into a Uint8Array that doubles when full,
// and labels, fix-ups, relocations and trap sites are int32 records in growable typed arrays.

import { IntList } from './int-list.ts';
import type { RelocKind, RelocTarget, Relocation } from './reloc.ts';
import { isTrapReason, type TrapReason } from './trap.ts';

/** A position in the code, created unbound and bound once. A small integer, local to one buffer. */
export type Label = number;

/**
 * Writes a label's offset into a fix-up field. `at` is the offset the ISA passed to `addFixup`
 * (usually the start of the field), `target` the bound label's offset, `kind` the ISA's fix-up kind.
 */
export type FixupPatcher = (buffer: CodeBuffer, kind: number, at: number, target: number) => void;

/** A code offset at which generated code traps, and the Wasm instruction responsible. */
export interface TrapSite {
  readonly codeOffset: number;
  readonly reason: TrapReason;
  /** Byte offset of the trapping instruction in the module (for error messages); -1 if unknown. */
  readonly wasmOffset: number;
}

/**
 * A call in generated code: `codeOffset` is its return address (the offset of the instruction
 * after the call), `wasmOffset` the module offset of the Wasm operator that made the call. A
 * stack walker finds the caller's position from a frame's return address with it. Every call
 * from which control can come back while the caller's frame is live is recorded: direct,
 * import, indirect and builtin calls.
 */
export interface CallSite {
  readonly codeOffset: number;
  readonly wasmOffset: number;
}

export interface FinishedCode {
  /** Exactly the emitted bytes, constant pool included, in a fresh array the caller owns. */
  readonly code: Uint8Array;
  /** Sorted by `codeOffset`. */
  readonly trapSites: readonly TrapSite[];
  readonly relocations: readonly Relocation[];
  /** Sorted by `codeOffset`; absent (no calls recorded) for code that is not a Wasm function. */
  readonly callSites?: readonly CallSite[];
}

export interface CodeBufferOptions {
  readonly initialCapacity?: number;
  /** Patcher for fix-ups; with it, references are patched as soon as their label is bound. */
  readonly patcher?: FixupPatcher;
}

/** Misuse of a code buffer: unbound or re-bound labels, out-of-range patches, bad alignment. */
export class CodeBufferError extends Error {
  override readonly name = 'CodeBufferError';
}

const UNBOUND = -1;
const NONE = -1;
// Label record: [offset or UNBOUND, head of its pending fix-up chain or NONE].
const LABEL_STRIDE = 2;
// Fix-up record: [label, at, kind, next fix-up in the label's pending chain or NONE].
const FIXUP_STRIDE = 4;
// Relocation record: [at, kind, target, index, addend].
const RELOC_STRIDE = 5;

interface PooledConstant {
  readonly bytes: Uint8Array;
  readonly align: number;
  readonly label: Label;
}

export class CodeBuffer {
  private bytes: Uint8Array;
  private used = 0;
  private readonly patcher: FixupPatcher | undefined;
  private readonly labels = new IntList();
  private readonly fixups = new IntList();
  private readonly relocs = new IntList();
  private readonly traps = new IntList();
  private readonly calls = new IntList();
  private constants: PooledConstant[] = [];
  private readonly constantsByKey = new Map<string, Label>();
  private finished = false;

  constructor(options: CodeBufferOptions = {}) {
    this.bytes = new Uint8Array(Math.max(16, options.initialCapacity ?? 256));
    this.patcher = options.patcher;
  }

  /** Number of bytes emitted so far: the offset the next byte goes to. */
  get length(): number {
    return this.used;
  }

  emit8(value: number): void {
    if (this.used + 1 > this.bytes.length) this.grow(1);
    this.bytes[this.used++] = value;
  }

  emit16(value: number): void {
    if (this.used + 2 > this.bytes.length) this.grow(2);
    const b = this.bytes;
    const at = this.used;
    b[at] = value;
    b[at + 1] = value >>> 8;
    this.used = at + 2;
  }

  emit32(value: number): void {
    if (this.used + 4 > this.bytes.length) this.grow(4);
    const b = this.bytes;
    const at = this.used;
    b[at] = value;
    b[at + 1] = value >>> 8;
    b[at + 2] = value >>> 16;
    b[at + 3] = value >>> 24;
    this.used = at + 4;
  }

  /** Emits a 64-bit value given as its low and high 32-bit halves (no BigInt on the hot path). */
  emit64(lo: number, hi: number): void {
    this.emit32(lo);
    this.emit32(hi);
  }

  emitBytes(source: ArrayLike<number>): void {
    const n = source.length;
    if (this.used + n > this.bytes.length) this.grow(n);
    const b = this.bytes;
    let at = this.used;
    for (let i = 0; i < n; i++) b[at++] = source[i]!;
    this.used = at;
  }

  /** Pads with `fillByte` (e.g. 0x90 nop, 0xcc int3) until the length is a multiple of `alignment`. */
  align(alignment: number, fillByte = 0): void {
    if (!(alignment > 0 && (alignment & (alignment - 1)) === 0)) {
      throw new CodeBufferError(`alignment must be a power of two, got ${alignment}`);
    }
    while ((this.used & (alignment - 1)) !== 0) this.emit8(fillByte);
  }

  readU8(at: number): number {
    this.checkRange(at, 1);
    return this.bytes[at]!;
  }

  readU32(at: number): number {
    this.checkRange(at, 4);
    const b = this.bytes;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  readI32(at: number): number {
    return this.readU32(at) | 0;
  }

  patch8(at: number, value: number): void {
    this.checkRange(at, 1);
    this.bytes[at] = value;
  }

  patch16(at: number, value: number): void {
    this.checkRange(at, 2);
    this.bytes[at] = value;
    this.bytes[at + 1] = value >>> 8;
  }

  patch32(at: number, value: number): void {
    this.checkRange(at, 4);
    const b = this.bytes;
    b[at] = value;
    b[at + 1] = value >>> 8;
    b[at + 2] = value >>> 16;
    b[at + 3] = value >>> 24;
  }

  // --- labels and fix-ups ---------------------------------------------------------------------

  newLabel(): Label {
    const label = this.labels.length / LABEL_STRIDE;
    this.labels.push(UNBOUND);
    this.labels.push(NONE);
    return label;
  }

  /** Binds `label` to the current offset and patches the references already waiting for it. */
  bind(label: Label): void {
    this.checkLabel(label);
    const base = label * LABEL_STRIDE;
    if (this.labels.get(base) !== UNBOUND) {
      throw new CodeBufferError(`label ${label} is already bound at offset ${this.labels.get(base)}`);
    }
    this.labels.set(base, this.used);
    if (this.patcher !== undefined) {
      let fixup = this.labels.get(base + 1);
      while (fixup !== NONE) {
        const f = fixup * FIXUP_STRIDE;
        this.patcher(this, this.fixups.get(f + 2), this.fixups.get(f + 1), this.used);
        fixup = this.fixups.get(f + 3);
      }
      this.labels.set(base + 1, NONE);
    }
  }

  isBound(label: Label): boolean {
    this.checkLabel(label);
    return this.labels.get(label * LABEL_STRIDE) !== UNBOUND;
  }

  offsetOf(label: Label): number {
    this.checkLabel(label);
    const offset = this.labels.get(label * LABEL_STRIDE);
    if (offset === UNBOUND) throw new CodeBufferError(`label ${label} is not bound`);
    return offset;
  }

  /**
   * Records that the field at `at` refers to `label`, to be written by the patcher with `kind`.
   * A reference to a bound label (a backward branch) is patched at once when a patcher is known;
   * forward references are patched when the label is bound, or at `finish`.
   */
  addFixup(label: Label, at: number, kind: number): void {
    this.checkLabel(label);
    const base = label * LABEL_STRIDE;
    const offset = this.labels.get(base);
    if (offset !== UNBOUND && this.patcher !== undefined) {
      this.patcher(this, kind, at, offset);
      return;
    }
    const fixup = this.fixups.length / FIXUP_STRIDE;
    this.fixups.push3(label, at, kind);
    this.fixups.push(this.labels.get(base + 1));
    this.labels.set(base + 1, fixup);
  }

  // --- relocations, trap sites, constants ----------------------------------------------------

  addRelocation(at: number, kind: RelocKind, target: RelocTarget, index = 0, addend = 0): void {
    this.relocs.push3(at, kind, target);
    this.relocs.push(index);
    this.relocs.push(addend);
  }

  addTrapSite(codeOffset: number, reason: TrapReason, wasmOffset = -1): void {
    if (!isTrapReason(reason)) throw new CodeBufferError(`invalid trap reason ${reason as number}`);
    this.traps.push3(codeOffset, reason, wasmOffset);
  }

  /** Records a call whose return address is `codeOffset`, made by the Wasm operator at `wasmOffset`. */
  addCallSite(codeOffset: number, wasmOffset: number): void {
    this.calls.push(codeOffset);
    this.calls.push(wasmOffset);
  }

  /**
   * Adds `bytes` to the constant pool (emitted after the code by `finish`, aligned to `alignment`)
   * and returns the label that will be bound to it. Identical constants share one slot.
   */
  addConstant(bytes: ArrayLike<number>, alignment: number): Label {
    if (!(alignment > 0 && (alignment & (alignment - 1)) === 0)) {
      throw new CodeBufferError(`constant alignment must be a power of two, got ${alignment}`);
    }
    const copy = Uint8Array.from(bytes);
    const key = `${alignment}:${copy.join(',')}`;
    const existing = this.constantsByKey.get(key);
    if (existing !== undefined) return existing;
    const label = this.newLabel();
    this.constants.push({ bytes: copy, align: alignment, label });
    this.constantsByKey.set(key, label);
    return label;
  }

  /**
   * Forgets everything emitted and recorded (bytes, labels, fix-ups, relocations, trap sites,
   * constants) so the buffer can hold another function, keeping its grown storage: a compiler
   * that reuses one buffer per thread stops re-growing it for every function.
   */
  reset(): void {
    this.used = 0;
    this.labels.clear();
    this.fixups.clear();
    this.relocs.clear();
    this.traps.clear();
    this.calls.clear();
    this.constants.length = 0;
    this.constantsByKey.clear();
    this.finished = false;
  }

  /**
   * Emits the constant pool, resolves every fix-up and returns the finished code. `patcher`
   * overrides the one given at construction. An unbound label is an error, not silent garbage.
   */
  finish(patcher: FixupPatcher | undefined = this.patcher): FinishedCode {
    if (this.finished) throw new CodeBufferError('finish() called twice on one code buffer');
    this.finished = true;
    for (const constant of this.constants) {
      this.align(constant.align, 0);
      this.bind(constant.label);
      this.emitBytes(constant.bytes);
    }
    const labelCount = this.labels.length / LABEL_STRIDE;
    for (let label = 0; label < labelCount; label++) {
      let fixup = this.labels.get(label * LABEL_STRIDE + 1);
      if (fixup === NONE) continue;
      const target = this.labels.get(label * LABEL_STRIDE);
      if (target === UNBOUND) {
        throw new CodeBufferError(
          `label ${label} is referenced (at code offset ${this.fixups.get(fixup * FIXUP_STRIDE + 1)}) but never bound`,
        );
      }
      if (patcher === undefined) {
        throw new CodeBufferError('code has label fix-ups but no fix-up patcher was given');
      }
      while (fixup !== NONE) {
        const f = fixup * FIXUP_STRIDE;
        patcher(this, this.fixups.get(f + 2), this.fixups.get(f + 1), target);
        fixup = this.fixups.get(f + 3);
      }
      this.labels.set(label * LABEL_STRIDE + 1, NONE);
    }

    const trapSites: TrapSite[] = [];
    for (let i = 0; i < this.traps.length; i += 3) {
      trapSites.push({
        codeOffset: this.traps.get(i),
        reason: this.traps.get(i + 1) as TrapReason,
        wasmOffset: this.traps.get(i + 2),
      });
    }
    trapSites.sort((a, b) => a.codeOffset - b.codeOffset);
    const relocations: Relocation[] = [];
    for (let i = 0; i < this.relocs.length; i += RELOC_STRIDE) {
      relocations.push({
        at: this.relocs.get(i),
        kind: this.relocs.get(i + 1) as RelocKind,
        target: this.relocs.get(i + 2) as RelocTarget,
        index: this.relocs.get(i + 3),
        addend: this.relocs.get(i + 4),
      });
    }
    const finished: FinishedCode = { code: this.bytes.slice(0, this.used), trapSites, relocations };
    if (this.calls.length === 0) return finished;
    const callSites: CallSite[] = [];
    // Emitted in code order, so already sorted.
    for (let i = 0; i < this.calls.length; i += 2) callSites.push({ codeOffset: this.calls.get(i), wasmOffset: this.calls.get(i + 1) });
    return { ...finished, callSites };
  }

  private grow(extra: number): void {
    let capacity = this.bytes.length * 2;
    while (capacity < this.used + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }

  private checkRange(at: number, width: number): void {
    if (!Number.isInteger(at) || at < 0 || at + width > this.used) {
      throw new CodeBufferError(`${width}-byte access at offset ${at} is outside the ${this.used} emitted bytes`);
    }
  }

  private checkLabel(label: Label): void {
    if (!Number.isInteger(label) || label < 0 || label * LABEL_STRIDE >= this.labels.length) {
      throw new CodeBufferError(`label ${label} was not created by this code buffer`);
    }
  }
}
