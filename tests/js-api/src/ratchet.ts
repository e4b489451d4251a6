// The ratchet: the committed list of Flint's passing subtests, by file and name. A run fails when
// one of them no longer passes; blessing (--update) rewrites the list, so raising the bar is an
// ordinary commit and lowering it a visible one.

import type { EngineFileResult } from './run.ts';

export interface ExpectedPasses {
  readonly engine: string;
  /** File → sorted names of its passing subtests. */
  readonly files: Record<string, string[]>;
  /**
   * Subtests Node passes and Flint deliberately fails, each with the reason, written by hand:
   * where a test contradicts the current specification and Flint follows the specification.
   * The run reports them, and fails on any other parity gap (see report.ts) and on an entry that
   * no longer fails.
   */
  readonly knownParityGaps?: Record<string, Record<string, string>>;
}

export interface Regression {
  readonly file: string;
  readonly name: string;
  /** What the subtest did instead: FAIL/SKIP with its message, or missing (never ran). */
  readonly now: string;
}

const passesOf = (result: EngineFileResult): string[] =>
  result.results.filter((r) => r.status === 'PASS').map((r) => r.name).sort();

export function findRegressions(expected: ExpectedPasses, results: readonly EngineFileResult[]): Regression[] {
  const regressions: Regression[] = [];
  for (const result of results) {
    const before = expected.files[result.file];
    if (before === undefined) continue;
    const now = new Map(result.results.map((r) => [r.name, r]));
    for (const name of before) {
      const subtest = now.get(name);
      if (subtest?.status === 'PASS') continue;
      const why = subtest === undefined ? `missing (file ${result.status}${result.errors.length > 0 ? `: ${result.errors[0]}` : ''})` : `${subtest.status}: ${subtest.message ?? ''}`;
      regressions.push({ file: result.file, name, now: why });
    }
  }
  return regressions;
}

/** The blessed list after a run: this run's files replaced, files outside the run kept. */
export function blessExpected(previous: ExpectedPasses | null, engine: string, results: readonly EngineFileResult[]): ExpectedPasses {
  const files: Record<string, string[]> = { ...(previous?.files ?? {}) };
  for (const result of results) {
    delete files[result.file];
    const passes = passesOf(result);
    if (passes.length > 0) files[result.file] = passes;
  }
  const sorted: Record<string, string[]> = {};
  for (const file of Object.keys(files).sort()) sorted[file] = files[file]!;
  return previous?.knownParityGaps === undefined ? { engine, files: sorted } : { engine, files: sorted, knownParityGaps: previous.knownParityGaps };
}

/** One subtest name per line, so that diffs of the committed file stay readable. */
export function serializeExpected(expected: ExpectedPasses): string {
  const files = Object.entries(expected.files).map(
    ([file, names]) => `    ${JSON.stringify(file)}: [\n${names.map((n) => `      ${JSON.stringify(n)}`).join(',\n')}\n    ]`,
  );
  const known = expected.knownParityGaps === undefined ? '' : `,\n  "knownParityGaps": ${JSON.stringify(expected.knownParityGaps, null, 2).replace(/\n/g, '\n  ')}`;
  return `{\n  "engine": ${JSON.stringify(expected.engine)}${known},\n  "files": {\n${files.join(',\n')}\n  }\n}\n`;
}

export function parseExpected(text: string, source: string): ExpectedPasses {
  const data: unknown = JSON.parse(text);
  const { engine, files } = (data ?? {}) as { engine?: unknown; files?: unknown };
  if (typeof engine !== 'string' || typeof files !== 'object' || files === null) {
    throw new Error(`${source}: expected { "engine": string, "files": { file: string[] } }`);
  }
  for (const [file, names] of Object.entries(files)) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new Error(`${source}: "${file}" must list subtest names`);
  }
  const { knownParityGaps } = data as { knownParityGaps?: unknown };
  if (knownParityGaps !== undefined) {
    const ok = typeof knownParityGaps === 'object' && knownParityGaps !== null && Object.values(knownParityGaps).every((entries) => typeof entries === 'object' && entries !== null && Object.values(entries).every((r) => typeof r === 'string'));
    if (!ok) throw new Error(`${source}: knownParityGaps must map files to { subtest: reason }`);
    return { engine, files: files as Record<string, string[]>, knownParityGaps: knownParityGaps as Record<string, Record<string, string>> };
  }
  return { engine, files: files as Record<string, string[]> };
}
