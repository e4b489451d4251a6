// Text arrives as bytes in two places: `(module quote …)` strings and `parseWat(Uint8Array)`.
// Bytes that are not well-formed UTF-8 are decoded to lone low surrogates (U+DC80–U+DCFF, the
// "surrogateescape" convention), which the lexer reports as "malformed UTF-8 encoding" wherever
// they appear. So a decoded source string is faithful to its bytes and no check is lost.
// Which sequences are well-formed is the decoder's one rule (`utf8SequenceLength`).
import { utf8SequenceLength } from '@flint/decoder';

export function decodeUtf8Lossless(bytes: Uint8Array): string {
  let out = '';
  let chunk: number[] = [];
  const flush = (): void => {
    out += String.fromCharCode.apply(null, chunk);
    chunk = [];
  };
  for (let i = 0; i < bytes.length; ) {
    if (chunk.length > 4096) flush();
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : utf8SequenceLength(bytes, i);
    if (length === 0) {
      chunk.push(0xdc00 | b);
      i++;
      continue;
    }
    // A well-formed sequence: the lead byte's payload bits, then six from each continuation byte.
    let cp = length === 1 ? b : b & (0x7f >> length);
    for (let k = 1; k < length; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f);
    if (cp >= 0x10000) chunk.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else chunk.push(cp);
    i += length;
  }
  flush();
  return out;
}
