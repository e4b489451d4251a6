// The x64 `Backend`: the register file, calling conventions, MacroAssembler, trampolines and CPU
// features of this package, as the one object the runtime's backend lookup returns for x64 hosts.

import type { Backend, IsaDescriptor, LoweringOptions, MacroAssembler, MacroAssemblerOptions } from '@flint/backend';
import isaJson from '../isa.json' with { type: 'json' };
import { SYSTEM_V, WASM_X64 } from './abi.ts';
import { X64_CPU_FEATURES } from './cpu-features.ts';
import { X64Lowering } from './lower/index.ts';
import { X64MacroAssembler } from './masm/macro-assembler.ts';
import { FRAME_HEADER_BELOW_RBP } from './masm/base.ts';
import { X64_REGISTERS } from './regs.ts';
import { emitBuiltin } from './builtins.ts';
import { emitEntryTrampoline, emitHostCallTrampoline, emitLazyCompileStub, emitReadStackPointer, emitTrapExit } from './trampolines.ts';

/** This ISA as the registry and the tools see it (`isa.json`). */
export const x64Isa: IsaDescriptor = isaJson as IsaDescriptor;

export const x64Backend: Backend = {
  name: x64Isa.name,
  isa: x64Isa,
  registers: X64_REGISTERS,
  // Slot s at [rbp - 8 - s]: below the saved VM context (masm/base.ts).
  frameTopOffset: -FRAME_HEADER_BELOW_RBP,
  callingConvention: WASM_X64,
  hostCallingConvention: SYSTEM_V,
  createMacroAssembler: (options?: MacroAssemblerOptions): MacroAssembler => new X64MacroAssembler(options),
  createLowering: (options?: LoweringOptions) => new X64Lowering(options),
  emitEntryTrampoline,
  emitTrapExit,
  emitHostCallTrampoline,
  emitLazyCompileStub,
  emitReadStackPointer,
  emitBuiltin,
  cpuFeatures: X64_CPU_FEATURES,
};
