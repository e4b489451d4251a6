// What the code of one thread may take: the embedder's caps, on top of the spec's and the
// engine's own limits (decoder/limits.ts). Untrusted code can then be bounded from outside: each
// memory and each table by size, modules by their byte length, Wasm frames by native stack.
//
//  - A memory or table whose declared minimum passes its cap is refused where it is made: at
//    instantiation and by `new WebAssembly.Memory/Table`, with a RangeError (as the JS API answers
//    an allocation that fails, and as V8 does for a memory it cannot allocate).
//  - Growth past a cap fails as growth past a declared maximum does: `memory.grow`/`table.grow`
//    return -1, `Memory/Table.prototype.grow` throw a RangeError. A cap is read when the memory or
//    table is made, so changing it later affects only memories and tables made later.
//  - Modules longer than `maxModuleBytes` are a CompileError ("module too large") on every path
//    in: compile, compileAsync, compileStreaming (as soon as the bytes pass it), validate (false)
//    and deserialize.
//  - `wasmStackBytes` is the native stack Wasm code may use below the thread's outermost entry
//    (native/invoker.ts); Wasm runs on koffi's call stack (16 MiB, native/libc.ts), so at most
//    that less a reserve for the host. Past it, a call traps with "call stack exhausted".

import { ImplementationLimits } from '@flint/decoder';
import { DEFAULT_WASM_STACK_BYTES } from '../native/invoker.ts';

export interface ResourceLimits {
  /** Bytes each memory may have (declared minimum and growth). Default: 4 GiB, the engine's limit. */
  readonly maxMemoryBytes?: number;
  /** Elements each table may have (declared minimum and growth). Default: 10,000,000, the JS API's limit. */
  readonly maxTableElements?: number;
  /** Bytes of a module's binary. Default: 1 GiB, V8's `kV8MaxWasmModuleSize` (the decoder's hard limit). */
  readonly maxModuleBytes?: number;
  /** Native stack for Wasm frames below the thread's outermost entry. Default: 4 MiB; at most 16 MiB less 256 KiB. */
  readonly wasmStackBytes?: number;
}

/** A memory or table larger than the store's limit allows (a RangeError, as the JS API's allocation failures). */
export class ResourceLimitError extends RangeError {}

/** The largest memory this engine makes: 4 GiB, the i32 address space (and V8's limit). */
export const MAX_MEMORY_BYTES = 2 ** 32;

export const DEFAULT_LIMITS: Readonly<Required<ResourceLimits>> = {
  maxMemoryBytes: MAX_MEMORY_BYTES,
  maxTableElements: ImplementationLimits.maxTableSize,
  maxModuleBytes: ImplementationLimits.maxModuleSize,
  wasmStackBytes: DEFAULT_WASM_STACK_BYTES,
};

/** `limits` over `base`, each checked: a non-negative integer no larger than the engine's own limit. */
export function mergeLimits(base: Readonly<Required<ResourceLimits>>, limits: ResourceLimits): Required<ResourceLimits> {
  const merged = { ...base };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ResourceLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    const most = key === 'wasmStackBytes' ? 2 ** 40 : DEFAULT_LIMITS[key];
    if (!(Number.isSafeInteger(value) && value >= 0 && value <= most)) throw new RangeError(`limit ${key} must be an integer from 0 to ${most}, got ${String(value)}`);
    merged[key] = value;
  }
  return merged;
}
