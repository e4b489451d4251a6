// Frames, control flow, calls and traps of the arm64 MacroAssembler.
//
// Calls follow the VM-context conventions of @flint/backend's vmcontext.ts: direct calls go
// through the module's jump table, imports and call_indirect switch x28 to the callee's VM
// context and restore it from the frame afterwards, builtins are called through the builtin table.
// Branch ranges: see the top of assembler/assembler.ts (islands and veneers in the code buffer)
// and docs/adr/0007-arm64-backend.md.

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
import { AssemblerError, AssemblerErrorCode, Cond, Extend, Gpr, MemOp, isAddSubImmediate, type Vreg } from '../assembler/index.ts';
import { FRAME_HEADER_SIZE, SAVED_VMCTX_OFFSET, VMCTX, X16, X17, g } from './base.ts';
import { INT_COND } from './integer.ts';
import { MemoryMasm } from './memory.ts';

const INT32_MAX = 0x7fff_ffff;
/** A preserving poll keeps x0–x15 (in pairs), then v0–v31 whole; 640 bytes keep sp 16-byte aligned. */
const POLL_SAVED_GPRS = 16;
const POLL_SAVE_AREA = POLL_SAVED_GPRS * 8 + 32 * 16;
/** Each br_table entry is one `b target` (±128 MiB): the table is indexed by index * 4. */
const JUMP_TABLE_ENTRY_BYTES = 4;

function checkedOffset(value: number, what: string): number {
  if (!(Number.isSafeInteger(value) && value >= 0 && value <= INT32_MAX)) {
    throw new BackendBailout(BailoutReason.FunctionTooLarge, `${what} ${value} does not fit a 32-bit offset`);
  }
  return value;
}

export class ControlMasm extends MemoryMasm {
  // --- frame ------------------------------------------------------------------------------------

  /**
   * stp x29, x30, [sp, #-32]!; mov x29, sp; str x28, [x29, #16]; then, before moving sp, compare
   * the new stack pointer with the VM context's limit and trap with "call stack exhausted" below
   * it. The frame area is rounded up to 16 bytes so sp stays aligned.
   */
  prologue(frameSize: number): void {
    const a = this.asm;
    const frameBytes = Math.ceil(checkedOffset(frameSize, 'frame size') / 16) * 16;
    a.stpPreRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, -FRAME_HEADER_SIZE);
    a.movRR(64, Gpr.fp, Gpr.sp);
    a.strRI(64, VMCTX, Gpr.fp, SAVED_VMCTX_OFFSET);
    this.stackPointerMinus(X16, frameBytes);
    a.ldrRI(64, X17, VMCTX, VMCTX_STACK_LIMIT);
    a.cmpRR(64, X16, X17);
    this.trapOn(Cond.lo, TrapReason.CallStackExhausted);
    a.movRR(64, Gpr.sp, X16);
  }

  /** `dst` ← sp - bytes (bytes ≥ 0), in one or two subtractions or through x17. */
  private stackPointerMinus(dst: Gpr, bytes: number): void {
    const a = this.asm;
    if (isAddSubImmediate(bytes)) a.subRRI(64, dst, Gpr.sp, bytes);
    else if (bytes <= 0xff_ffff) {
      a.subRRI(64, dst, Gpr.sp, bytes & 0xfff000);
      a.subRRI(64, dst, dst, bytes & 0xfff);
    } else {
      a.movRI(64, X17, bytes);
      a.subRRExtended(64, dst, Gpr.sp, X17, Extend.uxtx);
    }
  }

  epilogue(): void {
    const a = this.asm;
    a.movRR(64, Gpr.sp, Gpr.fp);
    a.ldpPostRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, FRAME_HEADER_SIZE);
    a.ret();
  }

  /** sp must stay 16-byte aligned (AAPCS64; Linux faults sp-based accesses otherwise). */
  private checkedStackBytes(bytes: number): number {
    checkedOffset(bytes, 'stack reservation');
    if (bytes % 16 !== 0) throw new AssemblerError(AssemblerErrorCode.InvalidOperand, `stack reservation ${bytes} is not a multiple of 16 (sp must stay 16-byte aligned)`);
    return bytes;
  }

  reserveStack(bytes: number): void {
    if (bytes === 0) return;
    this.stackPointerMinus(X16, this.checkedStackBytes(bytes));
    this.asm.movRR(64, Gpr.sp, X16);
  }

  freeStack(bytes: number): void {
    const a = this.asm;
    if (bytes === 0) return;
    this.checkedStackBytes(bytes);
    if (isAddSubImmediate(bytes)) a.addRRI(64, Gpr.sp, Gpr.sp, bytes);
    else {
      a.movRI(64, X16, bytes);
      a.addRRExtended(64, Gpr.sp, Gpr.sp, X16, Extend.uxtx);
    }
  }

  // --- labels and branches ----------------------------------------------------------------------

  newLabel(): Label {
    return this.asm.newLabel();
  }

  bind(label: Label): void {
    this.bindLabel(label);
  }

  jump(target: Label): void {
    this.asm.b(target);
  }

  branchIf(cond: IntCond, size: OperandSize, lhs: Reg, rhs: RegOrImm, target: Label): void {
    this.compare(size, lhs, rhs);
    this.asm.bCond(INT_COND[cond]!, target);
  }

  branchOnZero(reg: Reg, size: OperandSize, target: Label, ifNonZero = false): void {
    if (ifNonZero) this.asm.cbnz(size, g(reg), target);
    else this.asm.cbz(size, g(reg), target);
  }

  /**
   * Bounds-checked dispatch through an inline table of `b target` words:
   *     cmp w_index, #n; b.hs default; adr x16, table; add x16, x16, w_index, uxtw #2; br x16
   */
  jumpTable(index: Reg, targets: readonly Label[], defaultTarget: Label): void {
    const a = this.asm;
    const n = targets.length;
    if (n === 0) {
      a.b(defaultTarget);
      return;
    }
    checkedOffset(n * JUMP_TABLE_ENTRY_BYTES, 'jump table size');
    const i = g(index);
    const table = a.newLabel();
    if (isAddSubImmediate(n)) a.cmpRI(32, i, n);
    else {
      a.movRI(32, X16, n);
      a.cmpRR(32, i, X16);
    }
    a.bCond(Cond.hs, defaultTarget);
    // From the adr to the last entry the code is indexed by position: no island inside.
    a.startInstruction(12 + n * JUMP_TABLE_ENTRY_BYTES);
    a.adr(X16, table);
    a.addRRExtended(64, X16, X16, i, Extend.uxtw, 2);
    a.br(X16);
    this.bindLabel(table);
    for (let k = 0; k < n; k++) a.b(targets[k]!);
  }

  // --- calls ------------------------------------------------------------------------------------

  callDirect(funcIndex: number): void {
    const a = this.asm;
    a.ldrRI(64, X16, VMCTX, VMCTX_JUMP_TABLE);
    this.loadPointer(X16, X16, checkedOffset(funcIndex * JUMP_TABLE_ENTRY_SIZE, 'function index'));
    a.blr(X16);
    this.recordCallSite();
  }

  callImport(importIndex: number): void {
    const a = this.asm;
    const record = checkedOffset(importIndex * ImportRecord.size, 'import index');
    a.ldrRI(64, X16, VMCTX, VMCTX_IMPORTED_FUNCTIONS);
    if (record !== 0) this.addOffset(X16, record);
    a.ldrRI(64, VMCTX, X16, ImportRecord.vmContext);
    a.ldrRI(64, X16, X16, ImportRecord.code);
    a.blr(X16);
    this.recordCallSite();
    a.ldrRI(64, VMCTX, Gpr.fp, SAVED_VMCTX_OFFSET);
  }

  /** reg ← reg + offset (offset ≥ 0), through x17 when it is not an add immediate. */
  private addOffset(reg: Gpr, offset: number): void {
    const a = this.asm;
    if (isAddSubImmediate(offset)) a.addRRI(64, reg, reg, offset);
    else if (offset <= 0xff_ffff) {
      a.addRRI(64, reg, reg, offset & 0xfff000);
      a.addRRI(64, reg, reg, offset & 0xfff);
    } else {
      a.movRI(64, X17, offset);
      a.addRRR(64, reg, reg, X17);
    }
  }

  /**
   * call_indirect: the checks of `loadIndirectCallee`, then a call with the callee's VM context,
   * which is switched back from the frame afterwards.
   */
  callIndirect(table: number, typeIndex: number, index: Reg): void {
    const a = this.asm;
    this.loadIndirectCallee(table, typeIndex, index);
    a.ldrRI(64, VMCTX, X16, FuncRefRecord.vmContext);
    a.ldrRI(64, X16, X16, FuncRefRecord.code);
    a.blr(X16);
    this.recordCallSite();
    a.ldrRI(64, VMCTX, Gpr.fp, SAVED_VMCTX_OFFSET);
  }

  /**
   * index < table length ("undefined element"), non-null entry ("uninitialized element"),
   * canonical type ids equal ("indirect call type mismatch"); leaves the callee's `FuncRefRecord`
   * in x16. The type check needs a third temporary: x30, saved by the prologue and overwritten by
   * the call anyway.
   */
  private loadIndirectCallee(table: number, typeIndex: number, index: Reg): void {
    const a = this.asm;
    const i = g(index);
    const record = checkedOffset(table * TableRecord.size, 'table index');
    const typeOffset = checkedOffset(typeIndex * 4, 'type index');
    a.ldrRI(64, X16, VMCTX, VMCTX_TABLES);
    if (record !== 0) this.addOffset(X16, record);
    a.ldrRI(64, X17, X16, TableRecord.length);
    a.cmpRR(64, i, X17);
    this.trapOn(Cond.hs, TrapReason.UndefinedElement);
    a.ldrRI(64, X16, X16, TableRecord.base);
    a.ldrRR(64, X16, X16, i, Extend.uxtx, true);
    a.cbz(64, X16, this.trapLabel(TrapReason.UninitializedElement));
    a.ldrRI(64, X17, VMCTX, VMCTX_SIGNATURE_IDS);
    this.access(MemOp.ldr32, X17, X17, typeOffset, Gpr.lr);
    a.ldrRI(32, Gpr.lr, X16, FuncRefRecord.typeId);
    a.cmpRR(32, X17, Gpr.lr);
    this.trapOn(Cond.ne, TrapReason.IndirectCallTypeMismatch);
  }

  /** Drops this function's frame and restores the caller's x29 and x30, as the epilogue does before `ret`. */
  private tearDownFrame(): void {
    this.asm.movRR(64, Gpr.sp, Gpr.fp);
    this.asm.ldpPostRRI(64, Gpr.fp, Gpr.lr, Gpr.sp, FRAME_HEADER_SIZE);
  }

  /**
   * return_call: drop the frame, then branch (not call) through the jump table, so the callee
   * returns to this function's caller with the restored x30. The arguments are in registers,
   * which the tear-down leaves alone; x28 is unchanged (same instance).
   */
  returnCallDirect(funcIndex: number): void {
    const a = this.asm;
    a.ldrRI(64, X16, VMCTX, VMCTX_JUMP_TABLE);
    this.loadPointer(X16, X16, checkedOffset(funcIndex * JUMP_TABLE_ENTRY_SIZE, 'function index'));
    this.tearDownFrame();
    a.br(X16);
  }

  /**
   * return_call_indirect: a true tail call when the callee runs in this instance's VM context.
   * A callee of another instance is called normally and this function returns its results,
   * because this function's caller expects its own VM context in x28 on return.
   */
  returnCallIndirect(table: number, typeIndex: number, index: Reg): void {
    const a = this.asm;
    this.loadIndirectCallee(table, typeIndex, index);
    const crossInstance = a.newLabel();
    a.ldrRI(64, X17, X16, FuncRefRecord.vmContext);
    a.cmpRR(64, X17, VMCTX);
    a.bCond(Cond.ne, crossInstance);
    a.ldrRI(64, X16, X16, FuncRefRecord.code);
    this.tearDownFrame();
    a.br(X16);
    this.bindLabel(crossInstance);
    a.movRR(64, VMCTX, X17);
    a.ldrRI(64, X16, X16, FuncRefRecord.code);
    a.blr(X16);
    this.recordCallSite();
    a.ldrRI(64, VMCTX, Gpr.fp, SAVED_VMCTX_OFFSET);
    this.epilogue();
  }

  jumpIndirect(target: Reg): void {
    this.asm.br(g(target));
  }

  // Out-of-line interrupt polls, emitted by `finish`: [slow-path label, resume label, wasm offset,
  // 1 when the slow path preserves registers].
  private readonly pendingPolls: (Label | number)[] = [];

  /** Decrements the VM context's poll countdown; when it runs out, the Poll builtin out of line. */
  pollInterrupt(preserveRegisters = false): void {
    const a = this.asm;
    const slow = a.newLabel();
    const resume = a.newLabel();
    a.ldrRI(32, X17, VMCTX, VMCTX_POLL_COUNTDOWN);
    a.subsRRI(32, X17, X17, 1);
    a.strRI(32, X17, VMCTX, VMCTX_POLL_COUNTDOWN);
    a.bCond(Cond.le, slow);
    a.bind(resume);
    this.pendingPolls.push(slow, resume, this.wasmOffset, preserveRegisters ? 1 : 0);
  }

  /** Loads `HostState.fuel`, subtracts `cost` (in 12-bit immediate pieces), stores it back, traps when negative. */
  consumeFuel(cost: number): void {
    if (!(Number.isInteger(cost) && cost >= 1 && cost <= 0x7fff_ffff)) throw new RangeError(`fuel cost ${cost} out of range`);
    const a = this.asm;
    a.ldrRI(64, X17, VMCTX, VMCTX_HOST_STATE);
    a.ldrRI(64, X16, X17, HostState.fuel);
    let left = cost;
    while (left > 0xfff) {
      const high = Math.min(left & ~0xfff, 0xfff000);
      a.subRRI(64, X16, X16, high);
      left -= high;
    }
    // The last piece sets the flags: `lt` on the final result (no overflow: fuel is far from i64's ends).
    if (left > 0) a.subsRRI(64, X16, X16, left);
    else a.cmpRI(64, X16, 0);
    a.strRI(64, X16, X17, HostState.fuel);
    this.trapOn(Cond.lt, TrapReason.FuelExhausted);
  }

  /**
   * The slow paths of the polls: clear `HostState.pollAnswer`, call `Poll(vmctx)`, and go on only
   * if the runtime wrote 1 there (a terminating worker cannot run the poll: 0 stays, trap). A
   * preserving slow path keeps what AAPCS64 lets the callee clobber — x0–x15 (x16/x17 are the
   * MacroAssembler's scratch registers) and all of v0–v31, whole — in an area below the frame.
   */
  private emitPendingPolls(): void {
    const a = this.asm;
    const list = this.pendingPolls;
    for (let i = 0; i < list.length; i += 4) {
      const preserve = list[i + 3] === 1;
      a.bind(list[i] as Label);
      if (preserve) {
        a.subRRI(64, Gpr.sp, Gpr.sp, POLL_SAVE_AREA);
        for (let x = 0; x < POLL_SAVED_GPRS; x += 2) a.stpRRI(64, x as Gpr, (x + 1) as Gpr, Gpr.sp, x * 8);
        for (let v = 0; v < 32; v++) a.strFpRI(128, v as Vreg, Gpr.sp, POLL_SAVED_GPRS * 8 + v * 16);
      }
      a.ldrRI(64, X17, VMCTX, VMCTX_HOST_STATE);
      a.strRI(32, Gpr.zr, X17, HostState.pollAnswer);
      a.movRR(64, Gpr.x0, VMCTX);
      a.ldrRI(64, X16, VMCTX, VMCTX_BUILTINS);
      this.loadPointer(X16, X16, Builtin.Poll * 8);
      a.blr(X16);
      a.ldrRI(64, X17, VMCTX, VMCTX_HOST_STATE);
      a.ldrRI(32, X17, X17, HostState.pollAnswer);
      const saved = this.wasmOffset;
      this.wasmOffset = list[i + 2] as number;
      // A trap leaves through the trap exit, which restores the host's stack: nothing to restore.
      a.cbz(32, X17, this.trapLabel(TrapReason.Interrupted));
      this.wasmOffset = saved;
      if (preserve) {
        for (let v = 0; v < 32; v++) a.ldrFpRI(128, v as Vreg, Gpr.sp, POLL_SAVED_GPRS * 8 + v * 16);
        for (let x = 0; x < POLL_SAVED_GPRS; x += 2) a.ldpRRI(64, x as Gpr, (x + 1) as Gpr, Gpr.sp, x * 8);
        a.addRRI(64, Gpr.sp, Gpr.sp, POLL_SAVE_AREA);
      }
      a.b(list[i + 1] as Label);
    }
    list.length = 0;
  }

  override reset(): void {
    super.reset();
    this.pendingPolls.length = 0;
  }

  callBuiltin(builtinId: number): void {
    const a = this.asm;
    a.ldrRI(64, X16, VMCTX, VMCTX_BUILTINS);
    this.loadPointer(X16, X16, checkedOffset(builtinId * 8, 'builtin id'));
    a.blr(X16);
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
    this.asm.ldrRI(32, X16, VMCTX, VMCTX_TRAP_REASON);
    this.asm.cbnz(32, X16, this.trapLabel(reason));
  }

  trapIfZero(reg: Reg, size: OperandSize, reason: TrapReason): void {
    this.asm.cbz(size, g(reg), this.trapLabel(reason));
  }

  /** Out-of-line trap stubs, then the constant pool; resolves every label. */
  finish(): FinishedCode {
    this.emitPendingPolls();
    this.emitPendingTraps();
    try {
      return this.asm.finish();
    } catch (error) {
      throw this.branchRangeError(error);
    }
  }
}
