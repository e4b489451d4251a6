// What the baseline compiler does with each operator, looked up by dense operator id: the visitor
// family that handles it and, for the families that map onto one contract method, the contract's
// kind and operand size. Every entry is keyed by name (`Op.I32LtS`, from the one opcode table),
// and where a contract enum spells its members like the operators (`IntCond.LtS`,
// `ConvertKind.I32WrapI64`) the tables join the two by name — checked by the type checker — so
// nothing here depends on the order of opcodes or of the contract's enums. Operand and result
// types come from the table's signatures. Built once at load: the visitors only index arrays.

import {
  ConvertKind,
  DivKind,
  FloatBinaryKind,
  FloatCond,
  FloatUnaryKind,
  IntBinaryKind,
  IntCond,
  IntUnaryKind,
  LoadKind,
  OperandSize,
  ShiftKind,
  StoreKind,
  ValueKind,
} from '@flint/backend';
import { OPERATORS, OPERATOR_ID_LIMIT, Op } from '@flint/decoder';

/** The visitor that handles an operator (`Unsupported`: none; the compiler bails out). */
export const Family = {
  Unsupported: 0,
  Control: 1,
  Call: 2,
  Variable: 3,
  Table: 4,
  Memory: 5,
  Numeric: 6,
  Conversion: 7,
  Reference: 8,
  Bulk: 9,
  /** The 0xFD prefix: fixed-width and relaxed SIMD (visitor/simd.ts has its own table by code). */
  Simd: 10,
} as const;
export type Family = (typeof Family)[keyof typeof Family];

/** What `visitNumeric` emits for an operator; `NUMERIC_KIND` holds the contract kind it passes. */
export const NumericForm = {
  None: 0,
  /** `NUMERIC_KIND`: the constant's `ValueKind`. */
  Const: 1,
  /** Compare with zero (`i32.eqz`, `i64.eqz`). */
  Eqz: 2,
  IntCompare: 3,
  FloatCompare: 4,
  IntUnary: 5,
  IntBinary: 6,
  Div: 7,
  Shift: 8,
  FloatUnary: 9,
  FloatBinary: 10,
} as const;
export type NumericForm = (typeof NumericForm)[keyof typeof NumericForm];

export const FAMILY = new Uint8Array(OPERATOR_ID_LIMIT);
export const NUMERIC_FORM = new Uint8Array(OPERATOR_ID_LIMIT);
/** The contract kind of a numeric operator (an `IntCond`, `IntBinaryKind`, `ValueKind`, … per form). */
export const NUMERIC_KIND = new Uint8Array(OPERATOR_ID_LIMIT);
/** The operand size of a numeric operator (`OperandSize`: 32 or 64). */
export const OPERAND_SIZE = new Uint8Array(OPERATOR_ID_LIMIT);
/** The `ConvertKind` of a conversion, or -1. */
export const CONVERT_KIND = new Int8Array(OPERATOR_ID_LIMIT).fill(-1);
/** The `LoadKind` of a load, or -1. */
export const LOAD_KIND = new Int8Array(OPERATOR_ID_LIMIT).fill(-1);
/** The `StoreKind` of a store, or -1. */
export const STORE_KIND = new Int8Array(OPERATOR_ID_LIMIT).fill(-1);
/** The `ValueKind` of an operator's first operand and of its first result, from the table's signature; -1 if none. */
export const OPERAND_KIND = new Int8Array(OPERATOR_ID_LIMIT).fill(-1);
export const RESULT_KIND = new Int8Array(OPERATOR_ID_LIMIT).fill(-1);

/** Signature letters (see `OperatorInfo.signature`); `a`, a memory address, is an i32 here (no memory64). */
const KIND_OF_LETTER: Readonly<Record<string, ValueKind>> = { i: ValueKind.I32, a: ValueKind.I32, l: ValueKind.I64, f: ValueKind.F32, d: ValueKind.F64, v: ValueKind.V128 };

for (const op of OPERATORS) {
  if (op.signature === null) continue;
  const [params, results] = op.signature.split(':') as [string, string];
  if (params.length > 0) OPERAND_KIND[op.id] = KIND_OF_LETTER[params[0]!]!;
  if (results.length > 0) RESULT_KIND[op.id] = KIND_OF_LETTER[results[0]!]!;
}

function family(of: Family, ...ids: number[]): void {
  for (const id of ids) FAMILY[id] = of;
}

function numeric(id: number, form: NumericForm, kind: number, size: OperandSize): void {
  FAMILY[id] = Family.Numeric;
  NUMERIC_FORM[id] = form;
  NUMERIC_KIND[id] = kind;
  OPERAND_SIZE[id] = size;
}

/** Every key of a contract enum, typed, so `Op[`${prefix}${key}`]` is checked against the opcode table. */
const keysOf = <T extends object>(kinds: T): (keyof T & string)[] => Object.keys(kinds) as (keyof T & string)[];

// Control: structured control, branches, parametric operators, and the exception operators (which
// control.ts refuses with a bailout). Calls end a basic block like control does.
family(Family.Control, Op.Unreachable, Op.Nop, Op.Block, Op.Loop, Op.If, Op.Else, Op.End, Op.Br, Op.BrIf, Op.BrTable, Op.Return);
family(Family.Control, Op.Drop, Op.Select, Op.SelectT);
family(Family.Control, Op.Try, Op.Catch, Op.Throw, Op.Rethrow, Op.ThrowRef, Op.Delegate, Op.CatchAll, Op.TryTable);
family(Family.Call, Op.Call, Op.CallIndirect, Op.ReturnCall, Op.ReturnCallIndirect);
family(Family.Variable, Op.LocalGet, Op.LocalSet, Op.LocalTee, Op.GlobalGet, Op.GlobalSet);
family(Family.Table, Op.TableGet, Op.TableSet, Op.TableInit, Op.ElemDrop, Op.TableCopy, Op.TableGrow, Op.TableSize, Op.TableFill);
family(Family.Reference, Op.RefNull, Op.RefIsNull, Op.RefFunc);
family(Family.Bulk, Op.MemoryInit, Op.DataDrop, Op.MemoryCopy, Op.MemoryFill);
family(Family.Memory, Op.MemorySize, Op.MemoryGrow);
for (const op of OPERATORS) if (op.prefix === 0xfd) FAMILY[op.id] = Family.Simd;

// Loads and stores.
// prettier-ignore
const LOADS: readonly (readonly [number, LoadKind])[] = [
  [Op.I32Load, LoadKind.I32], [Op.I64Load, LoadKind.I64], [Op.F32Load, LoadKind.F32], [Op.F64Load, LoadKind.F64],
  [Op.I32Load8S, LoadKind.I32Load8S], [Op.I32Load8U, LoadKind.I32Load8U], [Op.I32Load16S, LoadKind.I32Load16S], [Op.I32Load16U, LoadKind.I32Load16U],
  [Op.I64Load8S, LoadKind.I64Load8S], [Op.I64Load8U, LoadKind.I64Load8U], [Op.I64Load16S, LoadKind.I64Load16S], [Op.I64Load16U, LoadKind.I64Load16U],
  [Op.I64Load32S, LoadKind.I64Load32S], [Op.I64Load32U, LoadKind.I64Load32U],
];
// prettier-ignore
const STORES: readonly (readonly [number, StoreKind])[] = [
  [Op.I32Store, StoreKind.I32], [Op.I64Store, StoreKind.I64], [Op.F32Store, StoreKind.F32], [Op.F64Store, StoreKind.F64],
  [Op.I32Store8, StoreKind.Store8], [Op.I32Store16, StoreKind.Store16],
  [Op.I64Store8, StoreKind.Store8], [Op.I64Store16, StoreKind.Store16], [Op.I64Store32, StoreKind.Store32],
];
for (const [id, kind] of LOADS) {
  FAMILY[id] = Family.Memory;
  LOAD_KIND[id] = kind;
}
for (const [id, kind] of STORES) {
  FAMILY[id] = Family.Memory;
  STORE_KIND[id] = kind;
}

// Numeric operators.
numeric(Op.I32Const, NumericForm.Const, ValueKind.I32, OperandSize.S32);
numeric(Op.I64Const, NumericForm.Const, ValueKind.I64, OperandSize.S64);
numeric(Op.F32Const, NumericForm.Const, ValueKind.F32, OperandSize.S32);
numeric(Op.F64Const, NumericForm.Const, ValueKind.F64, OperandSize.S64);
numeric(Op.I32Eqz, NumericForm.Eqz, IntCond.Eq, OperandSize.S32);
numeric(Op.I64Eqz, NumericForm.Eqz, IntCond.Eq, OperandSize.S64);

const DIV_KIND = { DivS: DivKind.SignedDiv, DivU: DivKind.UnsignedDiv, RemS: DivKind.SignedRem, RemU: DivKind.UnsignedRem } as const;
const BIT_COUNTS = { Clz: IntUnaryKind.Clz, Ctz: IntUnaryKind.Ctz, Popcnt: IntUnaryKind.Popcnt } as const;

for (const [prefix, size] of [['I32', OperandSize.S32], ['I64', OperandSize.S64]] as const) {
  for (const key of keysOf(IntCond)) numeric(Op[`${prefix}${key}`], NumericForm.IntCompare, IntCond[key], size);
  for (const key of keysOf(BIT_COUNTS)) numeric(Op[`${prefix}${key}`], NumericForm.IntUnary, BIT_COUNTS[key], size);
  for (const key of keysOf(IntBinaryKind)) numeric(Op[`${prefix}${key}`], NumericForm.IntBinary, IntBinaryKind[key], size);
  for (const key of keysOf(DIV_KIND)) numeric(Op[`${prefix}${key}`], NumericForm.Div, DIV_KIND[key], size);
  for (const key of keysOf(ShiftKind)) numeric(Op[`${prefix}${key}`], NumericForm.Shift, ShiftKind[key], size);
  numeric(Op[`${prefix}Extend8S`], NumericForm.IntUnary, IntUnaryKind.Extend8S, size);
  numeric(Op[`${prefix}Extend16S`], NumericForm.IntUnary, IntUnaryKind.Extend16S, size);
}
numeric(Op.I64Extend32S, NumericForm.IntUnary, IntUnaryKind.Extend32S, OperandSize.S64);

for (const [prefix, size] of [['F32', OperandSize.S32], ['F64', OperandSize.S64]] as const) {
  for (const key of keysOf(FloatCond)) numeric(Op[`${prefix}${key}`], NumericForm.FloatCompare, FloatCond[key], size);
  for (const key of keysOf(FloatUnaryKind)) numeric(Op[`${prefix}${key}`], NumericForm.FloatUnary, FloatUnaryKind[key], size);
  for (const key of keysOf(FloatBinaryKind)) numeric(Op[`${prefix}${key}`], NumericForm.FloatBinary, FloatBinaryKind[key], size);
}

// Conversions: the contract names each kind after its operator (`ConvertKind.I32WrapI64` is `i32.wrap_i64`).
for (const key of keysOf(ConvertKind)) {
  FAMILY[Op[key]] = Family.Conversion;
  CONVERT_KIND[Op[key]] = ConvertKind[key];
}
