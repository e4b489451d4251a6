// The report of a run: per file, Flint's subtests next to Node's, the skips with their reasons,
// and the parity gaps (subtests Node passes and Flint neither passes nor skips for a reason).

import type { EngineName } from './engines.ts';
import type { EngineFileResult } from './run.ts';

export interface Counts {
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
  readonly total: number;
}

export function countsOf(result: EngineFileResult | undefined): Counts {
  if (result === undefined) return { pass: 0, fail: 0, skip: 0, total: 0 };
  let pass = 0;
  let fail = 0;
  let skip = 0;
  for (const r of result.results) {
    if (r.status === 'PASS') pass++;
    else if (r.status === 'SKIP') skip++;
    else fail++;
  }
  return { pass, fail, skip, total: pass + fail + skip };
}

export interface ParityGap {
  readonly file: string;
  readonly name: string;
  /** Flint's outcome: FAIL with its message, or missing. */
  readonly flint: string;
}

/** Subtests the reference passes that Flint neither passes nor skips with a reason. */
export function findParityGaps(results: readonly EngineFileResult[], reference: EngineName = 'node'): ParityGap[] {
  const gaps: ParityGap[] = [];
  const byFile = groupByFile(results);
  for (const [file, engines] of byFile) {
    const ref = engines.get(reference);
    const flint = engines.get('flint');
    // A file Flint cannot set up for want of a feature is skipped as a whole, with that reason.
    if (ref === undefined || flint === undefined || flint.skipped !== null) continue;
    const flintByName = new Map(flint.results.map((r) => [r.name, r]));
    for (const r of ref.results) {
      if (r.status !== 'PASS') continue;
      const mine = flintByName.get(r.name);
      if (mine?.status === 'PASS' || mine?.status === 'SKIP') continue;
      gaps.push({ file, name: r.name, flint: mine === undefined ? `missing (file ${flint.status}${flint.errors[0] ? `: ${flint.errors[0]}` : ''})` : `FAIL: ${mine.message ?? ''}` });
    }
  }
  return gaps;
}

function groupByFile(results: readonly EngineFileResult[]): Map<string, Map<EngineName, EngineFileResult>> {
  const byFile = new Map<string, Map<EngineName, EngineFileResult>>();
  for (const result of results) {
    let engines = byFile.get(result.file);
    if (engines === undefined) byFile.set(result.file, (engines = new Map()));
    engines.set(result.engine, result);
  }
  return byFile;
}

export interface ReportInput {
  readonly suite: string;
  readonly results: readonly EngineFileResult[];
  readonly engineDescriptions: Readonly<Record<string, string>>;
  /** Recorded known gaps (file → subtest → reason), shown beside the gaps they explain. */
  readonly knownParityGaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const cell = (c: Counts, status: string): string => `${c.pass} / ${c.total}${c.skip > 0 ? ` (${c.skip} skipped)` : ''}${status !== 'OK' ? ` **${status}**` : ''}`;
const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(input: ReportInput): string {
  const byFile = groupByFile(input.results);
  const lines = ['# JS API report', '', `Suite: ${input.suite} Each file runs in its own process per engine.`, ''];
  for (const [name, description] of Object.entries(input.engineDescriptions)) lines.push(`- \`${name}\`: ${description}`);
  lines.push('', '| File | Flint passed / subtests | Node passed / subtests |', '|---|---:|---:|');
  const totals = { flint: { pass: 0, total: 0, skip: 0 }, node: { pass: 0, total: 0, skip: 0 } };
  for (const [file, engines] of byFile) {
    const flint = engines.get('flint');
    const node = engines.get('node');
    const f = countsOf(flint);
    const n = countsOf(node);
    for (const [key, c] of [['flint', f], ['node', n]] as const) {
      totals[key].pass += c.pass;
      totals[key].total += c.total;
      totals[key].skip += c.skip;
    }
    lines.push(`| ${file} | ${flint ? cell(f, flint.status) : '—'} | ${node ? cell(n, node.status) : '—'} |`);
  }
  const total = (t: { pass: number; total: number; skip: number }) => `**${t.pass} / ${t.total}**${t.skip > 0 ? ` (${t.skip} skipped)` : ''}`;
  lines.push(`| **total** | ${total(totals.flint)} | ${total(totals.node)} |`, '');

  const fileErrors = input.results.filter((r) => r.errors.length > 0);
  if (fileErrors.length > 0) {
    lines.push('## File-level errors', '', '| File | Engine | Status | Error |', '|---|---|---|---|');
    for (const r of fileErrors) lines.push(`| ${r.file} | ${r.engine} | ${r.status} | ${escape(r.errors.join('; ')).slice(0, 300)} |`);
    lines.push('');
  }

  const skips = input.results
    .filter((r) => r.engine === 'flint')
    .flatMap((r) => [
      ...(r.skipped !== null ? [{ file: r.file, name: '(the whole file: it cannot set up)', message: r.skipped }] : []),
      ...r.results.filter((s) => s.status === 'SKIP').map((s) => ({ file: r.file, name: s.name, message: s.message })),
    ]);
  lines.push('## Skipped on Flint', '');
  if (skips.length === 0) lines.push('None.', '');
  else {
    const byReason = new Map<string, string[]>();
    for (const s of skips) byReason.set(s.message ?? '', [...(byReason.get(s.message ?? '') ?? []), `${s.file}: ${s.name}`]);
    for (const [reason, tests] of byReason) {
      lines.push(`### ${reason} (${tests.length})`, '');
      for (const t of tests) lines.push(`- ${escape(t)}`);
      lines.push('');
    }
  }

  const gaps = findParityGaps(input.results);
  lines.push('## Node passes, Flint fails', '');
  if (gaps.length === 0) lines.push('None.', '');
  else {
    lines.push('| File | Subtest | Flint | Known gap: why |', '|---|---|---|---|');
    for (const g of gaps) lines.push(`| ${g.file} | ${escape(g.name)} | ${escape(g.flint).slice(0, 200)} | ${escape(input.knownParityGaps?.[g.file]?.[g.name] ?? '—')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The machine-readable report: every subtest of every engine. */
export function renderJson(input: ReportInput): string {
  return `${JSON.stringify({ suite: input.suite, engines: input.engineDescriptions, files: input.results }, null, 1)}\n`;
}
