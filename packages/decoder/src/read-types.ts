// Reads of the type-shaped parts of the binary format: value, heap, reference and storage
// types, limits, table / memory / global types.
// Spec: https://webassembly.github.io/spec/core/binary/types.html
import type { Reader } from './reader.ts';
import type { AddressType, GlobalType, Limits, TableType, ValType } from './types.ts';
import { HeapType, ValType as V, heapFromTypeIndex, refType } from './types.ts';
import { ImplementationLimits } from './limits.ts';
import { CORE_FEATURES, type EnabledFeatures } from './options.ts';

const NUMERIC: ReadonlySet<number> = new Set<number>([V.I32, V.I64, V.F32, V.F64, V.V128]);

/** Whether `b` starts a value type (numeric code, reference shorthand, or 0x63 / 0x64). */
export const startsValType = (b: number): boolean => NUMERIC.has(b) || isAbstractHeapCode(b) || b === 0x63 || b === 0x64;

/** Abstract heap-type codes, which are also the one-byte nullable reference shorthands. */
export const isAbstractHeapCode = (b: number): boolean => b >= HeapType.Exn && b <= HeapType.NoExn;

const REF_NULL = 0x63;
const REF = 0x64;
const EXACT = 0x62;

/** A heap type: an abstract code (one byte) or a type index (s33, non-negative). */
export function readHeapType(r: Reader, malformed = 'malformed heap type'): number {
  const start = r.offset;
  const b = r.peekU8();
  if (isAbstractHeapCode(b)) {
    r.pos++;
    return b;
  }
  const index = r.s33();
  if (index < 0) r.fail(malformed, `0x${b.toString(16)} is not a heap type`, start);
  if (index >= ImplementationLimits.maxTypes) r.fail(malformed, `type index ${index} is beyond the type limit`, start);
  return heapFromTypeIndex(index);
}

/** The part of a reference type after its 0x63 / 0x64 code. */
function readRefRest(r: Reader, nullable: boolean, malformed: string): ValType {
  let exact = false;
  if (r.peekU8() === EXACT) {
    r.pos++;
    exact = true;
  }
  return refType(nullable, readHeapType(r, malformed), exact);
}

/** A reference type: a shorthand byte or `0x63`/`0x64` [`0x62`] heaptype. */
export function readRefType(r: Reader, malformed = 'malformed reference type'): ValType {
  const start = r.offset;
  const b = r.u8();
  if (isAbstractHeapCode(b)) return refType(true, b);
  if (b === REF_NULL || b === REF) return readRefRest(r, b === REF_NULL, malformed);
  return r.fail(malformed, `0x${b.toString(16)} is not a reference type`, start);
}

/** A value type. `malformed` is the reason reported for an unknown code. */
export function readValType(r: Reader, malformed = 'malformed value type'): ValType {
  const start = r.offset;
  const b = r.u8();
  if (NUMERIC.has(b)) return b;
  if (isAbstractHeapCode(b)) return refType(true, b);
  if (b === REF_NULL || b === REF) return readRefRest(r, b === REF_NULL, malformed);
  return r.fail(malformed, `0x${b.toString(16)} is not a value type`, start);
}

/** A storage type: a value type or a packed i8 / i16. */
export function readStorageType(r: Reader): ValType {
  const b = r.peekU8();
  if (b === V.I8 || b === V.I16) {
    r.pos++;
    return b;
  }
  return readValType(r, 'malformed storage type');
}

export function readMutability(r: Reader): boolean {
  const start = r.offset;
  const b = r.u8();
  if (b > 1) r.fail('malformed mutability', `0x${b.toString(16)} is neither 0 (const) nor 1 (var)`, start);
  return b === 1;
}

export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  return { type, mutable: readMutability(r) };
}

const LIMITS_HAS_MAX = 0x01;
const LIMITS_SHARED = 0x02;
const LIMITS_I64 = 0x04;
const LIMITS_PAGE_SIZE = 0x08;

const MEMORY_FLAGS = LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_I64;
const TABLE_FLAGS = LIMITS_HAS_MAX | LIMITS_I64;

/**
 * Limits. Memories accept flags 0x00–0x07: bit 0 max present, bit 1 shared (threads), bit 2
 * 64-bit addresses (memory64); with `features.customPageSizes`, also bit 3: a page size
 * exponent follows. Tables accept only the max and 64-bit bits. Any other bit — 0x08 in core
 * Wasm 3.0, 0x10 and up always, and any LEB128 continuation (0x81 …) — is "malformed limits
 * flags", as the core and custom-page-sizes `binary.wast` expect.
 */
export function readLimits(r: Reader, kind: 'memory' | 'table', features: EnabledFeatures = CORE_FEATURES): Limits {
  const start = r.offset;
  const flags = r.u8();
  const allowed = kind === 'table' ? TABLE_FLAGS : features.customPageSizes ? MEMORY_FLAGS | LIMITS_PAGE_SIZE : MEMORY_FLAGS;
  if ((flags & ~allowed) !== 0) r.fail('malformed limits flags', `0x${flags.toString(16)} for a ${kind}`, start);
  const address: AddressType = flags & LIMITS_I64 ? 'i64' : 'i32';
  // Both address types encode limits as u64 (memory64); the validator checks the i32 range.
  const min = r.u64();
  const max = flags & LIMITS_HAS_MAX ? r.u64() : null;
  let pageSizeLog2 = 16;
  if (flags & LIMITS_PAGE_SIZE) {
    const at = r.offset;
    pageSizeLog2 = r.u32();
    if (pageSizeLog2 > 64) r.fail('invalid custom page size', `2^${pageSizeLog2} bytes`, at);
  }
  return { min, max, shared: (flags & LIMITS_SHARED) !== 0, address, pageSizeLog2 };
}

export function readTableType(r: Reader): TableType {
  const element = readRefType(r);
  return { element, limits: readLimits(r, 'table') };
}
