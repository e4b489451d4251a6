// VEX.128 encodings (AVX, AVX2, FMA3) of the packed instructions: non-destructive three-operand
// forms of every `SimdOp`, the VEX-only instructions of `VexOp` (broadcasts, fused multiply-add,
// four-operand blends) and the VEX forms of lane inserts and immediate shifts. Only the 128-bit
// length is emitted (VEX.L = 0): the upper halves of the ymm registers are zeroed by every VEX
// instruction here and never dirtied, so mixing these with legacy SSE code costs no transition.
// Intel SDM Vol. 2A §2.3.5 "The VEX Prefix", §2.3.5.6 "VEX.vvvv", Table 2-9 (VEX.pp), §2.3.6
// (VEX.L), and the is4 operand of VPBLENDVB/VBLENDVPS/VBLENDVPD.

import { AssemblerError, isInt32 } from './encoding.ts';
import { NO_REG, type Mem } from './operands.ts';
import type { Gpr, Xmm } from './registers.ts';
import { SimdAssembler, checkLane, type LaneBits } from './simd.ts';
import {
  type SimdOp,
  type SimdShiftOp,
  type VexOp,
  hasImm,
  hasVexForm,
  insertOpFields,
  isUnary,
  mapOf,
  opcodeOf,
  ppOf,
  shiftOpDigit,
  shiftOpFields,
  wOf,
} from './simd-ops.ts';

function checkImm8(imm: number): void {
  if (!(Number.isInteger(imm) && imm >= 0 && imm <= 0xff)) throw new AssemblerError(`imm8 ${imm} is not in 0..255`);
}

function checkReg(reg: number, what: string): void {
  if (!(Number.isInteger(reg) && reg >= 0 && reg <= 15)) throw new AssemblerError(`${what}: invalid register encoding ${reg}, expected 0-15`);
}

export class AvxAssembler extends SimdAssembler {
  /**
   * The VEX prefix: the 2-byte form (C5) when the opcode map is 0F, W is 0 and neither the index
   * nor the r/m register needs its fourth bit (X̄ and B̄ live only in the 3-byte form), else the
   * 3-byte form (C4). R̄, X̄, B̄ and vvvv are stored inverted.
   */
  private vex(op: number, reg: number, vvvv: number, index: number, base: number): void {
    checkReg(reg, 'VEX ModRM.reg');
    checkReg(vvvv, 'VEX.vvvv');
    const buf = this.buffer;
    const r = (~reg >> 3) & 1;
    const x = (~index >> 3) & 1;
    const b = (~base >> 3) & 1;
    const tail = ((~vvvv & 15) << 3) | ppOf(op);
    const map = mapOf(op);
    if (map === 1 && !wOf(op) && x === 1 && b === 1) {
      buf.emit8(0xc5);
      buf.emit8((r << 7) | tail);
    } else {
      buf.emit8(0xc4);
      buf.emit8((r << 7) | (x << 6) | (b << 5) | map);
      buf.emit8((wOf(op) ? 0x80 : 0) | tail);
    }
    buf.emit8(opcodeOf(op));
  }

  private vexRegForm(op: number, reg: number, vvvv: number, rm: number): void {
    checkReg(rm, 'VEX ModRM.rm');
    this.vex(op, reg, vvvv, 0, rm);
    this.buffer.emit8(0xc0 | ((reg & 7) << 3) | (rm & 7));
  }

  private vexMemForm(op: number, reg: number, vvvv: number, mem: Mem, trailing: number): void {
    if (!isInt32(mem.disp)) throw new AssemblerError(`displacement ${mem.disp} does not fit in 32 bits`);
    const index = mem.index === NO_REG ? 0 : mem.index;
    const base = mem.base === NO_REG ? 0 : mem.base;
    checkReg(index, 'index');
    checkReg(base, 'base');
    this.vex(op, reg, vvvv, index, base);
    this.modrmMem(reg, mem, trailing);
  }

  private static operands(op: number, imm: boolean, unary: boolean): void {
    if (!hasVexForm(op)) throw new AssemblerError('this instruction has no VEX form with these operands');
    if (hasImm(op) !== imm) throw new AssemblerError(imm ? 'this instruction takes no imm8' : 'this instruction takes an imm8');
    if (isUnary(op) !== unary) throw new AssemblerError(unary ? 'this instruction takes two sources' : 'this instruction takes one source');
  }

  // --- three operands: dst, src1 (VEX.vvvv), src2 (ModRM.rm) ---------------------------------

  /** `vop dst, src1, src2`. */
  vexRRR(op: SimdOp | VexOp, dst: Xmm, src1: Xmm, src2: Xmm): void {
    AvxAssembler.operands(op, false, false);
    this.vexRegForm(op, dst, src1, src2);
  }

  vexRRM(op: SimdOp | VexOp, dst: Xmm, src1: Xmm, mem: Mem): void {
    AvxAssembler.operands(op, false, false);
    this.vexMemForm(op, dst, src1, mem, 0);
  }

  vexRRRI(op: SimdOp, dst: Xmm, src1: Xmm, src2: Xmm, imm: number): void {
    AvxAssembler.operands(op, true, false);
    checkImm8(imm);
    this.vexRegForm(op, dst, src1, src2);
    this.buffer.emit8(imm);
  }

  vexRRMI(op: SimdOp, dst: Xmm, src1: Xmm, mem: Mem, imm: number): void {
    AvxAssembler.operands(op, true, false);
    checkImm8(imm);
    this.vexMemForm(op, dst, src1, mem, 1);
    this.buffer.emit8(imm);
  }

  // --- two operands: dst, src (VEX.vvvv unused, 1111b) ----------------------------------------

  /** `vop dst, src` for the unary instructions. */
  vexRR(op: SimdOp | VexOp, dst: Xmm, src: Xmm): void {
    AvxAssembler.operands(op, false, true);
    this.vexRegForm(op, dst, 0, src);
  }

  vexRM(op: SimdOp | VexOp, dst: Xmm, mem: Mem): void {
    AvxAssembler.operands(op, false, true);
    this.vexMemForm(op, dst, 0, mem, 0);
  }

  vexRRI(op: SimdOp, dst: Xmm, src: Xmm, imm: number): void {
    AvxAssembler.operands(op, true, true);
    checkImm8(imm);
    this.vexRegForm(op, dst, 0, src);
    this.buffer.emit8(imm);
  }

  vexRMI(op: SimdOp, dst: Xmm, mem: Mem, imm: number): void {
    AvxAssembler.operands(op, true, true);
    checkImm8(imm);
    this.vexMemForm(op, dst, 0, mem, 1);
    this.buffer.emit8(imm);
  }

  // --- four operands (is4) ----------------------------------------------------------------------

  /** `vpblendvb/vblendvps/vblendvpd dst, src1, src2, mask`: the mask register travels in imm8[7:4]. */
  vexRRRR(op: VexOp, dst: Xmm, src1: Xmm, src2: Xmm, src3: Xmm): void {
    AvxAssembler.operands(op, false, false);
    checkReg(src3, 'is4 operand');
    this.vexRegForm(op, dst, src1, src2);
    this.buffer.emit8(src3 << 4);
  }

  // --- special shapes ---------------------------------------------------------------------------

  /** `vpsllw/… dst, src, imm` (VEX.NDD: the destination is VEX.vvvv, the /digit ModRM.reg). */
  vexShiftRRI(op: SimdShiftOp, dst: Xmm, src: Xmm, imm: number): void {
    checkImm8(imm);
    this.vexRegForm(shiftOpFields(op), shiftOpDigit(op), dst, src);
    this.buffer.emit8(imm);
  }

  /** `vpinsrb/w/d/q dst, src1, src2, lane`: dst = src1 with lane `lane` ← the low bits of gpr src2. */
  vpinsrRRRI(bits: LaneBits, dst: Xmm, src1: Xmm, src2: Gpr, lane: number): void {
    checkLane(bits, lane);
    this.vexRegForm(insertOpFields(bits), dst, src1, src2);
    this.buffer.emit8(lane);
  }

  /** `vpinsrb/w/d/q dst, src1, [mem], lane`. */
  vpinsrRRMI(bits: LaneBits, dst: Xmm, src1: Xmm, mem: Mem, lane: number): void {
    checkLane(bits, lane);
    this.vexMemForm(insertOpFields(bits), dst, src1, mem, 1);
    this.buffer.emit8(lane);
  }
}
