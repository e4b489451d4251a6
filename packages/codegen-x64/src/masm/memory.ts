// Linear memory and frame access of the x64 MacroAssembler: explicit bounds checks against the
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
import { AssemblerError, Cond, Gpr, SimdOp, type Mem } from '../assembler/index.ts';
import { FRAME_HEADER_BELOW_RBP, SCRATCH, VMCTX, hw } from './base.ts';
import { ConvertMasm } from './convert.ts';

const INT32_MAX = 0x7fff_ffff;

export class MemoryMasm extends ConvertMasm {
  /**
   * Traps unless index + offset + accessSize <= length. With the length L in the scratch
   * register: L - index must not borrow (index <= L), and what remains must be at least
   * offset + accessSize. Nothing here can wrap, whatever the index width.
   */
  boundsCheck(memory: number, index: Reg, indexSize: OperandSize, offset: number, accessSize: number): void {
    const a = this.asm;
    const end = offset + accessSize;
    if (!(Number.isSafeInteger(end) && end >= 0)) throw new AssemblerError(`bounds check: invalid offset ${offset}`);
    if (memory === 0 && indexSize === 32 && end <= INT32_MAX) {
      // The common case in one compare: a zero-extended i32 index plus an end below 2^31 cannot
      // wrap 64 bits, so `index + end > length` is exactly the out-of-bounds condition.
      a.leaRM(64, SCRATCH, this.m.setBase(hw(index), end));
      a.cmpRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_MEMORY0_LENGTH));
      a.jcc(Cond.A, this.trapLabel(TrapReason.OutOfBoundsMemoryAccess));
      return;
    }
    this.loadMemoryField(memory, MemoryRecord.length, VMCTX_MEMORY0_LENGTH);
    this.checkRemainingLength(index, end);
  }

  /**
   * The bounds check against a length already in a register (the optimizing tier keeps it in
   * one): traps unless the zero-extended i32 `index` + offset + accessSize <= `length`.
   */
  boundsCheckLength(index: Reg, offset: number, accessSize: number, length: Reg): void {
    const a = this.asm;
    const end = offset + accessSize;
    if (!(Number.isSafeInteger(end) && end >= 0)) throw new AssemblerError(`bounds check: invalid offset ${offset}`);
    if (end <= INT32_MAX) {
      a.leaRM(64, SCRATCH, this.m.setBase(hw(index), end));
      a.cmpRR(64, SCRATCH, hw(length));
      a.jcc(Cond.A, this.trapLabel(TrapReason.OutOfBoundsMemoryAccess));
      return;
    }
    a.movRR(64, SCRATCH, hw(length));
    this.checkRemainingLength(index, end);
  }

  /**
   * With the length L in the scratch register: L - index must not borrow (index <= L), and what
   * remains must be at least `end`. Nothing here can wrap, whatever the index width.
   */
  private checkRemainingLength(index: Reg, end: number): void {
    const a = this.asm;
    // A 64-bit subtract is right for i32 indices too: they are kept zero-extended.
    const outOfBounds = this.trapLabel(TrapReason.OutOfBoundsMemoryAccess);
    a.subRR(64, SCRATCH, hw(index));
    a.jcc(Cond.B, outOfBounds);
    if (end <= INT32_MAX) a.cmpRI(64, SCRATCH, end);
    else a.cmpRM(64, SCRATCH, this.bitsConstant(64, end >>> 0, Math.floor(end / 0x1_0000_0000)));
    a.jcc(Cond.B, outOfBounds);
  }

  /** scratch = field `recordField` of `memory` (memory 0: the VM context's own copy at `memory0Offset`). */
  private loadMemoryField(memory: number, recordField: number, memory0Offset: number): void {
    const a = this.asm;
    if (memory === 0) {
      a.movRM(64, SCRATCH, this.m.setBase(VMCTX, memory0Offset));
      return;
    }
    const recordOffset = memory * MemoryRecord.size + recordField;
    if (recordOffset > INT32_MAX) throw new BackendBailout(BailoutReason.UnsupportedFeature, `memory index ${memory}`);
    a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_MEMORIES));
    a.movRM(64, SCRATCH, this.m.setBase(SCRATCH, recordOffset));
  }

  heapAddress(dst: Reg, memory: number, index: Reg, indexSize: OperandSize): void {
    const a = this.asm;
    const d = hw(dst);
    // An i32 in a register is kept zero-extended (see base.ts), so an index already in `dst`
    // needs nothing; a copy is a 32-bit mov, which zero-extends anyway.
    if (d !== hw(index)) a.movRR(indexSize === 32 ? 32 : 64, d, hw(index));
    if (memory === 0) {
      a.addRM(64, d, this.m.setBase(VMCTX, VMCTX_MEMORY0_BASE));
    } else {
      this.loadMemoryField(memory, MemoryRecord.base, VMCTX_MEMORY0_BASE);
      a.addRR(64, d, SCRATCH);
    }
  }

  /** [base + offset], through the scratch register when the offset exceeds a disp32. */
  protected address(base: Reg, offset: number): Mem {
    if (offset >= -0x8000_0000 && offset <= INT32_MAX) return this.m.setBase(hw(base), offset);
    if (!Number.isSafeInteger(offset)) throw new AssemblerError(`address offset ${offset} is not an integer`);
    this.asm.movRI(64, SCRATCH, offset);
    this.asm.addRR(64, SCRATCH, hw(base));
    return this.m.setBase(SCRATCH, 0);
  }

  load(kind: LoadKind, dst: Reg, base: Reg, offset: number): void {
    this.loadFromMem(kind, dst, this.address(base, offset));
  }

  store(kind: StoreKind, src: Reg, base: Reg, offset: number): void {
    this.storeToMem(kind, src, this.address(base, offset));
  }

  /**
   * A heap access at `base + index + offset` with a zero-extended i32 `index` in one
   * instruction (the optimizing tier keeps the memory base in a register): `[base + index*1 +
   * disp32]`, or through the scratch register when the offset exceeds a disp32.
   */
  loadIndexed(kind: LoadKind, dst: Reg, base: Reg, index: Reg, offset: number): void {
    this.loadFromMem(kind, dst, this.indexedAddress(base, index, offset));
  }

  storeIndexed(kind: StoreKind, src: Reg, base: Reg, index: Reg, offset: number): void {
    this.storeToMem(kind, src, this.indexedAddress(base, index, offset));
  }

  private indexedAddress(base: Reg, index: Reg, offset: number): Mem {
    if (offset >= 0 && offset <= INT32_MAX) return this.m.setIndexed(hw(base), hw(index), 1, offset);
    if (!Number.isSafeInteger(offset)) throw new AssemblerError(`address offset ${offset} is not an integer`);
    this.asm.movRI(64, SCRATCH, offset);
    this.asm.addRR(64, SCRATCH, hw(base));
    return this.m.setIndexed(SCRATCH, hw(index), 1, 0);
  }

  private loadFromMem(kind: LoadKind, dst: Reg, m: Mem): void {
    const a = this.asm;
    const d = hw(dst);
    switch (kind) {
      case LoadKind.I32:
      case LoadKind.I64Load32U:
        a.movRM(32, d, m);
        return;
      case LoadKind.I64:
        a.movRM(64, d, m);
        return;
      case LoadKind.F32:
        a.movssRM(d, m);
        return;
      case LoadKind.F64:
        a.movsdRM(d, m);
        return;
      case LoadKind.I32Load8S:
        a.movsxRM(8, 32, d, m);
        return;
      case LoadKind.I32Load8U:
      case LoadKind.I64Load8U:
        a.movzxRM(8, 32, d, m);
        return;
      case LoadKind.I32Load16S:
        a.movsxRM(16, 32, d, m);
        return;
      case LoadKind.I32Load16U:
      case LoadKind.I64Load16U:
        a.movzxRM(16, 32, d, m);
        return;
      case LoadKind.I64Load8S:
        a.movsxRM(8, 64, d, m);
        return;
      case LoadKind.I64Load16S:
        a.movsxRM(16, 64, d, m);
        return;
      case LoadKind.I64Load32S:
        a.movsxdRM(d, m);
        return;
      case LoadKind.V128:
        a.simdRM(SimdOp.movdqu, d, m);
        return;
    }
  }

  private storeToMem(kind: StoreKind, src: Reg, m: Mem): void {
    const a = this.asm;
    const s = hw(src);
    switch (kind) {
      case StoreKind.I32:
      case StoreKind.Store32:
        a.movMR(32, m, s);
        return;
      case StoreKind.I64:
        a.movMR(64, m, s);
        return;
      case StoreKind.F32:
        a.movssMR(m, s);
        return;
      case StoreKind.F64:
        a.movsdMR(m, s);
        return;
      case StoreKind.Store8:
        a.movMR(8, m, s);
        return;
      case StoreKind.Store16:
        a.movMR(16, m, s);
        return;
      case StoreKind.V128:
        a.movdquMR(m, s);
        return;
    }
  }

  loadPtr(dst: Reg, base: Reg, offset: number): void {
    this.asm.movRM(64, hw(dst), this.address(base, offset));
  }

  storePtr(src: Reg, base: Reg, offset: number): void {
    this.asm.movMR(64, this.address(base, offset), hw(src));
  }

  /** Frame slot `slot` lives at [rbp - 8 - slot], below the saved VM context. */
  private slot(slot: FrameSlot): Mem {
    if (!(Number.isInteger(slot) && slot > 0 && slot <= INT32_MAX - FRAME_HEADER_BELOW_RBP)) {
      throw new AssemblerError(`frame slot ${slot} is not a positive offset`);
    }
    return this.m.setBase(Gpr.rbp, -FRAME_HEADER_BELOW_RBP - slot);
  }

  spill(slot: FrameSlot, src: Reg, size: ValueSize): void {
    this.storeTo(this.slot(slot), src, size);
  }

  fill(dst: Reg, slot: FrameSlot, size: ValueSize): void {
    this.loadFrom(dst, this.slot(slot), size);
  }

  /**
   * The stack-argument areas: the caller's outgoing area starts just above this frame's return
   * address ([rbp + 16]); this function's own outgoing area (reserved with `reserveStack`)
   * starts at rsp.
   */
  private stackArea(area: StackArea, offset: number): Mem {
    if (!(Number.isSafeInteger(offset) && offset >= 0 && offset <= INT32_MAX - 16)) throw new AssemblerError(`stack area offset ${offset}`);
    return area === StackArea.Incoming ? this.m.setBase(Gpr.rbp, 16 + offset) : this.m.setBase(Gpr.rsp, offset);
  }

  loadStackArea(area: StackArea, dst: Reg, offset: number, size: ValueSize): void {
    this.loadFrom(dst, this.stackArea(area, offset), size);
  }

  storeStackArea(area: StackArea, src: Reg, offset: number, size: ValueSize): void {
    this.storeTo(this.stackArea(area, offset), src, size);
  }

  /** A value of `size` (v128 at 128, unaligned: frame slots are 8 mod 16) to memory. */
  private storeTo(m: Mem, src: Reg, size: ValueSize): void {
    if (isFloatReg(src)) {
      if (size === 32) this.asm.movssMR(m, hw(src));
      else if (size === 64) this.asm.movsdMR(m, hw(src));
      else this.asm.movdquMR(m, hw(src));
    } else {
      this.asm.movMR(size === 32 ? 32 : 64, m, hw(src));
    }
  }

  private loadFrom(dst: Reg, m: Mem, size: ValueSize): void {
    if (isFloatReg(dst)) {
      if (size === 32) this.asm.movssRM(hw(dst), m);
      else if (size === 64) this.asm.movsdRM(hw(dst), m);
      else this.asm.simdRM(SimdOp.movdqu, hw(dst), m);
    } else {
      this.asm.movRM(size === 32 ? 32 : 64, hw(dst), m);
    }
  }
}
