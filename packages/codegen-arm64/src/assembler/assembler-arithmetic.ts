// Integer arithmetic and logic: add/sub (immediate, shifted, extended), logical (shifted register
// and bitmask immediate), moves and constant materialisation, multiply/divide, conditional select
// and compare. Arm ARM (DDI 0487) C6.2 (ADD, AND, MOVZ, MADD, SDIV, CSEL, CCMP and their aliases).
// https://developer.arm.com/documentation/ddi0487

import {
  AddSubOp,
  CondSelect,
  Extend,
  LogicalOp,
  MoveWide,
  Shift,
  ThreeSource,
  TwoSource,
  encAddSubExtended,
  encAddSubImm,
  encAddSubShifted,
  encCondCompare,
  encCondSelect,
  encLogicalImm,
  encLogicalImmField,
  encLogicalShifted,
  encMoveWide,
  encThreeSource,
  encTwoSource,
} from './encode-integer.ts';
import { invalidOperand } from './errors.ts';
import { rz } from './fields.ts';
import { MoveWideOp, encodeLogicalImmediateHalves, planMoveWide, splitHigh, splitLow, splitValue } from './immediates.ts';
import { Cond, Gpr } from './registers.ts';
import type { RegSize } from './registers.ts';
import { AssemblerBase } from './assembler-base.ts';

export class ArithmeticAssembler extends AssemblerBase {
  private readonly moveSteps = new Int32Array(12);

  // --- add / sub ------------------------------------------------------------------------------

  addRRI(size: RegSize, rd: Gpr, rn: Gpr, imm: number): void {
    this.emit(encAddSubImm(AddSubOp.add, size, rd, rn, imm));
  }
  addsRRI(size: RegSize, rd: Gpr, rn: Gpr, imm: number): void {
    this.emit(encAddSubImm(AddSubOp.adds, size, rd, rn, imm));
  }
  subRRI(size: RegSize, rd: Gpr, rn: Gpr, imm: number): void {
    this.emit(encAddSubImm(AddSubOp.sub, size, rd, rn, imm));
  }
  subsRRI(size: RegSize, rd: Gpr, rn: Gpr, imm: number): void {
    this.emit(encAddSubImm(AddSubOp.subs, size, rd, rn, imm));
  }
  cmpRI(size: RegSize, rn: Gpr, imm: number): void {
    this.emit(encAddSubImm(AddSubOp.subs, size, Gpr.zr, rn, imm));
  }
  cmnRI(size: RegSize, rn: Gpr, imm: number): void {
    this.emit(encAddSubImm(AddSubOp.adds, size, Gpr.zr, rn, imm));
  }

  /** rd = rn + rm. With sp as rd or rn this is the extended-register form (uxtx/uxtw #0). */
  addRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.addSubRRR(AddSubOp.add, size, rd, rn, rm);
  }
  addsRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.addSubRRR(AddSubOp.adds, size, rd, rn, rm);
  }
  subRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.addSubRRR(AddSubOp.sub, size, rd, rn, rm);
  }
  subsRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.addSubRRR(AddSubOp.subs, size, rd, rn, rm);
  }
  cmpRR(size: RegSize, rn: Gpr, rm: Gpr): void {
    this.addSubRRR(AddSubOp.subs, size, Gpr.zr, rn, rm);
  }
  cmnRR(size: RegSize, rn: Gpr, rm: Gpr): void {
    this.addSubRRR(AddSubOp.adds, size, Gpr.zr, rn, rm);
  }
  negRR(size: RegSize, rd: Gpr, rm: Gpr): void {
    this.emit(encAddSubShifted(AddSubOp.sub, size, rd, Gpr.zr, rm, Shift.lsl, 0));
  }
  negsRR(size: RegSize, rd: Gpr, rm: Gpr): void {
    this.emit(encAddSubShifted(AddSubOp.subs, size, rd, Gpr.zr, rm, Shift.lsl, 0));
  }

  private addSubRRR(op: AddSubOp, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    if (rd === Gpr.sp || rn === Gpr.sp) {
      this.emit(encAddSubExtended(op, size, rd, rn, rm, size === 64 ? Extend.uxtx : Extend.uxtw, 0));
    } else {
      this.emit(encAddSubShifted(op, size, rd, rn, rm, Shift.lsl, 0));
    }
  }

  addRRShifted(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encAddSubShifted(AddSubOp.add, size, rd, rn, rm, shift, amount));
  }
  addsRRShifted(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encAddSubShifted(AddSubOp.adds, size, rd, rn, rm, shift, amount));
  }
  subRRShifted(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encAddSubShifted(AddSubOp.sub, size, rd, rn, rm, shift, amount));
  }
  subsRRShifted(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encAddSubShifted(AddSubOp.subs, size, rd, rn, rm, shift, amount));
  }
  cmpRRShifted(size: RegSize, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encAddSubShifted(AddSubOp.subs, size, Gpr.zr, rn, rm, shift, amount));
  }

  /** rd = rn + (extend(rm) << amount); rd (without flags) and rn may be sp. */
  addRRExtended(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, extend: Extend, amount = 0): void {
    this.emit(encAddSubExtended(AddSubOp.add, size, rd, rn, rm, extend, amount));
  }
  addsRRExtended(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, extend: Extend, amount = 0): void {
    this.emit(encAddSubExtended(AddSubOp.adds, size, rd, rn, rm, extend, amount));
  }
  subRRExtended(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, extend: Extend, amount = 0): void {
    this.emit(encAddSubExtended(AddSubOp.sub, size, rd, rn, rm, extend, amount));
  }
  subsRRExtended(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, extend: Extend, amount = 0): void {
    this.emit(encAddSubExtended(AddSubOp.subs, size, rd, rn, rm, extend, amount));
  }
  cmpRRExtended(size: RegSize, rn: Gpr, rm: Gpr, extend: Extend, amount = 0): void {
    this.emit(encAddSubExtended(AddSubOp.subs, size, Gpr.zr, rn, rm, extend, amount));
  }

  // --- logical --------------------------------------------------------------------------------

  andRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.and, size, rd, rn, rm, Shift.lsl, 0));
  }
  orrRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.orr, size, rd, rn, rm, Shift.lsl, 0));
  }
  eorRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.eor, size, rd, rn, rm, Shift.lsl, 0));
  }
  bicRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.bic, size, rd, rn, rm, Shift.lsl, 0));
  }
  ornRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.orn, size, rd, rn, rm, Shift.lsl, 0));
  }
  eonRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.eon, size, rd, rn, rm, Shift.lsl, 0));
  }
  andsRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.ands, size, rd, rn, rm, Shift.lsl, 0));
  }
  bicsRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.bics, size, rd, rn, rm, Shift.lsl, 0));
  }
  tstRR(size: RegSize, rn: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.ands, size, Gpr.zr, rn, rm, Shift.lsl, 0));
  }
  /** rd = ~rm. */
  mvnRR(size: RegSize, rd: Gpr, rm: Gpr): void {
    this.emit(encLogicalShifted(LogicalOp.orn, size, rd, Gpr.zr, rm, Shift.lsl, 0));
  }

  /** Any logical operation with a shifted (lsl/lsr/asr/ror) second register. */
  logicalRRShifted(op: LogicalOp, size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encLogicalShifted(op, size, rd, rn, rm, shift, amount));
  }
  andRRShifted(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encLogicalShifted(LogicalOp.and, size, rd, rn, rm, shift, amount));
  }
  orrRRShifted(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encLogicalShifted(LogicalOp.orr, size, rd, rn, rm, shift, amount));
  }
  eorRRShifted(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, shift: Shift, amount: number): void {
    this.emit(encLogicalShifted(LogicalOp.eor, size, rd, rn, rm, shift, amount));
  }

  /** Bitmask immediates only (see `encodeLogicalImmediate`); rd may be sp. */
  andRRI(size: RegSize, rd: Gpr, rn: Gpr, value: number | bigint): void {
    this.emit(encLogicalImm(LogicalOp.and, size, rd, rn, value));
  }
  orrRRI(size: RegSize, rd: Gpr, rn: Gpr, value: number | bigint): void {
    this.emit(encLogicalImm(LogicalOp.orr, size, rd, rn, value));
  }
  eorRRI(size: RegSize, rd: Gpr, rn: Gpr, value: number | bigint): void {
    this.emit(encLogicalImm(LogicalOp.eor, size, rd, rn, value));
  }
  andsRRI(size: RegSize, rd: Gpr, rn: Gpr, value: number | bigint): void {
    this.emit(encLogicalImm(LogicalOp.ands, size, rd, rn, value));
  }
  tstRI(size: RegSize, rn: Gpr, value: number | bigint): void {
    this.emit(encLogicalImm(LogicalOp.ands, size, Gpr.zr, rn, value));
  }

  // --- moves ----------------------------------------------------------------------------------

  /** rd = rm. Through `add #0` when either is sp, else `orr rd, zr, rm`. */
  movRR(size: RegSize, rd: Gpr, rm: Gpr): void {
    if (rd === Gpr.sp || rm === Gpr.sp) this.emit(encAddSubImm(AddSubOp.add, size, rd, rm, 0));
    else this.emit(encLogicalShifted(LogicalOp.orr, size, rd, Gpr.zr, rm, Shift.lsl, 0));
  }
  movzRI(size: RegSize, rd: Gpr, imm16: number, shift = 0): void {
    this.emit(encMoveWide(MoveWide.movz, size, rd, imm16, shift));
  }
  movnRI(size: RegSize, rd: Gpr, imm16: number, shift = 0): void {
    this.emit(encMoveWide(MoveWide.movn, size, rd, imm16, shift));
  }
  movkRI(size: RegSize, rd: Gpr, imm16: number, shift = 0): void {
    this.emit(encMoveWide(MoveWide.movk, size, rd, imm16, shift));
  }

  /**
   * rd = value (the low `size` bits; a number must be a safe integer, else pass a bigint), in the
   * fewest instructions: movz or movn followed by movks, or one `orr` with a bitmask immediate
   * when that is shorter. A 64-bit value whose high half is zero uses the w form, which
   * zero-extends and saves the movks of the zero halfwords.
   */
  movRI(size: RegSize, rd: Gpr, value: number | bigint): void {
    rz(rd, 'mov (immediate) destination');
    splitValue(value, 'mov immediate');
    const lo = splitLow();
    let hi = splitHigh();
    let effective: RegSize = size;
    if (size === 32) hi = 0;
    else if (size !== 64) throw invalidOperand(`mov: operand size must be 32 or 64, got ${String(size)}`);
    else if (hi === 0) effective = 32;
    const steps = planMoveWide(lo, hi, effective, this.moveSteps);
    if (steps > 1) {
      const field = encodeLogicalImmediateHalves(lo, effective === 32 ? lo : hi);
      if (field !== null) {
        this.emit(encLogicalImmField(LogicalOp.orr, effective, rd, Gpr.zr, field));
        return;
      }
    }
    const s = this.moveSteps;
    for (let i = 0; i < steps; i++) {
      const op = s[i * 3] === MoveWideOp.Movz ? MoveWide.movz : s[i * 3] === MoveWideOp.Movn ? MoveWide.movn : MoveWide.movk;
      this.emit(encMoveWide(op, effective, rd, s[i * 3 + 1]!, s[i * 3 + 2]! * 16));
    }
  }

  // --- multiply and divide --------------------------------------------------------------------

  mulRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encThreeSource(ThreeSource.madd, size, rd, rn, rm, Gpr.zr));
  }
  mnegRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encThreeSource(ThreeSource.msub, size, rd, rn, rm, Gpr.zr));
  }
  /** rd = ra + rn * rm. */
  maddRRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr): void {
    this.emit(encThreeSource(ThreeSource.madd, size, rd, rn, rm, ra));
  }
  /** rd = ra - rn * rm (with sdiv, the remainder). */
  msubRRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, ra: Gpr): void {
    this.emit(encThreeSource(ThreeSource.msub, size, rd, rn, rm, ra));
  }
  /** High 64 bits of the signed 128-bit product of two x registers. */
  smulhRRR(rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encThreeSource(ThreeSource.smulh, 64, rd, rn, rm, Gpr.zr));
  }
  umulhRRR(rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encThreeSource(ThreeSource.umulh, 64, rd, rn, rm, Gpr.zr));
  }
  /** x rd = w rn * w rm, sign-extended operands. */
  smullRRR(rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encThreeSource(ThreeSource.smaddl, 64, rd, rn, rm, Gpr.zr));
  }
  umullRRR(rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encThreeSource(ThreeSource.umaddl, 64, rd, rn, rm, Gpr.zr));
  }
  /** Signed division rounding toward zero; x/0 gives 0 and MIN/-1 gives MIN (no trap). */
  sdivRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encTwoSource(TwoSource.sdiv, size, rd, rn, rm));
  }
  udivRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encTwoSource(TwoSource.udiv, size, rd, rn, rm));
  }

  // --- conditional select and compare ---------------------------------------------------------

  /** rd = cond ? rn : rm. */
  cselRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csel, size, rd, rn, rm, cond));
  }
  /** rd = cond ? rn : rm + 1. */
  csincRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csinc, size, rd, rn, rm, cond));
  }
  /** rd = cond ? rn : ~rm. */
  csinvRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csinv, size, rd, rn, rm, cond));
  }
  /** rd = cond ? rn : -rm. */
  csnegRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csneg, size, rd, rn, rm, cond));
  }
  /** rd = cond ? 1 : 0. */
  csetR(size: RegSize, rd: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csinc, size, rd, Gpr.zr, Gpr.zr, this.invertible(cond, 'cset')));
  }
  /** rd = cond ? -1 : 0. */
  csetmR(size: RegSize, rd: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csinv, size, rd, Gpr.zr, Gpr.zr, this.invertible(cond, 'csetm')));
  }
  /** rd = cond ? rn + 1 : rn. */
  cincRR(size: RegSize, rd: Gpr, rn: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csinc, size, rd, rn, rn, this.invertible(cond, 'cinc')));
  }
  /** rd = cond ? -rn : rn. */
  cnegRR(size: RegSize, rd: Gpr, rn: Gpr, cond: Cond): void {
    this.emit(encCondSelect(CondSelect.csneg, size, rd, rn, rn, this.invertible(cond, 'cneg')));
  }
  /** Flags = cond ? compare(rn, rm) : nzcv. */
  ccmpRR(size: RegSize, rn: Gpr, rm: Gpr, nzcv: number, cond: Cond): void {
    this.emit(encCondCompare(false, size, rn, rm, false, nzcv, cond));
  }
  ccmpRI(size: RegSize, rn: Gpr, imm5: number, nzcv: number, cond: Cond): void {
    this.emit(encCondCompare(false, size, rn, imm5, true, nzcv, cond));
  }
  ccmnRR(size: RegSize, rn: Gpr, rm: Gpr, nzcv: number, cond: Cond): void {
    this.emit(encCondCompare(true, size, rn, rm, false, nzcv, cond));
  }
  ccmnRI(size: RegSize, rn: Gpr, imm5: number, nzcv: number, cond: Cond): void {
    this.emit(encCondCompare(true, size, rn, imm5, true, nzcv, cond));
  }

  /** The aliases above encode the inverted condition; al/nv have no inverse that means "never". */
  private invertible(cond: Cond, what: string): Cond {
    if (Number.isInteger(cond) && cond >= 0 && cond < Cond.al) return (cond ^ 1) as Cond;
    throw invalidOperand(`${what}: condition must be eq..le, not al/nv`);
  }
}
