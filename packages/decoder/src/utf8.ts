// UTF-8 well-formedness: the one check of the workspace. Names in the binary format must be
// valid UTF-8 (https://webassembly.github.io/spec/core/binary/values.html#names), and so must
// the text format's names and source (the text package decodes with it).
// Well-formed sequences: Unicode 15, section 3.9, table 3-7 (no overlong forms, no surrogates,
// nothing above U+10FFFF).

/**
 * Length in bytes (1–4) of the well-formed UTF-8 sequence that starts at `bytes[at]`, or 0 when
 * none does there: a continuation byte, an overlong form, a surrogate, a code point above
 * U+10FFFF, or a sequence cut short by the end of `bytes`.
 */
export function utf8SequenceLength(bytes: Uint8Array, at: number): number {
  const b = bytes[at]!;
  if (b < 0x80) return 1;
  let need: number;
  let min: number;
  let cp: number;
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
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[at + k];
    if (c === undefined || (c & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return 0;
  return need + 1;
}

/** Whether `bytes` are well-formed UTF-8 throughout. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return false;
    i += length;
  }
  return true;
}
