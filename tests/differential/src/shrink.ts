// A greedy shrinker for a mismatching seed: it keeps the failure (same signature class) while
// dropping calls, stubbing whole functions, cutting statements and zeroing expressions, in
// chunks that halve down to single items. Statements and expressions are removed through the
// generator's `ShrinkMask`, so every candidate module stays valid by construction.
import type { GeneratedModule } from './generator/module-generator.ts';
import { generateModule } from './generator/module-generator.ts';
import type { ShrinkMask } from './generator/module-context.ts';
import type { Mismatch, PlannedCall } from './runner.ts';
import { failureClass } from './signature.ts';

export interface Shrunk {
  readonly module: GeneratedModule;
  readonly mask: ShrinkMask;
  readonly calls: readonly PlannedCall[];
  readonly mismatch: Mismatch;
  readonly attempts: number;
}

/** Runs a candidate; returns its first mismatch or null. */
export type Reproduce = (module: GeneratedModule, calls: readonly PlannedCall[]) => Mismatch | null;

export function shrinkMismatch(
  original: GeneratedModule,
  calls: readonly PlannedCall[],
  mismatch: Mismatch,
  reproduce: Reproduce,
  maxAttempts = 400,
): Shrunk {
  const target = failureClass(mismatch);
  let attempts = 0;
  let best: Shrunk = {
    module: original,
    mask: { stubbedFunctions: new Set(), droppedStatements: new Set(), zeroedExpressions: new Set() },
    calls: calls.slice(0, mismatch.callIndex + 1),
    mismatch,
    attempts: 0,
  };

  /** Tries a candidate; keeps it when the same class of failure persists. */
  const attempt = (mask: ShrinkMask, candidateCalls: readonly PlannedCall[]): boolean => {
    if (attempts >= maxAttempts) return false;
    attempts++;
    const module = generateModule(original.seed, mask, original.features);
    const found = reproduce(module, candidateCalls);
    if (found === null || failureClass(found) !== target) return false;
    best = { module, mask, calls: candidateCalls.slice(0, found.callIndex + 1), mismatch: found, attempts };
    return true;
  };

  // The failing call must stay; earlier ones only matter through the state they leave.
  for (let i = best.calls.length - 2; i >= 0; i--) {
    attempt(best.mask, [...best.calls.slice(0, i), ...best.calls.slice(i + 1)]);
  }
  for (let f = 1; f <= original.functionCount; f++) {
    attempt({ ...best.mask, stubbedFunctions: new Set([...best.mask.stubbedFunctions, f]) }, best.calls);
  }
  const removeInChunks = (count: number, key: 'droppedStatements' | 'zeroedExpressions') => {
    for (let chunk = Math.max(1, count >> 1); chunk >= 1; chunk >>= 1) {
      for (let start = 0; start < count; start += chunk) {
        const current = best.mask[key];
        const next = new Set(current);
        let added = false;
        for (let id = start; id < Math.min(count, start + chunk); id++) {
          if (!next.has(id)) {
            next.add(id);
            added = true;
          }
        }
        if (added) attempt({ ...best.mask, [key]: next }, best.calls);
      }
      if (chunk === 1) break;
    }
  };
  removeInChunks(original.statementCount, 'droppedStatements');
  removeInChunks(original.expressionCount, 'zeroedExpressions');
  return { ...best, attempts };
}
