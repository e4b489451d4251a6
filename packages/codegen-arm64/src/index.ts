export { Arm64Assembler, AssemblerError, AssemblerErrorCode, Cond, Gpr } from './assembler/index.ts';
export type { Arm64AssemblerOptions, FpSize, RegSize, Vreg } from './assembler/index.ts';
