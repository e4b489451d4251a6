// The runner itself: a wrong expectation, a missing trap and an unexpected link success must
// fail, so a passing execution test means something.
import { describe, expect, it } from 'vitest';
import { parseWast } from '@flint/text';
import { ENGINE_CONFIGS, WastRunner } from '../src/index.ts';

const run = (source: string) => new WastRunner(ENGINE_CONFIGS[0]!).run(parseWast(source, 'inline.wast'));

describe('WastRunner', () => {
  it('passes true assertions and fails false ones, naming the line', () => {
    const outcomes = run(`
      (module (func (export "one") (result i32) (i32.const 1))
              (func (export "nan") (result f32) (f32.const nan:0x200000)))
      (assert_return (invoke "one") (i32.const 1))
      (assert_return (invoke "one") (i32.const 2))
      (assert_trap (invoke "one") "unreachable")
      (assert_return (invoke "nan") (f32.const nan:0x200000))
      (assert_return (invoke "nan") (f32.const nan:arithmetic))
      (assert_return (invoke "nan") (f32.const nan:canonical))
      (assert_unlinkable (module (import "spectest" "missing" (func (param i32)))) "unknown import")
    `);
    // nan:0x200000 has the quiet bit clear: it is neither an arithmetic nor the canonical NaN.
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'fail', 'fail', 'pass', 'fail', 'fail', 'pass']);
    expect(outcomes[2]!.message).toContain('expected i32 2, got 1');
    expect(outcomes[2]!.line).toBe(5);
    expect(outcomes[3]!.message).toContain('expected a failure');
  });

  it('skips commands on a module the engine cannot run, with the reason', () => {
    const outcomes = run(`
      (module (func (export "v") (result i32) (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4))))
      (assert_return (invoke "v") (i32.const 1))
    `);
    expect(outcomes.map((o) => o.status)).toEqual(['skip', 'skip']);
    expect(outcomes[1]!.message).toBe('proposal not supported: simd');
  });

  it('skips importers of spectest.shared_memory and thread scripts, naming the threads proposal', () => {
    const outcomes = run(`
      (module (memory (import "spectest" "shared_memory") 1 1 shared))
      (thread $t (module (func)))
      (wait $t)
    `);
    expect(outcomes.map((o) => [o.status, o.message])).toEqual([
      ['skip', 'proposal not supported: threads'],
      ['skip', 'proposal not supported: threads (thread)'],
      ['skip', 'proposal not supported: threads (wait)'],
    ]);
  });
});
