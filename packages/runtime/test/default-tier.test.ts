// The tier of compiles that name none: `EngineOptions.defaultTier`, and for the JS API's engine
// the FLINT_TIER environment variable, so code that calls only the standard API (a library
// loaded after `globalThis.WebAssembly` is replaced) runs on any registered tier.
import { describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { jsApiEngineOptions } from '../src/api/engine-options.ts';
import { DEFAULT_TIER, Engine, UnsupportedError, registeredTiers } from '../src/index.ts';
import { chainModule } from './helpers/chain-module.ts';

const isX64 = hostRunsX64();

it('FLINT_TIER names the default tier of the JS API engine; empty or absent leaves the engine default', () => {
  for (const { name } of registeredTiers()) expect(jsApiEngineOptions({ FLINT_TIER: name })).toEqual({ defaultTier: name });
  expect(jsApiEngineOptions({ FLINT_TIER: '' })).toEqual({});
  expect(jsApiEngineOptions({})).toEqual({});
  expect(jsApiEngineOptions({ FLINT_TIER: 'optimizing', FLINT_CODE_CACHE: '/var/cache/flint' })).toEqual({
    defaultTier: 'optimizing',
    codeCacheDirectory: '/var/cache/flint',
  });
});

it('an unregistered tier fails when the engine is configured, not at its first compile', () => {
  expect(() => jsApiEngineOptions({ FLINT_TIER: 'turbofan' })).toThrow(UnsupportedError);
  expect(() => jsApiEngineOptions({ FLINT_TIER: 'turbofan' })).toThrow(/FLINT_TIER=turbofan names no tier \(known: baseline/);
  expect(() => new Engine({ compileWorkers: 0, defaultTier: 'turbofan' })).toThrow(/tier not supported: turbofan/);
});

describe.skipIf(!isX64)('compiling on the default tier (places code: needs an x86-64 Linux host)', () => {
  const functions = 3;
  const bytes = chainModule({ functions, padding: 1 });

  for (const { name } of registeredTiers()) {
    it(`defaultTier '${name}' compiles on ${name} what names no tier, and an explicit tier still wins`, async () => {
      const engine = new Engine({ compileWorkers: 0, defaultTier: name });
      expect(engine.compile(bytes).options.tier).toBe(name);
      expect((await engine.compileAsync(chainModule({ functions, padding: 2 }))).options.tier).toBe(name);
      expect(engine.compileStats().tiers[name]!.functions).toBe(2 * functions);
      const other = registeredTiers().find((tier) => tier.name !== name)?.name;
      if (other !== undefined) expect(engine.compile(bytes, { tier: other }).options.tier).toBe(other);
    });
  }

  it(`without it the engine compiles on ${DEFAULT_TIER}`, () => {
    expect(new Engine({ compileWorkers: 0 }).compile(bytes).options.tier).toBe(DEFAULT_TIER);
  });
});
