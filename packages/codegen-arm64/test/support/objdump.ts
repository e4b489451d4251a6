// Disassembles raw A64 code with binutils' objdump (Debian package binutils-aarch64-linux-gnu), the
// trusted decoder that every encoding is round-tripped through.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { available } from '@flint/test-support';

export const OBJDUMP = 'aarch64-linux-gnu-objdump';

function probe(): boolean {
  try {
    execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when the disassembler is installed; round-trip tests skip (saying so) otherwise, and fail under FLINT_REQUIRE_ENV=1. */
export const hasObjdump = available(`${OBJDUMP} (binutils-aarch64-linux-gnu)`, probe());

/**
 * Disassembles `code` (little-endian words at offset 0) and returns one normalised text per word:
 * mnemonic and operands separated by single spaces, with objdump's `//` comments and `<symbol>`
 * annotations removed.
 */
export function disassemble(code: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'flint-a64-'));
  try {
    const file = join(dir, 'code.bin');
    writeFileSync(file, code);
    const out = execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-maarch64', file], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const texts: string[] = new Array<string>(code.length / 4).fill('<missing>');
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*)$/.exec(line);
      if (!m) continue;
      const offset = parseInt(m[1]!, 16);
      texts[offset / 4] = normalise(m[2]!);
    }
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function normalise(text: string): string {
  return text
    .replace(/\/\/.*$/, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
