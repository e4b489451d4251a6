// The x64 side of the optimizing tier (the contract's `IsaLowering`): instruction selection
// (lower.ts) into VCode, the register description the shared allocator works with, and encoding
// (emit.ts) through the same MacroAssembler the baseline tier uses.

import { type Allocation, type FinishedCode, type IsaLowering, type LoweringFunction, type LoweringOptions, type MachineEnv, type VCode } from '@flint/backend';
import { X64_REGISTERS } from '../regs.ts';
import { X64Emitter } from './emit.ts';
import { X64InstructionSelector } from './lower.ts';

/** The registers the optimizing tier allocates: the baseline's, in its preference order; r11 and xmm15 stay scratch. */
export const X64_MACHINE_ENV: MachineEnv = {
  allocatable: [X64_REGISTERS.int.allocatable, X64_REGISTERS.float.allocatable],
  scratch: [X64_REGISTERS.scratch.int, X64_REGISTERS.scratch.float],
};

export class X64Lowering implements IsaLowering {
  readonly env = X64_MACHINE_ENV;
  private readonly selector = new X64InstructionSelector();
  private readonly emitter: X64Emitter;

  constructor(options: LoweringOptions = {}) {
    this.emitter = new X64Emitter(options);
  }

  lower(fn: LoweringFunction, vcode: VCode): void {
    this.selector.lower(fn, vcode);
  }

  emit(vcode: VCode, allocation: Allocation): FinishedCode {
    return this.emitter.emit(vcode, allocation);
  }
}


