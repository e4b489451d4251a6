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
// code), reached with `jumpIndirect`. Frame layout, with s the function's slot size (8 bytes, or
// 16 in a function where v128 values may occur: `baselineSlotSize`): local i in slot (i + 1) * s, operand stack
// position p in slot (locals + p + 1) * s (`localSlot`, `operandSlot`), each value in the low
// bytes of its slot (a v128 fills its 16).

import type { ValueKind } from '@flint/backend';
import { ValType, type FunctionBody, type Module } from '@flint/decoder';
import { SLOT_SIZE, V128_SLOT_SIZE } from './value-stack.ts';

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

/** Whether a module's types or globals mention v128 (block types, callees and globals can bring one into any function). */
const declaresV128 = new WeakMap<Module, boolean>();

function moduleDeclaresV128(module: Module): boolean {
  let found = declaresV128.get(module);
  if (found === undefined) {
    found = module.globals.some((g) => g.type === ValType.V128);
    for (const t of module.types) {
      const c = t.composite;
      if (c.kind === 'func' && (c.params.includes(ValType.V128) || c.results.includes(ValType.V128))) found = true;
    }
    declaresV128.set(module, found);
  }
  return found;
}

/**
 * The frame slot size of a function's baseline code: 16 bytes where a v128 value may occur, else
 * 8. Decided from what every compile has, without validation (compile workers compile bodies as
 * they stream in): a v128 comes from a v128 local, a SIMD operator (all start with byte 0xFD), or
 * a type or global of the module. A 0xFD byte inside an immediate only costs larger slots.
 */
export function baselineSlotSize(module: Module, body: FunctionBody): number {
  if (body.code.bytes.indexOf(0xfd) >= 0 || body.locals.some((l) => l.type === ValType.V128) || moduleDeclaresV128(module)) return V128_SLOT_SIZE;
  return SLOT_SIZE;
}

/** The frame slot of local `local` in baseline code with `slotSize`-byte slots. */
export function localSlot(local: number, slotSize = SLOT_SIZE): number {
  return (local + 1) * slotSize;
}

/** The frame slot of operand-stack position `position` in baseline code of a function with `numLocals` locals. */
export function operandSlot(numLocals: number, position: number, slotSize = SLOT_SIZE): number {
  return (numLocals + position + 1) * slotSize;
}
