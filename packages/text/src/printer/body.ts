// Runs the decoder's operator loop over one span (a function body or a constant expression)
// and lays the operators out flat or folded.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html
import { Immediates, readOperators } from '@flint/decoder';
import type { CodeSpan } from '@flint/decoder';
import { FlatLayout } from './flat.ts';
import { FoldedLayout } from './folded.ts';
import type { ImmediateContext } from './immediates.ts';

/** One record for every span printed: the printer is not re-entrant, and the loop allocates none. */
const imm = new Immediates();

/** The lines of one span, with indentation relative to the span. */
export function printSpan(span: CodeSpan, ctx: ImmediateContext, folded: boolean): string[] {
  ctx.spanBytes = span.bytes;
  if (folded) {
    const layout = new FoldedLayout(ctx);
    readOperators(span, 0, layout, imm, true, 'printer');
    // Blocks nested beyond the folded form's depth bound: print this span flat instead.
    if (!layout.tooDeep) return layout.lines;
  }
  const layout = new FlatLayout(ctx);
  readOperators(span, 0, layout, imm, true, 'printer');
  return layout.lines;
}
