// x64 entry trampolines and the trap exit: how the host enters Wasm code and how a trap leaves it.
// Host side follows the System V AMD64 ABI (§3.2: callee-saved rbx, rbp, r12-r15; rsp 16-byte
// aligned at calls): https://gitlab.com/x86-psABIs/x86-64-ABI
//
// The host calls every entry trampoline through one C prototype (System V), with no arguments:
//     uint32_t entry(void)
// The callee and the values travel in a value frame on the thread's value stack (HostState):
// [frame] the callee's FuncRefRecord, [frame + 16 …] ENTRY_VALUE_SLOT_SIZE-byte slots, parameters
// on the way in, results on the way out (see `ENTRY_VALUE_SLOT_SIZE` in @flint/backend).
//
// Entry frame, from the frame pointer down (the trap exit relies on this exact shape):
//     [rbp + 8]   return address into the host
//     [rbp + 0]   host rbp
//     [rbp - 8]   rbx, r12, r13, r14, r15 (host callee-saved), down to [rbp - 40]
//     [rbp - 48]  previous saved host SP of this thread (entries nest: host → Wasm → host → Wasm)
//     [rbp - 56]  the value-stack top before this entry (restored on the way out, trap or not)
//     [rbp - 64]  the VM context the entry was called with (reloaded by the epilogue, because a
//                 trap may leave r15 holding another instance's context)
//     [rbp - 72]  the address of the value slots
//     [rbp - 80]  padding (rsp 16-byte aligned at the call)
// The saved host SP (= rbp - 80 while Wasm runs) lives in the per-thread host state block, not
// only in the VM context: Wasm code of any instance (a cross-instance import call, a funcref of
// another instance in a table) must unwind to the innermost entry of the thread, whichever
// instance that entry was made for. It is also copied to VMCTX_SAVED_HOST_SP for debuggers.
//
// A trap: Wasm code stores the reason in VMCTX_TRAP_REASON and calls [vmctx + VMCTX_TRAP_EXIT].
// The trap exit records the return address as the trap PC, clears the reason (builtins test it
// for non-zero after every call, so it must not outlive this trap), resets rsp to the thread's
// saved host stack pointer (dropping every Wasm frame at once), and leaves through the entry's
// own epilogue with the reason in eax. No signals, no unwinding tables.
//
// Host calls: Wasm code calls a JS import through a host-call trampoline, which pushes a value
// frame holding the host id and the arguments, records its offset in HostState.hostCallFrame and
// calls the runtime's dispatcher `uint32_t dispatch(void)` (System V). A non-zero status becomes
// a trap through the trap exit, which is how a JS exception unwinds the Wasm frames.

import {
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
import { Assembler, Cond, Gpr, Mem, SimdOp } from './assembler/index.ts';
import { WASM_X64 } from './abi.ts';

/** Bytes between the entry frame pointer and the stack pointer while Wasm runs. */
const ENTRY_FRAME_BELOW_RBP = 80;
const SLOT_PREVIOUS_SAVED_SP = -48;
const SLOT_PREVIOUS_TOP = -56;
const SLOT_VM_CONTEXT = -64;
const SLOT_VALUES = -72;
const HOST_CALLEE_SAVED = [Gpr.rbx, Gpr.r12, Gpr.r13, Gpr.r14, Gpr.r15] as const;

const mem = new Mem();
const mem2 = new Mem();

/** Emits the entry trampoline for `signature` (parameters and results in registers only). */
export function emitEntryTrampoline(signature: Signature, hostState: bigint): FinishedCode {
  const layout = computeCallLayout(WASM_X64, signature);
  // The outgoing area below the entry frame: stack parameters, then the stack result area (the
  // baseline tier's call sequence: results at `stackArgBytes + offset`). Both are multiples of 16.
  const outgoing = layout.stackArgBytes + layout.stackResultBytes;
  const a = new Assembler();
  const frameBytes = valueFrameBytes(signature.params.length, signature.results.length);
  a.pushR(Gpr.rbp);
  a.movRR(64, Gpr.rbp, Gpr.rsp);
  for (const reg of HOST_CALLEE_SAVED) a.pushR(reg);
  a.movRI(64, Gpr.r11, hostState);
  a.pushM(mem.setBase(Gpr.r11, HostState.savedHostSp));
  // Take the value frame at base + top (the host wrote it there) until this entry returns.
  a.movRM(32, Gpr.rax, mem.setBase(Gpr.r11, HostState.valueStackTop));
  a.pushR(Gpr.rax);
  a.movRM(64, Gpr.r10, mem.setBase(Gpr.r11, HostState.valueStackBase));
  a.addRR(64, Gpr.r10, Gpr.rax);
  a.addRI(32, Gpr.rax, frameBytes);
  a.movMR(32, mem.setBase(Gpr.r11, HostState.valueStackTop), Gpr.rax);
  // The callee's record: its VM context and current code (rbx: saved above, and free until the call).
  a.movRM(64, Gpr.rdi, mem.setBase(Gpr.r10, 0));
  a.movRM(64, Gpr.r15, mem.setBase(Gpr.rdi, FuncRefRecord.vmContext));
  a.movRM(64, Gpr.rbx, mem.setBase(Gpr.rdi, FuncRefRecord.code));
  a.addRI(64, Gpr.r10, VALUE_FRAME_HEADER);
  a.pushR(Gpr.r15);
  a.pushR(Gpr.r10);
  a.subRI(64, Gpr.rsp, 8);

  // The outermost entry of the thread (no saved host stack pointer yet) sets the stack limit for
  // this run; nested entries reuse it, so Wasm frames across nestings share one budget.
  const nested = a.newLabel();
  a.cmpMI(64, mem.setBase(Gpr.rbp, SLOT_PREVIOUS_SAVED_SP), 0);
  a.jcc(Cond.NE, nested);
  // limit = rsp - stackBudget, raised to stackFloor (the thread stack's end plus the host's room).
  const aboveFloor = a.newLabel();
  a.movRR(64, Gpr.rax, Gpr.rsp);
  a.subRM(64, Gpr.rax, mem.setBase(Gpr.r11, HostState.stackBudget));
  a.cmpRM(64, Gpr.rax, mem.setBase(Gpr.r11, HostState.stackFloor));
  a.jcc(Cond.AE, aboveFloor);
  a.movRM(64, Gpr.rax, mem.setBase(Gpr.r11, HostState.stackFloor));
  a.bind(aboveFloor);
  a.movMR(64, mem.setBase(Gpr.r11, HostState.stackLimit), Gpr.rax);
  a.bind(nested);
  a.movRM(64, Gpr.rax, mem.setBase(Gpr.r11, HostState.stackLimit));
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_STACK_LIMIT), Gpr.rax);
  a.movMR(64, mem.setBase(Gpr.r11, HostState.savedHostSp), Gpr.rsp);
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_SAVED_HOST_SP), Gpr.rsp);

  a.movRM(64, Gpr.r10, mem.setBase(Gpr.rbp, SLOT_VALUES));
  if (outgoing > 0) a.subRI(64, Gpr.rsp, outgoing);
  signature.params.forEach((kind, i) => {
    const loc = layout.params[i]!;
    if (loc.kind !== 'stack') return;
    copyStackValue(a, kind, mem2.setBase(Gpr.rsp, loc.offset), mem.setBase(Gpr.r10, i * ENTRY_VALUE_SLOT_SIZE));
  });
  signature.params.forEach((kind, i) => {
    const loc = layout.params[i]!;
    if (loc.kind !== 'reg') return;
    loadValue(a, kind, hwEncodingOf(loc.reg), mem.setBase(Gpr.r10, i * ENTRY_VALUE_SLOT_SIZE));
  });
  a.callR(Gpr.rbx);

  a.movRM(64, Gpr.r10, mem.setBase(Gpr.rbp, SLOT_VALUES));
  signature.results.forEach((kind, i) => {
    const loc = layout.results[i]!;
    if (loc.kind !== 'stack') return;
    copyStackValue(a, kind, mem2.setBase(Gpr.r10, i * ENTRY_VALUE_SLOT_SIZE), mem.setBase(Gpr.rsp, layout.stackArgBytes + loc.offset));
  });
  signature.results.forEach((kind, i) => {
    const loc = layout.results[i]!;
    if (loc.kind !== 'reg') return;
    storeValue(a, kind, mem.setBase(Gpr.r10, i * ENTRY_VALUE_SLOT_SIZE), hwEncodingOf(loc.reg));
  });
  a.xorRR(32, Gpr.rax, Gpr.rax);
  emitEntryEpilogue(a, hostState);
  return a.finish();
}

/**
 * Emits the trap exit. Entered by `call` from Wasm code with r15 = a VM context whose
 * VMCTX_TRAP_REASON holds the reason; returns that reason from the thread's innermost entry.
 */
export function emitTrapExit(hostState: bigint): FinishedCode {
  const a = new Assembler();
  a.popR(Gpr.rcx);
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_TRAP_PC), Gpr.rcx);
  a.movRI(64, Gpr.r11, hostState);
  emitFrameCapture(a);
  a.movRM(32, Gpr.rax, mem.setBase(Gpr.r15, VMCTX_TRAP_REASON));
  a.movMI(32, mem.setBase(Gpr.r15, VMCTX_TRAP_REASON), 0);
  a.movRM(64, Gpr.rsp, mem.setBase(Gpr.r11, HostState.savedHostSp));
  a.leaRM(64, Gpr.rbp, mem.setBase(Gpr.rsp, ENTRY_FRAME_BELOW_RBP));
  emitEntryEpilogue(a, hostState);
  return a.finish();
}

/**
 * Records the frames the trap exit is about to drop (see `Backend.emitTrapExit`): rcx = the trap
 * PC, rbp = the trap exit's caller's frame, r11 = the host state. Everything but r11, r15 and
 * the stack is dead here, so rax, rdx, rsi and rdi serve as temporaries.
 *     count = 1, frames[0] = pc, fp = rbp
 *     while count < capacity && rsp <= fp < savedHostSp:
 *         frames[count++] = [fp + 8];  next = [fp];  if next <= fp: break;  fp = next
 */
function emitFrameCapture(a: Assembler): void {
  const loop = a.newLabel();
  const done = a.newLabel();
  a.movMR(64, mem.setBase(Gpr.r11, HostState.trapFrames), Gpr.rcx);
  a.movRI(32, Gpr.rax, 1);
  a.movRR(64, Gpr.rdx, Gpr.rbp);
  a.movRM(64, Gpr.rsi, mem.setBase(Gpr.r11, HostState.savedHostSp));
  a.bind(loop);
  a.cmpRI(32, Gpr.rax, TRAP_FRAME_CAPACITY);
  a.jcc(Cond.AE, done);
  a.cmpRR(64, Gpr.rdx, Gpr.rsp);
  a.jcc(Cond.B, done);
  a.cmpRR(64, Gpr.rdx, Gpr.rsi);
  a.jcc(Cond.AE, done);
  a.movRM(64, Gpr.rcx, mem.setBase(Gpr.rdx, 8));
  a.movMR(64, mem.setIndexed(Gpr.r11, Gpr.rax, 8, HostState.trapFrames), Gpr.rcx);
  a.addRI(32, Gpr.rax, 1);
  a.movRM(64, Gpr.rdi, mem.setBase(Gpr.rdx, 0));
  a.cmpRR(64, Gpr.rdi, Gpr.rdx);
  a.jcc(Cond.BE, done);
  a.movRR(64, Gpr.rdx, Gpr.rdi);
  a.jmp(loop);
  a.bind(done);
  a.movMR(64, mem.setBase(Gpr.r11, HostState.trapFrameCount), Gpr.rax);
}

/**
 * Restores the entry's VM context, the thread's previous saved host stack pointer (in the host
 * state and in the VM context), the value-stack top and the host's callee-saved registers;
 * returns. Keeps eax.
 */
function emitEntryEpilogue(a: Assembler, hostState: bigint): void {
  a.movRM(64, Gpr.r15, mem.setBase(Gpr.rbp, SLOT_VM_CONTEXT));
  a.movRM(64, Gpr.rcx, mem.setBase(Gpr.rbp, SLOT_PREVIOUS_SAVED_SP));
  a.movRI(64, Gpr.r11, hostState);
  a.movMR(64, mem.setBase(Gpr.r11, HostState.savedHostSp), Gpr.rcx);
  a.movRM(32, Gpr.rdx, mem.setBase(Gpr.rbp, SLOT_PREVIOUS_TOP));
  a.movMR(32, mem.setBase(Gpr.r11, HostState.valueStackTop), Gpr.rdx);
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_SAVED_HOST_SP), Gpr.rcx);
  a.leaRM(64, Gpr.rsp, mem.setBase(Gpr.rbp, -8 * HOST_CALLEE_SAVED.length));
  for (let i = HOST_CALLEE_SAVED.length - 1; i >= 0; i--) a.popR(HOST_CALLEE_SAVED[i]!);
  a.popR(Gpr.rbp);
  a.ret();
}

/**
 * Emits the host-call trampoline of one host function: called from Wasm code with the Wasm
 * calling convention (r15 = VM context), it pushes a value frame (host id, arguments) on the
 * thread's value stack, records its offset in HostState.hostCallFrame, calls `dispatcher()` and
 * returns its results, or leaves through the trap exit with the dispatcher's non-zero status (or
 * `call stack exhausted` when the value stack is full).
 *
 * Frame: [rbp] caller's rbp, [rbp - 8] the value frame's offset, [rbp - 16] padding (rsp 16-byte
 * aligned at the dispatcher call).
 */
export function emitHostCallTrampoline(signature: Signature, dispatcher: bigint, hostId: number, hostState: bigint): FinishedCode {
  const layout = computeCallLayout(WASM_X64, signature);
  // Stack parameters and the stack result area are the caller's outgoing area, above the return
  // address: [rbp + 16 + offset] and [rbp + 16 + stackArgBytes + offset].
  const incoming = (offset: number): Mem => mem2.setBase(Gpr.rbp, 16 + offset);
  const slot = (i: number): Mem => mem.setBase(Gpr.r10, VALUE_FRAME_HEADER + i * ENTRY_VALUE_SLOT_SIZE);
  const frameBytes = valueFrameBytes(signature.params.length, signature.results.length);
  const a = new Assembler();
  const overflow = a.newLabel();
  const failed = a.newLabel();
  // Only rax, r10 and r11 are touched before the arguments are stored: the rest are arguments.
  a.pushR(Gpr.rbp);
  a.movRR(64, Gpr.rbp, Gpr.rsp);
  a.movRI(64, Gpr.r11, hostState);
  a.movRM(32, Gpr.rax, mem.setBase(Gpr.r11, HostState.valueStackTop));
  a.leaRM(32, Gpr.r10, mem.setBase(Gpr.rax, frameBytes));
  a.cmpRM(32, Gpr.r10, mem.setBase(Gpr.r11, HostState.valueStackSize));
  a.jcc(Cond.A, overflow);
  a.movMR(32, mem.setBase(Gpr.r11, HostState.valueStackTop), Gpr.r10);
  a.movMR(32, mem.setBase(Gpr.r11, HostState.hostCallFrame), Gpr.rax);
  a.pushR(Gpr.rax);
  a.subRI(64, Gpr.rsp, 8);
  a.movRM(64, Gpr.r10, mem.setBase(Gpr.r11, HostState.valueStackBase));
  a.addRR(64, Gpr.r10, Gpr.rax);
  a.movMI(32, mem.setBase(Gpr.r10, 0), hostId);
  signature.params.forEach((kind, i) => {
    const loc = layout.params[i]!;
    if (loc.kind !== 'reg') {
      copyStackValue(a, kind, slot(i), incoming(loc.offset));
      return;
    }
    storeValue(a, kind, slot(i), hwEncodingOf(loc.reg));
  });
  a.movRI(64, Gpr.rax, dispatcher);
  a.callR(Gpr.rax);
  a.testRR(32, Gpr.rax, Gpr.rax);
  a.jcc(Cond.NE, failed);
  a.movRI(64, Gpr.r11, hostState);
  a.movRM(32, Gpr.rax, mem.setBase(Gpr.rbp, -8));
  a.movRM(64, Gpr.r10, mem.setBase(Gpr.r11, HostState.valueStackBase));
  a.addRR(64, Gpr.r10, Gpr.rax);
  signature.results.forEach((kind, i) => {
    const loc = layout.results[i]!;
    if (loc.kind === 'reg') return;
    // rcx: r11 still holds the host state, for popping the value frame below.
    copyStackValue(a, kind, incoming(layout.stackArgBytes + loc.offset), slot(i), Gpr.rcx);
  });
  signature.results.forEach((kind, i) => {
    const loc = layout.results[i]!;
    if (loc.kind !== 'reg') return;
    loadValue(a, kind, hwEncodingOf(loc.reg), slot(i));
  });
  // Pop the frame after its last read (rax may hold a result now, so r10 carries the offset).
  a.movRM(32, Gpr.r10, mem.setBase(Gpr.rbp, -8));
  a.movMR(32, mem.setBase(Gpr.r11, HostState.valueStackTop), Gpr.r10);
  a.movRR(64, Gpr.rsp, Gpr.rbp);
  a.popR(Gpr.rbp);
  a.ret();
  // The frame is not popped on a trap: the entry that unwinds restores the value stack.
  a.bind(failed);
  a.movMR(32, mem.setBase(Gpr.r15, VMCTX_TRAP_REASON), Gpr.rax);
  a.callM(mem.setBase(Gpr.r15, VMCTX_TRAP_EXIT));
  a.bind(overflow);
  a.movMI(32, mem.setBase(Gpr.r15, VMCTX_TRAP_REASON), TrapReason.CallStackExhausted);
  a.callM(mem.setBase(Gpr.r15, VMCTX_TRAP_EXIT));
  return a.finish();
}

/**
 * Emits a lazy-compilation stub (see `Backend.emitLazyCompileStub`). Entered like the Wasm
 * function itself; every argument register is saved around the compile call and restored before
 * the jump, and the stack is left exactly as the caller made it, so stack arguments still line up.
 */
export function emitLazyCompileStub(funcIndex: number, codeSlot: bigint, compiler: bigint, failureStatus: number): FinishedCode {
  const a = new Assembler();
  const compile = a.newLabel();
  a.movRI(64, Gpr.r11, codeSlot);
  a.movRM(64, Gpr.r11, mem.setBase(Gpr.r11, 0));
  a.testRR(64, Gpr.r11, Gpr.r11);
  a.jcc(Cond.E, compile);
  a.jmpR(Gpr.r11);
  a.bind(compile);
  // rsp is 8 mod 16 here; rbp and six pushes (56 bytes) make it 0, the 128-byte xmm area keeps
  // it. Whole xmm registers are saved: an argument may be a v128.
  const intArgs = [Gpr.rdi, Gpr.rsi, Gpr.rdx, Gpr.rcx, Gpr.r8, Gpr.r9] as const;
  const floatArgs = 8;
  a.pushR(Gpr.rbp);
  a.movRR(64, Gpr.rbp, Gpr.rsp);
  for (const reg of intArgs) a.pushR(reg);
  a.subRI(64, Gpr.rsp, floatArgs * 16);
  for (let i = 0; i < floatArgs; i++) a.movdquMR(mem.setBase(Gpr.rsp, i * 16), i);
  a.movRR(64, Gpr.rdi, Gpr.r15);
  a.movRI(32, Gpr.rsi, funcIndex);
  a.movRI(64, Gpr.rax, compiler);
  a.callR(Gpr.rax);
  const failed = a.newLabel();
  a.testRR(64, Gpr.rax, Gpr.rax);
  a.jcc(Cond.E, failed);
  a.movRR(64, Gpr.r11, Gpr.rax);
  for (let i = 0; i < floatArgs; i++) a.simdRM(SimdOp.movdqu, i, mem.setBase(Gpr.rsp, i * 16));
  a.addRI(64, Gpr.rsp, floatArgs * 16);
  for (let i = intArgs.length - 1; i >= 0; i--) a.popR(intArgs[i]!);
  a.popR(Gpr.rbp);
  a.jmpR(Gpr.r11);
  a.bind(failed);
  a.movMI(32, mem.setBase(Gpr.r15, VMCTX_TRAP_REASON), failureStatus);
  a.callM(mem.setBase(Gpr.r15, VMCTX_TRAP_EXIT));
  return a.finish();
}

/** Emits `mov rax, rsp; ret`: lets the runtime learn where the host stack is before any entry. */
export function emitReadStackPointer(): FinishedCode {
  const a = new Assembler();
  a.movRR(64, Gpr.rax, Gpr.rsp);
  a.ret();
  return a.finish();
}

/** Copies a stack-passed value (8 bytes, or 16 for a v128) from one memory slot to another through `temp`. */
function copyStackValue(a: Assembler, kind: ValueKind, to: Mem, from: Mem, temp: Gpr = Gpr.r11): void {
  a.movRM(64, temp, from);
  a.movMR(64, to, temp);
  if (kind !== ValueKind.V128) return;
  from.disp += 8;
  to.disp += 8;
  a.movRM(64, temp, from);
  a.movMR(64, to, temp);
}

function storeValue(a: Assembler, kind: ValueKind, at: Mem, reg: number): void {
  switch (kind) {
    case ValueKind.V128:
      a.movdquMR(at, reg);
      return;
    case ValueKind.I32:
      a.movMR(32, at, reg as Gpr);
      return;
    case ValueKind.F32:
      a.movssMR(at, reg);
      return;
    case ValueKind.F64:
      a.movsdMR(at, reg);
      return;
    default:
      a.movMR(64, at, reg as Gpr);
  }
}

function loadValue(a: Assembler, kind: ValueKind, reg: number, at: Mem): void {
  switch (kind) {
    case ValueKind.V128:
      a.simdRM(SimdOp.movdqu, reg, at);
      return;
    case ValueKind.I32:
      a.movRM(32, reg as Gpr, at);
      return;
    case ValueKind.F32:
      a.movssRM(reg, at);
      return;
    case ValueKind.F64:
      a.movsdRM(reg, at);
      return;
    default:
      a.movRM(64, reg as Gpr, at);
  }
}
