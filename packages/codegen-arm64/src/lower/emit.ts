// Encodes an allocated arm64 VCode through the arm64 MacroAssembler: the baseline tier's prologue,
// trap stubs, call sequences, division, conversions and bounds checks, on the registers the
// allocator chose, with the allocator's moves, spills and reloads before the instructions they
// precede. Frame: the MacroAssembler's (x29, saved VM context at [x29 + 16]), spill slot s at
// frame slot (s + 1) * 8, calls' outgoing stack arguments at sp.
//
// Branch ranges: forward branches are short; the code buffer places veneer islands before one
// could run out of range (see the package README), so a long function needs no second encoding.

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
import { Cond, Gpr, invertCond } from '../assembler/index.ts';
import { VMCTX, g } from '../masm/base.ts';
import { INT_COND } from '../masm/integer.ts';
import { Arm64MacroAssembler } from '../masm/macro-assembler.ts';
import { VMCTX_REG } from '../regs.ts';
import { Arm64Op } from './opcodes.ts';

export class Arm64Emitter {
  private readonly masm: Arm64MacroAssembler;
  private labels: Label[] = [];
  private forward = new Int32Array(64);
  /** Per block: 1 when it polls for interrupts on entry (`pollBlocks`). */
  private polls = new Uint8Array(64);
  private readonly imm = new Imm();
  private readonly tableLabels: Label[] = [];

  /** ARMv8.0-A needs no optional feature (ADR 0007): `options` has nothing to say yet. */
  constructor(_options: LoweringOptions) {
    this.masm = new Arm64MacroAssembler({ initialCapacity: 4096 });
  }

  emit(code: VCode, alloc: Allocation): FinishedCode {
    const masm = this.masm;
    masm.reset();
    const labels = this.labels;
    labels.length = 0;
    for (let b = 0; b < code.blockCount; b++) labels.push(masm.newLabel());
    this.forward = threadJumps(code, alloc, Arm64Op.Jump, this.forward);
    this.polls = pollBlocks(code, this.forward, this.polls);
    masm.setWasmOffset(-1);
    // Frame sizes keep sp 16-byte aligned (ADR 0007).
    masm.prologue(Math.ceil((alloc.spillSlots * 8 + code.outgoingBytes) / 16) * 16);
    // Interrupts: polled at entry (recursion passes here) and where loops close; values stay in registers.
    if (code.blockCount > 0 && code.blockEnd[0]! > code.blockFirst[0]!) masm.setWasmOffset(code.wasmOffset[code.blockFirst[0]!]!);
    masm.pollInterrupt(true);
    let e = 0;
    for (let b = 0; b < code.blockCount; b++) {
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
      case Arm64Op.Move:
        masm.move(r(0), r(1), 64);
        return;
      case Arm64Op.MovImm:
        masm.move(r(0), this.imm.set(imm0, imm1), imm2 as OperandSize);
        return;
      case Arm64Op.LoadFloatConst:
        masm.loadFloatConstant(r(0), imm2 as OperandSize, imm0, imm1);
        return;
      case Arm64Op.LoadVmctx:
        masm.loadPtr(r(0), VMCTX_REG, imm0);
        return;
      case Arm64Op.CopyVmctx:
        a.movRR(64, g(r(0)), VMCTX);
        return;
      case Arm64Op.AluRR:
        masm.intBinary(imm0 as IntBinaryKind, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case Arm64Op.AluRI:
        masm.intBinary(imm0 as IntBinaryKind, imm1 as OperandSize, r(0), r(1), this.imm.set(imm2, imm3));
        return;
      case Arm64Op.ShiftRR:
        masm.shiftByReg(imm0 as ShiftKind, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case Arm64Op.ShiftRI:
        masm.shiftImm(imm0 as ShiftKind, imm1 as OperandSize, r(0), r(1), imm2);
        return;
      case Arm64Op.Div:
        masm.divide(imm0 as DivKind, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case Arm64Op.IntUnary:
        masm.intUnary(imm0 as IntUnaryKind, imm1 as OperandSize, r(0), r(1));
        return;
      case Arm64Op.Compare:
        masm.intCompare(imm0 as IntCond, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case Arm64Op.CompareImm:
        masm.intCompare(imm0 as IntCond, imm1 as OperandSize, r(0), r(1), this.imm.set(imm2, imm3));
        return;
      case Arm64Op.FloatBinary:
        masm.floatBinary(imm0 as FloatBinaryKind, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case Arm64Op.FloatUnary:
        masm.floatUnary(imm0 as FloatUnaryKind, imm1 as OperandSize, r(0), r(1));
        return;
      case Arm64Op.FloatCompare:
        masm.floatCompare(imm0 as FloatCond, imm1 as OperandSize, r(0), r(1), r(2));
        return;
      case Arm64Op.Convert:
        masm.convert(imm0 as ConvertKind, r(0), r(1));
        return;
      case Arm64Op.Select:
        masm.select(imm1 as OperandSize, r(0), r(1), r(2), r(3));
        return;
      case Arm64Op.CmpSelect:
        a.cmpRR((imm0 >> 8) as OperandSize, g(r(1)), g(r(2)));
        a.cselRRR(imm1 as OperandSize, g(r(0)), g(r(3)), g(r(4)), INT_COND[imm0 & 0xff]!);
        return;
      case Arm64Op.Load:
        masm.loadIndexed(imm0 as LoadKind, r(0), r(1), r(2), imm1 >>> 0);
        return;
      case Arm64Op.Store:
        masm.storeIndexed(imm0 as StoreKind, r(2), r(0), r(1), imm1 >>> 0);
        return;
      case Arm64Op.LoadBase:
        masm.load(imm0 as LoadKind, r(0), r(1), imm1);
        return;
      case Arm64Op.StoreBase:
        masm.store(imm0 as StoreKind, r(1), r(0), imm1);
        return;
      case Arm64Op.BoundsCheck:
        masm.boundsCheckLength(r(0), imm0 >>> 0, imm1, r(1));
        return;
      case Arm64Op.CallDirect:
        masm.callDirect(imm0);
        return;
      case Arm64Op.CallImport:
        masm.callImport(imm0);
        return;
      case Arm64Op.CallIndirect:
        masm.callIndirect(imm1, imm0, r(code.operandCount[i]! - 1));
        return;
      case Arm64Op.CallBuiltin:
        masm.callBuiltin(imm0);
        if (imm1 !== 0) masm.trapIfPending(imm1 as TrapReason);
        // Builtins return int64; an i32 must have its upper half clear like every i32 in a register.
        if (imm2 === 1) a.movRR(32, Gpr.x0, Gpr.x0);
        return;
      case Arm64Op.LoadStackArea:
        masm.loadStackArea(imm0 as StackArea, r(0), imm1, imm2 as OperandSize);
        return;
      case Arm64Op.StoreStackArea:
        masm.storeStackArea(imm0 as StackArea, r(0), imm1, imm2 as OperandSize);
        return;
      case Arm64Op.Ret:
        masm.epilogue();
        return;
      case Arm64Op.Jump:
        if (this.forward[imm0] !== next) masm.jump(this.target(imm0));
        return;
      case Arm64Op.Brif: {
        const t = this.forward[imm0]!;
        const f = this.forward[imm1]!;
        if (t === next) a.cbz(32, g(r(0)), this.labels[f]!);
        else {
          a.cbnz(32, g(r(0)), this.labels[t]!);
          if (f !== next) a.b(this.labels[f]!);
        }
        return;
      }
      case Arm64Op.CmpBranch:
        a.cmpRR((imm0 >> 8) as OperandSize, g(r(0)), g(r(1)));
        this.branch(INT_COND[imm0 & 0xff]!, imm1, imm2, next);
        return;
      case Arm64Op.CmpBranchImm: {
        const size = (imm0 >> 8) as OperandSize;
        const cond = imm0 & 0xff;
        if (imm3 === 0 && (cond === IntCond.Eq || cond === IntCond.Ne)) {
          // x == 0 / x != 0: cbz / cbnz, no flags.
          const t = this.forward[imm1]!;
          const f = this.forward[imm2]!;
          const zeroTarget = cond === IntCond.Eq ? t : f;
          const otherTarget = cond === IntCond.Eq ? f : t;
          if (otherTarget === next) a.cbz(size, g(r(0)), this.labels[zeroTarget]!);
          else {
            a.cbnz(size, g(r(0)), this.labels[otherTarget]!);
            if (zeroTarget !== next) a.b(this.labels[zeroTarget]!);
          }
          return;
        }
        masm.compare(size, r(0), this.imm.set(imm3, imm3 < 0 ? -1 : 0));
        this.branch(INT_COND[cond]!, imm1, imm2, next);
        return;
      }
      case Arm64Op.BrTable: {
        const targets = this.tableLabels;
        targets.length = 0;
        for (let k = 0; k < imm1 - 1; k++) targets.push(this.target(code.extra[imm0 + k]!));
        masm.jumpTable(r(0), targets, this.target(code.extra[imm0 + imm1 - 1]!));
        return;
      }
      case Arm64Op.ReturnCallDirect:
        masm.returnCallDirect(imm0);
        return;
      case Arm64Op.ReturnCallIndirect:
        masm.returnCallIndirect(imm1, imm0, r(code.operandCount[i]! - 1));
        return;
      case Arm64Op.Trap:
        masm.trap(imm0 as TrapReason);
        return;
      default:
        throw new Error(`arm64 emitter: unknown opcode ${code.opcode[i]}`);
    }
  }

  private branch(cond: Cond, then: number, otherwise: number, next: number): void {
    const a = this.masm.asm;
    const t = this.forward[then]!;
    const f = this.forward[otherwise]!;
    if (t === next) a.bCond(invertCond(cond), this.labels[f]!);
    else {
      a.bCond(cond, this.labels[t]!);
      if (f !== next) a.b(this.labels[f]!);
    }
  }
}
