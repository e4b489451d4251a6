// Getting a compiled module for `flint run`: from a code cache when it is fresh, else by
// compiling through the runtime's WebAssembly-shaped namespace with Flint's compile options
// (tier, lazy), with a progress line for large modules on a terminal.
import { readFileSync } from 'node:fs';
import { decodeModule } from '@flint/decoder';
import type { Module as DecodedModule } from '@flint/decoder';
import { type CompileOptions, WebAssembly } from '@flint/runtime';
import { decodeCodeCache, isCodeCache, staleReason } from '../cache/format.ts';
import { codeSerializer, engineVersion } from '../cache/runtime-api.ts';
import type { CommandContext } from '../command.ts';
import { loadModule } from '../load.ts';
import { startProgress } from '../progress.ts';

/** The tiers `--tier` accepts: those the runtime has. */
export const TIERS = ['baseline'] as const;
export type Tier = (typeof TIERS)[number];

export interface CompiledForRun {
  readonly module: InstanceType<typeof WebAssembly.Module>;
  /** The decoded module, for signatures and export lookups. */
  readonly decoded: DecodedModule;
}

/**
 * The runtime may report per-function progress through this option (asked of its owner);
 * until it does, the progress line shows the work ahead and is erased when compilation ends.
 */
type CompileOptionsWithProgress = CompileOptions & { readonly onProgress?: (done: number, total: number) => void };

export function compileForRun(ctx: CommandContext, file: string, bytes: Uint8Array, tier: Tier, lazy: boolean): CompiledForRun {
  const decoded = decodeModule(bytes);
  const codeBytes = decoded.codes.reduce((sum, body) => sum + body.code.bytes.length, 0);
  const progress = startProgress(ctx, `compiling ${file}`, lazy ? 0 : codeBytes, decoded.codes.length);
  try {
    const options: CompileOptionsWithProgress = { tier, lazy, onProgress: (done, total) => progress.update(done, total) };
    return { module: new WebAssembly.Module(bytes, options), decoded };
  } finally {
    progress.finish();
  }
}

/**
 * A module file for `flint run`: `.wasm`, `.wat`, or a code cache from `flint compile`, whose
 * code is loaded without compiling when it was built by this engine for this host and tier.
 * A stale cache is reported and its module recompiled; a damaged one is an error.
 */
export function loadForRun(ctx: CommandContext, file: string, tier: Tier, lazy: boolean): CompiledForRun {
  const raw = readFileSync(file);
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!isCodeCache(bytes)) return compileForRun(ctx, file, loadModule(file, raw).bytes, tier, lazy);
  const cache = decodeCodeCache(bytes);
  const stale = staleReason(cache.key, { engine: engineVersion(), tier, target: process.arch });
  const serializer = codeSerializer();
  const warn = (why: string) => ctx.err(`${file}: ${ctx.errStyle.dim('warning:')} ${why}: recompiling`);
  if (stale !== null) warn(`stale code cache (${stale})`);
  else if (lazy) warn('a code cache holds eagerly compiled code, --lazy was asked');
  else if (serializer === null) warn('this runtime cannot load compiled code yet');
  else return { module: serializer.deserializeModule(cache.module, cache.payload, { tier, lazy }), decoded: decodeModule(cache.module) };
  return compileForRun(ctx, file, cache.module, tier, lazy);
}
