// Table operators, all through runtime builtins: table.get/set/size/grow/fill/copy/init and
// elem.drop. (call_indirect reads tables inline; see calls.ts.)
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#table-instructions

import { Builtin, TrapReason, ValueKind } from '@flint/backend';
import { Op, type Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';

const OOB = TrapReason.OutOfBoundsTableAccess;

export function visitTable(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  switch (id) {
    case Op.TableGet: // [i] → [ref]
      c.callBuiltin(Builtin.TableGet, imm.index, 0, 1, ValueKind.Ref, OOB);
      return true;
    case Op.TableSet: // [i ref] → []
      c.callBuiltin(Builtin.TableSet, imm.index, 0, 2, null, OOB);
      return true;
    case Op.TableInit: // elem table: [d s n] → []
      c.callBuiltin(Builtin.TableInit, imm.index, imm.index2, 3, null, OOB);
      return true;
    case Op.ElemDrop:
      c.callBuiltin(Builtin.ElemDrop, imm.index, 0, 0, null, null);
      return true;
    case Op.TableCopy: // dst src: [d s n] → []
      c.callBuiltin(Builtin.TableCopy, imm.index2, imm.index, 3, null, OOB);
      return true;
    case Op.TableGrow: // [ref n] → [previous size or -1]
      c.callBuiltin(Builtin.TableGrow, imm.index, 0, 2, ValueKind.I32, null);
      return true;
    case Op.TableSize:
      c.callBuiltin(Builtin.TableSize, imm.index, 0, 0, ValueKind.I32, null);
      return true;
    case Op.TableFill: // [i ref n] → []
      c.callBuiltin(Builtin.TableFill, imm.index, 0, 3, null, OOB);
      return true;
    default:
      return false;
  }
}
