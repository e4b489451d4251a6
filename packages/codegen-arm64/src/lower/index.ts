// The arm64 side of the optimizing tier (the contract's `IsaLowering`): instruction selection
// (lower.ts) into VCode, the register description the shared allocator works with, and encoding
// (emit.ts) through the same MacroAssembler the baseline tier uses.

import type { Allocation, FinishedCode, IsaLowering, LoweringFunction, LoweringOptions, MachineEnv, VCode } from '@flint/backend';
import { ARM64_REGISTERS } from '../regs.ts';
import { Arm64Emitter } from './emit.ts';
import { Arm64InstructionSelector } from './lower.ts';

/** The registers the optimizing tier allocates: the baseline's; x16/x17 and v31 stay scratch. */
export const ARM64_MACHINE_ENV: MachineEnv = {
  allocatable: [ARM64_REGISTERS.int.allocatable, ARM64_REGISTERS.float.allocatable],
  scratch: [ARM64_REGISTERS.scratch.int, ARM64_REGISTERS.scratch.float],
};

export class Arm64Lowering implements IsaLowering {
  readonly env = ARM64_MACHINE_ENV;
  private readonly selector = new Arm64InstructionSelector();
  private readonly emitter: Arm64Emitter;

  constructor(options: LoweringOptions = {}) {
    this.emitter = new Arm64Emitter(options);
  }

  lower(fn: LoweringFunction, vcode: VCode): void {
    this.selector.lower(fn, vcode);
  }

  emit(vcode: VCode, allocation: Allocation): FinishedCode {
    return this.emitter.emit(vcode, allocation);
  }
}
