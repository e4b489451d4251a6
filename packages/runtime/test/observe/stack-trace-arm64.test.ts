// Stack traces on arm64: the scenarios of stack-trace.test.ts run by an arm64 Node under qemu-user
// and by this machine's Node, from the same bundles; both must report the same Wasm frames and
// the same stacks.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRunArm64, runNativeAndArm64 } from '../helpers/emulated-child.ts';

describe.skipIf(!canRunArm64)('stack traces on arm64 under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('report the same Wasm frames and stacks as on x86-64', async () => {
    const { native, emulated } = await runNativeAndArm64(fileURLToPath(new URL('./emulated/stack-trace-child.ts', import.meta.url)));
    const [n, e] = [native, emulated] as { arch: string; results: unknown[] }[];
    expect([n!.arch, e!.arch]).toEqual(['x64', 'arm64']);
    expect(n!.results.length).toBeGreaterThan(0);
    expect(e!.results).toEqual(n!.results);
  }, 300_000);
});
