// The instruction-encoding core: legacy prefixes, REX, opcode, ModRM, SIB, displacement and the
// x64 fix-up kinds. Every instruction family builds on `Encoder`.
// Intel SDM Vol. 2A, chapter 2 "Instruction Format": §2.1 (prefixes, ModR/M, SIB, displacement),
// §2.2.1 (REX prefixes and the special cases of rsp/r12 and rbp/r13), §2.2.1.6 (RIP-relative addressing).

import { CodeBuffer, CodeBufferError, type FixupPatcher } from '@flint/backend';
import { Mem, NO_REG, type OperandSize } from './operands.ts';

/** Invalid operands given to the assembler: an unencodable register, immediate or address. */
export class AssemblerError extends Error {
  override readonly name = 'AssemblerError';
}

/**
 * Fix-up kinds of the x64 assembler. The field holds an addend that the patcher adds to the
 * label's PC-relative distance. `Rel32 + n` (n = 0..4) is a rel32 field followed by n bytes of
 * immediate: x86 measures the distance from the end of the instruction, not of the field.
 */
export const X64Fixup = {
  /** 1-byte signed distance from the end of the field (short jcc/jmp). */
  Rel8: 0,
  /** 4-byte signed distance from the end of the field (near jcc/jmp/call, RIP-relative operands). */
  Rel32: 1,
} as const;
export type X64Fixup = number;

/** Writes label distances into x64 fix-up fields; pass it to `CodeBuffer` or `finish`. */
export const x64FixupPatcher: FixupPatcher = (buffer, kind, at, target) => {
  if (kind === X64Fixup.Rel8) {
    const rel = target - (at + 1) + ((buffer.readU8(at) << 24) >> 24);
    if (rel < -128 || rel > 127) {
      throw new CodeBufferError(`short branch at offset ${at} cannot reach offset ${target} (distance ${rel})`);
    }
    buffer.patch8(at, rel & 0xff);
    return;
  }
  const trailing = kind - X64Fixup.Rel32;
  if (!(trailing >= 0 && trailing <= 4)) throw new CodeBufferError(`unknown x64 fix-up kind ${kind}`);
  buffer.patch32(at, target - (at + 4 + trailing) + buffer.readI32(at));
};

/** ModRM/REX flags: which operands are byte registers (encodings 4-7 need a REX to mean spl..dil). */
export const BYTE_REG = 1;
export const BYTE_RM = 2;

const REX_W = 0x48;

/** True when `value` is a signed 8-bit integer. */
export function isInt8(value: number): boolean {
  return value >= -128 && value <= 127;
}

/** True when `value` is a signed 32-bit integer. */
export function isInt32(value: number): boolean {
  return value >= -0x8000_0000 && value <= 0x7fff_ffff && Number.isInteger(value);
}

/**
 * Checks that `imm` is representable as an immediate of an operation of `size` bits and returns
 * it sign-extended to a JS int32 (32-bit operations accept unsigned spellings such as 0xffffffff;
 * 64-bit operations sign-extend a 32-bit immediate, so only int32 values are accepted).
 */
export function checkImm(size: OperandSize, imm: number): number {
  if (!Number.isInteger(imm)) throw new AssemblerError(`immediate ${imm} is not an integer`);
  switch (size) {
    case 8:
      if (imm < -128 || imm > 255) break;
      return (imm << 24) >> 24;
    case 16:
      if (imm < -0x8000 || imm > 0xffff) break;
      return (imm << 16) >> 16;
    case 32:
      if (imm < -0x8000_0000 || imm > 0xffff_ffff) break;
      return imm | 0;
    case 64:
      if (!isInt32(imm)) {
        throw new AssemblerError(`immediate ${imm} does not fit the sign-extended imm32 of a 64-bit operation`);
      }
      return imm;
  }
  throw new AssemblerError(`immediate ${imm} does not fit in ${size} bits`);
}

const SCALE_BITS = [-1, 0, 1, -1, 2, -1, -1, -1, 3];

/** The byte-level encoder all instruction families extend. */
export class Encoder {
  readonly buffer: CodeBuffer;

  /** Emits into `buffer`, or into a fresh code buffer that patches with the x64 patcher. */
  constructor(buffer: CodeBuffer = new CodeBuffer({ patcher: x64FixupPatcher })) {
    this.buffer = buffer;
  }

  /** Offset of the next instruction. */
  get offset(): number {
    return this.buffer.length;
  }

  /** Emits one or two prefix bytes packed big-endian (e.g. 0x66, 0xf3, 0x66f3); 0 for none. */
  protected prefix(prefix: number): void {
    if (prefix > 0xff) this.buffer.emit8(prefix >>> 8);
    if (prefix !== 0) this.buffer.emit8(prefix & 0xff);
  }

  /** Emits 1-3 opcode bytes packed big-endian (0x0f, 0x0faf, 0x0f3a0a). */
  protected opcode(opcode: number): void {
    if (opcode > 0xffff) this.buffer.emit8(opcode >>> 16);
    if (opcode > 0xff) this.buffer.emit8((opcode >>> 8) & 0xff);
    this.buffer.emit8(opcode & 0xff);
  }

  /** Emits REX when needed: `w`, the fourth bits of reg/index/base, or a byte register 4-7. */
  protected rex(w: boolean, reg: number, index: number, base: number, forceRex: boolean): void {
    // Every register operand passes here: one check catches contract `Reg`s (class bits set)
    // passed where a hardware encoding belongs, which would otherwise encode a wrong register.
    if ((reg | index | base) >>> 0 > 15) {
      throw new AssemblerError(`invalid register encoding among ${reg}, ${index}, ${base}: expected 0-15`);
    }
    const rex = (w ? REX_W : 0x40) | ((reg & 8) >> 1) | ((index & 8) >> 2) | ((base & 8) >> 3);
    if (rex !== 0x40 || forceRex) this.buffer.emit8(rex);
  }

  protected immediate(size: OperandSize, value: number): void {
    if (size === 8) this.buffer.emit8(value);
    else if (size === 16) this.buffer.emit16(value);
    else this.buffer.emit32(value);
  }

  /** Register-direct form: `prefix REX opcode ModRM(11, reg, rm)`. */
  protected encodeRR(prefix: number, opcode: number, w: boolean, reg: number, rm: number, byteRegs = 0): void {
    const force =
      ((byteRegs & BYTE_REG) !== 0 && reg >= 4 && reg < 8) || ((byteRegs & BYTE_RM) !== 0 && rm >= 4 && rm < 8);
    this.prefix(prefix);
    this.rex(w, reg, 0, rm, force);
    this.opcode(opcode);
    this.buffer.emit8(0xc0 | ((reg & 7) << 3) | (rm & 7));
  }

  /**
   * Memory form: `prefix REX opcode ModRM [SIB] [disp]`. `trailing` is the number of immediate
   * bytes the caller emits after the displacement (RIP-relative distances end there).
   */
  protected encodeRM(prefix: number, opcode: number, w: boolean, reg: number, mem: Mem, byteReg = false, trailing = 0): void {
    const { base, index, disp } = mem;
    if (!isInt32(disp)) throw new AssemblerError(`displacement ${disp} does not fit in 32 bits`);
    const force = byteReg && reg >= 4 && reg < 8;
    this.prefix(prefix);
    const rexIndex = index === NO_REG ? 0 : index;
    const rexBase = base === NO_REG ? 0 : base;
    this.rex(w, reg, rexIndex, rexBase, force);
    this.opcode(opcode);
    this.modrmMem(reg, mem, trailing);
  }

  /** ModRM, SIB and displacement for `mem` with `reg` in the ModRM reg field. */
  protected modrmMem(reg: number, mem: Mem, trailing: number): void {
    const buf = this.buffer;
    const { base, index, disp } = mem;
    const regBits = (reg & 7) << 3;
    if (mem.label >= 0) {
      // mod=00 rm=101: RIP-relative disp32; the addend travels in the field.
      buf.emit8(regBits | 0b101);
      const at = buf.length;
      buf.emit32(disp);
      buf.addFixup(mem.label, at, X64Fixup.Rel32 + trailing);
      return;
    }
    let scaleBits = 0;
    if (index !== NO_REG) {
      if (index === 4) throw new AssemblerError('rsp cannot be an index register');
      scaleBits = SCALE_BITS[mem.scale] ?? -1;
      if (scaleBits < 0) throw new AssemblerError(`scale must be 1, 2, 4 or 8, got ${mem.scale as number}`);
    }
    if (base === NO_REG) {
      // mod=00 rm=100 with SIB base=101: [index*scale + disp32] or, with index=100, [disp32].
      // (mod=00 rm=101 without SIB would be RIP-relative in 64-bit mode.)
      buf.emit8(regBits | 0b100);
      buf.emit8((scaleBits << 6) | (((index === NO_REG ? 4 : index) & 7) << 3) | 0b101);
      buf.emit32(disp);
      return;
    }
    // rbp/r13 as a base have no mod=00 form (that encoding means disp32/RIP), so they take a disp8 of 0.
    const mod = disp === 0 && (base & 7) !== 5 ? 0b00 : isInt8(disp) ? 0b01 : 0b10;
    if (index !== NO_REG || (base & 7) === 4) {
      // rsp/r12 as a base need a SIB byte (rm=100 means "SIB follows"); index=100 means none.
      buf.emit8((mod << 6) | regBits | 0b100);
      buf.emit8((scaleBits << 6) | (((index === NO_REG ? 4 : index) & 7) << 3) | (base & 7));
    } else {
      buf.emit8((mod << 6) | regBits | (base & 7));
    }
    if (mod === 0b01) buf.emit8(disp);
    else if (mod === 0b10) buf.emit32(disp);
  }

  /** The operand-size prefix for integer operations: 0x66 at 16 bits. */
  protected static sizePrefix(size: OperandSize): number {
    return size === 16 ? 0x66 : 0;
  }
}
