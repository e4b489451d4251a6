// x64 entry trampolines and the trap exit: how the host enters Wasm code and how a trap leaves it.
// Host side follows the System V AMD64 ABI (§3.2: callee-saved rbx, rbp, r12-r15; rsp 16-byte
// aligned at calls): https://gitlab.com/x86-psABIs/x86-64-ABI
//
// The host calls every entry trampoline through one C prototype (System V):
//     uint32_t entry(VMContext *vmctx /* rdi */, void *code /* rsi */, uint8_t *values /* rdx */)
// `values` holds ENTRY_VALUE_SLOT_SIZE-byte slots: parameters on the way in, results on the way out.
//
// Entry frame, from the frame pointer down (the trap exit relies on this exact shape):
//     [rbp + 8]   return address into the host
//     [rbp + 0]   host rbp
//     [rbp - 8]   rbx, r12, r13, r14, r15 (host callee-saved), down to [rbp - 40]
//     [rbp - 48]  previous VMCTX_SAVED_HOST_SP (entries nest: host → Wasm → host → Wasm)
//     [rbp - 56]  the `values` pointer
//     [rbp - 64]  padding, so the call into Wasm is 16-byte aligned
// VMCTX_SAVED_HOST_SP = rbp - 64 while Wasm runs.
//
// A trap: Wasm code stores the reason in VMCTX_TRAP_REASON and calls [vmctx + VMCTX_TRAP_EXIT].
// The trap exit records the return address as the trap PC, resets rsp to the saved host stack
// pointer (dropping every Wasm frame at once), and leaves through the entry's own epilogue with
// the reason in eax. No signals, no unwinding tables.

import {
  BackendBailout,
  BailoutReason,
  ENTRY_VALUE_SLOT_SIZE,
  VMCTX_SAVED_HOST_SP,
  VMCTX_STACK_LIMIT,
  VMCTX_TRAP_PC,
  VMCTX_TRAP_REASON,
  ValueKind,
  computeCallLayout,
  hwEncodingOf,
  type FinishedCode,
  type Signature,
} from '@flint/backend';
import { Assembler, Cond, Gpr, Mem } from './assembler/index.ts';
import { WASM_X64 } from './abi.ts';

/** Bytes between the entry frame pointer and the stack pointer while Wasm runs. */
const ENTRY_FRAME_BELOW_RBP = 64;
const SLOT_PREVIOUS_SAVED_SP = -48;
const SLOT_VALUES = -56;
const HOST_CALLEE_SAVED = [Gpr.rbx, Gpr.r12, Gpr.r13, Gpr.r14, Gpr.r15] as const;

/**
 * Stack the outermost entry grants to Wasm code: VMCTX_STACK_LIMIT is set this far below the
 * entry's stack pointer, leaving the rest of the native stack to the trap exit and the host.
 * Temporary: a runtime-configured limit derived from the real thread stack bounds would replace it.
 */
export const WASM_STACK_BUDGET = 512 * 1024;

const mem = new Mem();

/** Emits the entry trampoline for `signature` (parameters and results in registers only). */
export function emitEntryTrampoline(signature: Signature): FinishedCode {
  const layout = computeCallLayout(WASM_X64, signature);
  if (layout.params.some((p) => p.kind !== 'reg') || layout.results.some((r) => r.kind !== 'reg')) {
    throw new BackendBailout(BailoutReason.UnsupportedFeature, 'entry trampoline: parameters or results passed on the stack');
  }
  if ([...signature.params, ...signature.results].includes(ValueKind.V128)) {
    throw new BackendBailout(BailoutReason.UnsupportedType, 'entry trampoline: v128');
  }
  const a = new Assembler();
  a.pushR(Gpr.rbp);
  a.movRR(64, Gpr.rbp, Gpr.rsp);
  for (const reg of HOST_CALLEE_SAVED) a.pushR(reg);
  a.movRR(64, Gpr.r15, Gpr.rdi);
  a.pushM(mem.setBase(Gpr.r15, VMCTX_SAVED_HOST_SP));
  a.pushR(Gpr.rdx);
  a.subRI(64, Gpr.rsp, 8);

  // The outermost entry (no saved host stack pointer yet) sets the stack limit for this run.
  const nested = a.newLabel();
  a.cmpMI(64, mem.setBase(Gpr.rbp, SLOT_PREVIOUS_SAVED_SP), 0);
  a.jcc(Cond.NE, nested);
  a.leaRM(64, Gpr.rax, mem.setBase(Gpr.rsp, -WASM_STACK_BUDGET));
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_STACK_LIMIT), Gpr.rax);
  a.bind(nested);
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_SAVED_HOST_SP), Gpr.rsp);

  // rsi and rdx are argument registers: move the code and values pointers out of the way first.
  a.movRR(64, Gpr.rax, Gpr.rsi);
  a.movRR(64, Gpr.r10, Gpr.rdx);
  signature.params.forEach((kind, i) => {
    const loc = layout.params[i]!;
    if (loc.kind !== 'reg') return;
    const reg = hwEncodingOf(loc.reg);
    mem.setBase(Gpr.r10, i * ENTRY_VALUE_SLOT_SIZE);
    switch (kind) {
      case ValueKind.I32:
        a.movRM(32, reg, mem);
        break;
      case ValueKind.F32:
        a.movssRM(reg, mem);
        break;
      case ValueKind.F64:
        a.movsdRM(reg, mem);
        break;
      default:
        a.movRM(64, reg, mem);
    }
  });
  a.callR(Gpr.rax);

  a.movRM(64, Gpr.r10, mem.setBase(Gpr.rbp, SLOT_VALUES));
  signature.results.forEach((kind, i) => {
    const loc = layout.results[i]!;
    if (loc.kind !== 'reg') return;
    const reg = hwEncodingOf(loc.reg);
    mem.setBase(Gpr.r10, i * ENTRY_VALUE_SLOT_SIZE);
    switch (kind) {
      case ValueKind.I32:
        a.movMR(32, mem, reg);
        break;
      case ValueKind.F32:
        a.movssMR(mem, reg);
        break;
      case ValueKind.F64:
        a.movsdMR(mem, reg);
        break;
      default:
        a.movMR(64, mem, reg);
    }
  });
  a.xorRR(32, Gpr.rax, Gpr.rax);
  emitEntryEpilogue(a);
  return a.finish();
}

/**
 * Emits the trap exit. Entered by `call` from Wasm code with r15 = VM context and the trap reason
 * already in VMCTX_TRAP_REASON; returns that reason from the innermost entry trampoline.
 */
export function emitTrapExit(): FinishedCode {
  const a = new Assembler();
  a.popR(Gpr.rcx);
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_TRAP_PC), Gpr.rcx);
  a.movRM(64, Gpr.rsp, mem.setBase(Gpr.r15, VMCTX_SAVED_HOST_SP));
  a.leaRM(64, Gpr.rbp, mem.setBase(Gpr.rsp, ENTRY_FRAME_BELOW_RBP));
  a.movRM(32, Gpr.rax, mem.setBase(Gpr.r15, VMCTX_TRAP_REASON));
  emitEntryEpilogue(a);
  return a.finish();
}

/** Restores the previous saved host stack pointer and the host's callee-saved registers; returns. */
function emitEntryEpilogue(a: Assembler): void {
  a.movRM(64, Gpr.rcx, mem.setBase(Gpr.rbp, SLOT_PREVIOUS_SAVED_SP));
  a.movMR(64, mem.setBase(Gpr.r15, VMCTX_SAVED_HOST_SP), Gpr.rcx);
  a.leaRM(64, Gpr.rsp, mem.setBase(Gpr.rbp, -8 * HOST_CALLEE_SAVED.length));
  for (let i = HOST_CALLEE_SAVED.length - 1; i >= 0; i--) a.popR(HOST_CALLEE_SAVED[i]!);
  a.popR(Gpr.rbp);
  a.ret();
}

