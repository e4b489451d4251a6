import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE_CAPPED_ENGINES } from '../src/engines/executing.ts';
import { blessExpected, expectedFromResults, findRegressions, parseExpected, serializeExpected } from '../src/ratchet.ts';
import { newFileResult, recordFailure, recordPass, recordSkip } from '../src/results.ts';
import type { FileResult } from '../src/results.ts';

function fileWith(file: string, passed: number[], failed: number[] = []): FileResult {
  const result = newFileResult(file, 'core');
  for (const line of passed) recordPass(result, 'assert_invalid', line);
  for (const line of failed) recordFailure(result, { file, line, kind: 'assert_invalid', cause: 'engine', expected: 'a CompileError', actual: 'the module validated' });
  return result;
}

describe('ratchet', () => {
  it('records the passed lines of each file, sorted', () => {
    const a = fileWith('a.wast', [9, 3]);
    recordPass(a, 'module', 1);
    expect(expectedFromResults('validate', [a, fileWith('b.wast', [])])).toEqual({ engine: 'validate', files: { 'a.wast': [1, 3, 9] } });
  });

  it('detects an assertion that passed before and now fails', () => {
    const expected = expectedFromResults('validate', [fileWith('a.wast', [3, 9]), fileWith('b.wast', [5])]);
    const now = [fileWith('a.wast', [3], [9]), fileWith('b.wast', [5])];
    expect(findRegressions(expected, now)).toEqual([{ file: 'a.wast', line: 9 }]);
  });

  it('treats a pass that became a skip as a regression, and new passes as none', () => {
    const expected = expectedFromResults('validate', [fileWith('a.wast', [3])]);
    const now = fileWith('a.wast', [4]);
    recordSkip(now, 'assert_invalid', 3, 'proposal not supported: gc');
    expect(findRegressions(expected, [now])).toEqual([{ file: 'a.wast', line: 3 }]);
    expect(findRegressions(expected, [fileWith('a.wast', [3, 4])])).toEqual([]);
  });

  it('counts two assertions on one line separately', () => {
    const expected = expectedFromResults('validate', [fileWith('a.wast', [7, 7])]);
    expect(findRegressions(expected, [fileWith('a.wast', [7], [7])])).toEqual([{ file: 'a.wast', line: 7 }]);
  });

  it('does not compare files left out of a filtered run', () => {
    const expected = expectedFromResults('validate', [fileWith('a.wast', [1]), fileWith('b.wast', [2])]);
    expect(findRegressions(expected, [fileWith('a.wast', [1])])).toEqual([]);
  });

  it('blessing replaces the files that ran and keeps the others', () => {
    const previous = expectedFromResults('validate', [fileWith('a.wast', [1, 2]), fileWith('b.wast', [2])]);
    const blessed = blessExpected(previous, 'validate', [fileWith('a.wast', [1], [2]), fileWith('c.wast', [4])]);
    expect(blessed).toEqual({ engine: 'validate', files: { 'a.wast': [1], 'b.wast': [2], 'c.wast': [4] } });
  });

  it('serializes to a file that parses back to the same passes', () => {
    const expected = expectedFromResults('validate', [fileWith('x/a.wast', [1, 2]), fileWith('b.wast', [3])]);
    const text = serializeExpected(expected);
    expect(text.split('\n')).toContain('    "x/a.wast": [1,2],');
    expect(parseExpected(text, 'validate.json')).toEqual(expected);
  });

  it('rejects an expected file of the wrong shape with a message naming it', () => {
    expect(() => parseExpected('{"engine": "v", "files": {"a.wast": ["x"]}}', 'validate.json')).toThrow('validate.json: "a.wast" must list line numbers');
    expect(() => parseExpected('[]', 'validate.json')).toThrow('validate.json: expected');
  });
});

describe('committed ratchets', () => {
  const expectedFile = (engine: string) => {
    const path = join(import.meta.dirname, '..', 'expected', `${engine}.json`);
    return parseExpected(readFileSync(path, 'utf8'), path);
  };

  // The fallbacks of an ISA's baseline must be as conformant as the instructions they replace:
  // both ratchets are blessed together, and a difference (a Wasm feature that needs a CPU
  // feature the capped engine lacks) has to be written down here.
  it('has engines capped to an ISA baseline', () => {
    expect(BASELINE_CAPPED_ENGINES.length).toBeGreaterThan(0);
  });
  it.each(BASELINE_CAPPED_ENGINES.map(({ engine, uncapped }) => [engine.name, uncapped]))('%s passes exactly what %s passes', (capped, uncapped) => {
    expect(expectedFile(capped).files).toEqual(expectedFile(uncapped).files);
  });
});
