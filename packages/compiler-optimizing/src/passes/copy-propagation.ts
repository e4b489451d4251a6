// Copy propagation: a `copy` is its operand. Every use of a copy's result reads the operand
// instead, and the copy goes. (The SSA builder creates no copies: Wasm's local.get/set become
// SSA values directly; copies come from other passes and from hand-written IR.)

import { IrOp } from '@flint/backend';
import { NONE, type IrFunction } from '../ir/function.ts';

/** Returns the number of copies removed. */
export function propagateCopies(fn: IrFunction): number {
  let removed = 0;
  for (let b = 0; b < fn.blockCount; b++) {
    for (let i = fn.firstInst(b); i !== NONE; ) {
      const next = fn.nextInst(i);
      if (fn.op(i) === IrOp.Copy) {
        fn.replaceUses(fn.result(i, 0), fn.arg(i, 0));
        fn.remove(i);
        removed++;
      }
      i = next;
    }
  }
  if (removed > 0) fn.applyAliases();
  return removed;
}
