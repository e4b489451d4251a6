import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_VERSION, registeredTiers } from '@flint/runtime';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { main } from '../src/main.ts';

const primes = new URL('../../../examples/primes.wasm', import.meta.url).pathname;

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  return { code, stdout, stderr };
}

function tempFile(name: string, contents: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flint-cli-')), name);
  writeFileSync(path, contents);
  return path;
}

describe('flint validate', () => {
  it('accepts a real WASI program', () => {
    const { code, stdout } = run('validate', primes);
    expect(code).toBe(0);
    expect(stdout).toContain('primes.wasm: valid');
  });

  it('reports a malformed module as file:offset: message with exit code 1', () => {
    // A valid header followed by a section id that does not exist.
    const file = tempFile('bad.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x7f, 0]));
    const { code, stderr } = run('validate', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.wasm:0x8: error: malformed section id/);
  });

  it('reports an invalid function body of a binary module with its offset', () => {
    // (module (func (result i32) (i64.const 1)))
    const file = tempFile('bad.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x42, 1, 0x0b]));
    const { code, stderr } = run('validate', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.wasm:0x1a: error: type mismatch/);
  });

  it('reports a validation error in a text module at its line and column', () => {
    const file = tempFile('bad.wat', '(module\n  (func (result i32)\n    (i64.const 1)))');
    const { code, stderr } = run('validate', file);
    expect(code).toBe(1);
    // The function's `end` (its closing parenthesis) finds an i64 where an i32 is expected.
    expect(stderr).toMatch(/^.*bad\.wat:3:18: error: type mismatch.* \(module offset 0x1a\)\n$/);
    for (const command of ['inspect', 'run', 'compile', 'disasm']) {
      const args = command === 'compile' ? [file, '-o', join(tmpdir(), 'unused.flint')] : [file];
      expect(run(command, ...args).stderr, command).toMatch(/bad\.wat:3:18: error: type mismatch/);
    }
  });

  it('reports text-format errors with line and column', () => {
    const file = tempFile('syntax.wat', '(module\n  (func (i32.bogus)))');
    const { code, stderr } = run('validate', file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/syntax\.wat:2:\d+: error: unknown operator/);
  });

  it('is a usage error without files', () => {
    expect(run('validate').code).toBe(2);
  });
});

describe('flint inspect', () => {
  it('lists imports, exports and functions of a real program', () => {
    const { code, stdout } = run('inspect', primes);
    expect(code).toBe(0);
    expect(stdout).toMatch(/func "wasi_snapshot_preview1" "fd_write" \[i32 i32 i32 i32\] -> \[i32\]/);
    expect(stdout).toMatch(/func "_start" -> #\d+ \[\] -> \[\]/);
    expect(stdout).toMatch(/memory "memory" -> #0/);
    expect(stdout).toMatch(/largest functions \(of \d+\)/);
  });

  it('summarises a text module', () => {
    const file = tempFile('m.wat', '(module (memory 1 2) (func (export "f") (param i64) (result f32) (f32.const 0)))');
    const { code, stdout } = run('inspect', file);
    expect(code).toBe(0);
    expect(stdout).toContain('func "f" -> #0 [i64] -> [f32]');
    expect(stdout).toContain('memory #0: i32 1..2 pages');
  });
});

describe('flint', () => {
  it('prints help and lists its commands', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/validate\s+check that modules/);
    expect(stdout).toMatch(/inspect\s+summarise a module/);
    for (const command of ['run', 'wast', 'disasm', 'compile']) expect(stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, 'm'));
  });

  it('prints per-command help, also as `flint help <command>`', () => {
    expect(run('inspect', '--help').stdout).toContain('usage: flint inspect');
    const help = run('help', 'run');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: flint run');
    expect(help.stdout).toBe(run('run', '--help').stdout);
    const unknown = run('help', 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  it('run --help is help only before the module file: after it, the program gets it', () => {
    expect(run('run', '--lazy', '-h').stdout).toContain('usage: flint run');
    const file = tempFile('lib.wat', '(module (func (export "f") (param i32)))');
    const passed = run('run', '--invoke', 'f', file, '--help');
    expect(passed.code).toBe(2);
    expect(passed.stderr).toContain("'--help' is not an i32");
  });

  it('prints its version, the engine build and the host', () => {
    const { code, stdout } = run('--version');
    expect(code).toBe(0);
    expect(stdout).toBe(`flint ${packageJson.version} (engine ${ENGINE_VERSION}; ${process.arch}; tiers: ${registeredTiers().map((tier) => tier.name).join(', ')})\n`);
    expect(run('-V').stdout).toBe(stdout);
  });

  it('rejects an unknown command with exit code 2', () => {
    const { code, stderr } = run('frobnicate');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('flint compile: writing the output', () => {
  it('names the output path when it cannot be written', () => {
    const module = tempFile('m.wat', '(module (func))');
    const missingDir = join(tmpdir(), 'flint-no-such-dir', 'out.flint');
    const missing = run('compile', module, '-o', missingDir);
    expect(missing.code).toBe(73);
    expect(missing.stderr).toBe(`${missingDir}: error: cannot write: no such directory\n`);
    const directory = run('compile', module, '-o', tmpdir());
    expect(directory.code).toBe(73);
    expect(directory.stderr).toBe(`${tmpdir()}: error: cannot write: is a directory\n`);
  });
});
