// The pass pipeline and its order. Each pass lives in its own file with its own tests; this file
// only says which run, in which order, and why the order matters:
//
//   redundant-params   Braun et al.'s trivial parameters first: every later pass sees fewer φs
//   unreachable        blocks nothing reaches, so analyses see one connected graph
//   dce                what nothing needs
//
// With `verify`, the IR verifier runs after each pass. A pass can be switched off by name
// (`disabledPasses`) to measure what it pays; the structural ones cannot.

import type { Cfg } from '../analysis/cfg.ts';
import type { OptimizingStats } from '../compiler.ts';
import type { ModuleInfo } from '../frontend/module-info.ts';
import type { IrFunction } from '../ir/function.ts';
import { assertValid } from '../ir/verifier.ts';
import { DeadCodeEliminator } from './dce.ts';
import { IncomingEdges, eliminateRedundantBlockParams } from './redundant-params.ts';
import { removeUnreachableBlocks } from './remove-unreachable-blocks.ts';

/** Passes that can be switched off. */
export type PassName = 'dce';

export class PassPipeline {
  private readonly incoming = new IncomingEdges();
  private readonly dce = new DeadCodeEliminator();

  run(fn: IrFunction, cfg: Cfg, info: ModuleInfo, verify: boolean, disabled: readonly PassName[], stats: OptimizingStats | undefined): void {
    void info;
    const step = (name: string, changes: number): void => {
      if (stats) stats.passChanges[name] = (stats.passChanges[name] ?? 0) + changes;
      if (verify) assertValid(fn, name, cfg);
    };
    step('redundant-params', eliminateRedundantBlockParams(fn, this.incoming));
    step('unreachable', removeUnreachableBlocks(fn, cfg));
    if (!disabled.includes('dce')) step('dce', this.dce.run(fn, this.incoming));
  }
}
