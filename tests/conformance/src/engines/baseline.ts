// The executing engines: Flint's baseline tier on each native backend. Their scripts run in
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

function baselineEngine(name: string, arch: ExecutionTarget['arch'], lazy: boolean, env?: Record<string, string>): EngineUnderTest {
  return {
    name,
    executes: true,
    // The runtime reports what it cannot run as it meets it (UnsupportedError, "proposal not
    // supported: <feature>" from the validator's features), so no feature is excluded up front.
    features: null,
    compile: compileWithValidator,
    execution: { arch, lazy, skippedGroups: SKIPPED_GROUPS, ...(env === undefined ? {} : { env }) },
  };
}

export const baselineX64 = baselineEngine('baseline-x64', 'x64', false);
export const baselineX64Lazy = baselineEngine('baseline-x64-lazy', 'x64', true);
/**
 * The x64 backend capped to plain x86-64 (SSE2, no optional CPU feature), so every fallback
 * sequence runs the whole suite; it must pass exactly what `baseline-x64` passes (ratchet.test.ts).
 */
export const baselineX64Sse2 = baselineEngine('baseline-x64-sse2', 'x64', false, { FLINT_X64_FEATURES: 'sse2' });
export const baselineArm64 = baselineEngine('baseline-arm64', 'arm64', false);
