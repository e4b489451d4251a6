// How the JS API's engine (one per thread, made on first use) is configured: the namespace is a
// drop-in for the global `WebAssembly` and takes no options, so its opt-ins come from the
// environment, read when the engine is made — as Node's own compile cache (`NODE_COMPILE_CACHE`).
//
//   FLINT_CODE_CACHE=<directory>   the on-disk code cache (EngineOptions.codeCacheDirectory)
//
// Worker threads inherit the environment, so every thread of a process shares the directory.

import type { EngineOptions } from '../compile/engine.ts';

export function jsApiEngineOptions(env: Readonly<Record<string, string | undefined>> = process.env): EngineOptions {
  const directory = env['FLINT_CODE_CACHE'];
  return directory === undefined || directory === '' ? {} : { codeCacheDirectory: directory };
}
