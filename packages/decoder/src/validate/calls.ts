// Direct, indirect and reference calls, and their tail-call forms.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#control-instructions
import type { OperatorInfo } from '../opcodes.ts';
import type { Immediates } from '../operators.ts';
import { FUNCREF, ValType, heapFromTypeIndex, refType } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { type HandlerTable, on } from './handler-table.ts';
import { typeListName, typeName } from './module-context.ts';

/** A tail call's callee results must match the caller's results. */
function checkTailResults(v: FunctionValidator, resultsList: number): void {
  const ctx = v.ctx;
  const callee = ctx.lists[resultsList]!;
  const caller = ctx.lists[v.returnList]!;
  let ok = callee.length === caller.length;
  for (let i = 0; ok && i < callee.length; i++) ok = ctx.isSubtype(callee[i]!, caller[i]!);
  if (!ok) v.fail('type mismatch', `${v.op!.name} returns ${typeListName(callee)} but the caller returns ${typeListName(caller)}`);
}

function callType(v: FunctionValidator, typeIndex: number): void {
  const ctx = v.ctx;
  if (typeIndex >= ctx.types.length) v.fail('unknown type', `type ${typeIndex}`);
  if (ctx.paramsList[typeIndex]! < 0) v.fail('type mismatch', `type ${typeIndex} is not a function type`);
}

function finishCall(v: FunctionValidator, typeIndex: number, tail: boolean): void {
  const ctx = v.ctx;
  v.popList(ctx.paramsList[typeIndex]!);
  if (tail) {
    checkTailResults(v, ctx.resultsList[typeIndex]!);
    v.setUnreachable();
  } else {
    v.pushList(ctx.resultsList[typeIndex]!);
  }
}

function call(v: FunctionValidator, imm: Immediates, op: OperatorInfo): void {
  const ctx = v.ctx;
  if (imm.index >= ctx.functions.length) v.fail(`unknown function ${imm.index}`, `the module has ${ctx.functions.length} functions`);
  finishCall(v, ctx.functions[imm.index]!, op.name === 'return_call');
}

function callIndirect(v: FunctionValidator, imm: Immediates, op: OperatorInfo): void {
  const ctx = v.ctx;
  const table = ctx.module.tables[imm.index2];
  if (table === undefined) v.fail(`unknown table ${imm.index2}`, `the module has ${ctx.module.tables.length} tables`);
  if (!ctx.isSubtype(table.element, FUNCREF)) v.fail('type mismatch', `call_indirect through table ${imm.index2} of ${typeName(table.element)}, not funcref`);
  callType(v, imm.index);
  v.popExpect(table.limits.address === 'i64' ? ValType.I64 : ValType.I32);
  finishCall(v, imm.index, op.name === 'return_call_indirect');
}

function callRef(v: FunctionValidator, imm: Immediates, op: OperatorInfo): void {
  callType(v, imm.index);
  v.popExpect(refType(true, heapFromTypeIndex(imm.index)));
  finishCall(v, imm.index, op.name === 'return_call_ref');
}

export function installCalls(t: HandlerTable): void {
  on(t, 'call', call);
  on(t, 'return_call', call);
  on(t, 'call_indirect', callIndirect);
  on(t, 'return_call_indirect', callIndirect);
  on(t, 'call_ref', callRef);
  on(t, 'return_call_ref', callRef);
}
