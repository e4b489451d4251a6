// Getting a compiled module for `flint run` and `flint compile`: from a code cache when it is
// fresh (loaded by the runtime without compiling), else by compiling with the runtime's engine
// and Flint's compile options (tier, lazy), with a progress line for large modules on a
// terminal, fed by the engine's per-function `onProgress`.
import { decodeModule } from '@flint/decoder';
import type { Module as DecodedModule } from '@flint/decoder';
import { CodeCacheError, Engine, WebAssembly, isCodeCache, readCodeCache, registeredTiers, type CompiledModule } from '@flint/runtime';
import type { CommandContext } from '../command.ts';
import { loadModule, locatingErrors, readInputFile } from '../load.ts';
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
export function processEngine(): Engine {
  sharedEngine ??= new Engine();
  return sharedEngine;
}

function forRun(compiled: CompiledModule, decoded: DecodedModule): CompiledForRun {
  return { module: WebAssembly.Module.fromCompiled(compiled), compiled, decoded };
}

/** `engine`: a command's own engine (`--stats` counts one command's compiles), else the process's. */
export function compileForRun(ctx: CommandContext, file: string, bytes: Uint8Array, tier: Tier, lazy: boolean, engine: Engine = processEngine()): CompiledForRun {
  const decoded = decodeModule(bytes);
  const codeBytes = decoded.codes.reduce((sum, body) => sum + body.code.bytes.length, 0);
  const progress = startProgress(ctx, `compiling ${file}`, lazy ? 0 : codeBytes, decoded.codes.length);
  try {
    return forRun(engine.compile(bytes, { tier, lazy, onProgress: (done, total) => progress.update(done, total) }), decoded);
  } finally {
    progress.finish();
  }
}

/**
 * A module file for `flint run`: `.wasm`, `.wat`, or a code cache from `flint compile` (the
 * runtime's code-cache container, which carries the module bytes), whose code is loaded without
 * compiling when it was built by this engine for this host, CPU and tier. A stale cache (or one
 * the runtime refuses when loading it) is reported and its module recompiled; a damaged file is
 * an error.
 */
export function loadForRun(ctx: CommandContext, file: string, tier: Tier, lazy: boolean, engine: Engine = processEngine()): CompiledForRun {
  const raw = readInputFile(file);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!isCodeCache(bytes)) {
    const loaded = loadModule(file, raw);
    return locatingErrors(loaded, () => compileForRun(ctx, file, loaded.bytes, tier, lazy, engine));
  }
  const cache = readCodeCache(bytes);
  if (cache.moduleBytes === null) throw new CodeCacheError('the code cache does not carry its module bytes (it was not written by flint compile)');
  const moduleBytes = cache.moduleBytes;
  const stale = engine.codeCacheMismatch(cache.key, tier);
  const warn = (why: string) => ctx.err(`${file}: ${ctx.errStyle.dim('warning:')} ${why}: recompiling`);
  if (stale !== null) warn(`stale code cache (${stale})`);
  else if (lazy) warn('a code cache holds eagerly compiled code, --lazy was asked');
  else {
    try {
      return forRun(engine.deserialize(bytes), decodeModule(moduleBytes));
    } catch (error) {
      if (!(error instanceof CodeCacheError)) throw error;
      warn(`code cache refused by the runtime (${error.message})`);
    }
  }
  return compileForRun(ctx, file, moduleBytes, tier, lazy, engine);
}
