// Disassembling raw machine code with GNU binutils' objdump when it is installed (the host's
// objdump for its own architecture, the cross one otherwise), else a hex listing: x64 in rows
// of bytes, arm64 in 32-bit instruction words.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from './machine-code.ts';

export interface Instruction {
  readonly offset: number;
  /** Hex bytes as objdump prints them (or as the hex listing groups them). */
  readonly bytes: string;
  /** The instruction text, or '' in a hex listing. */
  readonly text: string;
}

export interface Disassembly {
  /** `objdump` (the program used) or `hex` (no disassembler found). */
  readonly tool: string;
  readonly instructions: readonly Instruction[];
}

const OBJDUMP_ARGS: Record<Target, readonly string[]> = {
  x64: ['-D', '-b', 'binary', '-mi386:x86-64', '-M', 'intel', '--insn-width=15'],
  arm64: ['-D', '-b', 'binary', '-maarch64'],
};
const OBJDUMP_PROGRAMS: Record<Target, readonly string[]> = {
  x64: ['x86_64-linux-gnu-objdump', 'objdump'],
  arm64: ['aarch64-linux-gnu-objdump', 'objdump'],
};
const LINE = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*(?:\t(.*))?$/;

/** Disassembles `code` with the first objdump that understands `target`, or lists it in hex. */
export function disassemble(code: Uint8Array, target: Target, programs: readonly string[] = OBJDUMP_PROGRAMS[target]): Disassembly {
  if (code.length > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'flint-disasm-'));
    try {
      const file = join(dir, 'code.bin');
      writeFileSync(file, code);
      for (const program of programs) {
        const result = spawnSync(program, [...OBJDUMP_ARGS[target], file], { encoding: 'utf8' });
        if (result.error !== undefined || result.status !== 0) continue;
        const instructions = parseObjdump(result.stdout);
        if (instructions.length > 0) return { tool: program, instructions };
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { tool: 'hex', instructions: hexListing(code, target) };
}

/** objdump's listing: `  off:\tbytes\tinstruction`; a line with bytes only continues the last one. */
export function parseObjdump(output: string): Instruction[] {
  const instructions: Instruction[] = [];
  for (const line of output.split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const [, offset, bytes, text] = match;
    if (text === undefined) {
      const last = instructions.pop();
      if (last !== undefined) instructions.push({ ...last, bytes: `${last.bytes} ${bytes!}` });
      continue;
    }
    instructions.push({ offset: parseInt(offset!, 16), bytes: bytes!, text: text.replace(/\s+/g, ' ').trim() });
  }
  return instructions;
}

function hexListing(code: Uint8Array, target: Target): Instruction[] {
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  const rows: Instruction[] = [];
  if (target === 'arm64') {
    // One little-endian 32-bit word per instruction, printed as a number (as objdump does).
    const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
    for (let at = 0; at + 4 <= code.length; at += 4) rows.push({ offset: at, bytes: view.getUint32(at, true).toString(16).padStart(8, '0'), text: '' });
    if (code.length % 4 !== 0) rows.push({ offset: code.length & ~3, bytes: [...code.subarray(code.length & ~3)].map(hex).join(' '), text: '' });
    return rows;
  }
  for (let at = 0; at < code.length; at += 16) rows.push({ offset: at, bytes: [...code.subarray(at, at + 16)].map(hex).join(' '), text: '' });
  return rows;
}
