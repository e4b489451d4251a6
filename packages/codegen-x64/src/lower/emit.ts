// Encodes an allocated x64 VCode through the x64 MacroAssembler: the same prologue (frame and
// stack-limit check), trap stubs, call sequences, division, conversions and bounds checks as the
// baseline tier, on the registers the allocator chose. Moves, spills and reloads the allocator
// inserted are emitted before the instruction they precede.
//
// Frame: the MacroAssembler's (rbp, saved VM context at [rbp - 8]), spill slot s at frame slot
// (s + 1) * 8, and the outgoing stack-argument area of calls at the bottom, at rsp, so rsp never
// moves after the prologue.

import {
  Allocation,
  EditKind,
  Imm,
  IntCond,
  StackArea,
  TrapReason,
  VCode,
  spillSlotOffset,
  pollBlocks,
  threadJumps,
  type ConvertKind,
  type DivKind,
  type FinishedCode,
  type FloatBinaryKind,
  type FloatCond,
  type FloatUnaryKind,
  type IntBinaryKind,
  type IntUnaryKind,
  type Label,
  type LoadKind,
  type LoweringOptions,
  type OperandSize,
  type ShiftKind,
  type StoreKind,
} from '@flint/backend';
import { Cond, Gpr, Mem, invertCond } from '../assembler/index.ts';
import { hw, VMCTX } from '../masm/base.ts';
import { INT_COND } from '../masm/integer.ts';
import { X64MacroAssembler } from '../masm/macro-assembler.ts';
import { X64Op } from './opcodes.ts';

export class X64Emitter {
  private readonly masm: X64MacroAssembler;
  private labels: Label[] = [];
  /** Per block: the block a branch to it really goes to (itself, unless it is only a jump). */
  private forward = new Int32Array(64);
  /** Per block: 1 when it polls for interrupts on entry (`pollBlocks`). */
  private polls = new Uint8Array(64);
  private readonly imm = new Imm();
  private readonly tableLabels: Label[] = [];

  constructor(options: LoweringOptions) {
    // The same CPU features as the baseline tier: every optional instruction has its fallback in the MacroAssembler.
    this.masm = new X64MacroAssembler({ initialCapacity: 4096, cpuFeatures: options.cpuFeatures });
  }

  emit(code: VCode, alloc: Allocation): FinishedCode {
    const masm = this.masm;
    masm.reset();
    const labels = this.labels;
    labels.length = 0;
    for (let b = 0; b < code.blockCount; b++) labels.push(masm.newLabel());
    this.forward = threadJumps(code, alloc, X64Op.Jump, this.forward);
    this.polls = pollBlocks(code, this.forward, this.polls);
    masm.setWasmOffset(-1);
    masm.prologue(alloc.spillSlots * 8 + code.outgoingBytes);
    // Interrupts: polled at entry (recursion passes here) and where loops close; values stay in registers.
    if (code.blockCount > 0 && code.blockEnd[0]! > code.blockFirst[0]!) masm.setWasmOffset(code.wasmOffset[code.blockFirst[0]!]!);
    masm.pollInterrupt(true);
    let e = 0;
    for (let b = 0; b < code.blockCount; b++) {
      // A block that is only a jump is never entered: branches go straight to its target.
      if (this.forward[b] !== b && b !== 0) {
        while (e < alloc.editCount && alloc.editInst[e]! < code.blockEnd[b]!) e++;
        continue;
      }
      masm.bind(labels[b]!);
      if (this.polls[b] === 1) {
        if (code.blockEnd[b]! > code.blockFirst[b]!) masm.setWasmOffset(code.wasmOffset[code.blockFirst[b]!]!);
        masm.pollInterrupt(true);
      }
      const next = this.nextEmitted(b + 1, code.blockCount);
      for (let i = code.blockFirst[b]!; i < code.blockEnd[b]!; i++) {
        for (; e < alloc.editCount && alloc.editInst[e]! <= i; e++) this.emitEdit(alloc, e);
        masm.setWasmOffset(code.wasmOffset[i]!);
        this.emitInst(code, alloc, i, next);
      }
    }
    return masm.finish();
  }

  /** The first block from `b` on that is emitted (not a forwarding jump), or `count`. */
  private nextEmitted(b: number, count: number): number {
    while (b < count && this.forward[b] !== b) b++;
    return b;
  }

  private target(block: number): Label {
    return this.labels[this.forward[block]!]!;
  }

  private emitEdit(alloc: Allocation, e: number): void {
    const from = alloc.editFrom[e]!;
    const to = alloc.editTo[e]!;
    switch (alloc.editKind[e]) {
      case EditKind.Move:
        this.masm.move(to, from, 64);
        return;
      case EditKind.Spill:
        this.masm.spill(spillSlotOffset(to), from, 64);
        return;
      default:
        this.masm.fill(to, spillSlotOffset(from), 64);
    }
  }

  private emitInst(code: VCode, alloc: Allocation, i: number, next: number): void {
    const masm = this.masm;
    const a = masm.asm;
    const ops = code.operandStart[i]!;
    const r = (k: number): number => alloc.operandAlloc[ops + k]!;
    const imm0 = code.imm0[i]!;
    const imm1 = code.imm1[i]!;
    const imm2 = code.imm2[i]!;
    const imm3 = code.imm3[i]!;
    switch (code.opcode[i]) {
      case X64Op.Move:
        masm.move(r(0), r(1), 64);
        return;
      case X64Op.MovImm:
        masm.move(r(0), this.imm.set(imm0, imm1), imm2 as OperandSize);
        return;
      case X64Op.LoadFloatConst:
        masm.loadFloatConstant(r(0), imm2 as OperandSize, imm0, imm1);
        return;
      case X64Op.LoadVmctx:
        a.movRM(64, hw(r(0)), memAt(VMCTX, imm0));
        return;
      case X64Op.CopyVmctx:
        a.movRR(64, hw(r(0)), VMCTX);
        return;
      case X64Op.AluRR:
        masm.intBinary(imm0 as IntBinaryKind, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case X64Op.AluRI:
        masm.intBinary(imm0 as IntBinaryKind, imm1 as OperandSize, r(0), r(1), this.imm.set(imm2, imm3));
        return;
      case X64Op.ShiftRR:
        // dst is an early def: never rcx, never the value's register.
        masm.shiftByCl(imm0 as ShiftKind, imm1 as OperandSize, r(0), r(1));
        return;
      case X64Op.ShiftRI:
        masm.shiftImm(imm0 as ShiftKind, imm1 as OperandSize, r(0), r(1), imm2);
        return;
      case X64Op.Div:
        masm.divideRax(imm0 as DivKind, imm1 as OperandSize, r(3));
        return;
      case X64Op.IntUnary:
        masm.intUnary(imm0 as IntUnaryKind, imm1 as OperandSize, r(0), r(1));
        return;
      case X64Op.Compare:
        masm.intCompare(imm0 as IntCond, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case X64Op.CompareImm:
        masm.intCompare(imm0 as IntCond, imm1 as OperandSize, r(0), r(1), this.imm.set(imm2, imm3));
        return;
      case X64Op.FloatBinary:
        masm.floatBinary(imm0 as FloatBinaryKind, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case X64Op.FloatUnary:
        masm.floatUnary(imm0 as FloatUnaryKind, imm1 as OperandSize, r(0), r(1));
        return;
      case X64Op.FloatCompare:
        masm.floatCompare(imm0 as FloatCond, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case X64Op.Convert:
        masm.convert(imm0 as ConvertKind, r(0), r(1));
        return;
      case X64Op.Select:
        masm.select(imm1 as OperandSize, r(0), r(1), r(2), r(3));
        return;
      case X64Op.CmpSelect: {
        // cmp lhs, rhs; then dst = cond ? ifTrue : ifFalse with cmov (flags survive the mov).
        const d = hw(r(0));
        const size = (imm0 >> 8) as OperandSize;
        const cond = INT_COND[imm0 & 0xff]!;
        a.cmpRR(size, hw(r(1)), hw(r(2)));
        if (d === hw(r(3))) a.cmovccRR(invertCond(cond), imm1 as OperandSize, d, hw(r(4)));
        else {
          if (d !== hw(r(4))) a.movRR(imm1 as OperandSize, d, hw(r(4)));
          a.cmovccRR(cond, imm1 as OperandSize, d, hw(r(3)));
        }
        return;
      }
      case X64Op.Load:
        masm.loadIndexed(imm0 as LoadKind, r(0), r(1), r(2), imm1 >>> 0);
        return;
      case X64Op.Store:
        masm.storeIndexed(imm0 as StoreKind, r(2), r(0), r(1), imm1 >>> 0);
        return;
      case X64Op.LoadBase:
        masm.load(imm0 as LoadKind, r(0), r(1), imm1);
        return;
      case X64Op.StoreBase:
        masm.store(imm0 as StoreKind, r(1), r(0), imm1);
        return;
      case X64Op.BoundsCheck:
        masm.boundsCheckLength(r(0), imm0 >>> 0, imm1, r(1));
        return;
      case X64Op.CallDirect:
        masm.callDirect(imm0);
        return;
      case X64Op.CallImport:
        masm.callImport(imm0);
        return;
      case X64Op.CallIndirect:
        masm.callIndirect(imm1, imm0, r(code.operandCount[i]! - 1));
        return;
      case X64Op.CallBuiltin:
        masm.callBuiltin(imm0);
        if (imm1 !== 0) masm.trapIfPending(imm1 as TrapReason);
        // Builtins return int64; an i32 must have its upper half clear like every i32 in a register.
        if (imm2 === 1) a.movRR(32, Gpr.rax, Gpr.rax);
        return;
      case X64Op.LoadStackArea:
        masm.loadStackArea(imm0 as StackArea, r(0), imm1, imm2 as OperandSize);
        return;
      case X64Op.StoreStackArea:
        masm.storeStackArea(imm0 as StackArea, r(0), imm1, imm2 as OperandSize);
        return;
      case X64Op.Ret:
        masm.epilogue();
        return;
      case X64Op.Jump:
        if (this.forward[imm0] !== next) masm.jump(this.target(imm0));
        return;
      case X64Op.Brif: {
        const c = hw(r(0));
        a.testRR(32, c, c);
        this.branch(Cond.NE, imm0, imm1, next);
        return;
      }
      case X64Op.CmpBranch:
        a.cmpRR((imm0 >> 8) as OperandSize, hw(r(0)), hw(r(1)));
        this.branch(INT_COND[imm0 & 0xff]!, imm1, imm2, next);
        return;
      case X64Op.CmpBranchImm: {
        const size = (imm0 >> 8) as OperandSize;
        const cond = imm0 & 0xff;
        const lhs = hw(r(0));
        // x == 0 / x != 0: test is shorter than cmp with an immediate.
        if (imm3 === 0 && (cond === IntCond.Eq || cond === IntCond.Ne)) a.testRR(size, lhs, lhs);
        else a.cmpRI(size, lhs, imm3);
        this.branch(INT_COND[cond]!, imm1, imm2, next);
        return;
      }
      case X64Op.BrTable: {
        const targets = this.tableLabels;
        targets.length = 0;
        for (let k = 0; k < imm1 - 1; k++) targets.push(this.target(code.extra[imm0 + k]!));
        masm.jumpTable(r(0), targets, this.target(code.extra[imm0 + imm1 - 1]!));
        return;
      }
      case X64Op.ReturnCallDirect:
        masm.returnCallDirect(imm0);
        return;
      case X64Op.ReturnCallIndirect:
        masm.returnCallIndirect(imm1, imm0, r(code.operandCount[i]! - 1));
        return;
      case X64Op.Trap:
        masm.trap(imm0 as TrapReason);
        return;
      default:
        throw new Error(`x64 emitter: unknown opcode ${code.opcode[i]}`);
    }
  }

  /** Jumps to `then` when `cond` holds, else to `otherwise`, falling through to the next block where possible. */
  private branch(cond: Cond, then: number, otherwise: number, next: number): void {
    const a = this.masm.asm;
    const t = this.forward[then]!;
    const f = this.forward[otherwise]!;
    if (t === next) {
      a.jcc(invertCond(cond), this.labels[f]!);
    } else {
      a.jcc(cond, this.labels[t]!);
      if (f !== next) a.jmp(this.labels[f]!);
    }
  }
}

const scratchMem = new Mem();
function memAt(base: number, disp: number): Mem {
  return scratchMem.setBase(base, disp);
}
