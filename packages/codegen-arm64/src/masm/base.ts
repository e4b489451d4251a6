// Shared state and helpers of the arm64 MacroAssembler: the assembler it drives, register mapping,
// out-of-line trap stubs, immediates, addressing and the frame layout.
//
// Invariants every family relies on:
//  - An i32 in an x register always has its upper 32 bits zero. Every A64 instruction writing a
//    w register zeroes bits 63:32, so each i32 operation below uses the w form and the invariant
//    holds for free; an i32 can serve as a 64-bit index or address offset without extension.
//  - x16/x17 (IP0/IP1) and v31 are the MacroAssembler's scratch registers; no method expects them
//    to survive another method call. Between prologue and epilogue x30 (lr) is saved on the frame,
//    so call sequences may also use it as a third temporary: the next call overwrites it anyway.
//  - x28 holds the VM context. The prologue also saves it at [x29 + 16] so calls that switch
//    instance (imports, call_indirect) can restore it.
//
// Frame layout (the stack grows down; sp stays 16-byte aligned, as AAPCS64 requires for any
// sp-based access):
//     [x29 + 24]           padding
//     [x29 + 16]           this function's VM context (x28)
//     [x29 + 8]            return address (x30)
//     [x29 + 0]            caller's x29
//     [x29 - slot]         frame slot `slot` (the compiler's locals and spills), slot in 1..frameSize

import {
  BackendBailout,
  BailoutReason,
  CodeBuffer,
  TrapReason,
  VMCTX_TRAP_EXIT,
  VMCTX_TRAP_REASON,
  hwEncodingOf,
  isImm,
  type Imm,
  type Label,
  type OperandSize,
  type Reg,
  type RegOrImm,
} from '@flint/backend';
import { ARM64_LABEL_USES, Arm64Assembler, AssemblerError, AssemblerErrorCode, Gpr, MemOp, isAddSubImmediate, isScaledOffset, isUnscaledOffset } from '../assembler/index.ts';
import type { Cond } from '../assembler/index.ts';

/** Integer scratch registers (IP0, IP1) and the float scratch, as assembler registers. */
export const X16 = Gpr.x16;
export const X17 = Gpr.x17;
export const V31 = 31;
/** The pinned VM-context register. */
export const VMCTX = Gpr.x28;
/** Bytes of the frame header above x29: saved x29, x30, VM context and padding. */
export const FRAME_HEADER_SIZE = 32;
/** Where the prologue keeps the function's VM context, relative to x29. */
export const SAVED_VMCTX_OFFSET = 16;

/** The assembler register of an integer contract register (encoding 31 is sp, see regs.ts). */
export const g = (reg: Reg): Gpr => {
  const e = hwEncodingOf(reg);
  return e === 31 ? Gpr.sp : e;
};
/** The vector register number of a float contract register. */
export const v = (reg: Reg): number => hwEncodingOf(reg);

export interface Arm64MacroAssemblerOptions {
  readonly initialCapacity?: number;
}

export class MasmBase {
  readonly asm: Arm64Assembler;
  protected wasmOffset = -1;
  // Out-of-line trap stubs, emitted by `finish`: [label, reason, wasmOffset] triples.
  private readonly pendingTraps: number[] = [];

  constructor(options: Arm64MacroAssemblerOptions = {}) {
    // Range-aware fix-ups: a branch to a label beyond its reach goes through a veneer in an island.
    const buffer = new CodeBuffer({ initialCapacity: options.initialCapacity, labelUses: ARM64_LABEL_USES });
    this.asm = new Arm64Assembler({ buffer });
  }

  get offset(): number {
    return this.asm.offset;
  }

  setWasmOffset(wasmOffset: number): void {
    this.wasmOffset = wasmOffset;
  }

  /** Starts another function; the assembler's code buffer keeps its grown storage. */
  reset(): void {
    this.asm.buffer.reset();
    this.pendingTraps.length = 0;
    this.wasmOffset = -1;
  }

  /**
   * A reference no island can serve (code beyond a `b`'s ±128 MiB) makes the function too large
   * for this backend: a bailout, not a crash. Any other error passes through.
   */
  protected branchRangeError(error: unknown): unknown {
    if (error instanceof AssemblerError && error.code === AssemblerErrorCode.BranchOutOfRange) {
      return new BackendBailout(BailoutReason.FunctionTooLarge, error.message);
    }
    return error;
  }

  protected bindLabel(label: Label): void {
    try {
      this.asm.bind(label);
    } catch (error) {
      throw this.branchRangeError(error);
    }
  }

  // --- traps ------------------------------------------------------------------------------------

  /**
   * The trap sequence: store the reason in the VM context and call the trap exit, which never
   * returns. The trap site is the return address of that call (what the exit records as trap PC).
   */
  protected emitTrap(reason: TrapReason, wasmOffset: number): void {
    const a = this.asm;
    a.movRI(32, X16, reason);
    a.strRI(32, X16, VMCTX, VMCTX_TRAP_REASON);
    a.ldrRI(64, X16, VMCTX, VMCTX_TRAP_EXIT);
    a.blr(X16);
    a.buffer.addTrapSite(a.offset, reason, wasmOffset);
  }

  /** A label whose out-of-line code traps with `reason` (at the current Wasm offset). */
  protected trapLabel(reason: TrapReason): Label {
    const label = this.asm.newLabel();
    this.pendingTraps.push(label, reason, this.wasmOffset);
    return label;
  }

  /** Branches to an out-of-line trap when `cond` holds. */
  protected trapOn(cond: Cond, reason: TrapReason): void {
    this.asm.bCond(cond, this.trapLabel(reason));
  }

  /**
   * Records the call just emitted (its return address is the current offset) with the Wasm
   * offset of the operator making it, for stack walks (`CallSite` in the contract). Every
   * call-emitting method calls this right after its `blr`.
   */
  protected recordCallSite(): void {
    this.asm.buffer.addCallSite(this.asm.offset, this.wasmOffset);
  }

  /** Emits the out-of-line trap stubs (at the end of the function, after the epilogue). */
  protected emitPendingTraps(): void {
    const list = this.pendingTraps;
    for (let i = 0; i < list.length; i += 3) {
      this.bindLabel(list[i]!);
      this.emitTrap(list[i + 1]! as TrapReason, list[i + 2]!);
    }
    list.length = 0;
  }

  // --- operands -------------------------------------------------------------------------------

  /** The value of an immediate as a signed integer when it is one that fits `size`'s add/sub forms. */
  private static immValue(size: OperandSize, imm: Imm): number | null {
    if (size === 32) return imm.lo | 0;
    return imm.fitsInI32() ? imm.lo | 0 : null;
  }

  /** `cmp lhs, rhs` at `size`; immediates use cmp/cmn when they fit 12 bits, else go through x16. */
  compare(size: OperandSize, lhs: Reg, rhs: RegOrImm): void {
    const a = this.asm;
    if (!isImm(rhs)) {
      a.cmpRR(size, g(lhs), g(rhs));
      return;
    }
    const value = MasmBase.immValue(size, rhs);
    if (value !== null && isAddSubImmediate(value)) a.cmpRI(size, g(lhs), value);
    else if (value !== null && isAddSubImmediate(-value)) a.cmnRI(size, g(lhs), -value);
    else {
      this.loadImm(size, X16, rhs);
      a.cmpRR(size, g(lhs), X16);
    }
  }

  /** Materializes an immediate of `size` into `dst` (movz/movn/movk or one orr). */
  protected loadImm(size: OperandSize, dst: Gpr, imm: Imm): void {
    if (size === 32) {
      this.asm.movRI(32, dst, imm.lo >>> 0);
      return;
    }
    this.loadImm64(dst, imm.lo, imm.hi);
  }

  protected loadImm64(dst: Gpr, lo: number, hi: number): void {
    const value = (hi | 0) * 0x1_0000_0000 + (lo >>> 0);
    // Values beyond ±2^53 are rare (big i64 constants): only those pay for a BigInt.
    if (Number.isSafeInteger(value)) this.asm.movRI(64, dst, value);
    else this.asm.movRI(64, dst, (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0));
  }

  /**
   * One load or store of `op` at [base + offset]: the scaled 12-bit form, the unscaled 9-bit
   * form, or the offset materialized in `offsetScratch` (which must differ from base and rt).
   */
  protected access(op: MemOp, rt: number, base: Gpr, offset: number, offsetScratch: Gpr = X16): void {
    const a = this.asm;
    if (isScaledOffset(op, offset)) a.loadStoreRI(op, rt, base, offset);
    else if (isUnscaledOffset(offset)) a.loadStoreUnscaledRI(op, rt, base, offset);
    else {
      if (!Number.isSafeInteger(offset)) throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `address offset ${offset} is not an integer`);
      a.movRI(64, offsetScratch, offset);
      a.loadStoreRR(op, rt, base, offsetScratch);
    }
  }

  /** x `dst` ← [base + offset] (pointer-sized). */
  protected loadPointer(dst: Gpr, base: Gpr, offset: number, offsetScratch: Gpr = X17): void {
    this.access(MemOp.ldr64, dst, base, offset, offsetScratch);
  }
}
