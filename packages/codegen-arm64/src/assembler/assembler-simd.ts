// Advanced SIMD (NEON) vector instructions: one method per instruction class, the operation
// chosen from the class's table (`VecOp`, `VecMiscOp`, …), operands in assembly order after the
// arrangement. Arm ARM (DDI 0487) C4.1.96 and the C7.2 instruction pages (see encode-simd.ts).
// https://developer.arm.com/documentation/ddi0487

import { MemoryAssembler } from './assembler-memory.ts';
import {
  Arrangement,
  type LaneBits,
  type VecAcrossOp,
  type VecLongOp,
  type VecMiscOp,
  type VecNarrowOp,
  type VecOp,
  type VecPermuteOp,
  type VecShiftOp,
  type VecWidenOp,
  encAddpScalar,
  encDupElement,
  encDupGeneral,
  encDupScalar,
  encExt,
  encFcvtl,
  encFcvtn,
  encInsElement,
  encInsGeneral,
  encLaneLoadStore,
  encLd1r,
  encMovi2D,
  encMoviBytes,
  encSmov,
  encTbl,
  encUmov,
  encVec2Misc,
  encVec3Different,
  encVec3Same,
  encVecAcross,
  encVecNarrow,
  encVecPermute,
  encVecShiftImm,
  encVecWiden,
  VecOp as Ops,
} from './encode-simd.ts';
import type { Gpr, Vreg } from './registers.ts';

export class SimdAssembler extends MemoryAssembler {
  /** Three same: `op vd.T, vn.T, vm.T`. */
  vecRRR(op: VecOp, arr: Arrangement, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encVec3Same(op, arr, vd, vn, vm));
  }
  /** `mov vd.16b, vn.16b` (`orr` with both sources vn): the whole register. */
  vecMovRR(vd: Vreg, vn: Vreg): void {
    this.emit(encVec3Same(Ops.orr, Arrangement.B16, vd, vn, vn));
  }
  /** Three different: `op vd.Tw, vn.Tn, vm.Tn` with `src` = the narrow arrangement (16B/8H/4S: the `2` form). */
  vecLongRRR(op: VecLongOp, src: Arrangement, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encVec3Different(op, src, vd, vn, vm));
  }
  /** Two-register misc: `op vd.T, vn.T`. */
  vecRR(op: VecMiscOp, arr: Arrangement, vd: Vreg, vn: Vreg): void {
    this.emit(encVec2Misc(op, arr, vd, vn));
  }
  /** `xtn`/`sqxtn`/`uqxtn`/`sqxtun vd.Tn, vn.Tw`; `dst` 16B/8H/4S is the `2` form (writes the high half). */
  vecNarrowRR(op: VecNarrowOp, dst: Arrangement, vd: Vreg, vn: Vreg): void {
    this.emit(encVecNarrow(op, dst, vd, vn));
  }
  /** `saddlp`/`uaddlp`/`shll vd.Tw, vn.Tn` with `src` the source arrangement. */
  vecWidenRR(op: VecWidenOp, src: Arrangement, vd: Vreg, vn: Vreg): void {
    this.emit(encVecWiden(op, src, vd, vn));
  }
  /** `fcvtn vd.2s, vn.2d` (f64 → f32, upper half zeroed), or `fcvtn2 vd.4s, vn.2d` with `high`. */
  fcvtnRR(high: boolean, vd: Vreg, vn: Vreg): void {
    this.emit(encFcvtn(high, vd, vn));
  }
  /** `fcvtl vd.2d, vn.2s` (f32 → f64 of the low half), or `fcvtl2 vd.2d, vn.4s` with `high`. */
  fcvtlRR(high: boolean, vd: Vreg, vn: Vreg): void {
    this.emit(encFcvtl(high, vd, vn));
  }
  /** Across lanes: `op <b|h|s>d, vn.T`. */
  vecAcrossRR(op: VecAcrossOp, arr: Arrangement, vd: Vreg, vn: Vreg): void {
    this.emit(encVecAcross(op, arr, vd, vn));
  }
  /** Shift by immediate: `sshr/ushr/shl vd.T, vn.T, #n`; `sshll/ushll vd.Tw, vn.T, #n` (`arr` = source). */
  vecShiftRRI(op: VecShiftOp, arr: Arrangement, vd: Vreg, vn: Vreg, shift: number): void {
    this.emit(encVecShiftImm(op, arr, vd, vn, shift));
  }
  /** `movi vd.16b, #imm8` (or 8b without `q`). */
  moviRI(q: boolean, vd: Vreg, imm8: number): void {
    this.emit(encMoviBytes(q, vd, imm8));
  }
  /** `movi vd.2d, #imm`: byte i of each lane is 0xff when bit i of `byteMask` is set, else 0. */
  movi2DRI(vd: Vreg, byteMask: number): void {
    this.emit(encMovi2D(vd, byteMask));
  }
  /** `dup vd.T, vn.Ts[index]`. */
  dupElementRR(arr: Arrangement, vd: Vreg, vn: Vreg, index: number): void {
    this.emit(encDupElement(arr, vd, vn, index));
  }
  /** `dup vd.T, wn` (xn for 2d). */
  dupGeneralRR(arr: Arrangement, vd: Vreg, rn: Gpr): void {
    this.emit(encDupGeneral(arr, vd, rn));
  }
  /** `mov vd.Ts[index], wn/xn` (ins). */
  insGeneralRR(bits: LaneBits, vd: Vreg, index: number, rn: Gpr): void {
    this.emit(encInsGeneral(bits, vd, index, rn));
  }
  /** `mov vd.Ts[dIndex], vn.Ts[sIndex]` (ins element). */
  insElementRR(bits: LaneBits, vd: Vreg, dIndex: number, vn: Vreg, sIndex: number): void {
    this.emit(encInsElement(bits, vd, dIndex, vn, sIndex));
  }
  /** `umov wd, vn.Ts[index]` (xd for 64-bit lanes): zero-extended. */
  umovRR(bits: LaneBits, rd: Gpr, vn: Vreg, index: number): void {
    this.emit(encUmov(bits, rd, vn, index));
  }
  /** `smov wd/xd, vn.Ts[index]`: sign-extended to `size` bits. */
  smovRR(size: 32 | 64, bits: LaneBits, rd: Gpr, vn: Vreg, index: number): void {
    this.emit(encSmov(size, bits, rd, vn, index));
  }
  /** `mov <b|h|s|d>d, vn.Ts[index]` (scalar dup): one lane into the low bits, the rest zeroed. */
  dupScalarRR(bits: LaneBits, vd: Vreg, vn: Vreg, index: number): void {
    this.emit(encDupScalar(bits, vd, vn, index));
  }
  /** `zip1/zip2/uzp1/uzp2/trn1/trn2 vd.T, vn.T, vm.T`. */
  vecPermuteRRR(op: VecPermuteOp, arr: Arrangement, vd: Vreg, vn: Vreg, vm: Vreg): void {
    this.emit(encVecPermute(op, arr, vd, vn, vm));
  }
  /** `ext vd.16b, vn.16b, vm.16b, #index`. */
  extRRRI(vd: Vreg, vn: Vreg, vm: Vreg, index: number): void {
    this.emit(encExt(true, vd, vn, vm, index));
  }
  /** `tbl vd.16b, {vn.16b, …}, vm.16b` over `count` (1..4) consecutive table registers. */
  tblRRR(vd: Vreg, vn: Vreg, count: number, vm: Vreg): void {
    this.emit(encTbl(false, true, vd, vn, count, vm));
  }
  /** `addp dd, vn.2d`. */
  addpScalarRR(vd: Vreg, vn: Vreg): void {
    this.emit(encAddpScalar(vd, vn));
  }
  /** `ld1 {vt.Ts}[index], [xn]`: one lane from memory, the other lanes kept. */
  ld1LaneR(bits: LaneBits, vt: Vreg, index: number, rn: Gpr): void {
    this.emit(encLaneLoadStore(true, bits, vt, index, rn));
  }
  /** `st1 {vt.Ts}[index], [xn]`. */
  st1LaneR(bits: LaneBits, vt: Vreg, index: number, rn: Gpr): void {
    this.emit(encLaneLoadStore(false, bits, vt, index, rn));
  }
  /** `ld1r {vt.T}, [xn]`: one element replicated to every lane. */
  ld1rR(arr: Arrangement, vt: Vreg, rn: Gpr): void {
    this.emit(encLd1r(arr, vt, rn));
  }
}
