// Trap reasons: the closed list of ways generated code can stop a Wasm computation, and the
// message text the spec testsuite expects for each (`assert_trap` strings).
// https://webassembly.github.io/spec/core/exec/runtime.html#results (traps)
// https://github.com/WebAssembly/testsuite (message texts used by assert_trap)
//
// The numeric value is what generated code writes into the VM context's trap-reason slot and what
// the entry trampoline returns to the host, so 0 is reserved for "no trap" and values never change
// meaning once assigned (append only).

export const TrapReason = {
  Unreachable: 1,
  IntegerDivideByZero: 2,
  IntegerOverflow: 3,
  InvalidConversionToInteger: 4,
  OutOfBoundsMemoryAccess: 5,
  OutOfBoundsTableAccess: 6,
  UndefinedElement: 7,
  UninitializedElement: 8,
  IndirectCallTypeMismatch: 9,
  CallStackExhausted: 10,
  NullReference: 11,
  NullFunctionReference: 12,
  CastFailure: 13,
  OutOfBoundsArrayAccess: 14,
  OutOfBoundsArrayAccessFill: 15,
  UnalignedAtomic: 16,
  ExpectedSharedMemory: 17,
  OutOfBoundsDataSegmentAccess: 18,
  NullStructReference: 19,
  NullArrayReference: 20,
  NullI31Reference: 21,
  ArrayTooLarge: 22,
  UncaughtException: 23,
  /** Not a trap of the spec: the host stopped the code (an interrupt, a deadline, worker termination). */
  Interrupted: 24,
  /** Not a trap of the spec: opt-in fuel metering ran out. */
  FuelExhausted: 25,
} as const;
export type TrapReason = (typeof TrapReason)[keyof typeof TrapReason];

/** The value of the VM context's trap-reason slot while no trap is pending. */
export const NO_TRAP = 0;

// Indexed by reason; messages follow the spec testsuite's `assert_trap` texts, which harnesses
// match by prefix.
const TRAP_MESSAGES: readonly string[] = [
  '',
  'unreachable',
  'integer divide by zero',
  'integer overflow',
  'invalid conversion to integer',
  'out of bounds memory access',
  'out of bounds table access',
  'undefined element',
  'uninitialized element',
  'indirect call type mismatch',
  'call stack exhausted',
  'null reference',
  'null function reference',
  'cast failure',
  'out of bounds array access',
  'out of bounds array access',
  'unaligned atomic',
  'expected shared memory',
  'out of bounds memory access',
  'null structure reference',
  'null array reference',
  'null i31 reference',
  'array too large',
  'uncaught exception',
  'interrupted',
  'fuel exhausted',
];

const MAX_TRAP_REASON = TRAP_MESSAGES.length - 1;

/** True when `value` is one of the defined trap reasons (not `NO_TRAP`, not out of range). */
export function isTrapReason(value: number): value is TrapReason {
  return Number.isInteger(value) && value >= 1 && value <= MAX_TRAP_REASON;
}

/** The spec text for a trap reason, e.g. `integer divide by zero`. */
export function trapMessage(reason: TrapReason): string {
  return TRAP_MESSAGES[reason] ?? `unknown trap (${reason as number})`;
}
