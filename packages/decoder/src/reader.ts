// A cursor over module bytes: LEB128 integers with the spec's length and unused-bit rules,
// names, and bounds that turn every overrun into a CompileError. Type-shaped reads (value
// types, limits) live in `read-types.ts`.
// Spec: https://webassembly.github.io/spec/core/binary/values.html
import { compileError } from './errors.ts';
import type { CompileError } from './errors.ts';
import { isValidUtf8 } from './utf8.ts';

/** The reason reported when a read runs past `end`. */
export const END_OF_MODULE = 'unexpected end';
export const END_OF_SECTION = 'unexpected end of section or function';

// ignoreBOM keeps a leading U+FEFF in a name instead of silently dropping it. Names are checked
// by `isValidUtf8` first, so the decoder itself never meets malformed input.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export class Reader {
  bytes: Uint8Array;
  /** Index in `bytes` of the next byte. */
  pos: number;
  /** Index in `bytes` one past the last readable byte. */
  end: number;
  /** Module offset of `bytes[0]`. */
  base: number;
  /** What running past `end` means here: the module ended, or a section or body did. */
  endReason: string = END_OF_SECTION;
  /** Where we are, for error messages: "code section", then an entry kind and index. */
  section = '';
  entryKind = '';
  entryIndex = -1;

  /** Results of `s64()`: the two's-complement halves. */
  lo = 0;
  hi = 0;

  constructor(bytes: Uint8Array, base = 0, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.base = base;
    this.pos = start;
    this.end = end;
  }

  /** Module offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }
  remaining(): number {
    return this.end - this.pos;
  }
  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Sets the entry named in errors ("function #3"); -1 clears it. */
  at(kind: string, index: number): void {
    this.entryKind = kind;
    this.entryIndex = index;
  }

  context(): string {
    if (this.section === '') return this.entryIndex < 0 ? '' : `${this.entryKind} #${this.entryIndex}`;
    return this.entryIndex < 0 ? this.section : `${this.section}, ${this.entryKind} #${this.entryIndex}`;
  }

  error(reason: string, detail: string | null = null, offset = this.offset): CompileError {
    return compileError(reason, detail, offset, this.context());
  }
  fail(reason: string, detail: string | null = null, offset = this.offset): never {
    throw this.error(reason, detail, offset);
  }
  private failEnd(wanted: string): never {
    throw this.error(this.endReason, `${wanted} runs past the end`, this.offset);
  }

  u8(): number {
    if (this.pos >= this.end) this.failEnd('a byte');
    return this.bytes[this.pos++]!;
  }

  peekU8(): number {
    if (this.pos >= this.end) this.failEnd('a byte');
    return this.bytes[this.pos]!;
  }

  /** A view of the next `length` bytes (not a copy). */
  bytesView(length: number, what = 'byte string'): Uint8Array {
    if (length > this.end - this.pos) this.fail(this.endReason, `${what} of ${length} bytes, ${this.end - this.pos} remain`);
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  skip(length: number): void {
    if (length > this.end - this.pos) this.failEnd(`${length} bytes`);
    this.pos += length;
  }

  /** Reads the next LEB128 byte of an integer that began at `start`. */
  private lebByte(start: number): number {
    if (this.pos >= this.end) throw this.error(this.endReason, 'integer runs past the end', start + this.base);
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    const p = this.pos;
    if (p < this.end) {
      const b = this.bytes[p]!;
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    return this.u32Slow();
  }

  private u32Slow(): number {
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const b = this.lebByte(start);
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return result >>> 0;
    }
    const last = this.lebByte(start);
    if (last & 0x80) this.fail('integer representation too long', 'u32 longer than 5 bytes', this.base + start);
    if (last & 0x70) this.fail('integer too large', 'u32 above 2^32-1', this.base + start);
    return (result | (last << 28)) >>> 0;
  }

  s32(): number {
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const b = this.lebByte(start);
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return b & 0x40 ? result | (-1 << (shift + 7)) : result;
    }
    const last = this.lebByte(start);
    if (last & 0x80) this.fail('integer representation too long', 's32 longer than 5 bytes', this.base + start);
    // The unused high bits of the fifth byte must repeat the sign bit (bit 3).
    const high = last & 0x70;
    if (high !== (last & 0x08 ? 0x70 : 0)) this.fail('integer too large', 's32 outside the signed 32-bit range', this.base + start);
    return result | (last << 28);
  }

  /** A signed 33-bit integer (block types): returned exactly as a number. */
  s33(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 4; i++) {
      const b = this.lebByte(start);
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return b & 0x40 ? result - scale : result;
    }
    const last = this.lebByte(start);
    if (last & 0x80) this.fail('integer representation too long', 's33 longer than 5 bytes', this.base + start);
    const high = last & 0x60;
    if (high !== (last & 0x10 ? 0x60 : 0)) this.fail('integer too large', 's33 outside the signed 33-bit range', this.base + start);
    result += (last & 0x1f) * scale;
    return last & 0x10 ? result - 2 ** 33 : result;
  }

  /** A signed 64-bit integer, left in `lo`/`hi` as two's-complement halves (no allocation). */
  s64(): void {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 9; i++) {
      const b = this.lebByte(start);
      const v = b & 0x7f;
      const shift = 7 * i;
      if (shift < 28) lo |= v << shift;
      else if (shift === 28) {
        lo |= v << 28;
        hi |= v >>> 4;
      } else hi |= v << (shift - 32);
      if (b < 0x80) {
        if (b & 0x40) {
          const bits = shift + 7;
          if (bits < 32) {
            lo |= -1 << bits;
            hi = -1;
          } else hi |= -1 << (bits - 32);
        }
        this.lo = lo | 0;
        this.hi = hi | 0;
        return;
      }
    }
    const last = this.lebByte(start);
    if (last & 0x80) this.fail('integer representation too long', 's64 longer than 10 bytes', this.base + start);
    // Only bit 0 of the tenth byte carries value (bit 63); the rest must repeat it.
    if ((last & 0x7f) !== 0 && (last & 0x7f) !== 0x7f) this.fail('integer too large', 's64 outside the signed 64-bit range', this.base + start);
    hi |= (last & 1) << 31;
    this.lo = lo | 0;
    this.hi = hi | 0;
  }

  /** An unsigned 64-bit integer as a bigint (limits, memory64 offsets past 2^53). */
  u64(): bigint {
    const start = this.pos;
    let result = 0n;
    for (let i = 0; i < 9; i++) {
      const b = this.lebByte(start);
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return result;
    }
    const last = this.lebByte(start);
    if (last & 0x80) this.fail('integer representation too long', 'u64 longer than 10 bytes', this.base + start);
    if (last & 0x7e) this.fail('integer too large', 'u64 above 2^64-1', this.base + start);
    return result | (BigInt(last & 1) << 63n);
  }

  /**
   * A u64 as a number when it is below 2^53, else -1 with the exact value left to `u64()`:
   * the caller rewinds to `start` and reads it again. Keeps memarg offsets allocation-free.
   */
  u64Small(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.lebByte(start);
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return result;
    }
    this.pos = start;
    return -1;
  }

  /** A length-prefixed UTF-8 name. */
  name(what = 'name'): string {
    const length = this.u32();
    const start = this.offset;
    const bytes = this.bytesView(length, what);
    // ASCII fast path: most names are plain identifiers.
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii && bytes.length <= 64) return String.fromCharCode.apply(null, bytes as unknown as number[]);
    if (!isValidUtf8(bytes)) return this.fail('malformed UTF-8 encoding', `${what} is not valid UTF-8`, start);
    return utf8.decode(bytes);
  }
}
