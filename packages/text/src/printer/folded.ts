// The folded (S-expression) instruction form: `(i32.add (local.get 0) (i32.const 1))`.
// Folding is only notation — `(op a b)` means `a b op` — so grouping any run of consecutive
// instructions is correct whatever their stack effects. Stack effects are used only to choose
// readable groupings: an operator takes as children the expressions just before it when there
// are as many as it pops and each pushes exactly one value.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html#folded-instructions
import { BlockTypeKind, Imm } from '@flint/decoder';
import type { Immediates, OperatorInfo, OperatorVisitor } from '@flint/decoder';
import { closesBlock, continuesBlock, opensBlock } from './flat.ts';
import type { ImmediateContext } from './immediates.ts';
import { instructionText } from './immediates.ts';

const INDENT = '  ';
/** Indentation stops growing here, so output stays linear in the input however deep the nesting. */
const MAX_INDENT_WIDTH = 64;
const MAX_INLINE_WIDTH = 80;
/** Marks a node that is not a parenthesised expression (a flat legacy `try`), so never a child. */
const NOT_AN_EXPRESSION = -1;
/**
 * Bounds that keep hostile bodies linear: operands stop folding into an expression deeper than
 * MAX_EXPRESSION_DEPTH, and a span whose blocks nest deeper than MAX_BLOCK_DEPTH is printed
 * flat instead (see printSpan), so rendering never recurses deeper than their sum.
 */
const MAX_EXPRESSION_DEPTH = 32;
export const MAX_BLOCK_DEPTH = 256;

/** A printed node: an expression, a structured instruction, or a flat legacy `try`. */
type Node =
  | { readonly kind: 'expression'; readonly head: string; readonly children: readonly Node[]; readonly results: number; readonly depth: number; readonly inline: string | null }
  | { readonly kind: 'block'; readonly head: string; readonly items: readonly Node[]; readonly results: number; readonly depth: number; readonly inline: null }
  | {
      readonly kind: 'if';
      readonly head: string;
      readonly condition: Node | null;
      readonly thenItems: readonly Node[];
      readonly elseItems: readonly Node[] | null;
      readonly results: number;
      readonly depth: number;
      readonly inline: null;
    }
  | { readonly kind: 'try'; readonly parts: readonly (readonly [string, readonly Node[]])[]; readonly footer: string; readonly results: number; readonly depth: number; readonly inline: null }
  | { readonly kind: 'flat'; readonly text: string; readonly results: number; readonly depth: number; readonly inline: null };

interface Frame {
  readonly kind: 'root' | 'block' | 'if' | 'try';
  readonly head: string;
  readonly results: number;
  items: Node[];
  /** `if`: the folded condition (or null when it was not foldable) and the finished `then` items. */
  condition: Node | null;
  thenItems: Node[] | null;
  /** Legacy `try`: the finished `do` part and each finished `catch` clause, as [header, items]. */
  parts: [string, Node[]][];
  partHeader: string;
}

/**
 * Stack effects of operators whose table signature is `null` (typed by the validator), used only
 * to pick readable groupings; an operator missing here is printed without children.
 */
const VARIABLE_ARITY: Readonly<Record<string, readonly [params: number, results: number]>> = {
  'local.get': [0, 1],
  'local.set': [1, 0],
  'local.tee': [1, 1],
  'global.get': [0, 1],
  'global.set': [1, 0],
  drop: [1, 0],
  select: [3, 1],
  'ref.null': [0, 1],
  'ref.func': [0, 1],
  'ref.is_null': [1, 1],
  'ref.as_non_null': [1, 1],
  'ref.eq': [2, 1],
  'ref.test': [1, 1],
  'ref.cast': [1, 1],
  'ref.i31': [1, 1],
  'i31.get_s': [1, 1],
  'i31.get_u': [1, 1],
  'any.convert_extern': [1, 1],
  'extern.convert_any': [1, 1],
  'table.get': [1, 1],
  'table.set': [2, 0],
  'table.size': [0, 1],
  'table.grow': [2, 1],
  'table.fill': [3, 0],
  'table.copy': [3, 0],
  'table.init': [3, 0],
  'memory.size': [0, 1],
  'memory.grow': [1, 1],
  'memory.fill': [3, 0],
  'memory.copy': [3, 0],
  'memory.init': [3, 0],
  'struct.get': [1, 1],
  'struct.get_s': [1, 1],
  'struct.get_u': [1, 1],
  'struct.set': [2, 0],
  'array.get': [2, 1],
  'array.get_s': [2, 1],
  'array.get_u': [2, 1],
  'array.set': [3, 0],
  'array.len': [1, 1],
  'array.new': [2, 1],
  'array.new_default': [1, 1],
  'array.fill': [4, 0],
  'array.copy': [5, 0],
  throw_ref: [1, 0],
  // Branches fold only their condition or index; the values they carry come from before.
  br_if: [1, NOT_AN_EXPRESSION],
  br_table: [1, 0],
};

export class FoldedLayout implements OperatorVisitor {
  private readonly frames: Frame[] = [newFrame('root', '', 0)];
  /** Set when blocks nest deeper than MAX_BLOCK_DEPTH; the caller then prints the span flat. */
  tooDeep = false;

  constructor(private readonly ctx: ImmediateContext) {}

  /** The lines of everything visited so far (call after the span's final `end`). */
  get lines(): string[] {
    // Blocks left open (only in a truncated span) are closed so the output stays balanced.
    while (this.frames.length > 1) this.closeFrame(null);
    const out: string[] = [];
    for (const node of this.frames[0]!.items) render(node, '', out);
    return out;
  }

  visit(op: OperatorInfo, imm: Immediates): void {
    if (this.tooDeep) return;
    const frame = this.frames[this.frames.length - 1]!;
    if (closesBlock(op)) {
      if (frame.kind === 'root') {
        if (op.name !== 'end') frame.items.push(flat(instructionText(op, imm, this.ctx)));
        return;
      }
      this.closeFrame(op.name === 'delegate' ? instructionText(op, imm, this.ctx) : null);
      return;
    }
    if (continuesBlock(op) && (frame.kind === 'if' || frame.kind === 'try')) {
      if (frame.kind === 'if') {
        frame.thenItems = frame.items;
      } else {
        frame.parts.push([frame.partHeader, frame.items]);
        frame.partHeader = instructionText(op, imm, this.ctx);
      }
      frame.items = [];
      return;
    }
    const text = instructionText(op, imm, this.ctx);
    if (opensBlock(op)) {
      if (this.frames.length > MAX_BLOCK_DEPTH) {
        this.tooDeep = true;
        return;
      }
      const results = this.blockResults(imm);
      if (op.name === 'if') {
        const opened = newFrame('if', text, results);
        const last = frame.items[frame.items.length - 1];
        if (last !== undefined && last.results === 1 && last.depth < MAX_EXPRESSION_DEPTH) opened.condition = frame.items.pop()!;
        this.frames.push(opened);
      } else {
        const opened = newFrame(op.name === 'try' ? 'try' : 'block', text, results);
        opened.partHeader = text;
        this.frames.push(opened);
      }
      return;
    }
    const [params, results] = this.arity(op, imm);
    const items = frame.items;
    let children: Node[] = [];
    if (params > 0 && items.length >= params) {
      let foldable = true;
      for (let i = items.length - params; i < items.length; i++) {
        const item = items[i]!;
        if (item.results !== 1 || item.depth >= MAX_EXPRESSION_DEPTH) foldable = false;
      }
      if (foldable) children = items.splice(items.length - params, params);
    }
    items.push(expression(text, children, results));
  }

  private closeFrame(delegateText: string | null): void {
    const frame = this.frames.pop()!;
    const parent = this.frames[this.frames.length - 1]!;
    parent.items.push(frame.kind === 'if' ? ifNode(frame) : frame.kind === 'try' ? tryNode(frame, delegateText) : blockNode(frame));
  }

  private blockResults(imm: Immediates): number {
    if (imm.blockTypeKind === BlockTypeKind.Empty) return 0;
    if (imm.blockTypeKind === BlockTypeKind.Value) return 1;
    return this.typeResults(imm.blockTypeValue);
  }

  private typeResults(typeIndex: number): number {
    const composite = this.ctx.module.types[typeIndex]?.composite;
    return composite?.kind === 'func' ? composite.results.length : NOT_AN_EXPRESSION;
  }

  private typeParams(typeIndex: number): number {
    const composite = this.ctx.module.types[typeIndex]?.composite;
    return composite?.kind === 'func' ? composite.params.length : 0;
  }

  private arity(op: OperatorInfo, imm: Immediates): readonly [number, number] {
    if (op.signature !== null) {
      const colon = op.signature.indexOf(':');
      return [colon, op.signature.length - colon - 1];
    }
    switch (op.immediate) {
      case Imm.Func:
        if (op.name === 'ref.func') break;
        {
          const typeIndex = this.ctx.module.functions[imm.index] ?? -1;
          const tail = op.name.startsWith('return_');
          return [this.typeParams(typeIndex), tail ? 0 : this.typeResults(typeIndex)];
        }
      case Imm.CallIndirect:
        return [this.typeParams(imm.index) + 1, op.name.startsWith('return_') ? 0 : this.typeResults(imm.index)];
      case Imm.Type:
        if (op.name === 'call_ref' || op.name === 'return_call_ref') {
          return [this.typeParams(imm.index) + 1, op.name === 'call_ref' ? this.typeResults(imm.index) : 0];
        }
        break;
      case Imm.TypeCount:
        return [imm.index2, 1];
    }
    return VARIABLE_ARITY[op.name] ?? [0, NOT_AN_EXPRESSION];
  }
}

function newFrame(kind: Frame['kind'], head: string, results: number): Frame {
  return { kind, head, results, items: [], condition: null, thenItems: null, parts: [], partHeader: '' };
}

const depthOf = (nodes: readonly Node[]): number => {
  let depth = 0;
  for (const node of nodes) if (node.depth > depth) depth = node.depth;
  return depth;
};

const flat = (text: string): Node => ({ kind: 'flat', text, results: NOT_AN_EXPRESSION, depth: 1, inline: null });

/** `(head child…)`, kept on one line when it fits. */
function expression(head: string, children: readonly Node[], results: number): Node {
  let inline: string | null = `(${head}`;
  for (const child of children) {
    if (child.inline === null || inline.length + child.inline.length + 2 > MAX_INLINE_WIDTH) {
      inline = null;
      break;
    }
    inline += ' ' + child.inline;
  }
  if (inline !== null) inline += ')';
  return { kind: 'expression', head, children, results, depth: 1 + depthOf(children), inline };
}

function blockNode(frame: Frame): Node {
  return { kind: 'block', head: frame.head, items: frame.items, results: frame.results, depth: 1 + depthOf(frame.items), inline: null };
}

function ifNode(frame: Frame): Node {
  const hasElse = frame.thenItems !== null;
  const thenItems = frame.thenItems ?? frame.items;
  const elseItems = hasElse ? frame.items : null;
  const depth = 1 + Math.max(frame.condition?.depth ?? 0, depthOf(thenItems), depthOf(elseItems ?? []));
  return { kind: 'if', head: frame.head, condition: frame.condition, thenItems, elseItems, results: frame.results, depth, inline: null };
}

/** Legacy `try` is printed flat: its folded form has no counterpart for `delegate`. */
function tryNode(frame: Frame, delegateText: string | null): Node {
  frame.parts.push([frame.partHeader, frame.items]);
  let depth = 0;
  for (const [, items] of frame.parts) depth = Math.max(depth, depthOf(items));
  return { kind: 'try', parts: frame.parts, footer: delegateText ?? 'end', results: NOT_AN_EXPRESSION, depth: depth + 1, inline: null };
}

/** Appends the node's lines to `out`, each prefixed with `indent`. */
function render(node: Node, indent: string, out: string[]): void {
  if (node.inline !== null) {
    out.push(indent + node.inline);
    return;
  }
  const inner = indent.length < MAX_INDENT_WIDTH ? indent + INDENT : indent;
  switch (node.kind) {
    case 'flat':
      out.push(indent + node.text);
      return;
    case 'expression':
      out.push(`${indent}(${node.head}`);
      for (const child of node.children) render(child, inner, out);
      out[out.length - 1] += ')';
      return;
    case 'block':
      out.push(`${indent}(${node.head}`);
      for (const item of node.items) render(item, inner, out);
      out[out.length - 1] += ')';
      return;
    case 'if':
      out.push(`${indent}(${node.head}`);
      if (node.condition !== null) render(node.condition, inner, out);
      renderClause('then', node.thenItems, inner, out);
      if (node.elseItems !== null) renderClause('else', node.elseItems, inner, out);
      out[out.length - 1] += ')';
      return;
    case 'try':
      for (const [header, items] of node.parts) {
        out.push(indent + header);
        for (const item of items) render(item, inner, out);
      }
      out.push(indent + node.footer);
      return;
  }
}

function renderClause(keyword: string, items: readonly Node[], indent: string, out: string[]): void {
  out.push(`${indent}(${keyword}`);
  for (const item of items) render(item, indent.length < MAX_INDENT_WIDTH ? indent + INDENT : indent, out);
  out[out.length - 1] += ')';
}
