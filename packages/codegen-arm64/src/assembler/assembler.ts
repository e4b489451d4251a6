// The A64 assembler: one method per instruction form, named for its operand shape (`addRRI`: two
// registers and an immediate), each writing one or a few 32-bit words into a `CodeBuffer`.
// Arm Architecture Reference Manual for A-profile (DDI 0487), chapter C6 "A64 Base Instruction
// Descriptions" and C7 for the SIMD instructions used. https://developer.arm.com/documentation/ddi0487
//
// Operand conventions: the integer operand size (32 for w registers, 64 for x) comes first; then
// destination, sources, immediates, in assembly order. `Gpr.sp` and `Gpr.zr` are distinct values
// (see registers.ts), and a form that cannot encode the one passed throws `AssemblerError`.
//
// Out-of-range branches. b.cond/cbz/cbnz reach ±1 MiB and tbz/tbnz ±32 KiB. A backward branch
// knows its distance and uses the short form when it reaches, otherwise the inverted condition
// around an unconditional `b` (±128 MiB). A forward branch always takes the short form: the code
// buffer (`ARM64_LABEL_USES`) emits an island with a veneer for it before it could run out of
// range, at the start of some later instruction — every instruction begins at an island point
// (`startInstruction`), and sequences that must stay contiguous reserve their length there.

import { RelocKind } from '@flint/backend';
import type { Label, RelocTarget } from '@flint/backend';
import {
  B,
  BL,
  Barrier,
  BranchReg,
  FixupKind,
  ISB,
  NOP,
  encAdr,
  encBCond,
  encBranchReg,
  encBrk,
  encCompareBranch,
  encDmb,
  encTestBranch,
  encUdf,
  isInBranchRange,
  withBranchOffset,
} from './encode-branch.ts';
import {
  FpBinary,
  FpIntOp,
  FpUnary,
  encAddv8B,
  encCnt8B,
  encFpBinary,
  encFpCompare,
  encFpCondSelect,
  encFpInt,
  encFpMoveImm,
  encFpUnary,
} from './encode-fp.ts';
import { invalidOperand } from './errors.ts';
import { Cond, Gpr } from './registers.ts';
import type { FpSize, RegSize, Vreg } from './registers.ts';
import { SimdAssembler } from './assembler-simd.ts';

/** Bit 24 tells cbz from cbnz and tbz from tbnz. */
const NONZERO_BIT = 0x01000000;

export class Arm64Assembler extends SimdAssembler {
  // --- branches -------------------------------------------------------------------------------

  b(label: Label): void {
    const at = this.startInstruction();
    this.emit(B);
    this.buffer.addFixup(label, at, FixupKind.Branch26);
  }
  /** Branch and link to a label in this buffer. */
  bl(label: Label): void {
    const at = this.startInstruction();
    this.emit(BL);
    this.buffer.addFixup(label, at, FixupKind.Branch26);
  }
  /** `bl` to a function or builtin placed later by the runtime (relocation `Arm64Call26`). */
  blRelocated(target: RelocTarget, index: number): void {
    this.buffer.addRelocation(this.startInstruction(), RelocKind.Arm64Call26, target, index, 0);
    this.emit(BL);
  }
  bCond(cond: Cond, label: Label): void {
    if (cond === Cond.al) {
      this.b(label);
      return;
    }
    if (cond === Cond.nv) throw invalidOperand('b.nv is not a conditional branch (it always branches); use b');
    const word = encBCond(cond);
    this.conditionalBranch(word, word ^ 1, FixupKind.Branch19, label);
  }
  cbz(size: RegSize, rt: Gpr, label: Label): void {
    const word = encCompareBranch(false, size, rt);
    this.conditionalBranch(word, word ^ NONZERO_BIT, FixupKind.Branch19, label);
  }
  cbnz(size: RegSize, rt: Gpr, label: Label): void {
    const word = encCompareBranch(true, size, rt);
    this.conditionalBranch(word, word ^ NONZERO_BIT, FixupKind.Branch19, label);
  }
  /** Branches when bit `bit` (0..63) of rt is zero. */
  tbz(rt: Gpr, bit: number, label: Label): void {
    const word = encTestBranch(false, rt, bit);
    this.conditionalBranch(word, word ^ NONZERO_BIT, FixupKind.Branch14, label);
  }
  tbnz(rt: Gpr, bit: number, label: Label): void {
    const word = encTestBranch(true, rt, bit);
    this.conditionalBranch(word, word ^ NONZERO_BIT, FixupKind.Branch14, label);
  }

  /**
   * Emits `word` branching to `label` (a forward one reaches far labels through an island's
   * veneer), or — for a bound label out of range — `inverted` over an unconditional `b label`.
   */
  private conditionalBranch(word: number, inverted: number, kind: FixupKind, label: Label): void {
    if (!this.buffer.isBound(label)) {
      const at = this.startInstruction();
      this.emit(word);
      this.buffer.addFixup(label, at, kind);
      return;
    }
    // Backward: room for the long form is reserved first, so the distance is final. Its two
    // words stay together: the first skips the second by a fixed distance.
    const at = this.startInstruction(8);
    if (isInBranchRange(kind, at, this.buffer.offsetOf(label))) {
      this.buffer.emit32(word);
      this.buffer.addFixup(label, at, kind);
      return;
    }
    this.buffer.emit32(withBranchOffset(inverted, kind, 8));
    this.buffer.emit32(B);
    this.buffer.addFixup(label, at + 4, FixupKind.Branch26);
  }

  br(rn: Gpr): void {
    this.emit(encBranchReg(BranchReg.br, rn));
  }
  blr(rn: Gpr): void {
    this.emit(encBranchReg(BranchReg.blr, rn));
  }
  ret(rn: Gpr = Gpr.lr): void {
    this.emit(encBranchReg(BranchReg.ret, rn));
  }

  /** rd = address of `label` (±1 MiB). */
  adr(rd: Gpr, label: Label): void {
    const at = this.startInstruction();
    this.emit(encAdr(false, rd, 0));
    this.buffer.addFixup(label, at, FixupKind.Adr21);
  }
  /** rd = pc + offset (bytes, ±1 MiB). */
  adrRI(rd: Gpr, offset: number): void {
    this.emit(encAdr(false, rd, offset));
  }
  /** rd = (pc & ~0xfff) + pages * 4096 (pages ±2^20). */
  adrpRI(rd: Gpr, pages: number): void {
    this.emit(encAdr(true, rd, pages));
  }

  // --- scalar floating point ------------------------------------------------------------------

  faddRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fadd, size, vd, vn, vm));
  }
  fsubRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fsub, size, vd, vn, vm));
  }
  fmulRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fmul, size, vd, vn, vm));
  }
  fdivRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fdiv, size, vd, vn, vm));
  }
  /** NaN if either input is NaN, and -0 < +0: exactly Wasm's `fmin`. */
  fminRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fmin, size, vd, vn, vm));
  }
  /** NaN if either input is NaN, and -0 < +0: exactly Wasm's `fmax`. */
  fmaxRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fmax, size, vd, vn, vm));
  }
  /** IEEE minNum: a quiet NaN operand is ignored (not Wasm's `fmin`). */
  fminnmRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fminnm, size, vd, vn, vm));
  }
  fmaxnmRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encFpBinary(FpBinary.fmaxnm, size, vd, vn, vm));
  }
  fmovRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.fmov, size, vd, vn));
  }
  fabsRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.fabs, size, vd, vn));
  }
  fnegRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.fneg, size, vd, vn));
  }
  fsqrtRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.fsqrt, size, vd, vn));
  }
  /** Round to nearest, ties to even (Wasm `nearest`). */
  frintnRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.frintn, size, vd, vn));
  }
  /** Round toward minus infinity (Wasm `floor`). */
  frintmRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.frintm, size, vd, vn));
  }
  /** Round toward plus infinity (Wasm `ceil`). */
  frintpRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.frintp, size, vd, vn));
  }
  /** Round toward zero (Wasm `trunc`). */
  frintzRR(size: FpSize, vd: Vreg, vn: Vreg): void {
    this.emit(encFpUnary(FpUnary.frintz, size, vd, vn));
  }
  /** Converts vn of precision `fromSize` to vd of precision `toSize` (f32.demote / f64.promote). */
  fcvtRR(toSize: FpSize, fromSize: FpSize, vd: Vreg, vn: Vreg): void {
    if (toSize === fromSize) throw invalidOperand('fcvt: source and destination precision must differ');
    this.emit(encFpUnary(toSize === 32 ? FpUnary.fcvtToS : FpUnary.fcvtToD, fromSize, vd, vn));
  }
  /** Sets the flags from comparing vn with vm (unordered: C and V set). */
  fcmpRR(size: FpSize, vn: Vreg, vm: Vreg): void {
    this.emit(encFpCompare(size, vn, vm, false));
  }
  /** Compares vn with +0.0. */
  fcmpRZero(size: FpSize, vn: Vreg): void {
    this.emit(encFpCompare(size, vn, null, false));
  }
  fcselRRR(size: FpSize, vd: Vreg, vn: Vreg, vm: Vreg, cond: Cond): void {
    this.emit(encFpCondSelect(size, vd, vn, vm, cond));
  }
  /** vd = value; throws unless `value` is an FP immediate (see `encodeFpImmediate`). */
  fmovRI(size: FpSize, vd: Vreg, value: number): void {
    this.emit(encFpMoveImm(size, vd, value));
  }
  /** Signed integer (w or x by `intSize`) to float. */
  scvtfRR(fpSize: FpSize, intSize: RegSize, vd: Vreg, rn: Gpr): void {
    this.emit(encFpInt(FpIntOp.scvtf, intSize, fpSize, vd, rn));
  }
  ucvtfRR(fpSize: FpSize, intSize: RegSize, vd: Vreg, rn: Gpr): void {
    this.emit(encFpInt(FpIntOp.ucvtf, intSize, fpSize, vd, rn));
  }
  /** Float to signed integer toward zero, saturating, NaN to 0 (Wasm `trunc_sat_s`). */
  fcvtzsRR(intSize: RegSize, fpSize: FpSize, rd: Gpr, vn: Vreg): void {
    this.emit(encFpInt(FpIntOp.fcvtzs, intSize, fpSize, rd, vn));
  }
  fcvtzuRR(intSize: RegSize, fpSize: FpSize, rd: Gpr, vn: Vreg): void {
    this.emit(encFpInt(FpIntOp.fcvtzu, intSize, fpSize, rd, vn));
  }
  /** Bit copy: w rd = s vn (size 32) or x rd = d vn (size 64). */
  fmovToGprRR(size: RegSize, rd: Gpr, vn: Vreg): void {
    this.emit(encFpInt(FpIntOp.fmovToGpr, size, size, rd, vn));
  }
  /** Bit copy: s vd = w rn or d vd = x rn; the rest of the vector register is zeroed. */
  fmovFromGprRR(size: RegSize, vd: Vreg, rn: Gpr): void {
    this.emit(encFpInt(FpIntOp.fmovFromGpr, size, size, vd, rn));
  }

  /**
   * rd = number of set bits in rn. A64 has no scalar popcount before FEAT_CSSC, so this goes
   * through `vScratch`: fmov to the vector register, `cnt` per byte, `addv` across bytes, fmov back.
   */
  popcountRR(size: RegSize, rd: Gpr, rn: Gpr, vScratch: Vreg): void {
    this.fmovFromGprRR(size, vScratch, rn);
    this.cnt8BRR(vScratch, vScratch);
    this.addv8BRR(vScratch, vScratch);
    this.fmovToGprRR(32, rd, vScratch);
  }
  /** CNT vd.8b, vn.8b. */
  cnt8BRR(vd: Vreg, vn: Vreg): void {
    this.emit(encCnt8B(vd, vn));
  }
  /** ADDV bd, vn.8b. */
  addv8BRR(vd: Vreg, vn: Vreg): void {
    this.emit(encAddv8B(vd, vn));
  }

  // --- system ---------------------------------------------------------------------------------

  nop(): void {
    this.emit(NOP);
  }
  /** Data memory barrier; `ish` (inner shareable, full) by default. */
  dmb(barrier: Barrier = Barrier.ish): void {
    this.emit(encDmb(barrier));
  }
  isb(): void {
    this.emit(ISB);
  }
  brk(imm16: number): void {
    this.emit(encBrk(imm16));
  }
  udf(imm16: number): void {
    this.emit(encUdf(imm16));
  }
}
