// The compile worker bundled from TypeScript sources, for tests of the real worker path: vitest
// runs the runtime from sources, where there is no dist/compile-worker.js, and a worker thread
// cannot load .ts files. Bundled once per test file into a temporary directory (workspace
// packages resolved to their sources through the @flint/source condition), so the test always
// runs the current worker code and needs no prior build.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

export async function bundleCompileWorker(): Promise<URL> {
  const outDir = mkdtempSync(join(tmpdir(), 'flint-compile-worker-'));
  await build({
    entry: { 'compile-worker': fileURLToPath(new URL('../../src/compile/compile-worker.ts', import.meta.url)) },
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
  return pathToFileURL(join(outDir, 'compile-worker.mjs'));
}
