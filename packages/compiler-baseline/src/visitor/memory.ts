// Linear-memory loads and stores with explicit bounds checks, memory.size and memory.grow.
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions
//
// Every access is `boundsCheck` (traps unless index + offset + size <= length, without
// wrap-around), then `heapAddress` (base + zero-extended index), then the access with the static
// offset. The memory base and length are read from the VM context at each access, so a
// memory.grow in a callee or builtin is always seen.
//
// Constant addresses (Liftoff does the same): memory never shrinks, and an imported memory has
// at least the declared minimum (import matching checks it), so an access whose constant index +
// offset + size fits in memory 0's declared minimum cannot be out of bounds. It needs no check
// and no index register: the memory base plus a constant displacement.

import {
  BackendBailout,
  BailoutReason,
  Builtin,
  LOAD_ACCESS_SIZE,
  OperandSize,
  RegClass,
  STORE_ACCESS_SIZE,
  ShiftKind,
  VMCTX_MEMORY0_BASE,
  VMCTX_MEMORY0_LENGTH,
  ValueKind,
  type LoadKind,
  type Reg,
  type StoreKind,
} from '@flint/backend';
import { Op, type Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';
import { LOAD_KIND, RESULT_KIND, STORE_KIND } from '../operators.ts';
import { Loc } from '../value-stack.ts';

/** Refuses memories this tier cannot address yet (memory64, custom page sizes). */
export function checkMemory(c: BaselineCompiler, memory: number): void {
  const type = c.module.memories[memory];
  if (type === undefined) throw new BackendBailout(BailoutReason.UnsupportedFeature, `memory ${memory} is not declared`);
  if (type.address === 'i64') throw new BackendBailout(BailoutReason.UnsupportedFeature, 'memory64');
  if (type.pageSizeLog2 !== 16) throw new BackendBailout(BailoutReason.UnsupportedFeature, 'custom page sizes');
}

/**
 * The byte address of an access whose index (`depth` entries below the top) is a constant and
 * which lies within memory 0's declared minimum; -1 when the access needs a run-time check.
 */
function staticAddress(c: BaselineCompiler, depth: number, memory: number, offset: number, accessSize: number): number {
  const s = c.stack;
  const i = s.height - 1 - depth;
  if (memory !== 0 || s.loc[i] !== Loc.Const) return -1;
  const address = (s.lo[i]! >>> 0) + offset;
  return address + accessSize <= c.memory0MinBytes ? address : -1;
}

/**
 * Pops the i32 address on top of the value stack for an access of `accessSize` bytes at
 * `offset` into `memory`, and returns a register that, plus `c.accessOffset`, addresses it:
 * memory 0's base for a constant address inside the declared minimum, else the bounds-checked
 * base + index. The register is the caller's to free.
 */
export function popAddress(c: BaselineCompiler, memory: number, offset: number, accessSize: number): Reg {
  const masm = c.masm;
  const address = staticAddress(c, 0, memory, offset, accessSize);
  if (address >= 0) {
    c.stack.height--; // the constant index, folded into `address`
    const base = c.allocReg(RegClass.Int);
    masm.loadPtr(base, c.backend.registers.vmContext, VMCTX_MEMORY0_BASE);
    c.accessOffset = address;
    return base;
  }
  const index = c.popToAnyReg(RegClass.Int);
  masm.boundsCheck(memory, index, OperandSize.S32, offset, accessSize);
  masm.heapAddress(index, memory, index, OperandSize.S32);
  c.accessOffset = offset;
  return index;
}

export function visitMemory(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  const masm = c.masm;
  const loadKind = LOAD_KIND[id]!;
  if (loadKind >= 0) {
    checkMemory(c, imm.memIndex);
    const kind = loadKind as LoadKind;
    const result = RESULT_KIND[id]! as ValueKind;
    const float = result === ValueKind.F32 || result === ValueKind.F64;
    const address = staticAddress(c, 0, imm.memIndex, imm.memOffset, LOAD_ACCESS_SIZE[kind]!);
    if (address >= 0) {
      c.stack.height--; // the constant index, folded into `address`
      const base = c.allocReg(RegClass.Int);
      masm.loadPtr(base, c.backend.registers.vmContext, VMCTX_MEMORY0_BASE);
      const dst = float ? c.allocReg(RegClass.Float) : base;
      masm.load(kind, dst, base, address);
      if (float) c.freeReg(base);
      c.pushRegKind(dst, result);
      return true;
    }
    const index = c.popToAnyReg(RegClass.Int);
    masm.boundsCheck(imm.memIndex, index, OperandSize.S32, imm.memOffset, LOAD_ACCESS_SIZE[kind]!);
    masm.heapAddress(index, imm.memIndex, index, OperandSize.S32);
    const dst = float ? c.allocReg(RegClass.Float) : index;
    masm.load(kind, dst, index, imm.memOffset);
    if (float) c.freeReg(index);
    c.pushRegKind(dst, result);
    return true;
  }
  const storeKind = STORE_KIND[id]!;
  if (storeKind >= 0) {
    checkMemory(c, imm.memIndex);
    const kind = storeKind as StoreKind;
    const address = staticAddress(c, 1, imm.memIndex, imm.memOffset, STORE_ACCESS_SIZE[kind]!);
    if (address >= 0) {
      const value = c.popReg();
      c.stack.height--; // the constant index, folded into `address`
      const base = c.allocReg(RegClass.Int);
      masm.loadPtr(base, c.backend.registers.vmContext, VMCTX_MEMORY0_BASE);
      masm.store(kind, value, base, address);
      c.freeReg(base);
      c.freeReg(value);
      return true;
    }
    const value = c.popReg();
    const index = c.popToAnyReg(RegClass.Int);
    masm.boundsCheck(imm.memIndex, index, OperandSize.S32, imm.memOffset, STORE_ACCESS_SIZE[kind]!);
    masm.heapAddress(index, imm.memIndex, index, OperandSize.S32);
    masm.store(kind, value, index, imm.memOffset);
    c.freeReg(index);
    c.freeReg(value);
    return true;
  }
  if (id === Op.MemorySize) {
    // Memory 0's length is in the VM context; pages = length >> 16.
    checkMemory(c, imm.index);
    if (imm.index !== 0) {
      c.callBuiltin(Builtin.MemorySize, imm.index, 0, 0, ValueKind.I32, null);
      return true;
    }
    const reg = c.allocReg(RegClass.Int);
    masm.loadPtr(reg, c.backend.registers.vmContext, VMCTX_MEMORY0_LENGTH);
    masm.shiftImm(ShiftKind.ShrU, OperandSize.S64, reg, reg, 16);
    c.pushRegKind(reg, ValueKind.I32);
    return true;
  }
  if (id === Op.MemoryGrow) {
    checkMemory(c, imm.index);
    c.callBuiltin(Builtin.MemoryGrow, imm.index, 0, 1, ValueKind.I32, null);
    return true;
  }
  return false;
}
