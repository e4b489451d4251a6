// Exception handling: `throw`, `throw_ref`, `try_table` with its catch clauses, and the legacy
// `try`/`catch`/`catch_all`/`delegate`/`rethrow` (still accepted by engines, specified apart).
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions
//       https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md
import type { Immediates } from '../operators.ts';
import { CatchKind } from '../operators.ts';
import { EXNREF, HeapType, refType } from '../types.ts';
import { enterBlock } from './control.ts';
import { FrameKind } from './frames.ts';
import type { FunctionValidator } from './function-validator.ts';
import { type HandlerTable, on } from './handler-table.ts';
import { typeListName } from './module-context.ts';

/** The parameter list id of tag `index`'s function type, failing with "unknown tag". */
export function tagParams(v: FunctionValidator, index: number): number {
  const tag = v.ctx.module.tags[index];
  if (tag === undefined) v.fail(`unknown tag ${index}`, `the module has ${v.ctx.module.tags.length} tags`);
  return v.ctx.paramsList[tag.typeIndex]!;
}

const EXN_NON_NULL = refType(false, HeapType.Exn);

/** A catch clause delivers the tag's values (and the exception reference) to a label. */
function checkCatch(v: FunctionValidator, imm: Immediates, i: number): void {
  const kind = imm.catchKinds[i]!;
  const label = v.labelList(imm.catchLabels[i]!);
  const ctx = v.ctx;
  const labelTypes = ctx.lists[label]!;
  const values = kind === CatchKind.Catch || kind === CatchKind.CatchRef ? ctx.lists[tagParams(v, imm.catchTags[i]!)]! : ctx.lists[0]!;
  const withRef = kind === CatchKind.CatchRef || kind === CatchKind.CatchAllRef;
  let ok = labelTypes.length === values.length + (withRef ? 1 : 0);
  for (let j = 0; ok && j < values.length; j++) ok = ctx.isSubtype(values[j]!, labelTypes[j]!);
  if (ok && withRef) ok = ctx.isSubtype(EXN_NON_NULL, labelTypes[values.length]!);
  if (!ok) {
    const delivered = typeListName(withRef ? [...values, EXN_NON_NULL] : values);
    v.fail('type mismatch', `catch clause ${i} delivers ${delivered} to label ${imm.catchLabels[i]} expecting ${typeListName(labelTypes)}`);
  }
}

export function installExceptions(t: HandlerTable): void {
  on(t, 'throw', (v, imm) => {
    v.popList(tagParams(v, imm.index));
    v.setUnreachable();
  });
  on(t, 'throw_ref', (v) => {
    v.popExpect(EXNREF);
    v.setUnreachable();
  });
  on(t, 'try_table', (v, imm) => {
    // Catch labels are relative to the context around the try_table, so check them first.
    for (let i = 0; i < imm.catchCount; i++) checkCatch(v, imm, i);
    enterBlock(v, imm, FrameKind.TryTable);
  });
  on(t, 'try', (v, imm) => enterBlock(v, imm, FrameKind.Try));
  on(t, 'catch', (v, imm) => {
    const kind = v.frameKind();
    if (kind !== FrameKind.Try && kind !== FrameKind.Catch) v.fail('catch without try', 'the innermost block is not a try');
    const params = tagParams(v, imm.index);
    const blockParams = v.frameParams();
    const results = v.frameResults();
    v.popFrame();
    v.pushFrame(FrameKind.Catch, 0, results);
    v.setFrameParams(blockParams);
    v.pushList(params);
  });
  on(t, 'catch_all', (v) => {
    const kind = v.frameKind();
    if (kind !== FrameKind.Try && kind !== FrameKind.Catch) v.fail('catch_all without try', 'the innermost block is not a try');
    const blockParams = v.frameParams();
    const results = v.frameResults();
    v.popFrame();
    v.pushFrame(FrameKind.CatchAll, 0, results);
    v.setFrameParams(blockParams);
  });
  on(t, 'delegate', (v, imm) => {
    if (v.frameKind() !== FrameKind.Try) v.fail('delegate without try', 'the innermost block is not a try');
    const results = v.frameResults();
    v.popFrame();
    v.labelList(imm.index);
    v.pushList(results);
  });
  on(t, 'rethrow', (v, imm) => {
    v.labelList(imm.index);
    const kind = v.frameKind(imm.index);
    if (kind !== FrameKind.Catch && kind !== FrameKind.CatchAll) v.fail('invalid rethrow label', `label ${imm.index} is not a catch block`);
    v.setUnreachable();
  });
}
