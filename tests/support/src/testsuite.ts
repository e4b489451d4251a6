// Where the WebAssembly spec testsuite is: `FLINT_TESTSUITE`, else the shared checkout at
// /work/shared/spec-testsuite. The one place tests (and the conformance harness) look for it.
import { existsSync } from 'node:fs';
import { available } from './environment.ts';

export const TESTSUITE: string = process.env['FLINT_TESTSUITE'] ?? '/work/shared/spec-testsuite';

/** `available` for tests that read the spec testsuite. */
export function hasTestsuite(): boolean {
  return available(`the spec testsuite (${TESTSUITE}; set FLINT_TESTSUITE to its path)`, existsSync(TESTSUITE));
}
