// Frames, control flow, calls and traps of the x64 MacroAssembler.
//
// Calls follow the VM-context conventions of @flint/backend's vmcontext.ts: direct calls go
// through the module's jump table, imports and call_indirect switch r15 to the callee's VM
// context and restore it from the frame afterwards, builtins are called through the builtin table.

import {
  BackendBailout,
  BailoutReason,
  Builtin,
  FuncRefRecord,
  HostState,
  ImportRecord,
  JUMP_TABLE_ENTRY_SIZE,
  TableRecord,
  TrapReason,
  VMCTX_BUILTINS,
  VMCTX_IMPORTED_FUNCTIONS,
  VMCTX_HOST_STATE,
  VMCTX_JUMP_TABLE,
  VMCTX_POLL_COUNTDOWN,
  VMCTX_SIGNATURE_IDS,
  VMCTX_STACK_LIMIT,
  VMCTX_TABLES,
  VMCTX_TRAP_REASON,
  type FinishedCode,
  type IntCond,
  type Label,
  type OperandSize,
  type Reg,
  type RegOrImm,
} from '@flint/backend';
import { Cond, Gpr, SimdOp } from '../assembler/index.ts';
import { FRAME_HEADER_BELOW_RBP, SAVED_VMCTX_OFFSET, SCRATCH, VMCTX, hw } from './base.ts';
import { INT_COND } from './integer.ts';
import { MemoryMasm } from './memory.ts';

const INT32_MAX = 0x7fff_ffff;
/** What a preserving poll keeps across the C call: System V's caller-saved GPRs, then xmm0–15. */
const POLL_SAVED_GPRS = [Gpr.rax, Gpr.rcx, Gpr.rdx, Gpr.rsi, Gpr.rdi, Gpr.r8, Gpr.r9, Gpr.r10, Gpr.r11];
const POLL_XMM_AREA = POLL_SAVED_GPRS.length * 8 + 8; // 16-byte aligned
const POLL_SAVE_AREA = POLL_XMM_AREA + 16 * 16;
const JUMP_TABLE_ENTRY = 8; // `jmp rel32` (5 bytes) padded so entries are indexed by *8

function checkedOffset(value: number, what: string): number {
  if (!(Number.isSafeInteger(value) && value >= 0 && value <= INT32_MAX)) {
    throw new BackendBailout(BailoutReason.FunctionTooLarge, `${what} ${value} does not fit a 32-bit displacement`);
  }
  return value;
}

export class ControlMasm extends MemoryMasm {
  // --- frame ------------------------------------------------------------------------------------

  /**
   * push rbp; mov rbp, rsp; push r15 (saved VM context); then, before moving rsp, compare the new
   * stack pointer with the VM context's limit and trap with "call stack exhausted" below it.
   * rsp stays 16-byte aligned: the return address and rbp make 16, r15 plus the rounded frame
   * make a multiple of 16.
   */
  prologue(frameSize: number): void {
    const a = this.asm;
    const frameBytes = Math.ceil((checkedOffset(frameSize, 'frame size') + FRAME_HEADER_BELOW_RBP) / 16) * 16 - FRAME_HEADER_BELOW_RBP;
    a.pushR(Gpr.rbp);
    a.movRR(64, Gpr.rbp, Gpr.rsp);
    a.pushR(VMCTX);
    a.leaRM(64, SCRATCH, this.m.setBase(Gpr.rsp, -frameBytes));
    a.cmpRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_STACK_LIMIT));
    this.trapOn(Cond.B, TrapReason.CallStackExhausted);
    a.movRR(64, Gpr.rsp, SCRATCH);
  }

  epilogue(): void {
    const a = this.asm;
    a.movRR(64, Gpr.rsp, Gpr.rbp);
    a.popR(Gpr.rbp);
    a.ret();
  }

  reserveStack(bytes: number): void {
    if (bytes !== 0) this.asm.subRI(64, Gpr.rsp, checkedOffset(bytes, 'stack reservation'));
  }

  freeStack(bytes: number): void {
    if (bytes !== 0) this.asm.addRI(64, Gpr.rsp, checkedOffset(bytes, 'stack reservation'));
  }

  // --- labels and branches ----------------------------------------------------------------------

  newLabel(): Label {
    return this.asm.newLabel();
  }

  bind(label: Label): void {
    this.asm.bind(label);
  }

  jump(target: Label): void {
    this.asm.jmp(target);
  }

  branchIf(cond: IntCond, size: OperandSize, lhs: Reg, rhs: RegOrImm, target: Label): void {
    this.compare(size, lhs, rhs);
    this.asm.jcc(INT_COND[cond]!, target);
  }

  branchOnZero(reg: Reg, size: OperandSize, target: Label, ifNonZero = false): void {
    this.asm.testRR(size, hw(reg), hw(reg));
    this.asm.jcc(ifNonZero ? Cond.NE : Cond.E, target);
  }

  /**
   * Bounds-checked dispatch through an inline table of 8-byte `jmp rel32` entries:
   *     cmp index, n; jae default; lea r11, [rip+table]; lea r11, [r11+index*8]; jmp r11
   * (the index is an i32, so its upper half is zero and it can be scaled as a 64-bit register).
   */
  jumpTable(index: Reg, targets: readonly Label[], defaultTarget: Label): void {
    const a = this.asm;
    const n = targets.length;
    if (n === 0) {
      a.jmp(defaultTarget);
      return;
    }
    checkedOffset(n * JUMP_TABLE_ENTRY, 'jump table size');
    const i = hw(index);
    const table = a.newLabel();
    a.cmpRI(32, i, n);
    a.jcc(Cond.AE, defaultTarget);
    a.leaRM(64, SCRATCH, this.m.setLabel(table));
    a.leaRM(64, SCRATCH, this.m.setIndexed(SCRATCH, i, 8));
    a.jmpR(SCRATCH);
    a.bind(table);
    for (let k = 0; k < n; k++) {
      // Always the 5-byte near form (a backward target could pick the short one): fixed stride.
      const start = a.offset;
      a.jmp(targets[k]!);
      a.nops(JUMP_TABLE_ENTRY - (a.offset - start));
    }
  }

  // --- calls ------------------------------------------------------------------------------------

  callDirect(funcIndex: number): void {
    const a = this.asm;
    a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_JUMP_TABLE));
    a.callM(this.m.setBase(SCRATCH, checkedOffset(funcIndex * JUMP_TABLE_ENTRY_SIZE, 'function index')));
    this.recordCallSite();
  }

  callImport(importIndex: number): void {
    const a = this.asm;
    const record = checkedOffset(importIndex * ImportRecord.size, 'import index');
    a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_IMPORTED_FUNCTIONS));
    a.movRM(64, VMCTX, this.m.setBase(SCRATCH, record + ImportRecord.vmContext));
    a.callM(this.m.setBase(SCRATCH, record + ImportRecord.code));
    this.recordCallSite();
    a.movRM(64, VMCTX, this.m.setBase(Gpr.rbp, SAVED_VMCTX_OFFSET));
  }

  /**
   * call_indirect: index < table length ("undefined element"), non-null entry ("uninitialized
   * element"), canonical type ids equal ("indirect call type mismatch"), then call with the
   * callee's VM context.
   */
  callIndirect(table: number, typeIndex: number, index: Reg): void {
    const a = this.asm;
    this.loadIndirectCallee(table, typeIndex, index);
    a.movRM(64, VMCTX, this.m.setBase(SCRATCH, FuncRefRecord.vmContext));
    a.callM(this.m.setBase(SCRATCH, FuncRefRecord.code));
    this.recordCallSite();
    a.movRM(64, VMCTX, this.m.setBase(Gpr.rbp, SAVED_VMCTX_OFFSET));
  }

  /**
   * The checks of call_indirect, leaving the callee's `FuncRefRecord` in the scratch register.
   * The type check needs a second register: rax is borrowed with push/pop, which only writes
   * below rsp, so outgoing stack arguments are untouched.
   */
  private loadIndirectCallee(table: number, typeIndex: number, index: Reg): void {
    const a = this.asm;
    const i = hw(index);
    const record = checkedOffset(table * TableRecord.size, 'table index');
    const typeOffset = checkedOffset(typeIndex * 4, 'type index');
    a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_TABLES));
    a.cmpRM(64, i, this.m.setBase(SCRATCH, record + TableRecord.length));
    this.trapOn(Cond.AE, TrapReason.UndefinedElement);
    a.movRM(64, SCRATCH, this.m.setBase(SCRATCH, record + TableRecord.base));
    a.movRM(64, SCRATCH, this.m.setIndexed(SCRATCH, i, 8));
    a.testRR(64, SCRATCH, SCRATCH);
    this.trapOn(Cond.E, TrapReason.UninitializedElement);
    a.pushR(Gpr.rax);
    a.movRM(64, Gpr.rax, this.m.setBase(VMCTX, VMCTX_SIGNATURE_IDS));
    a.movRM(32, Gpr.rax, this.m.setBase(Gpr.rax, typeOffset));
    a.cmpRM(32, Gpr.rax, this.m.setBase(SCRATCH, FuncRefRecord.typeId));
    a.popR(Gpr.rax); // pop leaves the flags of the cmp
    this.trapOn(Cond.NE, TrapReason.IndirectCallTypeMismatch);
  }

  /** Drops this function's frame (rsp back to the return address), as the epilogue does before `ret`. */
  private tearDownFrame(): void {
    this.asm.movRR(64, Gpr.rsp, Gpr.rbp);
    this.asm.popR(Gpr.rbp);
  }

  /**
   * return_call: drop the frame, then jump through the jump table, so the callee returns to this
   * function's caller. The arguments are in registers, which the tear-down leaves alone; r15 is
   * unchanged (same instance).
   */
  returnCallDirect(funcIndex: number): void {
    const a = this.asm;
    const entry = checkedOffset(funcIndex * JUMP_TABLE_ENTRY_SIZE, 'function index');
    a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_JUMP_TABLE));
    this.tearDownFrame();
    a.jmpM(this.m.setBase(SCRATCH, entry));
  }

  /**
   * return_call_indirect: a true tail call when the callee runs in this instance's VM context.
   * A callee of another instance is called normally and this function returns its results,
   * because this function's caller expects its own VM context in r15 on return.
   */
  returnCallIndirect(table: number, typeIndex: number, index: Reg): void {
    const a = this.asm;
    this.loadIndirectCallee(table, typeIndex, index);
    const crossInstance = a.newLabel();
    a.cmpRM(64, VMCTX, this.m.setBase(SCRATCH, FuncRefRecord.vmContext));
    a.jcc(Cond.NE, crossInstance);
    this.tearDownFrame();
    a.jmpM(this.m.setBase(SCRATCH, FuncRefRecord.code));
    a.bind(crossInstance);
    a.movRM(64, VMCTX, this.m.setBase(SCRATCH, FuncRefRecord.vmContext));
    a.callM(this.m.setBase(SCRATCH, FuncRefRecord.code));
    this.recordCallSite();
    a.movRM(64, VMCTX, this.m.setBase(Gpr.rbp, SAVED_VMCTX_OFFSET));
    this.epilogue();
  }

  jumpIndirect(target: Reg): void {
    this.asm.jmpR(hw(target));
  }

  // Out-of-line interrupt polls, emitted by `finish`: [slow-path label, resume label, wasm offset,
  // 1 when the slow path preserves registers].
  private readonly pendingPolls: number[] = [];

  /** `sub dword [vmctx + countdown], 1; jle slow`: the slow path calls the Poll builtin out of line. */
  pollInterrupt(preserveRegisters = false): void {
    const a = this.asm;
    const slow = a.newLabel();
    const resume = a.newLabel();
    a.subMI(32, this.m.setBase(VMCTX, VMCTX_POLL_COUNTDOWN), 1);
    a.jcc(Cond.LE, slow);
    a.bind(resume);
    this.pendingPolls.push(slow, resume, this.wasmOffset, preserveRegisters ? 1 : 0);
  }

  /** `mov scratch, [vmctx + host state]; sub qword [scratch + fuel], cost; jl trap`. */
  consumeFuel(cost: number): void {
    if (!(Number.isInteger(cost) && cost >= 1 && cost <= INT32_MAX)) throw new RangeError(`fuel cost ${cost} out of range`);
    const a = this.asm;
    a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_HOST_STATE));
    a.subMI(64, this.m.setBase(SCRATCH, HostState.fuel), cost);
    this.trapOn(Cond.L, TrapReason.FuelExhausted);
  }

  /**
   * The slow paths of the polls: clear `HostState.pollAnswer`, call `Poll(vmctx)`, and go on only
   * if the runtime wrote 1 there (a terminating worker cannot run the poll: 0 stays, trap). A
   * preserving slow path keeps every register System V lets the callee clobber (the GPRs below and
   * all of xmm0–15, whole) in a 16-byte-aligned area below the frame.
   */
  private emitPendingPolls(): void {
    const a = this.asm;
    const list = this.pendingPolls;
    for (let i = 0; i < list.length; i += 4) {
      const preserve = list[i + 3] === 1;
      a.bind(list[i]!);
      if (preserve) {
        a.subRI(64, Gpr.rsp, POLL_SAVE_AREA);
        POLL_SAVED_GPRS.forEach((gpr, k) => a.movMR(64, this.m.setBase(Gpr.rsp, k * 8), gpr));
        for (let x = 0; x < 16; x++) a.movdquMR(this.m.setBase(Gpr.rsp, POLL_XMM_AREA + x * 16), x);
      }
      a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_HOST_STATE));
      a.movMI(32, this.m.setBase(SCRATCH, HostState.pollAnswer), 0);
      a.movRR(64, Gpr.rdi, VMCTX);
      a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_BUILTINS));
      a.callM(this.m.setBase(SCRATCH, Builtin.Poll * 8));
      a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_HOST_STATE));
      a.cmpMI(32, this.m.setBase(SCRATCH, HostState.pollAnswer), 0);
      const saved = this.wasmOffset;
      this.wasmOffset = list[i + 2]!;
      // A trap leaves through the trap exit, which restores the host's stack: nothing to restore.
      this.trapOn(Cond.E, TrapReason.Interrupted);
      this.wasmOffset = saved;
      if (preserve) {
        for (let x = 0; x < 16; x++) a.simdRM(SimdOp.movdqu, x, this.m.setBase(Gpr.rsp, POLL_XMM_AREA + x * 16));
        POLL_SAVED_GPRS.forEach((gpr, k) => a.movRM(64, gpr, this.m.setBase(Gpr.rsp, k * 8)));
        a.addRI(64, Gpr.rsp, POLL_SAVE_AREA);
      }
      a.jmp(list[i + 1]!);
    }
    list.length = 0;
  }

  override reset(): void {
    super.reset();
    this.pendingPolls.length = 0;
  }

  callBuiltin(builtinId: number): void {
    const a = this.asm;
    a.movRM(64, SCRATCH, this.m.setBase(VMCTX, VMCTX_BUILTINS));
    a.callM(this.m.setBase(SCRATCH, checkedOffset(builtinId * 8, 'builtin id')));
    this.recordCallSite();
  }

  // --- traps ------------------------------------------------------------------------------------

  trap(reason: TrapReason): void {
    this.emitTrap(reason, this.wasmOffset);
  }

  trapIf(cond: IntCond, size: OperandSize, lhs: Reg, rhs: RegOrImm, reason: TrapReason): void {
    this.compare(size, lhs, rhs);
    this.trapOn(INT_COND[cond]!, reason);
  }

  /**
   * After a runtime builtin that may trap: leaves through the trap exit with `reason` when the
   * builtin stored a trap reason in the VM context (it returns normally either way).
   */
  trapIfPending(reason: TrapReason): void {
    this.asm.cmpMI(32, this.m.setBase(VMCTX, VMCTX_TRAP_REASON), 0);
    this.trapOn(Cond.NE, reason);
  }

  trapIfZero(reg: Reg, size: OperandSize, reason: TrapReason): void {
    this.asm.testRR(size, hw(reg), hw(reg));
    this.trapOn(Cond.E, reason);
  }

  /** Out-of-line trap stubs, then the constant pool; resolves every label. */
  finish(): FinishedCode {
    this.emitPendingPolls();
    this.emitPendingTraps();
    return this.asm.finish();
  }
}
