// Integer instructions: the eight ALU operations, test, unary not/neg/inc/dec, shifts and rotates,
// multiplication and division, sign extension of rax into rdx, and bit counting.
// Intel SDM Vol. 2A/2B, instruction pages ADD…XOR, TEST, NOT, NEG, INC, DEC, SAL/SAR/SHL/SHR,
// RCL/RCR/ROL/ROR, MUL, IMUL, DIV, IDIV, CWD/CDQ/CQO, LZCNT, TZCNT, POPCNT, BSF, BSR.

import { BYTE_REG, BYTE_RM, Encoder, AssemblerError, checkImm, isInt8 } from './encoding.ts';
import type { Mem, OperandSize } from './operands.ts';
import type { Gpr } from './registers.ts';

/** The eight classic ALU operations, numbered by their opcode-extension (/digit). */
export const AluOp = { Add: 0, Or: 1, Adc: 2, Sbb: 3, And: 4, Sub: 5, Xor: 6, Cmp: 7 } as const;
export type AluOp = (typeof AluOp)[keyof typeof AluOp];

/** Shifts and rotates, numbered by their opcode-extension (/digit); /6 is an undocumented alias of shl. */
export const ShiftOp = { Rol: 0, Ror: 1, Rcl: 2, Rcr: 3, Shl: 4, Shr: 5, Sar: 7 } as const;
export type ShiftOp = (typeof ShiftOp)[keyof typeof ShiftOp];

const W = (size: OperandSize): boolean => size === 64;
const P = (size: OperandSize): number => (size === 16 ? 0x66 : 0);
const BYTES = (size: OperandSize): number => (size === 8 ? 1 : size === 16 ? 2 : 4);

function checkNotByte(size: OperandSize, what: string): void {
  if (size === 8) throw new AssemblerError(`${what} has no 8-bit form`);
}

export class IntegerAssembler extends Encoder {
  // --- ALU: add, or, adc, sbb, and, sub, xor, cmp -------------------------------------------

  /** `op dst, src` (opcode op*8+1, or +0 for bytes; src in ModRM.reg). */
  aluRR(op: AluOp, size: OperandSize, dst: Gpr, src: Gpr): void {
    this.encodeRR(P(size), op * 8 + (size === 8 ? 0 : 1), W(size), src, dst, size === 8 ? BYTE_REG | BYTE_RM : 0);
  }

  /** `op dst, [mem]` (opcode op*8+3, or +2 for bytes). */
  aluRM(op: AluOp, size: OperandSize, dst: Gpr, mem: Mem): void {
    this.encodeRM(P(size), op * 8 + (size === 8 ? 2 : 3), W(size), dst, mem, size === 8);
  }

  /** `op [mem], src` (opcode op*8+1, or +0 for bytes). */
  aluMR(op: AluOp, size: OperandSize, mem: Mem, src: Gpr): void {
    this.encodeRM(P(size), op * 8 + (size === 8 ? 0 : 1), W(size), src, mem, size === 8);
  }

  /** `op dst, imm`: 0x83 /op ib when the immediate fits a sign-extended byte, else 0x81 /op iw/id. */
  aluRI(op: AluOp, size: OperandSize, dst: Gpr, imm: number): void {
    const value = checkImm(size, imm);
    if (size === 8) {
      this.encodeRR(0, 0x80, false, op, dst, BYTE_RM);
      this.buffer.emit8(value);
    } else if (isInt8(value)) {
      this.encodeRR(P(size), 0x83, W(size), op, dst);
      this.buffer.emit8(value);
    } else {
      this.encodeRR(P(size), 0x81, W(size), op, dst);
      this.immediate(size, value);
    }
  }

  /** `op [mem], imm`, with the same short-immediate choice as `aluRI`. */
  aluMI(op: AluOp, size: OperandSize, mem: Mem, imm: number): void {
    const value = checkImm(size, imm);
    if (size === 8) {
      this.encodeRM(0, 0x80, false, op, mem, false, 1);
      this.buffer.emit8(value);
    } else if (isInt8(value)) {
      this.encodeRM(P(size), 0x83, W(size), op, mem, false, 1);
      this.buffer.emit8(value);
    } else {
      this.encodeRM(P(size), 0x81, W(size), op, mem, false, BYTES(size));
      this.immediate(size, value);
    }
  }

  addRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.Add, size, dst, src); }
  addRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.Add, size, dst, imm); }
  addRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.Add, size, dst, mem); }
  addMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.Add, size, mem, src); }
  addMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.Add, size, mem, imm); }
  orRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.Or, size, dst, src); }
  orRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.Or, size, dst, imm); }
  orRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.Or, size, dst, mem); }
  orMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.Or, size, mem, src); }
  orMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.Or, size, mem, imm); }
  adcRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.Adc, size, dst, src); }
  adcRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.Adc, size, dst, imm); }
  adcRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.Adc, size, dst, mem); }
  adcMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.Adc, size, mem, src); }
  adcMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.Adc, size, mem, imm); }
  sbbRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.Sbb, size, dst, src); }
  sbbRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.Sbb, size, dst, imm); }
  sbbRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.Sbb, size, dst, mem); }
  sbbMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.Sbb, size, mem, src); }
  sbbMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.Sbb, size, mem, imm); }
  andRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.And, size, dst, src); }
  andRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.And, size, dst, imm); }
  andRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.And, size, dst, mem); }
  andMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.And, size, mem, src); }
  andMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.And, size, mem, imm); }
  subRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.Sub, size, dst, src); }
  subRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.Sub, size, dst, imm); }
  subRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.Sub, size, dst, mem); }
  subMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.Sub, size, mem, src); }
  subMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.Sub, size, mem, imm); }
  xorRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.Xor, size, dst, src); }
  xorRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.Xor, size, dst, imm); }
  xorRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.Xor, size, dst, mem); }
  xorMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.Xor, size, mem, src); }
  xorMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.Xor, size, mem, imm); }
  cmpRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.aluRR(AluOp.Cmp, size, dst, src); }
  cmpRI(size: OperandSize, dst: Gpr, imm: number): void { this.aluRI(AluOp.Cmp, size, dst, imm); }
  cmpRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.aluRM(AluOp.Cmp, size, dst, mem); }
  cmpMR(size: OperandSize, mem: Mem, src: Gpr): void { this.aluMR(AluOp.Cmp, size, mem, src); }
  cmpMI(size: OperandSize, mem: Mem, imm: number): void { this.aluMI(AluOp.Cmp, size, mem, imm); }

  // --- test -------------------------------------------------------------------------------

  testRR(size: OperandSize, dst: Gpr, src: Gpr): void {
    this.encodeRR(P(size), size === 8 ? 0x84 : 0x85, W(size), src, dst, size === 8 ? BYTE_REG | BYTE_RM : 0);
  }

  testMR(size: OperandSize, mem: Mem, src: Gpr): void {
    this.encodeRM(P(size), size === 8 ? 0x84 : 0x85, W(size), src, mem, size === 8);
  }

  /** `test dst, imm` (0xf7 /0; there is no sign-extended imm8 form). */
  testRI(size: OperandSize, dst: Gpr, imm: number): void {
    const value = checkImm(size, imm);
    this.encodeRR(P(size), size === 8 ? 0xf6 : 0xf7, W(size), 0, dst, size === 8 ? BYTE_RM : 0);
    this.immediate(size, value);
  }

  testMI(size: OperandSize, mem: Mem, imm: number): void {
    const value = checkImm(size, imm);
    this.encodeRM(P(size), size === 8 ? 0xf6 : 0xf7, W(size), 0, mem, false, BYTES(size));
    this.immediate(size, value);
  }

  // --- one-operand group 3 (0xf6/0xf7) and group 4/5 (0xfe/0xff) ---------------------------

  private group3R(digit: number, size: OperandSize, reg: Gpr): void {
    this.encodeRR(P(size), size === 8 ? 0xf6 : 0xf7, W(size), digit, reg, size === 8 ? BYTE_RM : 0);
  }

  private group3M(digit: number, size: OperandSize, mem: Mem): void {
    this.encodeRM(P(size), size === 8 ? 0xf6 : 0xf7, W(size), digit, mem);
  }

  notR(size: OperandSize, reg: Gpr): void { this.group3R(2, size, reg); }
  notM(size: OperandSize, mem: Mem): void { this.group3M(2, size, mem); }
  negR(size: OperandSize, reg: Gpr): void { this.group3R(3, size, reg); }
  negM(size: OperandSize, mem: Mem): void { this.group3M(3, size, mem); }
  /** Unsigned rdx:rax = rax * src (al/ax/eax forms at smaller sizes). */
  mulR(size: OperandSize, src: Gpr): void { this.group3R(4, size, src); }
  mulM(size: OperandSize, mem: Mem): void { this.group3M(4, size, mem); }
  /** Signed rdx:rax = rax * src (one-operand form). */
  imulR(size: OperandSize, src: Gpr): void { this.group3R(5, size, src); }
  imulM(size: OperandSize, mem: Mem): void { this.group3M(5, size, mem); }
  /** Unsigned divide of rdx:rax by src: quotient in rax, remainder in rdx. */
  divR(size: OperandSize, src: Gpr): void { this.group3R(6, size, src); }
  divM(size: OperandSize, mem: Mem): void { this.group3M(6, size, mem); }
  /** Signed divide of rdx:rax by src: quotient in rax, remainder in rdx. */
  idivR(size: OperandSize, src: Gpr): void { this.group3R(7, size, src); }
  idivM(size: OperandSize, mem: Mem): void { this.group3M(7, size, mem); }

  incR(size: OperandSize, reg: Gpr): void {
    this.encodeRR(P(size), size === 8 ? 0xfe : 0xff, W(size), 0, reg, size === 8 ? BYTE_RM : 0);
  }
  incM(size: OperandSize, mem: Mem): void { this.encodeRM(P(size), size === 8 ? 0xfe : 0xff, W(size), 0, mem); }
  decR(size: OperandSize, reg: Gpr): void {
    this.encodeRR(P(size), size === 8 ? 0xfe : 0xff, W(size), 1, reg, size === 8 ? BYTE_RM : 0);
  }
  decM(size: OperandSize, mem: Mem): void { this.encodeRM(P(size), size === 8 ? 0xfe : 0xff, W(size), 1, mem); }

  // --- two- and three-operand imul ----------------------------------------------------------

  /** `imul dst, src` (0x0f 0xaf): dst = low half of dst * src. */
  imulRR(size: OperandSize, dst: Gpr, src: Gpr): void {
    checkNotByte(size, 'imul r, r/m');
    this.encodeRR(P(size), 0x0faf, W(size), dst, src);
  }

  imulRM(size: OperandSize, dst: Gpr, mem: Mem): void {
    checkNotByte(size, 'imul r, r/m');
    this.encodeRM(P(size), 0x0faf, W(size), dst, mem);
  }

  /** `imul dst, src, imm`: 0x6b with a sign-extended imm8 when it fits, else 0x69 iw/id. */
  imulRRI(size: OperandSize, dst: Gpr, src: Gpr, imm: number): void {
    checkNotByte(size, 'imul r, r/m, imm');
    const value = checkImm(size, imm);
    const short = isInt8(value);
    this.encodeRR(P(size), short ? 0x6b : 0x69, W(size), dst, src);
    this.immediate(short ? 8 : size, value);
  }

  imulRMI(size: OperandSize, dst: Gpr, mem: Mem, imm: number): void {
    checkNotByte(size, 'imul r, r/m, imm');
    const value = checkImm(size, imm);
    const short = isInt8(value);
    this.encodeRM(P(size), short ? 0x6b : 0x69, W(size), dst, mem, false, short ? 1 : BYTES(size));
    this.immediate(short ? 8 : size, value);
  }

  // --- sign extension of the accumulator into rdx -------------------------------------------

  /** dx:ax = sign-extend ax. */
  cwd(): void { this.buffer.emit8(0x66); this.buffer.emit8(0x99); }
  /** edx:eax = sign-extend eax (before a 32-bit idiv). */
  cdq(): void { this.buffer.emit8(0x99); }
  /** rdx:rax = sign-extend rax (before a 64-bit idiv). */
  cqo(): void { this.buffer.emit8(0x48); this.buffer.emit8(0x99); }

  // --- shifts and rotates -------------------------------------------------------------------

  /** `op dst, imm`: the one-byte-shorter 0xd1 form for a count of 1, else 0xc1 ib. */
  shiftRI(op: ShiftOp, size: OperandSize, dst: Gpr, imm: number): void {
    if (!(Number.isInteger(imm) && imm >= 0 && imm <= 255)) throw new AssemblerError(`shift count ${imm} is not a byte`);
    const byteRm = size === 8 ? BYTE_RM : 0;
    if (imm === 1) {
      this.encodeRR(P(size), size === 8 ? 0xd0 : 0xd1, W(size), op, dst, byteRm);
    } else {
      this.encodeRR(P(size), size === 8 ? 0xc0 : 0xc1, W(size), op, dst, byteRm);
      this.buffer.emit8(imm);
    }
  }

  /** `op dst, cl`. */
  shiftRCl(op: ShiftOp, size: OperandSize, dst: Gpr): void {
    this.encodeRR(P(size), size === 8 ? 0xd2 : 0xd3, W(size), op, dst, size === 8 ? BYTE_RM : 0);
  }

  shiftMI(op: ShiftOp, size: OperandSize, mem: Mem, imm: number): void {
    if (!(Number.isInteger(imm) && imm >= 0 && imm <= 255)) throw new AssemblerError(`shift count ${imm} is not a byte`);
    if (imm === 1) {
      this.encodeRM(P(size), size === 8 ? 0xd0 : 0xd1, W(size), op, mem);
    } else {
      this.encodeRM(P(size), size === 8 ? 0xc0 : 0xc1, W(size), op, mem, false, 1);
      this.buffer.emit8(imm);
    }
  }

  shiftMCl(op: ShiftOp, size: OperandSize, mem: Mem): void {
    this.encodeRM(P(size), size === 8 ? 0xd2 : 0xd3, W(size), op, mem);
  }

  shlRI(size: OperandSize, dst: Gpr, imm: number): void { this.shiftRI(ShiftOp.Shl, size, dst, imm); }
  shlRCl(size: OperandSize, dst: Gpr): void { this.shiftRCl(ShiftOp.Shl, size, dst); }
  shrRI(size: OperandSize, dst: Gpr, imm: number): void { this.shiftRI(ShiftOp.Shr, size, dst, imm); }
  shrRCl(size: OperandSize, dst: Gpr): void { this.shiftRCl(ShiftOp.Shr, size, dst); }
  sarRI(size: OperandSize, dst: Gpr, imm: number): void { this.shiftRI(ShiftOp.Sar, size, dst, imm); }
  sarRCl(size: OperandSize, dst: Gpr): void { this.shiftRCl(ShiftOp.Sar, size, dst); }
  rolRI(size: OperandSize, dst: Gpr, imm: number): void { this.shiftRI(ShiftOp.Rol, size, dst, imm); }
  rolRCl(size: OperandSize, dst: Gpr): void { this.shiftRCl(ShiftOp.Rol, size, dst); }
  rorRI(size: OperandSize, dst: Gpr, imm: number): void { this.shiftRI(ShiftOp.Ror, size, dst, imm); }
  rorRCl(size: OperandSize, dst: Gpr): void { this.shiftRCl(ShiftOp.Ror, size, dst); }

  // --- bit counting (16/32/64-bit) ----------------------------------------------------------

  // The operand-size prefix goes before the mandatory 0xf3 (which must sit next to REX/opcode).
  private bitCountRR(prefix: number, opcode: number, size: OperandSize, dst: Gpr, src: Gpr): void {
    checkNotByte(size, 'bit counting');
    this.encodeRR(size !== 16 ? prefix : prefix === 0 ? 0x66 : 0x6600 | prefix, opcode, W(size), dst, src);
  }

  private bitCountRM(prefix: number, opcode: number, size: OperandSize, dst: Gpr, mem: Mem): void {
    checkNotByte(size, 'bit counting');
    this.encodeRM(size !== 16 ? prefix : prefix === 0 ? 0x66 : 0x6600 | prefix, opcode, W(size), dst, mem);
  }

  /** Count of leading zeros; the operand size when src is 0 (LZCNT extension). */
  lzcntRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.bitCountRR(0xf3, 0x0fbd, size, dst, src); }
  lzcntRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.bitCountRM(0xf3, 0x0fbd, size, dst, mem); }
  /** Count of trailing zeros; the operand size when src is 0 (BMI1). */
  tzcntRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.bitCountRR(0xf3, 0x0fbc, size, dst, src); }
  tzcntRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.bitCountRM(0xf3, 0x0fbc, size, dst, mem); }
  popcntRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.bitCountRR(0xf3, 0x0fb8, size, dst, src); }
  popcntRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.bitCountRM(0xf3, 0x0fb8, size, dst, mem); }
  /** Index of the lowest set bit; dst undefined and ZF set when src is 0. */
  bsfRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.bitCountRR(0, 0x0fbc, size, dst, src); }
  bsfRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.bitCountRM(0, 0x0fbc, size, dst, mem); }
  /** Index of the highest set bit; dst undefined and ZF set when src is 0. */
  bsrRR(size: OperandSize, dst: Gpr, src: Gpr): void { this.bitCountRR(0, 0x0fbd, size, dst, src); }
  bsrRM(size: OperandSize, dst: Gpr, mem: Mem): void { this.bitCountRM(0, 0x0fbd, size, dst, mem); }
}
