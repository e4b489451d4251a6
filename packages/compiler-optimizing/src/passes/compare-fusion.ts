// Branch/compare fusion, the IR half: a `brif` or `select` whose condition is an integer
// comparison gets a comparison of its own, right before it, when the original is in another block
// or has other uses. Lowering then fuses each comparison with its only user — `cmp; jcc` or
// `cmp; cmov` — instead of materializing a 0/1 and testing it. A comparison is one cheap
// instruction, so computing it again is cheaper than the materialization it saves; DCE removes
// the original when nothing else needs it.

import { IrOp, ValueKind } from '@flint/backend';
import { NONE, type IrFunction } from '../ir/function.ts';

/** Returns the number of comparisons placed next to their users. */
export function fuseComparesWithBranches(fn: IrFunction): number {
  fn.computeUses();
  let fused = 0;
  for (let b = 0; b < fn.blockCount; b++) {
    for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) {
      const op = fn.op(i);
      if (op !== IrOp.Brif && !(op === IrOp.Select && fn.type(i) !== ValueKind.F32 && fn.type(i) !== ValueKind.F64)) continue;
      const cond = fn.arg(i, 0);
      const def = fn.definingInst(cond);
      if (def === NONE || fn.op(def) !== IrOp.IntCompare) continue;
      if (fn.instBlock(def) === b && fn.useCount(cond) === 1) continue;
      const clone = fn.createInst(IrOp.IntCompare, fn.kind(def), ValueKind.I32, 0, 0, 0, null, 0, 0);
      fn.appendArg(clone, fn.arg(def, 0));
      fn.appendArg(clone, fn.arg(def, 1));
      const value = fn.addResult(clone, ValueKind.I32);
      fn.insertBefore(i, clone);
      fn.setArg(i, 0, value);
      fused++;
    }
  }
  return fused;
}
