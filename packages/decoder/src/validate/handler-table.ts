// The handler type of operators without a fixed signature, and registration by operator name.
import type { OperatorInfo } from '../opcodes.ts';
import { OPERATORS } from '../opcodes.ts';
import type { Immediates } from '../operators.ts';
import type { FunctionValidator } from './function-validator.ts';

export type Handler = (v: FunctionValidator, imm: Immediates, op: OperatorInfo) => void;
export type HandlerTable = (Handler | undefined)[];

/** Every operator id with a given text name (`select` and `ref.test`/`ref.cast` have two encodings). */
export function operatorIdsNamed(name: string): number[] {
  return OPERATORS.filter((o) => o.name === name).map((o) => o.id);
}

/** Registers `handler` for the operators named `name`; a name missing from the table is a bug here. */
export function on(table: HandlerTable, name: string, handler: Handler): void {
  const ids = operatorIdsNamed(name);
  if (ids.length === 0) throw new Error(`validator: the opcode table has no operator '${name}'`);
  for (const id of ids) table[id] = handler;
}
