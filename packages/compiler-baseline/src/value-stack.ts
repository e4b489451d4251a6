// The abstract value stack of the baseline compiler (Liftoff's `VarState`, Winch's `Val`): what
// the operand stack holds at this point of the single pass. Each entry is a register, a frame
// slot, a constant or a reference to a local, so constants fold into immediates and `local.get`
// emits nothing until the value is used. Entries live in parallel typed arrays (struct of
// arrays): pushing and popping allocates nothing, and the arrays grow by doubling.
//
// Spill slots are fixed by stack position: the entry at depth `p` always spills to the same
// frame slot, so no slot allocator is needed and every control-flow join agrees on where a value
// lives in memory (see control.ts).

import { RegClass, ValueKind, type ValueSize } from '@flint/backend';

/** Where an entry's value is. */
export const Loc = {
  /** In the register `payload`. */
  Reg: 0,
  /** In the frame slot of its stack position. */
  Stack: 1,
  /** A constant: `lo`/`hi` hold the integer value or the raw IEEE bits. */
  Const: 2,
  /** Still in local `payload`'s frame slot (a deferred `local.get`). */
  Local: 3,
} as const;
export type Loc = (typeof Loc)[keyof typeof Loc];

export class ValueStack {
  /** Number of entries. */
  height = 0;
  loc = new Uint8Array(64);
  kind = new Uint8Array(64);
  /** Register (Loc.Reg) or local index (Loc.Local). */
  payload = new Int32Array(64);
  lo = new Int32Array(64);
  hi = new Int32Array(64);
  /** Highest height reached, for sizing the spill area. */
  maxHeight = 0;
  /**
   * Entries below this position are all `Stack` or `Const` (no register, no deferred local), so
   * scans for registers and locals start here: entering nested blocks stays linear in the
   * number of operators instead of rescanning the whole stack each time.
   */
  firstLive = 0;

  reset(): void {
    this.height = 0;
    this.maxHeight = 0;
    this.firstLive = 0;
  }

  push(loc: Loc, kind: ValueKind, payload: number, lo: number, hi: number): void {
    const i = this.height;
    if (i === this.loc.length) this.grow();
    this.loc[i] = loc;
    this.kind[i] = kind;
    this.payload[i] = payload;
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.height = i + 1;
    if (this.height > this.maxHeight) this.maxHeight = this.height;
    if ((loc === Loc.Reg || loc === Loc.Local) && i < this.firstLive) this.firstLive = i;
  }

  /** Index of the top entry, `depth` entries down (0 = top). */
  top(depth = 0): number {
    return this.height - 1 - depth;
  }

  private grow(): void {
    const n = this.loc.length * 2;
    const loc = new Uint8Array(n);
    loc.set(this.loc);
    const kind = new Uint8Array(n);
    kind.set(this.kind);
    const payload = new Int32Array(n);
    payload.set(this.payload);
    const lo = new Int32Array(n);
    lo.set(this.lo);
    const hi = new Int32Array(n);
    hi.set(this.hi);
    this.loc = loc;
    this.kind = kind;
    this.payload = payload;
    this.lo = lo;
    this.hi = hi;
  }
}

/**
 * Bytes a frame slot holds: 8, or 16 in the functions of a module that uses v128, so that every
 * slot (locals and spills alike) can hold any value and slots stay fixed by position.
 */
export const SLOT_SIZE = 8;
export const V128_SLOT_SIZE = 16;

/** f32 and f64: scalar floats (constants are raw IEEE bits). */
export const isFloatKind = (kind: number): boolean => kind === ValueKind.F32 || kind === ValueKind.F64;
/** The register class a value of `kind` lives in: f32, f64 and v128 in `Float`, the rest in `Int`. */
export const classOfKind = (kind: number): RegClass =>
  kind === ValueKind.F32 || kind === ValueKind.F64 || kind === ValueKind.V128 ? RegClass.Float : RegClass.Int;
/** Value size of a kind: 32 for i32/f32, 128 for v128, 64 for i64/f64/references. */
export const sizeOfKind = (kind: number): ValueSize =>
  kind === ValueKind.I32 || kind === ValueKind.F32 ? 32 : kind === ValueKind.V128 ? 128 : 64;
