// The contract between the conformance harness and an engine configuration under test.
// Execution members are optional so that a validate-only engine and, later, executing tiers
// (baseline-x64, baseline-arm64, optimizing-…) share one harness: an assertion that needs a
// member the engine lacks is skipped with reason "needs execution", never failed.

/** The outcome of compiling one module: a compiled module, or the error that rejected it. */
export type CompileOutcome =
  | {
      readonly ok: true;
      readonly module: unknown;
      /** Features the module uses, when the engine can tell (the validator reports them). */
      readonly features?: Iterable<string>;
    }
  | { readonly ok: false; readonly error: Error };

/** A runtime value as the harness passes it to and reads it from an engine. */
export type WastValue =
  | { readonly type: 'i32' | 'f32'; readonly bits: number }
  | { readonly type: 'i64' | 'f64'; readonly bits: bigint }
  | { readonly type: 'v128'; readonly bytes: Uint8Array }
  | { readonly type: 'ref'; readonly heap: string; readonly value: unknown };

/** The outcome of running code: values, or a trap/exception/exhaustion with its message. */
export type RunOutcome =
  | { readonly ok: true; readonly values: readonly WastValue[] }
  | { readonly ok: false; readonly kind: 'trap' | 'exception' | 'exhaustion' | 'link'; readonly message: string };

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
  /** Decodes and validates a binary module. Must not throw: rejection is an outcome. */
  compile(bytes: Uint8Array): CompileOutcome;
  /** Instantiates a compiled module against the registered instances (executing engines only). */
  instantiate?(module: unknown, imports: ReadonlyMap<string, unknown>): RunOutcome & { readonly instance?: unknown };
  /** Calls an exported function (executing engines only). */
  invoke?(instance: unknown, name: string, args: readonly WastValue[]): RunOutcome;
  /** Reads an exported global (executing engines only). */
  get?(instance: unknown, name: string): RunOutcome;
}
