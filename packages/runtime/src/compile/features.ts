// Feature truth: what the engine cannot execute, it does not claim to accept. A valid module that
// uses an operator, a type or a declaration the tier it is compiled with cannot run — counting
// the tiers a function falls back to — on this backend and CPU is rejected: `validate` answers
// false and compiling throws an `UnsupportedFeatureError`, a `CompileError` naming the feature
// and the offset of its first use. This holds in eager and lazy mode alike, so feature detection
// (wasm-feature-detect, `WebAssembly.validate` of a probe module) tells the truth and libraries
// pick a build the engine can run.
//
// The validator reports which proposals a module touches; only when one of them is a feature
// whose operators some tier cannot compile are the bodies scanned for the first such operator
// (a proposal's types alone, e.g. GC subtyping, may be fine while its instructions are not).

import type { Backend, CpuFeatureSet } from '@flint/backend';
import { CompileError, OPERATORS, OperatorReader, type Feature, type Module, type ModuleFeature, type OperatorInfo, type OperatorVisitor } from '@flint/decoder';
import { requireTier, type TierName, type TierRow } from './tiers.ts';

/** A valid module that uses a feature this engine (tier, backend, CPU) cannot execute. */
export class UnsupportedFeatureError extends CompileError {
  override name = 'CompileError';
  constructor(
    /** The feature's name (`simd`, `memory64`, `gc`, `exceptions`, …). */
    readonly feature: string,
    offset: number,
    /** Why, when it is not simply that no tier implements it (e.g. the CPU lacks an extension). */
    readonly why = '',
  ) {
    super(`proposal not supported: ${feature}${why === '' ? '' : ` (${why})`} (at byte 0x${offset.toString(16)})`, offset);
  }
}

/** A use of something a tier cannot run: the feature it belongs to and where the module first uses it. */
export interface UnsupportedUse {
  readonly feature: string;
  readonly offset: number;
  readonly why?: string;
}

/** The features that have operators (the opcode table's). */
const OPERATOR_FEATURE_NAMES: ReadonlySet<string> = new Set(OPERATORS.map((op) => op.feature));

/** The tiers a function compiled with `tierName` may end up in: the tier, then its fallbacks. */
function chainOf(tierName: TierName): TierRow[] {
  const chain: TierRow[] = [];
  for (let tier: TierName | null = tierName; tier !== null; tier = requireTier(tier).fallback) chain.push(requireTier(tier));
  return chain;
}

/** Finds the first operator whose feature is in `features`. */
class FirstUse implements OperatorVisitor {
  found: UnsupportedUse | null = null;
  constructor(readonly features: ReadonlySet<string>) {}
  visit(op: OperatorInfo, _imm: unknown, offset: number): void {
    if (this.found === null && this.features.has(op.feature)) this.found = { feature: op.feature, offset };
  }
}

/**
 * The first use in `module` (valid, using `features`) that no tier of the chain can run on
 * `backend` with the CPU features `cpu`, or null.
 */
export function findUnsupportedUse(module: Module, features: Iterable<ModuleFeature>, tierName: TierName, backend: Backend, cpu: CpuFeatureSet): UnsupportedUse | null {
  const chain = chainOf(tierName);
  // The CPU: code for some features needs instruction-set extensions (x64 SIMD needs SSE4.1),
  // as V8 rejects SIMD modules on CPUs without them.
  for (const feature of features) {
    const missing = backend.cpuFeatures.missingFor(feature, cpu);
    if (missing.length === 0) continue;
    const variable = backend.isa.cpuFeatureCap?.variable;
    const why = `this CPU lacks ${missing.join(', ')}; in use: ${cpu}${variable === undefined ? '' : `, which ${variable} may limit`}`;
    return { ...firstUseOf(module, feature), why };
  }
  // Declarations (memories, tags, value types…): unsupported when every tier of the chain says so.
  const declared = chain.map((tier) => tier.unsupportedDeclaration(module, backend));
  if (declared.every((use) => use !== null)) return declared[0]!;
  // Operators: the features whose operators no tier of the chain compiles.
  const missing = new Set<string>();
  for (const feature of features) {
    if (OPERATOR_FEATURE_NAMES.has(feature) && !chain.some((tier) => tier.supportsOperators(feature as Feature, backend))) missing.add(feature);
  }
  return missing.size === 0 ? null : firstOperatorOf(module, missing);
}

/** The first operator (in bodies, then constant expressions) whose feature is in `features`, or null. */
function firstOperatorOf(module: Module, features: ReadonlySet<string>): UnsupportedUse | null {
  const reader = new OperatorReader();
  const visitor = new FirstUse(features);
  for (const body of module.codes) {
    reader.read(body.code, 0, visitor);
    if (visitor.found !== null) return visitor.found;
  }
  // Constant expressions use operators too (e.g. v128.const in a global's initializer).
  for (const init of module.globalInits) {
    reader.read(init, 0, visitor, false);
    if (visitor.found !== null) return visitor.found;
  }
  return null;
}

/** Where `module` first uses `feature`: its first operator of it, else its first type, else 0. */
function firstUseOf(module: Module, feature: string): UnsupportedUse {
  return firstOperatorOf(module, new Set([feature])) ?? { feature, offset: module.types[0]?.offset ?? 0 };
}

/** Throws the `UnsupportedFeatureError` for the first use the chain of `tierName` cannot run. */
export function checkFeatures(module: Module, features: Iterable<ModuleFeature>, tierName: TierName, backend: Backend, cpu: CpuFeatureSet): void {
  const use = findUnsupportedUse(module, features, tierName, backend, cpu);
  if (use !== null) throw new UnsupportedFeatureError(use.feature, use.offset, use.why);
}
