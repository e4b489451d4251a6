// The `Backend` object: everything one ISA offers the compilers and the runtime. Adding an ISA is
// one package exporting one of these (with its `isa.json` descriptor), passing the conformance
// kit (`@flint/backend/testing`), plus one row in the runtime's backend registry.

import type { CallingConvention, Signature } from './abi.ts';
import type { IsaDescriptor } from './isa.ts';
import type { Builtin } from './builtins.ts';

/** Addresses of C library routines native builtins may call (or tail-call) with the host C convention. */
export interface NativeRoutines {
  /** `void *memmove(void *dst, const void *src, size_t n)` */
  readonly memmove: bigint;
  /** `void *memset(void *dst, int byte, size_t n)` */
  readonly memset: bigint;
}
import type { FinishedCode } from './code-buffer.ts';
import type { CpuFeatureSet, CpuFeatureSupport } from './cpu-features.ts';
import type { IsaLowering, LoweringOptions } from './lowering.ts';
import type { MacroAssembler, MacroAssemblerOptions } from './masm.ts';
import type { MachineRegisters } from './regs.ts';

/**
 * Every call between the host and Wasm, in either direction, passes its callee and values in a
 * *value frame* on the thread's value stack (see `HostState`), so that the native calls carry no
 * arguments at all (each argument koffi converts costs as much as the rest of the call):
 *
 *     [frame + 0]   the callee: a `FuncRefRecord` address (host → Wasm) or a host id (u32, Wasm → host)
 *     [frame + 16]  one ENTRY_VALUE_SLOT_SIZE-byte slot per parameter on the way in (i32/f32 in the
 *                   low 4 bytes, i64/f64/ref in the low 8); the results in the same slots, from the
 *                   first, on the way out.
 *
 * Host → Wasm: the host writes a frame at `base + top` and calls the signature's entry trampoline
 *
 *     uint32_t entry(void)
 *
 * which takes the frame (advancing `top` past it until it returns), calls `callee->code` with
 * `callee->vmContext` — so a function reached through its record always runs its current code,
 * lazily compiled or tiered up — and returns 0, or the `TrapReason` when the Wasm code trapped
 * (the trap exit unwinds to the entry trampoline's frame, which restores `top`).
 */
export const ENTRY_VALUE_SLOT_SIZE = 16;

/** Bytes before the first value slot of a value frame (the callee). */
export const VALUE_FRAME_HEADER = 16;
/** Most program counters the trap exit records per unwind (see `HostState.trapFrames`). */
export const TRAP_FRAME_CAPACITY = 512;

/**
 * The per-thread host state block the runtime allocates once per thread and passes (by address)
 * to the entry trampolines, the trap exit and host-call trampolines. It makes unwinding
 * independent of the instance whose code traps: a trap in another instance's function (a
 * cross-instance import, a foreign funcref in a table) still returns to the thread's innermost
 * entry. It also holds the thread's value stack of value frames (see `ENTRY_VALUE_SLOT_SIZE`), so
 * no call needs a native allocation and calls nest to any depth the stack has room for. Offsets
 * of the fields.
 */
export const HostState = {
  /** Stack pointer of the innermost entry frame while Wasm runs (0 outside Wasm); u64. */
  savedHostSp: 0,
  /** Stack limit set by the thread's outermost entry; nested entries copy it to their VM context; u64. */
  stackLimit: 8,
  /** Address of the value stack; u64. */
  valueStackBase: 16,
  /** Bytes of the value stack in use; u32. */
  valueStackTop: 24,
  /** Capacity of the value stack in bytes; u32. A host call that would pass it traps (stack exhausted). */
  valueStackSize: 28,
  /** Offset of the value frame of the host call being dispatched (written right before the dispatcher runs); u32. */
  hostCallFrame: 32,
  /** The interrupt poll's answer (u32): generated code clears it, the runtime's poll writes 1 to go on (see `Builtin.Poll`). */
  pollAnswer: 36,
  /** How many program counters the last unwind recorded in `trapFrames`; u64. */
  trapFrameCount: 40,
  /**
   * `TRAP_FRAME_CAPACITY` u64 program counters, recorded by the trap exit before it drops the
   * frames it unwinds — the stack trace of a trap, or of a host exception passing through Wasm.
   * Entry 0 is the trap PC (the return address of the call into the trap exit); then, walking
   * the frame-pointer chain from the trap exit's caller (see `Backend.emitTrapExit`), the return
   * address of each frame, innermost first, up to and including the return into the entry
   * trampoline. The runtime maps them to functions and Wasm offsets through trap and call sites.
   */
  trapFrames: 48,
  /**
   * Fuel left on this thread (i64; see `MacroAssembler.consumeFuel`): code compiled with fuel
   * metering subtracts what it runs and traps with `fuel exhausted` once the result is negative.
   */
  fuel: 48 + TRAP_FRAME_CAPACITY * 8,
  /**
   * Bytes of native stack the thread's outermost entry grants Wasm code below its own stack
   * pointer (u64): the entry sets `stackLimit` to `sp - stackBudget`, raised to `stackFloor`.
   */
  stackBudget: 56 + TRAP_FRAME_CAPACITY * 8,
  /**
   * The lowest stack limit the outermost entry may set (u64): the end of the stack Wasm runs on
   * plus room for the trap exit and host code.
   */
  stackFloor: 64 + TRAP_FRAME_CAPACITY * 8,
  size: 72 + TRAP_FRAME_CAPACITY * 8,
} as const;

/** Bytes of the value frame of a call with `params` parameters and `results` results (a multiple of 16). */
export function valueFrameBytes(params: number, results: number): number {
  return VALUE_FRAME_HEADER + Math.max(1, params, results) * ENTRY_VALUE_SLOT_SIZE;
}

export interface Backend {
  /** The ISA's registry name (`isa.name`). */
  readonly name: string;
  /** What the tools around the code generator need to know about this ISA (its `isa.json`). */
  readonly isa: IsaDescriptor;
  readonly registers: MachineRegisters;
  /**
   * Where a frame's slots are, from its frame pointer: frame slot `s` (see `FrameSlot`) starts at
   * `framePointer + frameTopOffset - s`. Debuggers read locals and spilled values through it.
   */
  readonly frameTopOffset: number;
  /** The convention between Wasm functions (the VM context stays in `registers.vmContext`). */
  readonly callingConvention: CallingConvention;
  /** The host C convention the entry trampoline is called with. */
  readonly hostCallingConvention: CallingConvention;
  /** Without `options.cpuFeatures`, the MacroAssembler uses no optional CPU feature. */
  createMacroAssembler(options?: MacroAssemblerOptions): MacroAssembler;
  /**
   * The optimizing tier's instruction selection and encoding for this ISA (one per compiler).
   * Without `options.cpuFeatures`, it uses no optional CPU feature.
   */
  createLowering(options?: LoweringOptions): IsaLowering;
  /**
   * The entry trampoline for `signature` (see `ENTRY_VALUE_SLOT_SIZE`) bound to the thread's
   * `HostState` block at `hostState`; the runtime caches one per signature and thread. Any
   * number of parameters and results the validator allows.
   */
  emitEntryTrampoline(signature: Signature, hostState: bigint): FinishedCode;
  /**
   * The trap exit: entered by a call from Wasm code after it stored the trap reason in the VM
   * context; records the trap PC, records the frames it is about to drop in `HostState.trapFrames`,
   * restores the host stack pointer saved by the entry trampoline and returns the trap reason
   * from the entry trampoline. One per thread (`HostState` block).
   *
   * Frames are found through the frame-pointer chain every frame of generated code keeps (both
   * tiers, every trampoline that calls out): the frame pointer register points at a record of
   * the caller's frame pointer and, one word above, the return address into the caller (x64:
   * rbp, [rbp], [rbp + 8]; arm64: x29, [x29], [x29 + 8]). The walk starts at the frame pointer
   * the trap exit was entered with and stops at the innermost entry frame (a frame pointer at or
   * above `HostState.savedHostSp`), at a frame pointer below the trap exit's stack pointer or not
   * strictly above the previous one, or after `TRAP_FRAME_CAPACITY` entries, so it only reads
   * live stack. (A frame pointer may equal the stack pointer: arm64 prologues check the stack
   * limit before moving sp below the frame record.)
   */
  emitTrapExit(hostState: bigint): FinishedCode;
  /**
   * A host-call trampoline: Wasm code calls it like a Wasm function of `signature`; it pushes a
   * value frame of `valueFrameBytes(params, results)` bytes on the thread's value stack (trapping
   * with `call stack exhausted` when it is full) holding `hostId` and the arguments, records the
   * frame's offset in `HostState.hostCallFrame` and calls the host function `uint32_t
   * dispatcher(void)`, which writes the results into the frame's slots. A non-zero status is
   * stored as the trap reason and leaves through the trap exit (the runtime uses a private status
   * for a host exception). Any number of parameters and results the validator allows.
   */
  emitHostCallTrampoline(signature: Signature, dispatcher: bigint, hostId: number, hostState: bigint): FinishedCode;
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
  /**
   * Runtime builtin `id` (see builtins.ts) in machine code, with the builtins' one C signature,
   * or null when this backend leaves it to the runtime's JS implementation. Builtins that need
   * only the VM context and the C library (bounds checks, then `memmove`/`memset`) run without
   * entering JS: a `memory.copy` costs a call, not a trip through the FFI.
   */
  emitBuiltin(id: Builtin, routines: NativeRoutines): FinishedCode | null;
  /** The optional CPU features this backend can use: probe, decoding, the user's cap (cpu-features.ts). */
  readonly cpuFeatures: CpuFeatureSupport;
}

/**
 * `backend`, with every MacroAssembler and lowering it creates using `features` (unless the
 * caller passes its own): how a compiler that creates them itself compiles for a given CPU.
 */
export function withCpuFeatures(backend: Backend, features: CpuFeatureSet): Backend {
  return {
    ...backend,
    createMacroAssembler: (options?: MacroAssemblerOptions): MacroAssembler => backend.createMacroAssembler({ cpuFeatures: features, ...options }),
    createLowering: (options?: LoweringOptions): IsaLowering => backend.createLowering({ cpuFeatures: features, ...options }),
  };
}
