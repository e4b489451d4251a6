// Direct, imported and indirect calls.
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#control-instructions
//
// Every allocatable register is caller-saved in the Wasm convention, so a call first moves all
// register-held values to their spill slots, then loads the arguments straight into the
// registers `computeCallLayout` assigns, calls, and pushes the result registers. Direct calls go
// through the VM context's jump table; `call_indirect` is checked by the ISA (table bounds, null
// entry, canonical signature id).

import { BackendBailout, BailoutReason, RegClass, type CallLayout, type Reg } from '@flint/backend';
import type { Immediates } from '@flint/decoder';
import { valueKindOf, type BaselineCompiler } from '../compiler.ts';

export function visitCall(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  switch (id) {
    case 0x10: {
      // call
      const callee = imm.index;
      const typeIndex = c.module.functions[callee]!;
      emitCall(c, typeIndex, 0, callee, -1);
      return true;
    }
    case 0x11: // call_indirect (type = index, table = index2)
      emitCall(c, imm.index, 1, -1, imm.index2);
      return true;
    case 0x12:
    case 0x13:
      throw new BackendBailout(BailoutReason.UnsupportedOperator, id === 0x12 ? 'return_call' : 'return_call_indirect');
    default:
      return false;
  }
}

/**
 * The call sequence. `extra` values above the arguments (the call_indirect table index) are
 * consumed too; `callee` is a function index for direct calls, -1 for indirect ones.
 */
function emitCall(c: BaselineCompiler, typeIndex: number, extra: number, callee: number, table: number): void {
  const layout = c.callLayout(typeIndex);
  checkRegisterLayout(c, layout);
  const s = c.stack;
  const argCount = layout.params.length;
  c.spillAll(false);
  const first = s.height - extra - argCount;
  for (let k = 0; k < argCount; k++) {
    const loc = layout.params[k]!;
    if (loc.kind !== 'reg') continue;
    c.regs.claim(loc.reg);
    c.loadInto(first + k, loc.reg);
  }
  let index: Reg = -1;
  if (table >= 0) {
    index = c.allocReg(RegClass.Int);
    c.loadInto(s.height - 1, index);
  }
  s.height = first;
  if (callee < 0) c.masm.callIndirect(table, typeIndex, index);
  else if (callee < c.module.numImportedFunctions) c.masm.callImport(callee);
  else c.masm.callDirect(callee);
  for (let k = 0; k < argCount; k++) {
    const loc = layout.params[k]!;
    if (loc.kind === 'reg') c.regs.free(loc.reg);
  }
  if (index >= 0) c.regs.free(index);
  const type = c.funcType(typeIndex);
  for (let k = 0; k < layout.results.length; k++) {
    const loc = layout.results[k]!;
    if (loc.kind !== 'reg') continue;
    c.regs.claim(loc.reg);
    c.pushRegKind(loc.reg, valueKindOf(type.results[k]!));
  }
}

function checkRegisterLayout(c: BaselineCompiler, layout: CallLayout): void {
  for (const loc of layout.params) {
    if (loc.kind !== 'reg') throw new BackendBailout(BailoutReason.UnsupportedFeature, 'calls with arguments passed on the stack');
  }
  c.checkRegisterResults(layout);
}
