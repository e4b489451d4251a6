// The harness's assertion semantics on synthetic scripts, against a fake engine and a fake text
// parser whose behaviour each test can read at a glance:
//   bytes [1] compile; [0] is rejected with a CompileError; [0xff] makes the engine "crash".
//   text 'valid' → [1], 'invalid' → [0], 'crash' → [0xff]; 'bad…' is malformed text; 'boom' crashes the parser.
import { describe, expect, it } from 'vitest';
import type { CompileOutcome, EngineUnderTest } from '../src/engine.ts';
import type { HarnessCommand, ScriptModule } from '../src/commands.ts';
import { newFileResult } from '../src/results.ts';
import type { FileResult } from '../src/results.ts';
import { NEEDS_EXECUTION, runCommands } from '../src/run-script.ts';
import type { TextFrontend } from '../src/run-script.ts';

class CompileError extends Error {
  override name = 'CompileError';
}
class WatSyntaxError extends Error {
  override name = 'WatSyntaxError';
}

function fakeEngine(features: ReadonlySet<string> | null = null, usedFeatures: string[] = []): EngineUnderTest {
  return {
    name: 'fake',
    executes: false,
    features,
    compile(bytes: Uint8Array): CompileOutcome {
      if (bytes[0] === 1) return { ok: true, module: null, features: usedFeatures };
      if (bytes[0] === 0xff) return { ok: false, error: new TypeError('cannot read properties of undefined') };
      return { ok: false, error: new CompileError('type mismatch') };
    },
  };
}

const fakeText: TextFrontend = {
  parseWat(source: string): Uint8Array {
    if (source.startsWith('bad')) throw new WatSyntaxError('unexpected token');
    if (source === 'boom') throw new RangeError('index out of range');
    return Uint8Array.of(source === 'valid' ? 1 : source === 'crash' ? 0xff : 0);
  },
};

const binary = (...bytes: number[]): ScriptModule => ({ kind: 'binary', bytes: Uint8Array.from(bytes), source: null });
const quote = (source: string): ScriptModule => ({ kind: 'quote', bytes: null, source });
const text = (source: string): ScriptModule => ({ kind: 'text', bytes: null, source });

function run(commands: HarnessCommand[], engine = fakeEngine(), group = 'core'): FileResult {
  const result = newFileResult('synthetic.wast', group);
  runCommands(commands, engine, fakeText, result);
  return result;
}

describe('module', () => {
  it('passes when the module validates and fails, blaming the engine, when it does not', () => {
    const result = run([
      { type: 'module', line: 1, module: binary(1) },
      { type: 'module', line: 2, module: binary(0) },
    ]);
    expect(result.kinds.module).toMatchObject({ passed: 1, failed: 1, skipped: 0, passedLines: [1] });
    expect(result.failures).toEqual([
      {
        file: 'synthetic.wast',
        line: 2,
        kind: 'module',
        cause: 'engine',
        expected: 'the module decodes and validates',
        actual: 'CompileError: type mismatch',
      },
    ]);
  });

  it('blames the parser when a text module does not parse', () => {
    const result = run([{ type: 'module', line: 7, module: text('bad text') }]);
    expect(result.kinds.module?.failed).toBe(1);
    expect(result.failures[0]).toMatchObject({ line: 7, cause: 'parser', actual: 'WatSyntaxError: unexpected token' });
  });
});

describe('assert_invalid', () => {
  it('passes on a CompileError, fails when the module validates or the engine crashes', () => {
    const result = run([
      { type: 'assert_invalid', line: 10, module: binary(0), message: 'type mismatch' },
      { type: 'assert_invalid', line: 11, module: binary(1), message: 'type mismatch' },
      { type: 'assert_invalid', line: 12, module: binary(0xff), message: 'type mismatch' },
    ]);
    expect(result.kinds.assert_invalid).toMatchObject({ passed: 1, failed: 2, passedLines: [10] });
    expect(result.failures.map((f) => [f.line, f.cause, f.actual])).toEqual([
      [11, 'engine', 'the module validated'],
      [12, 'engine', 'crash: TypeError: cannot read properties of undefined'],
    ]);
    expect(result.failures[0]!.expected).toBe('a CompileError ("type mismatch")');
  });

  it('counts a text module that does not parse as a parser failure, quoted modules apart', () => {
    const result = run([
      { type: 'assert_invalid', line: 3, module: text('bad'), message: 'unknown type' },
      { type: 'assert_invalid', line: 4, module: quote('invalid'), message: 'unknown type' },
    ]);
    expect(result.kinds.assert_invalid).toMatchObject({ passed: 0, failed: 1 });
    expect(result.kinds['assert_invalid:quote']).toMatchObject({ passed: 1, failed: 0 });
    expect(result.failures[0]).toMatchObject({ line: 3, cause: 'parser' });
  });
});

describe('assert_malformed', () => {
  it('binary: passes when decoding fails, fails when the module is accepted', () => {
    const result = run([
      { type: 'assert_malformed', line: 20, module: binary(0), message: 'unexpected end' },
      { type: 'assert_malformed', line: 21, module: binary(1), message: 'unexpected end' },
    ]);
    expect(result.kinds['assert_malformed:binary']).toMatchObject({ passed: 1, failed: 1, passedLines: [20] });
    expect(result.failures[0]).toMatchObject({ line: 21, cause: 'engine', actual: 'the module decoded and validated' });
  });

  it('quote: passes when the parser rejects the text or the engine rejects what it produced', () => {
    const result = run([
      { type: 'assert_malformed', line: 30, module: quote('bad token'), message: 'unknown operator' },
      { type: 'assert_malformed', line: 31, module: quote('invalid'), message: 'unknown operator' },
      { type: 'assert_malformed', line: 32, module: quote('valid'), message: 'unknown operator' },
      { type: 'assert_malformed', line: 33, module: quote('boom'), message: 'unknown operator' },
    ]);
    expect(result.kinds['assert_malformed:quote']).toMatchObject({ passed: 2, failed: 2, passedLines: [30, 31] });
    expect(result.failures.map((f) => [f.line, f.cause, f.actual])).toEqual([
      [32, 'parser', 'the text parsed and its module validated'],
      [33, 'parser', 'crash: RangeError: index out of range'],
    ]);
  });
});

describe('assertions that need execution', () => {
  it('skips them with their reason, and still checks that unlinkable modules validate', () => {
    const result = run([
      { type: 'assert_unlinkable', line: 40, module: binary(1), message: 'unknown import' },
      { type: 'assert_uninstantiable', line: 41, module: binary(0), message: 'out of bounds' },
      { type: 'assert_return', line: 42 },
      { type: 'invoke', line: 43 },
      { type: 'register', line: 44 },
      { type: 'assert_trap', line: 45 },
    ]);
    expect(result.kinds.assert_unlinkable).toMatchObject({ skipped: 1, skips: { [NEEDS_EXECUTION]: [40] } });
    expect(result.kinds.assert_uninstantiable).toMatchObject({ skipped: 1, skips: { [NEEDS_EXECUTION]: [41] } });
    expect(result.kinds.assert_return).toMatchObject({ passed: 0, failed: 0, skipped: 1, skips: { [NEEDS_EXECUTION]: [42] } });
    expect(result.kinds.assert_trap?.skips).toEqual({ [NEEDS_EXECUTION]: [45] });
    // The module checks of lines 40 and 41: the second module does not validate.
    expect(result.kinds.module).toMatchObject({ passed: 1, failed: 1, passedLines: [40] });
    expect(result.failures.map((f) => f.line)).toEqual([41]);
  });
});

describe('unsupported proposals', () => {
  it('skips a module that uses a feature the engine lacks, naming the feature', () => {
    const engine = fakeEngine(new Set(['mvp']), ['mvp', 'simd']);
    const result = run([{ type: 'module', line: 5, module: binary(1) }], engine);
    expect(result.kinds.module).toMatchObject({ passed: 0, skipped: 1, skips: { 'proposal not supported: simd': [5] } });
  });

  it('skips every assertion of a proposal group the engine does not support', () => {
    const engine = fakeEngine(new Set(['mvp']));
    const result = run(
      [
        { type: 'module', line: 1, module: binary(0) },
        { type: 'assert_invalid', line: 2, module: binary(1), message: 'x' },
        { type: 'invoke', line: 3 },
      ],
      engine,
      'proposals/threads',
    );
    expect(result.failures).toEqual([]);
    expect(result.kinds.module?.skips).toEqual({ 'proposal not supported: threads': [1] });
    expect(result.kinds.assert_invalid?.skips).toEqual({ 'proposal not supported: threads': [2] });
    expect(result.kinds.invoke?.skips).toEqual({ 'proposal not supported: threads': [3] });
  });
});
