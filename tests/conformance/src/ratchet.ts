// The ratchet: a committed list, per engine, of the assertions (by file and line) that passed.
// A run fails when one of them no longer passes; blessing rewrites the list, so raising the bar
// is an ordinary commit and lowering it is a visible one.
import type { FileResult } from './results.ts';

export interface ExpectedPasses {
  readonly engine: string;
  /** File → sorted line numbers of passed assertions (a line repeats when it holds several). */
  readonly files: Record<string, number[]>;
}

export interface Regression {
  readonly file: string;
  readonly line: number;
}

function passedLinesOf(result: FileResult): number[] {
  const lines: number[] = [];
  for (const counts of Object.values(result.kinds)) lines.push(...counts.passedLines);
  return lines.sort((a, b) => a - b);
}

/** The passes of a run, as the expected file would record them. */
export function expectedFromResults(engine: string, results: readonly FileResult[]): ExpectedPasses {
  const files: Record<string, number[]> = {};
  for (const result of results) {
    const lines = passedLinesOf(result);
    if (lines.length > 0) files[result.file] = lines;
  }
  return { engine, files };
}

/**
 * Assertions that passed in `expected` and do not pass now. Files not in `results` (filtered
 * out of this run) are not compared.
 */
export function findRegressions(expected: ExpectedPasses, results: readonly FileResult[]): Regression[] {
  const regressions: Regression[] = [];
  for (const result of results) {
    const before = expected.files[result.file];
    if (before === undefined) continue;
    const now = new Map<number, number>();
    for (const line of passedLinesOf(result)) now.set(line, (now.get(line) ?? 0) + 1);
    for (const line of before) {
      const remaining = now.get(line) ?? 0;
      if (remaining > 0) now.set(line, remaining - 1);
      else regressions.push({ file: result.file, line });
    }
  }
  return regressions;
}

/** The blessed file after a run: this run's files replaced, files outside the run kept. */
export function blessExpected(previous: ExpectedPasses | null, engine: string, results: readonly FileResult[]): ExpectedPasses {
  const current = expectedFromResults(engine, results);
  const files: Record<string, number[]> = { ...(previous?.files ?? {}) };
  for (const result of results) delete files[result.file];
  Object.assign(files, current.files);
  const sorted: Record<string, number[]> = {};
  for (const file of Object.keys(files).sort()) sorted[file] = files[file]!;
  return { engine, files: sorted };
}

/** JSON with one file per line, so that diffs of the committed file stay readable. */
export function serializeExpected(expected: ExpectedPasses): string {
  const entries = Object.entries(expected.files).map(([file, lines]) => `    ${JSON.stringify(file)}: ${JSON.stringify(lines)}`);
  return `{\n  "engine": ${JSON.stringify(expected.engine)},\n  "files": {\n${entries.join(',\n')}\n  }\n}\n`;
}

/** Parses an expected file; throws a plain Error naming the problem when it is not one. */
export function parseExpected(text: string, source: string): ExpectedPasses {
  const data: unknown = JSON.parse(text);
  if (typeof data !== 'object' || data === null) throw new Error(`${source}: not a JSON object`);
  const { engine, files } = data as { engine?: unknown; files?: unknown };
  if (typeof engine !== 'string' || typeof files !== 'object' || files === null) {
    throw new Error(`${source}: expected { "engine": string, "files": { file: number[] } }`);
  }
  for (const [file, lines] of Object.entries(files)) {
    if (!Array.isArray(lines) || !lines.every((l) => Number.isInteger(l))) throw new Error(`${source}: "${file}" must list line numbers`);
  }
  return { engine, files: files as Record<string, number[]> };
}
