// Packed SIMD instructions in their legacy SSE encodings (SSE … SSE4.2): the table-driven forms
// of `SimdOp` (`simdRR`, `simdRM`, `simdRRI`, `simdRMI`), and the forms whose operands do not
// fit that shape — lane inserts and extracts between xmm and general registers or memory, sign
// masks, immediate-count shifts and 128-bit stores.
// Intel SDM Vol. 2A §2.1 (legacy prefixes, REX, ModRM) and the instruction pages of PINSRB/D/Q,
// PINSRW, PEXTRB/D/Q, PEXTRW, PMOVMSKB, MOVMSKPS/PD, PSLLW…PSRLDQ (immediate forms), MOVDQU,
// MOVQ, MOVD.
//
// Legacy SSE memory operands of 128 bits must be 16-byte aligned, except those of the unaligned
// moves (`movdqu`, `movups`): the MacroAssembler only gives other instructions constant-pool
// operands, which the code buffer aligns.

import { AssemblerError } from './encoding.ts';
import type { Mem } from './operands.ts';
import type { Gpr, Xmm } from './registers.ts';
import { SseAssembler } from './sse.ts';
import { type SimdOp, type SimdShiftOp, hasImm, legacyOpcodeOf, legacyPrefixOf, wOf } from './simd-ops.ts';

/** Lane widths of the insert/extract instructions, in bits. */
export type LaneBits = 8 | 16 | 32 | 64;

/** The sign-mask extractions: one bit per lane into a general register. */
export const MoveMaskOp = {
  /** `66 0F D7`: one bit per byte. */
  pmovmskb: 0x66_0fd7,
  /** `0F 50`: one bit per 32-bit lane. */
  movmskps: 0x00_0f50,
  /** `66 0F 50`: one bit per 64-bit lane. */
  movmskpd: 0x66_0f50,
} as const;
export type MoveMaskOp = (typeof MoveMaskOp)[keyof typeof MoveMaskOp];

export function checkLane(bits: LaneBits, lane: number): void {
  const lanes = 128 / bits;
  if (!(Number.isInteger(lane) && lane >= 0 && lane < lanes)) throw new AssemblerError(`lane ${lane} out of range for ${bits}-bit lanes`);
}

function checkImm8(imm: number): void {
  if (!(Number.isInteger(imm) && imm >= 0 && imm <= 0xff)) throw new AssemblerError(`imm8 ${imm} is not in 0..255`);
}

export class SimdAssembler extends SseAssembler {
  // --- table-driven forms ---------------------------------------------------------------------

  /** `op dst, src` (dst is also the first source unless the op is unary). */
  simdRR(op: SimdOp, dst: Xmm, src: Xmm): void {
    if (hasImm(op)) throw new AssemblerError('this instruction takes an imm8: use simdRRI');
    this.encodeRR(legacyPrefixOf(op), legacyOpcodeOf(op), wOf(op), dst, src);
  }

  /** `op dst, [mem]`; the memory width is the instruction's (see `memBitsOf`). */
  simdRM(op: SimdOp, dst: Xmm, mem: Mem): void {
    if (hasImm(op)) throw new AssemblerError('this instruction takes an imm8: use simdRMI');
    this.encodeRM(legacyPrefixOf(op), legacyOpcodeOf(op), wOf(op), dst, mem);
  }

  simdRRI(op: SimdOp, dst: Xmm, src: Xmm, imm: number): void {
    if (!hasImm(op)) throw new AssemblerError('this instruction takes no imm8: use simdRR');
    checkImm8(imm);
    this.encodeRR(legacyPrefixOf(op), legacyOpcodeOf(op), wOf(op), dst, src);
    this.buffer.emit8(imm);
  }

  simdRMI(op: SimdOp, dst: Xmm, mem: Mem, imm: number): void {
    if (!hasImm(op)) throw new AssemblerError('this instruction takes no imm8: use simdRM');
    checkImm8(imm);
    this.encodeRM(legacyPrefixOf(op), legacyOpcodeOf(op), wOf(op), dst, mem, false, 1);
    this.buffer.emit8(imm);
  }

  /** `psllw/pslld/… dst, imm` (`66 0F 71/72/73 /digit ib`): shift every lane by a constant. */
  simdShiftRI(op: SimdShiftOp, dst: Xmm, imm: number): void {
    checkImm8(imm);
    this.encodeRR(0x66, 0x0f00 | (op & 0xff), false, op >>> 8, dst);
    this.buffer.emit8(imm);
  }

  // --- moves of 128 and 64 bits -----------------------------------------------------------------

  /** Store: `movdqu [mem], src` (no alignment requirement). */
  movdquMR(mem: Mem, src: Xmm): void {
    this.encodeRM(0xf3, 0x0f7f, false, src, mem);
  }

  /** Store of the low 64 bits: `movq [mem], src` (`66 0F D6`). */
  movqMR(mem: Mem, src: Xmm): void {
    this.encodeRM(0x66, 0x0fd6, false, src, mem);
  }

  /** Store of the low 32 bits: `movd [mem], src` (`66 0F 7E`). */
  movdMR(mem: Mem, src: Xmm): void {
    this.encodeRM(0x66, 0x0f7e, false, src, mem);
  }

  /** Load of 32 bits into the low lane, upper lanes zeroed: `movd dst, [mem]` (`66 0F 6E`). */
  movdRM(dst: Xmm, mem: Mem): void {
    this.encodeRM(0x66, 0x0f6e, false, dst, mem);
  }

  // --- lanes ------------------------------------------------------------------------------------

  /**
   * `pinsrb/pinsrw/pinsrd/pinsrq dst, src, lane`: lane `lane` of dst ← the low `bits` of a
   * general register (`pinsrb` and `pinsrw` take its 32-bit name).
   */
  pinsrRRI(bits: LaneBits, dst: Xmm, src: Gpr, lane: number): void {
    checkLane(bits, lane);
    if (bits === 16) this.encodeRR(0x66, 0x0fc4, false, dst, src);
    else this.encodeRR(0x66, bits === 8 ? 0x0f3a20 : 0x0f3a22, bits === 64, dst, src);
    this.buffer.emit8(lane);
  }

  /** `pinsr* dst, [mem], lane`: lane `lane` of dst ← `bits` bits loaded from memory. */
  pinsrRMI(bits: LaneBits, dst: Xmm, mem: Mem, lane: number): void {
    checkLane(bits, lane);
    if (bits === 16) this.encodeRM(0x66, 0x0fc4, false, dst, mem, false, 1);
    else this.encodeRM(0x66, bits === 8 ? 0x0f3a20 : 0x0f3a22, bits === 64, dst, mem, false, 1);
    this.buffer.emit8(lane);
  }

  /**
   * `pextrb/pextrw/pextrd/pextrq dst, src, lane`: lane `lane` of src, zero-extended into a
   * general register (`pextrw` here is the SSE2 form `66 0F C5`, whose ModRM.reg is the gpr).
   */
  pextrRRI(bits: LaneBits, dst: Gpr, src: Xmm, lane: number): void {
    checkLane(bits, lane);
    if (bits === 16) this.encodeRR(0x66, 0x0fc5, false, dst, src);
    else this.encodeRR(0x66, bits === 8 ? 0x0f3a14 : 0x0f3a16, bits === 64, src, dst);
    this.buffer.emit8(lane);
  }

  /** `pextr* [mem], src, lane`: store lane `lane` of src (SSE4.1, incl. `66 0F 3A 15` for words). */
  pextrMRI(bits: LaneBits, mem: Mem, src: Xmm, lane: number): void {
    checkLane(bits, lane);
    const opcode = bits === 8 ? 0x0f3a14 : bits === 16 ? 0x0f3a15 : 0x0f3a16;
    this.encodeRM(0x66, opcode, bits === 64, src, mem, false, 1);
    this.buffer.emit8(lane);
  }

  /** `pmovmskb/movmskps/movmskpd dst, src`: the lanes' sign bits into the low bits of a gpr. */
  moveMaskRR(op: MoveMaskOp, dst: Gpr, src: Xmm): void {
    this.encodeRR(op >>> 16, op & 0xffff, false, dst, src);
  }
}
