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

import type { Backend } from '@flint/backend';
import { CompileError, OPERATORS, OperatorReader, type Feature, type Module, type ModuleFeature, type OperatorInfo, type OperatorVisitor } from '@flint/decoder';
import { requireTier, type TierName, type TierRow } from './tiers.ts';

/** A valid module that uses a feature this engine (tier, backend, CPU) cannot execute. */
export class UnsupportedFeatureError extends CompileError {
  override name = 'CompileError';
  constructor(
    /** The feature's name (`simd`, `memory64`, `gc`, `exceptions`, …). */
    readonly feature: string,
    offset: number,
  ) {
    super(`proposal not supported: ${feature} (at byte 0x${offset.toString(16)})`, offset);
  }
}

/** A use of something a tier cannot run: the feature it belongs to and where the module first uses it. */
export interface UnsupportedUse {
  readonly feature: string;
  readonly offset: number;
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

/** The first use in `module` (valid, using `features`) that no tier of the chain can run on `backend`, or null. */
export function findUnsupportedUse(module: Module, features: Iterable<ModuleFeature>, tierName: TierName, backend: Backend): UnsupportedUse | null {
  const chain = chainOf(tierName);
  // Declarations (memories, tags, value types…): unsupported when every tier of the chain says so.
  const declared = chain.map((tier) => tier.unsupportedDeclaration(module, backend));
  if (declared.every((use) => use !== null)) return declared[0]!;
  // Operators: the features whose operators no tier of the chain compiles.
  const missing = new Set<string>();
  for (const feature of features) {
    if (OPERATOR_FEATURE_NAMES.has(feature) && !chain.some((tier) => tier.supportsOperators(feature as Feature, backend))) missing.add(feature);
  }
  if (missing.size === 0) return null;
  const reader = new OperatorReader();
  const visitor = new FirstUse(missing);
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

/** Throws the `UnsupportedFeatureError` for the first use the chain of `tierName` cannot run. */
export function checkFeatures(module: Module, features: Iterable<ModuleFeature>, tierName: TierName, backend: Backend): void {
  const use = findUnsupportedUse(module, features, tierName, backend);
  if (use !== null) throw new UnsupportedFeatureError(use.feature, use.offset);
}
