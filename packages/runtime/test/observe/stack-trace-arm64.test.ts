// Stack traces on arm64: the scenarios of stack-trace.test.ts run by an arm64 Node under qemu-user
// and by this machine's Node, from the same bundles; both must report the same Wasm frames and
// the same stacks. The runtime is bundled on its own (runtime.cjs) and the scenario program
// (child.cjs) requires it, so the runtime tells its frames from the program's as in real use.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const NODE_SH = join(REPO, 'packages/codegen-arm64/emulation/node.sh');
const CACHE = process.env.FLINT_ARM64_CACHE ?? join(REPO, '.cache');
const ARM64_KOFFI_MODULES = join(CACHE, 'arm64-koffi/node_modules');
const HOST_KOFFI_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

function hasQemu(): boolean {
  try {
    execFileSync('qemu-aarch64', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Skipped (not failed) without the emulator, the sysroot or the arm64 koffi, like the backend's
// other emulated tests: packages/codegen-arm64/emulation/build-sysroot.sh and smoke.sh provide them
// (CI runs both before the tests).
const canRun = process.arch === 'x64' && hasQemu() && existsSync(join(CACHE, 'arm64-sysroot/usr/bin/node')) && existsSync(join(ARM64_KOFFI_MODULES, 'koffi'));

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

/** The runtime and the scenario program as two CommonJS bundles for Node 18 (the sysroot's). */
async function bundle(dir: string): Promise<string> {
  const esbuild = createRequire(createRequire(join(REPO, 'package.json')).resolve('tsup'))('esbuild') as Esbuild;
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    conditions: ['@flint/source'],
    logLevel: 'error',
    // CommonJS has no import.meta: the runtime reads its own location from it (stack-trace.ts).
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  };
  const runtime = join(dir, 'runtime', 'runtime.cjs');
  await esbuild.build({ ...common, entryPoints: [join(REPO, 'packages/runtime/src/index.ts')], outfile: runtime, external: ['koffi'] });
  const child = join(dir, 'child', 'child.cjs');
  await esbuild.build({
    ...common,
    entryPoints: [fileURLToPath(new URL('./emulated/stack-trace-child.ts', import.meta.url))],
    outfile: child,
    plugins: [
      {
        name: 'runtime-bundle',
        setup(build: { onResolve(options: { filter: RegExp }, resolve: () => { path: string; external: boolean }): void }) {
          build.onResolve({ filter: /^@flint\/runtime$/ }, () => ({ path: runtime, external: true }));
        },
      },
    ],
  });
  return child;
}

describe.skipIf(!canRun)('stack traces on arm64 under qemu-user (needs packages/codegen-arm64/emulation setup)', () => {
  it('report the same Wasm frames and stacks as on x86-64', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-stack-arm64-'));
    try {
      const child = await bundle(dir);
      const run = (command: string, args: string[], koffiModules: string) =>
        JSON.parse(execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, NODE_PATH: koffiModules }, timeout: 280_000 }).trim().split('\n').pop()!) as { arch: string; results: unknown[] };
      const native = run(process.execPath, ['--stack-size=984', child], HOST_KOFFI_MODULES);
      const emulated = run(NODE_SH, ['--stack-size=984', child], ARM64_KOFFI_MODULES);
      expect([native.arch, emulated.arch]).toEqual(['x64', 'arm64']);
      expect(native.results.length).toBeGreaterThan(0);
      expect(emulated.results).toEqual(native.results);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
