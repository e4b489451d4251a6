// Wasm → IR: a visitor of the decoder's one operator loop (no second decoder), building SSA as
// it goes (ssa-builder.ts). The Wasm value stack becomes plain IR values; locals become SSA
// variables; block, loop and if become blocks whose parameters carry Wasm block results, loop
// parameters, and (added by the SSA builder) locals that differ between predecessors.
//
//   block  → a join block for the results (sealed at `end`)      br    → jump with the label's values
//   loop   → a header block for the parameters (sealed at `end`)  br_if → brif to the label or on
//   if     → then / else blocks, a join for the results           br_table → brif-free trampolines,
//                                                                    one per distinct label
// After `br`, `br_table`, `return` and `unreachable` the rest of the construct is dead: operators
// are skipped until the `else` or `end` that can be reached again.
//
// Memory accesses become explicit `bounds_check` + `load`/`store` on the memory's base and length,
// so passes can remove checks and keep base and length in registers.
//
// One `BodyTranslator` translates one function body; the inliner runs a nested one for a callee,
// into the same IR function and SSA builder, with its `return`s jumping to a continuation block.

import {
  BackendBailout,
  BailoutReason,
  Builtin,
  IntCond,
  IrOp,
  LOAD_ACCESS_SIZE,
  STORE_ACCESS_SIZE,
  ShiftKind,
  ConvertKind,
  TrapReason,
  ValueKind,
  type ValueKind as ValueKindType,
} from '@flint/backend';
import { BlockTypeKind, OperatorReader, PREFIX_BASE, type FunctionBody, type Immediates, type OperatorInfo, type OperatorVisitor } from '@flint/decoder';
import { NONE, type IrFunction } from '../ir/function.ts';
import { growInt32, growUint8 } from '../ir/pool.ts';
import type { ModuleInfo } from './module-info.ts';
import { valueKindOf } from './module-info.ts';
import { EQZ, NOT_NUMERIC, numericArity, numericKind, numericOp, numericOperand, numericResult } from './numeric-table.ts';
import type { SsaBuilder } from './ssa-builder.ts';

const FrameKind = { Function: 0, Block: 1, Loop: 2, If: 3, Else: 4 } as const;

const FC = PREFIX_BASE[0xfc]!;
const OOB_MEMORY = TrapReason.OutOfBoundsMemoryAccess;
const OOB_TABLE = TrapReason.OutOfBoundsTableAccess;

// Load result kinds by LoadKind (= opcode - 0x28), store kinds by opcode - 0x36.
const LOAD_RESULT: readonly ValueKindType[] = [0, 1, 2, 3, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
const STORE_KIND: readonly number[] = [0, 1, 2, 3, 4, 5, 4, 5, 6];

/** Decides, at a direct call, whether to inline the callee (see inliner.ts). */
export interface InlineOracle {
  /** The callee's body when `funcIndex` should be inlined at this call, else null. */
  inlineBody(funcIndex: number, depth: number): FunctionBody | null;
  /** Notes that a call was inlined (budget accounting). */
  inlined(funcIndex: number, bodyBytes: number): void;
}

export class BodyTranslator implements OperatorVisitor {
  private readonly reader = new OperatorReader();
  fn!: IrFunction;
  ssa!: SsaBuilder;
  info!: ModuleInfo;
  /** The SSA variable of local 0; locals are consecutive variables. */
  private localsBase = 0;
  /** Where `return` goes: NONE emits a Return; otherwise a jump to this continuation block (inlining). */
  private returnTo = NONE;
  private results: readonly ValueKindType[] = [];
  /** Inlining depth of this body (0 for the function being compiled). */
  private depth = 0;
  oracle: InlineOracle | null = null;
  /** memory 0's base and length, reused within one block until an instruction that may grow memory. */
  private readonly fieldValue = new Int32Array(2);
  private readonly fieldBlock = new Int32Array(2);

  // Value stack.
  private stack = new Int32Array(64);
  private height = 0;
  // Control stack, one row per open frame.
  private frameKind = new Uint8Array(16);
  private frameEnd = new Int32Array(16);
  private frameHeader = new Int32Array(16);
  private frameElse = new Int32Array(16);
  private frameBase = new Int32Array(16);
  private frameParams = new Int32Array(16);
  private frameResults = new Int32Array(16);
  private frameBtKind = new Uint8Array(16);
  private frameBtValue = new Int32Array(16);
  /** For `if`: where its parameter values are kept for the else branch, in `saved`. */
  private frameSaved = new Int32Array(16);
  /** The block a construct began in (the SSA builder's shortcut target for its join). */
  private frameEntry = new Int32Array(16);
  private saved = new Int32Array(16);
  private savedTop = 0;
  private frameDepth = 0;

  current = 0;
  private reachable = true;
  private deadDepth = 0;
  private wasmOffset = -1;
  /** br_table: trampoline per distinct label depth. */
  private tableTargets = new Int32Array(16);
  private nested: BodyTranslator | null = null;

  /** Translates the body of the function being compiled into `fn`, whose entry block is 0. */
  translateFunction(fn: IrFunction, ssa: SsaBuilder, info: ModuleInfo, funcIndex: number, body: FunctionBody, oracle: InlineOracle | null): void {
    this.fn = fn;
    this.ssa = ssa;
    this.info = info;
    this.oracle = oracle;
    this.depth = 0;
    this.returnTo = NONE;
    const sig = info.signature(info.typeOfFunction(funcIndex));
    this.results = sig.results;
    const entry = fn.newBlock();
    ssa.addBlock(entry);
    ssa.seal(entry);
    this.localsBase = ssa.varCount;
    for (let k = 0; k < sig.params.length; k++) {
      const v = ssa.declareVar(sig.params[k]!);
      ssa.writeVariable(v, entry, fn.addBlockParam(entry, sig.params[k]!));
    }
    this.declareLocals(body);
    this.run(entry, body, sig.results.length, info.typeOfFunction(funcIndex), `function #${funcIndex}`);
    ssa.finishFunction();
  }

  /**
   * Translates an inlined callee: its parameters are `args` (values of the caller), its body
   * starts in `block`, and its returns jump to `continuation` (whose parameters are the results).
   */
  private translateInlined(parent: BodyTranslator, funcIndex: number, body: FunctionBody, block: number, args: Int32Array, argFrom: number, continuation: number): void {
    this.fn = parent.fn;
    this.ssa = parent.ssa;
    this.info = parent.info;
    this.oracle = parent.oracle;
    this.depth = parent.depth + 1;
    this.returnTo = continuation;
    const typeIndex = this.info.typeOfFunction(funcIndex);
    const sig = this.info.signature(typeIndex);
    this.results = sig.results;
    this.localsBase = this.ssa.varCount;
    for (let k = 0; k < sig.params.length; k++) {
      const v = this.ssa.declareVar(sig.params[k]!);
      this.ssa.writeVariable(v, block, args[argFrom + k]!);
    }
    const firstLocal = this.ssa.varCount;
    this.declareLocals(body);
    // The callee's locals start at zero here; without a definition a read would search the
    // caller's code up to its entry for one.
    for (let v = firstLocal; v < this.ssa.varCount; v++) this.ssa.writeVariable(v, block, this.ssa.zeroOf(this.ssa.varKind(v)));
    this.run(block, body, sig.results.length, typeIndex, `function #${funcIndex} (inlined)`);
  }

  private declareLocals(body: FunctionBody): void {
    for (const decl of body.locals) {
      const kind = valueKindOf(decl.type);
      for (let k = 0; k < decl.count; k++) this.ssa.declareVar(kind);
    }
  }

  private run(entry: number, body: FunctionBody, resultCount: number, typeIndex: number, context: string): void {
    this.height = 0;
    this.frameDepth = 0;
    this.savedTop = 0;
    this.current = entry;
    this.reachable = true;
    this.deadDepth = 0;
    this.forgetMemoryFields();
    this.pushFrame(FrameKind.Function, NONE, 0, 0, resultCount, BlockTypeKind.TypeIndex, typeIndex);
    this.reader.read(body.code, 0, this, true, context);
  }

  // --- the visitor -------------------------------------------------------------------------------

  visit(op: OperatorInfo, imm: Immediates, offset: number): void {
    if (!this.reachable) {
      this.visitUnreachable(op.id, imm);
      return;
    }
    this.wasmOffset = offset;
    const id = op.id;
    if (numericOp[id] !== NOT_NUMERIC) {
      this.numeric(id);
      return;
    }
    if (id <= 0x1f) {
      if (!this.control(id, imm)) this.unsupported(op);
      return;
    }
    if (id <= 0x24) {
      this.variable(id, imm);
      return;
    }
    if (id <= 0x3e && id >= 0x28) {
      this.memoryAccess(id, imm);
      return;
    }
    if (!this.other(id, imm)) this.unsupported(op);
  }

  private unsupported(op: OperatorInfo): never {
    const id = op.id;
    if (id === 0x06 || id === 0x07 || id === 0x08 || id === 0x09 || id === 0x0a || id === 0x18 || id === 0x19 || id === 0x1f) {
      throw new BackendBailout(BailoutReason.UnsupportedFeature, 'exception handling');
    }
    throw new BackendBailout(BailoutReason.UnsupportedOperator, op.name);
  }

  private visitUnreachable(id: number, imm: Immediates): void {
    switch (id) {
      case 0x02:
      case 0x03:
      case 0x04:
      case 0x06:
      case 0x1f:
        this.deadDepth++;
        return;
      case 0x05:
        if (this.deadDepth === 0) this.visitElse();
        return;
      case 0x0b:
      case 0x18:
        if (this.deadDepth > 0) this.deadDepth--;
        else this.visitEnd();
        return;
      default:
        void imm;
    }
  }

  // --- value stack -------------------------------------------------------------------------------

  private push(value: number): void {
    if (this.height === this.stack.length) this.stack = growInt32(this.stack, this.height + 1);
    this.stack[this.height++] = value;
  }

  private pop(): number {
    return this.stack[--this.height]!;
  }

  private top(): number {
    return this.stack[this.height - 1]!;
  }

  // --- building instructions ---------------------------------------------------------------------

  /** An instruction with `argCount` arguments from the top of the stack (popped), appended to the current block. */
  private emit(op: IrOp, kind: number, type: ValueKindType, imm0: number, imm1: number, imm2: number, argCount: number): number {
    this.height -= argCount;
    const inst = this.fn.createInst(op, kind, type, imm0, imm1, imm2, this.stack, this.height, argCount);
    this.fn.offsets[inst] = this.wasmOffset;
    this.fn.append(this.current, inst);
    return inst;
  }

  /** `emit` plus one result of `type`, pushed. */
  private emitValue(op: IrOp, kind: number, type: ValueKindType, imm0: number, imm1: number, imm2: number, argCount: number): number {
    const inst = this.emit(op, kind, type, imm0, imm1, imm2, argCount);
    const value = this.fn.addResult(inst, type);
    this.push(value);
    return value;
  }

  private constant(kind: ValueKindType, lo: number, hi: number): number {
    const float = kind === ValueKind.F32 || kind === ValueKind.F64;
    return this.emitValue(float ? IrOp.Fconst : IrOp.Iconst, 0, kind, lo, hi, 0, 0);
  }

  private newBlock(): number {
    const b = this.fn.newBlock();
    this.ssa.addBlock(b);
    return b;
  }

  /** Terminates the current block with a jump to `block` passing the top `count` values (not popped). */
  private jumpTo(block: number, count: number): void {
    const fn = this.fn;
    const inst = fn.createInst(IrOp.Jump, 0, 0, 0, 0, 0, null, 0, 0);
    const t = fn.addTarget(inst, block);
    for (let k = this.height - count; k < this.height; k++) fn.appendTargetArg(inst, t, this.stack[k]!);
    fn.append(this.current, inst);
    this.ssa.addPredecessor(block, inst, t);
  }

  /** Terminates the current block with `return` of the top results (or a jump to the inliner's continuation). */
  private emitReturn(): void {
    const n = this.results.length;
    if (this.returnTo !== NONE) {
      this.jumpTo(this.returnTo, n);
    } else {
      const inst = this.fn.createInst(IrOp.Return, 0, 0, 0, 0, 0, this.stack, this.height - n, n);
      this.fn.append(this.current, inst);
    }
    this.reachable = false;
  }

  /** Leaves the current block: branch (not popping) to frame `frame`'s label, or return. */
  private branchTo(frame: number): void {
    const kind = this.frameKind[frame]!;
    if (kind === FrameKind.Function) this.emitReturn();
    else if (kind === FrameKind.Loop) this.jumpTo(this.frameHeader[frame]!, this.frameParams[frame]!);
    else this.jumpTo(this.frameEnd[frame]!, this.frameResults[frame]!);
  }

  private trap(reason: TrapReason): void {
    const inst = this.fn.createInst(IrOp.Trap, 0, 0, reason, 0, 0, null, 0, 0);
    this.fn.offsets[inst] = this.wasmOffset;
    this.fn.append(this.current, inst);
    this.reachable = false;
  }

  // --- control -----------------------------------------------------------------------------------

  private pushFrame(kind: number, end: number, base: number, params: number, results: number, btKind: number, btValue: number): number {
    const f = this.frameDepth++;
    if (f === this.frameKind.length) this.growFrames(f + 1);
    this.frameKind[f] = kind;
    this.frameEnd[f] = end;
    this.frameHeader[f] = NONE;
    this.frameElse[f] = NONE;
    this.frameBase[f] = base;
    this.frameParams[f] = params;
    this.frameResults[f] = results;
    this.frameBtKind[f] = btKind;
    this.frameBtValue[f] = btValue;
    this.frameSaved[f] = NONE;
    this.frameEntry[f] = this.current;
    if (kind !== FrameKind.Function) this.ssa.beginConstruct();
    return f;
  }

  private growFrames(min: number): void {
    this.frameKind = growUint8(this.frameKind, min);
    this.frameEnd = growInt32(this.frameEnd, min);
    this.frameHeader = growInt32(this.frameHeader, min);
    this.frameElse = growInt32(this.frameElse, min);
    this.frameBase = growInt32(this.frameBase, min);
    this.frameParams = growInt32(this.frameParams, min);
    this.frameResults = growInt32(this.frameResults, min);
    this.frameBtKind = growUint8(this.frameBtKind, min);
    this.frameBtValue = growInt32(this.frameBtValue, min);
    this.frameSaved = growInt32(this.frameSaved, min);
    this.frameEntry = growInt32(this.frameEntry, min);
  }

  private blockParamKinds(btKind: number, btValue: number): readonly ValueKindType[] {
    return btKind === BlockTypeKind.TypeIndex ? this.info.signature(btValue).params : NO_KINDS;
  }

  private blockResultKinds(btKind: number, btValue: number): readonly ValueKindType[] {
    if (btKind === BlockTypeKind.Empty) return NO_KINDS;
    if (btKind === BlockTypeKind.Value) return [valueKindOf(btValue)];
    return this.info.signature(btValue).results;
  }

  /** A new block whose parameters are `kinds` (Wasm block results or loop parameters). */
  private blockWithParams(kinds: readonly ValueKindType[]): number {
    const b = this.newBlock();
    for (const k of kinds) this.fn.addBlockParam(b, k);
    return b;
  }

  private control(id: number, imm: Immediates): boolean {
    switch (id) {
      case 0x00: // unreachable
        this.trap(TrapReason.Unreachable);
        return true;
      case 0x01: // nop
        return true;
      case 0x02: {
        // block
        const params = this.blockParamKinds(imm.blockTypeKind, imm.blockTypeValue);
        const results = this.blockResultKinds(imm.blockTypeKind, imm.blockTypeValue);
        const end = this.blockWithParams(results);
        this.pushFrame(FrameKind.Block, end, this.height - params.length, params.length, results.length, imm.blockTypeKind, imm.blockTypeValue);
        return true;
      }
      case 0x03: {
        // loop
        const params = this.blockParamKinds(imm.blockTypeKind, imm.blockTypeValue);
        const results = this.blockResultKinds(imm.blockTypeKind, imm.blockTypeValue);
        const header = this.blockWithParams(params);
        const n = params.length;
        const preheader = this.current;
        this.jumpTo(header, n);
        this.height -= n;
        for (let k = 0; k < n; k++) this.push(this.fn.blockParam(header, k));
        this.current = header;
        const f = this.pushFrame(FrameKind.Loop, NONE, this.height - n, n, results.length, imm.blockTypeKind, imm.blockTypeValue);
        this.frameHeader[f] = header;
        this.frameEntry[f] = preheader;
        return true;
      }
      case 0x04: {
        // if
        const condition = this.pop();
        const params = this.blockParamKinds(imm.blockTypeKind, imm.blockTypeValue);
        const results = this.blockResultKinds(imm.blockTypeKind, imm.blockTypeValue);
        const n = params.length;
        const thenBlock = this.newBlock();
        const elseBlock = this.newBlock();
        const end = this.blockWithParams(results);
        this.branchOn(condition, thenBlock, elseBlock);
        this.ssa.seal(thenBlock);
        this.ssa.seal(elseBlock);
        const f = this.pushFrame(FrameKind.If, end, this.height - n, n, results.length, imm.blockTypeKind, imm.blockTypeValue);
        this.frameElse[f] = elseBlock;
        // The else branch starts from the same parameters.
        this.frameSaved[f] = this.savedTop;
        this.saved = growInt32(this.saved, this.savedTop + n);
        for (let k = 0; k < n; k++) this.saved[this.savedTop++] = this.stack[this.height - n + k]!;
        this.current = thenBlock;
        return true;
      }
      case 0x05:
        this.visitElse();
        return true;
      case 0x0b:
        this.visitEnd();
        return true;
      case 0x0c: // br
        this.branchTo(this.frameDepth - 1 - imm.index);
        this.reachable = false;
        return true;
      case 0x0d: {
        // br_if
        const condition = this.pop();
        const frame = this.frameDepth - 1 - imm.index;
        const next = this.newBlock();
        if (this.frameKind[frame] === FrameKind.Function) {
          const exit = this.newBlock();
          this.branchOn(condition, exit, next);
          this.ssa.seal(exit);
          const saved = this.current;
          this.current = exit;
          this.emitReturn();
          this.current = saved;
        } else {
          const target = this.frameKind[frame] === FrameKind.Loop ? this.frameHeader[frame]! : this.frameEnd[frame]!;
          const count = this.frameKind[frame] === FrameKind.Loop ? this.frameParams[frame]! : this.frameResults[frame]!;
          const fn = this.fn;
          const inst = fn.createInst(IrOp.Brif, 0, 0, 0, 0, 0, null, 0, 0);
          fn.appendArg(inst, condition);
          const t = fn.addTarget(inst, target);
          for (let k = this.height - count; k < this.height; k++) fn.appendTargetArg(inst, t, this.stack[k]!);
          fn.addTarget(inst, next);
          fn.append(this.current, inst);
          this.ssa.addPredecessor(target, inst, 0);
          this.ssa.addPredecessor(next, inst, 1);
        }
        this.ssa.seal(next);
        this.current = next;
        this.reachable = true;
        return true;
      }
      case 0x0e:
        this.brTable(imm);
        return true;
      case 0x0f: // return
        this.emitReturn();
        return true;
      case 0x10: // call
        this.call(imm.index, false);
        return true;
      case 0x11: // call_indirect
        this.callIndirect(imm.index, imm.index2, false);
        return true;
      case 0x12: // return_call
        this.call(imm.index, true);
        return true;
      case 0x13: // return_call_indirect
        this.callIndirect(imm.index, imm.index2, true);
        return true;
      case 0x1a: // drop
        this.height--;
        return true;
      case 0x1b: // select
      case 0x1c: {
        // select t
        const kind = this.fn.valueKind(this.stack[this.height - 2]!);
        // IR order: condition, ifTrue, ifFalse; Wasm's stack: ifTrue, ifFalse, condition.
        const condition = this.pop();
        const ifFalse = this.pop();
        const ifTrue = this.pop();
        this.push(condition);
        this.push(ifTrue);
        this.push(ifFalse);
        this.emitValue(IrOp.Select, 0, kind, 0, 0, 0, 3);
        return true;
      }
      default:
        return false;
    }
  }

  /** `brif condition, whenTrue, whenFalse` (both without arguments), recorded as predecessor edges. */
  private branchOn(condition: number, whenTrue: number, whenFalse: number): void {
    const fn = this.fn;
    const inst = fn.createInst(IrOp.Brif, 0, 0, 0, 0, 0, null, 0, 0);
    fn.appendArg(inst, condition);
    fn.addTarget(inst, whenTrue);
    fn.addTarget(inst, whenFalse);
    fn.append(this.current, inst);
    this.ssa.addPredecessor(whenTrue, inst, 0);
    this.ssa.addPredecessor(whenFalse, inst, 1);
  }

  private visitElse(): void {
    const f = this.frameDepth - 1;
    if (this.reachable) this.jumpTo(this.frameEnd[f]!, this.frameResults[f]!);
    this.restoreIfParams(f);
    this.current = this.frameElse[f]!;
    this.frameKind[f] = FrameKind.Else;
    this.reachable = true;
  }

  /** Puts an `if`'s saved parameters back on the stack, at its base. */
  private restoreIfParams(f: number): void {
    this.height = this.frameBase[f]!;
    const n = this.frameParams[f]!;
    const from = this.frameSaved[f]!;
    for (let k = 0; k < n; k++) this.push(this.saved[from + k]!);
  }

  private visitEnd(): void {
    const f = this.frameDepth - 1;
    const kind = this.frameKind[f]!;
    if (kind === FrameKind.Function) {
      if (this.reachable) this.emitReturn();
      this.frameDepth = f;
      return;
    }
    if (kind === FrameKind.Loop) {
      this.ssa.endConstruct(this.frameHeader[f]!, this.frameEntry[f]!);
      this.ssa.seal(this.frameHeader[f]!);
      this.frameDepth = f;
      return;
    }
    const end = this.frameEnd[f]!;
    if (this.reachable) this.jumpTo(end, this.frameResults[f]!);
    if (kind === FrameKind.If) {
      // No else: the false path carries the parameters (which equal the results) to the end.
      this.restoreIfParams(f);
      this.current = this.frameElse[f]!;
      this.jumpTo(end, this.frameParams[f]!);
    }
    if (this.frameSaved[f] !== NONE) this.savedTop = this.frameSaved[f]!;
    this.frameDepth = f;
    this.height = this.frameBase[f]!;
    this.ssa.endConstruct(end, this.frameEntry[f]!);
    if (this.ssa.predecessorCount(end) === 0) {
      // Nothing reaches the end: what follows is dead until the enclosing construct ends.
      this.reachable = false;
      return;
    }
    this.ssa.seal(end);
    this.current = end;
    for (let k = 0; k < this.fn.blockParamCount(end); k++) this.push(this.fn.blockParam(end, k));
    this.reachable = true;
  }

  private brTable(imm: Immediates): void {
    const fn = this.fn;
    const index = this.pop();
    const inst = fn.createInst(IrOp.BrTable, 0, 0, 0, 0, 0, null, 0, 0);
    fn.appendArg(inst, index);
    const n = imm.brTargetCount;
    // One trampoline per distinct label depth; it passes that label's values (br_table targets carry none).
    const depths = this.frameDepth;
    this.tableTargets = growInt32(this.tableTargets, depths);
    this.tableTargets.fill(NONE, 0, depths);
    fn.append(this.current, inst);
    for (let k = 0; k <= n; k++) {
      const depth = k < n ? imm.brTargets[k]! : imm.index;
      let tramp = this.tableTargets[depth]!;
      const fresh = tramp === NONE;
      if (fresh) tramp = this.tableTargets[depth] = this.newBlock();
      const t = fn.addTarget(inst, tramp);
      if (fresh) this.ssa.addPredecessor(tramp, inst, t);
    }
    for (let depth = 0; depth < depths; depth++) {
      const tramp = this.tableTargets[depth]!;
      if (tramp === NONE) continue;
      this.ssa.seal(tramp);
      this.current = tramp;
      this.branchTo(this.frameDepth - 1 - depth);
    }
    this.reachable = false;
  }

  // --- calls -------------------------------------------------------------------------------------

  private call(funcIndex: number, tail: boolean): void {
    const info = this.info;
    const typeIndex = info.typeOfFunction(funcIndex);
    const sig = info.signature(typeIndex);
    const layout = info.layout(typeIndex);
    const imported = info.isImported(funcIndex);
    if (!imported && this.oracle !== null && !(tail && this.returnTo === NONE)) {
      const body = this.oracle.inlineBody(funcIndex, this.depth);
      if (body !== null) {
        this.inline(funcIndex, body, sig.params.length, sig.results);
        if (tail && this.reachable) this.emitReturn();
        return;
      }
    }
    // A tail call only leaves this function for real when it is not inlined into another one and
    // the callee shares this instance; a tail call to an import is a call and a return.
    if (tail && !imported && this.returnTo === NONE) {
      if (layout.stackArgBytes + layout.stackResultBytes > 0) throw new BackendBailout(BailoutReason.UnsupportedFeature, 'tail calls with stack arguments or stack results');
      const inst = this.emit(IrOp.ReturnCall, 0, 0, funcIndex, 0, 0, sig.params.length);
      this.fn.callLayouts[inst] = layout;
      this.reachable = false;
      return;
    }
    const inst = this.emit(IrOp.Call, 0, sig.results[0] ?? 0, funcIndex, imported ? 1 : 0, 0, sig.params.length);
    this.fn.callLayouts[inst] = layout;
    for (const kind of sig.results) this.push(this.fn.addResult(inst, kind));
    this.forgetMemoryFields();
    if (tail) this.emitReturn();
  }

  private callIndirect(typeIndex: number, table: number, tail: boolean): void {
    const info = this.info;
    // Canonical type ids compare for equality, which is the whole check only when no other type
    // can be a subtype of this one (GC's non-final types can have subtypes).
    if (!info.module.types[typeIndex]!.final) throw new BackendBailout(BailoutReason.UnsupportedFeature, 'gc: call_indirect to a non-final type (subtype check)');
    const sig = info.signature(typeIndex);
    const layout = info.layout(typeIndex);
    if (tail && this.returnTo === NONE) {
      if (layout.stackArgBytes + layout.stackResultBytes > 0) throw new BackendBailout(BailoutReason.UnsupportedFeature, 'tail calls with stack arguments or stack results');
      const inst = this.emit(IrOp.ReturnCallIndirect, 0, 0, typeIndex, table, 0, sig.params.length + 1);
      this.fn.callLayouts[inst] = layout;
      this.reachable = false;
      return;
    }
    const inst = this.emit(IrOp.CallIndirect, 0, sig.results[0] ?? 0, typeIndex, table, 0, sig.params.length + 1);
    this.fn.callLayouts[inst] = layout;
    for (const kind of sig.results) this.push(this.fn.addResult(inst, kind));
    this.forgetMemoryFields();
    if (tail) this.emitReturn();
  }

  /**
   * Inlines a direct call: the callee's body is translated by a nested translator into a new
   * block, and its returns jump to a continuation block whose parameters are the results.
   */
  private inline(funcIndex: number, body: FunctionBody, paramCount: number, results: readonly ValueKindType[]): void {
    const start = this.newBlock();
    const continuation = this.blockWithParams(results);
    this.height -= paramCount;
    const args = this.stack;
    const argFrom = this.height;
    const entry = this.current;
    this.ssa.beginConstruct();
    this.jumpTo(start, 0);
    this.ssa.seal(start);
    const nested = (this.nested ??= new BodyTranslator());
    // The nested translator may run while this one's stack is live: it has its own arrays.
    nested.translateInlined(this, funcIndex, body, start, args, argFrom, continuation);
    this.oracle!.inlined(funcIndex, body.code.bytes.length);
    this.ssa.endConstruct(continuation, entry);
    this.forgetMemoryFields();
    if (this.ssa.predecessorCount(continuation) === 0) {
      // The callee never returns (it always traps or loops): the rest of this construct is dead.
      this.reachable = false;
      return;
    }
    this.ssa.seal(continuation);
    this.current = continuation;
    for (let k = 0; k < results.length; k++) this.push(this.fn.blockParam(continuation, k));
  }

  private forgetMemoryFields(): void {
    this.fieldValue.fill(NONE);
    this.fieldBlock.fill(NONE);
  }

  /** A runtime builtin with constant first argument `a` and the top `argCount` values; pushes its result unless `result` is null. */
  private builtin(id: number, aLo: number, aHi: number, argCount: number, result: ValueKindType | null, trap: number): void {
    const inst = this.emit(IrOp.CallBuiltin, id, result ?? 0, aLo, aHi, trap, argCount);
    if (result !== null) this.push(this.fn.addResult(inst, result));
    this.forgetMemoryFields();
  }

  // --- variables ---------------------------------------------------------------------------------

  private variable(id: number, imm: Immediates): void {
    switch (id) {
      case 0x20: // local.get
        this.push(this.ssa.readVariable(this.localsBase + imm.index, this.current));
        return;
      case 0x21: // local.set
        this.ssa.writeVariable(this.localsBase + imm.index, this.current, this.pop());
        return;
      case 0x22: // local.tee
        this.ssa.writeVariable(this.localsBase + imm.index, this.current, this.top());
        return;
      case 0x23: {
        // global.get
        const global = this.info.module.globals[imm.index]!;
        const kind = valueKindOf(global.type);
        this.emitValue(IrOp.GlobalGet, 0, kind, imm.index, imm.index < this.info.module.numImportedGlobals ? 1 : 0, global.mutable ? 1 : 0, 0);
        return;
      }
      case 0x24: {
        // global.set
        const global = this.info.module.globals[imm.index]!;
        this.emit(IrOp.GlobalSet, 0, valueKindOf(global.type), imm.index, imm.index < this.info.module.numImportedGlobals ? 1 : 0, 1, 1);
        return;
      }
    }
  }

  // --- memory ------------------------------------------------------------------------------------

  private checkMemory(memory: number): void {
    const type = this.info.module.memories[memory];
    if (type === undefined) throw new BackendBailout(BailoutReason.UnsupportedFeature, `memory ${memory} is not declared`);
    if (type.address === 'i64') throw new BackendBailout(BailoutReason.UnsupportedFeature, 'memory64');
    if (type.pageSizeLog2 !== 16) throw new BackendBailout(BailoutReason.UnsupportedFeature, 'custom page sizes');
  }

  /**
   * The memory's base or length: read once per block and reused until a call or builtin, since
   * growth (memory.grow, or a callee growing it) may change both — the runtime may move a memory
   * when it grows. Later blocks see more of them reused through load elimination and LICM.
   */
  private memoryField(op: IrOp, memory: number): number {
    const cacheable = memory === 0;
    const slot = op === IrOp.MemoryBase ? 0 : 1;
    if (cacheable && this.fieldBlock[slot] === this.current && this.fieldValue[slot] !== NONE) return this.fieldValue[slot]!;
    const inst = this.fn.createInst(op, 0, ValueKind.I64, 0, memory, 0, null, 0, 0);
    this.fn.offsets[inst] = this.wasmOffset;
    this.fn.append(this.current, inst);
    const value = this.fn.addResult(inst, ValueKind.I64);
    if (cacheable) {
      this.fieldValue[slot] = value;
      this.fieldBlock[slot] = this.current;
    }
    return value;
  }

  private memoryBase(memory: number): number {
    return this.memoryField(IrOp.MemoryBase, memory);
  }

  private memoryLength(memory: number): number {
    return this.memoryField(IrOp.MemoryLength, memory);
  }

  private memoryAccess(id: number, imm: Immediates): void {
    const memory = imm.memIndex;
    this.checkMemory(memory);
    const offset = imm.memOffset;
    const isLoad = id <= 0x35;
    const kind = isLoad ? id - 0x28 : STORE_KIND[id - 0x36]!;
    const size = isLoad ? LOAD_ACCESS_SIZE[kind]! : STORE_ACCESS_SIZE[kind]!;
    const index = this.stack[this.height - (isLoad ? 1 : 2)]!;
    const base = this.memoryBase(memory);
    const length = this.memoryLength(memory);
    const fn = this.fn;
    const check = fn.createInst(IrOp.BoundsCheck, size, 0, offset | 0, memory, 0, null, 0, 0);
    fn.appendArg(check, index);
    fn.appendArg(check, length);
    fn.offsets[check] = this.wasmOffset;
    fn.append(this.current, check);
    if (isLoad) {
      this.height--;
      this.push(base);
      this.push(index);
      this.emitValue(IrOp.Load, kind, LOAD_RESULT[kind]!, offset | 0, memory, 0, 2);
    } else {
      const value = this.pop();
      this.height--;
      this.push(base);
      this.push(index);
      this.push(value);
      this.emit(IrOp.Store, kind, fn.valueKind(value), offset | 0, memory, 0, 3);
    }
  }

  // --- numeric -----------------------------------------------------------------------------------

  private numeric(id: number): void {
    const op = numericOp[id]!;
    const type = numericResult[id]! as ValueKindType;
    if (op === EQZ) {
      const operand = numericOperand[id]! as ValueKindType;
      this.constant(operand, 0, 0);
      this.emitValue(IrOp.IntCompare, IntCond.Eq, ValueKind.I32, 0, 0, 0, 2);
      return;
    }
    this.emitValue(op as IrOp, numericKind[id]!, type, 0, 0, 0, numericArity[id]!);
  }

  /** i64 for a table64's indices and sizes, else i32. */
  private tableIndexKind(table: number): ValueKindType {
    return this.info.module.tables[table]!.limits.address === 'i64' ? ValueKind.I64 : ValueKind.I32;
  }

  // --- everything else ---------------------------------------------------------------------------

  private other(id: number, imm: Immediates): boolean {
    switch (id) {
      case 0x41: // i32.const
        this.constant(ValueKind.I32, imm.i32, imm.i32 < 0 ? -1 : 0);
        return true;
      case 0x42: // i64.const
        this.constant(ValueKind.I64, imm.i64Lo, imm.i64Hi);
        return true;
      case 0x43: // f32.const
        this.constant(ValueKind.F32, imm.f32Bits, 0);
        return true;
      case 0x44: // f64.const
        this.constant(ValueKind.F64, imm.f64Lo, imm.f64Hi);
        return true;
      case 0x3f: {
        // memory.size: length >> 16, which fits an i32.
        this.checkMemory(imm.index);
        this.push(this.memoryLength(imm.index));
        this.constant(ValueKind.I64, 16, 0);
        this.emitValue(IrOp.Shift, ShiftKind.ShrU, ValueKind.I64, 0, 0, 0, 2);
        this.emitValue(IrOp.Convert, ConvertKind.I32WrapI64, ValueKind.I32, 0, 0, 0, 1);
        return true;
      }
      case 0x40: // memory.grow
        this.checkMemory(imm.index);
        this.builtin(Builtin.MemoryGrow, imm.index, 0, 1, ValueKind.I32, 0);
        return true;
      case 0x25: // table.get
        this.builtin(Builtin.TableGet, imm.index, 0, 1, ValueKind.Ref, OOB_TABLE);
        return true;
      case 0x26: // table.set
        this.builtin(Builtin.TableSet, imm.index, 0, 2, null, OOB_TABLE);
        return true;
      case 0xd0: // ref.null
        this.constant(ValueKind.Ref, 0, 0);
        return true;
      case 0xd1: // ref.is_null
        this.constant(ValueKind.Ref, 0, 0);
        this.emitValue(IrOp.IntCompare, IntCond.Eq, ValueKind.I32, 0, 0, 0, 2);
        return true;
      case 0xd2: // ref.func
        this.builtin(Builtin.RefFunc, imm.index, 0, 0, ValueKind.Ref, 0);
        return true;
      case FC + 0x08: // memory.init data memory: a = memory << 32 | data
        this.checkMemory(imm.index2);
        this.builtin(Builtin.MemoryInit, imm.index, imm.index2, 3, null, OOB_MEMORY);
        return true;
      case FC + 0x09: // data.drop
        this.builtin(Builtin.DataDrop, imm.index, 0, 0, null, 0);
        return true;
      case FC + 0x0a: // memory.copy dst src: a = dst << 32 | src
        this.checkMemory(imm.index);
        this.checkMemory(imm.index2);
        this.builtin(Builtin.MemoryCopy, imm.index2, imm.index, 3, null, OOB_MEMORY);
        return true;
      case FC + 0x0b: // memory.fill
        this.checkMemory(imm.index);
        this.builtin(Builtin.MemoryFill, imm.index, 0, 3, null, OOB_MEMORY);
        return true;
      case FC + 0x0c: // table.init elem table
        this.builtin(Builtin.TableInit, imm.index, imm.index2, 3, null, OOB_TABLE);
        return true;
      case FC + 0x0d: // elem.drop
        this.builtin(Builtin.ElemDrop, imm.index, 0, 0, null, 0);
        return true;
      case FC + 0x0e: // table.copy dst src
        this.builtin(Builtin.TableCopy, imm.index2, imm.index, 3, null, OOB_TABLE);
        return true;
      case FC + 0x0f: // table.grow
        this.builtin(Builtin.TableGrow, imm.index, 0, 2, this.tableIndexKind(imm.index), 0);
        return true;
      case FC + 0x10: // table.size
        this.builtin(Builtin.TableSize, imm.index, 0, 0, this.tableIndexKind(imm.index), 0);
        return true;
      case FC + 0x11: // table.fill
        this.builtin(Builtin.TableFill, imm.index, 0, 3, null, OOB_TABLE);
        return true;
      default:
        return false;
    }
  }
}

const NO_KINDS: readonly ValueKindType[] = [];
