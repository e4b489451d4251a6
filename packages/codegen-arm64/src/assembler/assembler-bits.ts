// Bit manipulation: bitfield moves and their aliases (lsl/lsr/asr/ubfx/sbfx/bfi/uxtb/sxtw...),
// extract/rotate, shifts by register, and bit counting/reversal (clz, cls, rbit, rev).
// Arm ARM (DDI 0487) C6.2 (UBFM, SBFM, BFM, EXTR, LSLV, CLZ, RBIT, REV).
// https://developer.arm.com/documentation/ddi0487

import {
  Bitfield,
  OneSource,
  TwoSource,
  checkField,
  encBitfield,
  encExtr,
  encOneSource,
  encTwoSource,
} from './encode-integer.ts';
import { invalidOperand } from './errors.ts';
import { Gpr } from './registers.ts';
import type { RegSize } from './registers.ts';
import { ArithmeticAssembler } from './assembler-arithmetic.ts';

export class BitAssembler extends ArithmeticAssembler {
  // --- bitfield and shifts --------------------------------------------------------------------

  sbfmRRII(size: RegSize, rd: Gpr, rn: Gpr, immr: number, imms: number): void {
    this.emit(encBitfield(Bitfield.sbfm, size, rd, rn, immr, imms));
  }
  bfmRRII(size: RegSize, rd: Gpr, rn: Gpr, immr: number, imms: number): void {
    this.emit(encBitfield(Bitfield.bfm, size, rd, rn, immr, imms));
  }
  ubfmRRII(size: RegSize, rd: Gpr, rn: Gpr, immr: number, imms: number): void {
    this.emit(encBitfield(Bitfield.ubfm, size, rd, rn, immr, imms));
  }
  lslRRI(size: RegSize, rd: Gpr, rn: Gpr, shift: number): void {
    const s = this.shiftAmount(size, shift, 'lsl');
    this.emit(encBitfield(Bitfield.ubfm, size, rd, rn, (size - s) % size, size - 1 - s));
  }
  lsrRRI(size: RegSize, rd: Gpr, rn: Gpr, shift: number): void {
    this.emit(encBitfield(Bitfield.ubfm, size, rd, rn, this.shiftAmount(size, shift, 'lsr'), size - 1));
  }
  asrRRI(size: RegSize, rd: Gpr, rn: Gpr, shift: number): void {
    this.emit(encBitfield(Bitfield.sbfm, size, rd, rn, this.shiftAmount(size, shift, 'asr'), size - 1));
  }
  rorRRI(size: RegSize, rd: Gpr, rn: Gpr, shift: number): void {
    this.emit(encExtr(size, rd, rn, rn, this.shiftAmount(size, shift, 'ror')));
  }
  /** rd = bits rn:rm (rm low) starting at `lsb`. */
  extrRRRI(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr, lsb: number): void {
    this.emit(encExtr(size, rd, rn, rm, lsb));
  }
  /** Zero-extends the `width` bits of rn at `lsb` into rd. */
  ubfxRRII(size: RegSize, rd: Gpr, rn: Gpr, lsb: number, width: number): void {
    checkField(size, lsb, width, 'ubfx');
    this.emit(encBitfield(Bitfield.ubfm, size, rd, rn, lsb, lsb + width - 1));
  }
  sbfxRRII(size: RegSize, rd: Gpr, rn: Gpr, lsb: number, width: number): void {
    checkField(size, lsb, width, 'sbfx');
    this.emit(encBitfield(Bitfield.sbfm, size, rd, rn, lsb, lsb + width - 1));
  }
  /** rd = (low `width` bits of rn) << lsb, zero elsewhere. */
  ubfizRRII(size: RegSize, rd: Gpr, rn: Gpr, lsb: number, width: number): void {
    checkField(size, lsb, width, 'ubfiz');
    this.emit(encBitfield(Bitfield.ubfm, size, rd, rn, (size - lsb) % size, width - 1));
  }
  sbfizRRII(size: RegSize, rd: Gpr, rn: Gpr, lsb: number, width: number): void {
    checkField(size, lsb, width, 'sbfiz');
    this.emit(encBitfield(Bitfield.sbfm, size, rd, rn, (size - lsb) % size, width - 1));
  }
  /** Inserts the low `width` bits of rn into rd at `lsb`, keeping rd's other bits. */
  bfiRRII(size: RegSize, rd: Gpr, rn: Gpr, lsb: number, width: number): void {
    checkField(size, lsb, width, 'bfi');
    this.emit(encBitfield(Bitfield.bfm, size, rd, rn, (size - lsb) % size, width - 1));
  }
  /** Copies the `width` bits of rn at `lsb` into the low bits of rd, keeping rd's other bits. */
  bfxilRRII(size: RegSize, rd: Gpr, rn: Gpr, lsb: number, width: number): void {
    checkField(size, lsb, width, 'bfxil');
    this.emit(encBitfield(Bitfield.bfm, size, rd, rn, lsb, lsb + width - 1));
  }
  /** Zero-extends the low byte (w form; the result is zero-extended to x as any w write). */
  uxtbRR(rd: Gpr, rn: Gpr): void {
    this.emit(encBitfield(Bitfield.ubfm, 32, rd, rn, 0, 7));
  }
  uxthRR(rd: Gpr, rn: Gpr): void {
    this.emit(encBitfield(Bitfield.ubfm, 32, rd, rn, 0, 15));
  }
  sxtbRR(size: RegSize, rd: Gpr, rn: Gpr): void {
    this.emit(encBitfield(Bitfield.sbfm, size, rd, rn, 0, 7));
  }
  sxthRR(size: RegSize, rd: Gpr, rn: Gpr): void {
    this.emit(encBitfield(Bitfield.sbfm, size, rd, rn, 0, 15));
  }
  /** Sign-extends the w register rn into the x register rd. */
  sxtwRR(rd: Gpr, rn: Gpr): void {
    this.emit(encBitfield(Bitfield.sbfm, 64, rd, rn, 0, 31));
  }

  /** Shifts by a register: the amount is rm modulo the operand size (as Wasm requires). */
  lslRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encTwoSource(TwoSource.lslv, size, rd, rn, rm));
  }
  lsrRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encTwoSource(TwoSource.lsrv, size, rd, rn, rm));
  }
  asrRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encTwoSource(TwoSource.asrv, size, rd, rn, rm));
  }
  rorRRR(size: RegSize, rd: Gpr, rn: Gpr, rm: Gpr): void {
    this.emit(encTwoSource(TwoSource.rorv, size, rd, rn, rm));
  }

  private shiftAmount(size: RegSize, shift: number, what: string): number {
    if (Number.isInteger(shift) && shift >= 0 && shift < size) return shift;
    throw invalidOperand(`${what}: shift ${String(shift)} is outside 0..${size - 1}`);
  }

  // --- bit counting and reversal --------------------------------------------------------------

  clzRR(size: RegSize, rd: Gpr, rn: Gpr): void {
    this.emit(encOneSource(OneSource.clz, size, rd, rn));
  }
  clsRR(size: RegSize, rd: Gpr, rn: Gpr): void {
    this.emit(encOneSource(OneSource.cls, size, rd, rn));
  }
  rbitRR(size: RegSize, rd: Gpr, rn: Gpr): void {
    this.emit(encOneSource(OneSource.rbit, size, rd, rn));
  }
  /** Reverses the bytes of the whole register. */
  revRR(size: RegSize, rd: Gpr, rn: Gpr): void {
    this.emit(encOneSource(OneSource.rev, size, rd, rn));
  }
  rev16RR(size: RegSize, rd: Gpr, rn: Gpr): void {
    this.emit(encOneSource(OneSource.rev16, size, rd, rn));
  }
  rev32RR(rd: Gpr, rn: Gpr): void {
    this.emit(encOneSource(OneSource.rev32, 64, rd, rn));
  }
}
