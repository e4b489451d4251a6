// Assembles the per-family handlers into one table indexed by operator id.
import { OPERATOR_ID_LIMIT } from '../opcodes.ts';
import { installCalls } from './calls.ts';
import { installControl } from './control.ts';
import { installExceptions } from './exceptions.ts';
import { installGc } from './gc.ts';
import type { HandlerTable } from './handler-table.ts';
import { installMemory } from './memory.ts';
import { installReferences } from './references.ts';
import { installTables } from './tables.ts';
import { installVariables } from './variables.ts';

export { operatorIdsNamed } from './handler-table.ts';
export type { Handler } from './handler-table.ts';

export const HANDLERS: HandlerTable = (() => {
  const table: HandlerTable = new Array(OPERATOR_ID_LIMIT).fill(undefined);
  installControl(table);
  installCalls(table);
  installVariables(table);
  installMemory(table);
  installTables(table);
  installReferences(table);
  installGc(table);
  installExceptions(table);
  return table;
})();
