// The data count section: the number of data segments, declared before the code section so
// that `memory.init` / `data.drop` can be validated in one pass.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#data-count-section
import type { Reader } from '../reader.ts';
import type { DecodeContext } from './context.ts';

export function decodeDataCountSection(r: Reader, ctx: DecodeContext): void {
  ctx.module.dataCount = r.u32();
}
