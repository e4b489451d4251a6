// What every ISA's instruction selection does the same way, written once: IR values as vregs,
// constants rematerialized per block (never at their definition, so immediates can fold into
// their users), and the calling convention's moves — the function's parameters, a call's
// arguments and results, the returned values, a jump's block arguments. An ISA names its own
// opcodes for the few instructions these need (`LoweringKitOpcodes`) and does the rest itself.

import { ValueKind, valueKindClass, type CallLayout } from './abi.ts';
import { StackArea } from './masm.ts';
import { RegClass } from './regs.ts';
import { IrOp, type LoweringFunction } from './lowering.ts';
import { FIRST_VIRTUAL_REG, InstFlag, type Allocation, type VCode } from './vcode.ts';

/** The ISA's opcodes for the instructions the kit emits. */
export interface LoweringKitOpcodes {
  /** [def dst, use src]: a register copy (flagged `InstFlag.Move`). */
  readonly move: number;
  /** [def dst]: imm0/imm1 = integer value low/high, imm2 = size in bits. */
  readonly movImm: number;
  /** [def dst]: imm0/imm1 = float bits low/high, imm2 = size in bits. */
  readonly loadFloatConst: number;
  /** [def dst]: imm0 = StackArea, imm1 = offset, imm2 = size in bits. */
  readonly loadStackArea: number;
  /** [use src]: imm0 = StackArea, imm1 = offset, imm2 = size in bits. */
  readonly storeStackArea: number;
}

const NONE = -1;

/** Size in bits of a value of `kind` in a register (references are 64-bit). */
export const bitsOf = (kind: number): 32 | 64 => (kind === ValueKind.I32 || kind === ValueKind.F32 ? 32 : 64);

export class LoweringKit {
  fn!: LoweringFunction;
  code!: VCode;
  /** The block being lowered. */
  block = 0;
  private readonly ops: LoweringKitOpcodes;
  /** Constants materialized in the current block: IR value → vreg (valid while `constBlock[v]` is the block). */
  private constReg = new Int32Array(64);
  private constBlock = new Int32Array(64);

  constructor(ops: LoweringKitOpcodes) {
    this.ops = ops;
  }

  /** Starts a function: every IR value v gets vreg FIRST_VIRTUAL_REG + v, of its kind's class. */
  begin(fn: LoweringFunction, code: VCode): void {
    this.fn = fn;
    this.code = code;
    code.reserveVRegs(fn.valueCount);
    for (let v = 0; v < fn.valueCount; v++) code.setVRegClass(FIRST_VIRTUAL_REG + v, valueKindClass(fn.valueKind(v)));
    if (this.constReg.length < fn.valueCount) {
      this.constReg = new Int32Array(Math.max(fn.valueCount, this.constReg.length * 2));
      this.constBlock = new Int32Array(this.constReg.length);
    }
    this.constBlock.fill(NONE, 0, fn.valueCount);
  }

  beginBlock(block: number): void {
    this.block = block;
    this.code.beginBlock(block);
  }

  vreg(value: number): number {
    return FIRST_VIRTUAL_REG + value;
  }

  /** True when `value` is defined by `iconst` or `fconst`. */
  isConst(value: number): boolean {
    const def = this.fn.definingInst(value);
    if (def === NONE) return false;
    const op = this.fn.op(def);
    return op === IrOp.Iconst || op === IrOp.Fconst;
  }

  isIntConst(value: number): boolean {
    const def = this.fn.definingInst(value);
    return def !== NONE && this.fn.op(def) === IrOp.Iconst;
  }

  constLo(value: number): number {
    return this.fn.imm0(this.fn.definingInst(value));
  }

  constHi(value: number): number {
    return this.fn.imm1(this.fn.definingInst(value));
  }

  /** The register holding `value` here: its own vreg, or, for a constant, one loaded in this block. */
  reg(value: number): number {
    if (!this.isConst(value)) return this.vreg(value);
    if (this.constBlock[value] === this.block) return this.constReg[value]!;
    const fn = this.fn;
    const def = fn.definingInst(value);
    const kind = fn.valueKind(value);
    const r = this.code.newVReg(valueKindClass(kind));
    this.code.addInst(fn.op(def) === IrOp.Fconst ? this.ops.loadFloatConst : this.ops.movImm, fn.imm0(def), fn.imm1(def), bitsOf(kind));
    this.code.def(r);
    this.constReg[value] = r;
    this.constBlock[value] = this.block;
    return r;
  }

  move(dst: number, src: number): void {
    const code = this.code;
    const i = code.addInst(this.ops.move);
    code.setFlags(i, InstFlag.Move);
    code.def(dst);
    code.use(src);
  }

  /** The entry block's parameters, from the convention's registers and the incoming stack area. */
  params(): void {
    const fn = this.fn;
    const layout = fn.layout;
    for (let k = 0; k < fn.blockParamCount(0); k++) {
      const v = fn.blockParam(0, k);
      if (fn.useCount(v) === 0) continue;
      const loc = layout.params[k]!;
      if (loc.kind === 'reg') this.move(this.vreg(v), loc.reg);
      else {
        this.code.addInst(this.ops.loadStackArea, StackArea.Incoming, loc.offset, bitsOf(fn.valueKind(v)));
        this.code.def(this.vreg(v));
      }
    }
  }

  /**
   * A call's first `argc` arguments of instruction `inst` to where `layout` puts them: stack
   * arguments first (they read vregs), then the moves into argument registers, which the call
   * instruction then uses. Records the outgoing area the call needs.
   */
  callArguments(inst: number, layout: CallLayout, argc: number): void {
    const fn = this.fn;
    const code = this.code;
    code.outgoingBytes = Math.max(code.outgoingBytes, layout.stackArgBytes + layout.stackResultBytes);
    for (let k = 0; k < argc; k++) {
      const loc = layout.params[k]!;
      if (loc.kind !== 'stack') continue;
      const v = fn.arg(inst, k);
      const r = this.reg(v);
      code.addInst(this.ops.storeStackArea, StackArea.Outgoing, loc.offset, bitsOf(fn.valueKind(v)));
      code.use(r);
    }
    for (let k = 0; k < argc; k++) {
      const loc = layout.params[k]!;
      if (loc.kind === 'reg') this.move(loc.reg, this.reg(fn.arg(inst, k)));
    }
  }

  /** Uses of the argument registers and defs of the result registers, for the call instruction just added. */
  callOperands(layout: CallLayout, withResults: boolean): { intDefs: number; floatDefs: number } {
    const code = this.code;
    let intDefs = 0;
    let floatDefs = 0;
    if (withResults) {
      for (const loc of layout.results) {
        if (loc.kind !== 'reg') continue;
        code.def(loc.reg);
        if (loc.reg >>> 5 === RegClass.Int) intDefs |= 1 << (loc.reg & 31);
        else floatDefs |= 1 << (loc.reg & 31);
      }
    }
    for (const loc of layout.params) if (loc.kind === 'reg') code.use(loc.reg);
    return { intDefs, floatDefs };
  }

  /** A call's results into their vregs: from the result registers and the outgoing stack area. */
  callResults(inst: number, layout: CallLayout): void {
    const fn = this.fn;
    for (let k = 0; k < layout.results.length; k++) {
      const loc = layout.results[k]!;
      const v = fn.result(inst, k);
      if (loc.kind === 'reg') this.move(this.vreg(v), loc.reg);
      else {
        this.code.addInst(this.ops.loadStackArea, StackArea.Outgoing, layout.stackArgBytes + loc.offset, bitsOf(fn.valueKind(v)));
        this.code.def(this.vreg(v));
      }
    }
  }

  /**
   * The values `return` instruction `inst` returns, to the caller's stack result area and the
   * result registers; the return instruction then uses the registers (`returnOperands`).
   */
  returnValues(inst: number): void {
    const fn = this.fn;
    const code = this.code;
    const layout = fn.layout;
    for (let k = 0; k < layout.results.length; k++) {
      const loc = layout.results[k]!;
      if (loc.kind !== 'stack') continue;
      const v = fn.arg(inst, k);
      const r = this.reg(v);
      code.addInst(this.ops.storeStackArea, StackArea.Incoming, layout.stackArgBytes + loc.offset, bitsOf(fn.valueKind(v)));
      code.use(r);
    }
    for (let k = 0; k < layout.results.length; k++) {
      const loc = layout.results[k]!;
      if (loc.kind === 'reg') this.move(loc.reg, this.reg(fn.arg(inst, k)));
    }
  }

  returnOperands(): void {
    for (const loc of this.fn.layout.results) if (loc.kind === 'reg') this.code.use(loc.reg);
  }

  /** The block arguments of jump `inst`, as the current block's branch arguments. */
  jumpArguments(inst: number): void {
    const fn = this.fn;
    for (let k = 0; k < fn.targetArgCount(inst, 0); k++) this.code.addBranchArg(this.block, this.reg(fn.targetArg(inst, 0, k)));
  }
}

/**
 * Jump threading for an emitter: `forward[b]` becomes the block a branch to `b` really reaches —
 * `b` itself, or, when `b` holds nothing but a jump (opcode `jumpOpcode`, imm0 = target) and the
 * allocator put no moves before it, that jump's final target. A cycle of such blocks (an empty
 * infinite loop) keeps its blocks. Returns `forward`, grown when needed.
 */
export function threadJumps(code: VCode, alloc: Allocation, jumpOpcode: number, forward: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const n = code.blockCount;
  const out = forward.length >= n ? forward : new Int32Array(Math.max(n, forward.length * 2));
  let e = 0;
  for (let b = 0; b < n; b++) {
    const first = code.blockFirst[b]!;
    while (e < alloc.editCount && alloc.editInst[e]! < first) e++;
    const onlyJump = code.blockEnd[b]! - first === 1 && code.opcode[first] === jumpOpcode && !(e < alloc.editCount && alloc.editInst[e] === first);
    out[b] = onlyJump ? code.imm0[first]! : b;
  }
  for (let b = 0; b < n; b++) {
    let target = b;
    for (let steps = 0; steps < n && out[target] !== target; steps++) target = out[target]!;
    out[b] = out[target] === target ? target : b;
  }
  return out;
}

/**
 * The blocks an emitter polls for interrupts at (`MacroAssembler.pollInterrupt(true)` where the
 * block starts): every target of a backward machine edge, after jump threading (`forward`). A
 * cycle in the emitted code must take some edge to a block at or before its source in layout
 * order, so every cycle passes a poll, whether or not the CFG is reducible. `out[b]` is 1 for
 * such a block; returns `out`, grown when needed.
 */
export function pollBlocks(code: VCode, forward: Int32Array, out: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const n = code.blockCount;
  const marks = out.length >= n ? out : new Uint8Array(Math.max(n, out.length * 2));
  marks.fill(0, 0, n);
  for (let b = 0; b < n; b++) {
    if (forward[b] !== b && b !== 0) continue; // never emitted: its jump is threaded away
    for (let k = 0; k < code.succCount[b]!; k++) {
      const target = forward[code.succ(b, k)]!;
      if (target <= b) marks[target] = 1;
    }
  }
  return marks;
}
