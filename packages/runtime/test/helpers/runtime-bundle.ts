// A script using the runtime, bundled from TypeScript sources for a worker thread or a child
// process (neither can load .ts files). The bundle goes under the runtime's node_modules, so that
// its one external import, koffi, resolves to the runtime's own.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

const runtimeDir = fileURLToPath(new URL('../../', import.meta.url));

/** Bundles `source` (a module that may import '@flint/runtime') and returns the bundle's URL. */
export async function bundleRuntimeScript(name: string, source: string): Promise<URL> {
  const outDir = mkdtempSync(join(runtimeDir, 'node_modules', '.flint-test-'));
  const entry = join(outDir, `${name}.src.ts`);
  writeFileSync(entry, source.replaceAll("'@flint/runtime'", `'${join(runtimeDir, 'src', 'index.ts')}'`));
  await build({
    entry: { [name]: entry },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/^@flint\//, /src\/index\.ts$/],
    external: ['koffi'],
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
