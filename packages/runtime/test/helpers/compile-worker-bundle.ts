// The compile worker bundled from TypeScript sources, for tests of the real worker path: vitest
// runs the runtime from sources, where there is no dist/compile-worker.js, and a worker thread
// cannot load .ts files. Bundled once per test file into a temporary directory (workspace
// packages resolved to their sources through the @flint/source condition), so the test always
// runs the current worker code and needs no prior build.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

export async function bundleCompileWorker(): Promise<URL> {
  return bundleWorker(new URL('../../src/compile/compile-worker.ts', import.meta.url), 'compile-worker');
}

/**
 * Bundles a worker entry (a TypeScript file) with the runtime's sources into a temporary `.mjs`,
 * under the runtime's node_modules so that the bundle's one external import (koffi) resolves.
 */
export async function bundleWorker(entry: URL, name: string): Promise<URL> {
  const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, `flint-${name}-`));
  await build({
    entry: { [name]: fileURLToPath(entry) },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/^@flint\//],
    outExtension: () => ({ js: '.mjs' }),
    esbuildOptions(options) {
      options.conditions = ['@flint/source'];
    },
    config: false,
    dts: false,
    sourcemap: false,
    splitting: false,
    silent: true,
  });
  return pathToFileURL(join(outDir, `${name}.mjs`));
}
