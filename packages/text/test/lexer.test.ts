// The lexer: token kinds, comments, strings and their escapes, annotations, and the errors
// for characters and constructs the lexical grammar rejects.
// Spec: https://webassembly.github.io/spec/core/text/lexical.html
import { describe, expect, it } from 'vitest';
import { WatSyntaxError, parseWat } from '../src/index.ts';
import { Tok, decodeStringBytes, tokenize } from '../src/lexer.ts';

function kinds(source: string): string[] {
  const t = tokenize(source);
  const names = Object.fromEntries(Object.entries(Tok).map(([k, v]) => [v, k]));
  const out: string[] = [];
  for (let i = 0; i < t.count; i++) out.push(`${names[t.kind[i]!]}:${source.slice(t.start[i], t.end[i])}`);
  return out;
}

function lexError(source: string): WatSyntaxError {
  try {
    tokenize(source);
  } catch (e) {
    if (e instanceof WatSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a WatSyntaxError');
}

describe('tokens', () => {
  it('classifies tokens', () => {
    expect(kinds('(module $m "s" 12 -3 offset=4 nan:0x1 $"q id")')).toEqual([
      'LParen:(',
      'Keyword:module',
      'Id:$m',
      'String:"s"',
      'Number:12',
      'Number:-3',
      'Keyword:offset=4',
      'Keyword:nan:0x1',
      'Id:$"q id"',
      'RParen:)',
      'Eof:',
    ]);
  });

  it('splits tokens at parentheses and comments but not elsewhere', () => {
    expect(kinds('(func(nop)nop;;c\n)')).toEqual(['LParen:(', 'Keyword:func', 'LParen:(', 'Keyword:nop', 'RParen:)', 'Keyword:nop', 'RParen:)', 'Eof:']);
    expect(kinds('0$l $l$l "a""b" a,b $"l"0')).toEqual(['Number:0$l', 'Id:$l$l', 'Reserved:"a""b"', 'Reserved:a,b', 'Reserved:$"l"0', 'Eof:']);
  });

  it('skips line comments and nested block comments', () => {
    expect(kinds(';; line\n(; a (; nested ;) b ;)x ;;')).toEqual(['Keyword:x', 'Eof:']);
    expect(lexError('(; a (; b ;)').reason).toBe('unclosed comment');
  });

  it('matches parentheses', () => {
    const t = tokenize('(a (b) c)');
    expect(t.partner[0]).toBe(6);
    expect(t.partner[2]).toBe(4);
    expect(tokenize('(a (b)').partner[0]).toBe(-1);
  });
});

describe('strings', () => {
  const bytes = (literal: string): number[] => Array.from(decodeStringBytes(literal, 0, literal.length));

  it('decodes every escape', () => {
    expect(bytes('"\\t\\n\\r\\"\\\'\\\\"')).toEqual([0x09, 0x0a, 0x0d, 0x22, 0x27, 0x5c]);
    expect(bytes('"\\41\\ff\\00"')).toEqual([0x41, 0xff, 0x00]);
    expect(bytes('"\\u{41}\\u{e9}\\u{20ac}\\u{1F600}\\u{1_F600}"')).toEqual([0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('encodes non-ASCII source characters as UTF-8', () => {
    expect(bytes('"é😀"')).toEqual([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  });

  it('rejects bad escapes, control characters and unclosed strings', () => {
    expect(lexError('"\\q"').reason).toBe('illegal escape');
    expect(lexError('"\\4"').reason).toBe('illegal escape');
    expect(lexError('"\\u{d800}"').reason).toBe('malformed unicode escape');
    expect(lexError('"\\u{110000}"').reason).toBe('malformed unicode escape');
    expect(lexError('"\\u{}"').reason).toBe('malformed unicode escape');
    expect(lexError('"a\tb"').reason).toBe('illegal character');
    expect(lexError('"abc').reason).toBe('unclosed string');
  });
});

describe('characters and identifiers', () => {
  it('rejects characters outside strings and comments', () => {
    expect(lexError('(func ü)').reason).toBe('illegal character');
    expect(lexError('(func \u0001)').reason).toBe('illegal character');
    expect(lexError('$').reason).toBe('empty identifier');
    expect(lexError('$""').reason).toBe('empty identifier');
  });

  it('reports bytes that are not UTF-8 wherever they occur', () => {
    const source = (inner: number[]): Uint8Array => new Uint8Array([...new TextEncoder().encode('(module (func (export "'), ...inner, ...new TextEncoder().encode('")))')]);
    expect(() => parseWat(source([0xc3, 0xa9]))).not.toThrow();
    for (const bad of [[0xff], [0xc3], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80]]) {
      expect(() => parseWat(source(bad))).toThrow('malformed UTF-8 encoding');
    }
  });
});

describe('annotations', () => {
  it('skips annotations anywhere, including nested ones', () => {
    expect(kinds('((@a) module (@name "x" (y (@z)) "w") $m)')).toEqual(['LParen:(', 'Keyword:module', 'Id:$m', 'RParen:)', 'Eof:']);
    expect(parseWat('(module (@a "c" "data") (func (@b "f")))')).toEqual(parseWat('(module (func))'));
  });

  it('lists @custom and @name annotations on the side, with the token each precedes', () => {
    const source = '(module (@custom "c") (func (@name "f")) (@customs) (@"name"))';
    const { annotations } = tokenize(source);
    expect(annotations.map((a) => [a.id, a.token, source.slice(a.contentStart, a.contentEnd)])).toEqual([
      ['custom', 2, ' "c"'],
      ['name', 4, ' "f"'],
    ]);
  });

  it('rejects malformed annotations', () => {
    expect(lexError('(@)').reason).toBe('empty annotation id');
    expect(lexError('(@ x)').reason).toBe('empty annotation id');
    expect(lexError('(@x (y)').reason).toBe('unclosed annotation');
    expect(lexError('(@x ü)').reason).toBe('illegal character');
  });
});

describe('line comments', () => {
  // Spec: a line comment runs to the next newline, and a newline is LF, CR, or CR LF.
  it.each([
    ['LF', '\n'],
    ['CR', '\r'],
    ['CR LF', '\r\n'],
  ])('end at %s', (_, newline) => {
    const bytes = parseWat(`(module ;; comment${newline}(func))`);
    // The function survives only if the comment ended at the newline.
    expect(bytes).toEqual(parseWat('(module (func))'));
  });
});
