// Runs the real `flint` binary in a child process, as a user would: WASI programs write to
// host fds, so stdout and exit codes are only observable from outside. The binary is bundled
// from the TypeScript sources (through the `@flint/source` condition) once per test file, so
// the tests need no `pnpm build`; koffi stays external and resolves to the runtime's copy.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const examplesDir = join(repoRoot, 'examples');

interface Esbuild {
  buildSync(options: Record<string, unknown>): unknown;
}

let bundlePath: string | undefined;
const tempDirs: string[] = [];

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `flint-cli-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** The `flint` binary bundled from sources (run it with `process.execPath`). */
export function bundle(): string {
  if (bundlePath !== undefined) return bundlePath;
  // esbuild comes with tsup, the workspace's build tool.
  const fromTsup = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('tsup'));
  const esbuild = fromTsup('esbuild') as Esbuild;
  const dir = tempDir('bin');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(realpathSync(join(repoRoot, 'packages/runtime/node_modules/koffi')), join(dir, 'node_modules/koffi'));
  const outfile = join(dir, 'flint.mjs');
  esbuild.buildSync({
    entryPoints: [join(packageRoot, 'src/bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@flint/source'],
    external: ['koffi'],
    outfile,
    logLevel: 'error',
  });
  bundlePath = outfile;
  return outfile;
}

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runFlint(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): ProcessResult {
  const result = spawnSync(process.execPath, [bundle(), ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
