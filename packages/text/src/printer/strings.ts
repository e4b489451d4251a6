// Text-format strings and identifiers.
// Spec: https://webassembly.github.io/spec/core/text/values.html#strings
//       https://webassembly.github.io/spec/core/text/values.html#text-id

const HEX = '0123456789abcdef';
const utf8 = new TextEncoder();

/** `idchar` of the text format: printable ASCII except space, quotes, comma, semicolon and brackets. */
const ID_CHAR = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x21; c < 0x7f; c++) table[c] = 1;
  for (const c of '",;()[]{}') table[c.charCodeAt(0)] = 0;
  return table;
})();

/** The escaped form of `bytes`, without quotes: printable ASCII as is, everything else as `\\hh`. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
    else out += '\\' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** A quoted string literal for arbitrary bytes (data segments, custom sections). */
export const quoteBytes = (bytes: Uint8Array): string => '"' + escapeBytes(bytes) + '"';

/** A quoted string literal for a name; names are UTF-8 on the wire, so escape their UTF-8 bytes. */
export const quoteName = (name: string): string => '"' + escapeBytes(utf8.encode(name)) + '"';

/**
 * The `$identifier` for a name: plain when every character is an `idchar`, otherwise the
 * quoted form `$"…"` of Wasm 3.0, which can spell any name exactly. Empty names have no id.
 */
export function identifierFor(name: string): string | null {
  if (name.length === 0) return null;
  let plain = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || ID_CHAR[c] === 0) {
      plain = false;
      break;
    }
  }
  return plain ? '$' + name : '$' + quoteName(name);
}
