// VCode: one function's ISA instructions on virtual registers, between instruction selection and
// encoding (Cranelift's VCode, wazevo's backend instructions). The ISA fills it (`IsaLowering.lower`),
// the optimizing tier's register allocator reads it and answers with an `Allocation`, and the
// ISA encodes both (`IsaLowering.emit`).
//
// What the allocator sees of an instruction is its operands: register numbers with a kind
// (use, def, early def). Numbers below `FIRST_VIRTUAL_REG` are physical registers (the `Reg`
// values of regs.ts: `class << 5 | encoding`), which is how fixed-register constraints are
// written (wazevo's "real registers are vregs"): `mov rdi ← v7; call` uses rdi, `v9 ← mov rax`
// after it. An instruction's ISA opcode and immediates mean nothing to the allocator.
//
// Positions: instruction i reads its uses at 2i and writes its defs at 2i + 1, so a value whose
// last use is instruction i may share a register with i's result. An early def is written at 2i,
// so it never shares a register with any use of i (for sequences that write their output before
// reading every input), and an early def nobody reads is a scratch register of the instruction.
// Clobbered registers are destroyed at 2i + 1.
//
// Everything lives in growable typed arrays: `reset` keeps them for the next function.

import { RegClass } from './regs.ts';

/** Register numbers from here on are virtual; below are physical registers. */
export const FIRST_VIRTUAL_REG = 64;

export const OperandKind = {
  /** Read at the instruction's use point. */
  Use: 0,
  /** Written at the instruction's def point, after every use was read. */
  Def: 1,
  /** Written at the use point: never shares a register with a use of the same instruction. */
  EarlyDef: 2,
} as const;
export type OperandKind = (typeof OperandKind)[keyof typeof OperandKind];

export const InstFlag = {
  /** A register-to-register copy: operands are [def dst, use src]. The allocator may coalesce it. */
  Move: 1,
  /** Ends its block (the jump, branch, return or trap). */
  Terminator: 2,
  /**
   * Two-address shape: the first def would like the register of the first use (x64 `add dst, src`
   * needs `mov dst, lhs` otherwise). A hint to the allocator, never a constraint.
   */
  TiedHint: 4,
} as const;

/** What the allocator inserts between instructions. Slots are 8-byte frame slots numbered from 0. */
export const EditKind = {
  /** register → register */
  Move: 0,
  /** register → slot */
  Spill: 1,
  /** slot → register */
  Reload: 2,
} as const;
export type EditKind = (typeof EditKind)[keyof typeof EditKind];

/** Bytes per spill slot: every value fits in 8 bytes (v128 is not compiled by this tier). */
export const SPILL_SLOT_SIZE = 8;

function grownInt32(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function grownUint8(a: Uint8Array<ArrayBuffer>, min: number): Uint8Array<ArrayBuffer> {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}

export class VCode {
  // --- blocks (described by the tier before lowering) ------------------------------------------
  blockCount = 0;
  /** First instruction of each block, and one past its last. */
  blockFirst = new Int32Array(16);
  blockEnd = new Int32Array(16);
  blockLoopDepth = new Int32Array(16);
  /** Successors and predecessors: `count` entries from `start` in `edges`. */
  succStart = new Int32Array(16);
  succCount = new Int32Array(16);
  predStart = new Int32Array(16);
  predCount = new Int32Array(16);
  edges = new Int32Array(64);
  private edgesUsed = 0;
  /** Parameters of each block (vregs), and the vregs its final jump passes to its successor's. */
  paramStart = new Int32Array(16);
  paramCount = new Int32Array(16);
  argStart = new Int32Array(16);
  argCount = new Int32Array(16);
  regLists = new Int32Array(64);
  private regListsUsed = 0;

  // --- registers ---------------------------------------------------------------------------------
  /** Registers in use: physical ones (0..63) plus every vreg created. */
  vregCount = FIRST_VIRTUAL_REG;
  vregClass = new Uint8Array(256);

  // --- instructions ------------------------------------------------------------------------------
  instCount = 0;
  opcode = new Int32Array(64);
  flags = new Uint8Array(64);
  imm0 = new Int32Array(64);
  imm1 = new Int32Array(64);
  imm2 = new Int32Array(64);
  imm3 = new Int32Array(64);
  wasmOffset = new Int32Array(64);
  operandStart = new Int32Array(64);
  operandCount = new Int32Array(64);
  clobberInt = new Int32Array(64);
  clobberFloat = new Int32Array(64);
  operandTotal = 0;
  operandReg = new Int32Array(128);
  operandKind = new Uint8Array(128);

  /** Extra per-instruction data an ISA needs beyond four immediates (br_table targets): see `addExtra`. */
  extra = new Int32Array(64);
  extraCount = 0;

  /** Bytes of the outgoing stack-argument area the calls of this function need (at the stack pointer). */
  outgoingBytes = 0;

  /** Forgets the previous function; `blockCount` blocks with no instructions yet. */
  reset(blockCount: number): void {
    if (this.blockFirst.length < blockCount) {
      const n = Math.max(blockCount, this.blockFirst.length * 2);
      this.blockFirst = new Int32Array(n);
      this.blockEnd = new Int32Array(n);
      this.blockLoopDepth = new Int32Array(n);
      this.succStart = new Int32Array(n);
      this.succCount = new Int32Array(n);
      this.predStart = new Int32Array(n);
      this.predCount = new Int32Array(n);
      this.paramStart = new Int32Array(n);
      this.paramCount = new Int32Array(n);
      this.argStart = new Int32Array(n);
      this.argCount = new Int32Array(n);
    }
    this.blockCount = blockCount;
    this.blockFirst.fill(0, 0, blockCount);
    this.blockEnd.fill(0, 0, blockCount);
    this.paramCount.fill(0, 0, blockCount);
    this.argCount.fill(0, 0, blockCount);
    this.edgesUsed = 0;
    this.regListsUsed = 0;
    this.vregCount = FIRST_VIRTUAL_REG;
    for (let r = 0; r < FIRST_VIRTUAL_REG; r++) this.vregClass[r] = r >>> 5;
    this.instCount = 0;
    this.operandTotal = 0;
    this.extraCount = 0;
    this.outgoingBytes = 0;
  }

  /** Appends `value` to the extra data and returns its index. */
  addExtra(value: number): number {
    const k = this.extraCount++;
    if (k === this.extra.length) this.extra = grownInt32(this.extra, k + 1);
    this.extra[k] = value;
    return k;
  }

  // --- describing blocks -----------------------------------------------------------------------

  /** Sets the successors, predecessors and loop depth of `block` (the tier does this for every block). */
  setBlockEdges(block: number, succs: ArrayLike<number>, succN: number, preds: ArrayLike<number>, predN: number, loopDepth: number): void {
    if (this.edgesUsed + succN + predN > this.edges.length) this.edges = grownInt32(this.edges, this.edgesUsed + succN + predN);
    this.succStart[block] = this.edgesUsed;
    this.succCount[block] = succN;
    for (let k = 0; k < succN; k++) this.edges[this.edgesUsed++] = succs[k]!;
    this.predStart[block] = this.edgesUsed;
    this.predCount[block] = predN;
    for (let k = 0; k < predN; k++) this.edges[this.edgesUsed++] = preds[k]!;
    this.blockLoopDepth[block] = loopDepth;
  }

  succ(block: number, k: number): number {
    return this.edges[this.succStart[block]! + k]!;
  }

  pred(block: number, k: number): number {
    return this.edges[this.predStart[block]! + k]!;
  }

  /** Appends `reg` to `block`'s parameters (they must be added before any argument list is started). */
  addBlockParam(block: number, reg: number): void {
    if (this.paramCount[block] === 0) this.paramStart[block] = this.regListsUsed;
    else if (this.paramStart[block]! + this.paramCount[block]! !== this.regListsUsed) throw new Error('VCode: block parameters must be added together');
    this.pushRegList(reg);
    this.paramCount[block]!++;
  }

  blockParam(block: number, k: number): number {
    return this.regLists[this.paramStart[block]! + k]!;
  }

  /** Appends `reg` to the values `block`'s final jump passes to its successor's parameters. */
  addBranchArg(block: number, reg: number): void {
    if (this.argCount[block] === 0) this.argStart[block] = this.regListsUsed;
    else if (this.argStart[block]! + this.argCount[block]! !== this.regListsUsed) throw new Error('VCode: branch arguments must be added together');
    this.pushRegList(reg);
    this.argCount[block]!++;
  }

  branchArg(block: number, k: number): number {
    return this.regLists[this.argStart[block]! + k]!;
  }

  private pushRegList(reg: number): void {
    if (this.regListsUsed === this.regLists.length) this.regLists = grownInt32(this.regLists, this.regListsUsed + 1);
    this.regLists[this.regListsUsed++] = reg;
  }

  // --- registers -------------------------------------------------------------------------------

  /** Makes registers `FIRST_VIRTUAL_REG .. FIRST_VIRTUAL_REG + count - 1` exist, all of class Int. */
  reserveVRegs(count: number): void {
    const end = FIRST_VIRTUAL_REG + count;
    if (end > this.vregClass.length) this.vregClass = grownUint8(this.vregClass, end);
    this.vregClass.fill(RegClass.Int, this.vregCount, end);
    if (end > this.vregCount) this.vregCount = end;
  }

  setVRegClass(vreg: number, cls: RegClass): void {
    this.vregClass[vreg] = cls;
  }

  /** A fresh virtual register of class `cls`. */
  newVReg(cls: RegClass): number {
    const vreg = this.vregCount++;
    if (vreg >= this.vregClass.length) this.vregClass = grownUint8(this.vregClass, vreg + 1);
    this.vregClass[vreg] = cls;
    return vreg;
  }

  // --- instructions ----------------------------------------------------------------------------

  /** Starts `block`: the instructions added next belong to it (blocks are lowered in layout order). */
  beginBlock(block: number): void {
    this.blockFirst[block] = this.instCount;
    this.blockEnd[block] = this.instCount;
  }

  /** Appends an instruction to the current block; its operands follow with `use`/`def`/`earlyDef`. */
  addInst(opcode: number, imm0 = 0, imm1 = 0, imm2 = 0, imm3 = 0, wasmOffset = -1): number {
    const i = this.instCount;
    if (i === this.opcode.length) this.growInsts(i + 1);
    this.opcode[i] = opcode;
    this.flags[i] = 0;
    this.imm0[i] = imm0;
    this.imm1[i] = imm1;
    this.imm2[i] = imm2;
    this.imm3[i] = imm3;
    this.wasmOffset[i] = wasmOffset;
    this.operandStart[i] = this.operandTotal;
    this.operandCount[i] = 0;
    this.clobberInt[i] = 0;
    this.clobberFloat[i] = 0;
    this.instCount = i + 1;
    return i;
  }

  /** Closes the current block after its terminator. */
  endBlock(block: number): void {
    this.blockEnd[block] = this.instCount;
  }

  setFlags(inst: number, flags: number): void {
    this.flags[inst]! |= flags;
  }

  use(reg: number): void {
    this.operand(reg, OperandKind.Use);
  }

  def(reg: number): void {
    this.operand(reg, OperandKind.Def);
  }

  earlyDef(reg: number): void {
    this.operand(reg, OperandKind.EarlyDef);
  }

  /** Registers the last instruction destroys (beyond its defs), as `RegSet`s per class. */
  clobber(intSet: number, floatSet: number): void {
    const i = this.instCount - 1;
    this.clobberInt[i] = intSet | 0;
    this.clobberFloat[i] = floatSet | 0;
  }

  private operand(reg: number, kind: OperandKind): void {
    const k = this.operandTotal;
    if (k === this.operandReg.length) {
      this.operandReg = grownInt32(this.operandReg, k + 1);
      this.operandKind = grownUint8(this.operandKind, k + 1);
    }
    this.operandReg[k] = reg;
    this.operandKind[k] = kind;
    this.operandTotal = k + 1;
    this.operandCount[this.instCount - 1]!++;
  }

  private growInsts(min: number): void {
    this.opcode = grownInt32(this.opcode, min);
    this.flags = grownUint8(this.flags, min);
    this.imm0 = grownInt32(this.imm0, min);
    this.imm1 = grownInt32(this.imm1, min);
    this.imm2 = grownInt32(this.imm2, min);
    this.imm3 = grownInt32(this.imm3, min);
    this.wasmOffset = grownInt32(this.wasmOffset, min);
    this.operandStart = grownInt32(this.operandStart, min);
    this.operandCount = grownInt32(this.operandCount, min);
    this.clobberInt = grownInt32(this.clobberInt, min);
    this.clobberFloat = grownInt32(this.clobberFloat, min);
  }
}

/**
 * The register allocator's answer for one VCode: a physical register for every operand, the
 * moves, spills and reloads to perform before instructions, and the spill area's size.
 */
export class Allocation {
  /** Physical register of each operand, parallel to `VCode.operandReg`. */
  operandAlloc = new Int32Array(128);
  /** Edits in instruction order: each happens before instruction `editInst`, in list order. */
  editCount = 0;
  editInst = new Int32Array(64);
  editKind = new Uint8Array(64);
  /** Source and destination: a register for Move, register → slot for Spill, slot → register for Reload. */
  editFrom = new Int32Array(64);
  editTo = new Int32Array(64);
  /** Number of 8-byte spill slots the frame needs. */
  spillSlots = 0;

  reset(operandTotal: number): void {
    if (this.operandAlloc.length < operandTotal) this.operandAlloc = new Int32Array(Math.max(operandTotal, this.operandAlloc.length * 2));
    this.editCount = 0;
    this.spillSlots = 0;
  }

  addEdit(beforeInst: number, kind: EditKind, from: number, to: number): void {
    const e = this.editCount;
    if (e === this.editInst.length) {
      this.editInst = grownInt32(this.editInst, e + 1);
      this.editKind = grownUint8(this.editKind, e + 1);
      this.editFrom = grownInt32(this.editFrom, e + 1);
      this.editTo = grownInt32(this.editTo, e + 1);
    }
    this.editInst[e] = beforeInst;
    this.editKind[e] = kind;
    this.editFrom[e] = from;
    this.editTo[e] = to;
    this.editCount = e + 1;
  }
}

/** The frame slot (a `FrameSlot` offset for `spill`/`fill`) of spill slot `slot`. */
export const spillSlotOffset = (slot: number): number => (slot + 1) * SPILL_SLOT_SIZE;
