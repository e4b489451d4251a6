export { x64Backend, x64Isa } from './backend.ts';
export { X64MacroAssembler } from './masm/macro-assembler.ts';
export { X64_REGISTERS } from './regs.ts';
export { SYSTEM_V, WASM_X64 } from './abi.ts';
export { emitEntryTrampoline, emitTrapExit } from './trampolines.ts';
export {
  ProbeWord,
  X64Feature,
  X64_CPU_FEATURES,
  X64_FEATURES_VARIABLE,
  applyX64FeatureCap,
  decodeX64Probe,
  emitX64Probe,
  x64FeatureTitle,
} from './cpu-features.ts';
