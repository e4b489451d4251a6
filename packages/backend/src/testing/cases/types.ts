// Shared vocabulary of the executable conformance cases: what a case is, how it is run, and the
// small helpers the case tables use. Expected values in the tables are worked out from the Wasm
// spec's definitions (wrap-around, NaN rules, trap conditions), never from a backend's output.

import { ValueKind, type Signature } from '../../abi.ts';
import type { FinishedCode } from '../../code-buffer.ts';
import { OperandSize, type MacroAssembler } from '../../masm.ts';
import type { Reg, RegClass } from '../../regs.ts';
import type { TrapReason } from '../../trap.ts';
import type { RegisterValueStack } from '../value-stack.ts';

/** i32 and f32/f64 values are numbers; i64 values are bigints, v128 values unsigned 128-bit bigints (lane 0 lowest). */
export type WasmValue = number | bigint;

export type ExecutionOutcome =
  | { readonly kind: 'return'; readonly results: readonly WasmValue[] }
  | { readonly kind: 'trap'; readonly reason: TrapReason };

/** What the VM context must provide for a case, set up by the `execute` callback. */
export interface CaseSetup {
  /** Byte length of linear memory 0 (VMCTX_MEMORY0_BASE/LENGTH and the memories array); none if absent. */
  readonly memoryLength?: number;
  /** Initial contents of memory 0 from offset 0; the rest is zero. */
  readonly memoryInit?: readonly number[];
  /** Jump-table slot 0 holds the case's own function, so `callDirect(0)` recurses. */
  readonly selfInJumpTable?: boolean;
}

/** Runs finished code natively with the given arguments (supplied by the runtime's test). */
export type ExecuteFn = (
  code: FinishedCode,
  signature: Signature,
  args: readonly WasmValue[],
  setup: CaseSetup,
) => ExecutionOutcome;

export interface CaseEnv {
  readonly params: readonly Reg[];
  readonly result: Reg;
  readonly stack: RegisterValueStack;
  /** A register of `cls` that is neither a parameter nor a result register. */
  temp(cls: RegClass): Reg;
}

export interface CaseRun {
  readonly args: readonly WasmValue[];
  readonly expect: { readonly results: readonly WasmValue[] } | { readonly trap: TrapReason };
}

export interface ExecutableCase {
  readonly name: string;
  readonly signature: Signature;
  /** Emits the body between the kit's prologue and epilogue; leaves the result in `env.result`. */
  readonly body: (masm: MacroAssembler, env: CaseEnv) => void;
  readonly runs: readonly CaseRun[];
  readonly setup?: CaseSetup;
}

export const { I32, I64, F32, F64, V128 } = ValueKind;
export const S32 = OperandSize.S32;
export const S64 = OperandSize.S64;
export const I32_MIN = -0x8000_0000;
export const sig = (params: ValueKind[], results: ValueKind[]): Signature => ({ params, results });
export const ok = (...results: WasmValue[]) => ({ results });
export const trap = (reason: TrapReason) => ({ trap: reason });
