// v128 on x64, part 1: the three-operand helpers every v128 sequence uses (VEX forms with AVX,
// a copy and the destructive SSE form without), constants, splats, lane extraction and
// replacement, shuffles, the memory forms and reductions to i32.
// Baseline: SSE4.1 (pshufb, pinsrb/d/q, pextrb/d/q, ptest, pmovsx/zx). With AVX2, splats are one
// broadcast; with AVX, every binary operation is one non-destructive instruction.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions

import {
  LaneShape,
  V128LoadKind,
  V128ReduceKind,
  type Reg,
} from '@flint/backend';
import { AssemblerError, Cond, MoveMaskOp, SimdOp, SimdShiftOp, VexOp, type Mem } from '../assembler/index.ts';
import { FSCRATCH, VSCRATCH2, hw } from './base.ts';
import { ControlMasm } from './control.ts';

/** pcmpeq per integer shape (I8x16 … I64x2). */
export const PCMPEQ: readonly number[] = [SimdOp.pcmpeqb, SimdOp.pcmpeqw, SimdOp.pcmpeqd, SimdOp.pcmpeqq];

export class SimdLanesMasm extends ControlMasm {
  /** Reused by `v128Shuffle`: the pshufb index vectors are built here, then copied into the pool. */
  private readonly shuffleMask = new Uint8Array(16);

  // --- helpers: one operation, whatever the encoding ------------------------------------------

  /** dst ← src (whole register). */
  protected vmov(dst: number, src: number): void {
    if (dst !== src) this.asm.movapsRR(dst, src);
  }

  /** dst ← op(src) for the unary ops. */
  protected op1(op: number, dst: number, src: number): void {
    if (this.hasAvx) this.asm.vexRR(op, dst, src);
    else this.asm.simdRR(op, dst, src);
  }

  protected op1i(op: number, dst: number, src: number, imm: number): void {
    if (this.hasAvx) this.asm.vexRRI(op, dst, src, imm);
    else this.asm.simdRRI(op, dst, src, imm);
  }

  /** dst ← op(mem) for the unary ops (loads). */
  protected op1m(op: number, dst: number, mem: Mem): void {
    if (this.hasAvx) this.asm.vexRM(op, dst, mem);
    else this.asm.simdRM(op, dst, mem);
  }

  /**
   * dst ← op(lhs, rhs), any aliasing. Without AVX: `dst = lhs` then the destructive form; when
   * dst is rhs (and not lhs), a commutative op swaps, others go through a scratch register.
   */
  protected op2(op: number, dst: number, lhs: number, rhs: number, commutative = false): void {
    const a = this.asm;
    if (this.hasAvx) {
      a.vexRRR(op, dst, lhs, rhs);
      return;
    }
    if (dst === lhs) {
      a.simdRR(op, dst, rhs);
    } else if (dst !== rhs) {
      a.movapsRR(dst, lhs);
      a.simdRR(op, dst, rhs);
    } else if (commutative) {
      a.simdRR(op, dst, lhs);
    } else {
      const temp = this.tempFor(lhs, rhs);
      a.movapsRR(temp, rhs);
      a.movapsRR(dst, lhs);
      a.simdRR(op, dst, temp);
    }
  }

  /** As `op2` for the ops taking an imm8. */
  protected op2i(op: number, dst: number, lhs: number, rhs: number, imm: number, commutative = false): void {
    const a = this.asm;
    if (this.hasAvx) {
      a.vexRRRI(op, dst, lhs, rhs, imm);
      return;
    }
    if (dst === lhs) {
      a.simdRRI(op, dst, rhs, imm);
    } else if (dst !== rhs) {
      a.movapsRR(dst, lhs);
      a.simdRRI(op, dst, rhs, imm);
    } else if (commutative) {
      a.simdRRI(op, dst, lhs, imm);
    } else {
      const temp = this.tempFor(lhs, rhs);
      a.movapsRR(temp, rhs);
      a.movapsRR(dst, lhs);
      a.simdRRI(op, dst, temp, imm);
    }
  }

  /** dst ← op(lhs, [mem]); `mem` is a pool constant (the shared `m2`, so use it at once). */
  protected op2m(op: number, dst: number, lhs: number, mem: Mem): void {
    if (this.hasAvx) {
      this.asm.vexRRM(op, dst, lhs, mem);
      return;
    }
    this.vmov(dst, lhs);
    this.asm.simdRM(op, dst, mem);
  }

  /** dst ← src shifted by a constant (`psllw dst, n` style ops). */
  protected vshiftImm(op: SimdShiftOp, dst: number, src: number, amount: number): void {
    if (this.hasAvx) {
      this.asm.vexShiftRRI(op, dst, src, amount);
      return;
    }
    this.vmov(dst, src);
    this.asm.simdShiftRI(op, dst, amount);
  }

  /** A scratch register that is neither operand (op2's aliasing path). */
  private tempFor(lhs: number, rhs: number): number {
    const temp = lhs === FSCRATCH || rhs === FSCRATCH ? VSCRATCH2 : FSCRATCH;
    if (temp === lhs || temp === rhs) throw new AssemblerError('v128 sequence: both vector scratch registers are operands');
    return temp;
  }

  protected zeroVec(dst: number): void {
    if (this.hasAvx) this.asm.vexRRR(SimdOp.pxor, dst, dst, dst);
    else this.asm.simdRR(SimdOp.pxor, dst, dst);
  }

  protected onesVec(dst: number): void {
    if (this.hasAvx) this.asm.vexRRR(SimdOp.pcmpeqd, dst, dst, dst);
    else this.asm.simdRR(SimdOp.pcmpeqd, dst, dst);
  }

  /** dst ← ~dst (clobbers FSCRATCH unless dst is FSCRATCH, which takes VSCRATCH2). */
  protected notVec(dst: number): void {
    const ones = dst === FSCRATCH ? VSCRATCH2 : FSCRATCH;
    this.onesVec(ones);
    this.op2(SimdOp.pxor, dst, dst, ones, true);
  }

  // --- constants, splat, lanes -----------------------------------------------------------------

  loadV128Constant(dst: Reg, bytes: Uint8Array, at: number): void {
    const d = hw(dst);
    let zeros = 0;
    let ones = 0;
    for (let i = 0; i < 16; i++) {
      const b = bytes[at + i]!;
      if (b === 0) zeros++;
      else if (b === 0xff) ones++;
    }
    if (zeros === 16) this.zeroVec(d);
    else if (ones === 16) this.onesVec(d);
    else this.op1m(SimdOp.movdqu, d, this.v128Constant(bytes, at));
  }

  v128Splat(shape: LaneShape, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = hw(dst);
    const s = hw(src);
    const avx2 = this.hasAvx2;
    switch (shape) {
      case LaneShape.I8x16:
        a.movdXR(32, d, s);
        if (avx2) a.vexRR(VexOp.vpbroadcastb, d, d);
        else {
          this.zeroVec(FSCRATCH);
          a.simdRR(SimdOp.pshufb, d, FSCRATCH);
        }
        return;
      case LaneShape.I16x8:
        a.movdXR(32, d, s);
        if (avx2) a.vexRR(VexOp.vpbroadcastw, d, d);
        else {
          a.simdRRI(SimdOp.pshuflw, d, d, 0);
          a.simdRRI(SimdOp.pshufd, d, d, 0);
        }
        return;
      case LaneShape.I32x4:
        a.movdXR(32, d, s);
        if (avx2) a.vexRR(VexOp.vpbroadcastd, d, d);
        else a.simdRRI(SimdOp.pshufd, d, d, 0);
        return;
      case LaneShape.I64x2:
        a.movdXR(64, d, s);
        if (avx2) a.vexRR(VexOp.vpbroadcastq, d, d);
        else a.simdRR(SimdOp.punpcklqdq, d, d);
        return;
      case LaneShape.F32x4:
        if (avx2) a.vexRR(VexOp.vbroadcastss, d, s);
        else this.op1i(SimdOp.pshufd, d, s, 0);
        return;
      default:
        this.op1(SimdOp.movddup, d, s);
    }
  }

  v128ExtractLane(shape: LaneShape, signed: boolean, dst: Reg, src: Reg, lane: number): void {
    const a = this.asm;
    const d = hw(dst);
    const s = hw(src);
    switch (shape) {
      case LaneShape.I8x16:
        a.pextrRRI(8, d, s, lane);
        if (signed) a.movsxRR(8, 32, d, d);
        return;
      case LaneShape.I16x8:
        a.pextrRRI(16, d, s, lane);
        if (signed) a.movsxRR(16, 32, d, d);
        return;
      case LaneShape.I32x4:
        if (lane === 0) a.movdRX(32, d, s);
        else a.pextrRRI(32, d, s, lane);
        return;
      case LaneShape.I64x2:
        if (lane === 0) a.movdRX(64, d, s);
        else a.pextrRRI(64, d, s, lane);
        return;
      // Float results only have their low lane read, so the other lanes may hold anything.
      case LaneShape.F32x4:
        if (lane === 0) this.vmov(d, s);
        else this.op1i(SimdOp.pshufd, d, s, lane);
        return;
      default:
        if (lane === 0) this.vmov(d, s);
        else this.op1i(SimdOp.pshufd, d, s, 0xee);
    }
  }

  v128ReplaceLane(shape: LaneShape, dst: Reg, vector: Reg, value: Reg, lane: number): void {
    const a = this.asm;
    const d = hw(dst);
    const v = hw(vector);
    const x = hw(value);
    switch (shape) {
      case LaneShape.I8x16:
      case LaneShape.I16x8:
      case LaneShape.I32x4:
      case LaneShape.I64x2: {
        const bits = (8 << shape) as 8 | 16 | 32 | 64;
        if (this.hasAvx) a.vpinsrRRRI(bits, d, v, x, lane);
        else {
          this.vmov(d, v);
          a.pinsrRRI(bits, d, x, lane);
        }
        return;
      }
      case LaneShape.F32x4:
        // insertps imm: source lane 0 (bits 7:6), destination lane (5:4), no zeroing.
        this.op2i(SimdOp.insertps, d, v, x, lane << 4);
        return;
      default:
        if (lane === 0) this.op2i(SimdOp.blendpd, d, v, x, 1);
        else this.op2(SimdOp.movlhps, d, v, x);
    }
  }

  v128Shuffle(dst: Reg, lhs: Reg, rhs: Reg, bytes: Uint8Array, at: number): void {
    const d = hw(dst);
    const l = hw(lhs);
    const r = hw(rhs);
    const mask = this.shuffleMask;
    let fromLhs = 0;
    for (let i = 0; i < 16; i++) if (bytes[at + i]! < 16) fromLhs++;
    if (l === r || fromLhs === 16 || fromLhs === 0) {
      // One source: one pshufb with the indices of that source.
      for (let i = 0; i < 16; i++) mask[i] = bytes[at + i]! & 15;
      this.op2m(SimdOp.pshufb, d, fromLhs === 0 ? r : l, this.v128Constant(mask, 0));
      return;
    }
    // Two sources: pshufb each with 0x80 (→ 0) where the other source provides the byte, then or.
    for (let i = 0; i < 16; i++) mask[i] = bytes[at + i]! >= 16 ? bytes[at + i]! - 16 : 0x80;
    this.op2m(SimdOp.pshufb, FSCRATCH, r, this.v128Constant(mask, 0));
    for (let i = 0; i < 16; i++) mask[i] = bytes[at + i]! < 16 ? bytes[at + i]! : 0x80;
    this.op2m(SimdOp.pshufb, d, l, this.v128Constant(mask, 0));
    this.op2(SimdOp.por, d, d, FSCRATCH, true);
  }

  // --- memory ----------------------------------------------------------------------------------

  v128Load(kind: V128LoadKind, dst: Reg, base: Reg, offset: number): void {
    const a = this.asm;
    const d = hw(dst);
    const m = this.address(base, offset);
    switch (kind) {
      case V128LoadKind.Load8x8S:
        this.op1m(SimdOp.pmovsxbw, d, m);
        return;
      case V128LoadKind.Load8x8U:
        this.op1m(SimdOp.pmovzxbw, d, m);
        return;
      case V128LoadKind.Load16x4S:
        this.op1m(SimdOp.pmovsxwd, d, m);
        return;
      case V128LoadKind.Load16x4U:
        this.op1m(SimdOp.pmovzxwd, d, m);
        return;
      case V128LoadKind.Load32x2S:
        this.op1m(SimdOp.pmovsxdq, d, m);
        return;
      case V128LoadKind.Load32x2U:
        this.op1m(SimdOp.pmovzxdq, d, m);
        return;
      case V128LoadKind.Load8Splat:
        if (this.hasAvx2) a.vexRM(VexOp.vpbroadcastb, d, m);
        else {
          a.pinsrRMI(8, d, m, 0);
          this.zeroVec(FSCRATCH);
          a.simdRR(SimdOp.pshufb, d, FSCRATCH);
        }
        return;
      case V128LoadKind.Load16Splat:
        if (this.hasAvx2) a.vexRM(VexOp.vpbroadcastw, d, m);
        else {
          a.pinsrRMI(16, d, m, 0);
          a.simdRRI(SimdOp.pshuflw, d, d, 0);
          a.simdRRI(SimdOp.pshufd, d, d, 0);
        }
        return;
      case V128LoadKind.Load32Splat:
        if (this.hasAvx) a.vexRM(VexOp.vbroadcastss, d, m);
        else {
          a.movssRM(d, m);
          a.simdRRI(SimdOp.pshufd, d, d, 0);
        }
        return;
      case V128LoadKind.Load64Splat:
        this.op1m(SimdOp.movddup, d, m);
        return;
      case V128LoadKind.Load32Zero:
        a.movssRM(d, m);
        return;
      default:
        this.op1m(SimdOp.movq, d, m);
    }
  }

  v128LoadLane(laneBits: 8 | 16 | 32 | 64, dst: Reg, base: Reg, offset: number, lane: number): void {
    this.asm.pinsrRMI(laneBits, hw(dst), this.address(base, offset), lane);
  }

  v128StoreLane(laneBits: 8 | 16 | 32 | 64, src: Reg, base: Reg, offset: number, lane: number): void {
    const m = this.address(base, offset);
    if (lane === 0 && laneBits === 32) this.asm.movdMR(m, hw(src));
    else if (lane === 0 && laneBits === 64) this.asm.movqMR(m, hw(src));
    else this.asm.pextrMRI(laneBits, m, hw(src), lane);
  }

  // --- reductions ------------------------------------------------------------------------------

  v128Reduce(kind: V128ReduceKind, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = hw(dst);
    const s = hw(src);
    switch (kind) {
      case V128ReduceKind.AnyTrue:
        a.simdRR(SimdOp.ptest, s, s);
        this.setBool(Cond.NE, d);
        return;
      case V128ReduceKind.I8x16AllTrue:
      case V128ReduceKind.I16x8AllTrue:
      case V128ReduceKind.I32x4AllTrue:
      case V128ReduceKind.I64x2AllTrue:
        // Lanes equal to zero become all-ones; all true when none did.
        this.zeroVec(FSCRATCH);
        a.simdRR(PCMPEQ[kind - V128ReduceKind.I8x16AllTrue]!, FSCRATCH, s);
        a.simdRR(SimdOp.ptest, FSCRATCH, FSCRATCH);
        this.setBool(Cond.E, d);
        return;
      case V128ReduceKind.I8x16Bitmask:
        a.moveMaskRR(MoveMaskOp.pmovmskb, d, s);
        return;
      case V128ReduceKind.I16x8Bitmask:
        // Signed saturation keeps each word's sign in its byte; both halves of the pack are equal.
        this.op2(SimdOp.packsswb, FSCRATCH, s, s);
        a.moveMaskRR(MoveMaskOp.pmovmskb, d, FSCRATCH);
        a.movzxRR(8, 32, d, d);
        return;
      case V128ReduceKind.I32x4Bitmask:
        a.moveMaskRR(MoveMaskOp.movmskps, d, s);
        return;
      default:
        a.moveMaskRR(MoveMaskOp.movmskpd, d, s);
    }
  }
}
