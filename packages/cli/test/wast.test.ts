// `flint wast`: a spec script run on Flint, summarised per assertion kind. In-process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { tempDir } from './support/cli-process.ts';

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: { write: (s: string | Uint8Array) => (stdout += String(s)), isTTY: false },
    stderr: { write: (s: string | Uint8Array) => (stderr += String(s)), isTTY: false },
  });
  return { code, stdout, stderr };
}

const spec = '/work/shared/spec-testsuite';

describe('flint wast', () => {
  it('reports passes, a failure with line and expected vs actual, and skips with reasons', () => {
    const file = join(tempDir('wast'), 'mixed.wast');
    writeFileSync(
      file,
      [
        '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))',
        '        (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))',
        '        (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5))))',
        '(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 4))',
        '(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 5))',
        '(assert_return (invoke "half" (f64.const 3)) (f64.const 1.5))',
        '(assert_return (invoke "half" (f64.const nan)) (f64.const nan:canonical))',
        '(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")',
        '(assert_trap (invoke "div" (i32.const 4) (i32.const 2)) "integer divide by zero")',
        '(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")',
        '(assert_return (invoke "add" (v128.const i32x4 1 2 3 4) (i32.const 0)) (i32.const 1))',
      ].join('\n'),
    );
    const { code, stdout } = run('wast', file);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}: 9 commands: 6 passed, 2 failed, 1 skipped`);
    expect(stdout).toMatch(/assert_return\s+3 passed\s+1 failed\s+1 skipped/);
    expect(stdout).toMatch(/assert_trap\s+1 passed\s+1 failed\s+0 skipped/);
    expect(stdout).toContain(`${file}:5: assert_return: expected (i32.const 5), got 4`);
    expect(stdout).toContain(`${file}:9: assert_trap: expected "integer divide by zero", but it succeeded with 2`);
    expect(stdout).toContain('1× v128 values cannot cross the JS API');
  });

  it('skips signalling NaN arguments (a JS number cannot carry them) but passes quiet ones', () => {
    const file = join(tempDir('wast'), 'nan.wast');
    writeFileSync(
      file,
      [
        '(module (func (export "bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0))))',
        '(assert_return (invoke "bits" (f32.const nan:0x200000)) (i32.const 0x7fa00000))',
        '(assert_return (invoke "bits" (f32.const nan:0x600000)) (i32.const 0x7fe00000))',
      ].join('\n'),
    );
    const { code, stdout } = run('wast', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/assert_return\s+1 passed\s+0 failed\s+1 skipped/);
    expect(stdout).toContain('1× signalling NaN arguments cannot cross the JS API unchanged');
  });

  it('runs a real spec script: every assertion of i32.wast passes', () => {
    const file = join(spec, 'i32.wast');
    const source = readFileSync(file, 'utf8');
    // Counted from the script's text, independently of the parser.
    const asserts = (kind: string) => source.match(new RegExp(`^\\(${kind}\\b`, 'gm'))?.length ?? 0;
    const { code, stdout } = run('wast', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`assert_return\\s+${asserts('assert_return')} passed\\s+0 failed\\s+0 skipped`));
    expect(stdout).toMatch(new RegExp(`assert_trap\\s+${asserts('assert_trap')} passed\\s+0 failed`));
    expect(stdout).toMatch(new RegExp(`assert_invalid\\s+${asserts('assert_invalid')} passed\\s+0 failed`));
  });

  it('runs a script with registered modules and imports (linking.wast) without failures', () => {
    const { code, stdout } = run('wast', join(spec, 'linking.wast'));
    expect(stdout).toMatch(/: \d+ commands: \d+ passed, 0 failed/);
    expect(code).toBe(0);
  });

  it('a syntax error in the script is file:line:column, exit 1', () => {
    const file = join(tempDir('wast'), 'broken.wast');
    writeFileSync(file, '(module)\n(assert_return (invoke "f") (i32.bogus 1))');
    const { code, stderr } = run('wast', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/broken\.wast:2:\d+: error: /);
  });

  it('a missing script is a usage-level error, exit 2', () => {
    expect(run('wast', '/nonexistent.wast').code).toBe(2);
    expect(run('wast').code).toBe(2);
  });

  it('runs several scripts, each summarised, and totals them', () => {
    const dir = tempDir('wast');
    const good = join(dir, 'good.wast');
    const bad = join(dir, 'bad.wast');
    const broken = join(dir, 'broken.wast');
    writeFileSync(good, '(module (func (export "f") (result i32) (i32.const 1)))\n(assert_return (invoke "f") (i32.const 1))');
    writeFileSync(bad, '(module (func (export "f") (result i32) (i32.const 1)))\n(assert_return (invoke "f") (i32.const 2))');
    writeFileSync(broken, '(assert_return (invoke "f") (i32.bogus 1))');
    const { code, stdout, stderr } = run('wast', good, bad, broken);
    expect(code).toBe(1);
    expect(stdout).toContain(`${good}: 2 commands: 2 passed, 0 failed, 0 skipped`);
    expect(stdout).toContain(`${bad}: 2 commands: 1 passed, 1 failed, 0 skipped`);
    expect(stdout).toContain(`${bad}:2: assert_return: expected (i32.const 2), got 1`);
    expect(stderr).toMatch(/broken\.wast:1:\d+: error: /);
    expect(stdout).toContain('total: 2 of 3 scripts ran, 4 commands: 3 passed, 1 failed, 0 skipped');
    expect(run('wast', good).stdout).not.toContain('total');
  });
});
