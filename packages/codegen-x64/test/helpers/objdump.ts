// Disassembles raw x86-64 bytes with binutils' objdump (Intel syntax), the trusted reference the
// assembler and MacroAssembler tests compare against.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { available } from '@flint/test-support';

export const OBJDUMP = '/usr/bin/objdump';
/** True when binutils' objdump is installed; its tests skip otherwise (fail under FLINT_REQUIRE_ENV=1). */
export const hasObjdump = available(`binutils objdump (${OBJDUMP})`, existsSync(OBJDUMP));

export interface DisassembledInstruction {
  readonly offset: number;
  readonly length: number;
  /** Mnemonic and operands, whitespace collapsed, objdump's `# address` comments removed. */
  readonly text: string;
  /** The address objdump computed for a RIP-relative operand (its `# 0x…` comment), or -1. */
  readonly ripTarget: number;
}

/** One line per instruction; continuation lines (long byte runs) only extend the length. */
export function disassemble(code: Uint8Array): DisassembledInstruction[] {
  const dir = mkdtempSync(join(tmpdir(), 'flint-x64-'));
  const file = join(dir, 'code.bin');
  try {
    writeFileSync(file, code);
    const out = execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-mi386:x86-64', '-M', 'intel', '-w', file], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const result: { offset: number; length: number; text: string; ripTarget: number }[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*(?:\t(.*))?$/.exec(line);
      if (!m) continue;
      const offset = parseInt(m[1]!, 16);
      const byteCount = m[2]!.trim().split(/\s+/).length;
      if (m[3] === undefined) {
        result[result.length - 1]!.length += byteCount;
        continue;
      }
      const rip = /#\s*0x([0-9a-f]+)/.exec(m[3]);
      result.push({ offset, length: byteCount, text: normalize(m[3]), ripTarget: rip ? parseInt(rip[1]!, 16) : -1 });
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Collapses whitespace, drops `# 0x…` comments and `<sym>` annotations, and lower-cases. */
export function normalize(text: string): string {
  return text
    .replace(/#.*$/, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?, ?/g, ',')
    .trim()
    .toLowerCase();
}

/** Disassembly as one `text` per line, for readable sequence assertions. */
export function disassembleText(code: Uint8Array): string[] {
  return disassemble(code).map((i) => i.text);
}
