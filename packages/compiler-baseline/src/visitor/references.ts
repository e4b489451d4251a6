// Reference operators of Wasm 2.0: ref.null, ref.is_null and ref.func. A reference is a
// pointer-sized integer and null is 0 (a funcref points at a `FuncRefRecord`).
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#reference-instructions

import { Builtin, IntCond, OperandSize, RegClass, ValueKind } from '@flint/backend';
import { Op, type Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';

export function visitReference(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  switch (id) {
    case Op.RefNull:
      c.pushConst(ValueKind.Ref, 0, 0);
      return true;
    case Op.RefIsNull: {
      const reg = c.popToAnyReg(RegClass.Int);
      c.masm.intCompare(IntCond.Eq, OperandSize.S64, reg, reg, c.imm2.set(0, 0));
      c.pushRegKind(reg, ValueKind.I32);
      return true;
    }
    case Op.RefFunc:
      c.callBuiltin(Builtin.RefFunc, imm.index, 0, 0, ValueKind.Ref, null);
      return true;
    default:
      return false;
  }
}
