// The pass pipeline and its order. Each pass lives in its own file with its own tests; this file
// only says which run, in which order, and why the order matters:
//
//   redundant-params   Braun et al.'s trivial parameters first: every later pass sees fewer φs
//   unreachable        blocks nothing reaches, so analyses see one connected graph
//   copy-prop          copies are their operands
//   simplify           constants folded, identities removed, canonical shapes (constants on the
//                      right, x - c as x + -c) that GVN and lowering then match
//   gvn                equal computations merged (after simplify: canonical forms meet)
//   licm               invariant computations, memory lengths and globals out of loops
//                      (after gvn: one copy to hoist)
//   load-elim          repeated reads and store-to-load forwarding (after licm: a hoisted memory
//                      length is one fact that survives the loop)
//   bce                bounds checks covered by dominating ones, on constant addresses, and
//                      invariant ones out of loop headers (after gvn and licm: equal indices are
//                      one value, invariant ones are outside)
//   compare-fusion     each branch and select gets its own comparison, for cmp+jcc lowering
//   dce                what nothing needs (after everything that leaves instructions unused)
//   unreachable, redundant-params again: simplify may have turned branches into jumps
//
// With `verify`, the IR verifier runs after each pass. A pass can be switched off by name
// (`disabledPasses`) to measure what it pays; the structural ones cannot.

import type { Cfg } from '../analysis/cfg.ts';
import type { OptimizingStats } from '../compiler.ts';
import type { ModuleInfo } from '../frontend/module-info.ts';
import type { IrFunction } from '../ir/function.ts';
import { assertValid } from '../ir/verifier.ts';
import { BoundsCheckElimination } from './bounds-checks.ts';
import { fuseComparesWithBranches } from './compare-fusion.ts';
import { propagateCopies } from './copy-propagation.ts';
import { DeadCodeEliminator } from './dce.ts';
import { GlobalValueNumbering } from './gvn.ts';
import { LoopInvariantCodeMotion } from './licm.ts';
import { LoadElimination } from './load-elimination.ts';
import { IncomingEdges, eliminateRedundantBlockParams } from './redundant-params.ts';
import { removeUnreachableBlocks } from './remove-unreachable-blocks.ts';
import { Simplifier } from './simplify.ts';

/** Passes that can be switched off. */
export const PASS_NAMES = ['copy-prop', 'simplify', 'gvn', 'licm', 'load-elim', 'bce', 'compare-fusion', 'dce'] as const;
export type PassName = (typeof PASS_NAMES)[number];

export class PassPipeline {
  private readonly incoming = new IncomingEdges();
  private readonly dce = new DeadCodeEliminator();
  private readonly simplifier = new Simplifier();
  private readonly gvn = new GlobalValueNumbering();
  private readonly licm = new LoopInvariantCodeMotion();
  private readonly loads = new LoadElimination();
  private readonly bce = new BoundsCheckElimination();

  run(fn: IrFunction, cfg: Cfg, info: ModuleInfo, verify: boolean, disabled: readonly PassName[], stats: OptimizingStats | undefined): void {
    let last = stats ? performance.now() : 0;
    const step = (name: string, changes: number): void => {
      if (stats) {
        stats.passChanges[name] = (stats.passChanges[name] ?? 0) + changes;
        const now = performance.now();
        stats.phaseMilliseconds[name] = (stats.phaseMilliseconds[name] ?? 0) + (now - last);
      }
      if (verify) assertValid(fn, name, cfg);
      if (stats) last = performance.now();
    };
    const on = (name: PassName): boolean => !disabled.includes(name);
    step('redundant-params', eliminateRedundantBlockParams(fn, this.incoming));
    step('unreachable', removeUnreachableBlocks(fn, cfg));
    if (on('copy-prop')) step('copy-prop', propagateCopies(fn));
    if (on('simplify')) {
      step('simplify', this.simplifier.run(fn, cfg));
      step('unreachable', removeUnreachableBlocks(fn, cfg));
    }
    if (on('gvn')) step('gvn', this.gvn.run(fn, cfg));
    if (on('licm')) step('licm', this.licm.run(fn, cfg));
    if (on('load-elim')) step('load-elim', this.loads.run(fn, cfg));
    if (on('bce')) step('bce', this.bce.run(fn, cfg, info));
    if (on('compare-fusion')) step('compare-fusion', fuseComparesWithBranches(fn));
    if (on('dce')) step('dce', this.dce.run(fn, this.incoming));
    step('unreachable', removeUnreachableBlocks(fn, cfg));
    step('redundant-params', eliminateRedundantBlockParams(fn, this.incoming));
  }
}
