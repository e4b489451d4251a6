// What a conformance run records: per engine, per file, per assertion kind, the counts, every
// skip with its reason and every failure with what was expected and what happened.

/**
 * Assertion kinds as counted. `assert_malformed` and `assert_invalid` are split by how their
 * module is given, because a quoted module exercises the text parser and a binary one the decoder.
 */
export type AssertionKind =
  | 'module'
  | 'assert_invalid'
  | 'assert_invalid:quote'
  | 'assert_malformed:binary'
  | 'assert_malformed:quote'
  | 'assert_malformed:text'
  | 'assert_unlinkable'
  | 'assert_uninstantiable'
  | 'assert_return'
  | 'assert_trap'
  | 'assert_exhaustion'
  | 'assert_exception'
  | 'invoke'
  | 'get'
  | 'register'
  | 'thread'
  | 'wait'
  | 'module_instance'
  | 'assert_malformed_custom'
  | 'assert_invalid_custom';

/** Who is at fault for a failure: the engine under test, or the harness's own text parser. */
export type FailureCause = 'engine' | 'parser';

export interface Failure {
  readonly file: string;
  readonly line: number;
  readonly kind: AssertionKind;
  readonly cause: FailureCause;
  readonly expected: string;
  readonly actual: string;
}

export interface KindCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Line numbers of skipped assertions, by reason. */
  skips: Record<string, number[]>;
  /** Line numbers of passed assertions (the ratchet's input). */
  passedLines: number[];
}

export interface FileResult {
  /** Path relative to the testsuite root, with `/` separators. */
  readonly file: string;
  readonly group: string;
  /** Null when the script parsed; else the parser's message (the file then has no assertions). */
  scriptParseError: string | null;
  readonly kinds: Partial<Record<AssertionKind, KindCounts>>;
  readonly failures: Failure[];
}

export interface Totals {
  passed: number;
  failed: number;
  /** Of `failed`, those blamed on the text parser rather than the engine. */
  failedByParser: number;
  skipped: number;
  scriptParseFailures: number;
}

export function emptyCounts(): KindCounts {
  return { passed: 0, failed: 0, skipped: 0, skips: {}, passedLines: [] };
}

export function countsOf(result: FileResult, kind: AssertionKind): KindCounts {
  let counts = result.kinds[kind];
  if (counts === undefined) {
    counts = emptyCounts();
    result.kinds[kind] = counts;
  }
  return counts;
}

export function newFileResult(file: string, group: string): FileResult {
  return { file, group, scriptParseError: null, kinds: {}, failures: [] };
}

export function recordPass(result: FileResult, kind: AssertionKind, line: number): void {
  const counts = countsOf(result, kind);
  counts.passed++;
  counts.passedLines.push(line);
}

export function recordSkip(result: FileResult, kind: AssertionKind, line: number, reason: string): void {
  const counts = countsOf(result, kind);
  counts.skipped++;
  (counts.skips[reason] ??= []).push(line);
}

export function recordFailure(result: FileResult, failure: Failure): void {
  countsOf(result, failure.kind).failed++;
  result.failures.push(failure);
}

export function totalsOf(results: readonly FileResult[]): Totals {
  const totals: Totals = { passed: 0, failed: 0, failedByParser: 0, skipped: 0, scriptParseFailures: 0 };
  for (const result of results) {
    if (result.scriptParseError !== null) totals.scriptParseFailures++;
    for (const failure of result.failures) if (failure.cause === 'parser') totals.failedByParser++;
    for (const counts of Object.values(result.kinds)) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
    }
  }
  return totals;
}
