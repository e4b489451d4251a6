// Test-only: extracts the `(module binary "...")` forms of the spec testsuite's .wast files,
// with the assertion that wraps each (none, assert_malformed, assert_invalid, …) and its
// expected message, so the decoder can be checked against the testsuite's own binaries.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { TESTSUITE } from '@flint/test-support';

export { TESTSUITE };

export interface BinaryModule {
  /** File and line, for test names. */
  readonly where: string;
  readonly bytes: Uint8Array;
  /** The wrapping assertion (`assert_malformed`, …) or null for a plain module. */
  readonly assertion: string | null;
  /** The assertion's expected failure message, if any. */
  readonly expected: string | null;
}

function wastFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...wastFiles(path));
    else if (entry.endsWith('.wast')) out.push(path);
  }
  return out;
}

/** Decodes a .wast string literal's body (between the quotes) to bytes. */
export function decodeWastString(body: string): number[] {
  const out: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const code = body.codePointAt(i)!;
      if (code > 0xffff) i++;
      out.push(...utf8.encode(String.fromCodePoint(code)));
      continue;
    }
    const next = body[++i]!;
    if (/[0-9a-fA-F]/.test(next)) {
      out.push(parseInt(body.slice(i, i + 2), 16));
      i++;
    } else if (next === 'n') out.push(0x0a);
    else if (next === 't') out.push(0x09);
    else if (next === 'r') out.push(0x0d);
    else if (next === 'u') {
      const close = body.indexOf('}', i);
      out.push(...utf8.encode(String.fromCodePoint(parseInt(body.slice(i + 2, close), 16))));
      i = close;
    } else out.push(next.charCodeAt(0)); // \\ \' \"
  }
  return out;
}

/** Index just past the s-expression that opens at `open`, skipping strings and comments. */
function closeOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === ';' && text[i + 1] === ';') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (ch === '(' && text[i + 1] === ';') {
      const end = text.indexOf(';)', i);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

function stringsIn(form: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < form.length; i++) {
    const ch = form[i]!;
    if (ch === ';' && form[i + 1] === ';') {
      const nl = form.indexOf('\n', i);
      i = nl < 0 ? form.length : nl;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < form.length && form[j] !== '"'; j++) if (form[j] === '\\') j++;
      out.push(form.slice(i + 1, j));
      i = j;
    }
  }
  return out;
}

const MODULE_BINARY = /\(module(?:\s+\$[^\s()]+)?\s+binary\b/g;

export function loadBinaryModules(root = TESTSUITE): BinaryModule[] {
  const modules: BinaryModule[] = [];
  for (const file of wastFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const name = relative(root, file);
    for (const match of text.matchAll(MODULE_BINARY)) {
      const open = match.index!;
      const close = closeOf(text, open);
      const bytes = Uint8Array.from(stringsIn(text.slice(open, close)).flatMap(decodeWastString));
      // The enclosing assertion is the nearest unclosed "(assert_…" before the module.
      const before = text.slice(Math.max(0, open - 200), open);
      const assertMatch = /\((assert_\w+)\s*$/.exec(before);
      const assertion = assertMatch ? assertMatch[1]! : null;
      const after = /^(?:\s|;;[^\n]*\n)*"([^"]*)"/.exec(text.slice(close));
      const line = text.slice(0, open).split('\n').length;
      modules.push({ where: `${name}:${line}`, bytes, assertion, expected: assertion && after ? after[1]! : null });
    }
  }
  return modules;
}
