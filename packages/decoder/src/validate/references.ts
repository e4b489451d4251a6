// Reference operators: null, function references, equality, non-null assertions and branches.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#reference-instructions
import { HEAP_INDEX_BASE, HeapType, ValType, heapFromTypeIndex, isRefType, refType } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { type HandlerTable, on } from './handler-table.ts';
import { heapOf, heapTypeName, typeName } from './module-context.ts';

/** Checks a heap-type immediate names an existing type. */
export function checkHeapType(v: FunctionValidator, heap: number): void {
  if (heap >= HEAP_INDEX_BASE && heap - HEAP_INDEX_BASE >= v.ctx.types.length) v.fail('unknown type', `heap type ${heapTypeName(heap)}`);
}

/** The last type of a label, which a branch-on-reference must deliver into; fails unless it is a reference. */
export function labelRefType(v: FunctionValidator, list: number): ValType {
  const types = v.ctx.lists[list]!;
  const last = types[types.length - 1];
  if (last === undefined || !isRefType(last)) v.fail('type mismatch', `${v.op!.name} targets a label whose last type is not a reference`);
  return last;
}

/**
 * Re-types the values under a branch-on-reference's operand as the label's types below its last:
 * the branch may be taken, so they continue as the label's types (gc issue #516).
 */
export function retypeLabelPrefix(v: FunctionValidator, list: number): void {
  const n = v.ctx.lists[list]!.length - 1;
  v.popList(list, n);
  v.pushList(list, n);
}

export function installReferences(t: HandlerTable): void {
  on(t, 'ref.null', (v, imm) => {
    checkHeapType(v, imm.heapType);
    v.push(refType(true, imm.heapType));
  });
  on(t, 'ref.is_null', (v) => {
    v.popRef();
    v.push(ValType.I32);
  });
  on(t, 'ref.func', (v, imm) => {
    const ctx = v.ctx;
    if (imm.index >= ctx.functions.length) v.fail(`unknown function ${imm.index}`, `the module has ${ctx.functions.length} functions`);
    if (v.constMode) ctx.declaredFunctions[imm.index] = 1;
    else if (ctx.declaredFunctions[imm.index] !== 1) {
      v.fail('undeclared function reference', `function ${imm.index} is not declared by an element segment, export or module-level constant expression`);
    }
    v.push(refType(false, heapFromTypeIndex(ctx.functions[imm.index]!)));
  });
  on(t, 'ref.eq', (v) => {
    const eq = refType(true, HeapType.Eq);
    v.popExpect(eq);
    v.popExpect(eq);
    v.push(ValType.I32);
  });
  on(t, 'ref.as_non_null', (v) => {
    const ref = v.popRef();
    v.push(refType(false, heapOf(ref)));
  });
  on(t, 'br_on_null', (v, imm) => {
    const ref = v.popRef();
    const label = v.labelList(imm.index);
    v.popList(label);
    v.pushList(label);
    v.push(refType(false, heapOf(ref)));
  });
  on(t, 'br_on_non_null', (v, imm) => {
    const ref = v.popRef();
    const label = v.labelList(imm.index);
    const target = labelRefType(v, label);
    if (!v.ctx.isSubtype(refType(false, heapOf(ref)), target)) v.fail('type mismatch', `br_on_non_null delivers ${typeName(refType(false, heapOf(ref)))} to a label expecting ${typeName(target)}`);
    retypeLabelPrefix(v, label);
  });
}
