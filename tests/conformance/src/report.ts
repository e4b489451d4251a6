// The conformance report: `report.json` with every count, skip and failure, and `report.md`
// with per-group and per-kind tables for people.
import type { AssertionKind, Failure, FileResult, KindCounts, Totals } from './results.ts';
import { totalsOf } from './results.ts';

export interface EngineRun {
  readonly engine: string;
  readonly results: readonly FileResult[];
}

interface PlainCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface JsonReport {
  readonly testsuite: string;
  readonly engines: Record<
    string,
    {
      readonly totals: Totals;
      readonly kinds: Record<string, PlainCounts>;
      readonly groups: Record<string, { files: number; totals: Totals; kinds: Record<string, PlainCounts> }>;
      readonly files: Record<
        string,
        {
          group: string;
          scriptParseError: string | null;
          kinds: Record<string, PlainCounts & { skips: Record<string, number[]> }>;
          failures: Failure[];
        }
      >;
    }
  >;
}

function addCounts(into: Record<string, PlainCounts>, kind: string, counts: KindCounts): void {
  const target = (into[kind] ??= { passed: 0, failed: 0, skipped: 0 });
  target.passed += counts.passed;
  target.failed += counts.failed;
  target.skipped += counts.skipped;
}

export function buildJsonReport(testsuite: string, runs: readonly EngineRun[]): JsonReport {
  const engines: JsonReport['engines'] = {};
  for (const run of runs) {
    const kinds: Record<string, PlainCounts> = {};
    const groups: JsonReport['engines'][string]['groups'] = {};
    const files: JsonReport['engines'][string]['files'] = {};
    const byGroup = new Map<string, FileResult[]>();
    for (const result of run.results) {
      const list = byGroup.get(result.group) ?? [];
      list.push(result);
      byGroup.set(result.group, list);
      const fileKinds: JsonReport['engines'][string]['files'][string]['kinds'] = {};
      for (const [kind, counts] of Object.entries(result.kinds) as [AssertionKind, KindCounts][]) {
        addCounts(kinds, kind, counts);
        fileKinds[kind] = { passed: counts.passed, failed: counts.failed, skipped: counts.skipped, skips: counts.skips };
      }
      files[result.file] = { group: result.group, scriptParseError: result.scriptParseError, kinds: fileKinds, failures: result.failures };
    }
    for (const [group, results] of byGroup) {
      const groupKinds: Record<string, PlainCounts> = {};
      for (const result of results) {
        for (const [kind, counts] of Object.entries(result.kinds) as [AssertionKind, KindCounts][]) addCounts(groupKinds, kind, counts);
      }
      groups[group] = { files: results.length, totals: totalsOf(results), kinds: groupKinds };
    }
    engines[run.engine] = { totals: totalsOf(run.results), kinds, groups, files };
  }
  return { testsuite, engines };
}

const MAX_FAILURES_LISTED = 300;

export function renderMarkdown(report: JsonReport): string {
  const out: string[] = ['# Conformance report', '', `Testsuite: \`${report.testsuite}\``, ''];
  for (const [engine, data] of Object.entries(report.engines)) {
    const t = data.totals;
    out.push(`## Engine \`${engine}\``, '');
    out.push(
      `**Totals:** ${t.passed} passed, ${t.failed} failed (${t.failedByParser} of them blamed on the text parser), ` +
        `${t.skipped} skipped, ${t.scriptParseFailures} script parse failures.`,
      '',
    );
    out.push('| Group | Files | Passed | Failed | of which parser | Skipped | Script parse failures |', '|---|---:|---:|---:|---:|---:|---:|');
    const row = (name: string, files: number, c: Totals): string =>
      `| ${name} | ${files} | ${c.passed} | ${c.failed} | ${c.failedByParser} | ${c.skipped} | ${c.scriptParseFailures} |`;
    for (const [group, g] of Object.entries(data.groups)) out.push(row(group, g.files, g.totals));
    out.push(row('**total**', Object.keys(data.files).length, t), '');
    out.push('### By group and assertion kind', '', '| Group | Kind | Passed | Failed | Skipped |', '|---|---|---:|---:|---:|');
    for (const [group, g] of Object.entries(data.groups)) {
      for (const [kind, c] of Object.entries(g.kinds).sort(([a], [b]) => a.localeCompare(b))) {
        out.push(`| ${group} | ${kind} | ${c.passed} | ${c.failed} | ${c.skipped} |`);
      }
    }
    out.push('');
    const skipReasons = new Map<string, number>();
    for (const file of Object.values(data.files)) {
      for (const counts of Object.values(file.kinds)) {
        for (const [reason, lines] of Object.entries(counts.skips)) skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + lines.length);
      }
    }
    if (skipReasons.size > 0) {
      out.push('### Skip reasons', '', '| Reason | Assertions |', '|---|---:|');
      for (const [reason, count] of [...skipReasons].sort((a, b) => b[1] - a[1])) out.push(`| ${escapeCell(reason)} | ${count} |`);
      out.push('');
    }
    const parseFailures = Object.entries(data.files).filter(([, f]) => f.scriptParseError !== null);
    if (parseFailures.length > 0) {
      out.push('### Script parse failures', '');
      for (const [file, f] of parseFailures) out.push(`- \`${file}\`: ${escapeCell(f.scriptParseError ?? '')}`);
      out.push('');
    }
    const failures = Object.values(data.files).flatMap((f) => f.failures);
    if (failures.length > 0) {
      out.push('### Failures', '');
      if (failures.length > MAX_FAILURES_LISTED) out.push(`The first ${MAX_FAILURES_LISTED} of ${failures.length}; \`report.json\` lists them all.`, '');
      out.push('| File:line | Kind | Cause | Expected | Actual |', '|---|---|---|---|---|');
      for (const f of failures.slice(0, MAX_FAILURES_LISTED)) {
        out.push(`| ${f.file}:${f.line} | ${f.kind} | ${f.cause} | ${escapeCell(f.expected)} | ${escapeCell(f.actual)} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').slice(0, 200);
