// The debugger on arm64: the scenarios of debugger.test.ts (breakpoints, stepping, locals) run by an
// arm64 Node under qemu-user and by this machine's Node; both must see exactly the same pauses.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRunArm64, runNativeAndArm64 } from '../helpers/emulated-child.ts';

describe.skipIf(!canRunArm64)('debugger on arm64 under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('pauses, steps and reads frames exactly as on x86-64', async () => {
    const { native, emulated } = await runNativeAndArm64(fileURLToPath(new URL('./emulated/debugger-child.ts', import.meta.url)));
    const [n, e] = [native, emulated] as { arch: string; results: { traces: { pauses: unknown[] }[] }[] }[];
    expect([n!.arch, e!.arch]).toEqual(['x64', 'arm64']);
    // The native run is checked against the programs' semantics by debugger.test.ts.
    expect(n!.results.flatMap((r) => r.traces).every((t) => t.pauses.length > 0)).toBe(true);
    expect(e!.results).toEqual(n!.results);
  }, 300_000);
});
