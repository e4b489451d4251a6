// A growable byte buffer with amortised doubling and the LEB128 writers of the binary format.
// Spec: https://webassembly.github.io/spec/core/binary/values.html

export class ByteWriter {
  bytes: Uint8Array;
  length = 0;
  /**
   * Source marks, when this writer keeps them: pairs (byte offset in this writer, source offset
   * of the text that produced the bytes from there on), in byte order. `append` carries the
   * other writer's marks over, so the assembled module maps its offsets back to the text.
   */
  readonly marks: number[] | null;

  constructor(initialCapacity = 16, keepMarks = false) {
    this.bytes = new Uint8Array(initialCapacity);
    this.marks = keepMarks ? [] : null;
  }

  reset(): void {
    this.length = 0;
    if (this.marks !== null) this.marks.length = 0;
  }

  /** The bytes written from here on come from the text at `sourceOffset` (no-op without marks). */
  mark(sourceOffset: number): void {
    const marks = this.marks;
    if (marks === null) return;
    // A later mark at the same byte offset wins: the earlier text produced no bytes.
    if (marks.length > 0 && marks[marks.length - 2] === this.length) marks[marks.length - 1] = sourceOffset;
    else marks.push(this.length, sourceOffset);
  }

  private grow(extra: number): void {
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(b: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = b;
  }

  raw(data: Uint8Array): void {
    if (this.length + data.length > this.bytes.length) this.grow(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Appends another writer's contents (and its marks, when both keep them). */
  append(other: ByteWriter): void {
    const marks = this.marks;
    const theirs = other.marks;
    if (marks !== null && theirs !== null) {
      for (let i = 0; i < theirs.length; i += 2) {
        const at = this.length + theirs[i]!;
        if (marks.length > 0 && marks[marks.length - 2] === at) marks[marks.length - 1] = theirs[i + 1]!;
        else marks.push(at, theirs[i + 1]!);
      }
    }
    this.raw(other.bytes.subarray(0, other.length));
  }

  u32(value: number): void {
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
  }

  /** Signed LEB128 of a 32-bit (or 33-bit, for block types) integer held in a JS number. */
  s32(value: number): void {
    let v = value;
    for (;;) {
      const b = v & 0x7f;
      v = Math.floor(v / 128);
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  /** Unsigned LEB128 of a bigint (memarg offsets, 64-bit limits). */
  u64(value: bigint): void {
    let v = value;
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      this.byte(b);
    } while (v !== 0n);
  }

  /** Signed LEB128 of a bigint given as its two's-complement pattern or signed value. */
  s64(value: bigint): void {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  /** Little-endian fixed-width bits: `size` bytes of a bigint pattern (f64, v128 lanes). */
  fixed(value: bigint, size: number): void {
    // Two 32-bit halves as numbers: cheaper than shifting a bigint byte by byte.
    const lo = Number(BigInt.asUintN(32, value));
    for (let i = 0; i < size && i < 4; i++) this.byte((lo >>> (8 * i)) & 0xff);
    if (size > 4) {
      const hi = Number(BigInt.asUintN(32, value >> 32n));
      for (let i = 4; i < size; i++) this.byte((hi >>> (8 * (i - 4))) & 0xff);
    }
  }

  u32le(value: number): void {
    this.byte(value & 0xff);
    this.byte((value >>> 8) & 0xff);
    this.byte((value >>> 16) & 0xff);
    this.byte((value >>> 24) & 0xff);
  }

  /** A length-prefixed byte vector (names, data). */
  vecBytes(data: Uint8Array): void {
    this.u32(data.length);
    this.raw(data);
  }

  /** A copy of the contents. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
