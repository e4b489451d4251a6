// Decoder features per group: the custom-page-sizes scripts decode with the proposal on, every
// other group with the core format, where the page-size bit of the limits flags is malformed.
import { describe, expect, it } from 'vitest';
import { decodeOptionsFor } from '../src/decode-options.ts';
import { validateEngine } from '../src/engines/validate.ts';

// A module with one memory whose limits flags are 0x08 (page size given), min 1, page size 2^0.
const PAGE_SIZE_ONE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x04, 0x01, 0x08, 0x01, 0x00);

describe('decodeOptionsFor', () => {
  it('turns custom page sizes on for their proposal group only', () => {
    expect(decodeOptionsFor('proposals/custom-page-sizes')).toEqual({ features: { customPageSizes: true } });
    expect(decodeOptionsFor('core')).toBeUndefined();
    expect(decodeOptionsFor('proposals/threads')).toBeUndefined();
  });

  it('makes the validate engine accept a page size in that group and reject it in core', () => {
    const inGroup = validateEngine.compile(PAGE_SIZE_ONE, decodeOptionsFor('proposals/custom-page-sizes'));
    expect(inGroup.ok).toBe(true);
    const inCore = validateEngine.compile(PAGE_SIZE_ONE, decodeOptionsFor('core'));
    expect(inCore.ok).toBe(false);
    if (!inCore.ok) expect(inCore.error.name).toBe('CompileError');
  });
});
