// Getting a compiled module for `flint run` and `flint compile`: from a code cache when it is
// fresh (loaded by the runtime without compiling), else by compiling with the runtime's engine
// and Flint's compile options (tier, lazy), with a progress line for large modules on a
// terminal, fed by the engine's per-function `onProgress`.
import { readFileSync } from 'node:fs';
import { decodeModule } from '@flint/decoder';
import type { Module as DecodedModule } from '@flint/decoder';
import { CodeCacheError, ENGINE_VERSION, Engine, WebAssembly, registeredTiers, type CompiledModule } from '@flint/runtime';
import { decodeCodeCache, isCodeCache, staleReason } from '../cache/format.ts';
import type { CommandContext } from '../command.ts';
import { loadModule } from '../load.ts';
import { startProgress } from '../progress.ts';

/** The tiers `--tier` accepts: those in the runtime's tier registry. */
export const TIERS: readonly string[] = registeredTiers().map((tier) => tier.name);
export type Tier = string;

export interface CompiledForRun {
  /** What `WebAssembly.Instance` takes. */
  readonly module: InstanceType<typeof WebAssembly.Module>;
  /** The engine's compiled module: what `flint compile` serialises. */
  readonly compiled: CompiledModule;
  /** The decoded module, for signatures and export lookups. */
  readonly decoded: DecodedModule;
}

let sharedEngine: Engine | undefined;
/**
 * The engine of this process, made on first use. It shares the thread's store with the
 * runtime's `WebAssembly` namespace, so its modules instantiate through `WebAssembly.Instance`.
 */
function engine(): Engine {
  sharedEngine ??= new Engine();
  return sharedEngine;
}

function forRun(compiled: CompiledModule, decoded: DecodedModule): CompiledForRun {
  return { module: WebAssembly.Module.fromCompiled(compiled), compiled, decoded };
}

export function compileForRun(ctx: CommandContext, file: string, bytes: Uint8Array, tier: Tier, lazy: boolean): CompiledForRun {
  const decoded = decodeModule(bytes);
  const codeBytes = decoded.codes.reduce((sum, body) => sum + body.code.bytes.length, 0);
  const progress = startProgress(ctx, `compiling ${file}`, lazy ? 0 : codeBytes, decoded.codes.length);
  try {
    return forRun(engine().compile(bytes, { tier, lazy, onProgress: (done, total) => progress.update(done, total) }), decoded);
  } finally {
    progress.finish();
  }
}

/**
 * A module file for `flint run`: `.wasm`, `.wat`, or a code cache from `flint compile`, whose
 * code is loaded without compiling when it was built by this engine for this host and tier.
 * A stale cache (or one the runtime refuses: other module bytes, backend or engine) is
 * reported and its module recompiled; a damaged file is an error.
 */
export function loadForRun(ctx: CommandContext, file: string, tier: Tier, lazy: boolean): CompiledForRun {
  const raw = readFileSync(file);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!isCodeCache(bytes)) return compileForRun(ctx, file, loadModule(file, raw).bytes, tier, lazy);
  const cache = decodeCodeCache(bytes);
  const stale = staleReason(cache.key, { engine: ENGINE_VERSION, tier, target: process.arch });
  const warn = (why: string) => ctx.err(`${file}: ${ctx.errStyle.dim('warning:')} ${why}: recompiling`);
  if (stale !== null) warn(`stale code cache (${stale})`);
  else if (lazy) warn('a code cache holds eagerly compiled code, --lazy was asked');
  else {
    try {
      return forRun(engine().deserialize(cache.payload, cache.module), decodeModule(cache.module));
    } catch (error) {
      if (!(error instanceof CodeCacheError)) throw error;
      warn(`code cache refused by the runtime (${error.message})`);
    }
  }
  return compileForRun(ctx, file, cache.module, tier, lazy);
}
