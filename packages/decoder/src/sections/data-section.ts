// The data section, in its three encodings: active on memory 0, passive, active with an
// explicit memory index. Segment bytes stay views of the section.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#data-section
import type { CodeSpan } from '../types.ts';
import type { Reader } from '../reader.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';

const ACTIVE = 0;
const PASSIVE = 1;
const ACTIVE_WITH_MEMORY = 2;

export function decodeDataSection(r: Reader, ctx: DecodeContext): void {
  const m = ctx.module;
  const countAt = r.offset;
  const count = readCount(r, 'data segments', L.maxDataSegments);
  if (m.dataCount !== null && m.dataCount !== count) {
    r.fail('data count and data section have inconsistent lengths', `data count ${m.dataCount}, data section ${count}`, countAt);
  }
  for (let i = 0; i < count; i++) {
    r.at('data segment', i);
    const offset = r.offset;
    const flags = r.u32();
    let memory = 0;
    let offsetExpr: CodeSpan | null = null;
    if (flags === ACTIVE_WITH_MEMORY) memory = r.u32();
    else if (flags !== ACTIVE && flags !== PASSIVE) r.fail('malformed data segment kind', `flags 0x${flags.toString(16)}`, offset);
    if (flags !== PASSIVE) offsetExpr = ctx.readConstExpr(r);
    const length = r.u32();
    const bytes = r.bytesView(length, 'data segment');
    m.datas.push({ mode: flags === PASSIVE ? 'passive' : 'active', memory, offsetExpr, bytes, offset });
  }
}
