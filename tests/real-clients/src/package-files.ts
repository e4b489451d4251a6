// Files inside an installed npm package, found through Node's resolution from this package (so a
// bundle of these sources finds them from wherever it is written, as long as the package is
// installed above it).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function packageDirectory(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

export function packageFile(name: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(packageDirectory(name), file)));
}

export function requirePackage<T>(specifier: string): T {
  return require(specifier) as T;
}
