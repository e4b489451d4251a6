// The arm64 implementation of @flint/backend's MacroAssembler contract. The operation families
// live in a chain of classes, one file each:
//   base (traps, immediates, addressing, frame layout) → integer → float → convert → memory → control.

import type { CallingConvention, MachineRegisters, MacroAssembler, ScratchRegs } from '@flint/backend';
import { WASM_ARM64 } from '../abi.ts';
import { ARM64_REGISTERS } from '../regs.ts';
import type { Arm64MacroAssemblerOptions } from './base.ts';
import { SimdMasm } from './simd.ts';

export class Arm64MacroAssembler extends SimdMasm implements MacroAssembler {
  readonly registers: MachineRegisters = ARM64_REGISTERS;
  readonly callingConvention: CallingConvention = WASM_ARM64;
  readonly scratch: ScratchRegs = ARM64_REGISTERS.scratch;

  constructor(options: Arm64MacroAssemblerOptions = {}) {
    super(options);
  }
}
