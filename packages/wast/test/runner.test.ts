// The runner must fail what does not hold, so a passing script means something; and skip, with
// the reason, exactly what the engine reports it cannot run.
import { parseWast } from '@flint/text';
import { describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { WastRunner } from '../src/index.ts';

const run = (source: string) => new WastRunner({ tier: 'baseline' }).run(parseWast(source, 'inline.wast'));
const onX64Linux = hostRunsX64();

describe.skipIf(!onX64Linux)('WastRunner (runs generated code: needs an x86-64 Linux host)', () => {
  it('passes true assertions and fails false ones, naming the line and expected versus actual', () => {
    const outcomes = run(`
      (module (func (export "one") (result i32) (i32.const 1))
              (func (export "nan") (result f32) (f32.const nan:0x200000))
              (func (export "pair") (result i64 f64) (i64.const -1) (f64.const 1.5)))
      (assert_return (invoke "one") (i32.const 1))
      (assert_return (invoke "one") (i32.const 2))
      (assert_trap (invoke "one") "unreachable")
      (assert_return (invoke "nan") (f32.const nan:0x200000))
      (assert_return (invoke "nan") (f32.const nan:arithmetic))
      (assert_return (invoke "nan") (f32.const nan:canonical))
      (assert_unlinkable (module (import "spectest" "missing" (func (param i32)))) "unknown import")
      (assert_return (invoke "pair") (i64.const -1) (f64.const 2.5))
      (assert_return (invoke "missing"))
    `);
    // nan:0x200000 has the quiet bit clear: it is neither an arithmetic nor the canonical NaN.
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'fail', 'fail', 'pass', 'fail', 'fail', 'pass', 'fail', 'fail']);
    expect(outcomes[2]).toEqual({ line: 6, command: 'assert_return', status: 'fail', message: 'expected (i32.const 2), got 1' });
    expect(outcomes[3]!.message).toBe('expected a failure, but it succeeded with 1');
    expect(outcomes[5]!.message).toBe('expected (f32.const nan:arithmetic), got nan:0x200000');
    expect(outcomes[8]!.message).toBe('result 1: expected (f64.const 2.5), got 1.5');
    expect(outcomes[9]!.message).toBe('unknown export "missing"');
  });

  it('passes signalling NaN arguments through unchanged (values never become JS numbers)', () => {
    const outcomes = run(`
      (module (func (export "bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0))))
      (assert_return (invoke "bits" (f32.const nan:0x200000)) (i32.const 0x7fa00000))
      (assert_return (invoke "bits" (f32.const -nan:0x1)) (i32.const 0xff800001))
    `);
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('compares v128 results lane by lane, float lanes with NaN patterns', () => {
    const outcomes = run(`
      (module (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
              (func (export "nan") (result v128) (f32x4.div (v128.const f32x4 0 1 0 1) (v128.const f32x4 0 1 0 1))))
      (assert_return (invoke "add" (v128.const i32x4 1 2 3 -1) (v128.const i32x4 10 20 30 1)) (v128.const i32x4 11 22 33 0))
      (assert_return (invoke "add" (v128.const i32x4 1 2 3 -1) (v128.const i32x4 10 20 30 1)) (v128.const i32x4 11 22 33 1))
      (assert_return (invoke "nan") (v128.const f32x4 nan:arithmetic 1 nan:arithmetic 1))
      (assert_return (invoke "nan") (v128.const f32x4 nan:arithmetic 1 nan:arithmetic 2))
    `);
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'fail', 'pass', 'fail']);
    // Integer patterns arrive as their bytes; lanes of the result, from lane 3 down: 0, 33, 22, 11.
    expect(outcomes[2]!.message).toBe('expected (v128.const i8x16 11 0 0 0 22 0 0 0 33 0 0 0 1 0 0 0), got 0x0000000000000021000000160000000b (v128)');
  });

  it('checks traps by message, and links registered modules', () => {
    const outcomes = run(`
      (module $m (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
      (register "m" $m)
      (module (import "m" "div" (func $div (param i32 i32) (result i32)))
              (func (export "half") (param i32) (result i32) (call $div (local.get 0) (i32.const 2))))
      (assert_return (invoke "half" (i32.const 9)) (i32.const 4))
      (assert_trap (invoke $m "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
      (assert_trap (invoke $m "div" (i32.const 1) (i32.const 0)) "integer overflow")
      (assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
      (assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
    `);
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'pass', 'fail']);
    expect(outcomes[5]!.message).toBe('expected trap "integer overflow", got "integer divide by zero"');
    expect(outcomes[7]!.message).toBe('expected "type mismatch", but the module validates');
  });

  it('skips commands on a module the engine cannot run, and its importers, with the reason', () => {
    const outcomes = run(`
      (module $v (func (export "v") (result i32) (atomic.fence) (i32.const 1)))
      (assert_return (invoke "v") (i32.const 1))
      (register "v" $v)
      (module (import "v" "v" (func (result i32))))
    `);
    expect(outcomes.map((o) => [o.status, o.message])).toEqual([
      ['skip', 'proposal not supported: threads'],
      ['skip', 'proposal not supported: threads'],
      ['skip', 'proposal not supported: threads'],
      ['skip', 'proposal not supported: threads'],
    ]);
  });

  it('links importers of spectest.shared_memory; skips thread scripts, naming the threads proposal', () => {
    const outcomes = run(`
      (module (memory (import "spectest" "shared_memory") 1 2 shared))
      (thread $t (module (func)))
      (wait $t)
    `);
    expect(outcomes.map((o) => [o.status, o.message])).toEqual([
      ['pass', ''],
      ['skip', 'proposal not supported: threads (thread)'],
      ['skip', 'proposal not supported: threads (wait)'],
    ]);
  });
});
