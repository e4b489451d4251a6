// The testharness.js shim: the outcome of a subtest must be what web-platform-tests' harness
// decides, plus the one addition (an engine's "not supported" error skips).
import { describe, expect, it } from 'vitest';
import { Harness, formatValue, type SubtestResult } from '../src/testharness.ts';

class NotImplemented extends Error {}

type Api = Record<string, (...args: never[]) => unknown>;
function harness(): { h: Harness; g: Api } {
  const h = new Harness({ unsupportedReason: (error) => (error instanceof NotImplemented ? `not implemented: ${error.message}` : null) });
  const g: Record<string, unknown> = {};
  h.install(g);
  return { h, g: g as Api };
}
const outcomes = (results: readonly SubtestResult[]) => results.map((r) => [r.name, r.status, r.message ?? '']);

describe('testharness shim', () => {
  it('assert_throws_js matches the exact constructor and its name, as testharness.js does', async () => {
    const { h, g } = harness();
    const t = g as unknown as Record<string, (...args: unknown[]) => void>;
    t.test!(() => t.assert_throws_js!(TypeError, () => { throw new TypeError('x'); }), 'same constructor');
    class SubError extends TypeError {}
    t.test!(() => t.assert_throws_js!(TypeError, () => { throw new SubError('x'); }), 'a subclass is not enough');
    t.test!(() => t.assert_throws_js!(TypeError, () => 1), 'nothing thrown');
    t.test!(() => t.assert_throws_js!(TypeError, () => { throw 'text'; }), 'not an object');
    t.test!(() => t.assert_throws!(new RangeError(), () => { throw new RangeError(); }), 'legacy: matched by name');
    t.test!(() => t.assert_throws!(new RangeError(), () => { throw new TypeError(); }), 'legacy: another name');
    await h.finished();
    expect(h.results.map((r) => r.status)).toEqual(['PASS', 'FAIL', 'FAIL', 'FAIL', 'PASS', 'FAIL']);
    expect(h.results[1]!.message).toMatch(/^assert_throws_js: function [^]* threw object "TypeError: x" \("TypeError"\) expected instance of function/);
    expect(h.results[2]!.message).toMatch(/did not throw$/);
  });

  it('an engine error saying "not implemented" skips, even where another exception was expected', async () => {
    const { h, g } = harness();
    const t = g as unknown as Record<string, (...args: unknown[]) => unknown>;
    t.test!(() => { throw new NotImplemented('gc'); }, 'thrown');
    t.test!(() => t.assert_throws_js!(TypeError, () => { throw new NotImplemented('simd'); }), 'caught by assert_throws_js');
    t.promise_test!(() => t.promise_rejects_js!(null, TypeError, Promise.reject(new NotImplemented('threads'))), 'rejected');
    t.test!(() => { throw new Error('plain'); }, 'other errors still fail');
    await h.finished();
    expect(outcomes(h.results)).toEqual([
      ['thrown', 'SKIP', 'not implemented: gc'],
      ['caught by assert_throws_js', 'SKIP', 'not implemented: simd'],
      ['other errors still fail', 'FAIL', 'Error: plain'],
      ['rejected', 'SKIP', 'not implemented: threads'],
    ]);
  });

  it('promise tests run one after another, after the script; a body must return a thenable', async () => {
    const { h, g } = harness();
    const t = g as unknown as Record<string, (...args: unknown[]) => unknown>;
    const events: string[] = [];
    t.promise_test!(async () => {
      events.push('first starts');
      await new Promise((resolve) => setTimeout(resolve, 10));
      events.push('first ends');
    }, 'first');
    t.promise_test!(async () => void events.push('second starts'), 'second');
    t.promise_test!(() => 42, 'not a promise');
    events.push('script ends');
    await h.finished();
    expect(events).toEqual(['script ends', 'first starts', 'first ends', 'second starts']);
    expect(outcomes(h.results).map(([name, status]) => `${name}: ${status}`)).toEqual(['first: PASS', 'second: PASS', 'not a promise: FAIL']);
    expect(h.results[2]!.message).toMatch(/must return a 'thenable' object \(received 42\)/);
  });

  it('a failing setup is a harness error and no later subtest runs; unsupported features skip the file', async () => {
    const failing = harness();
    const t = failing.g as unknown as Record<string, (...args: unknown[]) => unknown>;
    t.test!(() => undefined, 'before');
    t.setup!(() => { throw new Error('no'); });
    t.test!(() => undefined, 'after');
    await failing.h.finished();
    expect(failing.h.results.map((r) => r.name)).toEqual(['before']);
    expect(failing.h.errors).toEqual(['setup threw Error: no']);

    const unsupported = harness();
    (unsupported.g as unknown as Record<string, (f: () => void) => void>).setup!(() => { throw new NotImplemented('gc'); });
    expect(unsupported.h.errors).toEqual([]);
    expect(unsupported.h.skipReason).toBe('not implemented: gc');
  });

  it('repeated names get a suffix, so that every subtest has its own key', async () => {
    const { h, g } = harness();
    const t = g as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (let i = 0; i < 3; i++) t.test!(() => undefined);
    await h.finished();
    expect(h.results.map((r) => r.name)).toEqual(['Untitled', 'Untitled (2)', 'Untitled (3)']);
  });

  it('format_value writes values as testharness.js does (test names are built with it)', () => {
    expect(formatValue(-0)).toBe('-0');
    expect(formatValue('a"b\n')).toBe('"a\\"b\\n"');
    expect(formatValue(10n)).toBe('10n');
    expect(formatValue(Symbol('s'))).toBe('symbol "Symbol(s)"');
    expect(formatValue({})).toBe('object "[object Object]"');
    expect(formatValue([1, 'x', null, undefined])).toBe('[1, "x", null, undefined]');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(formatValue(cyclic)).toBe('[[...]]');
  });

  it('assert_equals compares with SameValue and reports a type mismatch', async () => {
    const { h, g } = harness();
    const t = g as unknown as Record<string, (...args: unknown[]) => unknown>;
    t.test!(() => t.assert_equals!(NaN, NaN), 'NaN');
    t.test!(() => t.assert_equals!(0, -0), 'signed zeros');
    t.test!(() => t.assert_equals!(1, 1n), 'types');
    await h.finished();
    expect(outcomes(h.results)).toEqual([
      ['NaN', 'PASS', ''],
      ['signed zeros', 'FAIL', 'assert_equals: expected -0 but got 0'],
      ['types', 'FAIL', 'assert_equals: expected (bigint) 1n but got (number) 1'],
    ]);
  });
});
