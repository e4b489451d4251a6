// Loop-invariant code motion: an instruction inside a loop whose arguments all come from outside
// it (or from instructions already hoisted) moves to the loop's preheader, so it runs once per
// entry instead of once per iteration. Loops are taken innermost first, so an instruction can
// climb out of a whole nest.
//
// What may move: instructions without effects that cannot trap (the preheader runs them even
// when the loop body would not: a hoisted division by zero would trap where the program does
// not), and reads of state the loop cannot change: the memory's base and length when the loop
// makes no call (memory.grow is a builtin call; growth may move a memory), and a mutable global
// the loop neither writes nor calls out of. Loads never move: their bounds check stays in the loop and must run first. Constants
// stay where they are: lowering rematerializes them at each use anyway.
//
// A preheader is the loop header's only predecessor from outside the loop, ending in a jump to
// the header (what the SSA builder makes for every Wasm loop). Loops without one are left alone.

import { IrOp } from '@flint/backend';
import type { Cfg } from '../analysis/cfg.ts';
import { NONE, type IrFunction } from '../ir/function.ts';
import { Effect, instEffects } from '../ir/ops.ts';
import { growInt32, growUint8 } from '../ir/pool.ts';

export class LoopInvariantCodeMotion {
  private fn!: IrFunction;
  private cfg!: Cfg;
  private headers = new Int32Array(16);
  /** Per global: written in the current loop. */
  private written = new Uint8Array(16);
  private hoisted = new Uint8Array(256);

  /** Returns the number of instructions hoisted. */
  run(fn: IrFunction, cfg: Cfg): number {
    this.fn = fn;
    this.cfg = cfg;
    cfg.compute(fn);
    let n = 0;
    for (let k = 0; k < cfg.rpoCount; k++) {
      const b = cfg.rpo[k]!;
      if (!cfg.isLoopHeader[b]) continue;
      this.headers = growInt32(this.headers, n + 1);
      this.headers[n++] = b;
    }
    this.collectMembers(fn, cfg);
    // Innermost first: deeper loops before shallower ones.
    const headers = this.headers.subarray(0, n);
    headers.sort((a, b) => cfg.loopDepth[b]! - cfg.loopDepth[a]!);
    this.hoisted = growUint8(this.hoisted, fn.instCount);
    this.hoisted.fill(0, 0, fn.instCount);
    let moved = 0;
    for (const h of headers) moved += this.hoistFrom(h);
    return moved;
  }

  /** Each loop's blocks in reverse postorder: `members[memberStart[h] .. memberStart[h] + memberCount[h])`. */
  private memberStart = new Int32Array(64);
  private memberCount = new Int32Array(64);
  private members = new Int32Array(64);

  private collectMembers(fn: IrFunction, cfg: Cfg): void {
    const n = fn.blockCount;
    this.memberStart = growInt32(this.memberStart, n);
    this.memberCount = growInt32(this.memberCount, n);
    const count = this.memberCount;
    count.fill(0, 0, n);
    let total = 0;
    for (let k = 0; k < cfg.rpoCount; k++) {
      for (let h = cfg.loopHeader[cfg.rpo[k]!]!; h !== NONE; h = cfg.loopParent[h]!) {
        count[h]!++;
        total++;
      }
    }
    this.members = growInt32(this.members, total);
    let at = 0;
    for (let b = 0; b < n; b++) {
      this.memberStart[b] = at;
      at += count[b]!;
      count[b] = 0;
    }
    for (let k = 0; k < cfg.rpoCount; k++) {
      const b = cfg.rpo[k]!;
      for (let h = cfg.loopHeader[b]!; h !== NONE; h = cfg.loopParent[h]!) this.members[this.memberStart[h]! + count[h]!++] = b;
    }
  }

  private preheader(header: number): number {
    const fn = this.fn;
    const cfg = this.cfg;
    let outside = NONE;
    for (let k = 0; k < cfg.predCount[header]!; k++) {
      const p = cfg.pred(header, k);
      if (cfg.inLoop(p, header)) continue;
      if (outside !== NONE) return NONE;
      outside = p;
    }
    if (outside === NONE) return NONE;
    const t = fn.terminator(outside);
    return t !== NONE && fn.op(t) === IrOp.Jump ? outside : NONE;
  }

  private hoistFrom(header: number): number {
    const fn = this.fn;
    const pre = this.preheader(header);
    if (pre === NONE) return 0;
    // What the loop may change.
    let calls = false;
    this.written = growUint8(this.written, 1);
    this.written.fill(0);
    const first = this.memberStart[header]!;
    const last = first + this.memberCount[header]!;
    for (let k = first; k < last; k++) {
      const b = this.members[k]!;
      for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) {
        const effects = instEffects(fn.op(i), fn.kind(i), fn.imm2(i));
        if ((effects & Effect.Call) !== 0) calls = true;
        if (fn.op(i) === IrOp.GlobalSet) {
          this.written = growUint8(this.written, fn.imm0(i) + 1);
          this.written[fn.imm0(i)] = 1;
        }
      }
    }
    const anchor = fn.terminator(pre);
    let moved = 0;
    for (let k = first; k < last; k++) {
      const b = this.members[k]!;
      for (let i = fn.firstInst(b); i !== NONE; ) {
        const next = fn.nextInst(i);
        if (this.movable(i, calls) && this.invariant(i, header)) {
          fn.remove(i);
          fn.insertBefore(anchor, i);
          this.hoisted[i] = 1;
          moved++;
        }
        i = next;
      }
    }
    return moved;
  }

  private movable(i: number, calls: boolean): boolean {
    const fn = this.fn;
    const op = fn.op(i);
    if (op === IrOp.Iconst || op === IrOp.Fconst || fn.resultCount(i) !== 1) return false;
    const effects = instEffects(op, fn.kind(i), fn.imm2(i));
    if (effects === 0) return true;
    if (op === IrOp.MemoryLength || op === IrOp.MemoryBase) return !calls;
    if (op === IrOp.GlobalGet) return !calls && (fn.imm0(i) >= this.written.length || this.written[fn.imm0(i)] === 0);
    return false;
  }

  /** True when every argument of `i` is defined outside the loop of `header`. */
  private invariant(i: number, header: number): boolean {
    const fn = this.fn;
    for (let k = 0; k < fn.argCount(i); k++) {
      const v = fn.arg(i, k);
      const def = fn.definingInst(v);
      const block = def === NONE ? fn.valueBlock[v]! : fn.instBlock(def);
      if (this.cfg.inLoop(block, header)) return false;
    }
    return true;
  }
}
