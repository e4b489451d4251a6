// The x64 implementation of @flint/backend's MacroAssembler contract. The operation families live
// in a chain of classes, one file each:
//   base (traps, constants, frame layout) → integer → float → convert → memory → control.

import { CpuFeatureSet, type CallingConvention, type MachineRegisters, type MacroAssembler, type MacroAssemblerOptions, type ScratchRegs } from '@flint/backend';
import { WASM_X64 } from '../abi.ts';
import { X64_REGISTERS } from '../regs.ts';
import { ControlMasm } from './control.ts';

export class X64MacroAssembler extends ControlMasm implements MacroAssembler {
  readonly registers: MachineRegisters = X64_REGISTERS;
  readonly callingConvention: CallingConvention = WASM_X64;
  readonly scratch: ScratchRegs = X64_REGISTERS.scratch;

  constructor(options: MacroAssemblerOptions = {}) {
    super(options.initialCapacity, options.cpuFeatures ?? CpuFeatureSet.NONE);
  }
}
