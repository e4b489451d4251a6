// The tier registry: the compilers the engine can run, one row each. Everything that selects a
// tier by name (the JS API's `tier` option, `flint --tier`, the compile workers, the code cache,
// the conformance engines) goes through these rows; a new tier is a new row.
//
// A row creates the per-thread compiler of its tier for a backend. When a function cannot be
// compiled by a tier (a `BackendBailout`), the engine compiles that one function with the row's
// `fallback` tier instead and counts it, so a module never fails because one function uses
// something the top tier has not learned yet; a tier without a fallback reports the bailout.

import { BackendBailout, type Backend, type FinishedCode } from '@flint/backend';
import { BaselineCompiler, type DebugCodeRequest } from '@flint/compiler-baseline';
import { OptimizingCompiler } from '@flint/compiler-optimizing';
import type { Feature, FunctionCompileInput, Module } from '@flint/decoder';
import type { UnsupportedUse } from './features.ts';
import { UnsupportedError } from '../errors.ts';
import type { CompileCounters } from '../observe/compile-stats.ts';

/** What a tier's compiler receives for one function: the decoder's one compiler input. */
export type { FunctionCompileInput };

/** One thread's compiler of one tier for one backend, reused across functions and modules. */
export interface TierCompiler {
  /** With `fuel`, the code meters fuel (only asked of tiers whose row says `fuelMetering`). */
  compile(input: FunctionCompileInput, fuel?: boolean): FinishedCode;
  /** Debug code (breakable, inspectable frames: `@flint/compiler-baseline` debug.ts), for tiers that have it. */
  compileForDebugging?(input: FunctionCompileInput, request: DebugCodeRequest): FinishedCode;
}

export interface TierRow {
  /** The name users select the tier by (`tier: 'baseline'`, `--tier baseline`). */
  readonly name: string;
  /** What the tier is, for `--help` and errors. */
  readonly summary: string;
  createCompiler(backend: Backend): TierCompiler;
  /**
   * Whether this tier compiles the operators of `feature` (the opcode table's feature of an
   * operator) for `backend` on this CPU. With `unsupportedDeclaration`, this is the tier's
   * feature truth: a module using what no tier of its chain supports is rejected by validate
   * and compile (compile/features.ts).
   */
  supportsOperators(feature: Feature, backend: Backend): boolean;
  /** The first declaration of `module` this tier cannot run (a memory64 memory, a tag, …), or null. */
  unsupportedDeclaration(module: Module, backend: Backend): UnsupportedUse | null;
  /** The tier that compiles a function this one bails out on, or null to report the bailout. */
  readonly fallback: string | null;
  /**
   * Whether the tier can compile fuel metering in (`CompileOptions.fuel`). A module compiled with
   * fuel uses the first tier of the selected one's fallback chain that can.
   */
  readonly fuelMetering: boolean;
}

/** Operator families the baseline compiler does not compile yet (docs/adr/0006). */
const BASELINE_MISSING_OPERATORS: ReadonlySet<Feature> = new Set<Feature>([
  'gc',
  'exceptions',
  'legacy-exceptions',
  'threads',
  'wide-arithmetic',
  'memory-control',
]);

/** Declarations the baseline tier (and the runtime under it) cannot run yet. */
function baselineUnsupportedDeclaration(module: Module): UnsupportedUse | null {
  for (const memory of module.memories) {
    if (memory.address === 'i64') return { feature: 'memory64', offset: memory.offset };
    if (memory.pageSizeLog2 !== 16) return { feature: 'custom-page-sizes', offset: memory.offset };
  }
  // Shared memories and tags are fine: the runtime makes shared memories (their buffers are
  // SharedArrayBuffers, see memory.ts) and instantiates, imports and exports tags (instance/tag.ts);
  // only the atomic instructions and those that throw and catch are missing, and the operator
  // check finds those.
  return null;
}

/**
 * The optimizing tier's compiler. With FLINT_VERIFY=1 in the environment (the execution tests,
 * verifying conformance runs) it checks its own work: the IR verifier after every pass and the
 * register-allocation checker on every function.
 */
function optimizingCompiler(backend: Backend): TierCompiler {
  const compiler = new OptimizingCompiler(backend);
  const options = { verify: typeof process !== 'undefined' && process.env.FLINT_VERIFY === '1' };
  return { compile: (input) => compiler.compile(input, options) };
}

const TIERS: readonly TierRow[] = [
  {
    name: 'baseline',
    summary: 'single-pass compiler (fast compile, Liftoff-like code)',
    createCompiler: (backend) => {
      const compiler = new BaselineCompiler(backend);
      return {
        compile: (input, fuel) => compiler.compile(input, fuel === true ? { fuel } : {}),
        compileForDebugging: (input, debug) => compiler.compile(input, { debug }),
      };
    },
    supportsOperators: (feature) => !BASELINE_MISSING_OPERATORS.has(feature),
    unsupportedDeclaration: baselineUnsupportedDeclaration,
    fallback: null,
    fuelMetering: true,
  },
  {
    name: 'optimizing',
    summary: 'SSA optimizing compiler (TurboFan-like code); falls back to baseline per function',
    createCompiler: optimizingCompiler,
    // Whatever it bails out on, the baseline tier compiles: the chain supports what baseline does.
    supportsOperators: (feature) => !BASELINE_MISSING_OPERATORS.has(feature),
    unsupportedDeclaration: baselineUnsupportedDeclaration,
    fallback: 'baseline',
    // Temporary: optimized code does not meter fuel yet; metered modules compile with baseline.
    fuelMetering: false,
  },
];

/** The name of a registered tier. */
export type TierName = string;

/** The tier compiled with when options name none. */
export const DEFAULT_TIER: TierName = 'baseline';

/** Every registered tier, in registration order. */
export function registeredTiers(): readonly TierRow[] {
  return TIERS;
}

/** The position of tier `name` in the registry (how threads refer to a tier in flat arrays). */
export function tierIndex(name: TierName): number {
  const index = TIERS.findIndex((tier) => tier.name === name);
  if (index < 0) throw new RangeError(`unknown tier ${name}`);
  return index;
}

/** The row of tier `name`, or undefined. */
export function tierNamed(name: string): TierRow | undefined {
  return TIERS.find((tier) => tier.name === name);
}

/** The tier a module compiled with fuel uses when `name` is selected: the first of its fallback chain that meters fuel. */
export function fuelMeteringTier(name: TierName): TierName {
  let tier = requireTier(name);
  while (!tier.fuelMetering) {
    if (tier.fallback === null) throw new UnsupportedError(`no tier of ${name}'s fallback chain can meter fuel`);
    tier = requireTier(tier.fallback);
  }
  return tier.name;
}

/**
 * One thread's compilers for one backend, created per tier on first use, and the fallback rule:
 * a function the selected tier bails out on is compiled by the tier's fallback (recursively);
 * with no fallback left, the last bailout propagates. With `counters`, every compile is counted
 * for the tier that produced the code (functions, bytes, time), a bailout for the tier that gave
 * up, and a fallback for the tier that took the function over (observe/compile-stats.ts).
 */
export class TierCompilers {
  readonly #backend: Backend;
  readonly #compilers = new Map<string, TierCompiler>();
  /** The tier that produced the code `compile` returned last (the selected one, or a fallback). */
  lastTier: TierName = DEFAULT_TIER;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  compile(tierName: TierName, input: FunctionCompileInput, counters?: CompileCounters, fuel = false): FinishedCode {
    let tier = requireTier(tierName);
    let fellBack = false;
    for (;;) {
      let compiler = this.#compilers.get(tier.name);
      if (compiler === undefined) {
        compiler = tier.createCompiler(this.#backend);
        this.#compilers.set(tier.name, compiler);
      }
      const started = counters === undefined ? 0 : performance.now();
      try {
        if (fuel && !tier.fuelMetering) throw new UnsupportedError(`tier ${tier.name} cannot meter fuel`);
        const code = compiler.compile(input, fuel);
        this.lastTier = tier.name;
        if (counters !== undefined) {
          counters.countFunction(tier.name, input.body.code.bytes.length, code.code.length, performance.now() - started);
          if (fellBack) counters.add(tier.name, 'fallbacks');
        }
        return code;
      } catch (error) {
        if (!(error instanceof BackendBailout)) throw error;
        counters?.add(tier.name, 'bailouts');
        if (tier.fallback === null) throw error;
        fellBack = true;
        tier = requireTier(tier.fallback);
      }
    }
  }
}

/** The row of tier `name`; an unknown name is an `UnsupportedError` naming the known ones. */
export function requireTier(name: TierName): TierRow {
  const tier = tierNamed(name);
  if (tier === undefined) throw new UnsupportedError(`tier not supported: ${String(name)} (known: ${TIERS.map((t) => t.name).join(', ')})`);
  return tier;
}
