// Removes block parameters that carry no choice: every predecessor passes the same value v (or
// the parameter itself, around a loop), so the parameter is v. The SSA builder creates such
// parameters whenever a variable is read in a loop or join before all predecessors are known
// (Braun et al.'s trivial φs); this pass is wazevo's `passRedundantPhiEliminationOpt`. It
// repeats until nothing changes, since removing one parameter can make another trivial.

import { NONE, type IrFunction } from '../ir/function.ts';
import { IntPool } from '../ir/pool.ts';

/** Incoming edges of every block: [terminator, target index] pairs. */
export class IncomingEdges {
  start = new Int32Array(64);
  count = new Int32Array(64);
  readonly edges = new IntPool(256);

  compute(fn: IrFunction): void {
    const n = fn.blockCount;
    if (this.start.length < n) {
      this.start = new Int32Array(Math.max(n, this.start.length * 2));
      this.count = new Int32Array(this.start.length);
    }
    this.count.fill(0, 0, n);
    for (let b = 0; b < n; b++) {
      const t = fn.terminator(b);
      if (t === NONE) continue;
      for (let k = 0; k < fn.targetCount(t); k++) this.count[fn.targetBlock(t, k)]!++;
    }
    this.edges.reset();
    for (let b = 0; b < n; b++) {
      this.start[b] = this.edges.alloc(2 * this.count[b]!);
      this.count[b] = 0;
    }
    for (let b = 0; b < n; b++) {
      const t = fn.terminator(b);
      if (t === NONE) continue;
      for (let k = 0; k < fn.targetCount(t); k++) {
        const s = fn.targetBlock(t, k);
        const at = this.start[s]! + 2 * this.count[s]!++;
        this.edges.data[at] = t;
        this.edges.data[at + 1] = k;
      }
    }
  }

  inst(block: number, k: number): number {
    return this.edges.data[this.start[block]! + 2 * k]!;
  }

  target(block: number, k: number): number {
    return this.edges.data[this.start[block]! + 2 * k + 1]!;
  }
}

/** Returns the number of parameters removed. */
export function eliminateRedundantBlockParams(fn: IrFunction, incoming: IncomingEdges): number {
  incoming.compute(fn);
  let removed = 0;
  let changed = true;
  while (changed) {
    changed = false;
    for (let b = 1; b < fn.blockCount; b++) {
      const edges = incoming.count[b]!;
      if (edges === 0) continue;
      for (let p = fn.blockParamCount(b) - 1; p >= 0; p--) {
        const param = fn.blockParam(b, p);
        let same = NONE;
        let trivial = true;
        for (let e = 0; e < edges; e++) {
          const v = fn.targetArg(incoming.inst(b, e), incoming.target(b, e), p);
          if (v === param || v === same) continue;
          if (same !== NONE) {
            trivial = false;
            break;
          }
          same = v;
        }
        if (!trivial || same === NONE) continue;
        fn.replaceUses(param, same);
        fn.removeBlockParam(b, p);
        for (let e = 0; e < edges; e++) fn.removeTargetArg(incoming.inst(b, e), incoming.target(b, e), p);
        removed++;
        changed = true;
      }
    }
  }
  if (removed > 0) fn.applyAliases();
  return removed;
}
