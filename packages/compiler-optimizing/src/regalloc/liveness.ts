// Which virtual registers are live into each VCode block: iterative backward dataflow over
// bitsets (live-in = uses before defs ∪ (live-out − defs); live-out = ∪ live-in of successors).
// Block parameters are defined at their block's start; the arguments a block's final jump passes
// are uses at its end. The allocator's intervals and its edge resolution both read these sets,
// so loop-carried values are exact without Wimmer's loop-extension shortcut.

import { FIRST_VIRTUAL_REG, OperandKind, type VCode } from '@flint/backend';

export class Liveness {
  /** Words per block set. */
  words = 0;
  liveIn = new Int32Array(64);
  liveOut = new Int32Array(64);
  private gen = new Int32Array(64);
  private kill = new Int32Array(64);

  compute(code: VCode): void {
    const blocks = code.blockCount;
    const words = (this.words = Math.max(1, (code.vregCount - FIRST_VIRTUAL_REG + 31) >>> 5));
    const size = blocks * words;
    if (this.liveIn.length < size) {
      const n = Math.max(size, this.liveIn.length * 2);
      this.liveIn = new Int32Array(n);
      this.liveOut = new Int32Array(n);
      this.gen = new Int32Array(n);
      this.kill = new Int32Array(n);
    }
    this.liveIn.fill(0, 0, size);
    this.liveOut.fill(0, 0, size);
    this.gen.fill(0, 0, size);
    this.kill.fill(0, 0, size);
    const gen = this.gen;
    const kill = this.kill;
    for (let b = 0; b < blocks; b++) {
      const base = b * words;
      for (let k = 0; k < code.paramCount[b]!; k++) setBit(kill, base, code.blockParam(b, k) - FIRST_VIRTUAL_REG);
      for (let i = code.blockFirst[b]!; i < code.blockEnd[b]!; i++) {
        const start = code.operandStart[i]!;
        const end = start + code.operandCount[i]!;
        for (let k = start; k < end; k++) {
          const v = code.operandReg[k]! - FIRST_VIRTUAL_REG;
          if (v < 0 || code.operandKind[k] !== OperandKind.Use) continue;
          if (!hasBit(kill, base, v)) setBit(gen, base, v);
        }
        for (let k = start; k < end; k++) {
          const v = code.operandReg[k]! - FIRST_VIRTUAL_REG;
          if (v >= 0 && code.operandKind[k] !== OperandKind.Use) setBit(kill, base, v);
        }
      }
      for (let k = 0; k < code.argCount[b]!; k++) {
        const v = code.branchArg(b, k) - FIRST_VIRTUAL_REG;
        if (v >= 0 && !hasBit(kill, base, v)) setBit(gen, base, v);
      }
    }
    const liveIn = this.liveIn;
    const liveOut = this.liveOut;
    let changed = true;
    while (changed) {
      changed = false;
      for (let b = blocks - 1; b >= 0; b--) {
        const base = b * words;
        for (let s = 0; s < code.succCount[b]!; s++) {
          const sb = code.succ(b, s) * words;
          for (let w = 0; w < words; w++) liveOut[base + w] = liveOut[base + w]! | liveIn[sb + w]!;
        }
        for (let w = 0; w < words; w++) {
          const next = gen[base + w]! | (liveOut[base + w]! & ~kill[base + w]!);
          if (next !== liveIn[base + w]) {
            liveIn[base + w] = next;
            changed = true;
          }
        }
      }
    }
  }

  isLiveIn(block: number, vreg: number): boolean {
    return hasBit(this.liveIn, block * this.words, vreg - FIRST_VIRTUAL_REG);
  }

  isLiveOut(block: number, vreg: number): boolean {
    return hasBit(this.liveOut, block * this.words, vreg - FIRST_VIRTUAL_REG);
  }
}

function setBit(set: Int32Array, base: number, bit: number): void {
  set[base + (bit >>> 5)]! |= 1 << (bit & 31);
}

function hasBit(set: Int32Array, base: number, bit: number): boolean {
  return (set[base + (bit >>> 5)]! & (1 << (bit & 31))) !== 0;
}
