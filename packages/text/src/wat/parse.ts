// Entry points for one module in the text format: `(module …)`, a bare sequence of module
// fields, and the `(module binary …)` / `(module quote …)` forms.
// Spec: https://webassembly.github.io/spec/core/text/modules.html#modules
import { Tok, tokenize } from '../lexer.ts';
import { decodeUtf8Lossless } from '../utf8.ts';
import { positionOf } from '../errors.ts';
import { Cursor } from './cursor.ts';
import { encodeModule } from './module.ts';

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
  return parse(source, options, false).bytes;
}

/** A place in the text: 1-based line and column, and the UTF-16 offset in the source. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A module assembled from text, with the way back from its bytes to the text. */
export interface AssembledWat {
  readonly bytes: Uint8Array;
  /**
   * Where the byte at `moduleOffset` came from: the instruction, or the module field, that
   * produced it. Null for bytes no text produced (section headers, type and function sections,
   * `(module binary …)`/`(module quote …)` forms) — a binary offset is then all there is.
   */
  sourcePositionOf(moduleOffset: number): SourcePosition | null;
}

/**
 * `parseWat`, keeping a map from binary offsets to text positions, so that an error the decoder
 * or validator reports at a module offset can be shown at a line and column of the source.
 */
export function assembleWat(source: string | Uint8Array, options?: ParseWatOptions): AssembledWat {
  const { bytes, marks, text } = parse(source, options, true);
  return {
    bytes,
    sourcePositionOf(moduleOffset: number): SourcePosition | null {
      if (marks === null || marks.length === 0 || moduleOffset < marks[0]!) return null;
      // The last mark at or before the offset (marks ascend by module offset).
      let lo = 0;
      let hi = marks.length / 2 - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (marks[mid * 2]! <= moduleOffset) lo = mid;
        else hi = mid - 1;
      }
      const sourceOffset = marks[lo * 2 + 1]!;
      if (sourceOffset < 0) return null;
      return { ...positionOf(text, sourceOffset), offset: sourceOffset };
    },
  };
}

function parse(source: string | Uint8Array, options: ParseWatOptions | undefined, sourceMarks: boolean): { bytes: Uint8Array; marks: readonly number[] | null; text: string } {
  const text = typeof source === 'string' ? source : decodeUtf8Lossless(source);
  const filename = options?.filename;
  const cur = new Cursor(tokenize(text, filename), 0, filename);
  let encoded: { bytes: Uint8Array; marks: readonly number[] | null };
  if (cur.isOpen('module')) {
    encoded = parseModuleForm(cur, options, false, sourceMarks);
  } else {
    encoded = encodeModule(cur, cur.tokens.count - 1, { names: options?.names === true, sourceMarks });
  }
  if (cur.kind() !== Tok.Eof) cur.unexpected();
  return { bytes: encoded.bytes, marks: encoded.marks, text };
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
  /** Source marks of a text form parsed with `sourceMarks` (see `encodeModule`), else null. */
  readonly marks: readonly number[] | null;
}

/** Parses `(module $id? …)` at the cursor, consuming it. Quoted text is parsed too unless `lazyQuote`. */
export function parseModuleForm(cur: Cursor, options?: ParseWatOptions, lazyQuote = false, sourceMarks = false): ModuleForm {
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
    if (binary) return { kind: 'binary', id, definition, bytes, source: '', marks: null };
    const source = decodeUtf8Lossless(bytes);
    if (lazyQuote) return { kind: 'quote', id, definition, bytes: new Uint8Array(0), source, marks: null };
    return { kind: 'quote', id, definition, bytes: parseWat(source, options), source, marks: null };
  }
  const { bytes, marks } = encodeModule(cur, close, { names: options?.names === true, moduleId: id, headerStart, sourceMarks });
  cur.expectClose();
  return { kind: 'text', id, definition, bytes, source: '', marks };
}
