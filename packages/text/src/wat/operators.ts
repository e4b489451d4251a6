// The text-format view of the one opcode table: mnemonic → operator rows, built on first use
// from `OPERATORS` (never a second list). A few mnemonics name two rows (`select` with and
// without a type vector, `ref.test`/`ref.cast` for non-null and nullable targets); the
// instruction encoder picks between them from the immediates.
import { OPERATORS } from '@flint/decoder';
import type { OperatorInfo } from '@flint/decoder';
import type { ByteWriter } from '../encode/buffer.ts';

let byName: Map<string, OperatorInfo[]> | null = null;

export function operatorsNamed(name: string): readonly OperatorInfo[] | undefined {
  if (byName === null) {
    byName = new Map();
    for (const op of OPERATORS) {
      const rows = byName.get(op.name);
      if (rows === undefined) byName.set(op.name, [op]);
      else rows.push(op);
    }
  }
  return byName.get(name);
}

export function writeOpcode(w: ByteWriter, op: OperatorInfo): void {
  if (op.prefix === 0) {
    w.byte(op.code);
  } else {
    w.byte(op.prefix);
    w.u32(op.code);
  }
}

/**
 * Whether `op` is the nullable-target row of a cast mnemonic that names two rows (`ref.test`,
 * `ref.cast`, `ref.cast_desc_eq`): the table lists the non-null row first, whatever the opcodes.
 */
export function isNullableCastRow(op: OperatorInfo): boolean {
  const rows = operatorsNamed(op.name);
  return rows !== undefined && rows.length === 2 && rows[1] === op;
}
