// The numeric operators as IR: for each operator id of the decoder's table, the IR op, its kind
// and the value kinds involved. Built once from the operator ranges of the binary format, so the
// translator handles every numeric operator with one table lookup instead of a switch.
// Spec: https://webassembly.github.io/spec/core/binary/instructions.html#numeric-instructions

import {
  ConvertKind,
  DivKind,
  FloatBinaryKind,
  FloatUnaryKind,
  IntBinaryKind,
  IntUnaryKind,
  IrOp,
  ShiftKind,
  ValueKind,
} from '@flint/backend';
import { OPERATOR_ID_LIMIT, PREFIX_BASE } from '@flint/decoder';
import { CONVERT_OPERAND, CONVERT_RESULT } from '../ir/ops.ts';

/** Row layout in `NUMERIC`: IR op (0xff: not numeric), kind, operand kind, result kind, arity. */
export const NOT_NUMERIC = 0xff;
/** `i32.eqz` / `i64.eqz`: an IntCompare with a zero the translator supplies. */
export const EQZ = 0xfe;

export const numericOp = new Uint8Array(OPERATOR_ID_LIMIT).fill(NOT_NUMERIC);
export const numericKind = new Uint8Array(OPERATOR_ID_LIMIT);
export const numericOperand = new Uint8Array(OPERATOR_ID_LIMIT);
export const numericResult = new Uint8Array(OPERATOR_ID_LIMIT);
export const numericArity = new Uint8Array(OPERATOR_ID_LIMIT);

function row(id: number, op: number, kind: number, operand: ValueKind, result: ValueKind, arity: number): void {
  numericOp[id] = op;
  numericKind[id] = kind;
  numericOperand[id] = operand;
  numericResult[id] = result;
  numericArity[id] = arity;
}

const { I32, I64, F32, F64 } = ValueKind;

// add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr
const INT_BINARY: readonly (readonly [number, number])[] = [
  [IrOp.IntBinary, IntBinaryKind.Add],
  [IrOp.IntBinary, IntBinaryKind.Sub],
  [IrOp.IntBinary, IntBinaryKind.Mul],
  [IrOp.Div, DivKind.SignedDiv],
  [IrOp.Div, DivKind.UnsignedDiv],
  [IrOp.Div, DivKind.SignedRem],
  [IrOp.Div, DivKind.UnsignedRem],
  [IrOp.IntBinary, IntBinaryKind.And],
  [IrOp.IntBinary, IntBinaryKind.Or],
  [IrOp.IntBinary, IntBinaryKind.Xor],
  [IrOp.Shift, ShiftKind.Shl],
  [IrOp.Shift, ShiftKind.ShrS],
  [IrOp.Shift, ShiftKind.ShrU],
  [IrOp.Shift, ShiftKind.Rotl],
  [IrOp.Shift, ShiftKind.Rotr],
];
// abs neg ceil floor trunc nearest sqrt
const FLOAT_UNARY: readonly number[] = [
  FloatUnaryKind.Abs,
  FloatUnaryKind.Neg,
  FloatUnaryKind.Ceil,
  FloatUnaryKind.Floor,
  FloatUnaryKind.Trunc,
  FloatUnaryKind.Nearest,
  FloatUnaryKind.Sqrt,
];
// Conversions 0xa7..0xbf in opcode order.
const CONVERSIONS: readonly number[] = [
  ConvertKind.I32WrapI64,
  ConvertKind.I32TruncF32S,
  ConvertKind.I32TruncF32U,
  ConvertKind.I32TruncF64S,
  ConvertKind.I32TruncF64U,
  ConvertKind.I64ExtendI32S,
  ConvertKind.I64ExtendI32U,
  ConvertKind.I64TruncF32S,
  ConvertKind.I64TruncF32U,
  ConvertKind.I64TruncF64S,
  ConvertKind.I64TruncF64U,
  ConvertKind.F32ConvertI32S,
  ConvertKind.F32ConvertI32U,
  ConvertKind.F32ConvertI64S,
  ConvertKind.F32ConvertI64U,
  ConvertKind.F32DemoteF64,
  ConvertKind.F64ConvertI32S,
  ConvertKind.F64ConvertI32U,
  ConvertKind.F64ConvertI64S,
  ConvertKind.F64ConvertI64U,
  ConvertKind.F64PromoteF32,
  ConvertKind.I32ReinterpretF32,
  ConvertKind.I64ReinterpretF64,
  ConvertKind.F32ReinterpretI32,
  ConvertKind.F64ReinterpretI64,
];

for (const [base, kind] of [
  [0x45, I32],
  [0x50, I64],
] as const) {
  row(base, EQZ, 0, kind, I32, 1);
  for (let c = 0; c < 10; c++) row(base + 1 + c, IrOp.IntCompare, c, kind, I32, 2);
}
for (const [base, kind] of [
  [0x5b, F32],
  [0x61, F64],
] as const) {
  for (let c = 0; c < 6; c++) row(base + c, IrOp.FloatCompare, c, kind, I32, 2);
}
for (const [base, kind] of [
  [0x67, I32],
  [0x79, I64],
] as const) {
  row(base, IrOp.IntUnary, IntUnaryKind.Clz, kind, kind, 1);
  row(base + 1, IrOp.IntUnary, IntUnaryKind.Ctz, kind, kind, 1);
  row(base + 2, IrOp.IntUnary, IntUnaryKind.Popcnt, kind, kind, 1);
  INT_BINARY.forEach(([op, k], i) => row(base + 3 + i, op, k, kind, kind, 2));
}
for (const [base, kind] of [
  [0x8b, F32],
  [0x99, F64],
] as const) {
  FLOAT_UNARY.forEach((k, i) => row(base + i, IrOp.FloatUnary, k, kind, kind, 1));
  for (let k = 0; k <= FloatBinaryKind.Copysign; k++) row(base + 7 + k, IrOp.FloatBinary, k, kind, kind, 2);
}
CONVERSIONS.forEach((k, i) => row(0xa7 + i, IrOp.Convert, k, CONVERT_OPERAND[k]!, CONVERT_RESULT[k]!, 1));
row(0xc0, IrOp.IntUnary, IntUnaryKind.Extend8S, I32, I32, 1);
row(0xc1, IrOp.IntUnary, IntUnaryKind.Extend16S, I32, I32, 1);
row(0xc2, IrOp.IntUnary, IntUnaryKind.Extend8S, I64, I64, 1);
row(0xc3, IrOp.IntUnary, IntUnaryKind.Extend16S, I64, I64, 1);
row(0xc4, IrOp.IntUnary, IntUnaryKind.Extend32S, I64, I64, 1);
// 0xfc 0..7: the saturating truncations, in ConvertKind order.
for (let c = 0; c < 8; c++) {
  const k = ConvertKind.I32TruncSatF32S + c;
  row(PREFIX_BASE[0xfc]! + c, IrOp.Convert, k, CONVERT_OPERAND[k]!, CONVERT_RESULT[k]!, 1);
}
