// Runs a test program natively and on an emulated arm64 CPU (Node for arm64 under qemu-user, from
// packages/codegen-arm64/emulation) and returns what each printed, for tests that demand the same
// behaviour from both backends. The program is bundled for Node 18 (the sysroot's) with the runtime
// in a bundle of its own, so the runtime tells its frames from the program's as in real use.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * Whether arm64 programs can run here: an x86-64 host with qemu-aarch64, the sysroot and the arm64
 * koffi (packages/codegen-arm64/emulation/build-sysroot.sh and smoke.sh; CI runs both before the
 * tests). Without them the tests are skipped, like the backend's other emulated tests.
 */
export const canRunArm64 = process.arch === 'x64' && hasQemu() && existsSync(join(CACHE, 'arm64-sysroot/usr/bin/node')) && existsSync(join(ARM64_KOFFI_MODULES, 'koffi'));

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

async function bundle(entry: string, dir: string): Promise<string> {
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
    entryPoints: [entry],
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

/** What the program at `entry` (a .ts file printing one JSON line last) printed natively and under emulation. */
export async function runNativeAndArm64(entry: string): Promise<{ native: unknown; emulated: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'flint-arm64-child-'));
  try {
    const child = await bundle(entry, dir);
    const run = (command: string, koffiModules: string) =>
      JSON.parse(execFileSync(command, ['--stack-size=984', child], { encoding: 'utf8', env: { ...process.env, NODE_PATH: koffiModules }, timeout: 280_000 }).trim().split('\n').pop()!) as unknown;
    return { native: run(process.execPath, HOST_KOFFI_MODULES), emulated: run(NODE_SH, ARM64_KOFFI_MODULES) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
