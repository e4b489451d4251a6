// The x64 `Backend`: the register file, calling conventions, MacroAssembler, trampolines and CPU
// check of this package, as the one object the runtime's backend lookup returns for x64 hosts.
//
// For the package owner (index.ts / package.json): the runtime imports `x64Backend` from
// `@flint/codegen-x64` (please re-export it: `export { x64Backend } from './backend.ts'`) and the
// assembler from the `@flint/codegen-x64/assembler` subpath.

import { BackendBailout, BailoutReason, type Backend, type IsaDescriptor, type MacroAssembler, type MacroAssemblerOptions } from '@flint/backend';
import isaJson from '../isa.json' with { type: 'json' };
import { SYSTEM_V, WASM_X64 } from './abi.ts';
import { CpuSupportError, checkCpuSupport } from './masm/cpu.ts';
import { X64Lowering } from './lower/index.ts';
import { X64MacroAssembler } from './masm/macro-assembler.ts';
import { X64_REGISTERS } from './regs.ts';
import { emitEntryTrampoline, emitHostCallTrampoline, emitLazyCompileStub, emitReadStackPointer, emitTrapExit } from './trampolines.ts';

/** This ISA as the registry and the tools see it (`isa.json`). */
export const x64Isa: IsaDescriptor = isaJson as IsaDescriptor;

export const x64Backend: Backend = {
  name: x64Isa.name,
  isa: x64Isa,
  registers: X64_REGISTERS,
  callingConvention: WASM_X64,
  hostCallingConvention: SYSTEM_V,
  createMacroAssembler: (options?: MacroAssemblerOptions): MacroAssembler => new X64MacroAssembler(options),
  createLowering: () => new X64Lowering(),
  emitEntryTrampoline,
  emitTrapExit,
  emitHostCallTrampoline,
  emitLazyCompileStub,
  emitReadStackPointer,
  checkCpuSupport(): void {
    try {
      checkCpuSupport();
    } catch (error) {
      if (error instanceof CpuSupportError) throw new BackendBailout(BailoutReason.IsaExtensionMissing, error.message);
      throw error;
    }
  },
};
