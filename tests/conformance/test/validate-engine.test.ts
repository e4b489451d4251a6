// The harness end to end on a small script: the real WAST parser, the real text parser and the
// validate engine (decode + validate), one passing and one failing assertion of each kind.
import { parseWast, parseWat } from '@flint/text';
import { describe, expect, it } from 'vitest';
import { validateEngine } from '../src/engines/validate.ts';
import { newFileResult } from '../src/results.ts';
import { NEEDS_EXECUTION, runCommands } from '../src/run-script.ts';
import { fromWast } from '../src/wast-adapter.ts';

const SCRIPT = `
(module (func (export "f") (result i32) (i32.const 1)))
(module binary "\\00asm" "\\01\\00\\00\\00")
(module (func (result i32) (i32.const 1) (i32.const 2)) (func))
(assert_return (invoke "f") (i32.const 1))
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_invalid (module (func)) "type mismatch")
(assert_malformed (module binary "\\00asm") "unexpected end")
(assert_malformed (module binary "\\00asm" "\\01\\00\\00\\00") "unexpected end")
(assert_malformed (module quote "(func (i32.bogus))") "unknown operator")
(assert_malformed (module quote "(func)") "unknown operator")
(assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
`;

describe('the validate engine on a synthetic script', () => {
  const result = newFileResult('synthetic.wast', 'core');
  runCommands(fromWast(parseWast(SCRIPT, 'synthetic.wast')), validateEngine, { parseWat }, result);

  it('passes valid modules and fails an invalid one, by line', () => {
    expect(result.kinds.module).toMatchObject({ passed: 3, failed: 1, passedLines: [2, 3, 12] });
    const failure = result.failures.find((f) => f.kind === 'module');
    expect(failure).toMatchObject({ line: 4, cause: 'engine', expected: 'the module decodes and validates' });
    expect(failure?.actual).toMatch(/^CompileError: type mismatch/);
  });

  it('checks assert_invalid and both forms of assert_malformed', () => {
    expect(result.kinds.assert_invalid).toMatchObject({ passed: 1, failed: 1, passedLines: [6] });
    expect(result.kinds['assert_malformed:binary']).toMatchObject({ passed: 1, failed: 1, passedLines: [8] });
    expect(result.kinds['assert_malformed:quote']).toMatchObject({ passed: 1, failed: 1, passedLines: [10] });
    expect(result.failures.filter((f) => f.kind !== 'module').map((f) => [f.line, f.kind, f.cause, f.actual])).toEqual([
      [7, 'assert_invalid', 'engine', 'the module validated'],
      [9, 'assert_malformed:binary', 'engine', 'the module decoded and validated'],
      [11, 'assert_malformed:quote', 'parser', 'the text parsed and its module validated'],
    ]);
  });

  it('skips what needs execution', () => {
    expect(result.kinds.assert_return).toMatchObject({ skipped: 1, skips: { [NEEDS_EXECUTION]: [5] } });
    expect(result.kinds.assert_unlinkable).toMatchObject({ skipped: 1, skips: { [NEEDS_EXECUTION]: [12] } });
  });

  it('reports the features a module uses', () => {
    const outcome = validateEngine.compile(parseWat('(module (func (drop (i32.extend8_s (i32.const 1)))))'));
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && [...(outcome.features ?? [])]).toContain('sign-extension');
  });
});
