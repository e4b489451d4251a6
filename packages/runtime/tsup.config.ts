import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

// The build id that keys code caches: a hash of every source that decides what machine code the
// engine generates, so a cache written by one build is rejected by any build whose code could
// differ, even when package versions did not change.
function hashSources(dirs: readonly string[]): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) hash.update(path).update(readFileSync(path));
    }
  };
  for (const dir of dirs) walk(dir);
  return hash.digest('hex').slice(0, 16);
}

const CODEGEN_SOURCES = ['src', '../backend/src', '../compiler-baseline/src', '../codegen-x64/src', '../codegen-arm64/src'];

export default defineConfig({
  // compile/compile-worker.ts is the worker_threads entry the compile pool loads as
  // dist/compile-worker.js (next to the bundle that holds compile-pool.ts).
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'compile-worker': 'src/compile/compile-worker.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node18',
  define: { __FLINT_BUILD_ID__: JSON.stringify(hashSources(CODEGEN_SOURCES)) },
});
