// `flint run --invoke`: arguments parsed from the export's signature, results printed one per
// line. Runs in-process (nothing here writes through WASI); expected values are worked out by
// hand from the functions' definitions.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { tempDir } from './support/cli-process.ts';

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: { write: (s: string | Uint8Array) => (stdout += typeof s === 'string' ? s : Buffer.from(s).toString()), isTTY: false },
    stderr: { write: (s: string | Uint8Array) => (stderr += typeof s === 'string' ? s : Buffer.from(s).toString()), isTTY: false },
  });
  return { code, stdout, stderr };
}

const library = join(tempDir('invoke'), 'lib.wat');
writeFileSync(
  library,
  `(module
    (func (export "add_i32") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "mul_i64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
    (func (export "half_f32") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
    (func (export "sqrt_f64") (param f64) (result f64) (f64.sqrt (local.get 0)))
    (func (export "swap") (param i32 f64) (result f64 i32) (local.get 1) (local.get 0))
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "nothing")))`,
);

describe('flint run --invoke', () => {
  it('i32: decimal and hex, results as signed decimal', () => {
    expect(run('run', '--invoke', 'add_i32', library, '40', '2')).toEqual({ code: 0, stdout: '42\n', stderr: '' });
    // 0xffffffff is -1 as an i32; -1 + -1 = -2.
    expect(run('run', '--invoke', 'add_i32', library, '0xffffffff', '-1').stdout).toBe('-2\n');
    // 0x7fffffff + 1 wraps to the smallest i32.
    expect(run('run', '--invoke', 'add_i32', library, '0x7fffffff', '1').stdout).toBe('-2147483648\n');
  });

  it('i64: beyond 2^53, and wrapping', () => {
    // 2^32 * 2^31 = 2^63 wraps to -2^63.
    expect(run('run', '--invoke', 'mul_i64', library, '0x100000000', '2147483648').stdout).toBe('-9223372036854775808\n');
    expect(run('run', '--invoke', 'mul_i64', library, '3000000000', '-3').stdout).toBe('-9000000000\n');
  });

  it('f32: shortest decimal that reads back, nan and inf', () => {
    expect(run('run', '--invoke', 'half_f32', library, '0.2').stdout).toBe('0.1\n');
    expect(run('run', '--invoke', 'half_f32', library, '-inf').stdout).toBe('-inf\n');
    expect(run('run', '--invoke', 'half_f32', library, 'nan').stdout).toBe('nan\n');
    expect(run('run', '--invoke', 'half_f32', library, '-0').stdout).toBe('-0\n');
  });

  it('f64', () => {
    expect(run('run', '--invoke', 'sqrt_f64', library, '2').stdout).toBe('1.4142135623730951\n');
    expect(run('run', '--invoke', 'sqrt_f64', library, 'inf').stdout).toBe('inf\n');
    expect(run('run', '--invoke', 'sqrt_f64', library, '-1').stdout).toBe('nan\n');
  });

  it('several results print one per line; none prints nothing', () => {
    expect(run('run', '--invoke', 'swap', library, '7', '2.5').stdout).toBe('2.5\n7\n');
    expect(run('run', '--invoke', 'nothing', library)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a trap exits with 134', () => {
    const { code, stderr } = run('run', '--invoke', 'div', library, '1', '0');
    expect(code).toBe(134);
    // `div` has no $name, so the backtrace names it by index (export names are not function names).
    const [first, second, frame, end] = stderr.split('\n');
    expect([first, second, end]).toEqual([`${library}: error: trap: integer divide by zero`, 'wasm backtrace:', '']);
    expect(frame).toMatch(/^ {5}0: {2,}0x[0-9a-f]+ - lib\.wat!<wasm function 5>$/);
  });

  it('usage errors: bad numbers, wrong arity, unknown export', () => {
    const notInt = run('run', '--invoke', 'add_i32', library, '1.5', '2');
    expect(notInt.code).toBe(2);
    expect(notInt.stderr).toContain("argument 1 of 'add_i32': '1.5' is not an i32");
    expect(run('run', '--invoke', 'add_i32', library, '4294967296', '0').stderr).toContain('out of range for i32');
    expect(run('run', '--invoke', 'half_f32', library, 'pi').stderr).toContain("'pi' is not an f32");
    expect(run('run', '--invoke', 'add_i32', library, '1').stderr).toContain("'add_i32' takes 2 argument(s), got 1");
    const unknown = run('run', '--invoke', 'nope', library);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no exported function 'nope' (exported functions: add_i32, mul_i64");
  });
});

describe('flint run --invoke on a WASI reactor', () => {
  it('initialises it, and proc_exit inside the export becomes the exit code', () => {
    const file = join(tempDir('invoke'), 'reactor.wat');
    writeFileSync(
      file,
      `(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (global $ready (mut i32) (i32.const 0))
        (func (export "_initialize") (global.set $ready (i32.const 1)))
        (func (export "ready") (result i32) (global.get $ready))
        (func (export "quit") (param i32) (call $exit (local.get 0))))`,
    );
    expect(run('run', '--invoke', 'ready', file)).toEqual({ code: 0, stdout: '1\n', stderr: '' });
    expect(run('run', '--invoke', 'quit', file, '9')).toEqual({ code: 9, stdout: '', stderr: '' });
  });
});

describe('flint run --help', () => {
  it('documents its options', () => {
    const { code, stdout } = run('run', '--help');
    expect(code).toBe(0);
    for (const option of ['--dir host[::guest]', '--env NAME[=VALUE]', '--invoke NAME', '--tier', '--lazy']) expect(stdout).toContain(option);
  });
});
