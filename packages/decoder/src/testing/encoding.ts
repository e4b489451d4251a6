// Small binary-format encoders for test fixtures. Test-only: the decoder never encodes.
// Spec: https://webassembly.github.io/spec/core/binary/values.html
import type { HeapType, ValType } from '../types.ts';
import { heapTypeOf, isConcreteHeap, isExact, isNullable, isRefType, typeIndexOfHeap } from '../types.ts';

/** Unsigned LEB128. */
export function uleb(value: number | bigint): number[] {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError(`uleb: negative value ${v}`);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

/** Signed LEB128 (for i32/i64 constants and s33 block types). */
export function sleb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Little-endian IEEE 754 single. */
export function f32Bytes(value: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value, true);
  return [...new Uint8Array(view.buffer)];
}

/** Little-endian IEEE 754 double. */
export function f64Bytes(value: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return [...new Uint8Array(view.buffer)];
}

/** A name: its UTF-8 byte length, then the bytes. */
export function nameBytes(name: string): number[] {
  const utf8 = new TextEncoder().encode(name);
  return [...uleb(utf8.length), ...utf8];
}

/** A vector: the element count, then the elements' bytes. */
export function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A heap type: its one-byte abstract code, or a type index as s33. */
export function heapTypeBytes(heap: HeapType): number[] {
  return isConcreteHeap(heap) ? sleb(typeIndexOfHeap(heap)) : [heap];
}

/**
 * A value or storage type. Nullable references to abstract heap types use the one-byte
 * shorthand (`funcref` = 0x70); others are `0x63`/`0x64` [`0x62` exact] heaptype.
 */
export function valTypeBytes(type: ValType): number[] {
  if (!isRefType(type)) return [type];
  const heap = heapTypeOf(type);
  if (isNullable(type) && !isExact(type) && !isConcreteHeap(heap)) return [heap];
  return [isNullable(type) ? 0x63 : 0x64, ...(isExact(type) ? [0x62] : []), ...heapTypeBytes(heap)];
}
