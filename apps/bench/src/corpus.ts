// The benchmark corpus: real-world modules from the npm registry (installed as devDependencies,
// so nothing large is committed), plus the WASI example shipped in the repo.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorpusModule {
  readonly name: string;
  /** What produced it, so a reader knows what kind of code it is. */
  readonly origin: string;
  readonly bytes: Uint8Array;
}

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

function fromPackage(pkg: string, file: string): Uint8Array {
  const root = dirname(require.resolve(`${pkg}/package.json`));
  return new Uint8Array(readFileSync(join(root, file)));
}

export function loadCorpus(): CorpusModule[] {
  return [
    { name: 'primes', origin: 'C, clang -O2 (examples/primes.c)', bytes: new Uint8Array(readFileSync(join(here, '../../../examples/primes.wasm'))) },
    { name: 'sqlite3', origin: 'C, emscripten (@sqlite.org/sqlite-wasm)', bytes: fromPackage('@sqlite.org/sqlite-wasm', 'sqlite-wasm/jswasm/sqlite3.wasm') },
    { name: 'esbuild', origin: 'Go (esbuild-wasm)', bytes: fromPackage('esbuild-wasm', 'esbuild.wasm') },
    { name: 'swc', origin: 'Rust, wasm-bindgen (@swc/wasm)', bytes: fromPackage('@swc/wasm', 'wasm_bg.wasm') },
  ];
}
