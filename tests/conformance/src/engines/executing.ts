// The executing engines: every registered tier on every registered backend, eager and lazy —
// derived from the runtime's tier and backend registries, so a new tier or ISA gets its engines
// without an edit here. Engine names are `<tier>-<backend>` and `<tier>-<backend>-lazy`. Their
// scripts run in child processes (child-pool.ts → exec-child.ts) through the execution tests'
// WastRunner, natively when the backend is the host's, else under the backend's emulator
// (child-spec.ts).
import { registeredBackends, registeredTiers } from '@flint/runtime';
import type { EngineUnderTest } from '../engine.ts';
import { compileWithValidator } from './validate.ts';

/**
 * TEMPORARY: the runtime's compile path decodes with the core format only, so the
 * custom-page-sizes scripts (whose modules set the page-size bit of the limits flags) cannot be
 * run; this entry goes once `CompileOptions` passes decoder features through.
 */
const SKIPPED_GROUPS: ReadonlyMap<string, string> = new Map([
  ['proposals/custom-page-sizes', 'proposal not supported: custom-page-sizes (the runtime decodes the core format only)'],
]);

/**
 * A tier that tiers up runs with a budget of 0 and synchronous tier-ups (see the runtime's
 * `EngineOptions.tierUpSynchronously`): each function runs its baseline code on its first call,
 * is recompiled by the top tier and installed inside that call, and runs optimized from the next
 * call on, so the suite checks both tiers' code and every installation under way.
 */
function tierEnvironment(tier: string): Record<string, string> {
  return registeredTiers().find((row) => row.name === tier)?.tierUpTo === undefined ? {} : { FLINT_TIER_UP_BUDGET: '0', FLINT_TIER_UP_SYNC: '1' };
}

export function executingEngine(tier: string, backend: string, lazy: boolean, extraEnv?: Record<string, string>, suffix = ''): EngineUnderTest {
  const env = { ...tierEnvironment(tier), ...extraEnv };
  return {
    name: `${tier}-${backend}${lazy ? '-lazy' : ''}${suffix}`,
    executes: true,
    // The runtime reports what it cannot run as it meets it (UnsupportedError, "proposal not
    // supported: <feature>" from the validator's features), so no feature is excluded up front.
    features: null,
    compile: compileWithValidator,
    execution: { backend, tier, lazy, skippedGroups: SKIPPED_GROUPS, ...(Object.keys(env).length === 0 ? {} : { env }) },
  };
}

/**
 * For every backend whose ISA has a CPU feature cap (`isa.cpuFeatureCap`), each tier once more
 * with the cap at the ISA's baseline, eagerly: `<tier>-<backend>-<baseline>` (`baseline-x64-sse2`),
 * which runs every fallback sequence over the whole suite. Each must pass exactly what the
 * uncapped engine passes (test/ratchet.test.ts compares their ratchets), except in the files of a
 * Wasm feature whose code needs a CPU feature the baseline lacks (x64 SIMD needs SSE4.1), which
 * that test lists.
 */
export const BASELINE_CAPPED_ENGINES: readonly { readonly engine: EngineUnderTest; readonly uncapped: string }[] = registeredBackends().flatMap((backend) => {
  const cap = backend.isa.cpuFeatureCap;
  if (cap === null) return [];
  return registeredTiers().map((tier) => ({
    engine: executingEngine(tier.name, backend.name, false, { [cap.variable]: cap.baseline }, `-${cap.baseline}`),
    uncapped: `${tier.name}-${backend.name}`,
  }));
});

/** Backend-major, so that engines sharing an emulator run one after the other. */
export const EXECUTING_ENGINES: readonly EngineUnderTest[] = registeredBackends().flatMap((backend) => [
  ...registeredTiers().flatMap((tier) => [executingEngine(tier.name, backend.name, false), executingEngine(tier.name, backend.name, true)]),
  ...BASELINE_CAPPED_ENGINES.filter(({ engine }) => engine.execution!.backend === backend.name).map(({ engine }) => engine),
]);
