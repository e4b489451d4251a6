// The memory section.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#memory-section
import type { Reader } from '../reader.ts';
import { readLimits } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';
import { declaredMemory } from './import-section.ts';

export function decodeMemorySection(r: Reader, ctx: DecodeContext): void {
  const memories = ctx.module.memories;
  const count = readCount(r, 'memories', L.maxMemories);
  for (let i = 0; i < count; i++) {
    r.at('memory', memories.length);
    if (memories.length >= L.maxMemories) r.fail('too many memories', `more than ${L.maxMemories}`);
    const at = r.offset;
    memories.push(declaredMemory(readLimits(r, 'memory', ctx.features), at));
  }
}
