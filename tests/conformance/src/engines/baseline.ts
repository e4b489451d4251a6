// The executing engines: Flint's baseline and optimizing tiers on each native backend. Their scripts run in
// child processes (child-pool.ts → exec-child.ts) through the execution tests' WastRunner; arm64
// runs under qemu-user on an x64 host (arm64-emulation.ts).
import type { EngineUnderTest, ExecutionTarget } from '../engine.ts';
import { compileWithValidator } from './validate.ts';

/**
 * TEMPORARY: the runtime's compile path decodes with the core format only, so the
 * custom-page-sizes scripts (whose modules set the page-size bit of the limits flags) cannot be
 * run; this entry goes once `CompileOptions` passes decoder features through.
 */
const SKIPPED_GROUPS: ReadonlyMap<string, string> = new Map([
  ['proposals/custom-page-sizes', 'proposal not supported: custom-page-sizes (the runtime decodes the core format only)'],
]);

function executingEngine(name: string, arch: ExecutionTarget['arch'], lazy: boolean, tier: ExecutionTarget['tier']): EngineUnderTest {
  return {
    name,
    executes: true,
    // The runtime reports what it cannot run as it meets it (UnsupportedError, "proposal not
    // supported: <feature>" from the validator's features), so no feature is excluded up front.
    features: null,
    compile: compileWithValidator,
    execution: { arch, lazy, tier, skippedGroups: SKIPPED_GROUPS },
  };
}

export const baselineX64 = executingEngine('baseline-x64', 'x64', false, 'baseline');
export const baselineX64Lazy = executingEngine('baseline-x64-lazy', 'x64', true, 'baseline');
export const baselineArm64 = executingEngine('baseline-arm64', 'arm64', false, 'baseline');
/** The optimizing tier, verifying every function (IR verifier, allocation checker), baseline fallback per function. */
export const optimizingX64 = executingEngine('optimizing-x64', 'x64', false, 'optimizing');
export const optimizingArm64 = executingEngine('optimizing-arm64', 'arm64', false, 'optimizing');
