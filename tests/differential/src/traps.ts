// Trap kinds across the two engines. Flint's `RuntimeError` messages use the spec's wording
// (the testsuite's `assert_trap` texts); V8 has its own. A trap agrees when V8's message maps to
// Flint's. Stack exhaustion is compared as "trapped", not by message: V8 throws a `RangeError`,
// Flint a `RuntimeError` "call stack exhausted".
// Spec trap texts: https://github.com/WebAssembly/spec/tree/main/test/core (assert_trap)

/** The outcome class of stack exhaustion on either engine. */
export const STACK_EXHAUSTED = 'call stack exhausted';

/**
 * V8's trap messages (Node 20) and the spec wording(s) each stands for. V8 merges some traps the
 * spec tells apart, so one V8 message may stand for several spec messages.
 */
export const V8_TRAP_TO_SPEC: ReadonlyMap<string, readonly string[]> = new Map([
  ['unreachable', ['unreachable']],
  // V8 names division and remainder separately; the spec calls both "integer divide by zero".
  ['divide by zero', ['integer divide by zero']],
  ['remainder by zero', ['integer divide by zero']],
  ['divide result unrepresentable', ['integer overflow']],
  // V8 uses one message for NaN ("invalid conversion") and out-of-range ("integer overflow").
  ['float unrepresentable in integer range', ['invalid conversion to integer', 'integer overflow']],
  ['memory access out of bounds', ['out of bounds memory access']],
  // call_indirect past the end of the table.
  ['table index is out of bounds', ['undefined element']],
  // V8 merges a null slot and a signature mismatch.
  ['null function or function signature mismatch', ['uninitialized element', 'indirect call type mismatch']],
]);

/** How a call ended, in a form that compares across engines. */
export type CallOutcome =
  | { readonly kind: 'return'; readonly values: string }
  | { readonly kind: 'trap'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/** Node's own trap class: its messages are V8's wording, tagged `v8:` in outcomes. */
const V8RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly.RuntimeError;

// A boolean, not a type guard: both engines' traps are `Error`s named RuntimeError.
const isV8Trap = (error: Error): boolean => error instanceof V8RuntimeError;

/** Classifies what a call threw; a trap is tagged by who threw it (V8's wording or the spec's). */
export function outcomeOfError(error: unknown): CallOutcome {
  if (!(error instanceof Error)) return { kind: 'error', message: `${typeof error}: ${String(error)}` };
  if (error instanceof RangeError || error.message === STACK_EXHAUSTED) return { kind: 'trap', message: STACK_EXHAUSTED };
  if (error.name === 'RuntimeError') {
    return { kind: 'trap', message: isV8Trap(error) ? `v8:${error.message}` : error.message };
  }
  return { kind: 'error', message: `${error.name}: ${error.message}` };
}

/** True when V8's and Flint's outcomes agree. */
export function outcomesAgree(v8: CallOutcome, flint: CallOutcome): boolean {
  if (v8.kind === 'return') return flint.kind === 'return' && v8.values === flint.values;
  if (v8.kind === 'error' || flint.kind !== 'trap') return false;
  if (v8.message === STACK_EXHAUSTED || flint.message === STACK_EXHAUSTED) return v8.message === flint.message;
  // Both in V8's wording (the runner's own tests run V8 against a sabotaged V8).
  if (flint.message.startsWith('v8:')) return v8.message === flint.message;
  const spec = V8_TRAP_TO_SPEC.get(v8.message.slice('v8:'.length));
  return spec !== undefined && spec.includes(flint.message);
}

/** A short, stable description of an outcome (used in reports and allow-list signatures). */
export function describeOutcome(outcome: CallOutcome): string {
  if (outcome.kind === 'return') return `returned ${outcome.values}`;
  if (outcome.kind === 'trap') return `trapped "${outcome.message}"`;
  return `threw ${outcome.message}`;
}
