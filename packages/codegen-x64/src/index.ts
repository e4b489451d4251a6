export { x64Backend, x64Isa } from './backend.ts';
export { X64MacroAssembler } from './masm/macro-assembler.ts';
export { X64_REGISTERS } from './regs.ts';
export { SYSTEM_V, WASM_X64 } from './abi.ts';
export { WASM_STACK_BUDGET, emitEntryTrampoline, emitTrapExit } from './trampolines.ts';
export { CpuSupportError, REQUIRED_CPU_FEATURES, checkCpuSupport, missingCpuFeatures, parseCpuInfoFlags } from './masm/cpu.ts';
export type { CpuFeature } from './masm/cpu.ts';
