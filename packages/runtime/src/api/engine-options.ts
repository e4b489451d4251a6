// How the JS API's engine (one per thread, made on first use) is configured: the namespace is a
// drop-in for the global `WebAssembly` and takes no options, so its opt-ins come from the
// environment, read when the engine is made — as Node's own compile cache (`NODE_COMPILE_CACHE`).
//
//   FLINT_CODE_CACHE=<directory>   the on-disk code cache (EngineOptions.codeCacheDirectory)
//   FLINT_TIER=<tier>              the tier of compiles that name none (EngineOptions.defaultTier),
//                                  so code that calls only the standard API runs on any tier
//
// Worker threads inherit the environment, so every thread of a process shares both.

import type { EngineOptions } from '../compile/engine.ts';
import { registeredTiers, tierNamed } from '../compile/tiers.ts';
import { UnsupportedError } from '../errors.ts';

export function jsApiEngineOptions(env: Readonly<Record<string, string | undefined>> = process.env): EngineOptions {
  const directory = env['FLINT_CODE_CACHE'];
  const tier = env['FLINT_TIER'];
  return {
    ...(directory === undefined || directory === '' ? {} : { codeCacheDirectory: directory }),
    ...(tier === undefined || tier === '' ? {} : { defaultTier: environmentTier(tier) }),
  };
}

/** An unknown name fails when the engine is made, naming the variable, not at some later compile. */
function environmentTier(name: string): string {
  const tier = tierNamed(name);
  if (tier === undefined) {
    throw new UnsupportedError(`FLINT_TIER=${name} names no tier (known: ${registeredTiers().map((t) => t.name).join(', ')})`);
  }
  return tier.name;
}
