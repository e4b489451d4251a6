// Known, reported mismatches between Flint and V8, keyed by failure signature
// (`failureSignature`: aspect and outcome classes, then the operators of the shrunk module).
// A seed whose shrunk signature is listed here is reported but does not fail the test; anything
// else does. Each entry says why it is here and who owns the fix; remove it with the fix.
// Keep this list short: it is a queue of bugs, not a place to silence the test.

export interface KnownMismatch {
  readonly signature: string;
  /** The bug, where it was reported, and the package that owns the fix. */
  readonly reason: string;
}

export const KNOWN_MISMATCHES: readonly KnownMismatch[] = [];

export function findKnownMismatch(signature: string): KnownMismatch | undefined {
  return KNOWN_MISMATCHES.find((k) => k.signature === signature);
}
