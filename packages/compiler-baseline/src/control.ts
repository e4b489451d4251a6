// Control frames and the merge states at joins: block, loop, if/else, br, br_if, br_table,
// return, unreachable, and the polymorphic stack after unconditional branches.
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#control-instructions
//
// The merge rule (Winch's, simplified): a join's values live in the spill slots of their stack
// positions. Entering a block, loop or if moves every register-held value and deferred local
// into its slot (constants below the block's parameters may stay constants: no path can change
// them), so inside the block every value below its base has one location on every path. A branch
// stores the label's values into the slots `[base, base + arity)` and jumps; after the join the
// value stack says "in slot" for them and every register is free again. A block nobody branches
// to keeps the fall-through state as it is, with no moves at all. The function's own label is
// different: its values go to the result registers, then to the shared epilogue.
//
// After `br`, `br_table`, `return` and `unreachable` the rest of the block is dead: the compiler
// emits nothing and only counts nesting until the `else` or `end` that can be reached again.

import { BackendBailout, BailoutReason, IntCond, RegClass, StackArea, TIER_UP_COST_MAX, TrapReason, valueKindOf, type Label, type Reg } from '@flint/backend';
import { BlockTypeKind, Op, type Immediates } from '@flint/decoder';
import type { BaselineCompiler } from './compiler.ts';
import { Loc, classOfKind, sizeOfKind } from './value-stack.ts';

export const FrameKind = { Function: 0, Block: 1, Loop: 2, If: 3, Else: 4 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** The control stack, as parallel arrays (one row per open frame). */
/** What one tier-up check subtracts for `bytes` of Wasm code: at least 1, at most what every ISA encodes in one immediate. */
export function tierUpCost(bytes: number): number {
  return Math.min(TIER_UP_COST_MAX, Math.max(1, bytes));
}

export class ControlStack {
  depth = 0;
  kind = new Uint8Array(16);
  /** Branch target: the loop header for loops, the end otherwise. */
  label = new Int32Array(16);
  /** `if` only: the start of the else branch (or the end when there is none). */
  elseLabel = new Int32Array(16);
  /** Value-stack height below the frame's parameters. */
  base = new Int32Array(16);
  blockTypeKind = new Uint8Array(16);
  blockTypeValue = new Int32Array(16);
  /** A branch targets the end label, so the end is a real join. */
  branchedTo = new Uint8Array(16);
  /** Loops only: the Wasm offset of the `loop` operator (what a back-edge's tier-up check is weighted by). */
  start = new Int32Array(16);

  reset(): void {
    this.depth = 0;
  }

  push(kind: FrameKind, label: Label, base: number, blockTypeKind: number, blockTypeValue: number): number {
    const i = this.depth;
    if (i === this.kind.length) this.grow();
    this.kind[i] = kind;
    this.label[i] = label;
    this.elseLabel[i] = -1;
    this.base[i] = base;
    this.blockTypeKind[i] = blockTypeKind;
    this.blockTypeValue[i] = blockTypeValue;
    this.branchedTo[i] = 0;
    this.depth = i + 1;
    return i;
  }

  pushFunction(returnLabel: Label, typeIndex: number): void {
    this.push(FrameKind.Function, returnLabel, 0, BlockTypeKind.TypeIndex, typeIndex);
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.kind = u8(this.kind);
    this.label = i32(this.label);
    this.elseLabel = i32(this.elseLabel);
    this.base = i32(this.base);
    this.blockTypeKind = u8(this.blockTypeKind);
    this.blockTypeValue = i32(this.blockTypeValue);
    this.branchedTo = u8(this.branchedTo);
    this.start = i32(this.start);
  }
}

// --- block types -------------------------------------------------------------------------------

function paramCount(c: BaselineCompiler, btKind: number, btValue: number): number {
  return btKind === BlockTypeKind.TypeIndex ? c.funcType(btValue).params.length : 0;
}

function resultCount(c: BaselineCompiler, btKind: number, btValue: number): number {
  if (btKind === BlockTypeKind.Empty) return 0;
  return btKind === BlockTypeKind.Value ? 1 : c.funcType(btValue).results.length;
}

/** Pushes `count` in-slot values of the block type's params (or results) at positions base... */
function pushInSlot(c: BaselineCompiler, frame: number, results: boolean): void {
  const f = c.control;
  const btKind = f.blockTypeKind[frame]!;
  const btValue = f.blockTypeValue[frame]!;
  c.stack.height = f.base[frame]!;
  if (btKind === BlockTypeKind.Empty) return;
  if (btKind === BlockTypeKind.Value) {
    if (results) c.stack.push(Loc.Stack, valueKindOf(btValue), 0, 0, 0);
    return;
  }
  const type = c.funcType(btValue);
  const types = results ? type.results : type.params;
  for (let i = 0; i < types.length; i++) c.stack.push(Loc.Stack, valueKindOf(types[i]!), 0, 0, 0);
}

/** Arity of a branch to `frame`: a loop takes its parameters, every other frame its results. */
function branchArity(c: BaselineCompiler, frame: number): number {
  const f = c.control;
  return f.kind[frame] === FrameKind.Loop
    ? paramCount(c, f.blockTypeKind[frame]!, f.blockTypeValue[frame]!)
    : resultCount(c, f.blockTypeKind[frame]!, f.blockTypeValue[frame]!);
}

// --- merges ------------------------------------------------------------------------------------

/** Temporaries for slot-to-slot moves, taken before any conditional jump so both paths agree. */
function takeTemps(c: BaselineCompiler, arity: number, out: Int32Array): void {
  let needInt = false;
  let needFloat = false;
  const s = c.stack;
  for (let k = s.height - arity; k < s.height; k++) {
    if (s.loc[k] === Loc.Reg) continue;
    if (classOfKind(s.kind[k]!) === RegClass.Float) needFloat = true;
    else needInt = true;
  }
  out[0] = needInt ? c.allocReg(RegClass.Int) : -1;
  out[1] = needFloat ? c.allocReg(RegClass.Float) : -1;
}

function freeTemps(c: BaselineCompiler, temps: Int32Array): void {
  if (temps[0]! >= 0) c.regs.free(temps[0]!);
  if (temps[1]! >= 0) c.regs.free(temps[1]!);
}

/**
 * Stores the top `arity` values into the slots of positions `[base, base + arity)` without
 * changing the value stack. Ascending order is safe: a destination slot at or below its source
 * can only be the source slot of a value already stored.
 */
function storeBranchValues(c: BaselineCompiler, base: number, arity: number, temps: Int32Array): void {
  const s = c.stack;
  const masm = c.masm;
  const first = s.height - arity;
  for (let k = 0; k < arity; k++) {
    const src = first + k;
    const dst = base + k;
    const loc = s.loc[src]!;
    const size = sizeOfKind(s.kind[src]!);
    if (loc === Loc.Reg) {
      masm.spill(c.slotOf(dst), s.payload[src]!, size);
    } else if (!(loc === Loc.Stack && src === dst)) {
      const temp: Reg = classOfKind(s.kind[src]!) === RegClass.Float ? temps[1]! : temps[0]!;
      c.loadInto(src, temp);
      masm.spill(c.slotOf(dst), temp, size);
    }
  }
}

/**
 * Puts the function's results where its caller expects them, without changing the value stack:
 * results beyond the result registers go to the caller's stack result area (after the stack
 * parameters), the others to the result registers. Stack results go first, while every
 * register still holds what the value stack says.
 */
function loadReturnValues(c: BaselineCompiler, temps: Int32Array): void {
  const layout = c.callLayout(c.funcTypeIndex);
  const s = c.stack;
  const n = layout.results.length;
  const first = s.height - n;
  for (let k = 0; k < n; k++) {
    const loc = layout.results[k]!;
    if (loc.kind !== 'stack') continue;
    const i = first + k;
    const size = sizeOfKind(s.kind[i]!);
    let reg = s.payload[i]!;
    if (s.loc[i] !== Loc.Reg) {
      reg = classOfKind(s.kind[i]!) === RegClass.Float ? temps[1]! : temps[0]!;
      c.loadInto(i, reg);
    }
    c.masm.storeStackArea(StackArea.Incoming, reg, layout.stackArgBytes + loc.offset, size);
  }
  for (let k = 0; k < n; k++) {
    const loc = layout.results[k]!;
    if (loc.kind === 'reg') c.loadInto(first + k, loc.reg);
  }
}

/** Emits the moves and the jump of a taken branch to `frame` (state unchanged). */
function emitBranch(c: BaselineCompiler, frame: number, temps: Int32Array): void {
  const f = c.control;
  if (f.kind[frame] === FrameKind.Function) {
    loadReturnValues(c, temps);
  } else {
    storeBranchValues(c, f.base[frame]!, branchArity(c, frame), temps);
    if (f.kind[frame] !== FrameKind.Loop) f.branchedTo[frame] = 1;
    // A back-edge: every value now lives in the loop's slots, so the check's call clobbers nothing live.
    else if (c.tierUpChecks) c.masm.tierUpCheck(c.funcIndex, tierUpCost(c.opOffset - f.start[frame]!));
  }
  c.masm.jump(f.label[frame]!);
}

/** The condition that holds exactly when the key does not. */
const NEGATED: Readonly<Record<IntCond, IntCond>> = {
  [IntCond.Eq]: IntCond.Ne,
  [IntCond.Ne]: IntCond.Eq,
  [IntCond.LtS]: IntCond.GeS,
  [IntCond.LtU]: IntCond.GeU,
  [IntCond.GtS]: IntCond.LeS,
  [IntCond.GtU]: IntCond.LeU,
  [IntCond.LeS]: IntCond.GtS,
  [IntCond.LeU]: IntCond.GtU,
  [IntCond.GeS]: IntCond.LtS,
  [IntCond.GeU]: IntCond.LtU,
};

/**
 * Jumps to `target` when the condition is true (`whenTrue`) or false, and releases its registers.
 * `condition` is an i32 register, or -1 for the fused comparison of the previous operator.
 */
function branchOnCondition(c: BaselineCompiler, condition: Reg, target: Label, whenTrue: boolean): void {
  if (condition >= 0) {
    c.masm.branchOnZero(condition, 32, target, whenTrue);
    c.regs.free(condition);
    return;
  }
  c.fused = false;
  const cond = whenTrue ? c.fusedCond : NEGATED[c.fusedCond];
  c.masm.branchIf(cond, c.fusedSize, c.fusedLhs, c.fusedRhs < 0 ? c.fusedImm : c.fusedRhs, target);
  c.regs.free(c.fusedLhs);
  if (c.fusedRhs >= 0) c.regs.free(c.fusedRhs);
}

/** Handles the control operators; returns false for any other id. */
export function visitControl(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  const masm = c.masm;
  const f = c.control;
  const temps = c.branchTemps;
  switch (id) {
    case Op.Unreachable:
      masm.trap(TrapReason.Unreachable);
      c.reachable = false;
      return true;
    case Op.Nop:
      return true;
    case Op.Block:
    case Op.Loop: {
      const params = paramCount(c, imm.blockTypeKind, imm.blockTypeValue);
      const base = c.stack.height - params;
      c.spillAll(true, base);
      const label = masm.newLabel();
      const frame = f.push(id === Op.Block ? FrameKind.Block : FrameKind.Loop, label, base, imm.blockTypeKind, imm.blockTypeValue);
      if (id === Op.Loop) {
        f.start[frame] = c.opOffset;
        c.regs.reset();
        masm.bind(label);
        masm.pollInterrupt();
      }
      return true;
    }
    case Op.If: {
      const condition = c.fused ? -1 : c.popToAnyReg(RegClass.Int);
      const params = paramCount(c, imm.blockTypeKind, imm.blockTypeValue);
      const base = c.stack.height - params;
      c.spillAll(true, base);
      const frame = f.push(FrameKind.If, masm.newLabel(), base, imm.blockTypeKind, imm.blockTypeValue);
      const elseLabel = masm.newLabel();
      f.elseLabel[frame] = elseLabel;
      branchOnCondition(c, condition, elseLabel, false);
      return true;
    }
    case Op.Else: {
      const frame = f.depth - 1;
      if (c.reachable) {
        // The then-branch's results go where the end expects them.
        const arity = branchArity(c, frame);
        takeTemps(c, arity, temps);
        storeBranchValues(c, f.base[frame]!, arity, temps);
        masm.jump(f.label[frame]!);
        f.branchedTo[frame] = 1;
      }
      masm.bind(f.elseLabel[frame]!);
      f.elseLabel[frame] = -1;
      f.kind[frame] = FrameKind.Else;
      c.regs.reset();
      pushInSlot(c, frame, false);
      c.reachable = true;
      return true;
    }
    case Op.End:
      endFrame(c);
      return true;
    case Op.Br: {
      const frame = f.depth - 1 - imm.index;
      takeTemps(c, branchArity(c, frame), temps);
      emitBranch(c, frame, temps);
      c.reachable = false;
      return true;
    }
    case Op.BrIf: {
      const frame = f.depth - 1 - imm.index;
      const arity = branchArity(c, frame);
      if (arity === 0 && f.kind[frame] !== FrameKind.Function) {
        const condition = c.fused ? -1 : c.popToAnyReg(RegClass.Int);
        if (c.tierUpChecks && f.kind[frame] === FrameKind.Loop) {
          // A back-edge with a tier-up check: the check runs on the taken path only.
          const skip = masm.newLabel();
          branchOnCondition(c, condition, skip, false);
          emitBranch(c, frame, temps);
          masm.bind(skip);
          return true;
        }
        branchOnCondition(c, condition, f.label[frame]!, true);
        if (f.kind[frame] !== FrameKind.Loop) f.branchedTo[frame] = 1;
        return true;
      }
      // Moves on the taken path need registers the fused operands may hold: use a plain i32.
      c.unfuse();
      // Everything the taken path needs is claimed before the branch, so the fall-through state
      // stays exactly what the value stack says.
      const layout = f.kind[frame] === FrameKind.Function ? c.callLayout(c.funcTypeIndex) : null;
      if (layout) for (const loc of layout.results) if (loc.kind === 'reg') c.claimReg(loc.reg);
      const condition = c.popToAnyReg(RegClass.Int);
      takeTemps(c, arity, temps);
      const skip = masm.newLabel();
      masm.branchOnZero(condition, 32, skip);
      emitBranch(c, frame, temps);
      masm.bind(skip);
      freeTemps(c, temps);
      if (layout) for (const loc of layout.results) if (loc.kind === 'reg') c.regs.free(loc.reg);
      c.regs.free(condition);
      return true;
    }
    case Op.BrTable:
      brTable(c, imm);
      return true;
    case Op.Return:
      emitReturn(c);
      return true;
    case Op.Drop:
      c.drop();
      return true;
    case Op.Select:
    case Op.SelectT: {
      const condition = c.popToAnyReg(RegClass.Int);
      const kind = c.kindAt(0);
      const ifFalse = c.popReg();
      const ifTrue = c.popReg();
      masm.select(sizeOfKind(kind), ifTrue, condition, ifTrue, ifFalse);
      c.regs.free(condition);
      c.regs.free(ifFalse);
      c.pushRegKind(ifTrue, kind);
      return true;
    }
    case Op.Try:
    case Op.Catch:
    case Op.Throw:
    case Op.Rethrow:
    case Op.ThrowRef:
    case Op.Delegate:
    case Op.CatchAll:
    case Op.TryTable:
      throw new BackendBailout(BailoutReason.UnsupportedFeature, 'exception handling');
    default:
      return false;
  }
}

/** `return`: the results to the result registers, then the shared epilogue. */
export function emitReturn(c: BaselineCompiler): void {
  takeTemps(c, branchArity(c, 0), c.branchTemps);
  loadReturnValues(c, c.branchTemps);
  c.masm.jump(c.control.label[0]!);
  c.reachable = false;
}

function endFrame(c: BaselineCompiler): void {
  const temps = c.branchTemps;
  const f = c.control;
  const masm = c.masm;
  const frame = f.depth - 1;
  const kind = f.kind[frame]!;
  if (kind === FrameKind.Function) {
    if (c.reachable) {
      takeTemps(c, branchArity(c, frame), temps);
      loadReturnValues(c, temps);
    }
    masm.bind(f.label[frame]!);
    masm.epilogue();
    f.depth = frame;
    c.stack.height = 0;
    c.reachable = true;
    return;
  }
  if (kind === FrameKind.Loop) {
    // Nothing branches to a loop's end: the fall-through state carries on unchanged.
    f.depth = frame;
    return;
  }
  // An `if` without `else` reaches its end from the false path with the parameters in their
  // slots (they are the results: such an `if` has equal parameter and result types).
  const hasFalsePath = kind === FrameKind.If;
  if (!f.branchedTo[frame] && !hasFalsePath) {
    f.depth = frame;
    return; // fall-through only (or dead): no join
  }
  if (c.reachable) {
    const arity = branchArity(c, frame);
    takeTemps(c, arity, temps);
    storeBranchValues(c, f.base[frame]!, arity, temps);
  }
  if (hasFalsePath) masm.bind(f.elseLabel[frame]!);
  masm.bind(f.label[frame]!);
  c.regs.reset();
  pushInSlot(c, frame, true);
  f.depth = frame;
  c.reachable = true;
}

function brTable(c: BaselineCompiler, imm: Immediates): void {
  const f = c.control;
  const masm = c.masm;
  const temps = c.branchTemps;
  const index = c.popToAnyReg(RegClass.Int);
  const arity = branchArity(c, f.depth - 1 - imm.index);
  takeTemps(c, arity, temps);
  if (c.stubLabels.length < f.depth) c.stubLabels = new Int32Array(f.depth * 2);
  const stubs = c.stubLabels;
  const count = imm.brTargetCount;
  const targets = imm.brTargets;
  // Only the depths this table names are touched, so the cost is linear in its size.
  for (let i = 0; i < count; i++) stubs[targets[i]!] = -1;
  stubs[imm.index] = -1;
  const labels = c.tableLabels;
  labels.length = count;
  for (let i = 0; i < count; i++) labels[i] = tableTarget(c, targets[i]!, arity, stubs);
  masm.jumpTable(index, labels, tableTarget(c, imm.index, arity, stubs));
  c.regs.free(index);
  for (let i = 0; i <= count; i++) {
    const depth = i < count ? targets[i]! : imm.index;
    const stub = stubs[depth]!;
    if (stub < 0) continue;
    masm.bind(stub);
    emitBranch(c, f.depth - 1 - depth, temps);
    stubs[depth] = -1;
  }
  c.reachable = false;
}

/** A br_table target: the frame's own label when no moves are needed, else its stub (one per depth). */
function tableTarget(c: BaselineCompiler, depth: number, arity: number, stubs: Int32Array): Label {
  const f = c.control;
  const frame = f.depth - 1 - depth;
  // A back-edge with a tier-up check goes through a stub too, which runs the check.
  if (arity === 0 && f.kind[frame] !== FrameKind.Function && !(c.tierUpChecks && f.kind[frame] === FrameKind.Loop)) {
    if (f.kind[frame] !== FrameKind.Loop) f.branchedTo[frame] = 1;
    return f.label[frame]!;
  }
  if (stubs[depth]! < 0) stubs[depth] = c.masm.newLabel();
  return stubs[depth]!;
}
