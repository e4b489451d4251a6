// Where the WebAssembly spec testsuites are: `FLINT_TESTSUITE`, else `shared/spec-testsuite` beside
// the checkout (CI clones the repository with `../shared` next to it), else /work/shared. The one
// place tests and the harnesses look for them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { available } from './environment.ts';

/** The workspace root: the nearest folder above this file with pnpm-workspace.yaml (works from sources and bundles). */
function workspaceRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** `<checkout>/../shared/<name>` when it exists, else `/work/shared/<name>`. */
export function sharedPath(name: string): string {
  const root = workspaceRoot();
  const beside = root === null ? null : join(root, '..', 'shared', name);
  return beside !== null && existsSync(beside) ? beside : join('/work/shared', name);
}

export const TESTSUITE: string = process.env['FLINT_TESTSUITE'] ?? sharedPath('spec-testsuite');

/** `available` for tests that read the spec testsuite. */
export function hasTestsuite(): boolean {
  return available(`the spec testsuite (${TESTSUITE}; set FLINT_TESTSUITE to its path)`, existsSync(TESTSUITE));
}
