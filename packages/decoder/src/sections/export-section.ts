// The export section.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#export-section
import type { ExternKind } from '../types.ts';
import type { Reader } from '../reader.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';

const MAX_EXTERN_KIND = 4; // func, table, memory, global, tag

export function decodeExportSection(r: Reader, ctx: DecodeContext): void {
  const exports = ctx.module.exports;
  const count = readCount(r, 'exports', L.maxExports);
  for (let i = 0; i < count; i++) {
    r.at('export', i);
    const offset = r.offset;
    const name = r.name('export name');
    const kindAt = r.offset;
    const kind = r.u8();
    if (kind > MAX_EXTERN_KIND) r.fail('malformed export kind', `0x${kind.toString(16)}`, kindAt);
    exports.push({ name, kind: kind as ExternKind, index: r.u32(), offset });
  }
}
