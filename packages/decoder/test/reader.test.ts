// LEB128, names and type reads, against the limits of the binary format's value encodings.
// Spec: https://webassembly.github.io/spec/core/binary/values.html
import { describe, expect, it } from 'vitest';
import { CompileError, HeapType, ValType, heapFromTypeIndex, refType } from '../src/index.ts';
import { Reader } from '../src/reader.ts';
import { readHeapType, readLimits, readStorageType, readValType } from '../src/read-types.ts';
import { sleb, uleb } from '../src/testing/index.ts';

const reader = (bytes: readonly number[], base = 0) => new Reader(Uint8Array.from(bytes), base);

function failure(read: (r: Reader) => unknown, bytes: readonly number[]): CompileError {
  try {
    read(reader(bytes));
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

describe('u32', () => {
  it('round-trips values across every encoded length', () => {
    for (const v of [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 0xffffffff]) {
      const r = reader(uleb(v));
      expect(r.u32()).toBe(v);
      expect(r.atEnd()).toBe(true);
    }
  });

  it('accepts padded encodings up to 5 bytes', () => {
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x00]).u32()).toBe(0);
    expect(reader([0x83, 0x80, 0x00]).u32()).toBe(3);
  });

  it('rejects a sixth byte and unused bits in the fifth', () => {
    expect(failure((r) => r.u32(), [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).message).toMatch(/^integer representation too long/);
    expect(failure((r) => r.u32(), [0xff, 0xff, 0xff, 0xff, 0x1f]).message).toMatch(/^integer too large/);
  });

  it('reports the end with the reader’s reason and the integer’s offset', () => {
    const r = reader([0x05, 0x80, 0x80], 0x20);
    r.u8();
    try {
      r.u32();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CompileError);
      expect((e as CompileError).message).toMatch(/^unexpected end of section or function/);
      expect((e as CompileError).offset).toBe(0x21);
    }
  });
});

describe('s32 / s33 / s64', () => {
  it('round-trips signed 32-bit values', () => {
    for (const v of [0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 123456789, -987654321]) {
      expect(reader(sleb(v)).s32()).toBe(v);
    }
  });

  it('rejects s32 fifth bytes whose unused bits do not repeat the sign', () => {
    expect(failure((r) => r.s32(), [0xff, 0xff, 0xff, 0xff, 0x4f]).message).toMatch(/^integer too large/);
    expect(failure((r) => r.s32(), [0x80, 0x80, 0x80, 0x80, 0x70]).message).toMatch(/^integer too large/);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x7f]).s32()).toBe(-1);
    expect(failure((r) => r.s32(), [0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).message).toMatch(/^integer representation too long/);
  });

  it('reads s33 block-type indices up to 2^32', () => {
    for (const v of [0, 5, -1, -64, 2 ** 32 - 1, -(2 ** 32)]) expect(reader(sleb(v)).s33()).toBe(v);
    expect(failure((r) => r.s33(), [0x80, 0x80, 0x80, 0x80, 0x20]).message).toMatch(/^integer too large/);
  });

  it('reads s64 into two’s-complement halves', () => {
    for (const v of [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 0x123456789abcdefn, -0x123456789abcdefn]) {
      const r = reader(sleb(v));
      r.s64();
      expect((BigInt(r.hi) << 32n) | BigInt(r.lo >>> 0)).toBe(v);
      expect(r.atEnd()).toBe(true);
    }
  });

  it('rejects s64 tenth bytes other than 0x00 / 0x7f', () => {
    const nine = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80];
    expect(failure((r) => r.s64(), [...nine, 0x02]).message).toMatch(/^integer too large/);
    expect(failure((r) => r.s64(), [...nine, 0x80, 0x00]).message).toMatch(/^integer representation too long/);
  });
});

describe('u64', () => {
  it('reads bigints and the small-number fast path', () => {
    expect(reader(uleb(2n ** 64n - 1n)).u64()).toBe(2n ** 64n - 1n);
    expect(reader(uleb(2 ** 40)).u64Small()).toBe(2 ** 40);
    const r = reader(uleb(2n ** 60n));
    expect(r.u64Small()).toBe(-1);
    expect(r.pos).toBe(0); // rewound for the exact read
    expect(r.u64()).toBe(2n ** 60n);
    expect(failure((r) => r.u64(), [...new Array(9).fill(0xff), 0x03]).message).toMatch(/^integer too large/);
  });
});

describe('names', () => {
  it('decodes UTF-8 and keeps a leading byte-order mark', () => {
    const utf8 = [...new TextEncoder().encode('\ufeffñame→𝄞')];
    expect(reader([utf8.length, ...utf8]).name()).toBe('\ufeffñame→𝄞');
  });

  it('rejects overlong forms, surrogates and truncated sequences', () => {
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]) {
      expect(failure((r) => r.name(), [bad.length, ...bad]).message).toMatch(/^malformed UTF-8 encoding/);
    }
  });

  it('rejects a length beyond the bytes', () => {
    expect(failure((r) => r.name(), [5, 0x61]).message).toMatch(/^unexpected end of section or function/);
  });
});

describe('types', () => {
  it('reads numeric, shorthand and explicit reference types', () => {
    expect(readValType(reader([0x7b]))).toBe(ValType.V128);
    expect(readValType(reader([0x70]))).toBe(refType(true, HeapType.Func));
    expect(readValType(reader([0x64, 0x6b]))).toBe(refType(false, HeapType.Struct));
    expect(readValType(reader([0x63, 0x05]))).toBe(refType(true, heapFromTypeIndex(5)));
    expect(readValType(reader([0x64, 0x62, 0x05]))).toBe(refType(false, heapFromTypeIndex(5), true));
    expect(readStorageType(reader([0x78]))).toBe(ValType.I8);
  });

  it('names the malformed thing', () => {
    expect(failure((r) => readValType(r), [0x40]).message).toMatch(/^malformed value type/);
    expect(failure((r) => readStorageType(r), [0x62, 0x00]).message).toMatch(/^malformed storage type/);
    expect(failure((r) => readHeapType(r), [0x40]).message).toMatch(/^malformed heap type/);
  });

  it('reads limits with every flag', () => {
    expect(readLimits(reader([0x00, 0x01]), 'memory')).toEqual({ min: 1n, max: null, shared: false, address: 'i32', pageSizeLog2: 16 });
    expect(readLimits(reader([0x03, 0x01, 0x02]), 'memory')).toEqual({ min: 1n, max: 2n, shared: true, address: 'i32', pageSizeLog2: 16 });
    expect(readLimits(reader([0x05, ...uleb(2n ** 40n), ...uleb(2n ** 50n)]), 'memory')).toEqual({
      min: 2n ** 40n,
      max: 2n ** 50n,
      shared: false,
      address: 'i64',
      pageSizeLog2: 16,
    });
    // Bit 3 (a page size follows) exists only with the custom-page-sizes proposal enabled.
    expect(readLimits(reader([0x08, 0x00, 0x00]), 'memory', { customPageSizes: true }).pageSizeLog2).toBe(0);
    expect(readLimits(reader([0x09, 0x01, 0x02, 0x10]), 'memory', { customPageSizes: true })).toEqual({ min: 1n, max: 2n, shared: false, address: 'i32', pageSizeLog2: 16 });
    expect(failure((r) => readLimits(r, 'memory'), [0x08, 0x00, 0x00]).message).toMatch(/^malformed limits flags: 0x8 for a memory \(at byte 0x0\)/);
    expect(failure((r) => readLimits(r, 'memory', { customPageSizes: false }), [0x0f, 0x00, 0x00, 0x00]).message).toMatch(/^malformed limits flags/);
    expect(failure((r) => readLimits(r, 'memory', { customPageSizes: true }), [0x10, 0x00]).message).toMatch(/^malformed limits flags/);
    // A LEB128-style continuation bit is not a flag either (binary.wast: "\81\00").
    expect(failure((r) => readLimits(r, 'memory', { customPageSizes: true }), [0x81, 0x00, 0x00]).message).toMatch(/^malformed limits flags/);
    expect(failure((r) => readLimits(r, 'table', { customPageSizes: true }), [0x08, 0x00]).message).toMatch(/^malformed limits flags/);
    expect(failure((r) => readLimits(r, 'memory'), [0x10, 0x00]).message).toMatch(/^malformed limits flags/);
    expect(failure((r) => readLimits(r, 'table'), [0x02, 0x00]).message).toMatch(/^malformed limits flags/);
    expect(failure((r) => readLimits(r, 'table'), [0x08, 0x00]).message).toMatch(/^malformed limits flags/);
  });
});
