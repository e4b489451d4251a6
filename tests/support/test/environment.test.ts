// The switch must turn a skip into a failure, and only under FLINT_REQUIRE_ENV=1.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasCommand } from '../src/index.ts';

/** A fresh copy of the module, evaluated with FLINT_REQUIRE_ENV set to `value`. */
async function environmentWith(value: string | undefined) {
  vi.resetModules();
  vi.stubEnv('FLINT_REQUIRE_ENV', value);
  return import('../src/environment.ts');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('available', () => {
  it('skips a missing dependency on a developer machine', async () => {
    const { available, REQUIRE_ENV } = await environmentWith(undefined);
    expect(REQUIRE_ENV).toBe(false);
    expect(available('a tool that is not there', false)).toBe(false);
    expect(available('node', true)).toBe(true);
  });

  it('fails, naming the dependency, under FLINT_REQUIRE_ENV=1', async () => {
    const { available, REQUIRE_ENV } = await environmentWith('1');
    expect(REQUIRE_ENV).toBe(true);
    expect(() => available('a tool that is not there', false)).toThrow('FLINT_REQUIRE_ENV=1: a tool that is not there is missing here');
    expect(available('node', true)).toBe(true);
  });

  it('only the value 1 switches it on', async () => {
    expect((await environmentWith('0')).REQUIRE_ENV).toBe(false);
    expect((await environmentWith('')).REQUIRE_ENV).toBe(false);
  });
});

describe('hasCommand', () => {
  it('finds node and not a made-up command', () => {
    expect(hasCommand(process.execPath)).toBe(true);
    expect(hasCommand('flint-no-such-command-42')).toBe(false);
  });
});
