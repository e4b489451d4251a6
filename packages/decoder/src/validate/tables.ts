// Table operators and bulk table operators. 64-bit tables take i64 indices and sizes.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#table-instructions
import type { TableType, ValType as ValTypeT } from '../types.ts';
import { ValType } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { type HandlerTable, on } from './handler-table.ts';
import { typeName } from './module-context.ts';

export function tableType(v: FunctionValidator, index: number): TableType {
  const table = v.ctx.module.tables[index];
  if (table === undefined) v.fail(`unknown table ${index}`, `the module has ${v.ctx.module.tables.length} tables`);
  return table;
}

const addressOf = (table: TableType): ValTypeT => (table.limits.address === 'i64' ? ValType.I64 : ValType.I32);

/** The element type of segment `index`, failing with "unknown elem segment". */
export function elemType(v: FunctionValidator, index: number): ValTypeT {
  const segment = v.ctx.module.elements[index];
  if (segment === undefined) v.fail(`unknown elem segment ${index}`, `the module has ${v.ctx.module.elements.length} element segments`);
  return v.ctx.elemTypes[index]!;
}

export function installTables(t: HandlerTable): void {
  on(t, 'table.get', (v, imm) => {
    const table = tableType(v, imm.index);
    v.popExpect(addressOf(table));
    v.push(table.element);
  });
  on(t, 'table.set', (v, imm) => {
    const table = tableType(v, imm.index);
    v.popExpect(table.element);
    v.popExpect(addressOf(table));
  });
  on(t, 'table.size', (v, imm) => {
    v.push(addressOf(tableType(v, imm.index)));
  });
  on(t, 'table.grow', (v, imm) => {
    const table = tableType(v, imm.index);
    v.popExpect(addressOf(table));
    v.popExpect(table.element);
    v.push(addressOf(table));
  });
  on(t, 'table.fill', (v, imm) => {
    const table = tableType(v, imm.index);
    v.popExpect(addressOf(table));
    v.popExpect(table.element);
    v.popExpect(addressOf(table));
  });
  on(t, 'table.copy', (v, imm) => {
    const destination = tableType(v, imm.index);
    const source = tableType(v, imm.index2);
    if (!v.ctx.isSubtype(source.element, destination.element)) {
      v.fail('type mismatch', `table.copy from a table of ${typeName(source.element)} to a table of ${typeName(destination.element)}`);
    }
    const da = addressOf(destination);
    const sa = addressOf(source);
    v.popExpect(da === ValType.I64 && sa === ValType.I64 ? ValType.I64 : ValType.I32);
    v.popExpect(sa);
    v.popExpect(da);
  });
  on(t, 'table.init', (v, imm) => {
    const table = tableType(v, imm.index2);
    const element = elemType(v, imm.index);
    if (!v.ctx.isSubtype(element, table.element)) {
      v.fail('type mismatch', `table.init of a segment of ${typeName(element)} into a table of ${typeName(table.element)}`);
    }
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.popExpect(addressOf(table));
  });
  on(t, 'elem.drop', (v, imm) => {
    elemType(v, imm.index);
  });
}
