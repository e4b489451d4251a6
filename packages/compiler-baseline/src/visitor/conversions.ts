// Numeric conversions: wrap, extend, truncate (trapping and saturating), convert, demote,
// promote and reinterpret. The ISA implements each kind exactly, traps included.
// Spec: https://webassembly.github.io/spec/core/exec/numerics.html#conversions

import { RegClass, ValueKind, type ConvertKind } from '@flint/backend';
import type { BaselineCompiler } from '../compiler.ts';
import { CONVERT_KIND, OPERAND_KIND, RESULT_KIND } from '../operators.ts';

const isFloat = (kind: number): boolean => kind === ValueKind.F32 || kind === ValueKind.F64;

export function visitConversion(c: BaselineCompiler, id: number): boolean {
  const kind = CONVERT_KIND[id]!;
  if (kind < 0) return false;
  const source = OPERAND_KIND[id]!;
  const result = RESULT_KIND[id]! as ValueKind;
  const src = c.popToAnyReg(isFloat(source) ? RegClass.Float : RegClass.Int);
  // Same class: convert in place. Across classes: a new register of the result's class.
  const dst = isFloat(source) === isFloat(result) ? src : c.allocReg(isFloat(result) ? RegClass.Float : RegClass.Int);
  c.masm.convert(kind as ConvertKind, dst, src);
  if (dst !== src) c.freeReg(src);
  c.pushRegKind(dst, result);
  return true;
}
