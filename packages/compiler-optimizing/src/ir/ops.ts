// What the passes need to know about each IR operation, as tables indexed by op (and kind): its
// text-format names (shared by printer and parser) and its effects. One row per op; no pass
// switches over ops to learn whether something may be moved, merged or dropped.

import { ConvertKind, IrOp, IR_OP_COUNT, TrapReason, ValueKind } from '@flint/backend';

/** Effect bits. An op with none of them is pure: it may be merged, moved, or dropped when unused. */
export const Effect = {
  /** May trap (division, trapping conversions, bounds checks, calls): never dropped or hoisted past effects. */
  Traps: 1,
  /** Reads linear memory contents. */
  ReadsHeap: 2,
  /** Writes linear memory contents. */
  WritesHeap: 4,
  /** Reads a mutable global. */
  ReadsGlobal: 8,
  /** Writes a global. */
  WritesGlobal: 16,
  /** Reads the memory's base or length (growth may change both: calls and memory.grow). */
  ReadsLength: 32,
  /** May change everything: memory, its length, globals, tables (calls, builtins). */
  Call: 64,
  /** Ends the block. */
  Terminator: 128,
} as const;

const E = Effect;
const CALL = E.Call | E.Traps | E.ReadsHeap | E.WritesHeap | E.ReadsGlobal | E.WritesGlobal | E.ReadsLength;

/** Effects per op; Div, Convert and GlobalGet refine theirs by kind or immediate (`instEffects`). */
export const OP_EFFECTS: readonly number[] = (() => {
  const t = new Array<number>(IR_OP_COUNT).fill(0);
  t[IrOp.Div] = E.Traps;
  t[IrOp.Convert] = 0;
  t[IrOp.MemoryBase] = E.ReadsLength;
  t[IrOp.MemoryLength] = E.ReadsLength;
  t[IrOp.BoundsCheck] = E.Traps;
  t[IrOp.Load] = E.ReadsHeap;
  t[IrOp.Store] = E.WritesHeap;
  t[IrOp.GlobalGet] = E.ReadsGlobal;
  t[IrOp.GlobalSet] = E.WritesGlobal;
  t[IrOp.Call] = CALL;
  t[IrOp.CallIndirect] = CALL;
  t[IrOp.CallBuiltin] = CALL;
  for (const op of [IrOp.Jump, IrOp.Brif, IrOp.BrTable, IrOp.Return, IrOp.Trap]) t[op] = E.Terminator;
  t[IrOp.ReturnCall] = E.Terminator | CALL;
  t[IrOp.ReturnCallIndirect] = E.Terminator | CALL;
  return t;
})();

/** True for the float → int conversions that trap (the non-saturating truncations). */
export const isTrappingConvert = (kind: number): boolean => kind >= ConvertKind.I32TruncF32S && kind <= ConvertKind.I64TruncF64U;

// --- names -------------------------------------------------------------------------------------

export const VALUE_KIND_NAMES: readonly string[] = ['i32', 'i64', 'f32', 'f64', 'v128', 'ref'];

/** Mnemonics of the ops whose kind is part of the name (`iadd`), by kind. */
export const KIND_MNEMONICS: readonly (readonly string[] | null)[] = (() => {
  const t = new Array<readonly string[] | null>(IR_OP_COUNT).fill(null);
  t[IrOp.IntBinary] = ['iadd', 'isub', 'imul', 'band', 'bor', 'bxor'];
  t[IrOp.Shift] = ['ishl', 'sshr', 'ushr', 'rotl', 'rotr'];
  t[IrOp.Div] = ['sdiv', 'udiv', 'srem', 'urem'];
  t[IrOp.IntUnary] = ['clz', 'ctz', 'popcnt', 'sextend8', 'sextend16', 'sextend32'];
  t[IrOp.FloatBinary] = ['fadd', 'fsub', 'fmul', 'fdiv', 'fmin', 'fmax', 'fcopysign'];
  t[IrOp.FloatUnary] = ['fabs', 'fneg', 'fsqrt', 'fceil', 'ffloor', 'ftrunc', 'fnearest'];
  return t;
})();

/** Mnemonics of the other ops. */
export const OP_MNEMONICS: readonly string[] = (() => {
  const t = new Array<string>(IR_OP_COUNT).fill('');
  t[IrOp.Iconst] = 'iconst';
  t[IrOp.Fconst] = 'fconst';
  t[IrOp.Copy] = 'copy';
  t[IrOp.IntCompare] = 'icmp';
  t[IrOp.FloatCompare] = 'fcmp';
  t[IrOp.Convert] = 'convert';
  t[IrOp.Select] = 'select';
  t[IrOp.MemoryBase] = 'memory_base';
  t[IrOp.MemoryLength] = 'memory_length';
  t[IrOp.BoundsCheck] = 'bounds_check';
  t[IrOp.Load] = 'load';
  t[IrOp.Store] = 'store';
  t[IrOp.GlobalGet] = 'global_get';
  t[IrOp.GlobalSet] = 'global_set';
  t[IrOp.Call] = 'call';
  t[IrOp.CallIndirect] = 'call_indirect';
  t[IrOp.CallBuiltin] = 'call_builtin';
  t[IrOp.Jump] = 'jump';
  t[IrOp.Brif] = 'brif';
  t[IrOp.BrTable] = 'br_table';
  t[IrOp.Return] = 'return';
  t[IrOp.ReturnCall] = 'return_call';
  t[IrOp.ReturnCallIndirect] = 'return_call_indirect';
  t[IrOp.Trap] = 'trap';
  return t;
})();

/** Kind words printed after the mnemonic, for ops whose kind is not part of it. */
export const INT_COND_NAMES: readonly string[] = ['eq', 'ne', 'slt', 'ult', 'sgt', 'ugt', 'sle', 'ule', 'sge', 'uge'];
export const FLOAT_COND_NAMES: readonly string[] = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
export const CONVERT_NAMES: readonly string[] = [
  'i32.wrap_i64', 'i64.extend_i32_s', 'i64.extend_i32_u',
  'i32.trunc_f32_s', 'i32.trunc_f32_u', 'i32.trunc_f64_s', 'i32.trunc_f64_u',
  'i64.trunc_f32_s', 'i64.trunc_f32_u', 'i64.trunc_f64_s', 'i64.trunc_f64_u',
  'i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u',
  'f32.convert_i32_s', 'f32.convert_i32_u', 'f32.convert_i64_s', 'f32.convert_i64_u',
  'f64.convert_i32_s', 'f64.convert_i32_u', 'f64.convert_i64_s', 'f64.convert_i64_u',
  'f32.demote_f64', 'f64.promote_f32',
  'i32.reinterpret_f32', 'i64.reinterpret_f64', 'f32.reinterpret_i32', 'f64.reinterpret_i64',
];
export const LOAD_NAMES: readonly string[] = [
  'i32.load', 'i64.load', 'f32.load', 'f64.load', 'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u',
  'i64.load8_s', 'i64.load8_u', 'i64.load16_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u',
];
export const STORE_NAMES: readonly string[] = ['i32.store', 'i64.store', 'f32.store', 'f64.store', 'store8', 'store16', 'store32'];
export const BUILTIN_NAMES: readonly string[] = [
  'memory_grow', 'memory_size', 'memory_fill', 'memory_copy', 'memory_init', 'data_drop', 'table_get', 'table_set',
  'table_size', 'table_grow', 'table_fill', 'table_copy', 'table_init', 'elem_drop', 'ref_func',
];
/** Trap reason names by `TrapReason` value (0 = none). */
export const TRAP_NAMES: readonly string[] = (() => {
  const t: string[] = ['none'];
  for (const [name, value] of Object.entries(TrapReason)) t[value] = name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`));
  return t;
})();

/** The result kind of each conversion. */
export const CONVERT_RESULT: readonly ValueKind[] = CONVERT_NAMES.map((name) => VALUE_KIND_NAMES.indexOf(name.slice(0, 3)) as ValueKind);
/** The operand kind of each conversion. */
export const CONVERT_OPERAND: readonly ValueKind[] = CONVERT_NAMES.map(
  (name) => VALUE_KIND_NAMES.indexOf(/_[su]$/.test(name) ? name.slice(-5, -2) : name.slice(-3)) as ValueKind,
);

/**
 * The effects of one instruction: its op's row, refined by kind and immediates (a trapping
 * conversion traps; reading an immutable global — `imm2` 0 — is pure).
 */
export function instEffects(op: number, kind: number, imm2: number): number {
  if (op === IrOp.Convert) return isTrappingConvert(kind) ? Effect.Traps : 0;
  if (op === IrOp.GlobalGet) return imm2 === 0 ? 0 : Effect.ReadsGlobal;
  return OP_EFFECTS[op]!;
}
