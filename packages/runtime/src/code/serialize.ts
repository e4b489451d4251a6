// The code cache: a compiled module's unrelocated code (and, usually, its module bytes) in one
// self-contained container. It is the one format for everything that stores or moves compiled
// code: `flint compile` writes it and `flint run` loads it, the JS API's on-disk cache keeps one
// file per module in it, and a `WebAssembly.Module` posted to another thread travels in it (see
// api/module.ts). Placement (relocation against this process's builtins and trap exit) happens on
// load, through the engine's one placement path.
//
// Layout (little endian):
//   "FLNTCODE"  u32 format version
//   u32 header length, header (UTF-8 JSON): the key (engine build, backend, CPU features the
//     code may use, tier, lazy, SHA-256 of the module bytes), the module's features, and the
//     lengths of the parts below
//   module bytes (absent when the header's moduleLength is 0: the loader supplies them)
//   declared-functions bytes
//   function records, relocations, trap sites, call sites (Int32 each), code bytes
//   SHA-256 of everything before it
//
// Every length is checked against the container's size before use, so a damaged file is
// rejected with a reason. The checksum catches truncation and tampering by accident, not by
// intent: a container holds machine code that will run, so it must be trusted like an
// executable. Because the key binds the code to the exact module bytes, loading decodes the
// module but does not validate it again (the validation facts the engine needs are stored).

import { createHash } from 'node:crypto';
import { PACK_CALL_STRIDE, PACK_FUNCTION_STRIDE, PACK_RELOC_STRIDE, PACK_TRAP_STRIDE, type PackedCode } from './code-pack.ts';
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
/**
 * 1: the runtime's payload inside the CLI's "FLINTCC" file; 2: the same with call sites (for
 * stack traces); 3: the one container, with the module bytes and the key in a JSON header.
 */
export const CODE_CACHE_FORMAT = 3;
const MAGIC = 'FLNTCODE';
const MAGIC_BYTES = new TextEncoder().encode(MAGIC);
/** The CLI's container of format 1, recognised only to say that it is outdated. */
const OLD_CLI_MAGIC = new Uint8Array([0x46, 0x4c, 0x49, 0x4e, 0x54, 0x43, 0x43, 0x0a]);
const PREFIX_BYTES = 8 + 4 + 4;
const CHECKSUM_BYTES = 32;
/** Headers are a few hundred bytes; anything much larger is not one of ours. */
const MAX_HEADER_BYTES = 1 << 20;

/** A code cache that is corrupt, or made for other module bytes, options, backend, CPU or engine. */
export class CodeCacheError extends Error {
  override name = 'CodeCacheError';
}

/** Everything that decides the code in a cache; all of it must match for the code to load. */
export interface CodeCacheKey {
  /** The engine build (`ENGINE_VERSION`). */
  readonly engine: string;
  /** The backend (ISA) the code is for. */
  readonly backend: string;
  /** The optional CPU features the code may use (`CpuFeatureSet.key`): it runs only where they exist. */
  readonly cpuFeatures: string;
  readonly tier: string;
  readonly lazy: boolean;
  /** True when the code meters fuel (`CompileOptions.fuel`); absent otherwise. */
  readonly fuel?: boolean;
  /** SHA-256 of the module bytes, hex. */
  readonly module: string;
}

export interface CodeCacheContents {
  readonly key: CodeCacheKey;
  /** The module bytes, when the container carries them. */
  readonly moduleBytes: Uint8Array | null;
  readonly code: PackedCode;
  readonly features: readonly string[];
  readonly declaredFunctions: Uint8Array;
}

interface Header {
  readonly key: CodeCacheKey;
  readonly features: readonly string[];
  readonly moduleLength: number;
  readonly declaredFunctionsLength: number;
  readonly functionCount: number;
  readonly relocationInts: number;
  readonly trapSiteInts: number;
  readonly callSiteInts: number;
  readonly codeLength: number;
}

export function moduleBytesHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether `bytes` starts like a code cache (of this format or an older one). */
export function isCodeCache(bytes: Uint8Array): boolean {
  return startsWith(bytes, MAGIC_BYTES) || startsWith(bytes, OLD_CLI_MAGIC);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

export function writeCodeCache(contents: CodeCacheContents): Uint8Array {
  const { functions, relocations, trapSites, callSites, code } = contents.code;
  const module = contents.moduleBytes ?? new Uint8Array(0);
  const header: Header = {
    key: contents.key,
    features: contents.features,
    moduleLength: module.length,
    declaredFunctionsLength: contents.declaredFunctions.length,
    functionCount: functions.length / PACK_FUNCTION_STRIDE,
    relocationInts: relocations.length,
    trapSiteInts: trapSites.length,
    callSiteInts: callSites.length,
    codeLength: code.length,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const size = PREFIX_BYTES + headerBytes.length + module.length + contents.declaredFunctions.length + (functions.length + relocations.length + trapSites.length + callSites.length) * 4 + code.length + CHECKSUM_BYTES;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const bytes = (value: Uint8Array): void => {
    out.set(value, at);
    at += value.length;
  };
  const ints = (value: Int32Array): void => {
    for (let i = 0; i < value.length; i++, at += 4) view.setInt32(at, value[i]!, true);
  };
  bytes(MAGIC_BYTES);
  view.setUint32(at, CODE_CACHE_FORMAT, true);
  view.setUint32(at + 4, headerBytes.length, true);
  at += 8;
  bytes(headerBytes);
  bytes(module);
  bytes(contents.declaredFunctions);
  ints(functions);
  ints(relocations);
  ints(trapSites);
  ints(callSites);
  bytes(code);
  bytes(createHash('sha256').update(out.subarray(0, at)).digest());
  return out;
}

/**
 * Parses a container and checks its integrity (magic, format, lengths, checksum). It does not
 * decide whether the code may run here: `keyMismatch` does.
 */
export function readCodeCache(cache: Uint8Array): CodeCacheContents {
  if (startsWith(cache, OLD_CLI_MAGIC)) throw new CodeCacheError('code cache of format 1 (an older flint): compile the module again');
  if (!startsWith(cache, MAGIC_BYTES)) throw new CodeCacheError('not a Flint code cache (bad magic)');
  if (cache.length < PREFIX_BYTES + CHECKSUM_BYTES) throw new CodeCacheError(`code cache is truncated: ${cache.length} bytes`);
  const view = new DataView(cache.buffer, cache.byteOffset, cache.byteLength);
  const format = view.getUint32(8, true);
  if (format !== CODE_CACHE_FORMAT) throw new CodeCacheError(`code cache format ${format} is not this engine's format ${CODE_CACHE_FORMAT}`);
  const body = cache.subarray(0, cache.length - CHECKSUM_BYTES);
  const checksum = createHash('sha256').update(body).digest();
  if (!checksum.equals(cache.subarray(cache.length - CHECKSUM_BYTES))) throw new CodeCacheError('code cache is corrupt: checksum mismatch');

  const headerLength = view.getUint32(12, true);
  if (headerLength > MAX_HEADER_BYTES || PREFIX_BYTES + headerLength > body.length) throw new CodeCacheError(`code cache is corrupt: a header of ${headerLength} bytes`);
  const header = parseHeader(body.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength));
  let at = PREFIX_BYTES + headerLength;
  const expected = at + header.moduleLength + header.declaredFunctionsLength + (header.functionCount * PACK_FUNCTION_STRIDE + header.relocationInts + header.trapSiteInts + header.callSiteInts) * 4 + header.codeLength;
  if (expected !== body.length) throw new CodeCacheError(`code cache is corrupt: its header describes ${expected} bytes, it has ${body.length}`);
  const bytes = (n: number): Uint8Array => {
    const value = body.slice(at, at + n);
    at += n;
    return value;
  };
  const ints = (n: number): Int32Array => {
    const value = new Int32Array(n);
    for (let i = 0; i < n; i++, at += 4) value[i] = view.getInt32(at, true);
    return value;
  };
  const moduleBytes = header.moduleLength > 0 ? bytes(header.moduleLength) : null;
  const declaredFunctions = bytes(header.declaredFunctionsLength);
  const functions = ints(header.functionCount * PACK_FUNCTION_STRIDE);
  const relocations = ints(header.relocationInts);
  const trapSites = ints(header.trapSiteInts);
  const callSites = ints(header.callSiteInts);
  const code = bytes(header.codeLength);
  if (moduleBytes !== null && moduleBytesHash(moduleBytes) !== header.key.module) throw new CodeCacheError('code cache is corrupt: its module bytes do not match their hash');
  return { key: header.key, moduleBytes, code: { functions, code, relocations, trapSites, callSites }, features: header.features, declaredFunctions };
}

/**
 * A container for inspection (`flint inspect`/`disasm`): `readCodeCache` itself, which checks the
 * structure and checksum and returns the key rather than comparing it.
 */
export const inspectCodeCache = readCodeCache;

function parseHeader(bytes: Uint8Array): Header {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new CodeCacheError('code cache is corrupt: the header is not JSON');
  }
  const h = value as Partial<Header> | null;
  const key = h?.key as Partial<CodeCacheKey> | undefined;
  const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  const isText = (s: unknown): boolean => typeof s === 'string';
  if (
    typeof h !== 'object' || h === null || typeof key !== 'object' || key === null ||
    !isText(key.engine) || !isText(key.backend) || !isText(key.cpuFeatures) || !isText(key.tier) || !isText(key.module) || typeof key.lazy !== 'boolean' || (key.fuel !== undefined && typeof key.fuel !== 'boolean') ||
    !Array.isArray(h.features) || !h.features.every(isText) ||
    ![h.moduleLength, h.declaredFunctionsLength, h.functionCount, h.relocationInts, h.trapSiteInts, h.callSiteInts, h.codeLength].every(isCount) ||
    h.relocationInts! % PACK_RELOC_STRIDE !== 0 || h.trapSiteInts! % PACK_TRAP_STRIDE !== 0 || h.callSiteInts! % PACK_CALL_STRIDE !== 0
  ) {
    throw new CodeCacheError('code cache is corrupt: the header lacks a field or has one of the wrong type');
  }
  return h as Header;
}

/**
 * Why code with key `built` cannot run where `current` is wanted, or null when it can. The tier
 * and the module hash are compared only when `current` names them.
 */
export function keyMismatch(built: CodeCacheKey, current: Pick<CodeCacheKey, 'engine' | 'backend' | 'cpuFeatures'> & { readonly tier?: string; readonly module?: string }): string | null {
  if (built.engine !== current.engine) return `code cache was written by engine ${built.engine}, this is engine ${current.engine}`;
  if (built.backend !== current.backend) return `code cache holds ${built.backend} code, this engine generates ${current.backend} code`;
  if (built.cpuFeatures !== current.cpuFeatures) return `code cache was compiled for CPU features "${built.cpuFeatures}", this engine compiles for "${current.cpuFeatures}"`;
  if (tierNamed(built.tier) === undefined) return `code cache has an unknown tier ${built.tier}`;
  if (current.tier !== undefined && built.tier !== current.tier) return `code cache holds ${built.tier} code, the ${current.tier} tier was asked for`;
  if (current.module !== undefined && built.module !== current.module) return 'code cache was compiled from different module bytes (SHA-256 mismatch)';
  return null;
}
