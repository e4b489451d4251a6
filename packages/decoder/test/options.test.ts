// Decoding options: proposals that give a meaning to encodings Wasm 3.0 declares malformed are
// opt-in, through the same options object for decodeModule, validate and StreamingDecoder.
import { describe, expect, it } from 'vitest';
import { CompileError, StreamingDecoder, decodeModule, validate } from '../src/index.ts';
import { ModuleBuilder } from '../src/testing/index.ts';

const CUSTOM_PAGES = { features: { customPageSizes: true } };

/** A module whose one memory declares 1-byte pages: limits flags 0x08, min 1, page size 2^0. */
function onePageModule(): Uint8Array {
  return new ModuleBuilder().addRawSection(5, [0x01, 0x08, 0x01, 0x00]).toBytes();
}

function errorOf(run: () => unknown): CompileError {
  try {
    run();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

describe('custom-page-sizes is opt-in', () => {
  it('rejects limits flag 0x08 by default, as core binary.wast expects', () => {
    const bytes = onePageModule();
    const e = errorOf(() => decodeModule(bytes));
    expect(e.message).toMatch(/^malformed limits flags: 0x8 for a memory/);
    // header (8), section id, size, count: the flags byte is at 11.
    expect(e.offset).toBe(11);
    expect(errorOf(() => validate(bytes)).message).toMatch(/^malformed limits flags/);
    expect(errorOf(() => decodeModule(bytes, { features: { customPageSizes: false } })).message).toMatch(/^malformed limits flags/);
    expect(errorOf(() => decodeModule(bytes, {})).message).toMatch(/^malformed limits flags/);
  });

  it('reads the page size when enabled, in decodeModule, validate and the streaming decoder', () => {
    const bytes = onePageModule();
    expect(decodeModule(bytes, CUSTOM_PAGES).memories[0]).toMatchObject({ min: 1n, max: null, pageSizeLog2: 0 });
    expect(validate(bytes, CUSTOM_PAGES).features.has('custom-page-sizes')).toBe(true);
    const streaming = new StreamingDecoder({}, CUSTOM_PAGES);
    for (let i = 0; i < bytes.length; i += 3) streaming.push(bytes.subarray(i, i + 3));
    expect(streaming.finish().memories[0]!.pageSizeLog2).toBe(0);
    const strict = new StreamingDecoder();
    expect(errorOf(() => strict.push(bytes)).message).toMatch(/^malformed limits flags/);
  });

  it('still rejects flags above bit 3, and bit 3 on tables', () => {
    const high = new ModuleBuilder().addRawSection(5, [0x01, 0x10, 0x01]).toBytes();
    expect(errorOf(() => decodeModule(high, CUSTOM_PAGES)).message).toMatch(/^malformed limits flags: 0x10/);
    const table = new ModuleBuilder().addRawSection(4, [0x01, 0x70, 0x08, 0x01]).toBytes();
    expect(errorOf(() => decodeModule(table, CUSTOM_PAGES)).message).toMatch(/^malformed limits flags: 0x8 for a table/);
  });
});
