// The IR's text form, shared by the printer and the parser. One line per instruction:
//
//   [results =] mnemonic [kind-word] [args] [targets] [key=value …]
//
//   function (i32, i32) -> (i32) {
//   block0(v0:i32, v1:i32):
//     v2:i32 = iconst 1
//     v3:i32 = iadd v0, v2
//     v4:i32 = icmp slt v3, v1
//     brif v4, block1(v3), block2
//   block1(v5:i32):
//     return v5
//   block2:
//     trap unreachable
//   }
//
// Results carry their kind (`v3:i32`). The kind word names the kind of ops whose mnemonic does
// not (`icmp slt`, `load i32.load8_u`, `convert f64.promote_f32`, `call_builtin memory_grow`,
// `trap unreachable`). Immediates follow as `key=value`, printed when not zero.

import { IrOp, type IrOp as IrOpType } from '@flint/backend';
import { BUILTIN_NAMES, CONVERT_NAMES, FLOAT_COND_NAMES, INT_COND_NAMES, LOAD_NAMES, STORE_NAMES } from './ops.ts';

/** Which field an immediate key writes. */
export type ImmField = 'imm0' | 'imm1' | 'imm2' | 'kind';

/** The text shape of one op: its kind-word table and its named immediates. */
export interface OpSyntax {
  /** Names of the op's kinds printed after the mnemonic, or null. */
  readonly kindWords: readonly string[] | null;
  /** `key=value` immediates: key and field. */
  readonly keys: readonly (readonly [string, ImmField])[];
}

const none: OpSyntax = { kindWords: null, keys: [] };

export const OP_SYNTAX: readonly OpSyntax[] = (() => {
  const t: OpSyntax[] = [];
  for (let op = 0; op < 30; op++) t.push(none);
  t[IrOp.IntCompare] = { kindWords: INT_COND_NAMES, keys: [] };
  t[IrOp.FloatCompare] = { kindWords: FLOAT_COND_NAMES, keys: [] };
  t[IrOp.Convert] = { kindWords: CONVERT_NAMES, keys: [] };
  t[IrOp.MemoryBase] = { kindWords: null, keys: [['mem', 'imm1']] };
  t[IrOp.MemoryLength] = { kindWords: null, keys: [['mem', 'imm1']] };
  t[IrOp.BoundsCheck] = { kindWords: null, keys: [['offset', 'imm0'], ['size', 'kind'], ['mem', 'imm1']] };
  t[IrOp.Load] = { kindWords: LOAD_NAMES, keys: [['offset', 'imm0'], ['mem', 'imm1']] };
  t[IrOp.Store] = { kindWords: STORE_NAMES, keys: [['offset', 'imm0'], ['mem', 'imm1']] };
  t[IrOp.GlobalGet] = { kindWords: null, keys: [['global', 'imm0'], ['imported', 'imm1'], ['mutable', 'imm2']] };
  t[IrOp.GlobalSet] = { kindWords: null, keys: [['global', 'imm0'], ['imported', 'imm1']] };
  t[IrOp.Call] = { kindWords: null, keys: [['func', 'imm0'], ['imported', 'imm1']] };
  t[IrOp.ReturnCall] = t[IrOp.Call];
  t[IrOp.CallIndirect] = { kindWords: null, keys: [['type', 'imm0'], ['table', 'imm1']] };
  t[IrOp.ReturnCallIndirect] = t[IrOp.CallIndirect];
  t[IrOp.CallBuiltin] = { kindWords: BUILTIN_NAMES, keys: [['a', 'imm0'], ['a_hi', 'imm1'], ['trap', 'imm2']] };
  return t;
})();

/** Keys that are always printed, even when zero (an access size of 0 is not a default). */
export const ALWAYS_PRINTED = new Set(['size', 'global', 'func', 'type', 'table']);

/** Keys whose value is a trap reason name instead of a number. */
export const TRAP_KEYS = new Set(['trap']);

export const opHasTargets = (op: IrOpType): boolean => op === IrOp.Jump || op === IrOp.Brif || op === IrOp.BrTable;
