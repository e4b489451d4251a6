// Scalar floating point on SSE registers (SSE/SSE2, roundss/roundsd from SSE4.1): moves, gpr<->xmm
// transfers, arithmetic, rounding, comparison, conversions, and the packed bitwise operations used
// with constant-pool masks.
// Intel SDM Vol. 2A/2B, instruction pages MOVSS, MOVSD, MOVD/MOVQ, ADDSS…SQRTSD, MINSS/MAXSS,
// ROUNDSS/ROUNDSD, UCOMISS/UCOMISD, COMISS/COMISD, CVTSI2SS/SD, CVTTSS2SI/CVTTSD2SI,
// CVTSS2SD/CVTSD2SS, ANDPS…XORPD, MOVAPS/MOVAPD, PXOR.

import { AssemblerError } from './encoding.ts';
import { ControlAssembler } from './control.ts';
import type { Mem } from './operands.ts';
import type { Gpr, Xmm } from './registers.ts';

const SS = 0xf3;
const SD = 0xf2;
const PD = 0x66;

/** Rounding-mode immediates of roundss/roundsd (bit 3 suppresses the precision exception). */
export const RoundMode = {
  Nearest: 0b1000,
  Floor: 0b1001,
  Ceil: 0b1010,
  Trunc: 0b1011,
} as const;
export type RoundMode = (typeof RoundMode)[keyof typeof RoundMode];

function checkGprSize(size: number): void {
  if (size !== 32 && size !== 64) throw new AssemblerError(`integer operand of a conversion must be 32 or 64 bits, got ${size}`);
}

export class SseAssembler extends ControlAssembler {
  // --- moves ------------------------------------------------------------------------------------

  /** `movss dst, src`: merges the low 32 bits into dst (upper lanes kept). */
  movssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f10, false, dst, src); }
  /** Load: `movss dst, [mem]` zeroes the upper lanes. */
  movssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f10, false, dst, mem); }
  /** Store: `movss [mem], src`. */
  movssMR(mem: Mem, src: Xmm): void { this.encodeRM(SS, 0x0f11, false, src, mem); }
  movsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f10, false, dst, src); }
  movsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f10, false, dst, mem); }
  movsdMR(mem: Mem, src: Xmm): void { this.encodeRM(SD, 0x0f11, false, src, mem); }
  /** `movaps dst, src`: a full-register copy (the preferred xmm move). */
  movapsRR(dst: Xmm, src: Xmm): void { this.encodeRR(0, 0x0f28, false, dst, src); }
  /** Load of 16 bytes that must be 16-byte aligned. */
  movapsRM(dst: Xmm, mem: Mem): void { this.encodeRM(0, 0x0f28, false, dst, mem); }
  movapdRR(dst: Xmm, src: Xmm): void { this.encodeRR(PD, 0x0f28, false, dst, src); }

  /** `movd xmm, r32` (size 32) or `movq xmm, r64` (size 64): zero-extends into the xmm register. */
  movdXR(size: 32 | 64, dst: Xmm, src: Gpr): void {
    checkGprSize(size);
    this.encodeRR(PD, 0x0f6e, size === 64, dst, src);
  }

  /** `movd r32, xmm` (size 32) or `movq r64, xmm` (size 64): the low lane's bits. */
  movdRX(size: 32 | 64, dst: Gpr, src: Xmm): void {
    checkGprSize(size);
    this.encodeRR(PD, 0x0f7e, size === 64, src, dst);
  }

  // --- arithmetic -------------------------------------------------------------------------------

  addssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f58, false, dst, src); }
  addssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f58, false, dst, mem); }
  addsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f58, false, dst, src); }
  addsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f58, false, dst, mem); }
  mulssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f59, false, dst, src); }
  mulssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f59, false, dst, mem); }
  mulsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f59, false, dst, src); }
  mulsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f59, false, dst, mem); }
  subssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f5c, false, dst, src); }
  subssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f5c, false, dst, mem); }
  subsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f5c, false, dst, src); }
  subsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f5c, false, dst, mem); }
  /** `minss dst, src`: returns src (the second operand) when either is NaN or both are zeros. */
  minssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f5d, false, dst, src); }
  minssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f5d, false, dst, mem); }
  minsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f5d, false, dst, src); }
  minsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f5d, false, dst, mem); }
  divssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f5e, false, dst, src); }
  divssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f5e, false, dst, mem); }
  divsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f5e, false, dst, src); }
  divsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f5e, false, dst, mem); }
  /** `maxss dst, src`: returns src (the second operand) when either is NaN or both are zeros. */
  maxssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f5f, false, dst, src); }
  maxssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f5f, false, dst, mem); }
  maxsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f5f, false, dst, src); }
  maxsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f5f, false, dst, mem); }
  sqrtssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f51, false, dst, src); }
  sqrtssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f51, false, dst, mem); }
  sqrtsdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f51, false, dst, src); }
  sqrtsdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f51, false, dst, mem); }

  /** `roundss dst, src, mode` (SSE4.1, 0x66 0x0f 0x3a 0x0a /r ib). */
  roundssRRI(dst: Xmm, src: Xmm, mode: RoundMode): void {
    this.encodeRR(PD, 0x0f3a0a, false, dst, src);
    this.buffer.emit8(mode);
  }

  /** `roundsd dst, src, mode` (SSE4.1, 0x66 0x0f 0x3a 0x0b /r ib). */
  roundsdRRI(dst: Xmm, src: Xmm, mode: RoundMode): void {
    this.encodeRR(PD, 0x0f3a0b, false, dst, src);
    this.buffer.emit8(mode);
  }

  // --- comparison -------------------------------------------------------------------------------

  /** Unordered compare into ZF/PF/CF: unordered sets all three, so test PF before E/B/BE. */
  ucomissRR(lhs: Xmm, rhs: Xmm): void { this.encodeRR(0, 0x0f2e, false, lhs, rhs); }
  ucomissRM(lhs: Xmm, mem: Mem): void { this.encodeRM(0, 0x0f2e, false, lhs, mem); }
  ucomisdRR(lhs: Xmm, rhs: Xmm): void { this.encodeRR(PD, 0x0f2e, false, lhs, rhs); }
  ucomisdRM(lhs: Xmm, mem: Mem): void { this.encodeRM(PD, 0x0f2e, false, lhs, mem); }
  /** Like ucomiss but also signals on quiet NaNs. */
  comissRR(lhs: Xmm, rhs: Xmm): void { this.encodeRR(0, 0x0f2f, false, lhs, rhs); }
  comisdRR(lhs: Xmm, rhs: Xmm): void { this.encodeRR(PD, 0x0f2f, false, lhs, rhs); }

  // --- conversions ------------------------------------------------------------------------------

  /** `cvtsi2ss dst, src` from a signed 32- or 64-bit integer (upper lanes of dst kept). */
  cvtsi2ssRR(srcSize: 32 | 64, dst: Xmm, src: Gpr): void {
    checkGprSize(srcSize);
    this.encodeRR(SS, 0x0f2a, srcSize === 64, dst, src);
  }
  cvtsi2ssRM(srcSize: 32 | 64, dst: Xmm, mem: Mem): void {
    checkGprSize(srcSize);
    this.encodeRM(SS, 0x0f2a, srcSize === 64, dst, mem);
  }
  cvtsi2sdRR(srcSize: 32 | 64, dst: Xmm, src: Gpr): void {
    checkGprSize(srcSize);
    this.encodeRR(SD, 0x0f2a, srcSize === 64, dst, src);
  }
  cvtsi2sdRM(srcSize: 32 | 64, dst: Xmm, mem: Mem): void {
    checkGprSize(srcSize);
    this.encodeRM(SD, 0x0f2a, srcSize === 64, dst, mem);
  }

  /** Truncating `cvttss2si dst, src`; out of range or NaN gives the "integer indefinite" 0x80…0. */
  cvttss2siRR(dstSize: 32 | 64, dst: Gpr, src: Xmm): void {
    checkGprSize(dstSize);
    this.encodeRR(SS, 0x0f2c, dstSize === 64, dst, src);
  }
  cvttss2siRM(dstSize: 32 | 64, dst: Gpr, mem: Mem): void {
    checkGprSize(dstSize);
    this.encodeRM(SS, 0x0f2c, dstSize === 64, dst, mem);
  }
  cvttsd2siRR(dstSize: 32 | 64, dst: Gpr, src: Xmm): void {
    checkGprSize(dstSize);
    this.encodeRR(SD, 0x0f2c, dstSize === 64, dst, src);
  }
  cvttsd2siRM(dstSize: 32 | 64, dst: Gpr, mem: Mem): void {
    checkGprSize(dstSize);
    this.encodeRM(SD, 0x0f2c, dstSize === 64, dst, mem);
  }

  cvtss2sdRR(dst: Xmm, src: Xmm): void { this.encodeRR(SS, 0x0f5a, false, dst, src); }
  cvtss2sdRM(dst: Xmm, mem: Mem): void { this.encodeRM(SS, 0x0f5a, false, dst, mem); }
  cvtsd2ssRR(dst: Xmm, src: Xmm): void { this.encodeRR(SD, 0x0f5a, false, dst, src); }
  cvtsd2ssRM(dst: Xmm, mem: Mem): void { this.encodeRM(SD, 0x0f5a, false, dst, mem); }

  // --- packed bitwise (memory operands are 16 bytes and must be 16-byte aligned) ----------------

  andpsRR(dst: Xmm, src: Xmm): void { this.encodeRR(0, 0x0f54, false, dst, src); }
  andpsRM(dst: Xmm, mem: Mem): void { this.encodeRM(0, 0x0f54, false, dst, mem); }
  andpdRR(dst: Xmm, src: Xmm): void { this.encodeRR(PD, 0x0f54, false, dst, src); }
  andpdRM(dst: Xmm, mem: Mem): void { this.encodeRM(PD, 0x0f54, false, dst, mem); }
  /** `andnps dst, src`: dst = ~dst & src. */
  andnpsRR(dst: Xmm, src: Xmm): void { this.encodeRR(0, 0x0f55, false, dst, src); }
  andnpsRM(dst: Xmm, mem: Mem): void { this.encodeRM(0, 0x0f55, false, dst, mem); }
  andnpdRR(dst: Xmm, src: Xmm): void { this.encodeRR(PD, 0x0f55, false, dst, src); }
  andnpdRM(dst: Xmm, mem: Mem): void { this.encodeRM(PD, 0x0f55, false, dst, mem); }
  orpsRR(dst: Xmm, src: Xmm): void { this.encodeRR(0, 0x0f56, false, dst, src); }
  orpsRM(dst: Xmm, mem: Mem): void { this.encodeRM(0, 0x0f56, false, dst, mem); }
  orpdRR(dst: Xmm, src: Xmm): void { this.encodeRR(PD, 0x0f56, false, dst, src); }
  orpdRM(dst: Xmm, mem: Mem): void { this.encodeRM(PD, 0x0f56, false, dst, mem); }
  xorpsRR(dst: Xmm, src: Xmm): void { this.encodeRR(0, 0x0f57, false, dst, src); }
  xorpsRM(dst: Xmm, mem: Mem): void { this.encodeRM(0, 0x0f57, false, dst, mem); }
  xorpdRR(dst: Xmm, src: Xmm): void { this.encodeRR(PD, 0x0f57, false, dst, src); }
  xorpdRM(dst: Xmm, mem: Mem): void { this.encodeRM(PD, 0x0f57, false, dst, mem); }
  pxorRR(dst: Xmm, src: Xmm): void { this.encodeRR(PD, 0x0fef, false, dst, src); }
  pxorRM(dst: Xmm, mem: Mem): void { this.encodeRM(PD, 0x0fef, false, dst, mem); }
}
