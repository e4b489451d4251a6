// One seed end to end: generate, validate with both validators, run on both engines, and on a
// mismatch shrink it and describe it so that it can be reproduced with `DIFF_SEED=<seed>`.
import { validate } from '@flint/decoder';
import { printModule } from '@flint/text';
import type { GeneratedModule } from './generator/module-generator.ts';
import type { GeneratorFeatures } from './generator/module-context.ts';
import { ALL_FEATURES } from './generator/module-context.ts';
import { generateModule } from './generator/module-generator.ts';
import { formatValue } from './js-values.ts';
import type { Mismatch, PlannedCall, WasmNamespaceLike } from './runner.ts';
import { NODE_WEBASSEMBLY, planCalls, runDifferential } from './runner.ts';
import { findKnownMismatch } from './allow-list.ts';
import { shrinkMismatch } from './shrink.ts';
import { failureClass, failureSignature, operatorsOf } from './signature.ts';

export interface SeedFailure {
  readonly seed: number;
  /** `invalid` is a generator bug: the module must be valid for both validators. */
  readonly kind: 'invalid' | 'mismatch';
  readonly signature: string;
  /** The failure class (the allow-list key) and the shrunk module's operators. */
  readonly failureClass: string;
  readonly operators: readonly string[];
  /** Human-readable report: the failing call, both outcomes, the shrunk module as WAT. */
  readonly report: string;
}

export interface CheckOptions {
  /** Shrink mismatches before reporting (slower; on by default). */
  readonly shrink?: boolean;
  readonly reference?: WasmNamespaceLike;
}

const comparedGlobals = (module: GeneratedModule): string[] => ['fuel', ...module.globals];

export function describeCall(call: PlannedCall | null): string {
  return call === null ? '(before any call)' : `${call.name}(${call.args.map(formatValue).join(', ')}) with fuel ${call.fuel}`;
}

function printOrHex(bytes: Uint8Array): string {
  try {
    return printModule(bytes);
  } catch (error) {
    return `(not printable: ${String(error)})\n${Buffer.from(bytes).toString('hex')}`;
  }
}

/**
 * Checks one seed; returns null when both engines agree on everything. A module Flint rejects
 * with a known bailout (see the allow-list) is reported as that, and the seed is checked again
 * without the feature that caused it, so that the rest of the seed is still tested.
 */
export function checkSeed(seed: number, engine: WasmNamespaceLike, options: CheckOptions = {}): SeedFailure[] {
  const first = checkModule(generateModule(seed), engine, options);
  if (first === null) return [];
  if (first.kind === 'mismatch' && first.failureClass.startsWith('compile:') && first.failureClass.includes('tail calls')) {
    const again = checkModule(generateModule(seed, undefined, WITHOUT_TAIL_CALLS), engine, options);
    return again === null ? [first] : [first, again];
  }
  return [first];
}

const WITHOUT_TAIL_CALLS: GeneratorFeatures = { ...ALL_FEATURES, tailCalls: false };

function checkModule(module: GeneratedModule, engine: WasmNamespaceLike, options: CheckOptions): SeedFailure | null {
  const seed = module.seed;
  const reference = options.reference ?? NODE_WEBASSEMBLY;
  let flintVerdict = 'valid';
  try {
    validate(module.bytes);
  } catch (error) {
    flintVerdict = String(error);
  }
  const v8Valid = (reference as unknown as { validate?: (b: Uint8Array) => boolean }).validate?.(module.bytes) ?? true;
  if (flintVerdict !== 'valid' || !v8Valid) {
    const report = `seed ${seed}: generated module is invalid (a generator bug)\n  @flint/decoder: ${flintVerdict}\n  V8 validate: ${v8Valid}\n${printOrHex(module.bytes)}`;
    return { seed, kind: 'invalid', signature: 'invalid module', failureClass: 'invalid module', operators: [], report };
  }
  const calls = planCalls(module);
  const mismatch = runDifferential(module.bytes, calls, comparedGlobals(module), engine, reference);
  if (mismatch === null) return null;
  return describeMismatch(module, calls, mismatch, engine, reference, options.shrink ?? true);
}

function describeMismatch(
  module: GeneratedModule,
  calls: readonly PlannedCall[],
  mismatch: Mismatch,
  engine: WasmNamespaceLike,
  reference: WasmNamespaceLike,
  shrink: boolean,
): SeedFailure {
  // A known failure that no operator pins down (a bailout) needs no shrinking to be recognised.
  const knownWithoutOperator = findKnownMismatch(failureClass(mismatch), []) !== undefined;
  const shrunk = shrink && !knownWithoutOperator
    ? shrinkMismatch(module, calls, mismatch, (m, c) => runDifferential(m.bytes, c, comparedGlobals(m), engine, reference))
    : { module, calls: calls.slice(0, mismatch.callIndex + 1), mismatch, attempts: 0 };
  const signature = failureSignature(shrunk.mismatch, shrunk.module.bytes);
  const operators = operatorsOf(shrunk.module.bytes);
  const m = shrunk.mismatch;
  const lines = [
    `seed ${module.seed}${module.features.tailCalls ? '' : ' (regenerated without tail calls)'}: ${m.aspect} mismatch at call #${mismatch.callIndex} ${describeCall(mismatch.call)}`,
    `  v8:    ${mismatch.v8}`,
    `  flint: ${mismatch.flint}`,
    `  signature: ${signature}`,
    `  reproduce: DIFF_SEED=${module.seed} npx vitest run test/differential.test.ts (in tests/differential)`,
    `  shrunk (${shrunk.attempts} attempts): calls ${shrunk.calls.map(describeCall).join('; ')}`,
    `    v8:    ${m.v8}`,
    `    flint: ${m.flint}`,
    printOrHex(shrunk.module.bytes),
  ];
  return { seed: module.seed, kind: 'mismatch', signature, failureClass: failureClass(shrunk.mismatch), operators, report: lines.join('\n') };
}
