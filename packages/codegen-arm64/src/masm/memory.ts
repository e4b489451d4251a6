// Linear memory and frame access of the arm64 MacroAssembler: explicit bounds checks against the
// VM context's memory length, heap addresses, typed loads and stores, pointer-sized VM-context
// accesses, and spill/fill of frame slots.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions

import {
  BackendBailout,
  BailoutReason,
  LoadKind,
  MemoryRecord,
  StackArea,
  StoreKind,
  TrapReason,
  VMCTX_MEMORIES,
  VMCTX_MEMORY0_BASE,
  VMCTX_MEMORY0_LENGTH,
  isFloatReg,
  type FrameSlot,
  type OperandSize,
  type Reg,
  type ValueSize,
} from '@flint/backend';
import { AssemblerError, AssemblerErrorCode, Cond, Extend, Gpr, MemOp, isAddSubImmediate } from '../assembler/index.ts';
import { FRAME_HEADER_SIZE, VMCTX, X16, X17, g, v } from './base.ts';
import { ConvertMasm } from './convert.ts';

// Indexed by LoadKind: the load instruction. Narrow unsigned loads into w registers zero-extend to
// 64 bits, so i64.load8_u/16_u/32_u need no separate forms.
const LOAD_OPS: readonly MemOp[] = [
  MemOp.ldr32, // I32
  MemOp.ldr64, // I64
  MemOp.ldrV32, // F32
  MemOp.ldrV64, // F64
  MemOp.ldrsbW, // I32Load8S (w form: the i32 stays zero-extended in the x register)
  MemOp.ldrb, // I32Load8U
  MemOp.ldrshW, // I32Load16S
  MemOp.ldrh, // I32Load16U
  MemOp.ldrsbX, // I64Load8S
  MemOp.ldrb, // I64Load8U
  MemOp.ldrshX, // I64Load16S
  MemOp.ldrh, // I64Load16U
  MemOp.ldrsw, // I64Load32S
  MemOp.ldr32, // I64Load32U
  MemOp.ldrV128, // V128
];

// Indexed by StoreKind: I32, I64, F32, F64, Store8, Store16, Store32, V128.
const STORE_OPS: readonly MemOp[] = [MemOp.str32, MemOp.str64, MemOp.strV32, MemOp.strV64, MemOp.strb, MemOp.strh, MemOp.str32, MemOp.strV128];

/** The load or store of a whole value of `size` in a register of either class (v128: q registers). */
function valueOp(float: boolean, size: ValueSize, load: boolean): MemOp {
  if (float) {
    if (size === 32) return load ? MemOp.ldrV32 : MemOp.strV32;
    if (size === 64) return load ? MemOp.ldrV64 : MemOp.strV64;
    return load ? MemOp.ldrV128 : MemOp.strV128;
  }
  return size === 32 ? (load ? MemOp.ldr32 : MemOp.str32) : load ? MemOp.ldr64 : MemOp.str64;
}

const INT32_MAX = 0x7fff_ffff;

export class MemoryMasm extends ConvertMasm {
  /**
   * Traps unless index + offset + accessSize <= length. With the length L in x16: L - index must
   * not borrow (index <= L), and what remains must be at least offset + accessSize. Nothing here
   * can wrap, whatever the index width (an i32 index is zero-extended, see base.ts).
   */
  boundsCheck(memory: number, index: Reg, _indexSize: OperandSize, offset: number, accessSize: number): void {
    const a = this.asm;
    const end = offset + accessSize;
    if (!(Number.isSafeInteger(end) && end >= 0 && offset >= 0)) {
      throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `bounds check: invalid offset ${offset} or access size ${accessSize}`);
    }
    const outOfBounds = this.trapLabel(TrapReason.OutOfBoundsMemoryAccess);
    this.loadMemoryField(X16, memory, MemoryRecord.length, VMCTX_MEMORY0_LENGTH);
    a.subsRRR(64, X16, X16, g(index));
    a.bCond(Cond.lo, outOfBounds);
    if (isAddSubImmediate(end)) a.cmpRI(64, X16, end);
    else {
      a.movRI(64, X17, end);
      a.cmpRR(64, X16, X17);
    }
    a.bCond(Cond.lo, outOfBounds);
  }

  /**
   * The bounds check against a length already in a register (the optimizing tier keeps it in
   * one): traps unless the zero-extended i32 `index` + offset + accessSize <= `length`.
   */
  boundsCheckLength(index: Reg, offset: number, accessSize: number, length: Reg): void {
    const a = this.asm;
    const end = offset + accessSize;
    if (!(Number.isSafeInteger(end) && end >= 0 && offset >= 0)) {
      throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `bounds check: invalid offset ${offset} or access size ${accessSize}`);
    }
    const outOfBounds = this.trapLabel(TrapReason.OutOfBoundsMemoryAccess);
    if (isAddSubImmediate(end)) {
      // index + end cannot wrap 64 bits (a zero-extended i32 plus at most 2^24).
      a.addRRI(64, X16, g(index), end);
      a.cmpRR(64, X16, g(length));
      a.bCond(Cond.hi, outOfBounds);
      return;
    }
    a.subsRRR(64, X16, g(length), g(index));
    a.bCond(Cond.lo, outOfBounds);
    a.movRI(64, X17, end);
    a.cmpRR(64, X16, X17);
    a.bCond(Cond.lo, outOfBounds);
  }

  /**
   * A heap access at base + zero-extended i32 `index` + `offset`: `[base, index, uxtw]` when the
   * offset is 0, else the address in x16 first.
   */
  loadIndexed(kind: LoadKind, dst: Reg, base: Reg, index: Reg, offset: number): void {
    this.indexedAccess(LOAD_OPS[kind]!, isFloatReg(dst) ? v(dst) : g(dst), base, index, offset);
  }

  storeIndexed(kind: StoreKind, src: Reg, base: Reg, index: Reg, offset: number): void {
    this.indexedAccess(STORE_OPS[kind]!, isFloatReg(src) ? v(src) : g(src), base, index, offset);
  }

  private indexedAccess(op: MemOp, rt: number, base: Reg, index: Reg, offset: number): void {
    const a = this.asm;
    if (offset === 0) {
      a.loadStoreRR(op, rt, g(base), g(index), Extend.uxtw);
      return;
    }
    a.addRRExtended(64, X16, g(base), g(index), Extend.uxtw);
    this.access(op, rt, X16, offset, X17);
  }

  /** `dst` ← field `recordField` of `memory` (memory 0: the VM context's own copy at `memory0Offset`). */
  private loadMemoryField(dst: Gpr, memory: number, recordField: number, memory0Offset: number): void {
    if (memory === 0) {
      this.loadPointer(dst, VMCTX, memory0Offset);
      return;
    }
    const recordOffset = memory * MemoryRecord.size + recordField;
    if (!(Number.isSafeInteger(recordOffset) && recordOffset >= 0 && recordOffset <= INT32_MAX)) {
      throw new BackendBailout(BailoutReason.UnsupportedFeature, `memory index ${memory}`);
    }
    this.loadPointer(dst, VMCTX, VMCTX_MEMORIES);
    this.loadPointer(dst, dst, recordOffset);
  }

  heapAddress(dst: Reg, memory: number, index: Reg, indexSize: OperandSize): void {
    this.loadMemoryField(X16, memory, MemoryRecord.base, VMCTX_MEMORY0_BASE);
    // uxtw makes the zero extension of an i32 index explicit even if it came from elsewhere.
    this.asm.addRRExtended(64, g(dst), X16, g(index), indexSize === 32 ? Extend.uxtw : Extend.uxtx);
  }

  load(kind: LoadKind, dst: Reg, base: Reg, offset: number): void {
    const op = LOAD_OPS[kind]!;
    this.access(op, isFloatReg(dst) ? v(dst) : g(dst), g(base), offset);
  }

  store(kind: StoreKind, src: Reg, base: Reg, offset: number): void {
    const op = STORE_OPS[kind]!;
    this.access(op, isFloatReg(src) ? v(src) : g(src), g(base), offset);
  }

  loadPtr(dst: Reg, base: Reg, offset: number): void {
    this.access(MemOp.ldr64, g(dst), g(base), offset);
  }

  storePtr(src: Reg, base: Reg, offset: number): void {
    this.access(MemOp.str64, g(src), g(base), offset);
  }

  /** Frame slot `slot` lives at [x29 - slot] (see the frame layout in base.ts). */
  private slotOffset(slot: FrameSlot): number {
    if (!(Number.isInteger(slot) && slot > 0 && slot <= INT32_MAX)) {
      throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `frame slot ${slot} is not a positive offset`);
    }
    return -slot;
  }

  spill(slot: FrameSlot, src: Reg, size: ValueSize): void {
    this.access(valueOp(isFloatReg(src), size, false), isFloatReg(src) ? v(src) : g(src), Gpr.fp, this.slotOffset(slot));
  }

  fill(dst: Reg, slot: FrameSlot, size: ValueSize): void {
    this.access(valueOp(isFloatReg(dst), size, true), isFloatReg(dst) ? v(dst) : g(dst), Gpr.fp, this.slotOffset(slot));
  }

  /**
   * The stack-argument areas: the caller's outgoing area starts where its sp was at the call,
   * just above this frame's header ([x29 + 32]); this function's own outgoing area (reserved
   * with `reserveStack`) starts at sp.
   */
  private stackAreaAccess(area: StackArea, load: boolean, reg: Reg, offset: number, size: ValueSize): void {
    if (!(Number.isSafeInteger(offset) && offset >= 0 && offset <= INT32_MAX - FRAME_HEADER_SIZE)) {
      throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `stack area offset ${offset} is not a non-negative 32-bit offset`);
    }
    const float = isFloatReg(reg);
    const op = valueOp(float, size, load);
    if (area === StackArea.Incoming) this.access(op, float ? v(reg) : g(reg), Gpr.fp, FRAME_HEADER_SIZE + offset);
    else this.access(op, float ? v(reg) : g(reg), Gpr.sp, offset);
  }

  loadStackArea(area: StackArea, dst: Reg, offset: number, size: ValueSize): void {
    this.stackAreaAccess(area, true, dst, offset, size);
  }

  storeStackArea(area: StackArea, src: Reg, offset: number, size: ValueSize): void {
    this.stackAreaAccess(area, false, src, offset, size);
  }
}
