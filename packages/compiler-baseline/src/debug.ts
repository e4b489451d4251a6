// Debug code (V8's Liftoff code "for debugging"): the baseline tier compiles a function so a
// debugger can stop it before an operator, read its locals and operand stack from the frame, and
// move the paused frame to another debug code of the same function.
//
// At every operator boundary debug code keeps the whole value stack in its frame slots (no
// registers, constants or deferred locals, no local cache, no fused compares or local.set/get
// peepholes), so all debug codes of one function — whatever their break sites — agree on the
// frame at every boundary and at every call's return. Before an operator chosen as a break site
// it calls the `DebugBreak` builtin with (function index, Wasm offset, frame pointer, site
// index); a non-zero answer is the address to go on at (the same position in another debug
// code), reached with `jumpIndirect`. Frame layout: local i in slot (i + 1) * 8, operand stack
// position p in slot (locals + p + 1) * 8 (`localSlot`, `operandSlot`), each value in the low
// bytes of its 8-byte slot.

import type { ValueKind } from '@flint/backend';

/** What to compile debug code for, and where the compiler reports its break sites. */
export interface DebugCodeRequest {
  /** Module offsets of the operators to break before; `'all'` breaks before every operator (stepping). */
  readonly breakAt: ReadonlySet<number> | 'all';
  /** Filled by the compiler, in code order: one entry per break site. */
  readonly sites: DebugSite[];
  /** Filled by the compiler: the value kinds of the function's locals (parameters first). */
  readonly localKinds: ValueKind[];
}

export interface DebugSite {
  /** Module offset of the operator the site breaks before. */
  readonly wasmOffset: number;
  /** Code offset of the `DebugBreak` call's return address (it is also a call site). */
  readonly callReturnOffset: number;
  /** Code offset where a frame moved here from another debug code of the function goes on. */
  readonly resumeOffset: number;
  /** Value kinds of the operand stack before the operator, bottom first; every value is in its slot. */
  readonly stackKinds: readonly ValueKind[];
}

const SLOT_SIZE = 8;

/** The frame slot of local `local` in baseline code. */
export function localSlot(local: number): number {
  return (local + 1) * SLOT_SIZE;
}

/** The frame slot of operand-stack position `position` in baseline code of a function with `numLocals` locals. */
export function operandSlot(numLocals: number, position: number): number {
  return (numLocals + position + 1) * SLOT_SIZE;
}
