// Lossless decoding of source bytes: well-formed UTF-8 decodes as the platform decodes it, and
// every byte of a malformed sequence becomes its own lone low surrogate.
import { describe, expect, it } from 'vitest';
import { decodeUtf8Lossless } from '../src/utf8.ts';

describe('decodeUtf8Lossless', () => {
  it('decodes well-formed text exactly as the platform does, astral code points included', () => {
    const text = 'module $名前 "\u{1F600}" \u00e9\u07ff\u0800\uffff\u{10ffff}';
    const bytes = new TextEncoder().encode(text);
    expect(decodeUtf8Lossless(bytes)).toBe(text);
    expect(decodeUtf8Lossless(bytes)).toBe(new TextDecoder().decode(bytes));
  });

  it('maps each byte of a malformed sequence to U+DC00 + byte', () => {
    // "a", a lone continuation byte, an overlong "/", an encoded surrogate, "b", a truncated sequence.
    const bytes = Uint8Array.from([0x61, 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x62, 0xe2, 0x82]);
    expect([...decodeUtf8Lossless(bytes)].map((c) => c.charCodeAt(0).toString(16))).toEqual(['61', 'dc80', 'dcc0', 'dcaf', 'dced', 'dca0', 'dc80', '62', 'dce2', 'dc82']);
  });
});
