// Runtime builtins: operations generated code delegates to the runtime (growing memory, bulk
// memory and table operations, …). The compilers emit `callBuiltin(id)`; the runtime fills the
// VM context's builtin table (`VMCTX_BUILTINS`, one code pointer per id) with its entry points.
//
// Every builtin has one C signature, so the runtime needs a single callback type and the
// compilers a single argument-passing rule:
//
//     int64_t builtin(VMContext* vmctx, int64_t a, int64_t b, int64_t c, int64_t d)
//
// Arguments go in the calling convention's first five integer argument registers (vmctx
// first); unused ones are ignored. A builtin that must trap writes the trap reason into
// `VMCTX_TRAP_REASON` and returns; generated code checks that field after every builtin call
// that can trap (`BUILTIN_CAN_TRAP`) and leaves through the trap exit when it is non-zero.
// Ids are append-only, like the VM-context layout.

export const Builtin = {
  /** (memory, deltaPages) → previous size in pages, or -1 when it cannot grow. */
  MemoryGrow: 0,
  /** (memory) → size in pages. */
  MemorySize: 1,
  /** (memory, destination, byte value, length) → 0; traps out of bounds. */
  MemoryFill: 2,
  /** (destinationMemory << 32 | sourceMemory, destination, source, length) → 0; traps out of bounds. */
  MemoryCopy: 3,
  /** (memory << 32 | dataSegment, destination, source offset, length) → 0; traps out of bounds. */
  MemoryInit: 4,
  /** (dataSegment) → 0. */
  DataDrop: 5,
  /** (table, index) → reference; traps out of bounds. */
  TableGet: 6,
  /** (table, index, reference) → 0; traps out of bounds. */
  TableSet: 7,
  /** (table) → length. */
  TableSize: 8,
  /** (table, initial reference, delta) → previous length, or -1. */
  TableGrow: 9,
  /** (table, destination, reference, length) → 0; traps out of bounds. */
  TableFill: 10,
  /** (destinationTable << 32 | sourceTable, destination, source, length) → 0; traps out of bounds. */
  TableCopy: 11,
  /** (table << 32 | elementSegment, destination, source offset, length) → 0; traps out of bounds. */
  TableInit: 12,
  /** (elementSegment) → 0. */
  ElemDrop: 13,
  /** (function index) → the function's funcref (a `FuncRefRecord` pointer). */
  RefFunc: 14,
  /**
   * Debug code only (the baseline tier's debug mode): (function index, Wasm offset, frame pointer,
   * debug site index) → 0 to go on, or the address of the code to go on at instead (the same
   * position in another debug code of the function, which the caller jumps to with
   * `jumpIndirect`). Never traps: the debugger's own failures stay in the debugger.
   */
  DebugBreak: 15,
  /**
   * () → the interrupt poll, reached when `VMCTX_POLL_COUNTDOWN` runs out (see
   * `MacroAssembler.pollInterrupt`). The caller clears `HostState.pollAnswer` first; the runtime
   * checks interrupts, deadlines and the like, resets the countdown and writes 1 there to go on.
   * The answer travels through memory, not the return value, because when the host cannot run the
   * poll at all (a terminating worker) the FFI returns an arbitrary value; an untouched 0 then
   * means stop, and generated code traps with `TrapReason.Interrupted`.
   */
  Poll: 16,
  /**
   * Baseline code compiled for dynamic tiering only: (function index) → 0, reached when the
   * function's budget (`VMCTX_TIERING_BUDGETS`) drops below zero (`MacroAssembler.tierUpCheck`).
   * The runtime queues the function for the optimizing tier and refills the budget; it never
   * traps and never runs the compile on the calling thread.
   */
  TierUp: 17,
} as const;
export type Builtin = (typeof Builtin)[keyof typeof Builtin];

/** Number of builtin ids; the runtime's builtin table has this many entries. */
export const BUILTIN_COUNT = 18;

/** Integer arguments after the VM context. */
export const BUILTIN_MAX_ARGS = 4;

/** Builtins that may set a trap reason, so the caller must check `VMCTX_TRAP_REASON` afterwards. */
export const BUILTIN_CAN_TRAP: readonly boolean[] = [
  false, false, true, true, true, false, true, true, false, false, true, true, true, false, false, false, false, false,
];
