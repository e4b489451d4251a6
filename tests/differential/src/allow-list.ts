// Known, reported mismatches between Flint and V8. A mismatch is matched by its failure class
// (`failureClass`: aspect and outcome classes, no values, function numbers as #N) and, when the
// bug is tied to an operator, by that operator still being in the shrunk module. A matched seed
// is reported but does not fail the test; anything else does. Each entry says what the bug is
// and which package owns the fix; remove it with the fix. This is a queue of bugs and known
// bailouts, not a place to silence the test.

export interface KnownMismatch {
  /** The failure class, exactly as `failureClass` writes it. */
  readonly failure: string;
  /** An operator the shrunk module must contain for the entry to apply. */
  readonly operator?: string;
  /** The bug or limitation, and the package that owns the fix. */
  readonly reason: string;
}

export const KNOWN_MISMATCHES: readonly KnownMismatch[] = [
  {
    failure:
      'compile: v8 ok / flint UnsupportedError: not supported by the baseline tier: unsupported-feature: ' +
      'tail calls with stack arguments or stack results (function #N)',
    reason:
      '@flint/compiler-baseline bails out on return_call/return_call_indirect whose callee or caller passes ' +
      'arguments or results on the stack; V8 compiles them. A typed bailout, not a crash, but the module is lost.',
  },
];

/** The allow-list entry covering a mismatch, if any. */
export function findKnownMismatch(failure: string, operators: readonly string[]): KnownMismatch | undefined {
  return KNOWN_MISMATCHES.find((k) => k.failure === failure && (k.operator === undefined || operators.includes(k.operator)));
}
