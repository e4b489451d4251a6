// Every configuration an execution test runs on: tier × backend × lazy compilation. The backend
// is always the host's: the runtime picks it (`backendForHost`).
//
// TEMPORARY: the optimizing tier runs through an engine whose compiler is replaced (the
// `compiler` hook of `Engine`), with the IR verifier and the register-allocation checker on and
// a function-by-function fallback to the baseline tier on a bailout, until the runtime's tier
// registry selects it by `tier: 'optimizing'`.

import { BackendBailout, type Backend, type FinishedCode } from '@flint/backend';
import { BaselineCompiler } from '@flint/compiler-baseline';
import { OptimizingCompiler, createOptimizingStats } from '@flint/compiler-optimizing';
import { Engine, type FunctionCompileInput } from '@flint/runtime';
import type { EngineConfig } from './wast-runner.ts';

/** Bailouts of the optimizing tier seen by `optimizingEngine`s in this process, by reason and detail. */
export const OPTIMIZING_BAILOUTS = new Map<string, number>();
/** What the optimizing tier compiled in this process. */
export const OPTIMIZING_STATS = createOptimizingStats();

/** An engine compiling with the optimizing tier (verifying every step), falling back per function. */
export function optimizingEngine(): Engine {
  let optimizing: OptimizingCompiler | null = null;
  let baseline: BaselineCompiler | null = null;
  const compile = (input: FunctionCompileInput, backend: Backend): FinishedCode => {
    try {
      return (optimizing ??= new OptimizingCompiler(backend)).compile(input, { verify: true, stats: OPTIMIZING_STATS });
    } catch (error) {
      if (!(error instanceof BackendBailout)) throw error;
      const key = `${error.reason}: ${error.detail}`;
      OPTIMIZING_BAILOUTS.set(key, (OPTIMIZING_BAILOUTS.get(key) ?? 0) + 1);
      return (baseline ??= new BaselineCompiler(backend)).compile(input);
    }
  };
  return new Engine({ compiler: compile, compileWorkers: 0 });
}

export const ENGINE_CONFIGS: readonly EngineConfig[] = [
  { name: `baseline/${process.arch}`, options: { tier: 'baseline', lazy: false } },
  { name: `baseline/${process.arch}/lazy`, options: { tier: 'baseline', lazy: true } },
  { name: `optimizing/${process.arch}`, options: { tier: 'baseline', lazy: false }, engine: optimizingEngine() },
];
