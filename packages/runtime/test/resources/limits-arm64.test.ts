// Limits on arm64 (under qemu-user): caps bound growth as on x86-64, and the default Wasm stack
// reaches at least the depth the arm64 V8 reaches, scaling with the configured size.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRunArm64, runNativeAndArm64 } from '../helpers/emulated-child.ts';

interface Row {
  tier: string;
  grow: number[];
  v8Depth: number;
  depth: number;
  error: string;
  small: number;
  large: number;
  deepest: number;
  deep: string[];
}

describe.skipIf(!canRunArm64)('limits on arm64 under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('caps growth as on x86-64; the stack reaches V8’s depth, follows its size, and keeps room for host calls', async () => {
    const { native, emulated } = await runNativeAndArm64(fileURLToPath(new URL('./emulated/limits-child.ts', import.meta.url)));
    const [n, e] = [native, emulated] as { arch: string; results: Row[] }[];
    expect([n!.arch, e!.arch]).toEqual(['x64', 'arm64']);
    expect(e!.results.map((r) => r.tier)).toEqual(n!.results.map((r) => r.tier));
    for (const [i, row] of e!.results.entries()) {
      expect(row.grow).toEqual(n!.results[i]!.grow);
      expect(row.grow).toEqual([-1, 1, -1, -1, 2, -1]);
      expect(row.error).toBe('RuntimeError: call stack exhausted');
      expect(row.depth).toBeGreaterThanOrEqual(row.v8Depth);
      expect(row.large / row.small).toBeGreaterThan(3.9);
      expect(row.large / row.small).toBeLessThan(4.1);
      expect(row.deepest).toBeGreaterThan(row.large);
      // A host call from the deepest frames, calling back into Wasm, traps or fits; never crashes.
      expect(row.deep[0]).toBe('RuntimeError: call stack exhausted');
      expect(row.deep.slice(-3)).toEqual(['leaf 7', 'descend(depth - 512) returned', 'host calls 4']);
    }
  }, 300_000);
});
