// Function bodies of the code section. The section is not decoded as a whole: the streaming
// decoder cuts it into bodies and hands each here as soon as its bytes are complete, so
// compilation can start before the download ends. Operators are not decoded here; the body
// is kept as a view for the validator and compilers, which run the operator loop over it.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#code-section
import type { FunctionBody, LocalDecl } from '../types.ts';
import { END_OF_SECTION, type Reader } from '../reader.ts';
import { readValType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';

/**
 * One body: `bytes[start..end)` holds exactly the body (after its size field), `offset` is the
 * module offset of `bytes[start]`, `sizeOffset` that of its size field. `r` is a reader reused
 * from body to body.
 */
export function decodeFunctionBody(r: Reader, bytes: Uint8Array, start: number, end: number, offset: number, sizeOffset: number, ordinal: number, ctx: DecodeContext): FunctionBody {
  const m = ctx.module;
  const funcIndex = m.numImportedFunctions + ordinal;
  r.bytes = bytes;
  r.base = offset - start;
  r.pos = start;
  r.end = end;
  r.endReason = END_OF_SECTION;
  r.section = 'code section';
  r.at('function', funcIndex);
  const groups = r.u32();
  const locals: LocalDecl[] = [];
  // The limit counts the parameters too (they are the function's first locals).
  const type = m.types[m.functions[funcIndex] ?? -1]?.composite;
  let total = type?.kind === 'func' ? type.params.length : 0;
  for (let i = 0; i < groups; i++) {
    const at = r.offset;
    const count = r.u32();
    total += count;
    if (total > L.maxLocals) r.fail('too many locals', `${total} locals, the limit is ${L.maxLocals}`, at);
    locals.push({ count, type: readValType(r) });
  }
  return { funcIndex, locals, code: { bytes: bytes.subarray(r.pos, end), offset: r.offset }, offset: sizeOffset };
}
