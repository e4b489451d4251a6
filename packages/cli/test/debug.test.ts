// `flint debug`: the command line on top of the runtime's debugger, driven through stdin.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { runFlint, tempDir } from './support/cli-process.ts';

function run(argv: string[], input: string) {
  let stdout = '';
  let stderr = '';
  const text = (s: string | Uint8Array) => (typeof s === 'string' ? s : Buffer.from(s).toString());
  const code = main(argv, {
    stdout: { write: (s: string | Uint8Array) => (stdout += text(s)), isTTY: false },
    stderr: { write: (s: string | Uint8Array) => (stderr += text(s)), isTTY: false },
    stdin: new TextEncoder().encode(input),
  });
  return { code, stdout, stderr };
}

const file = join(tempDir('debug'), 'sum.wat');
writeFileSync(
  file,
  `(module
  (func $sum (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $again
      (local.set $acc (i32.add (local.get $acc) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_s (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $main (export "main") (param $x i32) (result i32)
    (i32.add (call $sum (local.get $x)) (i32.const 1))))`,
);

describe('flint debug', () => {
  it('stops at a breakpoint, shows locals, the operand stack and the backtrace, steps and continues', () => {
    const { code, stdout } = run(['debug', '--invoke', 'main', file, '3'], ['break sum', 'run', 'bt', 'locals', 'next', 'next', 'stack', 'locals 1', 'continue', ''].join('\n'));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^breakpoint 1 at sum \(wasm-function\[0\]\) 0x[0-9a-f]+: loop$/);
    expect(lines[1]).toMatch(/^stopped \(breakpoint 1\) at sum \(wasm-function\[0\]\) 0x[0-9a-f]+: loop$/);
    expect(lines[2]).toMatch(/^#0 sum \(wasm-function\[0\]\) 0x[0-9a-f]+$/);
    expect(lines[3]).toMatch(/^#1 main \(wasm-function\[1\]\) 0x[0-9a-f]+$/);
    expect(lines.slice(4, 7)).toEqual(['  0 n: i32 3', '  1 i: i32 0', '  2 acc: i32 0']);
    expect(lines[7]).toMatch(/^stopped \(step\) at sum \(wasm-function\[0\]\) 0x[0-9a-f]+: local\.get$/);
    expect(lines[8]).toMatch(/^stopped \(step\) at sum \(wasm-function\[0\]\) 0x[0-9a-f]+: local\.get$/);
    expect(lines[9]).toBe('  0: i32 0'); // acc, about to be added to i
    expect(lines[10]).toBe('  0 x: i32 3'); // main's local
    // sum(3) + 1, printed by --invoke; then the end of the program.
    expect(lines.slice(11)).toEqual(['4', 'program exited with code 0', '']);
  });

  it('steps into and out of calls, breaks at a module offset, deletes breakpoints', () => {
    const commands = ['break main', 'breakpoints', 'run', 'step', 'step', 'bt', 'finish', 'stack', 'delete 1', 'breakpoints', 'c'];
    const { code, stdout } = run(['debug', '--invoke', 'main', file, '2'], commands.join('\n'));
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const [mainStart] = /0x[0-9a-f]+/.exec(lines[0]!)!;
    expect(lines.slice(0, 3)).toEqual([
      `breakpoint 1 at main (wasm-function[1]) ${mainStart}: local.get`,
      `1: main (wasm-function[1]) ${mainStart}`,
      `stopped (breakpoint 1) at main (wasm-function[1]) ${mainStart}: local.get`,
    ]);
    expect(lines[3]).toMatch(/^stopped \(step\) at main \(wasm-function\[1\]\) 0x[0-9a-f]+: call$/);
    const [call] = /0x[0-9a-f]+(?=: call)/.exec(lines[3]!)!;
    // `step` at a call goes into it: sum's first operator, with main below it at the call.
    expect(lines[4]).toMatch(/^stopped \(step\) at sum \(wasm-function\[0\]\) 0x[0-9a-f]+: loop$/);
    expect(lines.slice(5, 7)).toEqual([expect.stringMatching(/^#0 sum \(wasm-function\[0\]\) 0x/), `#1 main (wasm-function[1]) ${call}`]);
    // `finish` runs sum to its end and stops in main after the call, sum(2) = 1 on the stack.
    expect(lines[7]).toMatch(/^stopped \(step\) at main \(wasm-function\[1\]\) 0x[0-9a-f]+: i32\.const$/);
    expect(lines.slice(8)).toEqual(['  0: i32 1', 'deleted breakpoint 1', 'no breakpoints', '2', 'program exited with code 0', '']);

    // The same stop by module offset: `break <offset>` finds the function.
    const byOffset = run(['debug', '--invoke', 'main', file, '2'], [`break ${call}`, 'run', 'c'].join('\n'));
    expect(byOffset.stdout.split('\n').slice(0, 2)).toEqual([`breakpoint 1 at main (wasm-function[1]) ${call}: call`, `stopped (breakpoint 1) at main (wasm-function[1]) ${call}: call`]);
  });

  it('reports mistakes without stopping: unknown commands and functions, commands that need a running program', () => {
    const { code, stdout } = run(['debug', '--invoke', 'main', file, '1'], ['frob', 'break nothing', 'break 0xffffff', 'locals', 'run'].join('\n'));
    expect(code).toBe(0);
    expect(stdout).toContain("unknown command 'frob' (help lists them)");
    expect(stdout).toContain('error: no function named nothing');
    expect(stdout).toContain('error: offset 0xffffff is in no function body');
    expect(stdout).toContain('the program is not running: `run` starts it');
    expect(stdout).toContain('program exited with code 0');
  });

  it('quit ends the program and flint with 130', () => {
    const result = runFlint(['debug', '--invoke', 'main', file, '3'], { input: 'break sum\nrun\nquit\n' });
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/stopped \(breakpoint 1\) at sum/);
    expect(result.stdout).not.toContain('program exited');
  });
});
