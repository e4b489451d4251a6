// arm64 entry trampolines, the trap exit, host-call trampolines: how the host enters Wasm code,
// how a trap leaves it, and how Wasm calls the host. Host side follows AAPCS64 (§6.1: x19-x28,
// x29, x30 and d8-d15 callee-saved; sp 16-byte aligned):
// https://github.com/ARM-software/abi-aa/blob/main/aapcs64/aapcs64.rst
//
// The host calls every entry trampoline through one C prototype, with no arguments:
//     uint32_t entry(void)
// The callee and the values travel in a value frame on the thread's value stack (HostState):
// [frame] the callee's FuncRefRecord, [frame + 16 …] ENTRY_VALUE_SLOT_SIZE-byte slots, parameters
// on the way in, results on the way out (see `ENTRY_VALUE_SLOT_SIZE` in @flint/backend).
//
// Entry frame, from the frame pointer up (x29 = sp while Wasm runs; the trap exit relies on it):
//     [x29 + 0]    host x29, [x29 + 8] host x30 (return address into the host)
//     [x29 + 16]   x19 … x28 (host callee-saved), up to [x29 + 88]
//     [x29 + 96]   d8 … d15, up to [x29 + 152]
//     [x29 + 160]  previous saved host SP of this thread (entries nest: host → Wasm → host → Wasm)
//     [x29 + 168]  the address of the value slots
//     [x29 + 176]  the VM context the entry was called with (reloaded by the epilogue, because a
//                  trap may leave x28 holding another instance's context)
//     [x29 + 184]  the value-stack top before this entry (restored on the way out, trap or not)
// The saved host SP (= x29 while Wasm runs) lives in the per-thread host state block, and is
// copied to VMCTX_SAVED_HOST_SP for debuggers, exactly as on x64.
//
// A trap: Wasm code stores the reason in VMCTX_TRAP_REASON and calls (blr) [x28 + VMCTX_TRAP_EXIT].
// The trap exit records x30 as the trap PC, clears the reason, resets sp and x29 to the thread's
// saved host stack pointer (dropping every Wasm frame at once) and leaves through the entry's own
// epilogue with the reason in w0. No signals, no unwinding tables.

import {
  BackendBailout,
  BailoutReason,
  ENTRY_VALUE_SLOT_SIZE,
  FuncRefRecord,
  HostState,
  TRAP_FRAME_CAPACITY,
  TrapReason,
  VMCTX_SAVED_HOST_SP,
  VMCTX_STACK_LIMIT,
  VMCTX_TRAP_EXIT,
  VMCTX_TRAP_PC,
  VMCTX_TRAP_REASON,
  ValueKind,
  computeCallLayout,
  hwEncodingOf,
  VALUE_FRAME_HEADER,
  valueFrameBytes,
  type FinishedCode,
  type Signature,
} from '@flint/backend';
import { Arm64Assembler, Cond, Gpr, MemOp, PairMode, PairOp, Shift } from './assembler/index.ts';
import { WASM_ARM64 } from './abi.ts';

const ENTRY_FRAME_SIZE = 192;
const SLOT_SAVED_GPRS = 16;
const SLOT_SAVED_FPRS = 96;
const SLOT_PREVIOUS_SAVED_SP = 160;
const SLOT_VALUES = 168;
const SLOT_VM_CONTEXT = 176;
const SLOT_PREVIOUS_TOP = 184;
const HOST_CALLEE_SAVED_GPRS = [Gpr.x19, Gpr.x20, Gpr.x21, Gpr.x22, Gpr.x23, Gpr.x24, Gpr.x25, Gpr.x26, Gpr.x27, Gpr.x28] as const;
const HOST_CALLEE_SAVED_FPRS = [8, 9, 10, 11, 12, 13, 14, 15] as const;

/**
 * Every value slot and stack-area offset of a trampoline is addressed with the scaled unsigned
 * 12-bit offset form: up to 16380 bytes for 32-bit accesses. 1024 values keep every value slot
 * (16 bytes each) and every stack-area offset (8 bytes per value) below that; the runtime's own
 * limit is far lower.
 */
const MAX_TRAMPOLINE_VALUES = 1024;

function checkSignature(signature: Signature, what: string) {
  const count = Math.max(signature.params.length, signature.results.length);
  if (count > MAX_TRAMPOLINE_VALUES) {
    throw new BackendBailout(BailoutReason.UnsupportedFeature, `${what}: ${count} parameters or results (limit ${MAX_TRAMPOLINE_VALUES})`);
  }
  return computeCallLayout(WASM_ARM64, signature);
}

/**
 * Copies one stack value through x9 (a temporary in both conventions, never an argument or
 * result register): 8 bytes, or 16 for a v128. A 32-bit value sits in the low half of its
 * 8-byte slot (little-endian), so copying all 8 bytes moves every scalar kind.
 */
function copySlot(a: Arm64Assembler, kind: ValueKind, fromBase: Gpr, fromOffset: number, toBase: Gpr, toOffset: number): void {
  a.ldrRI(64, Gpr.x9, fromBase, fromOffset);
  a.strRI(64, Gpr.x9, toBase, toOffset);
  if (kind !== ValueKind.V128) return;
  a.ldrRI(64, Gpr.x9, fromBase, fromOffset + 8);
  a.strRI(64, Gpr.x9, toBase, toOffset + 8);
}

/** sp ← sp - bytes, in at most two sub immediates (bytes < 2^24, see MAX_TRAMPOLINE_VALUES). */
function growStack(a: Arm64Assembler, bytes: number): void {
  if ((bytes & 0xfff000) !== 0) a.subRRI(64, Gpr.sp, Gpr.sp, bytes & 0xfff000);
  if ((bytes & 0xfff) !== 0) a.subRRI(64, Gpr.sp, Gpr.sp, bytes & 0xfff);
}

/** rd ← rn + bytes, in at most two add immediates (bytes < 2^24). */
function addImmediate(a: Arm64Assembler, rd: Gpr, rn: Gpr, bytes: number): void {
  let from = rn;
  if ((bytes & 0xfff000) !== 0) {
    a.addRRI(64, rd, from, bytes & 0xfff000);
    from = rd;
  }
  if ((bytes & 0xfff) !== 0 || from === rn) a.addRRI(64, rd, from, bytes & 0xfff);
}

/** The load or store of one value slot for a value of `kind`. */
function slotOp(kind: ValueKind, load: boolean): MemOp {
  switch (kind) {
    case ValueKind.I32:
      return load ? MemOp.ldr32 : MemOp.str32;
    case ValueKind.F32:
      return load ? MemOp.ldrV32 : MemOp.strV32;
    case ValueKind.F64:
      return load ? MemOp.ldrV64 : MemOp.strV64;
    case ValueKind.V128:
      return load ? MemOp.ldrV128 : MemOp.strV128;
    default:
      return load ? MemOp.ldr64 : MemOp.str64;
  }
}

/**
 * Emits the entry trampoline for `signature`. Stack parameters and stack results use the baseline
 * tier's call sequence: an outgoing area at sp holding the stack parameters, then the stack result
 * area at `stackArgBytes + offset` (see `computeCallLayout`); the callee sees it as its incoming area.
 */
export function emitEntryTrampoline(signature: Signature, hostState: bigint): FinishedCode {
  const layout = checkSignature(signature, 'entry trampoline');
  // Both areas are multiples of 16 (computeCallLayout aligns them), so sp stays aligned.
  const outgoing = layout.stackArgBytes + layout.stackResultBytes;
  const a = new Arm64Assembler();
  a.stpPreRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, -ENTRY_FRAME_SIZE);
  a.movRR(64, Gpr.fp, Gpr.sp);
  for (let i = 0; i < HOST_CALLEE_SAVED_GPRS.length; i += 2) {
    a.stpRRI(64, HOST_CALLEE_SAVED_GPRS[i]!, HOST_CALLEE_SAVED_GPRS[i + 1]!, Gpr.sp, SLOT_SAVED_GPRS + i * 8);
  }
  for (let i = 0; i < HOST_CALLEE_SAVED_FPRS.length; i += 2) {
    a.loadStorePair(PairOp.stpV64, PairMode.offset, HOST_CALLEE_SAVED_FPRS[i]!, HOST_CALLEE_SAVED_FPRS[i + 1]!, Gpr.sp, SLOT_SAVED_FPRS + i * 8);
  }
  a.movRI(64, Gpr.x16, hostState);
  // Take the value frame at base + top (the host wrote it there) until this entry returns.
  const frameBytes = valueFrameBytes(signature.params.length, signature.results.length);
  a.ldrRI(32, Gpr.x9, Gpr.x16, HostState.valueStackTop);
  a.strRI(64, Gpr.x9, Gpr.fp, SLOT_PREVIOUS_TOP);
  a.ldrRI(64, Gpr.x10, Gpr.x16, HostState.valueStackBase);
  a.addRRR(64, Gpr.x10, Gpr.x10, Gpr.x9);
  addImmediate(a, Gpr.x9, Gpr.x9, frameBytes);
  a.strRI(32, Gpr.x9, Gpr.x16, HostState.valueStackTop);
  // The callee's record: its VM context and current code (x19: saved above, and free until the call).
  a.ldrRI(64, Gpr.x0, Gpr.x10, 0);
  a.ldrRI(64, Gpr.x28, Gpr.x0, FuncRefRecord.vmContext);
  a.ldrRI(64, Gpr.x19, Gpr.x0, FuncRefRecord.code);
  a.addRRI(64, Gpr.x10, Gpr.x10, VALUE_FRAME_HEADER);
  a.ldrRI(64, Gpr.x17, Gpr.x16, HostState.savedHostSp);
  a.strRI(64, Gpr.x17, Gpr.fp, SLOT_PREVIOUS_SAVED_SP);
  a.strRI(64, Gpr.x10, Gpr.fp, SLOT_VALUES);
  a.strRI(64, Gpr.x28, Gpr.fp, SLOT_VM_CONTEXT);

  // The outermost entry of the thread (no saved host stack pointer yet) sets the stack limit for
  // this run; nested entries reuse it, so Wasm frames across nestings share one budget.
  const nested = a.newLabel();
  a.cbnz(64, Gpr.x17, nested);
  // limit = sp - stackBudget, raised to stackFloor (the thread stack's end plus the host's room).
  a.addRRI(64, Gpr.x17, Gpr.sp, 0);
  a.ldrRI(64, Gpr.x9, Gpr.x16, HostState.stackBudget);
  a.subRRR(64, Gpr.x17, Gpr.x17, Gpr.x9);
  a.ldrRI(64, Gpr.x9, Gpr.x16, HostState.stackFloor);
  a.cmpRR(64, Gpr.x17, Gpr.x9);
  a.cselRRR(64, Gpr.x17, Gpr.x17, Gpr.x9, Cond.hs);
  a.strRI(64, Gpr.x17, Gpr.x16, HostState.stackLimit);
  a.bind(nested);
  a.ldrRI(64, Gpr.x17, Gpr.x16, HostState.stackLimit);
  a.strRI(64, Gpr.x17, Gpr.x28, VMCTX_STACK_LIMIT);
  a.strRI(64, Gpr.fp, Gpr.x16, HostState.savedHostSp);
  a.strRI(64, Gpr.fp, Gpr.x28, VMCTX_SAVED_HOST_SP);

  a.ldrRI(64, Gpr.x17, Gpr.fp, SLOT_VALUES);
  growStack(a, outgoing);
  signature.params.forEach((kind, i) => {
    const loc = layout.params[i]!;
    if (loc.kind === 'stack') copySlot(a, kind, Gpr.x17, i * ENTRY_VALUE_SLOT_SIZE, Gpr.sp, loc.offset);
  });
  signature.params.forEach((kind, i) => {
    const loc = layout.params[i]!;
    if (loc.kind === 'reg') a.loadStoreRI(slotOp(kind, true), hwEncodingOf(loc.reg), Gpr.x17, i * ENTRY_VALUE_SLOT_SIZE);
  });
  a.blr(Gpr.x19);

  a.ldrRI(64, Gpr.x17, Gpr.fp, SLOT_VALUES);
  signature.results.forEach((kind, i) => {
    const loc = layout.results[i]!;
    if (loc.kind === 'reg') a.loadStoreRI(slotOp(kind, false), hwEncodingOf(loc.reg), Gpr.x17, i * ENTRY_VALUE_SLOT_SIZE);
    else copySlot(a, kind, Gpr.sp, layout.stackArgBytes + loc.offset, Gpr.x17, i * ENTRY_VALUE_SLOT_SIZE);
  });
  a.movRI(32, Gpr.x0, 0);
  // The epilogue expects sp = x29: drop the outgoing area.
  if (outgoing > 0) a.movRR(64, Gpr.sp, Gpr.fp);
  emitEntryEpilogue(a, hostState);
  return a.finish();
}

/**
 * Emits the trap exit. Entered by `blr` from Wasm code with x28 = a VM context whose
 * VMCTX_TRAP_REASON holds the reason; returns that reason from the thread's innermost entry.
 */
export function emitTrapExit(hostState: bigint): FinishedCode {
  const a = new Arm64Assembler();
  a.strRI(64, Gpr.lr, Gpr.x28, VMCTX_TRAP_PC);
  a.movRI(64, Gpr.x16, hostState);
  emitFrameCapture(a);
  a.ldrRI(32, Gpr.x0, Gpr.x28, VMCTX_TRAP_REASON);
  a.strRI(32, Gpr.zr, Gpr.x28, VMCTX_TRAP_REASON);
  a.ldrRI(64, Gpr.fp, Gpr.x16, HostState.savedHostSp);
  a.movRR(64, Gpr.sp, Gpr.fp);
  emitEntryEpilogue(a, hostState);
  return a.finish();
}

/**
 * Records the frames the trap exit is about to drop (see `Backend.emitTrapExit`): x30 = the trap
 * PC, x29 = the trap exit's caller's frame, x16 = the host state. x0-x15 are dead here.
 *     count = 1, frames[0] = pc, fp = x29
 *     while count < capacity && sp <= fp < savedHostSp:
 *         frames[count++] = [fp + 8];  next = [fp];  if next <= fp: break;  fp = next
 * (sp is copied to x14 first: register 31 reads as xzr in a shifted-register compare. fp may
 * equal sp: a prologue's stack check traps before it moves sp below the frame record.)
 */
function emitFrameCapture(a: Arm64Assembler): void {
  const loop = a.newLabel();
  const done = a.newLabel();
  const [count, fp, limit, pc, next, sp] = [Gpr.x9, Gpr.x10, Gpr.x11, Gpr.x12, Gpr.x13, Gpr.x14];
  a.strRI(64, Gpr.lr, Gpr.x16, HostState.trapFrames);
  a.movRI(64, count, 1);
  a.movRR(64, fp, Gpr.fp);
  a.ldrRI(64, limit, Gpr.x16, HostState.savedHostSp);
  a.movRR(64, sp, Gpr.sp);
  a.bind(loop);
  a.cmpRI(64, count, TRAP_FRAME_CAPACITY);
  a.bCond(Cond.hs, done);
  a.cmpRR(64, fp, sp);
  a.bCond(Cond.lo, done);
  a.cmpRR(64, fp, limit);
  a.bCond(Cond.hs, done);
  a.ldrRI(64, pc, fp, 8);
  a.addRRShifted(64, next, Gpr.x16, count, Shift.lsl, 3);
  a.strRI(64, pc, next, HostState.trapFrames);
  a.addRRI(64, count, count, 1);
  a.ldrRI(64, next, fp, 0);
  a.cmpRR(64, next, fp);
  a.bCond(Cond.ls, done);
  a.movRR(64, fp, next);
  a.b(loop);
  a.bind(done);
  a.strRI(64, count, Gpr.x16, HostState.trapFrameCount);
}

/**
 * Restores the thread's previous saved host stack pointer (in the host state and in the entry's
 * VM context), the value-stack top and the host's callee-saved registers; returns. Keeps w0.
 * Expects sp = x29 = the entry frame.
 */
function emitEntryEpilogue(a: Arm64Assembler, hostState: bigint): void {
  a.ldrRI(64, Gpr.x9, Gpr.fp, SLOT_VM_CONTEXT);
  a.ldrRI(64, Gpr.x17, Gpr.fp, SLOT_PREVIOUS_SAVED_SP);
  a.movRI(64, Gpr.x16, hostState);
  a.strRI(64, Gpr.x17, Gpr.x16, HostState.savedHostSp);
  a.strRI(64, Gpr.x17, Gpr.x9, VMCTX_SAVED_HOST_SP);
  a.ldrRI(64, Gpr.x17, Gpr.fp, SLOT_PREVIOUS_TOP);
  a.strRI(32, Gpr.x17, Gpr.x16, HostState.valueStackTop);
  for (let i = 0; i < HOST_CALLEE_SAVED_GPRS.length; i += 2) {
    a.ldpRRI(64, HOST_CALLEE_SAVED_GPRS[i]!, HOST_CALLEE_SAVED_GPRS[i + 1]!, Gpr.sp, SLOT_SAVED_GPRS + i * 8);
  }
  for (let i = 0; i < HOST_CALLEE_SAVED_FPRS.length; i += 2) {
    a.loadStorePair(PairOp.ldpV64, PairMode.offset, HOST_CALLEE_SAVED_FPRS[i]!, HOST_CALLEE_SAVED_FPRS[i + 1]!, Gpr.sp, SLOT_SAVED_FPRS + i * 8);
  }
  a.ldpPostRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, ENTRY_FRAME_SIZE);
  a.ret();
}

/**
 * Emits the host-call trampoline of one host function: called from Wasm code with the Wasm
 * calling convention (x28 = VM context), it pushes a value frame (host id, arguments) on the
 * thread's value stack, records its offset in HostState.hostCallFrame, calls `dispatcher()` and
 * returns its results, or leaves through the trap exit with the dispatcher's non-zero status (or
 * `call stack exhausted` when the value stack is full). The dispatcher is an AAPCS64 function,
 * so x28 survives it.
 *
 * Frame: [x29] the caller's x29 and x30, [x29 - 16] the value frame's offset.
 */
export function emitHostCallTrampoline(signature: Signature, dispatcher: bigint, hostId: number, hostState: bigint): FinishedCode {
  const layout = checkSignature(signature, 'host-call trampoline');
  // The caller's outgoing area (stack parameters, then stack results) starts at the caller's sp,
  // just above this trampoline's 16-byte frame record.
  const incoming = (offset: number) => 16 + offset;
  const slot = (i: number) => VALUE_FRAME_HEADER + i * ENTRY_VALUE_SLOT_SIZE;
  const frameBytes = valueFrameBytes(signature.params.length, signature.results.length);
  const a = new Arm64Assembler();
  const overflow = a.newLabel();
  const failed = a.newLabel();
  // Only x9, x10, x16 and x17 (temporaries of both conventions) are touched before the
  // arguments are stored.
  a.stpPreRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, -16);
  a.movRR(64, Gpr.fp, Gpr.sp);
  a.subRRI(64, Gpr.sp, Gpr.sp, 16);
  a.movRI(64, Gpr.x16, hostState);
  a.ldrRI(32, Gpr.x10, Gpr.x16, HostState.valueStackTop);
  addImmediate(a, Gpr.x17, Gpr.x10, frameBytes);
  a.ldrRI(32, Gpr.x9, Gpr.x16, HostState.valueStackSize);
  a.cmpRR(64, Gpr.x17, Gpr.x9);
  a.bCond(Cond.hi, overflow);
  a.strRI(32, Gpr.x17, Gpr.x16, HostState.valueStackTop);
  a.strRI(32, Gpr.x10, Gpr.x16, HostState.hostCallFrame);
  a.strRI(64, Gpr.x10, Gpr.sp, 0);
  a.ldrRI(64, Gpr.x17, Gpr.x16, HostState.valueStackBase);
  a.addRRR(64, Gpr.x17, Gpr.x17, Gpr.x10);
  a.movRI(32, Gpr.x9, hostId >>> 0);
  a.strRI(32, Gpr.x9, Gpr.x17, 0);
  signature.params.forEach((kind, i) => {
    const loc = layout.params[i]!;
    if (loc.kind === 'reg') a.loadStoreRI(slotOp(kind, false), hwEncodingOf(loc.reg), Gpr.x17, slot(i));
    else copySlot(a, kind, Gpr.fp, incoming(loc.offset), Gpr.x17, slot(i));
  });
  a.movRI(64, Gpr.x16, dispatcher);
  a.blr(Gpr.x16);
  a.cbnz(32, Gpr.x0, failed);
  a.movRI(64, Gpr.x16, hostState);
  a.ldrRI(64, Gpr.x10, Gpr.sp, 0);
  a.ldrRI(64, Gpr.x17, Gpr.x16, HostState.valueStackBase);
  a.addRRR(64, Gpr.x17, Gpr.x17, Gpr.x10);
  signature.results.forEach((kind, i) => {
    const loc = layout.results[i]!;
    if (loc.kind === 'reg') a.loadStoreRI(slotOp(kind, true), hwEncodingOf(loc.reg), Gpr.x17, slot(i));
    else copySlot(a, kind, Gpr.x17, slot(i), Gpr.fp, incoming(layout.stackArgBytes + loc.offset));
  });
  // Pop the frame after its last read.
  a.strRI(32, Gpr.x10, Gpr.x16, HostState.valueStackTop);
  a.movRR(64, Gpr.sp, Gpr.fp);
  a.ldpPostRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, 16);
  a.ret();
  // The frame is not popped on a trap: the entry that unwinds restores the value stack.
  a.bind(failed);
  a.strRI(32, Gpr.x0, Gpr.x28, VMCTX_TRAP_REASON);
  a.ldrRI(64, Gpr.x16, Gpr.x28, VMCTX_TRAP_EXIT);
  a.blr(Gpr.x16);
  a.bind(overflow);
  a.movRI(32, Gpr.x16, TrapReason.CallStackExhausted);
  a.strRI(32, Gpr.x16, Gpr.x28, VMCTX_TRAP_REASON);
  a.ldrRI(64, Gpr.x16, Gpr.x28, VMCTX_TRAP_EXIT);
  a.blr(Gpr.x16);
  return a.finish();
}

/** Argument registers the lazy-compilation stub preserves: x0-x7 and q0-q7 (whole: an argument may be a v128). */
const LAZY_SAVED_GPRS = [Gpr.x0, Gpr.x1, Gpr.x2, Gpr.x3, Gpr.x4, Gpr.x5, Gpr.x6, Gpr.x7] as const;
const LAZY_FRAME_SIZE = 16 + 8 * 8 + 8 * 16;

/**
 * Emits a lazy-compilation stub (see `Backend.emitLazyCompileStub`). Entered like the Wasm
 * function itself (x28 = VM context); the argument registers are saved around the compile call
 * and restored before the jump, and sp is back where the caller left it, so stack arguments still
 * line up. x30 is restored too: the compiled function returns straight to the stub's caller.
 */
export function emitLazyCompileStub(funcIndex: number, codeSlot: bigint, compiler: bigint, failureStatus: number): FinishedCode {
  const a = new Arm64Assembler();
  const compile = a.newLabel();
  const failed = a.newLabel();
  a.movRI(64, Gpr.x16, codeSlot);
  a.ldrRI(64, Gpr.x16, Gpr.x16, 0);
  a.cbz(64, Gpr.x16, compile);
  a.br(Gpr.x16);
  a.bind(compile);
  a.stpPreRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, -LAZY_FRAME_SIZE);
  a.movRR(64, Gpr.fp, Gpr.sp);
  for (let i = 0; i < 8; i += 2) {
    a.stpRRI(64, LAZY_SAVED_GPRS[i]!, LAZY_SAVED_GPRS[i + 1]!, Gpr.sp, 16 + i * 8);
    a.loadStorePair(PairOp.stpV128, PairMode.offset, i, i + 1, Gpr.sp, 80 + i * 16);
  }
  a.movRR(64, Gpr.x0, Gpr.x28);
  a.movRI(32, Gpr.x1, funcIndex >>> 0);
  a.movRI(64, Gpr.x16, compiler);
  a.blr(Gpr.x16);
  a.cbz(64, Gpr.x0, failed);
  a.movRR(64, Gpr.x16, Gpr.x0);
  for (let i = 0; i < 8; i += 2) {
    a.ldpRRI(64, LAZY_SAVED_GPRS[i]!, LAZY_SAVED_GPRS[i + 1]!, Gpr.sp, 16 + i * 8);
    a.loadStorePair(PairOp.ldpV128, PairMode.offset, i, i + 1, Gpr.sp, 80 + i * 16);
  }
  a.ldpPostRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, LAZY_FRAME_SIZE);
  a.br(Gpr.x16);
  a.bind(failed);
  a.movRI(32, Gpr.x16, failureStatus >>> 0);
  a.strRI(32, Gpr.x16, Gpr.x28, VMCTX_TRAP_REASON);
  a.ldrRI(64, Gpr.x16, Gpr.x28, VMCTX_TRAP_EXIT);
  a.blr(Gpr.x16);
  return a.finish();
}

/** Emits `mov x0, sp; ret`: lets the runtime learn where the host stack is before any entry. */
export function emitReadStackPointer(): FinishedCode {
  const a = new Arm64Assembler();
  a.movRR(64, Gpr.x0, Gpr.sp);
  a.ret();
  return a.finish();
}
