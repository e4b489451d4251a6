// The `Backend` object: everything one ISA offers the compilers and the runtime. Adding an ISA is
// one package exporting one of these, passing the conformance kit (`@flint/backend/testing`),
// plus one line in the runtime's backend lookup.

import type { CallingConvention, Signature } from './abi.ts';
import type { FinishedCode } from './code-buffer.ts';
import type { IsaLowering } from './lowering.ts';
import type { MacroAssembler, MacroAssemblerOptions } from './masm.ts';
import type { MachineRegisters } from './regs.ts';

/**
 * Host-to-Wasm entry trampolines have one C signature for every Wasm signature:
 *
 *     uint32_t entry(VMContext *vmctx, void *code, uint8_t *values)
 *
 * `values` holds one `ENTRY_VALUE_SLOT_SIZE`-byte slot per parameter on the way in (i32/f32 in
 * the low 4 bytes, i64/f64/ref in the low 8), and the trampoline writes the results into the
 * same buffer from slot 0 on the way out. It returns 0 on normal return, or the `TrapReason` when
 * the Wasm code trapped (the trap exit unwinds to the entry trampoline's frame).
 */
export const ENTRY_VALUE_SLOT_SIZE = 16;

/**
 * The per-thread host state block the runtime allocates once per thread and passes (by address)
 * to the entry trampolines, the trap exit and host-call trampolines. It makes unwinding
 * independent of the instance whose code traps: a trap in another instance's function (a
 * cross-instance import, a foreign funcref in a table) still returns to the thread's innermost
 * entry. Offsets of u64 fields.
 */
export const HostState = {
  /** Stack pointer of the innermost entry frame while Wasm runs (0 outside Wasm). */
  savedHostSp: 0,
  /** Stack limit set by the thread's outermost entry; nested entries copy it to their VM context. */
  stackLimit: 8,
  size: 16,
} as const;

export interface Backend {
  readonly name: 'x64' | 'arm64' | (string & {});
  readonly registers: MachineRegisters;
  /** The convention between Wasm functions (the VM context stays in `registers.vmContext`). */
  readonly callingConvention: CallingConvention;
  /** The host C convention the entry trampoline is called with. */
  readonly hostCallingConvention: CallingConvention;
  createMacroAssembler(options?: MacroAssemblerOptions): MacroAssembler;
  /** The optimizing tier's instruction selection and encoding for this ISA (one per compiler). */
  createLowering(): IsaLowering;
  /**
   * The entry trampoline for `signature` (see `ENTRY_VALUE_SLOT_SIZE`) bound to the thread's
   * `HostState` block at `hostState`; the runtime caches one per signature and thread.
   */
  emitEntryTrampoline(signature: Signature, hostState: bigint): FinishedCode;
  /**
   * The trap exit: entered by a call from Wasm code after it stored the trap reason in the VM
   * context; records the trap PC, restores the host stack pointer saved by the entry trampoline
   * and returns the trap reason from the entry trampoline. One per thread (`HostState` block).
   */
  emitTrapExit(hostState: bigint): FinishedCode;
  /**
   * A host-call trampoline: Wasm code calls it like a Wasm function of `signature`; it stores
   * the arguments in `ENTRY_VALUE_SLOT_SIZE`-byte slots and calls the host function
   * `uint32_t dispatcher(VMContext *vmctx, uint32_t hostId, uint8_t *values)`, which writes the
   * results into the same slots. A non-zero status is stored as the trap reason and leaves
   * through the trap exit (the runtime uses a private status for a host exception).
   */
  emitHostCallTrampoline(signature: Signature, dispatcher: bigint, hostId: number): FinishedCode;
  /**
   * The lazy-compilation stub of one function: called like the function itself (any signature),
   * it jumps to the code address in the u64 at `codeSlot` when non-zero; otherwise it preserves
   * the argument registers, calls `uint64_t compile(VMContext *vmctx, uint32_t funcIndex)`
   * (which compiles the function, fills `codeSlot` and returns the address, or 0 after recording
   * a failure) and jumps there, or leaves through the trap exit with status `failureStatus`.
   */
  emitLazyCompileStub(funcIndex: number, codeSlot: bigint, compiler: bigint, failureStatus: number): FinishedCode;
  /** Code with the C signature `uint64_t f(void)` returning the caller's stack pointer. */
  emitReadStackPointer(): FinishedCode;
  /** Throws a `BackendBailout` (`isa-extension-missing`) when the host CPU cannot run this backend's code. */
  checkCpuSupport(): void;
}
