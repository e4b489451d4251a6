// Custom sections are kept as name + bytes. The `name` section is also decoded, leniently: a
// malformed name section leaves `module.names` null and never fails the module.
// Spec: https://webassembly.github.io/spec/core/appendix/custom.html
import type { Reader } from '../reader.ts';
import type { DecodeContext } from './context.ts';
import { decodeNameSection } from './name-section.ts';

export function decodeCustomSection(r: Reader, ctx: DecodeContext): void {
  const offset = r.base + r.pos;
  const name = r.name('custom section name');
  const bytes = r.bytes.subarray(r.pos, r.end);
  r.pos = r.end;
  ctx.module.customSections.push({ name, bytes, offset });
  if (name === 'name' && ctx.module.names === null) ctx.module.names = decodeNameSection(bytes, r.base + (r.end - bytes.length));
}
