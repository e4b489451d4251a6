// The code buffer every ISA emits into: machine-code bytes, labels with fix-ups, relocations,
// trap sites and a constant pool. ISA-neutral: an ISA defines its fix-up kinds (small integers)
// and supplies the patcher that knows how to write a label's offset into each kind of field.
//
// Range-aware fix-ups (Cranelift's MachBuffer): an ISA whose short fields cannot reach across a
// whole function (A64's b.cond reaches ±1 MiB, tbz ±32 KiB) describes its kinds as `LabelUses`
// (how far each reaches, which may go through a veneer, what a veneer is). The buffer then keeps
// the deadline of the earliest pending forward reference, and the ISA asks for an island at each
// instruction boundary (`islandPoint`): before a pending reference would run out of range, an
// island is emitted — a jump over it, then a veneer (an unconditional long jump to the same
// label) for every pending short branch, which is patched to its veneer, and the constants whose
// PC-relative loads could not reach the pool after the code. So a function's size never forces a
// compiler to choose branch forms or compile twice.
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

/** How far one of an ISA's fix-up kinds reaches (Cranelift's `LabelUse`). */
export interface LabelUseKind {
  /** Largest `target - at`, in bytes, the field can hold. */
  readonly maxForward: number;
  /** Largest `at - target`, in bytes, the field can hold. */
  readonly maxBackward: number;
  /**
   * A branch that may reach its label through a veneer. False for uses that must reach the target
   * itself (a PC-relative load or address): for those the buffer can only move constants closer.
   */
  readonly veneerable: boolean;
}

/** An ISA's label uses: every fix-up kind's reach, the patcher, and the veneer that extends a short branch. */
export interface LabelUses {
  /** Indexed by fix-up kind. */
  readonly kinds: readonly LabelUseKind[];
  readonly patch: FixupPatcher;
  /** The fix-up kind of a veneer's jump; its own reach is not extended (a function must fit it). */
  readonly veneerKind: number;
  /** Bytes of one veneer. */
  readonly veneerSize: number;
  /** Code after an island resumes at this alignment (the ISA's instruction alignment). */
  readonly codeAlignment: number;
  /** Emits a veneer (an unconditional jump, its target field to be patched as `veneerKind`) and returns the offset of that field. */
  emitVeneer(buffer: CodeBuffer): number;
}

export interface CodeBufferOptions {
  readonly initialCapacity?: number;
  /** Patcher for fix-ups; with it, references are patched as soon as their label is bound. */
  readonly patcher?: FixupPatcher;
  /** Range-aware fix-ups with islands (implies the patcher); see the top of this file. */
  readonly labelUses?: LabelUses;
}

/** Misuse of a code buffer: unbound or re-bound labels, out-of-range patches, bad alignment. */
export class CodeBufferError extends Error {
  override readonly name = 'CodeBufferError';
}

const UNBOUND = -1;
const NONE = -1;
/** A fix-up's label slot once the fix-up is patched (at bind, or to its veneer). */
const RESOLVED = -1;
// Label record: [offset or UNBOUND, head of its pending fix-up chain or NONE, flags].
const LABEL_STRIDE = 3;
const LABEL_IS_CONSTANT = 1;
// Fix-up record: [label or RESOLVED, at, kind, next fix-up in the label's pending chain or NONE].
const FIXUP_STRIDE = 4;
/**
 * Bytes an island may be late by: what one instruction boundary to the next can add to the code
 * and to the island's worst-case size (a word, one veneer, one constant with its padding).
 */
const ISLAND_MARGIN = 64;
// Relocation record: [at, kind, target, index, addend].
const RELOC_STRIDE = 5;

interface PooledConstant {
  readonly bytes: Uint8Array;
  readonly align: number;
  readonly label: Label;
  readonly key: string;
}

export class CodeBuffer {
  private bytes: Uint8Array;
  private used = 0;
  private readonly patcher: FixupPatcher | undefined;
  private readonly labelUses: LabelUses | undefined;
  private readonly labels = new IntList();
  private readonly fixups = new IntList();
  private readonly relocs = new IntList();
  private readonly traps = new IntList();
  private readonly calls = new IntList();
  private constants: PooledConstant[] = [];
  private readonly constantsByKey = new Map<string, Label>();
  private finished = false;

  // Islands (with `labelUses` only). `tracked`: fix-ups an island may have to serve (pending short
  // branches and references to unemitted constants), some resolved since. `deadline`: the
  // earliest `at + maxForward` among them (stale-low until recomputed). `islandWorstCase`: bytes
  // of the island if it were emitted now. An island is due once the code reaches `islandThreshold`.
  private readonly tracked = new IntList();
  private deadline = Infinity;
  private pendingVeneers = 0;
  private constantBytes = 0;
  private islandThreshold = Infinity;
  /** `islandPoint` reserved the bytes before this offset for one instruction or sequence. */
  private noIslandBefore = 0;
  private islandCount = 0;

  constructor(options: CodeBufferOptions = {}) {
    this.bytes = new Uint8Array(Math.max(16, options.initialCapacity ?? 256));
    this.labelUses = options.labelUses;
    this.patcher = options.patcher ?? options.labelUses?.patch;
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
    this.labels.push3(UNBOUND, NONE, 0);
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
        if (this.fixups.get(f) !== RESOLVED) {
          this.patcher(this, this.fixups.get(f + 2), this.fixups.get(f + 1), this.used);
          this.resolve(fixup);
        }
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
    if (offset === UNBOUND && this.labelUses !== undefined) this.track(fixup, label, at, kind);
  }

  // --- islands --------------------------------------------------------------------------------

  /** Islands emitted so far in this function (for tests and statistics). */
  get islands(): number {
    return this.islandCount;
  }

  /**
   * True when an island must come before the next `bytes` bytes of code, because a pending
   * forward reference (a short branch, or a load from a constant not emitted yet) would otherwise
   * be out of range by the time its label could be bound. Always false without `labelUses`.
   */
  islandNeeded(bytes: number): boolean {
    if (this.used + bytes <= this.islandThreshold) return false;
    this.recomputeDeadline();
    return this.used + bytes > this.islandThreshold;
  }

  /**
   * An instruction boundary: the ISA calls it before every instruction, or before a sequence of
   * `bytes` bytes that must stay contiguous (a jump table, a branch over the next instruction).
   * Emits an island first when one is due within `bytes`, and places none inside those bytes.
   * Returns the offset where the instruction starts. Cheap when no island is due: two comparisons.
   */
  islandPoint(bytes: number): number {
    if (this.used >= this.noIslandBefore) {
      if (this.used + bytes > this.islandThreshold && this.islandNeeded(bytes)) this.emitIsland();
      this.noIslandBefore = this.used + bytes;
    }
    return this.used;
  }

  /**
   * Emits an island here: a jump over it; a veneer for every pending short branch (earliest
   * deadline first), to which the branch is patched and which takes over its reference to the
   * label; and every constant not emitted yet, whose loads are patched to it (a later use of the
   * same bytes gets a new copy further on). Control never falls into an island.
   */
  emitIsland(): void {
    const uses = this.labelUses;
    if (uses === undefined) throw new CodeBufferError('islands need the ISA\'s label uses (CodeBufferOptions.labelUses)');
    this.islandCount++;
    const over = this.newLabel();
    this.addFixup(over, uses.emitVeneer(this), uses.veneerKind);
    const branches: number[] = [];
    for (let i = 0; i < this.tracked.length; i++) {
      const fixup = this.tracked.get(i);
      const f = fixup * FIXUP_STRIDE;
      const label = this.fixups.get(f);
      if (label !== RESOLVED && !this.isConstantLabel(label)) branches.push(fixup);
    }
    branches.sort((a, b) => this.deadlineOf(a) - this.deadlineOf(b));
    for (const fixup of branches) {
      const f = fixup * FIXUP_STRIDE;
      const label = this.fixups.get(f);
      const veneer = this.used;
      const field = uses.emitVeneer(this);
      uses.patch(this, this.fixups.get(f + 2), this.fixups.get(f + 1), veneer);
      this.fixups.set(f, RESOLVED);
      this.addFixup(label, field, uses.veneerKind);
    }
    for (const constant of this.constants) {
      this.align(constant.align, 0);
      this.bind(constant.label);
      this.emitBytes(constant.bytes);
      this.constantsByKey.delete(constant.key);
    }
    this.constants = [];
    this.align(uses.codeAlignment, 0);
    this.tracked.clear();
    this.deadline = Infinity;
    this.pendingVeneers = 0;
    this.constantBytes = 0;
    this.islandThreshold = Infinity;
    this.bind(over);
  }

  /** Records a pending reference an island may have to serve, and moves the island's threshold. */
  private track(fixup: number, label: Label, at: number, kind: number): void {
    const uses = this.labelUses!;
    const use = uses.kinds[kind];
    if (use === undefined) throw new CodeBufferError(`fix-up kind ${kind} is not among the ISA's label uses`);
    const constant = this.isConstantLabel(label);
    if (!constant && (!use.veneerable || kind === uses.veneerKind)) return;
    this.tracked.push(fixup);
    if (!constant) this.pendingVeneers++;
    if (at + use.maxForward < this.deadline) this.deadline = at + use.maxForward;
    this.updateThreshold();
  }

  /** A tracked fix-up was patched at its label's binding: the island it might have needed shrinks. */
  private resolve(fixup: number): void {
    const f = fixup * FIXUP_STRIDE;
    const label = this.fixups.get(f);
    this.fixups.set(f, RESOLVED);
    const uses = this.labelUses;
    if (uses === undefined || this.isConstantLabel(label)) return;
    const kind = this.fixups.get(f + 2);
    if (uses.kinds[kind]?.veneerable === true && kind !== uses.veneerKind && this.pendingVeneers > 0) {
      this.pendingVeneers--;
      this.updateThreshold();
    }
  }

  private deadlineOf(fixup: number): number {
    const f = fixup * FIXUP_STRIDE;
    return this.fixups.get(f + 1) + this.labelUses!.kinds[this.fixups.get(f + 2)]!.maxForward;
  }

  /** Drops resolved fix-ups from the tracked list and recomputes the exact deadline. */
  private recomputeDeadline(): void {
    if (this.labelUses === undefined) return;
    let kept = 0;
    let deadline = Infinity;
    for (let i = 0; i < this.tracked.length; i++) {
      const fixup = this.tracked.get(i);
      if (this.fixups.get(fixup * FIXUP_STRIDE) === RESOLVED) continue;
      this.tracked.set(kept++, fixup);
      deadline = Math.min(deadline, this.deadlineOf(fixup));
    }
    this.tracked.truncate(kept);
    this.deadline = deadline;
    this.updateThreshold();
  }

  private updateThreshold(): void {
    const uses = this.labelUses!;
    if (this.deadline === Infinity) {
      this.islandThreshold = Infinity;
      return;
    }
    const worstCase = uses.veneerSize * (1 + this.pendingVeneers) + this.constantBytes + uses.codeAlignment;
    this.islandThreshold = this.deadline - worstCase - ISLAND_MARGIN;
  }

  private isConstantLabel(label: Label): boolean {
    return (this.labels.get(label * LABEL_STRIDE + 2) & LABEL_IS_CONSTANT) !== 0;
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
    this.labels.set(label * LABEL_STRIDE + 2, LABEL_IS_CONSTANT);
    this.constants.push({ bytes: copy, align: alignment, label, key });
    this.constantsByKey.set(key, label);
    this.constantBytes += copy.length + alignment - 1;
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
    this.tracked.clear();
    this.deadline = Infinity;
    this.pendingVeneers = 0;
    this.constantBytes = 0;
    this.islandThreshold = Infinity;
    this.noIslandBefore = 0;
    this.islandCount = 0;
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
        if (this.fixups.get(f) !== RESOLVED) patcher(this, this.fixups.get(f + 2), this.fixups.get(f + 1), target);
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
