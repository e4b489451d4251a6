export { arm64Backend, arm64Isa } from './backend.ts';
export { Arm64MacroAssembler } from './masm/macro-assembler.ts';
export type { Arm64MacroAssemblerOptions } from './masm/base.ts';
export { ARM64_REGISTERS } from './regs.ts';
export { AAPCS64, WASM_ARM64 } from './abi.ts';
export { emitEntryTrampoline, emitHostCallTrampoline, emitLazyCompileStub, emitReadStackPointer, emitTrapExit } from './trampolines.ts';
export { Arm64Assembler, AssemblerError, AssemblerErrorCode, Cond, Gpr } from './assembler/index.ts';
export type { Arm64AssemblerOptions, FpSize, RegSize, Vreg } from './assembler/index.ts';
