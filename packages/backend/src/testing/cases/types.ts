// Shared vocabulary of the executable conformance cases: what a case is, how it is run, and the
// small helpers the case tables use. Expected values in the tables are worked out from the Wasm
// spec's definitions (wrap-around, NaN rules, trap conditions), never from a backend's output.

import { ValueKind, type Signature } from '../../abi.ts';
import type { FinishedCode } from '../../code-buffer.ts';
import { OperandSize, type MacroAssembler } from '../../masm.ts';
import type { Reg, RegClass } from '../../regs.ts';
import type { TrapReason } from '../../trap.ts';
import type { RegisterValueStack } from '../value-stack.ts';

/** i32 and f32/f64 values are numbers; i64 values are bigints. */
export type WasmValue = number | bigint;

export type ExecutionOutcome =
  | { readonly kind: 'return'; readonly results: readonly WasmValue[] }
  | { readonly kind: 'trap'; readonly reason: TrapReason };

/** What the VM context must provide for a case, set up by the runtime's `execute`. */
export interface CaseSetup {
  /**
   * Byte length of linear memory 0, a multiple of 64 KiB (VMCTX_MEMORY0_BASE/LENGTH and the
   * memories array); none if absent.
   */
  readonly memoryLength?: number;
  /** Initial contents of memory 0 from offset 0; the rest is zero. */
  readonly memoryInit?: readonly number[];
  /** Jump-table slot 0 holds the case's own function, so `callDirect(0)` recurses. */
  readonly selfInJumpTable?: boolean;
  /** The case calls the kit's callee through an import or a table (see `CallSetup`). */
  readonly calls?: CallSetup;
  /**
   * The VM context's builtin table holds the runtime's builtins, which act on this case's
   * memory 0 (their contract is `Builtin` in `@flint/backend`).
   */
  readonly builtins?: boolean;
}

/**
 * The functions a case calls. There are two instances: the case's own ("this", whose VM context
 * the case runs with) and a second one ("other"). The callee, the same code in both, is
 * `(i64 x) → x + marker`, where `marker` is what its VM context's VMCTX_GLOBALS field holds
 * (`INSTANCE_MARKERS`), so a result shows in whose context the callee ran and a case can read
 * its own marker to show its VM context came back. Import 0 is always the callee in the other
 * instance.
 */
export interface CallSetup {
  /** Canonical type ids of the case module's types, by type index (VMCTX_SIGNATURE_IDS). */
  readonly signatureIds?: readonly number[];
  /** Table 0: each entry the callee with a canonical type id in one instance, or null. */
  readonly table?: readonly (TableEntry | null)[];
}

export interface TableEntry {
  readonly typeId: number;
  readonly instance: 'this' | 'other';
}

/** What the VMCTX_GLOBALS field of each instance holds in a case with `calls`. */
export const INSTANCE_MARKERS = { this: 7, other: 1000 } as const;

/** A case built for one backend: what the runtime's `execute` places and runs. */
export interface BuiltCase {
  readonly name: string;
  readonly code: FinishedCode;
  readonly signature: Signature;
  readonly setup: CaseSetup;
  /** The callee of `setup.calls` (`(i64) → i64`), built with the same backend; null without calls. */
  readonly callee: FinishedCode | null;
}

/**
 * Places a built case natively with the VM contexts its setup asks for, calls it once per
 * argument list and returns the outcomes in order (supplied by the runtime, which owns native
 * execution). Every run starts from the state the setup describes (memory 0 holds `memoryInit`
 * and zeros again).
 */
export type ExecuteFn = (built: BuiltCase, runs: readonly (readonly WasmValue[])[]) => ExecutionOutcome[];

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

export const { I32, I64, F32, F64 } = ValueKind;
export const S32 = OperandSize.S32;
export const S64 = OperandSize.S64;
export const I32_MIN = -0x8000_0000;
export const sig = (params: ValueKind[], results: ValueKind[]): Signature => ({ params, results });
export const ok = (...results: WasmValue[]) => ({ results });
export const trap = (reason: TrapReason) => ({ trap: reason });
