import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

/**
 * Every source that decides generated code: the runtime's own (trampolines' callers, layouts it
 * fills), the decoder (what bodies mean), the backend contract, every compiler tier, and each
 * registered ISA's code generator as its `isa.json` lists them — found by pattern, so a new
 * tier or ISA package is covered without an edit here.
 */
function codegenSources(): string[] {
  const packages = '..';
  const dirs = ['src', `${packages}/decoder/src`, `${packages}/backend/src`];
  for (const name of readdirSync(packages).sort()) {
    if (name.startsWith('compiler-')) dirs.push(`${packages}/${name}/src`);
    const isaFile = join(packages, name, 'isa.json');
    if (name.startsWith('codegen-') && existsSync(isaFile)) {
      const isa = JSON.parse(readFileSync(isaFile, 'utf8')) as { codegenSources: string[] };
      for (const dir of isa.codegenSources) dirs.push(`${packages}/${name}/${dir}`);
    }
  }
  return dirs;
}

export default defineConfig({
  // compile/compile-worker.ts is the worker_threads entry the compile pool loads as
  // dist/compile-worker.js (next to the bundle that holds compile-pool.ts).
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'compile-worker': 'src/compile/compile-worker.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node18',
  define: { __FLINT_BUILD_ID__: JSON.stringify(hashSources(codegenSources())) },
});
