// The start section: one function index.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#start-section
import type { Reader } from '../reader.ts';
import type { DecodeContext } from './context.ts';

export function decodeStartSection(r: Reader, ctx: DecodeContext): void {
  ctx.module.startOffset = r.offset;
  ctx.module.start = r.u32();
}
