// The tag section (exception handling). It sits between the memory and global sections.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#tag-section
import type { Reader } from '../reader.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';
import { readTagType } from './import-section.ts';

export function decodeTagSection(r: Reader, ctx: DecodeContext): void {
  const tags = ctx.module.tags;
  const count = readCount(r, 'tags', L.maxTags);
  for (let i = 0; i < count; i++) {
    r.at('tag', tags.length);
    if (tags.length >= L.maxTags) r.fail('too many tags', `more than ${L.maxTags}`);
    const offset = r.offset;
    tags.push({ typeIndex: readTagType(r).typeIndex, offset });
  }
}
