// Dynamic tiering on arm64: the scenario of tier-up.test.ts, through the public API, run by an arm64
// Node under qemu-user and by this machine's Node from the same bundles; both must tier `f` up and
// see the same results through every way into it.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRunArm64, runNativeAndArm64 } from './helpers/emulated-child.ts';
import { WAYS, expected } from './helpers/tier-up-modules.ts';

interface Outcome {
  before: number[];
  after: number[];
  optimized: boolean;
  baselineRanAfter: boolean;
  tiers: string[];
  tierUps: number;
}

describe.skipIf(!canRunArm64)('dynamic tiering on arm64 under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('tiers a hot function up and every way in runs the optimized code, as on x86-64', async () => {
    const { native, emulated } = await runNativeAndArm64(fileURLToPath(new URL('./emulated/tier-up-child.ts', import.meta.url)));
    const [n, e] = [native, emulated] as { arch: string; results: Outcome[] }[];
    expect([n!.arch, e!.arch]).toEqual(['x64', 'arm64']);
    const want = WAYS.flatMap(() => [0, 5, -9, 0x7fffffff].map(expected));
    expect(n!.results).toHaveLength(4);
    for (const outcome of e!.results) {
      expect(outcome).toMatchObject({ before: want, after: want, optimized: true, baselineRanAfter: false });
      // f at least; with a budget of 0, every function called tiers up.
      expect(outcome.tierUps).toBeGreaterThanOrEqual(1);
      expect(outcome.tiers).toEqual(['optimizing', 'tiered']);
    }
    expect(e!.results).toEqual(n!.results);
  }, 300_000);
});
