// The lexer: source text → a flat token table (kinds, start and end offsets in typed arrays).
// One pass over char codes, no regular expressions and no per-token objects; the parser reads
// token text back out of the source only when it needs it. Comments and annotations never reach
// the token table; the two annotations the text format gives a meaning, `(@custom …)` and
// `(@name …)`, are listed on the side with the token they precede, for the module parser. Spec: https://webassembly.github.io/spec/core/text/lexical.html
// Annotations: https://github.com/WebAssembly/annotations/blob/main/proposals/annotations/Overview.md
import { isValidUtf8 } from '@flint/decoder';
import { syntaxError } from './errors.ts';

export const Tok = {
  LParen: 0,
  RParen: 1,
  /** Starts with a lowercase letter: operators, `offset=4`, `inf`, `nan:0x…`. */
  Keyword: 2,
  /** Starts with a digit or a sign; validated as an integer or float where one is expected. */
  Number: 3,
  /** `$name` or `$"name"`. */
  Id: 4,
  String: 5,
  /** Anything else the token grammar admits but no rule uses; any use of it is an error. */
  Reserved: 6,
  Eof: 7,
} as const;
export type Tok = (typeof Tok)[keyof typeof Tok];

export interface TokenTable {
  readonly source: string;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** For an LParen, the index of its matching RParen (or -1 when unbalanced); 0 otherwise. */
  readonly partner: Int32Array;
  /** The `(@custom …)` and `(@name …)` annotations, in source order. */
  readonly annotations: readonly AnnotationSpan[];
}

/** An annotation the module parser interprets; its contents are lexed on demand (`tokenize` with a range). */
export interface AnnotationSpan {
  readonly id: 'custom' | 'name';
  /** Index of the token that follows the annotation (where it stands among the tokens). */
  readonly token: number;
  /** Source offsets: of the `(`, and of the contents after the id up to (not including) the final `)`. */
  readonly open: number;
  readonly contentStart: number;
  readonly contentEnd: number;
}

const NO_ANNOTATIONS: readonly AnnotationSpan[] = [];

const CH_TAB = 0x09;
const CH_LF = 0x0a;
const CH_CR = 0x0d;
const CH_SPACE = 0x20;
const CH_QUOTE = 0x22;
const CH_DOLLAR = 0x24;
const CH_LPAREN = 0x28;
const CH_RPAREN = 0x29;
const CH_SEMI = 0x3b;
const CH_AT = 0x40;
const CH_BACKSLASH = 0x5c;

/** 1 for idchar, 2 for the punctuation that only appears in reserved tokens, 0 otherwise. */
const CHAR_CLASS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x21; c < 0x7f; c++) table[c] = 1;
  for (const c of '",;()[]{}') table[c.charCodeAt(0)] = 0;
  for (const c of ',[]{};') table[c.charCodeAt(0)] = 2;
  return table;
})();

export function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
export function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** Tokenizes `source`, or only its offsets [from, to) (an annotation's contents), with offsets into the whole source. */
export function tokenize(source: string, filename?: string, from = 0, to = source.length): TokenTable {
  const n = to;
  let annotations: AnnotationSpan[] | null = null;
  let capacity = ((n - from) >> 2) + 16;
  let kind = new Uint8Array(capacity);
  let start = new Int32Array(capacity);
  let end = new Int32Array(capacity);
  let partner = new Int32Array(capacity);
  let count = 0;
  const open: number[] = [];
  const fail = (offset: number, reason: string): never => {
    throw syntaxError(source, offset, reason, filename);
  };

  const push = (k: Tok, s: number, e: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const k2 = new Uint8Array(capacity);
      k2.set(kind);
      kind = k2;
      const s2 = new Int32Array(capacity);
      s2.set(start);
      start = s2;
      const e2 = new Int32Array(capacity);
      e2.set(end);
      end = e2;
      const p2 = new Int32Array(capacity);
      p2.set(partner);
      partner = p2;
    }
    kind[count] = k;
    start[count] = s;
    end[count] = e;
    partner[count] = 0;
    count++;
  };

  // Returns the offset just past the closing quote of the string starting at `i` (a `"`).
  const scanString = (i: number): number => {
    const open = i;
    i++;
    for (;;) {
      if (i >= n) return fail(open, 'unclosed string');
      const c = source.charCodeAt(i);
      if (c === CH_QUOTE) return i + 1;
      if (c === CH_BACKSLASH) {
        const e = i + 1 < n ? source.charCodeAt(i + 1) : -1;
        if (e === 0x74 || e === 0x6e || e === 0x72 || e === CH_QUOTE || e === 0x27 || e === CH_BACKSLASH) {
          i += 2;
        } else if (e === 0x75 && i + 2 < n && source.charCodeAt(i + 2) === 0x7b) {
          let j = i + 3;
          let value = 0;
          let digits = 0;
          let lastUnderscore = true;
          for (; j < n; j++) {
            const d = source.charCodeAt(j);
            if (isHexDigit(d)) {
              value = Math.min(value * 16 + hexValue(d), 0x7fffffff);
              digits++;
              lastUnderscore = false;
            } else if (d === 0x5f && !lastUnderscore) {
              lastUnderscore = true;
            } else break;
          }
          if (digits === 0 || lastUnderscore || j >= n || source.charCodeAt(j) !== 0x7d) return fail(i, 'malformed unicode escape');
          if (value >= 0x110000 || (value >= 0xd800 && value < 0xe000)) return fail(i, 'malformed unicode escape');
          i = j + 1;
        } else if (isHexDigit(e) && i + 2 < n && isHexDigit(source.charCodeAt(i + 2))) {
          i += 3;
        } else {
          return fail(i, 'illegal escape');
        }
      } else if (c < 0x20 || c === 0x7f) {
        if (c === CH_LF) return fail(open, 'unclosed string');
        return fail(i, 'illegal character');
      } else if (c >= 0xd800 && c < 0xe000) {
        i = checkSurrogate(i);
      } else {
        i++;
      }
    }
  };

  // A valid surrogate pair is a non-ASCII character; a lone surrogate stands for a byte that
  // was not valid UTF-8 (see utf8.ts), which no part of the text format admits.
  const checkSurrogate = (i: number): number => {
    const c = source.charCodeAt(i);
    if (c < 0xdc00 && i + 1 < n) {
      const d = source.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) return i + 2;
    }
    return fail(i, 'malformed UTF-8 encoding');
  };

  // Skips whitespace and comments from `i`; returns the next offset holding anything else.
  const skipBlank = (i: number): number => {
    while (i < n) {
      const c = source.charCodeAt(i);
      if (c === CH_SPACE || c === CH_LF || c === CH_TAB || c === CH_CR) {
        i++;
      } else if (c === CH_SEMI && i + 1 < n && source.charCodeAt(i + 1) === CH_SEMI) {
        i += 2;
        while (i < n) {
          const d = source.charCodeAt(i);
          if (d === CH_LF || d === CH_CR) break; // a line comment ends at any newline: LF, CR or CR LF
          if (d >= 0xd800 && d < 0xe000) i = checkSurrogate(i);
          else i++;
        }
      } else if (c === CH_LPAREN && i + 1 < n && source.charCodeAt(i + 1) === CH_SEMI) {
        i = skipBlockComment(i);
      } else {
        break;
      }
    }
    return i;
  };

  const skipBlockComment = (i: number): number => {
    const open = i;
    let depth = 1;
    i += 2;
    while (depth > 0) {
      if (i >= n) return fail(open, 'unclosed comment');
      const c = source.charCodeAt(i);
      if (c === CH_LPAREN && i + 1 < n && source.charCodeAt(i + 1) === CH_SEMI) {
        depth++;
        i += 2;
      } else if (c === CH_SEMI && i + 1 < n && source.charCodeAt(i + 1) === CH_RPAREN) {
        depth--;
        i += 2;
      } else if (c >= 0xd800 && c < 0xe000) {
        i = checkSurrogate(i);
      } else {
        i++;
      }
    }
    return i;
  };

  // Scans a run of idchars and strings from `i`; returns its end and what it contained.
  let runStrings = 0;
  let runOther = 0;
  const scanRun = (i: number): number => {
    runStrings = 0;
    runOther = 0;
    while (i < n) {
      const c = source.charCodeAt(i);
      if (c === CH_QUOTE) {
        i = scanString(i);
        runStrings++;
      } else if (c < 128 && CHAR_CLASS[c] !== 0) {
        if (c === CH_SEMI && i + 1 < n && source.charCodeAt(i + 1) === CH_SEMI) break;
        if (CHAR_CLASS[c] === 2) runOther++;
        i++;
      } else {
        break;
      }
    }
    return i;
  };

  const checkTokenEnd = (i: number): void => {
    if (i >= n) return;
    const c = source.charCodeAt(i);
    if (c === CH_SPACE || c === CH_LF || c === CH_TAB || c === CH_CR || c === CH_LPAREN || c === CH_RPAREN) return;
    if (c === CH_SEMI) return;
    if (c >= 0xd800 && c < 0xe000 && !(c < 0xdc00 && i + 1 < n)) fail(i, 'malformed UTF-8 encoding');
    fail(i, 'illegal character');
  };

  // An annotation `(@id …)` is skipped whole; its contents must still be well-formed tokens.
  const skipAnnotation = (i: number): number => {
    const open = i;
    i += 2;
    const idStart = i;
    i = scanRun(i);
    if (i === idStart) return fail(open, 'empty annotation id');
    if (runStrings > 0) {
      if (runStrings !== 1 || source.charCodeAt(idStart) !== CH_QUOTE || i - idStart <= 2) return fail(open, 'empty annotation id');
      if (!isValidUtf8String(source, idStart, i)) return fail(idStart, 'malformed UTF-8 encoding');
    }
    checkTokenEnd(i);
    const interpreted = runStrings === 0 && i - idStart <= 6 ? source.slice(idStart, i) : '';
    const contentStart = i;
    let depth = 1;
    for (;;) {
      i = skipBlank(i);
      if (i >= n) return fail(open, 'unclosed annotation');
      const c = source.charCodeAt(i);
      if (c === CH_LPAREN) {
        depth++;
        i++;
      } else if (c === CH_RPAREN) {
        i++;
        if (--depth === 0) {
          if (interpreted === 'custom' || interpreted === 'name') {
            annotations ??= [];
            annotations.push({ id: interpreted, token: count, open, contentStart, contentEnd: i - 1 });
          }
          return i;
        }
      } else {
        const s = i;
        i = scanRun(i);
        if (i === s) {
          if (c >= 0xd800 && c < 0xe000) checkSurrogate(i);
          return fail(i, 'illegal character');
        }
        checkTokenEnd(i);
      }
    }
  };

  let i = from;
  for (;;) {
    i = skipBlank(i);
    if (i >= n) break;
    const c = source.charCodeAt(i);
    if (c === CH_LPAREN) {
      if (i + 1 < n && source.charCodeAt(i + 1) === CH_AT) {
        i = skipAnnotation(i);
        continue;
      }
      open.push(count);
      push(Tok.LParen, i, i + 1);
      i++;
    } else if (c === CH_RPAREN) {
      const o = open.pop();
      if (o !== undefined) partner[o] = count;
      push(Tok.RParen, i, i + 1);
      i++;
    } else {
      const s = i;
      i = scanRun(i);
      if (i === s) {
        if (c >= 0xd800 && c < 0xe000) checkSurrogate(i);
        fail(i, 'illegal character');
      }
      checkTokenEnd(i);
      let k: Tok;
      if (runStrings === 0) {
        if (runOther > 0) k = Tok.Reserved;
        else if (c === CH_DOLLAR) {
          if (i - s === 1) fail(s, 'empty identifier');
          k = Tok.Id;
        } else if (c >= 0x61 && c <= 0x7a) k = Tok.Keyword;
        else if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d) k = Tok.Number;
        else k = Tok.Reserved;
      } else if (runStrings === 1 && runOther === 0 && c === CH_QUOTE && source.charCodeAt(i - 1) === CH_QUOTE && isSingleString(source, s, i)) {
        k = Tok.String;
      } else if (runStrings === 1 && runOther === 0 && c === CH_DOLLAR && source.charCodeAt(s + 1) === CH_QUOTE && isSingleString(source, s + 1, i)) {
        if (i - s === 3) fail(s, 'empty identifier');
        if (!isValidUtf8String(source, s + 1, i)) fail(s, 'malformed UTF-8 encoding');
        k = Tok.Id;
      } else {
        k = Tok.Reserved;
      }
      push(k, s, i);
    }
  }
  push(Tok.Eof, n, n);
  for (const o of open) partner[o] = -1;
  return { source, count, kind, start, end, partner, annotations: annotations ?? NO_ANNOTATIONS };
}

// True when [s, e) is exactly one string literal (the run scanner already validated it).
function isSingleString(source: string, s: number, e: number): boolean {
  let i = s + 1;
  while (i < e - 1) {
    const c = source.charCodeAt(i);
    if (c === CH_BACKSLASH) i += 2;
    else if (c === CH_QUOTE) return false;
    else i++;
  }
  return i === e - 1;
}

/** Decodes the string literal at [s, e) (quotes included) into its bytes. */
export function decodeStringBytes(source: string, s: number, e: number): Uint8Array {
  // Fast path: printable ASCII without escapes, the common case for names and most data.
  let plain = true;
  for (let i = s + 1; i < e - 1; i++) {
    const c = source.charCodeAt(i);
    if (c === CH_BACKSLASH || c >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) {
    const bytes = new Uint8Array(e - s - 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = source.charCodeAt(s + 1 + i);
    return bytes;
  }
  let out = new Uint8Array(Math.max(8, (e - s) * 3));
  let len = 0;
  const put = (b: number): void => {
    if (len === out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[len++] = b;
  };
  const putCodePoint = (cp: number): void => {
    if (cp < 0x80) put(cp);
    else if (cp < 0x800) {
      put(0xc0 | (cp >> 6));
      put(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      put(0xe0 | (cp >> 12));
      put(0x80 | ((cp >> 6) & 0x3f));
      put(0x80 | (cp & 0x3f));
    } else {
      put(0xf0 | (cp >> 18));
      put(0x80 | ((cp >> 12) & 0x3f));
      put(0x80 | ((cp >> 6) & 0x3f));
      put(0x80 | (cp & 0x3f));
    }
  };
  for (let i = s + 1; i < e - 1; ) {
    const c = source.charCodeAt(i);
    if (c === CH_BACKSLASH) {
      const x = source.charCodeAt(i + 1);
      switch (x) {
        case 0x74:
          put(0x09);
          i += 2;
          break;
        case 0x6e:
          put(0x0a);
          i += 2;
          break;
        case 0x72:
          put(0x0d);
          i += 2;
          break;
        case CH_QUOTE:
        case 0x27:
        case CH_BACKSLASH:
          put(x);
          i += 2;
          break;
        case 0x75: {
          let j = i + 3;
          let cp = 0;
          for (; source.charCodeAt(j) !== 0x7d; j++) {
            const d = source.charCodeAt(j);
            if (d !== 0x5f) cp = cp * 16 + hexValue(d);
          }
          putCodePoint(cp);
          i = j + 1;
          break;
        }
        default:
          put(hexValue(x) * 16 + hexValue(source.charCodeAt(i + 2)));
          i += 3;
      }
    } else if (c >= 0xd800 && c < 0xdc00) {
      putCodePoint(source.codePointAt(i)!);
      i += 2;
    } else {
      putCodePoint(c);
      i++;
    }
  }
  return out.subarray(0, len);
}

/** Whether a string literal's bytes are well-formed UTF-8 (names and quoted identifiers must be). */
export function isValidUtf8String(source: string, s: number, e: number): boolean {
  return isValidUtf8(decodeStringBytes(source, s, e));
}
