// The table section, including the `0x40 0x00 tabletype expr` form with an initialiser.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#table-section
import type { Reader } from '../reader.ts';
import { readTableType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';
import type { DeclaredTable, TableType } from '../types.ts';

const TABLE_WITH_INIT = 0x40;

export const declaredTable = (type: TableType, offset: number): DeclaredTable => ({ element: type.element, limits: type.limits, offset });

export function decodeTableSection(r: Reader, ctx: DecodeContext): void {
  const m = ctx.module;
  const count = readCount(r, 'tables', L.maxTables);
  for (let i = 0; i < count; i++) {
    r.at('table', m.tables.length);
    if (m.tables.length >= L.maxTables) r.fail('too many tables', `more than ${L.maxTables}`);
    const offset = r.offset;
    if (r.peekU8() === TABLE_WITH_INIT) {
      r.pos++;
      const at = r.offset;
      const reserved = r.u8();
      if (reserved !== 0) r.fail('malformed table', `reserved byte 0x${reserved.toString(16)} after 0x40`, at);
      m.tables.push(declaredTable(readTableType(r), offset));
      m.tableInits.push(ctx.readConstExpr(r));
    } else {
      m.tables.push(declaredTable(readTableType(r), offset));
      m.tableInits.push(null);
    }
  }
}
