// The arm64 `Backend`: the register file, calling conventions, MacroAssembler, trampolines and CPU
// features of this package, as the one object the runtime's backend lookup returns for arm64 hosts.

import { NO_OPTIONAL_CPU_FEATURES, type Backend, type IsaDescriptor, type LoweringOptions, type MacroAssembler, type MacroAssemblerOptions } from '@flint/backend';
import isaJson from '../isa.json' with { type: 'json' };
import { AAPCS64, WASM_ARM64 } from './abi.ts';
import { Arm64Lowering } from './lower/index.ts';
import { Arm64MacroAssembler } from './masm/macro-assembler.ts';
import { ARM64_REGISTERS } from './regs.ts';
import { emitBuiltin } from './builtins.ts';
import { emitEntryTrampoline, emitHostCallTrampoline, emitLazyCompileStub, emitReadStackPointer, emitTrapExit } from './trampolines.ts';

/** This ISA as the registry and the tools see it (`isa.json`). */
export const arm64Isa: IsaDescriptor = isaJson as IsaDescriptor;

export const arm64Backend: Backend = {
  name: arm64Isa.name,
  isa: arm64Isa,
  registers: ARM64_REGISTERS,
  // Slot s at [x29 - s]: the frame record sits at x29 and the slots below it (masm/base.ts).
  frameTopOffset: 0,
  callingConvention: WASM_ARM64,
  hostCallingConvention: AAPCS64,
  createMacroAssembler: (options?: MacroAssemblerOptions): MacroAssembler => new Arm64MacroAssembler(options),
  createLowering: (options?: LoweringOptions) => new Arm64Lowering(options),
  emitEntryTrampoline,
  emitTrapExit,
  emitHostCallTrampoline,
  emitLazyCompileStub,
  emitReadStackPointer,
  emitBuiltin,
  /**
   * No optional feature: the generated code uses ARMv8.0-A base instructions plus FP/AdvSIMD
   * (fcvtzs, frint*, cnt/addv), which every AArch64 Linux and macOS host has (the ABI requires
   * FP/SIMD). An optional extension (LSE, FEAT_CSSC, FEAT_FRINTTS, JSCVT) would add a probe here.
   */
  cpuFeatures: NO_OPTIONAL_CPU_FEATURES,
};
