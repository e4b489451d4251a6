// The VM context: the per-instance block of native memory that generated code reads through the
// pinned VM-context register. Defined once, here, for the compilers, every backend and the
// runtime that fills it in; a runtime test writes each field through these offsets into real
// memory and has generated code read it back, so the two sides cannot drift apart.
//
// Every field is naturally aligned; pointers and lengths are 64-bit (Flint supports 64-bit hosts
// only). Fields are append-only: code compiled against an offset keeps meaning the same thing.

/** Base address of memory 0; reloaded after any call that may grow memory. */
export const VMCTX_MEMORY0_BASE = 0;
/** Byte length of memory 0 (u64): the explicit bounds check compares against it. */
export const VMCTX_MEMORY0_LENGTH = 8;
/**
 * Pointer to the array of `MemoryRecord`s (one per memory, index 0 included) for multi-memory;
 * memory 0 is also copied into the two fields above so the common case is one load.
 */
export const VMCTX_MEMORIES = 16;
/**
 * Lowest stack-pointer value Wasm code may run at (u64). Prologues compare the stack pointer
 * against it and trap with `call stack exhausted`; it sits far enough above the host stack's real
 * end that the trap exit and host code still have room to run.
 */
export const VMCTX_STACK_LIMIT = 24;
/** Pointer to the globals area: `GLOBAL_SLOT_SIZE` bytes per global, in global-index order. */
export const VMCTX_GLOBALS = 32;
/** Pointer to the array of `TableRecord`s, one per table. */
export const VMCTX_TABLES = 40;
/** Pointer to the array of `ImportRecord`s, one per imported function. */
export const VMCTX_IMPORTED_FUNCTIONS = 48;
/**
 * Pointer to the module's jump table: one code pointer per function index (imports first).
 * Direct calls go through it, so lazy compilation and tier-up replace one slot, never patch code.
 */
export const VMCTX_JUMP_TABLE = 56;
/** Pending trap reason (u32, a `TrapReason`; 0 while running normally). Written before trap exit. */
export const VMCTX_TRAP_REASON = 64;
/** Address just after the call into the trap exit: identifies the trap site. Written by the trap exit. */
export const VMCTX_TRAP_PC = 72;
/** Host stack pointer saved by the entry trampoline; the trap exit unwinds to it. */
export const VMCTX_SAVED_HOST_SP = 80;
/** Address of the trap exit stub; generated code calls it to leave Wasm with a trap. */
export const VMCTX_TRAP_EXIT = 88;
/**
 * Pointer to the u32 array mapping a type index of this module to its canonical type id, which
 * `call_indirect` compares with the callee's `FuncRefRecord.typeId`.
 */
export const VMCTX_SIGNATURE_IDS = 96;
/** Pointer to the array of runtime builtin entry points (memory.grow, table.get, …) by builtin id. */
export const VMCTX_BUILTINS = 104;
/** Address of the thread's `HostState` block (see backend.ts). */
export const VMCTX_HOST_STATE = 112;
/**
 * Countdown to the next interrupt poll (u32): generated code decrements it at every function
 * entry, loop header and tail call, and calls the `Poll` builtin when it reaches zero; the runtime
 * resets it there. This is how running code can be stopped (interrupts, deadlines, worker
 * termination) at the cost of one decrement, as V8's stack guard polls at the same points.
 */
export const VMCTX_POLL_COUNTDOWN = 120;
/**
 * Pointer to the module's tiering budgets: one i32 per function index (imports included, unused),
 * shared by every instance of the module. Baseline code compiled for dynamic tiering subtracts
 * from its function's budget at entry and on loop back-edges (`MacroAssembler.tierUpCheck`) and
 * calls the `TierUp` builtin when it drops below zero. Unused (0) in code compiled without tiering.
 */
export const VMCTX_TIERING_BUDGETS = 128;
/** Size of the VM context in bytes (a multiple of 16, so the areas after it stay aligned). */
export const VMCTX_SIZE = 144;

/** One memory in the `VMCTX_MEMORIES` array. */
export const MemoryRecord = {
  base: 0,
  length: 8,
  size: 16,
} as const;

/** One table in the `VMCTX_TABLES` array. Elements are 8-byte pointers to `FuncRefRecord`s (null = 0) or references. */
export const TableRecord = {
  base: 0,
  /** Number of elements (u64). */
  length: 8,
  size: 16,
} as const;

/** One imported function in the `VMCTX_IMPORTED_FUNCTIONS` array. */
export const ImportRecord = {
  /** Code address to call. */
  code: 0,
  /** VM context the callee expects in the VM-context register (its own instance's). */
  vmContext: 8,
  size: 16,
} as const;

/** What a `funcref` points at: everything `call_indirect` / `call_ref` needs. */
export const FuncRefRecord = {
  code: 0,
  vmContext: 8,
  /** Canonical type id (u32). */
  typeId: 16,
  size: 24,
} as const;

/** Bytes per global in the globals area: room for a v128 so every global has one stride. */
export const GLOBAL_SLOT_SIZE = 16;

/** Bytes per jump-table entry (a code pointer). */
export const JUMP_TABLE_ENTRY_SIZE = 8;

/** The VM context layout as one object, for code that walks it (tests, debuggers, the runtime). */
export const VMContextLayout = {
  memory0Base: VMCTX_MEMORY0_BASE,
  memory0Length: VMCTX_MEMORY0_LENGTH,
  memories: VMCTX_MEMORIES,
  stackLimit: VMCTX_STACK_LIMIT,
  globals: VMCTX_GLOBALS,
  tables: VMCTX_TABLES,
  importedFunctions: VMCTX_IMPORTED_FUNCTIONS,
  jumpTable: VMCTX_JUMP_TABLE,
  trapReason: VMCTX_TRAP_REASON,
  trapPc: VMCTX_TRAP_PC,
  savedHostSp: VMCTX_SAVED_HOST_SP,
  trapExit: VMCTX_TRAP_EXIT,
  signatureIds: VMCTX_SIGNATURE_IDS,
  builtins: VMCTX_BUILTINS,
  hostState: VMCTX_HOST_STATE,
  pollCountdown: VMCTX_POLL_COUNTDOWN,
  tieringBudgets: VMCTX_TIERING_BUDGETS,
  size: VMCTX_SIZE,
} as const;

/** Width in bytes of each VM-context field (the trap reason is a u32 in an 8-byte slot). */
export const VMContextFieldSize: Readonly<Record<Exclude<keyof typeof VMContextLayout, 'size'>, 4 | 8>> = {
  memory0Base: 8,
  memory0Length: 8,
  memories: 8,
  stackLimit: 8,
  globals: 8,
  tables: 8,
  importedFunctions: 8,
  jumpTable: 8,
  trapReason: 4,
  trapPc: 8,
  savedHostSp: 8,
  trapExit: 8,
  signatureIds: 8,
  builtins: 8,
  hostState: 8,
  pollCountdown: 4,
  tieringBudgets: 8,
};
