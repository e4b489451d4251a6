// Dead-code elimination: removes instructions whose results nothing needs and block parameters
// nothing reads (with the arguments every branch passes them). Roots are the instructions with
// an effect that must happen (traps, stores, global writes, calls, terminators); liveness flows
// from them through arguments, and from a live block parameter to the branch arguments feeding
// it. Loads, memory lengths and global reads go when unused: a load's bounds check is its own
// instruction, so dropping the load keeps the trap.

import { NONE, type IrFunction } from '../ir/function.ts';
import { Effect, instEffects } from '../ir/ops.ts';
import { growUint8 } from '../ir/pool.ts';
import type { IncomingEdges } from './redundant-params.ts';

const MUST_RUN = Effect.Traps | Effect.WritesHeap | Effect.WritesGlobal | Effect.Call | Effect.Terminator;

export class DeadCodeEliminator {
  private live = new Uint8Array(256);
  private work = new Int32Array(256);

  /** Returns the number of instructions and parameters removed. */
  run(fn: IrFunction, incoming: IncomingEdges): number {
    this.live = growUint8(this.live, fn.valueCount + fn.instCount);
    const live = this.live;
    live.fill(0, 0, fn.valueCount + fn.instCount);
    const liveInst = (i: number): number => fn.valueCount + i;
    let top = 0;
    const push = (v: number): void => {
      if (live[v]) return;
      live[v] = 1;
      if (top === this.work.length) {
        const grown = new Int32Array(this.work.length * 2);
        grown.set(this.work);
        this.work = grown;
      }
      this.work[top++] = v;
    };
    const markInst = (i: number): void => {
      if (live[liveInst(i)]) return;
      live[liveInst(i)] = 1;
      for (let k = 0; k < fn.argCount(i); k++) push(fn.arg(i, k));
    };
    for (let b = 0; b < fn.blockCount; b++) {
      for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) {
        if ((instEffects(fn.op(i), fn.kind(i), fn.imm2(i)) & MUST_RUN) !== 0) markInst(i);
      }
    }
    // Entry parameters are the function's: always kept.
    for (let k = 0; k < fn.blockParamCount(0); k++) push(fn.blockParam(0, k));
    incoming.compute(fn);
    while (top > 0) {
      const v = this.work[--top]!;
      const def = fn.definingInst(v);
      if (def !== NONE) {
        markInst(def);
        continue;
      }
      // A block parameter: the arguments every incoming edge passes for it.
      const b = fn.valueBlock[v]!;
      const index = fn.valueIndex[v]!;
      for (let e = 0; e < incoming.count[b]!; e++) push(fn.targetArg(incoming.inst(b, e), incoming.target(b, e), index));
    }
    let removed = 0;
    for (let b = 0; b < fn.blockCount; b++) {
      for (let i = fn.firstInst(b); i !== NONE; ) {
        const next = fn.nextInst(i);
        if (!live[liveInst(i)]) {
          fn.remove(i);
          removed++;
        }
        i = next;
      }
      if (b === 0) continue;
      for (let p = fn.blockParamCount(b) - 1; p >= 0; p--) {
        if (live[fn.blockParam(b, p)]) continue;
        fn.removeBlockParam(b, p);
        for (let e = 0; e < incoming.count[b]!; e++) fn.removeTargetArg(incoming.inst(b, e), incoming.target(b, e), p);
        removed++;
      }
    }
    return removed;
  }
}
