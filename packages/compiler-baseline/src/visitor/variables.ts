// Locals and globals.
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#variable-instructions
//
// Locals live in frame slots; `local.get` pushes a deferred reference that costs nothing until
// used, and `local.set` first loads any such reference to the local it overwrites.
// Within a basic block, the register a `local.set`/`local.tee` stored from stays associated with
// the local (the compiler's local register cache), so a later `local.get` costs a register move.
// `local.set x` or `local.tee x` directly followed by `local.get x` (one operator of look-ahead)
// reads the value back from the register it is still in, not from the slot just written: the
// `local.get` is then answered ahead of time and emits nothing when its turn comes.
// Globals live in the globals area (VMCTX_GLOBALS, GLOBAL_SLOT_SIZE bytes per global, in index
// order). A defined global's slot holds its value; an imported global's slot holds a pointer to
// the exporting instance's cell, so every instance sees writes to a shared mutable global.

import { GLOBAL_SLOT_SIZE, LoadKind, RegClass, StoreKind, VMCTX_GLOBALS, ValueKind, regClassOf, valueKindOf } from '@flint/backend';
import { Op, type Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';
import { classOfKind, sizeOfKind } from '../value-stack.ts';

/** How a global of each value kind is read and written (references are 64-bit pointers; v128 as one 16-byte access). */
const LOAD_OF_KIND: Readonly<Record<ValueKind, LoadKind>> = {
  [ValueKind.I32]: LoadKind.I32,
  [ValueKind.I64]: LoadKind.I64,
  [ValueKind.F32]: LoadKind.F32,
  [ValueKind.F64]: LoadKind.F64,
  [ValueKind.V128]: LoadKind.V128,
  [ValueKind.Ref]: LoadKind.I64,
};
const STORE_OF_KIND: Readonly<Record<ValueKind, StoreKind>> = {
  [ValueKind.I32]: StoreKind.I32,
  [ValueKind.I64]: StoreKind.I64,
  [ValueKind.F32]: StoreKind.F32,
  [ValueKind.F64]: StoreKind.F64,
  [ValueKind.V128]: StoreKind.V128,
  [ValueKind.Ref]: StoreKind.I64,
};

export function visitVariable(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  switch (id) {
    case Op.LocalGet:
      if (c.localGetAnswered) c.localGetAnswered = false;
      else c.pushLocal(imm.index);
      return true;
    case Op.LocalSet:
    case Op.LocalTee: {
      const local = imm.index;
      c.materializeLocal(local);
      const kind = c.kindAt(0);
      const reg = c.popReg();
      c.masm.spill(c.localSlot(local), reg, sizeOfKind(kind));
      c.uncacheLocal(local);
      if (!c.nextIsLocalGet(local)) {
        if (id === Op.LocalSet) {
          c.cacheLocal(local, reg);
          return true;
        }
        c.pushRegKind(reg, kind);
        // Cache a copy only when a register is free: a later local.get then costs a move.
        const copy = c.regs.take(regClassOf(reg));
        if (copy >= 0) {
          c.masm.move(copy, reg, sizeOfKind(kind));
          c.cacheLocal(local, copy);
        }
        return true;
      }
      if (id === Op.LocalTee) {
        // Both the tee's result and the get's value: a register copy (`reg` is off the value
        // stack while the copy is allocated, so a spill cannot take it).
        const copy = c.allocReg(regClassOf(reg));
        c.masm.move(copy, reg, sizeOfKind(kind));
        c.pushRegKind(reg, kind);
        c.pushRegKind(copy, kind);
      } else {
        c.pushRegKind(reg, kind);
      }
      c.localGetAnswered = true;
      return true;
    }
    case Op.GlobalGet:
    case Op.GlobalSet: {
      const global = imm.index;
      const kind = valueKindOf(c.module.globals[global]!.type);
      const value = id === Op.GlobalSet ? c.popReg() : -1;
      const cell = globalCell(c, global);
      const offset = global < c.module.numImportedGlobals ? 0 : global * GLOBAL_SLOT_SIZE;
      if (id === Op.GlobalSet) {
        c.masm.store(STORE_OF_KIND[kind], value, cell, offset);
        c.freeReg(value);
        c.freeReg(cell);
        return true;
      }
      const float = classOfKind(kind) === RegClass.Float;
      const dst = float ? c.allocReg(RegClass.Float) : cell;
      c.masm.load(LOAD_OF_KIND[kind], dst, cell, offset);
      if (float) c.freeReg(cell);
      c.pushRegKind(dst, kind);
      return true;
    }
    default:
      return false;
  }
}

/**
 * A register holding the base address for global `global`'s value: the globals area for a
 * defined global (the value is at `global * GLOBAL_SLOT_SIZE`), the cell itself for an import.
 */
function globalCell(c: BaselineCompiler, global: number): number {
  const vmctx = c.backend.registers.vmContext;
  const reg = c.allocReg(RegClass.Int);
  c.masm.loadPtr(reg, vmctx, VMCTX_GLOBALS);
  if (global < c.module.numImportedGlobals) c.masm.loadPtr(reg, reg, global * GLOBAL_SLOT_SIZE);
  return reg;
}

