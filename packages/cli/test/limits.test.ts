// `flint run --fuel`, `--max-memory`, `--max-table-elements`, `--max-wasm-stack` (issue 12). Runs
// in-process; each run puts the thread's limits and fuel back, which the last test checks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { parseByteSize } from '../src/commands/run.ts';
import { readInputFile } from '../src/load.ts';
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

const dir = tempDir('limits');
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

// sum(n) = 0 + 1 + … + (n-1): per iteration local.get, local.get, i32.add, local.set, local.get,
// i32.const, i32.add, local.tee, local.get, i32.lt_u, br_if = 11; local.get at the end = 1.
const loops = file(
  'loops.wat',
  `(module
    (func (export "spin") (loop (br 0)))
    (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $a i32)
      (loop
        (local.set $a (i32.add (local.get $a) (local.get $i)))
        (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $a))
    (func (export "recurse") (param i32) (result i32) (i32.add (call 2 (local.get 0)) (i32.const 1))))`,
);
const sumFuel = (n: number): number => 11 * n + 1;

describe('flint run --fuel', () => {
  for (const tier of ['baseline', 'optimizing']) {
    it(`${tier}: a runaway export stops with a trap and exit code 134`, () => {
      const { code, stderr } = run('run', '--tier', tier, '--fuel', '100000', '--invoke', 'spin', loops);
      expect(code).toBe(134);
      expect(stderr.split('\n')[0]).toBe(`${loops}: error: trap: fuel exhausted`);
    });

    it(`${tier}: exactly enough fuel runs to the end; one less traps`, () => {
      expect(run('run', '--tier', tier, '--fuel', String(sumFuel(1000)), '--invoke', 'sum', loops, '1000')).toEqual({ code: 0, stdout: '499500\n', stderr: '' });
      expect(run('run', '--tier', tier, '--fuel', String(sumFuel(1000) - 1), '--invoke', 'sum', loops, '1000').code).toBe(134);
    });
  }

  it('usage errors', () => {
    expect(run('run', '--fuel', 'lots', '--invoke', 'spin', loops).code).toBe(2);
    expect(run('run', '--fuel', '-1', '--invoke', 'spin', loops).code).toBe(2);
  });
});

const memory = (min: number, max?: number) => file(`memory-${min}-${max ?? 'none'}.wat`, `(module (memory (export "m") ${min}${max === undefined ? '' : ` ${max}`})
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))`);
const table = (min: number) => file(`table-${min}.wat`, `(module (table ${min} funcref)
  (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
  (func (export "size") (result i32) (table.size)))`);

describe('flint run --max-memory, --max-table-elements', () => {
  it('a declared minimum above the cap fails to instantiate (exit 1, a clear message)', () => {
    const { code, stderr } = run('run', '--max-memory', '1MiB', '--invoke', 'size', memory(17));
    expect(code).toBe(1);
    expect(stderr).toContain('error: cannot instantiate: cannot allocate memory of 17 pages: the limit is 1048576 bytes per memory (16 pages)');
    const tables = run('run', '--max-table-elements', '100', '--invoke', 'size', table(101));
    expect(tables.code).toBe(1);
    expect(tables.stderr).toContain('error: cannot instantiate: cannot allocate a table of 101 elements: the limit is 100');
  });

  it('memory.grow and table.grow past the cap return -1; up to it they grow', () => {
    expect(run('run', '--max-memory', '16pages', '--invoke', 'grow', memory(1), '15').stdout).toBe('1\n');
    expect(run('run', '--max-memory', '16pages', '--invoke', 'grow', memory(1), '16').stdout).toBe('-1\n');
    // The cap is below the declared maximum: the cap wins.
    expect(run('run', '--max-memory', '2pages', '--invoke', 'grow', memory(1, 100), '2').stdout).toBe('-1\n');
    expect(run('run', '--max-table-elements', '10', '--invoke', 'grow', table(4), '6').stdout).toBe('4\n');
    expect(run('run', '--max-table-elements', '10', '--invoke', 'grow', table(4), '7').stdout).toBe('-1\n');
  });

  it('sizes: bytes, KiB/MiB/GiB, pages; anything else is a usage error', () => {
    expect([parseByteSize('x', '65536'), parseByteSize('x', '64KiB'), parseByteSize('x', '2MiB'), parseByteSize('x', '1GiB'), parseByteSize('x', '3pages')]).toEqual([65536, 65536, 2 * 2 ** 20, 2 ** 30, 3 * 65536]);
    expect(run('run', '--max-memory', '1.5MiB', '--invoke', 'size', memory(1)).code).toBe(2);
    expect(run('run', '--max-memory', 'huge', '--invoke', 'size', memory(1)).code).toBe(2);
    expect(run('run', '--max-table-elements', '1e3', '--invoke', 'size', table(1)).code).toBe(2);
  });
});

describe('module size', () => {
  it('--max-module-size refuses a larger module with a CompileError (exit 1)', () => {
    const { code, stderr } = run('run', '--max-module-size', '64', '--invoke', 'sum', loops, '1');
    expect(code).toBe(1);
    expect(stderr).toMatch(/module too large: \d+ bytes, more than the limit of 64/);
    expect(run('run', '--max-module-size', '1MiB', '--invoke', 'sum', loops, '3').stdout).toBe('3\n');
  });

  it('input files are read no further than the limit: /dev/zero is "module too large", not a process that grows', () => {
    expect(() => readInputFile('/dev/zero', 3 * 1024 * 1024 + 5)).toThrow('module too large: more than 3145733 bytes (at byte 0x300005)');
    expect(readInputFile(loops, 100_000).toString('utf8')).toContain('(func (export "spin")');
  });
});

describe('flint run --max-wasm-stack', () => {
  it('a smaller stack traps deep recursion with "call stack exhausted" (exit 134)', () => {
    const { code, stderr } = run('run', '--max-wasm-stack', '64KiB', '--invoke', 'recurse', loops, '0');
    expect(code).toBe(134);
    expect(stderr.split('\n')[0]).toBe(`${loops}: error: trap: call stack exhausted`);
  });

  it('more than the native call stack has is a usage error', () => {
    const { code, stderr } = run('run', '--max-wasm-stack', '1GiB', '--invoke', 'sum', loops, '1');
    expect(code).toBe(2);
    expect(stderr).toContain('the Wasm stack size must be an integer from 0 to');
  });

  it('every run put the thread back as it found it: no cap, no fuel needed, the default stack', () => {
    expect(run('run', '--invoke', 'grow', memory(1), '100').stdout).toBe('1\n');
    expect(run('run', '--invoke', 'sum', loops, '10')).toEqual({ code: 0, stdout: '45\n', stderr: '' });
  });
});
