// One function's listing: each instruction with its offset and bytes, annotated with the Wasm
// offsets the code records — the operator whose code starts there, and the trap sites (the
// reason, and the Wasm offset of the trapping operator) on the call that leaves for the trap exit.
import { trapMessage } from '@flint/backend';
import type { FunctionMachineCode } from '@flint/runtime';
import type { Instruction } from './objdump.ts';

const BYTES_WIDTH = 24;

/** The index of the instruction covering `codeOffset` (instructions sorted by offset). */
function covering(instructions: readonly Instruction[], codeOffset: number): number {
  let low = 0;
  let high = instructions.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (instructions[mid]!.offset <= codeOffset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

const hex = (n: number) => `0x${n.toString(16)}`;

export function formatListing(fn: FunctionMachineCode, instructions: readonly Instruction[]): string[] {
  const notes: string[][] = instructions.map(() => []);
  for (const op of fn.operatorOffsets) {
    const at = covering(instructions, op.codeOffset);
    if (at >= 0 && instructions[at]!.offset === op.codeOffset) notes[at]!.push(`wasm ${hex(op.wasmOffset)}`);
  }
  for (const site of fn.trapSites) {
    // A trap site is the return address of the call into the trap exit (the PC the exit
    // records), so the instruction that traps is the one ending there.
    const at = covering(instructions, site.codeOffset - 1);
    if (at < 0) continue;
    const where = site.wasmOffset >= 0 ? ` at wasm ${hex(site.wasmOffset)}` : '';
    notes[at]!.push(`trap: ${trapMessage(site.reason)}${where}`);
  }
  const width = Math.max(4, (fn.code.length - 1).toString(16).length);
  return instructions.map((insn, i) => {
    const head = `  ${insn.offset.toString(16).padStart(width)}:  ${insn.bytes.padEnd(BYTES_WIDTH)}`;
    const line = insn.text === '' ? head.trimEnd() : `${head} ${insn.text}`;
    return notes[i]!.length ? `${line.padEnd(64)} ; ${notes[i]!.join('; ')}` : line;
  });
}
