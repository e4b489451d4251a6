// Environment skips that cannot shrink coverage quietly. A test that needs something of the
// machine — a tool on the PATH, the spec testsuite, the host's architecture, a built sysroot —
// asks `available(what, present)`. On a developer's machine an absent dependency skips those
// tests (their names say why). With FLINT_REQUIRE_ENV=1, which CI sets for `pnpm test`, it
// throws instead, so the test file fails: a CI machine that lost a tool fails loudly rather than
// running fewer tests.
import { spawnSync } from 'node:child_process';

/** Set by CI (`.ci/run`): every environment dependency of a test must be present. */
export const REQUIRE_ENV = process.env['FLINT_REQUIRE_ENV'] === '1';

/**
 * True when `present`. When not: false (skip the tests that need `what`), or, under
 * FLINT_REQUIRE_ENV=1, an `Error` naming `what`. Use it where the skip is decided:
 * `describe.skipIf(!available('aarch64-linux-gnu-objdump', hasCommand('aarch64-linux-gnu-objdump')))`.
 */
export function available(what: string, present: boolean): boolean {
  if (present) return true;
  if (REQUIRE_ENV) throw new Error(`FLINT_REQUIRE_ENV=1: ${what} is missing here, so the tests that need it cannot run`);
  return false;
}

/** Whether `command --version` runs (a tool on the PATH, or an absolute path). */
export function hasCommand(command: string): boolean {
  const result = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

/** The host runs x86-64 Linux code natively (the CI machine's platform). */
export const onX64Linux = process.arch === 'x64' && process.platform === 'linux';

/** `available` for tests that run generated x86-64 code in this process. */
export function hostRunsX64(): boolean {
  return available('an x86-64 Linux host (these tests run generated x86-64 code)', onX64Linux);
}
