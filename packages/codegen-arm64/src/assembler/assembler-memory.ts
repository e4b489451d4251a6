// Loads and stores: every size and sign extension in the unsigned-offset, unscaled, pre/post-index
// and register-offset forms, pairs, and PC-relative literal loads from the constant pool.
// Arm ARM (DDI 0487) C6.2 (LDR/STR immediate and register, LDUR/STUR, LDP/STP, LDR literal).
// https://developer.arm.com/documentation/ddi0487

import type { Label } from '@flint/backend';
import { FixupKind } from './encode-branch.ts';
import { Extend } from './encode-integer.ts';
import {
  IndexMode,
  LiteralOp,
  MemOp,
  PairMode,
  PairOp,
  encLiteral,
  encMemIndexed,
  encMemRegister,
  encMemScaled,
  encPair,
  isScaledOffset,
} from './encode-memory.ts';
import { invalidOperand } from './errors.ts';
import { Gpr } from './registers.ts';
import type { RegSize, Vreg } from './registers.ts';
import { BitAssembler } from './assembler-bits.ts';

/** Floating-point sizes seen by a load/store: byte, half, single, double, quad. */
export type VecMemSize = 8 | 16 | 32 | 64 | 128;

export class MemoryAssembler extends BitAssembler {
  // --- loads and stores -----------------------------------------------------------------------

  /**
   * Load or store at rn + offset: the unsigned scaled form when the offset is a non-negative
   * multiple of the access size, otherwise the unscaled form (ldur/stur, -256..255).
   */
  loadStoreRI(op: MemOp, rt: number, rn: Gpr, offset: number): void {
    if (isScaledOffset(op, offset)) this.emit(encMemScaled(op, rt, rn, offset));
    else this.emit(encMemIndexed(op, IndexMode.unscaled, rt, rn, offset));
  }
  /** Always the unscaled form (ldur/stur): offset -256..255. */
  loadStoreUnscaledRI(op: MemOp, rt: number, rn: Gpr, offset: number): void {
    this.emit(encMemIndexed(op, IndexMode.unscaled, rt, rn, offset));
  }
  /** rn += offset, then access [rn]: offset -256..255. */
  loadStorePreRI(op: MemOp, rt: number, rn: Gpr, offset: number): void {
    this.emit(encMemIndexed(op, IndexMode.pre, rt, rn, offset));
  }
  /** Access [rn], then rn += offset: offset -256..255. */
  loadStorePostRI(op: MemOp, rt: number, rn: Gpr, offset: number): void {
    this.emit(encMemIndexed(op, IndexMode.post, rt, rn, offset));
  }
  /** Access [rn + extend(rm) << (scaled ? log2(access size) : 0)]. */
  loadStoreRR(op: MemOp, rt: number, rn: Gpr, rm: Gpr, extend: Extend = Extend.uxtx, scaled = false): void {
    this.emit(encMemRegister(op, rt, rn, rm, extend, scaled));
  }

  ldrRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(size === 64 ? MemOp.ldr64 : this.w(size, MemOp.ldr32), rt, rn, offset);
  }
  strRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(size === 64 ? MemOp.str64 : this.w(size, MemOp.str32), rt, rn, offset);
  }
  ldrbRI(rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(MemOp.ldrb, rt, rn, offset);
  }
  ldrhRI(rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(MemOp.ldrh, rt, rn, offset);
  }
  ldrsbRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(size === 64 ? MemOp.ldrsbX : this.w(size, MemOp.ldrsbW), rt, rn, offset);
  }
  ldrshRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(size === 64 ? MemOp.ldrshX : this.w(size, MemOp.ldrshW), rt, rn, offset);
  }
  ldrswRI(rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(MemOp.ldrsw, rt, rn, offset);
  }
  strbRI(rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(MemOp.strb, rt, rn, offset);
  }
  strhRI(rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreRI(MemOp.strh, rt, rn, offset);
  }
  ldurRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreUnscaledRI(size === 64 ? MemOp.ldr64 : this.w(size, MemOp.ldr32), rt, rn, offset);
  }
  sturRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStoreUnscaledRI(size === 64 ? MemOp.str64 : this.w(size, MemOp.str32), rt, rn, offset);
  }
  ldrPreRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStorePreRI(size === 64 ? MemOp.ldr64 : this.w(size, MemOp.ldr32), rt, rn, offset);
  }
  ldrPostRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStorePostRI(size === 64 ? MemOp.ldr64 : this.w(size, MemOp.ldr32), rt, rn, offset);
  }
  strPreRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStorePreRI(size === 64 ? MemOp.str64 : this.w(size, MemOp.str32), rt, rn, offset);
  }
  strPostRI(size: RegSize, rt: Gpr, rn: Gpr, offset: number): void {
    this.loadStorePostRI(size === 64 ? MemOp.str64 : this.w(size, MemOp.str32), rt, rn, offset);
  }
  ldrRR(size: RegSize, rt: Gpr, rn: Gpr, rm: Gpr, extend: Extend = Extend.uxtx, scaled = false): void {
    this.loadStoreRR(size === 64 ? MemOp.ldr64 : this.w(size, MemOp.ldr32), rt, rn, rm, extend, scaled);
  }
  strRR(size: RegSize, rt: Gpr, rn: Gpr, rm: Gpr, extend: Extend = Extend.uxtx, scaled = false): void {
    this.loadStoreRR(size === 64 ? MemOp.str64 : this.w(size, MemOp.str32), rt, rn, rm, extend, scaled);
  }
  /** Loads b/h/s/d/q register vt from rn + offset. */
  ldrFpRI(bits: VecMemSize, vt: Vreg, rn: Gpr, offset: number): void {
    this.loadStoreRI(this.vecOp(bits, true), vt, rn, offset);
  }
  strFpRI(bits: VecMemSize, vt: Vreg, rn: Gpr, offset: number): void {
    this.loadStoreRI(this.vecOp(bits, false), vt, rn, offset);
  }
  ldrFpRR(bits: VecMemSize, vt: Vreg, rn: Gpr, rm: Gpr, extend: Extend = Extend.uxtx, scaled = false): void {
    this.loadStoreRR(this.vecOp(bits, true), vt, rn, rm, extend, scaled);
  }
  strFpRR(bits: VecMemSize, vt: Vreg, rn: Gpr, rm: Gpr, extend: Extend = Extend.uxtx, scaled = false): void {
    this.loadStoreRR(this.vecOp(bits, false), vt, rn, rm, extend, scaled);
  }

  private w(size: RegSize, op: MemOp): MemOp {
    if (size === 32) return op;
    throw invalidOperand(`operand size must be 32 or 64, got ${String(size)}`);
  }

  private vecOp(bits: VecMemSize, load: boolean): MemOp {
    const base =
      bits === 8 ? MemOp.strV8 : bits === 16 ? MemOp.strV16 : bits === 32 ? MemOp.strV32 : bits === 64 ? MemOp.strV64 : bits === 128 ? MemOp.strV128 : -1;
    if (base < 0) throw invalidOperand(`vector load/store size must be 8, 16, 32, 64 or 128, got ${String(bits)}`);
    return (base + (load ? 1 : 0)) as MemOp;
  }

  /** Load/store pair in any addressing mode (`PairMode.offset`, `pre`, `post`). */
  loadStorePair(op: PairOp, mode: PairMode, rt: number, rt2: number, rn: Gpr, offset: number): void {
    this.emit(encPair(op, mode, rt, rt2, rn, offset));
  }
  ldpRRI(size: RegSize, rt: Gpr, rt2: Gpr, rn: Gpr, offset: number): void {
    this.emit(encPair(size === 64 ? PairOp.ldp64 : PairOp.ldp32, PairMode.offset, rt, rt2, rn, offset));
  }
  stpRRI(size: RegSize, rt: Gpr, rt2: Gpr, rn: Gpr, offset: number): void {
    this.emit(encPair(size === 64 ? PairOp.stp64 : PairOp.stp32, PairMode.offset, rt, rt2, rn, offset));
  }
  ldpPreRRI(size: RegSize, rt: Gpr, rt2: Gpr, rn: Gpr, offset: number): void {
    this.emit(encPair(size === 64 ? PairOp.ldp64 : PairOp.ldp32, PairMode.pre, rt, rt2, rn, offset));
  }
  ldpPostRRI(size: RegSize, rt: Gpr, rt2: Gpr, rn: Gpr, offset: number): void {
    this.emit(encPair(size === 64 ? PairOp.ldp64 : PairOp.ldp32, PairMode.post, rt, rt2, rn, offset));
  }
  stpPreRRI(size: RegSize, rt: Gpr, rt2: Gpr, rn: Gpr, offset: number): void {
    this.emit(encPair(size === 64 ? PairOp.stp64 : PairOp.stp32, PairMode.pre, rt, rt2, rn, offset));
  }
  stpPostRRI(size: RegSize, rt: Gpr, rt2: Gpr, rn: Gpr, offset: number): void {
    this.emit(encPair(size === 64 ? PairOp.stp64 : PairOp.stp32, PairMode.post, rt, rt2, rn, offset));
  }

  /**
   * PC-relative load from `label` (±1 MiB), typically a constant-pool entry from `addConstant`:
   * when the pool after the code would be out of reach, the code buffer emits the constant in an
   * island on the way (no veneer can extend a load).
   */
  ldrLiteral(op: LiteralOp, rt: number, label: Label): void {
    const at = this.startInstruction();
    this.emit(encLiteral(op, rt));
    this.buffer.addFixup(label, at, FixupKind.Literal19);
  }

  /** Adds `bytes` to the constant pool and loads them (4, 8 or 16 bytes) into `rt` per `op`. */
  ldrConstant(op: LiteralOp, rt: number, bytes: ArrayLike<number>): void {
    const align = op === LiteralOp.ldrV128 ? 16 : op === LiteralOp.ldr64 || op === LiteralOp.ldrV64 ? 8 : 4;
    if (bytes.length !== align) throw invalidOperand(`ldr (literal): expected ${align} constant bytes, got ${bytes.length}`);
    this.ldrLiteral(op, rt, this.buffer.addConstant(bytes, align));
  }
}
