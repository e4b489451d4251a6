// Reading test files (META scripts), and the ratchet and report over runs.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blessExpected, findRegressions, parseExpected, serializeExpected } from '../src/ratchet.ts';
import { findParityGaps, renderMarkdown } from '../src/report.ts';
import { metaScripts, resolveScript, runTestFile } from '../src/run-file.ts';
import type { EngineFileResult } from '../src/run.ts';
import { Harness } from '../src/testharness.ts';
import { matchesFilter } from '../src/filter.ts';

const result = (engine: 'flint' | 'node', file: string, subtests: [string, 'PASS' | 'FAIL' | 'SKIP'][], skipped: string | null = null): EngineFileResult => ({
  engine,
  file,
  status: skipped === null ? 'OK' : 'SKIP',
  skipped,
  errors: [],
  results: subtests.map(([name, status]) => ({ name, status, ...(status === 'PASS' ? {} : { message: `${status} reason` }) })),
  seconds: 0,
});

describe('test files', () => {
  const root = mkdtempSync(join(tmpdir(), 'flint-js-api-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads META scripts: suite paths from the root, others beside the file', () => {
    const source = '// META: global=jsshell\n// META: script=/wasm/jsapi/helper.js\n// META: script=assertions.js\ntest(() => {});';
    expect(metaScripts(source)).toEqual(['/wasm/jsapi/helper.js', 'assertions.js']);
    expect(resolveScript('memory/grow.any.js', '/wasm/jsapi/helper.js')).toBe('helper.js');
    expect(resolveScript('memory/grow.any.js', 'assertions.js')).toBe('memory/assertions.js');
    expect(() => resolveScript('a.any.js', '/resources/x.js')).toThrow(/outside the JS API suite/);
  });

  it('runs helpers then the file as classic scripts in this realm, and waits for promise tests', async () => {
    mkdirSync(join(root, 'dir'));
    writeFileSync(join(root, 'helper.js'), 'function helperValue() { return 41; }');
    writeFileSync(
      join(root, 'dir', 'sample.any.js'),
      '// META: script=/wasm/jsapi/helper.js\ntest(() => assert_equals(helperValue() + 1, 42), "helper");\npromise_test(async () => assert_true(this === globalThis), "this is the global");\nthrow new Error("late");',
    );
    const run = await runTestFile(root, 'dir/sample.any.js', new Harness());
    expect(run.results.map((r) => [r.name, r.status])).toEqual([['helper', 'PASS'], ['this is the global', 'PASS']]);
    expect(run.errors).toEqual(['dir/sample.any.js: uncaught Error: late']);
  });

  it('filters: a glob matches paths, a plain string matches as a substring', () => {
    expect(matchesFilter('memory/grow.any.js', 'memory/**')).toBe(true);
    expect(matchesFilter('memory/grow.any.js', '*.any.js')).toBe(false);
    expect(matchesFilter('memory/grow.any.js', 'grow')).toBe(true);
  });
});

describe('ratchet', () => {
  const before = blessExpected(null, 'flint', [result('flint', 'a.any.js', [['x', 'PASS'], ['y', 'PASS'], ['z', 'FAIL']])]);

  it('records passes by name; a pass that is gone is a regression, whatever replaced it', () => {
    expect(before.files).toEqual({ 'a.any.js': ['x', 'y'] });
    const now = [result('flint', 'a.any.js', [['x', 'SKIP'], ['z', 'PASS']])];
    expect(findRegressions(before, now)).toEqual([
      { file: 'a.any.js', name: 'x', now: 'SKIP: SKIP reason' },
      { file: 'a.any.js', name: 'y', now: 'missing (file OK)' },
    ]);
    expect(findRegressions(before, [result('flint', 'other.any.js', [])])).toEqual([]);
  });

  it('blessing replaces the run files and keeps the others and the known gaps; the file round-trips', () => {
    const withGaps = { ...before, knownParityGaps: { 'a.any.js': { z: 'the test contradicts the specification' } } };
    const blessed = blessExpected(withGaps, 'flint', [result('flint', 'b.any.js', [['w', 'PASS']])]);
    expect(blessed.files).toEqual({ 'a.any.js': ['x', 'y'], 'b.any.js': ['w'] });
    expect(blessed.knownParityGaps).toEqual(withGaps.knownParityGaps);
    expect(parseExpected(serializeExpected(blessed), 'test')).toEqual(blessed);
    expect(() => parseExpected('{"engine":"flint","files":{},"knownParityGaps":{"a":{"b":1}}}', 'bad')).toThrow(/knownParityGaps/);
  });
});

describe('report', () => {
  it('a parity gap is a subtest Node passes that Flint neither passes nor skips', () => {
    const results = [
      result('node', 'a.any.js', [['p', 'PASS'], ['q', 'PASS'], ['r', 'PASS'], ['s', 'FAIL']]),
      result('flint', 'a.any.js', [['p', 'PASS'], ['q', 'SKIP'], ['r', 'FAIL'], ['s', 'FAIL']]),
      result('node', 'gc.any.js', [['t', 'PASS']]),
      result('flint', 'gc.any.js', [], 'GC is not implemented'),
    ];
    expect(findParityGaps(results)).toEqual([{ file: 'a.any.js', name: 'r', flint: 'FAIL: FAIL reason' }]);
    const markdown = renderMarkdown({ suite: 'suite', results, engineDescriptions: { flint: 'Flint', node: 'Node' } });
    expect(markdown).toContain('| a.any.js | 1 / 4 (1 skipped) | 3 / 4 |');
    expect(markdown).toContain('### GC is not implemented (1)');
    expect(markdown).toContain('| a.any.js | r | FAIL: FAIL reason |');
  });
});
