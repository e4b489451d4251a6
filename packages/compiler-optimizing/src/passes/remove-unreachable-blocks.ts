// Removes the blocks no path from the entry reaches (code after a trap inside a construct that is
// still joined, the else of a constant condition once folded, …): their instructions are
// unlinked and the blocks leave the layout. Reachable blocks never use their values (a use must
// be dominated by its definition), so nothing else changes.

import type { Cfg } from '../analysis/cfg.ts';
import { NONE, type IrFunction } from '../ir/function.ts';

/** Returns the number of blocks removed. */
export function removeUnreachableBlocks(fn: IrFunction, cfg: Cfg): number {
  cfg.compute(fn);
  let removed = 0;
  for (let b = 0; b < fn.blockCount; b++) {
    if (cfg.isReachable(b) || fn.firstInst(b) === NONE) continue;
    for (let i = fn.firstInst(b); i !== NONE; ) {
      const next = fn.nextInst(i);
      fn.remove(i);
      i = next;
    }
    fn.layoutRemove(b);
    removed++;
  }
  return removed;
}
