export { Assembler } from './assembler.ts';
export { AssemblerError, X64Fixup, x64FixupPatcher } from './encoding.ts';
export { AluOp, ShiftOp } from './integer.ts';
export { Cond, Mem, NO_REG, OperandSize, condName, invertCond } from './operands.ts';
export type { Scale } from './operands.ts';
export { Gpr, Xmm, gprName, xmmName } from './registers.ts';
export { RoundMode } from './sse.ts';
export { MoveMaskOp, type LaneBits } from './simd.ts';
export {
  FloatPredicate,
  IsaExtension,
  SimdOp,
  SimdShiftOp,
  VexOp,
  extensionOf,
  hasImm,
  hasVexForm,
  isUnary,
  memBitsOf,
} from './simd-ops.ts';
