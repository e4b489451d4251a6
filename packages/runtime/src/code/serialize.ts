// The code cache: a compiled module's unrelocated code in a file, so that `flint run` can load
// what `flint compile` produced without compiling again. Placement (relocation against this
// process's builtins and trap exit) happens on load, through the engine's one placement path.
//
// Layout (little endian):
//   "FLNTCODE"  u32 format version
//   u32 key length, key (UTF-8 JSON: engine version, backend, CPU features, tier, lazy, SHA-256 of
//   the module bytes)
//   u32 function count, u32 code bytes, u32 relocation ints, u32 trap-site ints,
//   u32 features length, features (UTF-8 JSON array), u32 declared-functions length, its bytes,
//   function records (Int32), relocations (Int32), trap sites (Int32), code bytes
//   SHA-256 of everything before it
//
// The checksum catches truncation and tampering by accident, not by intent: a cache file holds
// machine code that will run, so it must be trusted like an executable. Because the key binds the
// cache to the exact module bytes, loading decodes the module but does not validate it again
// (validation facts the engine needs are stored in the cache).

import { createHash } from 'node:crypto';
import { PACK_FUNCTION_STRIDE, PACK_RELOC_STRIDE, PACK_TRAP_STRIDE, type PackedCode } from './code-pack.ts';
import { tierNamed } from '../compile/tiers.ts';

/** Set by the build (tsup `define`): a hash of every source that decides the generated code. */
declare const __FLINT_BUILD_ID__: string | undefined;

/**
 * Identifies the engine build that wrote a code cache; a cache from any other build is rejected.
 * Built packages carry a hash of the compiler, backend and runtime sources, so a change to code
 * generation invalidates caches even without a version bump. Running from TypeScript sources
 * (tests) there is no build id, and the version says `+dev`.
 */
export const ENGINE_VERSION = `0.1.0+${typeof __FLINT_BUILD_ID__ === 'string' ? __FLINT_BUILD_ID__ : 'dev'}`;
export const CODE_CACHE_FORMAT = 1;
const MAGIC = 'FLNTCODE';
const CHECKSUM_BYTES = 32;

/** A code cache that is corrupt or was made for other module bytes, options, backend or engine. */
export class CodeCacheError extends Error {
  override name = 'CodeCacheError';
}

/** What a cache is valid for; every field must match for it to load. */
export interface CodeCacheKey {
  readonly engine: string;
  readonly backend: string;
  /** The CPU features the code may use (`CpuFeatureSet.key`): code using one runs only where it exists. */
  readonly cpuFeatures: string;
  readonly tier: string;
  readonly lazy: boolean;
  /** SHA-256 of the module bytes, hex. */
  readonly module: string;
}

export interface CodeCacheContents {
  readonly key: CodeCacheKey;
  readonly code: PackedCode;
  readonly features: readonly string[];
  readonly declaredFunctions: Uint8Array;
}

export function moduleBytesHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function writeCodeCache(contents: CodeCacheContents): Uint8Array {
  const encoder = new TextEncoder();
  const key = encoder.encode(JSON.stringify(contents.key));
  const features = encoder.encode(JSON.stringify(contents.features));
  const { functions, relocations, trapSites, code } = contents.code;
  const size = 8 + 4 + 4 + key.length + 16 + 4 + features.length + 4 + contents.declaredFunctions.length + (functions.length + relocations.length + trapSites.length) * 4 + code.length + CHECKSUM_BYTES;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (value: number): void => {
    view.setUint32(at, value, true);
    at += 4;
  };
  const bytes = (value: Uint8Array): void => {
    out.set(value, at);
    at += value.length;
  };
  const ints = (value: Int32Array): void => {
    for (let i = 0; i < value.length; i++, at += 4) view.setInt32(at, value[i]!, true);
  };
  bytes(encoder.encode(MAGIC));
  u32(CODE_CACHE_FORMAT);
  u32(key.length);
  bytes(key);
  u32(functions.length / PACK_FUNCTION_STRIDE);
  u32(code.length);
  u32(relocations.length);
  u32(trapSites.length);
  u32(features.length);
  bytes(features);
  u32(contents.declaredFunctions.length);
  bytes(contents.declaredFunctions);
  ints(functions);
  ints(relocations);
  ints(trapSites);
  bytes(code);
  bytes(createHash('sha256').update(out.subarray(0, at)).digest());
  return out;
}

/** Parses and checks a cache; `expected` is the key this engine and these module bytes need. */
export function readCodeCache(cache: Uint8Array, expected: Omit<CodeCacheKey, 'tier' | 'lazy'>): CodeCacheContents {
  if (cache.length < 8 + 4 + CHECKSUM_BYTES) throw new CodeCacheError(`code cache is truncated: ${cache.length} bytes`);
  const decoder = new TextDecoder();
  if (decoder.decode(cache.subarray(0, 8)) !== MAGIC) throw new CodeCacheError('not a Flint code cache (bad magic)');
  const body = cache.subarray(0, cache.length - CHECKSUM_BYTES);
  const checksum = createHash('sha256').update(body).digest();
  if (!checksum.equals(cache.subarray(cache.length - CHECKSUM_BYTES))) throw new CodeCacheError('code cache is corrupt: checksum mismatch');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 8;
  const need = (n: number, what: string): void => {
    if (n < 0 || at + n > body.length) throw new CodeCacheError(`code cache is corrupt: ${what} runs past the end`);
  };
  const u32 = (what: string): number => {
    need(4, what);
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const bytes = (n: number, what: string): Uint8Array => {
    need(n, what);
    const value = body.slice(at, at + n);
    at += n;
    return value;
  };
  const ints = (n: number, what: string): Int32Array => {
    need(n * 4, what);
    const value = new Int32Array(n);
    for (let i = 0; i < n; i++, at += 4) value[i] = view.getInt32(at, true);
    return value;
  };
  const json = (n: number, what: string): unknown => {
    try {
      return JSON.parse(decoder.decode(bytes(n, what)));
    } catch (error) {
      if (error instanceof CodeCacheError) throw error;
      throw new CodeCacheError(`code cache is corrupt: ${what} is not JSON`);
    }
  };

  const format = u32('format version');
  if (format !== CODE_CACHE_FORMAT) throw new CodeCacheError(`code cache format ${format} is not this engine's format ${CODE_CACHE_FORMAT}`);
  const key = json(u32('key length'), 'key') as CodeCacheKey;
  if (key.engine !== expected.engine) throw new CodeCacheError(`code cache was written by engine ${key.engine}, this is engine ${expected.engine}`);
  if (key.backend !== expected.backend) throw new CodeCacheError(`code cache holds ${key.backend} code, this engine generates ${expected.backend} code`);
  if (key.cpuFeatures !== expected.cpuFeatures) {
    throw new CodeCacheError(`code cache was compiled for CPU features "${String(key.cpuFeatures)}", this engine compiles for "${expected.cpuFeatures}"`);
  }
  if (key.module !== expected.module) throw new CodeCacheError('code cache was compiled from different module bytes (SHA-256 mismatch)');
  if (typeof key.tier !== 'string' || tierNamed(key.tier) === undefined || typeof key.lazy !== 'boolean') throw new CodeCacheError(`code cache has unknown compile options (tier ${String(key.tier)})`);

  const functionCount = u32('function count');
  const codeLength = u32('code length');
  const relocInts = u32('relocation count');
  const trapInts = u32('trap-site count');
  const features = json(u32('features length'), 'features');
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) throw new CodeCacheError('code cache is corrupt: features are not a list of names');
  const declaredFunctions = bytes(u32('declared-functions length'), 'declared functions');
  const functions = ints(functionCount * PACK_FUNCTION_STRIDE, 'function records');
  if (relocInts % PACK_RELOC_STRIDE !== 0 || trapInts % PACK_TRAP_STRIDE !== 0) throw new CodeCacheError('code cache is corrupt: partial relocation or trap-site records');
  const relocations = ints(relocInts, 'relocations');
  const trapSites = ints(trapInts, 'trap sites');
  const code = bytes(codeLength, 'code');
  if (at !== body.length) throw new CodeCacheError(`code cache is corrupt: ${body.length - at} unexpected trailing bytes`);
  return { key, code: { functions, code, relocations, trapSites }, features: features as string[], declaredFunctions };
}
