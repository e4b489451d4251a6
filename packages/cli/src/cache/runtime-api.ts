// What the code cache needs of the runtime. The runtime cannot serialise compiled code yet:
// these are the functions the CLI asks of it, looked up at run time so that `flint compile`
// reports clearly until they exist (and `flint run` then recompiles from the cached bytes).
//
// Requested of @flint/runtime:
//   serializeModule(module: WebAssembly.Module): Uint8Array
//     code bytes of every function, relocations (targets symbolic: builtins, functions, trap
//     exit), trap sites, and whatever metadata instantiation needs beyond the module bytes;
//   deserializeModule(moduleBytes: Uint8Array, payload: Uint8Array, options: CompileOptions): WebAssembly.Module
//     re-decodes the module bytes (cheap, and it re-validates them), places the code without
//     compiling, resolves the relocations against this process; throws on a payload it did
//     not write (the runtime owns that format and its own version check);
//   ENGINE_VERSION: string — changes whenever generated code may change (a build id, not only
//     the package version).
import * as runtime from '@flint/runtime';
import runtimePackage from '@flint/runtime/package.json' with { type: 'json' };
import type { CompileOptions, WebAssembly } from '@flint/runtime';

type WasmModule = InstanceType<typeof WebAssembly.Module>;

export interface CodeSerializer {
  serializeModule(module: WasmModule): Uint8Array;
  deserializeModule(moduleBytes: Uint8Array, payload: Uint8Array, options: CompileOptions): WasmModule;
}

const api = runtime as Record<string, unknown>;

/** The runtime's serialiser, or null while it has none. */
export function codeSerializer(): CodeSerializer | null {
  const serialize = api['serializeModule'];
  const deserialize = api['deserializeModule'];
  if (typeof serialize !== 'function' || typeof deserialize !== 'function') return null;
  return { serializeModule: serialize as CodeSerializer['serializeModule'], deserializeModule: deserialize as CodeSerializer['deserializeModule'] };
}

/** The engine version caches are keyed by: the runtime's own, else its package version. */
export function engineVersion(): string {
  const version = api['ENGINE_VERSION'];
  return typeof version === 'string' ? version : `@flint/runtime@${runtimePackage.version}`;
}

export const MISSING_SERIALIZER = 'this build of the runtime cannot serialise compiled code yet (it needs serializeModule/deserializeModule from @flint/runtime)';
