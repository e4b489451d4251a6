// Integer operations of the x64 MacroAssembler: moves, the binary and unary families, shifts and
// rotates (count pinned in cl), division with Wasm's traps (quotient/remainder pinned in
// rdx:rax), comparisons and select.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html#integer-operations

import {
  DivKind,
  IntBinaryKind,
  IntCond,
  IntUnaryKind,
  RegClass,
  ShiftKind,
  TrapReason,
  isFloatReg,
  isImm,
  makeReg,
  type OperandSize,
  type Reg,
  type RegOrImm,
  type ValueSize,
  type ValueStackContext,
} from '@flint/backend';
import { AluOp, AssemblerError, Cond, Gpr, ShiftOp } from '../assembler/index.ts';
import { MasmBase, SCRATCH, hw } from './base.ts';

const RAX = makeReg(RegClass.Int, Gpr.rax);
const RCX = makeReg(RegClass.Int, Gpr.rcx);
const RDX = makeReg(RegClass.Int, Gpr.rdx);

// Indexed by IntBinaryKind (Mul is handled apart).
const BINARY_ALU: readonly AluOp[] = [AluOp.Add, AluOp.Sub, -1 as AluOp, AluOp.And, AluOp.Or, AluOp.Xor];
// Indexed by ShiftKind: Shl, ShrS, ShrU, Rotl, Rotr.
const SHIFT_OPS: readonly ShiftOp[] = [ShiftOp.Shl, ShiftOp.Sar, ShiftOp.Shr, ShiftOp.Rol, ShiftOp.Ror];
// Indexed by IntCond: Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU.
export const INT_COND: readonly Cond[] = [Cond.E, Cond.NE, Cond.L, Cond.B, Cond.G, Cond.A, Cond.LE, Cond.BE, Cond.GE, Cond.AE];

export class IntegerMasm extends MasmBase {
  move(dst: Reg, src: RegOrImm, size: ValueSize): void {
    if (isImm(src)) {
      if (isFloatReg(dst) || size === 128) throw new AssemblerError('move: an immediate can only go to an integer register');
      this.loadImm(size, hw(dst), src);
      return;
    }
    if (dst === src) return;
    if (isFloatReg(dst) !== isFloatReg(src)) throw new AssemblerError('move: source and destination are of different classes');
    // movaps copies the whole register: no partial-register dependency, fine for f32 and f64.
    if (isFloatReg(dst)) this.asm.movapsRR(hw(dst), hw(src));
    else this.asm.movRR(size === 32 ? 32 : 64, hw(dst), hw(src));
  }

  intBinary(kind: IntBinaryKind, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void {
    const a = this.asm;
    const d = hw(dst);
    if (isImm(rhs)) {
      let value = rhs.lo;
      if (size === 64 && !rhs.fitsInI32()) {
        // No x64 ALU form takes a 64-bit immediate: materialize it in the scratch register.
        a.movRI64(SCRATCH, rhs.lo, rhs.hi);
        this.moveInt(size, d, hw(lhs));
        this.binaryRR(kind, size, d, SCRATCH);
        return;
      }
      if (kind === IntBinaryKind.Mul) {
        a.imulRRI(size, d, hw(lhs), value);
        return;
      }
      this.moveInt(size, d, hw(lhs));
      if (size === 32) value = value | 0;
      a.aluRI(BINARY_ALU[kind]!, size, d, value);
      return;
    }
    const l = hw(lhs);
    const r = hw(rhs);
    if (d === l) {
      this.binaryRR(kind, size, d, r);
    } else if (d === r) {
      if (kind === IntBinaryKind.Sub) {
        // dst = lhs - dst: keep rhs in the scratch register before overwriting dst.
        a.movRR(64, SCRATCH, r);
        a.movRR(size, d, l);
        a.subRR(size, d, SCRATCH);
      } else {
        // Commutative: dst = dst op lhs.
        this.binaryRR(kind, size, d, l);
      }
    } else {
      a.movRR(size, d, l);
      this.binaryRR(kind, size, d, r);
    }
  }

  private binaryRR(kind: IntBinaryKind, size: OperandSize, dst: number, src: number): void {
    if (kind === IntBinaryKind.Mul) this.asm.imulRR(size, dst, src);
    else this.asm.aluRR(BINARY_ALU[kind]!, size, dst, src);
  }

  /** `mov dst, src` unless they are the same register. */
  protected moveInt(size: OperandSize, dst: number, src: number): void {
    if (dst !== src) this.asm.movRR(size, dst, src);
  }

  intUnary(kind: IntUnaryKind, size: OperandSize, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = hw(dst);
    const s = hw(src);
    switch (kind) {
      // lzcnt/tzcnt return the operand size for 0, exactly Wasm's clz/ctz. Without them, note
      // that the same encodings run as bsr/bsf (the 0xf3 prefix is ignored) and give wrong
      // answers, so the fallbacks must be chosen here, never left to the CPU.
      case IntUnaryKind.Clz:
        if (this.hasLzcnt) a.lzcntRR(size, d, s);
        else this.clzWithBsr(size, d, s);
        return;
      case IntUnaryKind.Ctz:
        if (this.hasBmi1) a.tzcntRR(size, d, s);
        else this.ctzWithBsf(size, d, s);
        return;
      case IntUnaryKind.Popcnt:
        if (this.hasPopcnt) a.popcntRR(size, d, s);
        else this.popcntBySwar(size, d, s);
        return;
      case IntUnaryKind.Extend8S:
        a.movsxRR(8, size, d, s);
        return;
      case IntUnaryKind.Extend16S:
        a.movsxRR(16, size, d, s);
        return;
      case IntUnaryKind.Extend32S:
        if (size === 32) this.moveInt(32, d, s);
        else a.movsxdRR(d, s);
        return;
    }
  }

  /**
   * clz without LZCNT: bsr gives the index i of the highest set bit, and clz = (size - 1) - i,
   * which is i ^ (size - 1) for i < size. bsr sets ZF and leaves its destination undefined for a
   * zero input; cmov then substitutes 2 * size - 1, which the xor turns into size.
   */
  private clzWithBsr(size: OperandSize, d: number, s: number): void {
    const a = this.asm;
    a.movRI(32, SCRATCH, 2 * size - 1);
    a.bsrRR(size, d, s);
    a.cmovccRR(Cond.E, size, d, SCRATCH);
    a.xorRI(size, d, size - 1);
  }

  /** ctz without BMI1: bsf gives the index of the lowest set bit; a zero input (ZF) gives size. */
  private ctzWithBsf(size: OperandSize, d: number, s: number): void {
    const a = this.asm;
    a.movRI(32, SCRATCH, size);
    a.bsfRR(size, d, s);
    a.cmovccRR(Cond.E, size, d, SCRATCH);
  }

  /**
   * popcnt without POPCNT: the SWAR count (Hacker's Delight 5-1). Bit pairs, nibbles and bytes
   * are summed in place; the multiply by 0x01…01 adds every byte into the top one. The 64-bit
   * masks do not fit an immediate and come from the constant pool.
   */
  private popcntBySwar(size: OperandSize, d: number, s: number): void {
    const a = this.asm;
    const mask = (byte: number): void => {
      const word = byte * 0x0101_0101;
      if (size === 32) a.andRI(32, SCRATCH, word | 0);
      else a.andRM(64, SCRATCH, this.intConstant(word, word));
    };
    this.moveInt(size, d, s);
    // x - ((x >> 1) & 0x55…): each bit pair holds its own count.
    a.movRR(size, SCRATCH, d);
    a.shrRI(size, SCRATCH, 1);
    mask(0x55);
    a.subRR(size, d, SCRATCH);
    // (x & 0x33…) + ((x >> 2) & 0x33…): each nibble holds its count.
    a.movRR(size, SCRATCH, d);
    a.shrRI(size, SCRATCH, 2);
    mask(0x33);
    if (size === 32) a.andRI(32, d, 0x3333_3333);
    else a.andRM(64, d, this.intConstant(0x3333_3333, 0x3333_3333));
    a.addRR(size, d, SCRATCH);
    // (x + (x >> 4)) & 0x0f…: each byte holds its count.
    a.movRR(size, SCRATCH, d);
    a.shrRI(size, SCRATCH, 4);
    a.addRR(size, d, SCRATCH);
    if (size === 32) a.andRI(32, d, 0x0f0f_0f0f);
    else a.andRM(64, d, this.intConstant(0x0f0f_0f0f, 0x0f0f_0f0f));
    // The top byte of x * 0x01…01 is the sum of all bytes.
    if (size === 32) a.imulRRI(32, d, d, 0x0101_0101);
    else a.imulRM(64, d, this.intConstant(0x0101_0101, 0x0101_0101));
    a.shrRI(size, d, size - 8);
  }

  shift(ctx: ValueStackContext, kind: ShiftKind, size: OperandSize): void {
    // The count must be in cl; x64 masks it to 5/6 bits exactly as Wasm does.
    ctx.popToReg(RCX, size);
    const value = ctx.popToAnyReg(RegClass.Int);
    this.shiftByCl(kind, size, value, value);
    ctx.freeReg(RCX);
    ctx.pushReg(value, size);
  }

  /** dst ← src shifted by cl (the count already in rcx; x64 masks it as Wasm does). dst is not rcx. */
  shiftByCl(kind: ShiftKind, size: OperandSize, dst: Reg, src: Reg): void {
    this.moveInt(size, hw(dst), hw(src));
    this.asm.shiftRCl(SHIFT_OPS[kind]!, size, hw(dst));
  }

  shiftImm(kind: ShiftKind, size: OperandSize, dst: Reg, src: Reg, amount: number): void {
    const d = hw(dst);
    this.moveInt(size, d, hw(src));
    const count = amount & (size - 1);
    if (count !== 0) this.asm.shiftRI(SHIFT_OPS[kind]!, size, d, count);
  }

  div(ctx: ValueStackContext, kind: DivKind, size: OperandSize): void {
    // The dividend goes to rax and rdx is clobbered; claim both before popping the divisor so it
    // lands elsewhere.
    ctx.claimReg(RAX);
    ctx.claimReg(RDX);
    const divisorReg = ctx.popToAnyReg(RegClass.Int);
    ctx.popToReg(RAX, size);
    this.divideRax(kind, size, divisorReg);
    const remainder = kind === DivKind.SignedRem || kind === DivKind.UnsignedRem;
    ctx.freeReg(divisorReg);
    if (remainder) {
      ctx.freeReg(RAX);
      ctx.pushReg(RDX, size);
    } else {
      ctx.freeReg(RDX);
      ctx.pushReg(RAX, size);
    }
  }

  /**
   * Divides rax by `divisor` (neither rax nor rdx) with Wasm's traps: the quotient ends in rax,
   * the remainder in rdx, and rdx is written before the divisor is read for the last time. Both
   * tiers use this sequence: the baseline after pinning rax/rdx through its value stack, the
   * optimizing tier with rax/rdx as fixed operands.
   */
  divideRax(kind: DivKind, size: OperandSize, divisorReg: Reg): void {
    const a = this.asm;
    const divisor = hw(divisorReg);
    const signed = kind === DivKind.SignedDiv || kind === DivKind.SignedRem;
    const remainder = kind === DivKind.SignedRem || kind === DivKind.UnsignedRem;
    a.testRR(size, divisor, divisor);
    this.trapOn(Cond.E, TrapReason.IntegerDivideByZero);
    if (!signed) {
      a.xorRR(32, Gpr.rdx, Gpr.rdx);
      a.divR(size, divisor);
    } else if (!remainder) {
      // INT_MIN / -1 overflows: Wasm traps (and idiv would fault).
      const ok = a.newLabel();
      a.cmpRI(size, divisor, -1);
      a.jccShort(Cond.NE, ok);
      if (size === 32) a.cmpRI(32, Gpr.rax, -0x8000_0000);
      else {
        a.movRI64(SCRATCH, 0, -0x8000_0000);
        a.cmpRR(64, Gpr.rax, SCRATCH);
      }
      this.trapOn(Cond.E, TrapReason.IntegerOverflow);
      a.bind(ok);
      if (size === 32) a.cdq();
      else a.cqo();
      a.idivR(size, divisor);
    } else {
      // x % -1 is 0 for every x; answering it directly also avoids idiv's INT_MIN % -1 fault.
      const general = a.newLabel();
      const done = a.newLabel();
      a.cmpRI(size, divisor, -1);
      a.jccShort(Cond.NE, general);
      a.xorRR(32, Gpr.rdx, Gpr.rdx);
      a.jmpShort(done);
      a.bind(general);
      if (size === 32) a.cdq();
      else a.cqo();
      a.idivR(size, divisor);
      a.bind(done);
    }
  }

  intCompare(cond: IntCond, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void {
    this.compare(size, lhs, rhs);
    this.setBool(INT_COND[cond]!, hw(dst));
  }

  /** dst (32-bit, zero-extended) = 1 if `cond` holds else 0. setcc and movzx leave flags alone. */
  protected setBool(cond: Cond, dst: number): void {
    this.asm.setccR(cond, dst);
    this.asm.movzxRR(8, 32, dst, dst);
  }

  select(size: ValueSize, dst: Reg, condition: Reg, ifTrue: Reg, ifFalse: Reg): void {
    const a = this.asm;
    const d = hw(dst);
    const c = hw(condition);
    if (isFloatReg(dst)) {
      // No cmov for xmm registers: branch around one move.
      const skip = a.newLabel();
      if (dst === ifTrue) {
        a.testRR(32, c, c);
        a.jccShort(Cond.NE, skip);
        a.movapsRR(d, hw(ifFalse));
      } else {
        if (dst !== ifFalse) a.movapsRR(d, hw(ifFalse));
        a.testRR(32, c, c);
        a.jccShort(Cond.E, skip);
        a.movapsRR(d, hw(ifTrue));
      }
      a.bind(skip);
      return;
    }
    const width = size === 32 ? 32 : 64;
    a.testRR(32, c, c);
    if (dst === ifTrue) {
      a.cmovccRR(Cond.E, width, d, hw(ifFalse));
    } else {
      // mov leaves the flags of the test intact, even when dst is the condition register.
      if (dst !== ifFalse) a.movRR(width, d, hw(ifFalse));
      a.cmovccRR(Cond.NE, width, d, hw(ifTrue));
    }
  }
}
