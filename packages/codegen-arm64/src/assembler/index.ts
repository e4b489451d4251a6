export { Arm64Assembler } from './assembler.ts';
export type { Arm64AssemblerOptions } from './assembler-base.ts';
export type { VecMemSize } from './assembler-memory.ts';
export { AssemblerError, AssemblerErrorCode } from './errors.ts';
export { ARM64_LABEL_USES, Barrier, FixupKind, isInBranchRange, patchArm64Fixup } from './encode-branch.ts';
export { Extend, LogicalOp, Shift } from './encode-integer.ts';
export { LiteralOp, MemOp, PairMode, PairOp, isScaledOffset, isUnscaledOffset } from './encode-memory.ts';
export {
  decodeFpImmediate,
  decodeLogicalImmediate,
  encodeFpImmediate,
  encodeLogicalImmediate,
  isAddSubImmediate,
} from './immediates.ts';
export { Cond, Gpr, condName, gprName, invertCond, vregName } from './registers.ts';
export type { FpSize, RegSize, Vreg } from './registers.ts';
export {
  Arrangement,
  VecAcrossOp,
  VecLongOp,
  VecMiscOp,
  VecNarrowOp,
  VecOp,
  VecPermuteOp,
  VecShiftOp,
  VecWidenOp,
  arrangementName,
  isBitwiseOp,
  isFloatOp,
} from './encode-simd.ts';
export type { LaneBits } from './encode-simd.ts';
