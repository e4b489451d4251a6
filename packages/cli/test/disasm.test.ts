// `flint disasm`: objdump integration and the annotated listing on instruction bytes taken from
// the ISA manuals, and the command end to end on the runtime's machine code for both targets.
import { DEFAULT_TIER } from '@flint/runtime';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrapReason } from '@flint/backend';
import { parseWat } from '@flint/text';
import { describe, expect, it } from 'vitest';
import { available } from '@flint/test-support';
import { formatListing } from '../src/disasm/listing.ts';
import { disassemble, parseObjdump } from '../src/disasm/objdump.ts';
import { targetIsa } from '../src/disasm/machine-code.ts';
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

const works = (program: string, machine: string) => spawnSync(program, ['--help'], { encoding: 'utf8' }).stdout?.includes(machine) ?? false;
const hasX64Objdump = available('an x86-64 objdump', works('x86_64-linux-gnu-objdump', 'x86-64') || (process.arch === 'x64' && works('objdump', 'x86-64')));
const hasArm64Objdump = available('an aarch64 objdump', works('aarch64-linux-gnu-objdump', 'aarch64') || (process.arch === 'arm64' && works('objdump', 'aarch64')));

// x64: push rbp (55); mov rbp, rsp (48 89 e5); ud2 (0f 0b); ret (c3) — Intel SDM encodings.
const x64Code = new Uint8Array([0x55, 0x48, 0x89, 0xe5, 0x0f, 0x0b, 0xc3]);
// arm64: stp x29, x30, [sp, #-16]! (a9bf7bfd); brk #0 (d4200000); ret (d65f03c0) — Arm ARM encodings.
const arm64Code = new Uint8Array([0xfd, 0x7b, 0xbf, 0xa9, 0x00, 0x00, 0x20, 0xd4, 0xc0, 0x03, 0x5f, 0xd6]);

describe('disassembling with objdump', () => {
  it.runIf(hasX64Objdump)('x64 (skipped without an x86-64 objdump)', () => {
    const { tool, instructions } = disassemble(x64Code, targetIsa('x64'));
    expect(tool).toMatch(/objdump$/);
    expect(instructions.map((i) => [i.offset, i.text])).toEqual([
      [0, 'push rbp'],
      [1, 'mov rbp,rsp'],
      [4, 'ud2'],
      [6, 'ret'],
    ]);
  });

  it.runIf(hasArm64Objdump)('arm64 (skipped without an aarch64 objdump)', () => {
    const { instructions } = disassemble(arm64Code, targetIsa('arm64'));
    expect(instructions.map((i) => i.offset)).toEqual([0, 4, 8]);
    expect(instructions[0]!.text).toMatch(/^stp x29, x30, \[sp, #-16\]!/);
    expect(instructions[1]!.text).toMatch(/^brk #0x0/);
    expect(instructions[2]!.text).toBe('ret');
  });

  it('falls back to hex when no objdump is found: bytes for x64, words for arm64', () => {
    expect(disassemble(x64Code, targetIsa('x64'), ['no-such-objdump'])).toEqual({
      tool: 'hex',
      instructions: [{ offset: 0, bytes: '55 48 89 e5 0f 0b c3', text: '' }],
    });
    expect(disassemble(arm64Code, targetIsa('arm64'), ['no-such-objdump']).instructions.map((i) => i.bytes)).toEqual(['a9bf7bfd', 'd4200000', 'd65f03c0']);
  });

  it('joins the continuation lines objdump prints for long instructions', () => {
    const output = '   0:\t48 b8 88 77 66 55 44 \tmovabs rax,0x1122334455667788\n   7:\t33 22 11 \n   a:\tc3                   \tret\n';
    expect(parseObjdump(output)).toEqual([
      { offset: 0, bytes: '48 b8 88 77 66 55 44 33 22 11', text: 'movabs rax,0x1122334455667788' },
      { offset: 10, bytes: 'c3', text: 'ret' },
    ]);
  });
});

describe('the annotated listing', () => {
  it('marks trap sites with their reason and Wasm offset, and operator starts', () => {
    // A trap site is the address after the instruction leaving for the trap exit: here ud2's end.
    const fn = {
      funcIndex: 0,
      code: x64Code,
      trapSites: [{ codeOffset: 6, reason: TrapReason.Unreachable, wasmOffset: 0x1f }],
      operatorOffsets: [{ codeOffset: 4, wasmOffset: 0x1f }],
    };
    const lines = formatListing(fn, disassemble(x64Code, targetIsa('x64'), ['no-such-objdump']).instructions);
    expect(lines).toHaveLength(1); // one hex row covers all seven bytes
    expect(lines[0]).toMatch(/^\s+0:\s+55 48 89 e5 0f 0b c3\s+; trap: unreachable at wasm 0x1f$/);
    const listed = formatListing(fn, [
      { offset: 0, bytes: '55', text: 'push rbp' },
      { offset: 1, bytes: '48 89 e5', text: 'mov rbp,rsp' },
      { offset: 4, bytes: '0f 0b', text: 'ud2' },
      { offset: 6, bytes: 'c3', text: 'ret' },
    ]);
    expect(listed[2]).toMatch(/ud2\s+; wasm 0x1f; trap: unreachable at wasm 0x1f$/);
    expect(listed[0]).not.toContain(';');
  });
});

describe('flint disasm', () => {
  const file = join(tempDir('disasm'), 'm.wat');
  const source = '(module (func (export "boom") unreachable) (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))';
  writeFileSync(file, source);
  // The module offset of `i32.div_u`, found in the assembled bytes: local.get 0, local.get 1, i32.div_u.
  const bytes = parseWat(source);
  const divAt = bytes.findIndex((_, i) => [0x20, 0x00, 0x20, 0x01, 0x6e].every((b, j) => bytes[i + j] === b)) + 4;

  it('x64: a prologue, operator offsets and annotated trap sites', () => {
    const { code, stdout } = run('disasm', '--target', 'x64', file);
    expect(code).toBe(0);
    expect(stdout).toContain(`function #0 "boom" (x64, ${DEFAULT_TIER}`);
    expect(stdout).toContain(`function #1 "div" (x64, ${DEFAULT_TIER}`);
    expect(stdout).toMatch(/push\s+rbp|sub\s+rsp|55 /);
    expect(stdout).toMatch(/; trap: unreachable/);
    expect(stdout).toContain(`; trap: integer divide by zero at wasm 0x${divAt.toString(16)}`);
    // With objdump, the division's first instruction carries its operator offset; a hex row may
    // hold several operator starts and shows none of them (only exact instruction starts).
    if (hasX64Objdump) {
      expect(stdout).toContain(`; wasm 0x${divAt.toString(16)}`);
      // The trap is noted on the call into the trap exit.
      expect(stdout).toMatch(/ call [^;\n]*; trap: integer divide by zero/);
    }
  });

  it('arm64 on any host: a prologue and annotated trap sites', () => {
    const { code, stdout } = run('disasm', '--target', 'arm64', '--function', 'div', file);
    expect(code).toBe(0);
    expect(stdout).not.toContain('"boom"');
    expect(stdout).toMatch(/stp\s+x29, x30|sub\s+sp, sp|a9bf7bfd/);
    expect(stdout).toContain(`; trap: integer divide by zero at wasm 0x${divAt.toString(16)}`);
    // arm64 instructions are one word each, so even the hex listing marks operator starts.
    expect(stdout).toContain(`; wasm 0x${divAt.toString(16)}`);
    expect(stdout).toMatch(hasArm64Objdump ? /disassembled with \S*objdump/ : /note: no objdump for arm64 found/);
  });

  it('usage errors: unknown target, unknown function', () => {
    expect(run('disasm', '--target', 'riscv', file).stderr).toContain('--target must be one of x64, arm64');
    const fn = run('disasm', '--function', 'nope', file);
    expect(fn.code).toBe(2);
    expect(fn.stderr).toContain('--function nope: no function with that export or debug name');
    expect(run('disasm', '--function', '7', file).stderr).toContain('function #7 is not defined in the module');
  });
});
