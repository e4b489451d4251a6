// Fuel is deterministic across ISAs: the fuel scenarios consume the same fuel, return the same
// values and stop at the same point on arm64 (under qemu-user) as on x86-64.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRunArm64, runNativeAndArm64 } from '../helpers/emulated-child.ts';

describe.skipIf(!canRunArm64)('fuel on arm64 under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('consumes exactly the fuel it consumes on x86-64', async () => {
    const { native, emulated } = await runNativeAndArm64(fileURLToPath(new URL('./emulated/fuel-child.ts', import.meta.url)));
    const [n, e] = [native, emulated] as { arch: string; results: { fuel?: number; outcome?: string; error?: string }[] }[];
    expect([n!.arch, e!.arch]).toEqual(['x64', 'arm64']);
    expect(n!.results.length).toBeGreaterThan(0);
    expect(n!.results.filter((r) => r.error !== undefined).every((r) => r.error === 'RuntimeError: fuel exhausted')).toBe(true);
    expect(e!.results).toEqual(n!.results);
  }, 300_000);
});
