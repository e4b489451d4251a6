// The two annotations the text format gives a meaning: `(@custom "name" place? "bytes"*)`, a
// custom section placed among the module's sections, and `(@name "text")`, the name-section
// entry of the module or of the definition it follows. Every other annotation is skipped by the
// lexer. Their contents are lexed only here, on demand, from the spans the lexer recorded.
// Spec: https://github.com/WebAssembly/annotations/blob/main/proposals/annotations/Overview.md
//       https://webassembly.github.io/spec/core/appendix/custom.html#name-section
import { isValidUtf8 } from '@flint/decoder';
import { Tok, tokenize } from '../lexer.ts';
import type { AnnotationSpan } from '../lexer.ts';
import { Cursor } from './cursor.ts';

/**
 * The sections in binary order, as `(before …)` / `(after …)` name them. A custom section's place
 * is a slot: `2k` before section k, `2k + 1` after it (whether or not the module has section k).
 */
export const PLACEABLE_SECTIONS = ['type', 'import', 'func', 'table', 'memory', 'tag', 'global', 'export', 'start', 'elem', 'datacount', 'code', 'data'] as const;
export type PlaceableSection = (typeof PLACEABLE_SECTIONS)[number];
const FIRST_SLOT = 0;
/** `(after last)`, also the place of a custom section that states none. */
export const LAST_SLOT = 2 * PLACEABLE_SECTIONS.length - 1;

export interface CustomSection {
  readonly name: Uint8Array;
  readonly slot: number;
  readonly bytes: Uint8Array;
}

function contents(source: string, filename: string | undefined, span: AnnotationSpan): Cursor {
  return new Cursor(tokenize(source, filename, span.contentStart, span.contentEnd), 0, filename);
}

/** Parses `(@custom …)`; malformed contents are a `WatSyntaxError` whose reason starts with `@custom annotation:`. */
export function parseCustomAnnotation(source: string, filename: string | undefined, span: AnnotationSpan): CustomSection {
  const cur = contents(source, filename, span);
  const fail = (reason: string, at = cur.pos): never => cur.error(`@custom annotation: ${reason}`, at);
  if (cur.kind() !== Tok.String) fail('missing section name');
  const nameAt = cur.pos;
  const name = cur.bytes();
  if (!isValidUtf8(name)) fail('malformed UTF-8 encoding', nameAt);
  let slot = LAST_SLOT;
  if (cur.kind() === Tok.LParen) {
    cur.pos++;
    const after = cur.isKeyword('after');
    if (!after && !cur.isKeyword('before')) fail('malformed placement');
    cur.pos++;
    if (cur.kind() !== Tok.Keyword) fail('malformed section kind');
    const section = cur.text();
    if (!after && section === 'first') slot = FIRST_SLOT;
    else if (after && section === 'last') slot = LAST_SLOT;
    else {
      const k = PLACEABLE_SECTIONS.indexOf(section as PlaceableSection);
      if (k < 0) fail('malformed section kind');
      slot = 2 * k + (after ? 1 : 0);
    }
    cur.pos++;
    if (!cur.atClose()) fail('unexpected token');
    cur.pos++;
  }
  const parts: Uint8Array[] = [];
  let length = 0;
  while (cur.kind() === Tok.String) {
    const part = cur.bytes();
    parts.push(part);
    length += part.length;
  }
  if (cur.kind() !== Tok.Eof) fail('unexpected token');
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { name, slot, bytes };
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Parses `(@name "text")` and returns the name. */
export function parseNameAnnotation(source: string, filename: string | undefined, span: AnnotationSpan): string {
  const cur = contents(source, filename, span);
  if (cur.kind() !== Tok.String) cur.error('@name annotation: missing name');
  const at = cur.pos;
  const bytes = cur.bytes();
  if (!isValidUtf8(bytes)) cur.error('@name annotation: malformed UTF-8 encoding', at);
  if (cur.kind() !== Tok.Eof) cur.error('@name annotation: unexpected token');
  return utf8.decode(bytes);
}
