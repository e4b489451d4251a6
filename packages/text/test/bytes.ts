// Test-only helpers to write expected binary modules by hand, straight from the binary format
// spec (https://webassembly.github.io/spec/core/binary/modules.html). Sizes are single-byte
// LEB128s, so every section here must stay under 128 bytes; `section` checks that.

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function section(id: number, ...content: number[]): number[] {
  if (content.length >= 128) throw new Error('test helper: section too large for a one-byte size');
  return [id, content.length, ...content];
}

/** A function body: size byte, then the given bytes (local declarations and code). */
export function body(...content: number[]): number[] {
  if (content.length >= 128) throw new Error('test helper: body too large for a one-byte size');
  return [content.length, ...content];
}

/** A name: length byte and ASCII bytes. */
export function name(text: string): number[] {
  return [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
}

export function module(...sections: number[][]): Uint8Array {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

/** The type section with one `[] -> []` function type, the most common case. */
export const TYPE_VOID = section(1, 1, 0x60, 0, 0);

/** Extracts the code bytes of the only function body of a module that has exactly one. */
export function onlyBody(bytes: Uint8Array): number[] {
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i]!;
    let size = 0;
    let shift = 0;
    let j = i + 1;
    for (;;) {
      const b = bytes[j++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (id === 10) {
      const code = Array.from(bytes.subarray(j, j + size));
      if (code[0] !== 1) throw new Error('test helper: expected exactly one body');
      // [count=1][body size (one byte in tests)][locals…][instructions…]
      return code.slice(2);
    }
    i = j + size;
  }
  throw new Error('test helper: no code section');
}

/** The contents of the section with the given id (after its size), walking the section headers. */
export function sectionContent(bytes: Uint8Array, wanted: number): number[] {
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i]!;
    let size = 0;
    let shift = 0;
    let j = i + 1;
    for (;;) {
      const b = bytes[j++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (id === wanted) return Array.from(bytes.subarray(j, j + size));
    i = j + size;
  }
  throw new Error(`test helper: no section ${wanted}`);
}

/** The last function body of a module (its local declarations and code, without the size). */
export function lastBody(bytes: Uint8Array): number[] {
  const code = sectionContent(bytes, 10);
  let i = 0;
  const leb = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = code[i++]!;
      v |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) return v;
    }
  };
  const count = leb();
  let last: number[] = [];
  for (let k = 0; k < count; k++) {
    const size = leb();
    last = code.slice(i, i + size);
    i += size;
  }
  return last;
}
