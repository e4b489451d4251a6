// Text arrives as bytes in two places: `(module quote …)` strings and `parseWat(Uint8Array)`.
// Bytes that are not well-formed UTF-8 are decoded to lone low surrogates (U+DC80–U+DCFF, the
// "surrogateescape" convention), which the lexer reports as "malformed UTF-8 encoding" wherever
// they appear. So a decoded source string is faithful to its bytes and no check is lost.

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
    if (b < 0x80) {
      chunk.push(b);
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    let cp = 0;
    if (b >= 0xc2 && b < 0xe0) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b < 0xf0) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b < 0xf5) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    }
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))) ok = false;
    if (!ok) {
      chunk.push(0xdc00 | b);
      i++;
    } else if (cp >= 0x10000) {
      chunk.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      i += need + 1;
    } else {
      chunk.push(cp);
      i += need + 1;
    }
  }
  flush();
  return out;
}
