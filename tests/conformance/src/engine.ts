// The contract between the conformance harness and an engine configuration under test.
// Every engine compiles in the harness's process; an executing engine also names the native
// target its scripts run on, and the harness then runs each script in a child process (see
// child-pool.ts) through the execution tests' WAST runner, so that a crash in generated code
// fails one file, not the run.

import type { DecodeOptions } from '@flint/decoder';

/** The outcome of compiling one module: a compiled module, or the error that rejected it. */
export type CompileOutcome =
  | {
      readonly ok: true;
      readonly module: unknown;
      /** Features the module uses, when the engine can tell (the validator reports them). */
      readonly features?: Iterable<string>;
    }
  | { readonly ok: false; readonly error: Error };

export interface EngineUnderTest {
  /** Names the configuration in reports and in the ratchet file (`validate`, `baseline-x64`, …). */
  readonly name: string;
  /** False for engines that only compile; execution assertions are then skipped. */
  readonly executes: boolean;
  /**
   * The proposal features this configuration supports, by the opcode table's feature names and
   * the testsuite's proposal folder names; an assertion needing another is skipped with reason
   * `proposal not supported: <feature>`. Null means every feature the decoder knows.
   */
  readonly features: ReadonlySet<string> | null;
  /**
   * Decodes and validates a binary module. Must not throw: rejection is an outcome. `options`
   * carries the decoder features a proposal group opts into (see `decodeOptionsFor`).
   */
  compile(bytes: Uint8Array, options?: DecodeOptions): CompileOutcome;
  /** Where an executing engine runs its scripts; absent for engines that only compile. */
  readonly execution?: ExecutionTarget;
}

/** The native configuration an executing engine runs scripts on. */
export interface ExecutionTarget {
  /** The registered backend (ISA) the scripts run on: natively, or under its emulator. */
  readonly backend: string;
  /** The registered tier the runtime compiles with. */
  readonly tier: string;
  /** Compile each function on its first call (`{ lazy: true }` in the runtime). */
  readonly lazy: boolean;
  /**
   * Proposal groups (`proposals/<name>`) whose every assertion is skipped, with the reason: for
   * proposals the engine cannot even be asked to decode.
   */
  readonly skippedGroups: ReadonlyMap<string, string>;
  /** Environment variables the child runs with, over the harness's own (e.g. a CPU feature cap). */
  readonly env?: Readonly<Record<string, string>>;
}
