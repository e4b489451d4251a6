// The flat (linear) instruction form: one instruction per line, block bodies indented.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html#control-instructions
import { Imm } from '@flint/decoder';
import type { Immediates, OperatorInfo, OperatorVisitor } from '@flint/decoder';
import type { ImmediateContext } from './immediates.ts';
import { instructionText } from './immediates.ts';

const INDENT = '  ';
/** Indentation stops growing at this depth, so output stays linear in the input however deep the nesting. */
const MAX_INDENT_DEPTH = 32;
const INDENTS = Array.from({ length: MAX_INDENT_DEPTH + 1 }, (_, depth) => INDENT.repeat(depth));
const indentFor = (depth: number): string => INDENTS[Math.min(depth, MAX_INDENT_DEPTH)]!;

/** Whether an operator opens a block whose body is indented (`block`, `loop`, `if`, `try`, `try_table`). */
export const opensBlock = (op: OperatorInfo): boolean => op.immediate === Imm.BlockType || op.immediate === Imm.TryTable;

/** Operators that continue the enclosing block at its own indentation (`else`, legacy `catch`, `catch_all`). */
export const continuesBlock = (op: OperatorInfo): boolean =>
  op.name === 'else' || op.immediate === Imm.Catch || op.name === 'catch_all';

/** Operators that close the enclosing block (`end`, and legacy `delegate`, which replaces `end`). */
export const closesBlock = (op: OperatorInfo): boolean => op.name === 'end' || op.name === 'delegate';

/**
 * Collects the lines of one span in flat form. The `end` that closes the span itself (depth 0)
 * is implicit in the text and is not printed.
 */
export class FlatLayout implements OperatorVisitor {
  readonly lines: string[] = [];
  private depth = 0;

  constructor(private readonly ctx: ImmediateContext) {}

  visit(op: OperatorInfo, imm: Immediates): void {
    if (closesBlock(op)) {
      if (this.depth === 0 && op.name === 'end') return;
      if (this.depth > 0) this.depth--;
    } else if (continuesBlock(op) && this.depth > 0) {
      this.lines.push(indentFor(this.depth - 1) + instructionText(op, imm, this.ctx));
      return;
    }
    this.lines.push(indentFor(this.depth) + instructionText(op, imm, this.ctx));
    if (opensBlock(op)) this.depth++;
  }
}
