// Prepares the CFG for lowering and register allocation: every critical edge (from a block with
// several successors to a block with several predecessors) gets a block of its own, and so does
// every conditional edge that passes arguments. Afterwards only `jump`s pass arguments, and on
// every edge either the source has one successor or the target one predecessor, so the register
// allocator always has a place for the moves of an edge (wazevo's `passLayoutBlocks` does the
// same). The new block is laid out right after its source: for a loop's `br_if` back edge that
// makes the loop branch fall through into its own back edge.

import { IrOp } from '@flint/backend';
import { NONE, type IrFunction } from '../ir/function.ts';
import type { Cfg } from '../analysis/cfg.ts';

/** Returns the number of edge blocks created. */
export function splitCriticalEdges(fn: IrFunction, cfg: Cfg): number {
  cfg.compute(fn);
  let created = 0;
  const blocks = fn.blockCount;
  for (let b = 0; b < blocks; b++) {
    const t = fn.terminator(b);
    if (t === NONE) continue;
    const op = fn.op(t);
    if (op !== IrOp.Brif && op !== IrOp.BrTable) continue;
    const targets = fn.targetCount(t);
    let after = b;
    for (let k = 0; k < targets; k++) {
      const s = fn.targetBlock(t, k);
      const argc = fn.targetArgCount(t, k);
      if (argc === 0 && cfg.predCount[s]! <= 1) continue;
      const edge = fn.newBlock();
      const jump = fn.createInst(IrOp.Jump, 0, 0, 0, 0, 0, null, 0, 0);
      const jt = fn.addTarget(jump, s);
      for (let a = 0; a < argc; a++) fn.appendTargetArg(jump, jt, fn.targetArg(t, k, a));
      fn.append(edge, jump);
      fn.layoutRemove(edge);
      fn.layoutInsertAfter(edge, after);
      after = edge;
      for (let a = argc - 1; a >= 0; a--) fn.removeTargetArg(t, k, a);
      fn.setTargetBlock(t, k, edge);
      created++;
    }
  }
  return created;
}
