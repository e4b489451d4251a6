// The workspace's one UTF-8 rule, checked against the platform's strict decoder on every
// boundary case of Unicode's table 3-7 and on random bytes.
import { describe, expect, it } from 'vitest';
import { isValidUtf8, utf8SequenceLength } from '../src/utf8.ts';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const platformSays = (bytes: Uint8Array): boolean => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('UTF-8', () => {
  it('accepts the boundaries of each well-formed range and rejects just outside them', () => {
    const cases: [number[], boolean][] = [
      [[0x00], true],
      [[0x7f], true],
      [[0x80], false], // a lone continuation byte
      [[0xc1, 0xbf], false], // overlong 2-byte form of U+007F
      [[0xc2, 0x80], true], // U+0080
      [[0xdf, 0xbf], true], // U+07FF
      [[0xe0, 0x9f, 0xbf], false], // overlong 3-byte form
      [[0xe0, 0xa0, 0x80], true], // U+0800
      [[0xed, 0x9f, 0xbf], true], // U+D7FF
      [[0xed, 0xa0, 0x80], false], // U+D800, a surrogate
      [[0xed, 0xbf, 0xbf], false], // U+DFFF
      [[0xee, 0x80, 0x80], true], // U+E000
      [[0xef, 0xbf, 0xbf], true], // U+FFFF
      [[0xf0, 0x8f, 0xbf, 0xbf], false], // overlong 4-byte form
      [[0xf0, 0x90, 0x80, 0x80], true], // U+10000
      [[0xf4, 0x8f, 0xbf, 0xbf], true], // U+10FFFF
      [[0xf4, 0x90, 0x80, 0x80], false], // above U+10FFFF
      [[0xf5, 0x80, 0x80, 0x80], false],
      [[0xe2, 0x82], false], // cut short
      [[0xe2, 0x28, 0xa1], false], // bad continuation
    ];
    for (const [bytes, valid] of cases) {
      const array = Uint8Array.from(bytes);
      expect(isValidUtf8(array), bytes.map((b) => b.toString(16)).join(' ')).toBe(valid);
      expect(platformSays(array)).toBe(valid);
      expect(utf8SequenceLength(array, 0)).toBe(valid ? bytes.length : 0);
    }
  });

  it('agrees with the platform decoder on random byte strings', () => {
    let seed = 0x2545f491;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    let valid = 0;
    for (let n = 0; n < 20_000; n++) {
      const bytes = new Uint8Array(1 + (next() % 8));
      // Bias towards lead and continuation bytes so that multi-byte sequences occur often.
      for (let i = 0; i < bytes.length; i++) bytes[i] = next() % 3 === 0 ? 0x80 | (next() & 0x3f) : next() & 0xff;
      const expected = platformSays(bytes);
      if (expected) valid++;
      expect(isValidUtf8(bytes)).toBe(expected);
    }
    expect(valid).toBeGreaterThan(1000);
  });
});
