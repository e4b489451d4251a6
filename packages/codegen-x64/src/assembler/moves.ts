// Data movement: mov in all its forms (incl. movabs), lea, zero/sign extension, push/pop, setcc
// and cmovcc.
// Intel SDM Vol. 2B, instruction pages MOV, LEA, MOVZX, MOVSX/MOVSXD, PUSH, POP, SETcc; Vol. 2A CMOVcc.

import { RelocKind, type RelocTarget } from '@flint/backend';
import { AssemblerError, BYTE_REG, BYTE_RM, checkImm, isInt8 } from './encoding.ts';
import { IntegerAssembler } from './integer.ts';
import type { Cond, Mem, OperandSize } from './operands.ts';
import type { Gpr } from './registers.ts';

const W = (size: OperandSize): boolean => size === 64;
const P = (size: OperandSize): number => (size === 16 ? 0x66 : 0);
const TWO_POW_32 = 0x1_0000_0000;

export class MoveAssembler extends IntegerAssembler {
  /** `mov dst, src` (0x89, or 0x88 for bytes). A 32-bit move zero-extends into the full register. */
  movRR(size: OperandSize, dst: Gpr, src: Gpr): void {
    this.encodeRR(P(size), size === 8 ? 0x88 : 0x89, W(size), src, dst, size === 8 ? BYTE_REG | BYTE_RM : 0);
  }

  /** Load: `mov dst, [mem]` (0x8b, or 0x8a for bytes). */
  movRM(size: OperandSize, dst: Gpr, mem: Mem): void {
    this.encodeRM(P(size), size === 8 ? 0x8a : 0x8b, W(size), dst, mem, size === 8);
  }

  /** Store: `mov [mem], src` (0x89, or 0x88 for bytes). */
  movMR(size: OperandSize, mem: Mem, src: Gpr): void {
    this.encodeRM(P(size), size === 8 ? 0x88 : 0x89, W(size), src, mem, size === 8);
  }

  /**
   * `mov dst, imm` with the shortest encoding. At 64 bits `imm` may be any integer JS number in
   * the safe range or a bigint (as signed or unsigned 64-bit); see `movRI64` for the choice.
   */
  movRI(size: OperandSize, dst: Gpr, imm: number | bigint): void {
    if (size === 64) {
      if (typeof imm === 'bigint') {
        if (imm < -(1n << 63n) || imm >= 1n << 64n) throw new AssemblerError(`immediate ${imm} does not fit in 64 bits`);
        this.movRI64(dst, Number(BigInt.asUintN(32, imm)), Number(BigInt.asIntN(32, imm >> 32n)));
        return;
      }
      if (!Number.isSafeInteger(imm)) throw new AssemblerError(`immediate ${imm} is not a safe integer; pass a bigint`);
      this.movRI64(dst, imm >>> 0, Math.floor(imm / TWO_POW_32) | 0);
      return;
    }
    if (typeof imm === 'bigint') imm = Number(imm);
    const value = checkImm(size, imm);
    // 0xb0+r ib / 0xb8+r iw / 0xb8+r id: the register lives in the opcode's low bits.
    this.prefix(P(size));
    this.rex(false, 0, 0, dst, size === 8 && dst >= 4 && dst < 8);
    this.buffer.emit8((size === 8 ? 0xb0 : 0xb8) | (dst & 7));
    this.immediate(size, value);
  }

  /**
   * 64-bit `mov dst, imm` given as 32-bit halves (no bigint on hot paths), shortest form first:
   * `mov r32, imm32` when the high half is 0 (writes zero-extend), `mov r64, simm32` (0xc7 /0)
   * when the value is a sign-extended int32, else the 10-byte `movabs`.
   */
  movRI64(dst: Gpr, lo: number, hi: number): void {
    lo >>>= 0;
    hi |= 0;
    if (hi === 0) {
      this.rex(false, 0, 0, dst, false);
      this.buffer.emit8(0xb8 | (dst & 7));
      this.buffer.emit32(lo);
    } else if (hi === -1 && lo >= 0x8000_0000) {
      this.encodeRR(0, 0xc7, true, 0, dst);
      this.buffer.emit32(lo);
    } else {
      this.movabsRI(dst, lo, hi);
    }
  }

  /** `movabs dst, imm64` (REX.W 0xb8+r io), always 10 bytes: patchable. */
  movabsRI(dst: Gpr, lo: number, hi: number): void {
    this.rex(true, 0, 0, dst, false);
    this.buffer.emit8(0xb8 | (dst & 7));
    this.buffer.emit64(lo, hi);
  }

  /** `movabs dst, <address of target>`, left as an `Abs64` relocation for the runtime to fill. */
  movabsRReloc(dst: Gpr, target: RelocTarget, index: number, addend = 0): void {
    this.rex(true, 0, 0, dst, false);
    this.buffer.emit8(0xb8 | (dst & 7));
    this.buffer.addRelocation(this.buffer.length, RelocKind.Abs64, target, index, addend);
    this.buffer.emit64(0, 0);
  }

  /** Store an immediate: `mov [mem], imm` (0xc6 /0 ib, 0xc7 /0 iw/id; sign-extended at 64 bits). */
  movMI(size: OperandSize, mem: Mem, imm: number): void {
    const value = checkImm(size, imm);
    this.encodeRM(P(size), size === 8 ? 0xc6 : 0xc7, W(size), 0, mem, false, size === 8 ? 1 : size === 16 ? 2 : 4);
    this.immediate(size, value);
  }

  /** `lea dst, [mem]`: the address itself, no memory access. */
  leaRM(size: OperandSize, dst: Gpr, mem: Mem): void {
    if (size === 8) throw new AssemblerError('lea has no 8-bit form');
    this.encodeRM(P(size), 0x8d, W(size), dst, mem);
  }

  // --- zero and sign extension ----------------------------------------------------------------

  /** `movzx dst, src` from a `from`-bit register (8 or 16) to a `to`-bit one (16, 32 or 64). */
  movzxRR(from: 8 | 16, to: OperandSize, dst: Gpr, src: Gpr): void {
    this.encodeRR(P(to), from === 8 ? 0x0fb6 : 0x0fb7, W(to), dst, src, from === 8 ? BYTE_RM : 0);
  }

  movzxRM(from: 8 | 16, to: OperandSize, dst: Gpr, mem: Mem): void {
    this.encodeRM(P(to), from === 8 ? 0x0fb6 : 0x0fb7, W(to), dst, mem);
  }

  /** `movsx dst, src` from 8 or 16 bits. */
  movsxRR(from: 8 | 16, to: OperandSize, dst: Gpr, src: Gpr): void {
    this.encodeRR(P(to), from === 8 ? 0x0fbe : 0x0fbf, W(to), dst, src, from === 8 ? BYTE_RM : 0);
  }

  movsxRM(from: 8 | 16, to: OperandSize, dst: Gpr, mem: Mem): void {
    this.encodeRM(P(to), from === 8 ? 0x0fbe : 0x0fbf, W(to), dst, mem);
  }

  /** `movsxd dst64, src32` (REX.W 0x63). */
  movsxdRR(dst: Gpr, src: Gpr): void {
    this.encodeRR(0, 0x63, true, dst, src);
  }

  movsxdRM(dst: Gpr, mem: Mem): void {
    this.encodeRM(0, 0x63, true, dst, mem);
  }

  // --- stack ------------------------------------------------------------------------------------

  pushR(reg: Gpr): void {
    this.rex(false, 0, 0, reg, false);
    this.buffer.emit8(0x50 | (reg & 7));
  }

  /** `push imm` (0x6a ib or 0x68 id), sign-extended to 64 bits. */
  pushI(imm: number): void {
    const value = checkImm(64, imm);
    if (isInt8(value)) {
      this.buffer.emit8(0x6a);
      this.buffer.emit8(value);
    } else {
      this.buffer.emit8(0x68);
      this.buffer.emit32(value);
    }
  }

  pushM(mem: Mem): void {
    this.encodeRM(0, 0xff, false, 6, mem);
  }

  popR(reg: Gpr): void {
    this.rex(false, 0, 0, reg, false);
    this.buffer.emit8(0x58 | (reg & 7));
  }

  popM(mem: Mem): void {
    this.encodeRM(0, 0x8f, false, 0, mem);
  }

  // --- conditional set and move ---------------------------------------------------------------

  /** `setcc dst8`: 1 in the low byte of dst when `cond` holds, else 0 (upper bits unchanged). */
  setccR(cond: Cond, dst: Gpr): void {
    this.encodeRR(0, 0x0f90 | cond, false, 0, dst, BYTE_RM);
  }

  setccM(cond: Cond, mem: Mem): void {
    this.encodeRM(0, 0x0f90 | cond, false, 0, mem);
  }

  /** `cmovcc dst, src` (16/32/64 bits). A 32-bit cmov zero-extends dst even when not taken. */
  cmovccRR(cond: Cond, size: OperandSize, dst: Gpr, src: Gpr): void {
    if (size === 8) throw new AssemblerError('cmovcc has no 8-bit form');
    this.encodeRR(P(size), 0x0f40 | cond, W(size), dst, src);
  }

  cmovccRM(cond: Cond, size: OperandSize, dst: Gpr, mem: Mem): void {
    if (size === 8) throw new AssemblerError('cmovcc has no 8-bit form');
    this.encodeRM(P(size), 0x0f40 | cond, W(size), dst, mem);
  }
}
