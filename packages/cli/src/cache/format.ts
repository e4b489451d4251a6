// The code-cache file `flint compile` writes and `flint run` loads: the module's bytes and the
// runtime's serialised compiled code, under a header that keys them — engine version, tier,
// target, and SHA-256 hashes of both parts. Every length is checked against the file's size
// before use, so a damaged or hostile file is rejected with a reason, never trusted.
//
//   magic "FLINTCC\n" | u32 format version | u32 header length | header (JSON) | module | payload
import { createHash } from 'node:crypto';

export const CACHE_MAGIC = new Uint8Array([0x46, 0x4c, 0x49, 0x4e, 0x54, 0x43, 0x43, 0x0a]);
export const CACHE_FORMAT_VERSION = 1;
const PREFIX_SIZE = CACHE_MAGIC.length + 8;
/** Headers are a few hundred bytes; anything larger is not one of ours. */
const MAX_HEADER_SIZE = 64 * 1024;

/** What a cache entry was compiled by and for: all of it must match to reuse the code. */
export interface CacheKey {
  readonly engine: string;
  readonly tier: string;
  readonly target: string;
}

interface Header extends CacheKey {
  readonly moduleSha256: string;
  readonly moduleLength: number;
  readonly payloadSha256: string;
  readonly payloadLength: number;
}

export interface CodeCache {
  readonly key: CacheKey;
  readonly module: Uint8Array;
  /** The runtime's serialised compiled module. */
  readonly payload: Uint8Array;
}

export class CacheFormatError extends Error {
  override readonly name = 'CacheFormatError';
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function isCodeCache(bytes: Uint8Array): boolean {
  return bytes.length >= CACHE_MAGIC.length && CACHE_MAGIC.every((b, i) => bytes[i] === b);
}

export function encodeCodeCache(cache: CodeCache): Uint8Array {
  const header: Header = {
    engine: cache.key.engine,
    tier: cache.key.tier,
    target: cache.key.target,
    moduleSha256: sha256(cache.module),
    moduleLength: cache.module.length,
    payloadSha256: sha256(cache.payload),
    payloadLength: cache.payload.length,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_SIZE + headerBytes.length + cache.module.length + cache.payload.length);
  out.set(CACHE_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(CACHE_MAGIC.length, CACHE_FORMAT_VERSION, true);
  view.setUint32(CACHE_MAGIC.length + 4, headerBytes.length, true);
  out.set(headerBytes, PREFIX_SIZE);
  out.set(cache.module, PREFIX_SIZE + headerBytes.length);
  out.set(cache.payload, PREFIX_SIZE + headerBytes.length + cache.module.length);
  return out;
}

export function decodeCodeCache(bytes: Uint8Array): CodeCache {
  if (!isCodeCache(bytes)) throw new CacheFormatError('not a Flint code cache (bad magic)');
  if (bytes.length < PREFIX_SIZE) throw new CacheFormatError(`truncated: ${bytes.length} bytes, shorter than the ${PREFIX_SIZE}-byte prefix`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(CACHE_MAGIC.length, true);
  if (version !== CACHE_FORMAT_VERSION) throw new CacheFormatError(`format version ${version}, this flint reads version ${CACHE_FORMAT_VERSION}`);
  const headerLength = view.getUint32(CACHE_MAGIC.length + 4, true);
  if (headerLength > MAX_HEADER_SIZE || PREFIX_SIZE + headerLength > bytes.length) {
    throw new CacheFormatError(`truncated or damaged: header of ${headerLength} bytes in a ${bytes.length}-byte file`);
  }
  const header = parseHeader(bytes.subarray(PREFIX_SIZE, PREFIX_SIZE + headerLength));
  const moduleStart = PREFIX_SIZE + headerLength;
  const expectedSize = moduleStart + header.moduleLength + header.payloadLength;
  if (expectedSize !== bytes.length) throw new CacheFormatError(`truncated or damaged: the header describes ${expectedSize} bytes, the file has ${bytes.length}`);
  const module = bytes.subarray(moduleStart, moduleStart + header.moduleLength);
  const payload = bytes.subarray(moduleStart + header.moduleLength);
  if (sha256(module) !== header.moduleSha256) throw new CacheFormatError('damaged: the module bytes do not match their hash');
  if (sha256(payload) !== header.payloadSha256) throw new CacheFormatError('damaged: the compiled code does not match its hash');
  return { key: { engine: header.engine, tier: header.tier, target: header.target }, module, payload };
}

function parseHeader(bytes: Uint8Array): Header {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new CacheFormatError('damaged: the header is not valid JSON');
  }
  const h = value as Record<string, unknown>;
  const isLength = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  const isText = (s: unknown) => typeof s === 'string';
  if (
    typeof value !== 'object' || value === null ||
    !isText(h.engine) || !isText(h.tier) || !isText(h.target) || !isText(h.moduleSha256) || !isText(h.payloadSha256) ||
    !isLength(h.moduleLength) || !isLength(h.payloadLength)
  ) {
    throw new CacheFormatError('damaged: the header lacks a field or has one of the wrong type');
  }
  return value as Header;
}

/** Why a cache built for `built` cannot be used by `current`, or null when it can. */
export function staleReason(built: CacheKey, current: CacheKey): string | null {
  const differences: string[] = [];
  if (built.engine !== current.engine) differences.push(`engine ${built.engine}, this is ${current.engine}`);
  if (built.target !== current.target) differences.push(`target ${built.target}, this host is ${current.target}`);
  if (built.tier !== current.tier) differences.push(`tier ${built.tier}, ${current.tier} requested`);
  return differences.length ? `built for ${differences.join('; ')}` : null;
}
