// Structured control: blocks, branches, `select`, `drop`, `unreachable`.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions
import type { Immediates } from '../operators.ts';
import { BlockTypeKind } from '../operators.ts';
import { ValType, isRefType } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { FrameKind } from './frames.ts';
import { type HandlerTable, on } from './handler-table.ts';
import { EMPTY_LIST, typeName } from './module-context.ts';

/** Resolves a block type to list ids: returns the parameters and leaves the results in `v.blockResults`. */
export function resolveBlockType(v: FunctionValidator, imm: Immediates): number {
  const ctx = v.ctx;
  if (imm.blockTypeKind === BlockTypeKind.Empty) {
    v.blockResults = EMPTY_LIST;
    return EMPTY_LIST;
  }
  if (imm.blockTypeKind === BlockTypeKind.Value) {
    if (!ctx.isKnownType(imm.blockTypeValue)) v.fail('unknown type', `block type ${typeName(imm.blockTypeValue)}`);
    v.blockResults = ctx.valueList(imm.blockTypeValue);
    return EMPTY_LIST;
  }
  const index = imm.blockTypeValue;
  if (index >= ctx.types.length || ctx.paramsList[index]! < 0) v.fail('unknown type', `block type ${index} is not a function type`);
  ctx.usesMultiValue = true;
  v.blockResults = ctx.resultsList[index]!;
  return ctx.paramsList[index]!;
}

/** Enters a block-like construct: pops its parameters (after an `if`'s condition) and pushes the frame. */
export function enterBlock(v: FunctionValidator, imm: Immediates, kind: FrameKind): void {
  // The block type is checked before any operand, as the reference interpreter does.
  const params = resolveBlockType(v, imm);
  const results = v.blockResults;
  if (kind === FrameKind.If) v.popExpect(ValType.I32);
  v.popList(params);
  v.pushFrame(kind, params, results);
}

export function installControl(t: HandlerTable): void {
  on(t, 'unreachable', (v) => v.setUnreachable());
  on(t, 'block', (v, imm) => enterBlock(v, imm, FrameKind.Block));
  on(t, 'loop', (v, imm) => enterBlock(v, imm, FrameKind.Loop));
  on(t, 'if', (v, imm) => enterBlock(v, imm, FrameKind.If));
  on(t, 'else', (v) => {
    if (v.frameKind() !== FrameKind.If) v.fail('else without if', 'the innermost block is not an if');
    const params = v.frameParams();
    const results = v.frameResults();
    v.popFrame();
    v.pushFrame(FrameKind.Else, params, results);
  });
  on(t, 'end', (v) => {
    const params = v.frameParams();
    const results = v.frameResults();
    const kind = v.popFrame();
    if (kind === FrameKind.If) {
      // An `if` without `else` has an implicit empty else, which must turn params into results.
      v.pushFrame(FrameKind.Else, params, results);
      v.popFrame();
    }
    if (v.depth === 0) v.finished = true;
    else v.pushList(results);
  });
  on(t, 'br', (v, imm) => {
    v.popList(v.labelList(imm.index));
    v.setUnreachable();
  });
  on(t, 'br_if', (v, imm) => {
    v.popExpect(ValType.I32);
    const label = v.labelList(imm.index);
    v.popList(label);
    v.pushList(label);
  });
  on(t, 'br_table', (v, imm) => {
    v.popExpect(ValType.I32);
    const defaultList = v.labelList(imm.index);
    const arity = v.ctx.lists[defaultList]!.length;
    for (let i = 0; i < imm.brTargetCount; i++) {
      const list = v.labelList(imm.brTargets[i]!);
      if (v.ctx.lists[list]!.length !== arity) {
        v.fail('type mismatch', `br_table target ${imm.brTargets[i]} carries ${v.ctx.lists[list]!.length} values but the default label carries ${arity}`);
      }
      v.checkList(list);
    }
    v.popList(defaultList);
    v.setUnreachable();
  });
  on(t, 'return', (v) => {
    v.popList(v.returnList);
    v.setUnreachable();
  });
  on(t, 'drop', (v) => {
    v.pop();
  });
  on(t, 'select', (v, imm, op) => {
    if (op.code === 0x1c) {
      if (imm.selectTypeCount !== 1) v.fail('invalid result arity', `typed select declares ${imm.selectTypeCount} types, not 1`);
      const type = imm.selectType;
      if (!v.ctx.isKnownType(type)) v.fail('unknown type', `select type ${typeName(type)}`);
      v.popExpect(ValType.I32);
      v.popExpect(type);
      v.popExpect(type);
      v.push(type);
      return;
    }
    v.popExpect(ValType.I32);
    const a = v.pop();
    const b = v.pop();
    // Untyped select only chooses between numbers or vectors, never references.
    if (isRefType(a) || isRefType(b)) v.fail('type mismatch', `select without a type operates on numbers or vectors, not ${typeName(isRefType(a) ? a : b)}`);
    if (a !== b && a !== ValType.Bottom && b !== ValType.Bottom) v.fail('type mismatch', `select operands ${typeName(b)} and ${typeName(a)} differ`);
    v.push(a === ValType.Bottom ? b : a);
  });
}
