// Entry points for one module in the text format: `(module …)`, a bare sequence of module
// fields, and the `(module binary …)` / `(module quote …)` forms.
// Spec: https://webassembly.github.io/spec/core/text/modules.html#modules
import { Tok, tokenize } from '../lexer.ts';
import { decodeUtf8Lossless } from '../utf8.ts';
import { Cursor } from './cursor.ts';
import { encodeModuleFields } from './module.ts';

export interface ParseWatOptions {
  /** Named in error messages. */
  readonly filename?: string;
  /**
   * Write a `name` custom section for the `$identifiers` of the module, functions, locals, types,
   * fields, tables, memories, globals, tags, elem and data segments (default false).
   * `(@name …)` annotations are written either way.
   */
  readonly names?: boolean;
}

/**
 * Parses a module in the text format and returns its binary encoding. `source` may be text or
 * UTF-8 bytes (bytes that are not well-formed UTF-8 are reported as malformed where they occur).
 * Throws `WatSyntaxError` for malformed text.
 */
export function parseWat(source: string | Uint8Array, options?: ParseWatOptions): Uint8Array {
  const text = typeof source === 'string' ? source : decodeUtf8Lossless(source);
  const filename = options?.filename;
  const cur = new Cursor(tokenize(text, filename), 0, filename);
  let bytes: Uint8Array;
  if (cur.isOpen('module')) {
    bytes = parseModuleForm(cur, options).bytes;
  } else {
    bytes = encodeModuleFields(cur, cur.tokens.count - 1, { names: options?.names === true });
  }
  if (cur.kind() !== Tok.Eof) cur.unexpected();
  return bytes;
}

export interface ModuleForm {
  readonly kind: 'text' | 'binary' | 'quote';
  readonly id: string | null;
  /** `module definition` (script form: define without instantiating). */
  readonly definition: boolean;
  /** The binary module, for text and binary forms. */
  readonly bytes: Uint8Array;
  /** The quoted source, for the quote form (parsed only if `parseQuote`). */
  readonly source: string;
}

/** Parses `(module $id? …)` at the cursor, consuming it. Quoted text is parsed too unless `lazyQuote`. */
export function parseModuleForm(cur: Cursor, options?: ParseWatOptions, lazyQuote = false): ModuleForm {
  const close = cur.closeOf(cur.pos);
  cur.pos += 2;
  const headerStart = cur.pos;
  const definition = cur.eatKeyword('definition');
  const id = cur.maybeId();
  if (cur.isKeyword('binary') || cur.isKeyword('quote')) {
    const binary = cur.isKeyword('binary');
    cur.pos++;
    const parts: Uint8Array[] = [];
    let length = 0;
    while (cur.kind() === Tok.String) {
      const b = cur.bytes();
      parts.push(b);
      length += b.length;
    }
    cur.expectClose();
    const bytes = new Uint8Array(length);
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
    if (binary) return { kind: 'binary', id, definition, bytes, source: '' };
    const source = decodeUtf8Lossless(bytes);
    if (lazyQuote) return { kind: 'quote', id, definition, bytes: new Uint8Array(0), source };
    return { kind: 'quote', id, definition, bytes: parseWat(source, options), source };
  }
  const bytes = encodeModuleFields(cur, close, { names: options?.names === true, moduleId: id, headerStart });
  cur.expectClose();
  return { kind: 'text', id, definition, bytes, source: '' };
}
