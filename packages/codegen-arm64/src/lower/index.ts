// The arm64 side of the optimizing tier (the contract's `IsaLowering`).
// TEMPORARY: instruction selection is not written yet; every function bails out, so the engine
// compiles it with the baseline tier. Replaced by lower.ts / emit.ts like x64's.

import { BackendBailout, BailoutReason, type Allocation, type FinishedCode, type IsaLowering, type LoweringFunction, type MachineEnv, type VCode } from '@flint/backend';
import { ARM64_REGISTERS } from '../regs.ts';

export const ARM64_MACHINE_ENV: MachineEnv = {
  allocatable: [ARM64_REGISTERS.int.allocatable, ARM64_REGISTERS.float.allocatable],
  scratch: [ARM64_REGISTERS.scratch.int, ARM64_REGISTERS.scratch.float],
};

export class Arm64Lowering implements IsaLowering {
  readonly env = ARM64_MACHINE_ENV;

  lower(_fn: LoweringFunction, _vcode: VCode): void {
    throw new BackendBailout(BailoutReason.UnsupportedFeature, 'optimizing tier on arm64 (instruction selection not written yet)');
  }

  emit(_vcode: VCode, _allocation: Allocation): FinishedCode {
    throw new BackendBailout(BailoutReason.UnsupportedFeature, 'optimizing tier on arm64 (instruction selection not written yet)');
  }
}
