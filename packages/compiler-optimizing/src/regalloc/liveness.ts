// Which virtual registers are live into and out of each VCode block, by path exploration per
// variable (Brandner, Boissinot, Darte, Dupont de Dinechin, Rastello: "Computing Liveness Sets for
// SSA-Form Programs", 2011, as regalloc2 and wazevo do): from every use outside the defining
// block, walk predecessors upwards, marking the value live-in at each block and live-out at each
// predecessor, until the definition's block or a block already marked. The cost is the size of
// the sets it produces, not blocks × registers as for iterative bitset dataflow, which made big
// functions quadratic.
//
// VCode is in SSA form: one definition per virtual register. Block parameters are defined at
// their block's start; the arguments a block's final jump passes are uses at its end (they are
// live-out of no block through the parameter). The sets come out as per-block lists of register
// numbers in increasing order; the allocator's intervals read live-out, its edge resolution
// live-in, so loop-carried values are exact without Wimmer's loop-extension shortcut.

import { FIRST_VIRTUAL_REG, OperandKind, type VCode } from '@flint/backend';

const NONE = -1;

export class Liveness {
  /** Live-in registers of block b: `liveIn[liveInStart[b] .. liveInStart[b + 1])`, ascending. */
  liveIn = new Int32Array(64);
  liveInStart = new Int32Array(17);
  /** Live-out registers of block b, likewise. */
  liveOut = new Int32Array(64);
  liveOutStart = new Int32Array(17);

  private defBlock = new Int32Array(64);
  /** Per block, the register last marked live-in / live-out there (the walk's visited sets). */
  private inMark = new Int32Array(16);
  private outMark = new Int32Array(16);
  /** Uses outside the defining block, grouped by register: the blocks. */
  private useStart = new Int32Array(64);
  private useEnd = new Int32Array(64);
  private useBlock = new Int32Array(64);
  /** Marked (block, register) pairs in register order, before they are grouped by block. */
  private inPairs = new Int32Array(128);
  private outPairs = new Int32Array(128);
  private inPairCount = 0;
  private outPairCount = 0;
  private stack = new Int32Array(16);

  compute(code: VCode): void {
    const blocks = code.blockCount;
    const vregs = Math.max(0, code.vregCount - FIRST_VIRTUAL_REG);
    this.defBlock = grow(this.defBlock, vregs);
    this.useStart = grow(this.useStart, vregs + 1);
    const defBlock = this.defBlock;
    const useStart = this.useStart;
    defBlock.fill(NONE, 0, vregs);
    useStart.fill(0, 0, vregs + 1);
    // Definitions, and a count of the uses each register has (an upper bound of those outside).
    for (let b = 0; b < blocks; b++) {
      for (let k = 0; k < code.paramCount[b]!; k++) defBlock[code.blockParam(b, k) - FIRST_VIRTUAL_REG] = b;
      for (let i = code.blockFirst[b]!; i < code.blockEnd[b]!; i++) {
        const start = code.operandStart[i]!;
        const end = start + code.operandCount[i]!;
        for (let k = start; k < end; k++) {
          const v = code.operandReg[k]! - FIRST_VIRTUAL_REG;
          if (v < 0) continue;
          if (code.operandKind[k] === OperandKind.Use) useStart[v + 1]!++;
          else defBlock[v] = b;
        }
      }
      for (let k = 0; k < code.argCount[b]!; k++) {
        const v = code.branchArg(b, k) - FIRST_VIRTUAL_REG;
        if (v >= 0) useStart[v + 1]!++;
      }
    }
    for (let v = 0; v < vregs; v++) useStart[v + 1]! += useStart[v]!;
    const useBlock = (this.useBlock = grow(this.useBlock, useStart[vregs]!));
    const useEnd = (this.useEnd = grow(this.useEnd, vregs));
    useEnd.set(useStart.subarray(0, vregs));
    // The blocks of the uses outside the defining block, at `useStart[v] .. useEnd[v]`.
    for (let b = 0; b < blocks; b++) {
      for (let i = code.blockFirst[b]!; i < code.blockEnd[b]!; i++) {
        const start = code.operandStart[i]!;
        const end = start + code.operandCount[i]!;
        for (let k = start; k < end; k++) {
          const v = code.operandReg[k]! - FIRST_VIRTUAL_REG;
          if (v >= 0 && code.operandKind[k] === OperandKind.Use && defBlock[v] !== b) useBlock[useEnd[v]!++] = b;
        }
      }
      for (let k = 0; k < code.argCount[b]!; k++) {
        const v = code.branchArg(b, k) - FIRST_VIRTUAL_REG;
        if (v >= 0 && defBlock[v] !== b) useBlock[useEnd[v]!++] = b;
      }
    }
    // Walks, one register at a time, so a mark equal to the register means "visited".
    this.inMark = grow(this.inMark, blocks);
    this.outMark = grow(this.outMark, blocks);
    this.inMark.fill(NONE, 0, blocks);
    this.outMark.fill(NONE, 0, blocks);
    this.inPairCount = 0;
    this.outPairCount = 0;
    for (let v = 0; v < vregs; v++) {
      for (let u = useStart[v]!; u < useEnd[v]!; u++) this.markUp(code, useBlock[u]!, v);
    }
    this.group(blocks, true);
    this.group(blocks, false);
  }

  /** Marks `v` live-in at `block` (not its defining block) and upwards until its definition. */
  private markUp(code: VCode, block: number, v: number): void {
    const inMark = this.inMark;
    const outMark = this.outMark;
    const def = this.defBlock[v]!;
    let sp = 0;
    this.stack[sp++] = block;
    while (sp > 0) {
      const b = this.stack[--sp]!;
      if (inMark[b] === v) continue;
      inMark[b] = v;
      this.pushPair(true, b, v);
      const preds = code.predCount[b]!;
      for (let k = 0; k < preds; k++) {
        const p = code.pred(b, k);
        if (outMark[p] !== v) {
          outMark[p] = v;
          this.pushPair(false, p, v);
        }
        if (p !== def && inMark[p] !== v) {
          this.stack = grow(this.stack, sp + 1);
          this.stack[sp++] = p;
        }
      }
    }
  }

  private pushPair(isIn: boolean, block: number, v: number): void {
    if (isIn) {
      const n = this.inPairCount;
      this.inPairs = grow(this.inPairs, 2 * n + 2);
      this.inPairs[2 * n] = block;
      this.inPairs[2 * n + 1] = v + FIRST_VIRTUAL_REG;
      this.inPairCount = n + 1;
    } else {
      const n = this.outPairCount;
      this.outPairs = grow(this.outPairs, 2 * n + 2);
      this.outPairs[2 * n] = block;
      this.outPairs[2 * n + 1] = v + FIRST_VIRTUAL_REG;
      this.outPairCount = n + 1;
    }
  }

  /** Groups the (block, register) pairs by block, keeping register order (a counting sort). */
  private group(blocks: number, isIn: boolean): void {
    const pairs = isIn ? this.inPairs : this.outPairs;
    const n = isIn ? this.inPairCount : this.outPairCount;
    let start = isIn ? this.liveInStart : this.liveOutStart;
    start = grow(start, blocks + 1);
    start.fill(0, 0, blocks + 1);
    for (let k = 0; k < n; k++) start[pairs[2 * k]! + 1]!++;
    for (let b = 0; b < blocks; b++) start[b + 1]! += start[b]!;
    const list = grow(isIn ? this.liveIn : this.liveOut, n);
    // Place with a moving cursor per block (the next block's start), then shift back.
    for (let k = 0; k < n; k++) list[start[pairs[2 * k]!]!++] = pairs[2 * k + 1]!;
    for (let b = blocks; b > 0; b--) start[b] = start[b - 1]!;
    start[0] = 0;
    if (isIn) {
      this.liveIn = list;
      this.liveInStart = start;
    } else {
      this.liveOut = list;
      this.liveOutStart = start;
    }
  }

  isLiveIn(block: number, vreg: number): boolean {
    return contains(this.liveIn, this.liveInStart[block]!, this.liveInStart[block + 1]!, vreg);
  }

  isLiveOut(block: number, vreg: number): boolean {
    return contains(this.liveOut, this.liveOutStart[block]!, this.liveOutStart[block + 1]!, vreg);
  }
}

function contains(list: Int32Array, lo: number, hi: number, value: number): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = list[mid]!;
    if (x === value) return true;
    if (x < value) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

function grow(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  if (a.length >= min) return a;
  let n = Math.max(16, a.length * 2);
  while (n < min) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
