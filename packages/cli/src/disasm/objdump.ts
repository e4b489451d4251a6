// Disassembling raw machine code with GNU binutils' objdump when it is installed (the programs
// and arguments come from the target's ISA descriptor), else a hex listing grouped as the
// descriptor says: rows of bytes, or 32-bit instruction words.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaDescriptor } from '@flint/backend';

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

const LINE = /^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*(?:\t(.*))?$/;

/** Disassembles `code` with the first objdump that understands the ISA, or lists it in hex. */
export function disassemble(code: Uint8Array, isa: IsaDescriptor, programs: readonly string[] = isa.disassembler.programs): Disassembly {
  if (code.length > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'flint-disasm-'));
    try {
      const file = join(dir, 'code.bin');
      writeFileSync(file, code);
      for (const program of programs) {
        const result = spawnSync(program, [...isa.disassembler.args, file], { encoding: 'utf8' });
        if (result.error !== undefined || result.status !== 0) continue;
        const instructions = parseObjdump(result.stdout);
        if (instructions.length > 0) return { tool: program, instructions };
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { tool: 'hex', instructions: hexListing(code, isa.disassembler.hexListing) };
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

function hexListing(code: Uint8Array, grouping: IsaDescriptor['disassembler']['hexListing']): Instruction[] {
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  const rows: Instruction[] = [];
  if (grouping === 'words32') {
    // One little-endian 32-bit word per instruction, printed as a number (as objdump does).
    const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
    for (let at = 0; at + 4 <= code.length; at += 4) rows.push({ offset: at, bytes: view.getUint32(at, true).toString(16).padStart(8, '0'), text: '' });
    if (code.length % 4 !== 0) rows.push({ offset: code.length & ~3, bytes: [...code.subarray(code.length & ~3)].map(hex).join(' '), text: '' });
    return rows;
  }
  for (let at = 0; at < code.length; at += 16) rows.push({ offset: at, bytes: [...code.subarray(at, at + 16)].map(hex).join(' '), text: '' });
  return rows;
}
