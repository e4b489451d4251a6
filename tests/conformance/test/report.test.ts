import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverScripts, globToRegExp, groupOf } from '../src/discover.ts';
import { buildJsonReport, renderMarkdown } from '../src/report.ts';
import { newFileResult, recordFailure, recordPass, recordSkip } from '../src/results.ts';

describe('report', () => {
  const core = newFileResult('a.wast', 'core');
  recordPass(core, 'module', 1);
  recordPass(core, 'assert_invalid', 2);
  recordFailure(core, { file: 'a.wast', line: 3, kind: 'assert_invalid', cause: 'engine', expected: 'a CompileError ("x")', actual: 'the module validated' });
  recordFailure(core, { file: 'a.wast', line: 6, kind: 'module', cause: 'parser', expected: 'the text module parses', actual: 'WatSyntaxError: 6:2: unexpected token' });
  recordSkip(core, 'assert_return', 4, 'needs execution');
  recordSkip(core, 'assert_return', 5, 'needs execution');
  const threads = newFileResult('proposals/threads/atomic.wast', 'proposals/threads');
  recordPass(threads, 'module', 1);
  const broken = newFileResult('b.wast', 'core');
  broken.scriptParseError = 'WatSyntaxError: 1:1: unexpected token';
  const report = buildJsonReport('/suite', [{ engine: 'validate', results: [core, broken, threads] }]);

  it('counts per engine, per group, per file and per kind, with every skip and failure', () => {
    const data = report.engines['validate']!;
    expect(data.totals).toEqual({ passed: 3, failed: 2, failedByParser: 1, skipped: 2, scriptParseFailures: 1 });
    expect(data.groups['core']).toMatchObject({ files: 2, totals: { passed: 2, failed: 2, failedByParser: 1, skipped: 2, scriptParseFailures: 1 } });
    expect(data.groups['proposals/threads']?.kinds).toEqual({ module: { passed: 1, failed: 0, skipped: 0 } });
    expect(data.kinds['assert_invalid']).toEqual({ passed: 1, failed: 1, skipped: 0 });
    expect(data.kinds['module']).toEqual({ passed: 2, failed: 1, skipped: 0 });
    expect(data.files['a.wast']?.kinds['assert_return']?.skips).toEqual({ 'needs execution': [4, 5] });
    expect(data.files['a.wast']?.failures.map((f) => [f.line, f.cause])).toEqual([
      [3, 'engine'],
      [6, 'parser'],
    ]);
    expect(data.files['b.wast']?.scriptParseError).toBe('WatSyntaxError: 1:1: unexpected token');
  });

  it('renders group and kind tables, skip reasons, parse failures and failures in Markdown', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| core | 2 | 2 | 2 | 1 | 2 | 1 |');
    expect(md).toContain('| proposals/threads | 1 | 1 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('| **total** | 3 | 3 | 2 | 1 | 2 | 1 |');
    expect(md).toContain('**Totals:** 3 passed, 2 failed (1 of them blamed on the text parser), 2 skipped, 1 script parse failures.');
    expect(md).toContain('| core | assert_invalid | 1 | 1 | 0 |');
    expect(md).toContain('| needs execution | 2 |');
    expect(md).toContain('- `b.wast`: WatSyntaxError: 1:1: unexpected token');
    expect(md).toContain('| a.wast:3 | assert_invalid | engine | a CompileError ("x") | the module validated |');
  });
});

describe('discovery', () => {
  it('names groups by folder', () => {
    expect(groupOf('address.wast')).toBe('core');
    expect(groupOf('proposals/threads/atomic.wast')).toBe('proposals/threads');
    expect(groupOf('legacy/throw.wast')).toBe('legacy');
    expect(groupOf('custom/name_annot.wast')).toBe('custom');
  });

  it('matches globs within and across path segments', () => {
    expect(globToRegExp('*.wast').test('a.wast')).toBe(true);
    expect(globToRegExp('*.wast').test('legacy/a.wast')).toBe(false);
    expect(globToRegExp('proposals/**').test('proposals/threads/atomic.wast')).toBe(true);
    expect(globToRegExp('simd_?.wast').test('simd_a.wast')).toBe(true);
    expect(globToRegExp('a+b.wast').test('aab.wast')).toBe(false);
  });

  it('lists .wast files core first, filtered by path or base name', () => {
    const root = mkdtempSync(join(tmpdir(), 'flint-suite-'));
    mkdirSync(join(root, 'proposals', 'threads'), { recursive: true });
    mkdirSync(join(root, 'legacy'));
    for (const file of ['z.wast', 'a.wast', 'notes.txt', 'legacy/throw.wast', 'proposals/threads/atomic.wast']) writeFileSync(join(root, file), '');
    expect(discoverScripts(root).map((s) => [s.file, s.group])).toEqual([
      ['a.wast', 'core'],
      ['z.wast', 'core'],
      ['proposals/threads/atomic.wast', 'proposals/threads'],
      ['legacy/throw.wast', 'legacy'],
    ]);
    expect(discoverScripts(root, ['atomic.wast']).map((s) => s.file)).toEqual(['proposals/threads/atomic.wast']);
    expect(discoverScripts(root, ['legacy/*']).map((s) => s.file)).toEqual(['legacy/throw.wast']);
  });
});
