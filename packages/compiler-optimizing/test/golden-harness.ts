// Golden files, Cranelift-filetest style: each file holds an input, a separator line
// `; ---- <what> ----`, and the expected output below it. A test computes the output from the
// input and compares; with FLINT_BLESS=1 in the environment it rewrites the expected part
// instead (review the diff before committing it).

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export interface GoldenCase {
  readonly name: string;
  readonly path: string;
  /** Everything before the separator (comments included). */
  readonly input: string;
  readonly separator: string;
  readonly expected: string;
}

const SEPARATOR = /^; ---- .* ----$/m;

export function goldenCases(dir: string, extension: string): GoldenCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(extension))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const m = SEPARATOR.exec(text);
      if (m === null) throw new Error(`${path}: no '; ---- … ----' separator line`);
      return { name: file, path, input: text.slice(0, m.index), separator: m[0], expected: text.slice(m.index + m[0].length + 1) };
    });
}

export const blessing = (): boolean => process.env.FLINT_BLESS === '1';

/** Compares `actual` with the case's expected output, or rewrites it when blessing. */
export function checkGolden(c: GoldenCase, actual: string): void {
  if (blessing()) {
    if (actual !== c.expected) writeFileSync(c.path, `${c.input}${c.separator}\n${actual}`);
    return;
  }
  expect(actual, `${c.name} (re-bless with FLINT_BLESS=1 after checking the change)`).toBe(c.expected);
}
