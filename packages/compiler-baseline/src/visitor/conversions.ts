// Numeric conversions: wrap, extend, truncate (trapping and saturating), convert, demote,
// promote and reinterpret. The ISA implements each kind exactly, traps included.
// Spec: https://webassembly.github.io/spec/core/exec/numerics.html#conversions

import { ConvertKind, RegClass, ValueKind } from '@flint/backend';
import type { BaselineCompiler } from '../compiler.ts';

const { I32, I64, F32, F64 } = ValueKind;

// Opcodes 0xa7..0xbf in order: [kind, source, result].
// prettier-ignore
const SINGLE_BYTE: readonly (readonly [ConvertKind, ValueKind, ValueKind])[] = [
  [ConvertKind.I32WrapI64, I64, I32],
  [ConvertKind.I32TruncF32S, F32, I32],
  [ConvertKind.I32TruncF32U, F32, I32],
  [ConvertKind.I32TruncF64S, F64, I32],
  [ConvertKind.I32TruncF64U, F64, I32],
  [ConvertKind.I64ExtendI32S, I32, I64],
  [ConvertKind.I64ExtendI32U, I32, I64],
  [ConvertKind.I64TruncF32S, F32, I64],
  [ConvertKind.I64TruncF32U, F32, I64],
  [ConvertKind.I64TruncF64S, F64, I64],
  [ConvertKind.I64TruncF64U, F64, I64],
  [ConvertKind.F32ConvertI32S, I32, F32],
  [ConvertKind.F32ConvertI32U, I32, F32],
  [ConvertKind.F32ConvertI64S, I64, F32],
  [ConvertKind.F32ConvertI64U, I64, F32],
  [ConvertKind.F32DemoteF64, F64, F32],
  [ConvertKind.F64ConvertI32S, I32, F64],
  [ConvertKind.F64ConvertI32U, I32, F64],
  [ConvertKind.F64ConvertI64S, I64, F64],
  [ConvertKind.F64ConvertI64U, I64, F64],
  [ConvertKind.F64PromoteF32, F32, F64],
  [ConvertKind.I32ReinterpretF32, F32, I32],
  [ConvertKind.I64ReinterpretF64, F64, I64],
  [ConvertKind.F32ReinterpretI32, I32, F32],
  [ConvertKind.F64ReinterpretI64, I64, F64],
];

// 0xfc 0x00..0x07: the saturating truncations, in ConvertKind order.
// prettier-ignore
const SATURATING: readonly (readonly [ConvertKind, ValueKind, ValueKind])[] = [
  [ConvertKind.I32TruncSatF32S, F32, I32],
  [ConvertKind.I32TruncSatF32U, F32, I32],
  [ConvertKind.I32TruncSatF64S, F64, I32],
  [ConvertKind.I32TruncSatF64U, F64, I32],
  [ConvertKind.I64TruncSatF32S, F32, I64],
  [ConvertKind.I64TruncSatF32U, F32, I64],
  [ConvertKind.I64TruncSatF64S, F64, I64],
  [ConvertKind.I64TruncSatF64U, F64, I64],
];

const PREFIX_FC = 0x800;
const isFloat = (kind: ValueKind): boolean => kind === F32 || kind === F64;

export function visitConversion(c: BaselineCompiler, id: number): boolean {
  let row;
  if (id >= 0xa7 && id <= 0xbf) row = SINGLE_BYTE[id - 0xa7]!;
  else if (id >= PREFIX_FC && id <= PREFIX_FC + 7) row = SATURATING[id - PREFIX_FC]!;
  else return false;
  const [kind, source, result] = row;
  const src = c.popToAnyReg(isFloat(source) ? RegClass.Float : RegClass.Int);
  // Same class: convert in place. Across classes: a new register of the result's class.
  const dst = isFloat(source) === isFloat(result) ? src : c.allocReg(isFloat(result) ? RegClass.Float : RegClass.Int);
  c.masm.convert(kind, dst, src);
  if (dst !== src) c.freeReg(src);
  c.pushRegKind(dst, result);
  return true;
}
