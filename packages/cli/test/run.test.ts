// `flint run` as a user runs it (a child process): WASI programs from examples/ must behave
// exactly as under Node's own WebAssembly with node:wasi — same stdout, stderr and exit code.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '@flint/decoder';
import { assembleWat } from '@flint/text';
import { describe, expect, it } from 'vitest';
import { examplesDir, runFlint, tempDir } from './support/cli-process.ts';
import { runUnderNode } from './support/node-wasi.ts';

const primes = join(examplesDir, 'primes.wasm');
const example = (name: string) => join(examplesDir, 'wasi', `${name}.wasm`);

describe('flint run: WASI programs, compared with node:wasi', () => {
  it('primes: the same table and exit code', () => {
    const flint = runFlint(['run', primes, '100000']);
    const node = runUnderNode(primes, [primes, '100000']);
    expect(flint.stdout).toContain('100000       9592');
    expect(flint).toEqual(node);
  });

  it('args and env: argv, --env and the exit code given to exit()', () => {
    const args = ['7', 'two words', 'ünï'];
    const env = { HOME: '/home/guest', LANG: 'C', EMPTY: '' };
    const flint = runFlint(['run', ...Object.entries(env).map(([k, v]) => `--env=${k}=${v}`), example('args'), ...args]);
    const node = runUnderNode(example('args'), [example('args'), ...args], { env });
    expect(flint.code).toBe(7);
    expect(flint.stdout).toContain('argv[2]=two words\n');
    expect(flint.stdout).toContain('env HOME=/home/guest\n');
    expect(flint.stderr).toBe('to stderr\n');
    expect(flint).toEqual(node);
  });

  it('no environment is inherited unless given', () => {
    const flint = runFlint(['run', example('args')]);
    expect(flint.stdout).toBe(`argc=1\nargv[0]=${example('args')}\nHOME=(unset)\n`);
    expect(flint.code).toBe(0);
  });

  it('--env NAME passes on the host’s value; a name the host lacks stays unset', () => {
    const host = { FLINT_TEST_HOME: '/from/the/host', HOME: '/host/home' };
    const flint = runFlint(['run', '--env', 'HOME', '--env', 'FLINT_TEST_UNSET_NAME', '--env=LANG=C', example('args')], { env: host });
    expect(flint.code).toBe(0);
    expect(flint.stdout).toContain('env HOME=/host/home\n');
    expect(flint.stdout).toContain('env LANG=C\n');
    expect(flint.stdout).not.toContain('FLINT_TEST_UNSET_NAME');
  });

  it('`flint <file> args…` is `flint run <file> args…`, options included', () => {
    const short = runFlint([example('args'), 'a', '--env', 'b']);
    const long = runFlint(['run', example('args'), 'a', '--env', 'b']);
    expect(short.stdout).toContain('argv[2]=--env\n');
    expect(short).toEqual(long);
    expect(runFlint(['--lazy', primes, '10']).stderr).toContain("unknown command '--lazy'");
  });

  it('cat: stdin to stdout', () => {
    const input = 'line one\nünïcødé\n'.repeat(500);
    const flint = runFlint(['run', example('cat')], { input });
    const node = runUnderNode(example('cat'), [example('cat')], { input });
    expect(flint.stdout).toBe(input);
    expect(flint).toEqual(node);
  });

  it('files: a preopened directory given with --dir host::guest', () => {
    const results = ['flint', 'node'].map((engine) => {
      const sandbox = tempDir(`files-${engine}`);
      const result =
        engine === 'flint'
          ? runFlint(['run', '--dir', `${sandbox}::/sandbox`, example('files')])
          : runUnderNode(example('files'), [example('files')], { preopens: { '/sandbox': sandbox } });
      return { result, data: readFileSync(join(sandbox, 'data.bin'), 'utf8') };
    });
    const [flint, node] = results as [(typeof results)[0], (typeof results)[0]];
    expect(flint.result.stdout).toContain('failures: 0');
    expect(flint.result.code).toBe(0);
    // O_NOFOLLOW on a symlink must fail with ELOOP (32); node:wasi follows the link, a known
    // gap (packages/wasi/README.md), so that line is checked against the spec instead.
    const spec = 'open O_NOFOLLOW on a symlink: failed errno 32\n';
    const nodeGap = 'open O_NOFOLLOW on a symlink: opened\n';
    expect(flint.result.stdout).toContain(spec);
    expect(node.result.stdout).toContain(nodeGap);
    expect(flint).toEqual({ ...node, result: { ...node.result, stdout: node.result.stdout.replace(nodeGap, spec) } });
  });

  it('clock and random: the same verdicts', () => {
    for (const name of ['clock', 'random']) {
      const flint = runFlint(['run', example(name)]);
      const node = runUnderNode(example(name), [example(name)]);
      expect(flint.code).toBe(0);
      expect(flint.stdout).not.toMatch(/: 0$/m); // every verdict line of these programs ends in 1 when it holds
      expect(flint).toEqual(node);
    }
  });

  it('--lazy and --tier baseline give the same output', () => {
    const eager = runFlint(['run', primes, '20000']);
    const lazy = runFlint(['run', '--lazy', '--tier', 'baseline', primes, '20000']);
    expect(eager.code).toBe(0);
    expect(lazy).toEqual(eager);
  });
});

describe('flint run: sandbox', () => {
  it('a program cannot read outside its --dir', () => {
    const root = tempDir('escape');
    const sandbox = join(root, 'sandbox');
    mkdirSync(join(sandbox, 'dir'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside/secret.txt'), 'top secret\n');
    writeFileSync(join(sandbox, 'dir/file.txt'), 'inside\n');
    symlinkSync('../outside', join(sandbox, 'rel_link'));
    const { code, stdout } = runFlint(['run', '--dir', `${sandbox}::/sandbox`, example('escape')]);
    expect(code).toBe(0);
    // errno 76 is notcapable; 0 proves the same call works inside the sandbox.
    expect(stdout).toContain('open ../outside/secret.txt 76\n');
    expect(stdout).toContain('open rel_link/secret.txt 76\n');
    expect(stdout).toContain('open /etc/passwd 76\n');
    expect(stdout).toContain('open dir/../dir/file.txt 0\n');
    expect(stdout).not.toContain('top secret');
  });
});

describe('flint run: errors and exit codes', () => {
  const wat = (name: string, text: string) => {
    const path = join(tempDir('wat'), name);
    writeFileSync(path, text);
    return path;
  };

  it('a trap exits with 134, names the trap and prints the Wasm backtrace', () => {
    const file = wat(
      'trap.wat',
      `(module (memory (export "memory") 1)
         (func $divide (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
         (func (param i32) (result i32) (call $divide (local.get 0)))
         (func (export "_start") (drop (call 1 (i32.const 0)))))`,
    );
    const { code, stderr } = runFlint(['run', file]);
    expect(code).toBe(134);
    // Offsets: the i32.div_u, the call in function 1, the call in _start.
    const bytes = assembleWat(readFileSync(file, 'utf8'), { names: true });
    const body = (i: number) => decodeModule(bytes.bytes).codes[i]!.code;
    const divide = body(0).offset + body(0).bytes.indexOf(0x6e);
    const call1 = body(1).offset + body(1).bytes.indexOf(0x10);
    const callStart = body(2).offset + body(2).bytes.indexOf(0x10);
    expect(stderr).toBe(
      [
        `${file}: error: trap: integer divide by zero`,
        'wasm backtrace:',
        `     0:   0x${divide.toString(16)} - trap.wat!divide`,
        `     1:   0x${call1.toString(16)} - trap.wat!<wasm function 1>`,
        `     2:   0x${callStart.toString(16)} - trap.wat!<wasm function 2>`,
        '',
      ].join('\n'),
    );
  });

  it('an unreachable in _start: one frame', () => {
    const file = wat('unreachable.wat', '(module (memory (export "memory") 1) (func $main (export "_start") unreachable))');
    const { code, stderr } = runFlint(['run', file]);
    expect(code).toBe(134);
    expect(stderr).toMatch(/^.*: error: trap: unreachable\nwasm backtrace:\n {5}0: {3}0x[0-9a-f]+ - unreachable\.wat!main\n$/);
  });

  it('a malformed module is file:offset: message, exit 1', () => {
    const file = join(tempDir('bad'), 'bad.wasm');
    writeFileSync(file, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x7f, 0]));
    const { code, stderr } = runFlint(['run', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.wasm:0x8: error: malformed section id/);
  });

  it('an import nobody provides is a link error, exit 1', () => {
    const file = wat('imp.wat', '(module (import "env" "f" (func)) (func (export "_start")))');
    const { code, stderr } = runFlint(['run', file]);
    expect(code).toBe(1);
    expect(stderr).toBe(`${file}: error: cannot link: import #0 "env" "f": flint run provides only wasi_snapshot_preview1\n`);
  });

  it('a module without _start asks for --invoke, exit 2', () => {
    const file = wat('lib.wat', '(module (func (export "f")))');
    const { code, stderr } = runFlint(['run', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('no _start export');
  });

  it('usage errors exit 2: missing file, bad --dir, bad --env, unknown tier', () => {
    expect(runFlint(['run', '/nonexistent/x.wasm']).code).toBe(2);
    const directory = runFlint(['run', examplesDir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toBe(`${examplesDir}: error: is a directory, not a module file\n`);
    const badDir = runFlint(['run', '--dir', '/nonexistent-dir::/x', primes]);
    expect(badDir.code).toBe(2);
    expect(badDir.stderr).toContain("no such directory '/nonexistent-dir'");
    expect(runFlint(['run', '--env', '=VALUE', primes]).stderr).toContain('expected NAME=VALUE or NAME');
    const tier = runFlint(['run', '--tier', 'turbo', primes]);
    expect(tier.code).toBe(2);
    expect(tier.stderr).toContain('--tier must be one of baseline');
  });
});
