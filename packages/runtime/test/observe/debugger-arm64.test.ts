// The debugger on arm64: the scenarios of debugger.test.ts (breakpoints, stepping, locals) run by an
// arm64 Node under qemu-user and by this machine's Node; both must see exactly the same pauses.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRunArm64, runNativeAndArm64 } from '../helpers/emulated-child.ts';

describe.skipIf(!canRunArm64)('debugger on arm64 under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('pauses, steps and reads frames exactly as on x86-64', async () => {
    const { native, emulated } = await runNativeAndArm64(fileURLToPath(new URL('./emulated/debugger-child.ts', import.meta.url)));
    const [n, e] = [native, emulated] as { arch: string; results: { traces: { name: string; pauses: unknown[] }[] }[] }[];
    expect([n!.arch, e!.arch]).toEqual(['x64', 'arm64']);
    // The native run is checked against the programs' semantics by debugger.test.ts.
    expect(n!.results.flatMap((r) => r.traces).every((t) => t.pauses.length > 0)).toBe(true);
    // A capped x64 host (FLINT_X64_FEATURES=sse2) runs no SIMD scenario; arm64 always can. Compare
    // the scenarios both ran, and require every one of them on an uncapped host.
    const ranNatively = new Set(n!.results.flatMap((r) => r.traces.map((t) => t.name)));
    if (process.env['FLINT_X64_FEATURES'] === undefined) expect(ranNatively.size).toBe(new Set(e!.results.flatMap((r) => r.traces.map((t) => t.name))).size);
    expect(e!.results.map((r) => ({ ...r, traces: r.traces.filter((t) => ranNatively.has(t.name)) }))).toEqual(n!.results);
  }, 300_000);
});
