// The assembler's one error type: an operand an instruction cannot encode, or a branch whose target
// ended up out of its range. Both are caller bugs or limits the caller must handle, never bad Wasm.

export const AssemblerErrorCode = {
  /** A register, immediate, shift, condition or size the instruction form cannot encode. */
  InvalidOperand: 'InvalidOperand',
  /** A label reference whose distance does not fit its field (see `Arm64AssemblerOptions.farBranches`). */
  BranchOutOfRange: 'BranchOutOfRange',
} as const;
export type AssemblerErrorCode = (typeof AssemblerErrorCode)[keyof typeof AssemblerErrorCode];

export class AssemblerError extends Error {
  override readonly name = 'AssemblerError';
  constructor(
    readonly code: AssemblerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function invalidOperand(message: string): AssemblerError {
  return new AssemblerError(AssemblerErrorCode.InvalidOperand, message);
}
