// Test-only: extracts the binary modules of a .wast script with a small S-expression scanner
// (no text-format parsing): top-level `(module [$id] [definition] binary "…")` forms and
// `(assert_invalid (module binary "…") "reason")` forms.
import { readFileSync } from 'node:fs';

export interface WastBinary {
  readonly kind: 'module' | 'assert_invalid';
  readonly bytes: Uint8Array;
  readonly reason: string | null;
  readonly line: number;
}

/** Decodes the bytes of a wast string literal body (escapes: \hh, \n, \t, \\, \', \", \u{…}). */
function stringBytes(text: string): number[] {
  const out: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out.push(...utf8.encode(c));
      continue;
    }
    const n = text[++i]!;
    if (/[0-9a-fA-F]/.test(n)) {
      out.push(parseInt(text.slice(i, i + 2), 16));
      i++;
    } else if (n === 'n') out.push(10);
    else if (n === 't') out.push(9);
    else if (n === 'r') out.push(13);
    else if (n === 'u') {
      const close = text.indexOf('}', i);
      out.push(...utf8.encode(String.fromCodePoint(parseInt(text.slice(i + 2, close), 16))));
      i = close;
    } else out.push(n.charCodeAt(0));
  }
  return out;
}

type Node = { list: Node[]; line: number } | { atom: string; string: boolean };

function parse(src: string): Node[] {
  let i = 0;
  let line = 1;
  const top: Node[] = [];
  const stack: { list: Node[]; line: number }[] = [];
  const add = (n: Node) => (stack.length > 0 ? stack[stack.length - 1]!.list.push(n) : top.push(n));
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') line++;
    if (c === ';' && src[i + 1] === ';') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '(' && src[i + 1] === ';') {
      let depth = 1;
      i += 2;
      while (i < src.length && depth > 0) {
        if (src[i] === '\n') line++;
        if (src[i] === '(' && src[i + 1] === ';') (depth++, i++);
        else if (src[i] === ';' && src[i + 1] === ')') (depth--, i++);
        i++;
      }
      continue;
    } else if (c === '(') {
      stack.push({ list: [], line });
      i++;
      continue;
    } else if (c === ')') {
      const done = stack.pop()!;
      add(done);
    } else if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      add({ atom: src.slice(i + 1, j), string: true });
      i = j;
    } else if (!/\s/.test(c)) {
      let j = i;
      while (j < src.length && !/[\s()"]/.test(src[j]!) && !(src[j] === ';' && src[j + 1] === ';')) j++;
      if (j === i) j++;
      add({ atom: src.slice(i, j), string: false });
      i = j;
      continue;
    }
    i++;
  }
  return top;
}

const isAtom = (n: Node | undefined, s?: string): boolean => n !== undefined && 'atom' in n && !n.string && (s === undefined || n.atom === s);

function binaryOf(n: Node): Uint8Array | null {
  if (!('list' in n) || !isAtom(n.list[0], 'module')) return null;
  const at = n.list.findIndex((m) => isAtom(m, 'binary'));
  if (at < 0) return null;
  const bytes: number[] = [];
  for (const m of n.list.slice(at + 1)) if ('atom' in m && m.string) bytes.push(...stringBytes(m.atom));
  return Uint8Array.from(bytes);
}

export function wastBinaries(path: string): WastBinary[] {
  const out: WastBinary[] = [];
  for (const n of parse(readFileSync(path, 'utf8'))) {
    if (!('list' in n)) continue;
    const bytes = binaryOf(n);
    if (bytes !== null) out.push({ kind: 'module', bytes, reason: null, line: n.line });
    else if (isAtom(n.list[0], 'assert_invalid')) {
      const inner = n.list[1];
      const reason = n.list[2];
      const b = inner === undefined ? null : binaryOf(inner);
      if (b !== null && reason !== undefined && 'atom' in reason) out.push({ kind: 'assert_invalid', bytes: b, reason: reason.atom, line: n.line });
    }
  }
  return out;
}
