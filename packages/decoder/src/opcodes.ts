// The one opcode table. Everything that knows about operators — the operator loop, the
// validator, both compiler tiers, the constant-expression evaluator, the text parser and the
// printer — reads it from here. Nothing else lists opcodes. The rows of the 0xFD (SIMD) and
// 0xFE (threads) prefixes live in `opcodes-simd.ts` and `opcodes-threads.ts`.
//
// Each row's key is the operator's name in `Op` (`Op.I32Add` is the dense id of `i32.add`), so
// code that dispatches on operators names them instead of spelling hex ids: the mnemonic in
// PascalCase, and for the second encoding of a shared mnemonic what sets it apart (`SelectT`,
// the typed `select`; `RefTestNull` and `RefCastNull`, the nullable-target forms).
// Spec: https://webassembly.github.io/spec/core/binary/instructions.html

import { Imm } from './imm.ts';
import { SIMD_ROWS } from './opcodes-simd.ts';
import { THREADS_ROWS } from './opcodes-threads.ts';

export { Imm } from './imm.ts';

/** The proposal or spec version that introduced an operator; the runtime reports skips by it. */
export type Feature =
  | 'mvp'
  | 'sign-extension'
  | 'saturating-float-to-int'
  | 'bulk-memory'
  | 'reference-types'
  | 'simd'
  | 'relaxed-simd'
  | 'tail-call'
  | 'exceptions'
  | 'legacy-exceptions'
  | 'function-references'
  | 'gc'
  | 'threads'
  | 'wide-arithmetic'
  | 'memory-control';

export interface OperatorInfo {
  /** Dense id: `code` for single-byte operators, `PREFIX_BASE[prefix] + code` otherwise. */
  readonly id: number;
  /** Text-format mnemonic. */
  readonly name: string;
  /** 0 for single-byte operators, else 0xFB, 0xFC, 0xFD or 0xFE. */
  readonly prefix: number;
  readonly code: number;
  readonly immediate: Imm;
  /**
   * Operand and result types for operators whose typing is fixed, as `params:results` with
   * i=i32 l=i64 f=f32 d=f64 v=v128 and a=the address type of the memory named by the memarg
   * (i32 or i64). `null` marks operators the validator types specially (control, variables,
   * references, GC, table and bulk-memory operators).
   */
  readonly signature: string | null;
  readonly feature: Feature;
  /** Bytes accessed by a memory operator (its natural alignment bound), else 0. */
  readonly memSize: number;
}

/** Where each prefix's operators start in the dense id space. */
export const PREFIX_BASE: Readonly<Record<number, number>> = { 0xfb: 0x400, 0xfc: 0x800, 0xfd: 0xc00, 0xfe: 0x1000 };
export const OPERATOR_ID_LIMIT = 0x1400;

/** The dense id of the operator with `prefix` (0 for none) and `code`. */
export const operatorId = (prefix: number, code: number): number => (prefix === 0 ? code : PREFIX_BASE[prefix]! + code);

/** One table row: the operator's encoding, immediates, typing, origin and access size. */
export type Row = readonly [prefix: number, code: number, name: string, immediate: Imm, signature: string | null, feature: Feature, memSize?: number];

const I = Imm;
// prettier-ignore
const ROWS = {
  // Control  https://webassembly.github.io/spec/core/binary/instructions.html#control-instructions
  Unreachable: [0, 0x00, 'unreachable', I.None, null, 'mvp'],
  Nop: [0, 0x01, 'nop', I.None, ':', 'mvp'],
  Block: [0, 0x02, 'block', I.BlockType, null, 'mvp'],
  Loop: [0, 0x03, 'loop', I.BlockType, null, 'mvp'],
  If: [0, 0x04, 'if', I.BlockType, null, 'mvp'],
  Else: [0, 0x05, 'else', I.None, null, 'mvp'],
  Try: [0, 0x06, 'try', I.BlockType, null, 'legacy-exceptions'],
  Catch: [0, 0x07, 'catch', I.Catch, null, 'legacy-exceptions'],
  Throw: [0, 0x08, 'throw', I.Tag, null, 'exceptions'],
  Rethrow: [0, 0x09, 'rethrow', I.Label, null, 'legacy-exceptions'],
  ThrowRef: [0, 0x0a, 'throw_ref', I.None, null, 'exceptions'],
  End: [0, 0x0b, 'end', I.None, null, 'mvp'],
  Br: [0, 0x0c, 'br', I.Label, null, 'mvp'],
  BrIf: [0, 0x0d, 'br_if', I.Label, null, 'mvp'],
  BrTable: [0, 0x0e, 'br_table', I.BrTable, null, 'mvp'],
  Return: [0, 0x0f, 'return', I.None, null, 'mvp'],
  Call: [0, 0x10, 'call', I.Func, null, 'mvp'],
  CallIndirect: [0, 0x11, 'call_indirect', I.CallIndirect, null, 'mvp'],
  ReturnCall: [0, 0x12, 'return_call', I.Func, null, 'tail-call'],
  ReturnCallIndirect: [0, 0x13, 'return_call_indirect', I.CallIndirect, null, 'tail-call'],
  CallRef: [0, 0x14, 'call_ref', I.Type, null, 'function-references'],
  ReturnCallRef: [0, 0x15, 'return_call_ref', I.Type, null, 'function-references'],
  Delegate: [0, 0x18, 'delegate', I.Label, null, 'legacy-exceptions'],
  CatchAll: [0, 0x19, 'catch_all', I.None, null, 'legacy-exceptions'],
  Drop: [0, 0x1a, 'drop', I.None, null, 'mvp'],
  Select: [0, 0x1b, 'select', I.None, null, 'mvp'],
  SelectT: [0, 0x1c, 'select', I.SelectT, null, 'reference-types'],
  TryTable: [0, 0x1f, 'try_table', I.TryTable, null, 'exceptions'],
  // Variables
  LocalGet: [0, 0x20, 'local.get', I.Local, null, 'mvp'],
  LocalSet: [0, 0x21, 'local.set', I.Local, null, 'mvp'],
  LocalTee: [0, 0x22, 'local.tee', I.Local, null, 'mvp'],
  GlobalGet: [0, 0x23, 'global.get', I.Global, null, 'mvp'],
  GlobalSet: [0, 0x24, 'global.set', I.Global, null, 'mvp'],
  // Tables
  TableGet: [0, 0x25, 'table.get', I.Table, null, 'reference-types'],
  TableSet: [0, 0x26, 'table.set', I.Table, null, 'reference-types'],
  // Memory
  I32Load: [0, 0x28, 'i32.load', I.MemArg, 'a:i', 'mvp', 4],
  I64Load: [0, 0x29, 'i64.load', I.MemArg, 'a:l', 'mvp', 8],
  F32Load: [0, 0x2a, 'f32.load', I.MemArg, 'a:f', 'mvp', 4],
  F64Load: [0, 0x2b, 'f64.load', I.MemArg, 'a:d', 'mvp', 8],
  I32Load8S: [0, 0x2c, 'i32.load8_s', I.MemArg, 'a:i', 'mvp', 1],
  I32Load8U: [0, 0x2d, 'i32.load8_u', I.MemArg, 'a:i', 'mvp', 1],
  I32Load16S: [0, 0x2e, 'i32.load16_s', I.MemArg, 'a:i', 'mvp', 2],
  I32Load16U: [0, 0x2f, 'i32.load16_u', I.MemArg, 'a:i', 'mvp', 2],
  I64Load8S: [0, 0x30, 'i64.load8_s', I.MemArg, 'a:l', 'mvp', 1],
  I64Load8U: [0, 0x31, 'i64.load8_u', I.MemArg, 'a:l', 'mvp', 1],
  I64Load16S: [0, 0x32, 'i64.load16_s', I.MemArg, 'a:l', 'mvp', 2],
  I64Load16U: [0, 0x33, 'i64.load16_u', I.MemArg, 'a:l', 'mvp', 2],
  I64Load32S: [0, 0x34, 'i64.load32_s', I.MemArg, 'a:l', 'mvp', 4],
  I64Load32U: [0, 0x35, 'i64.load32_u', I.MemArg, 'a:l', 'mvp', 4],
  I32Store: [0, 0x36, 'i32.store', I.MemArg, 'ai:', 'mvp', 4],
  I64Store: [0, 0x37, 'i64.store', I.MemArg, 'al:', 'mvp', 8],
  F32Store: [0, 0x38, 'f32.store', I.MemArg, 'af:', 'mvp', 4],
  F64Store: [0, 0x39, 'f64.store', I.MemArg, 'ad:', 'mvp', 8],
  I32Store8: [0, 0x3a, 'i32.store8', I.MemArg, 'ai:', 'mvp', 1],
  I32Store16: [0, 0x3b, 'i32.store16', I.MemArg, 'ai:', 'mvp', 2],
  I64Store8: [0, 0x3c, 'i64.store8', I.MemArg, 'al:', 'mvp', 1],
  I64Store16: [0, 0x3d, 'i64.store16', I.MemArg, 'al:', 'mvp', 2],
  I64Store32: [0, 0x3e, 'i64.store32', I.MemArg, 'al:', 'mvp', 4],
  MemorySize: [0, 0x3f, 'memory.size', I.Memory, null, 'mvp'],
  MemoryGrow: [0, 0x40, 'memory.grow', I.Memory, null, 'mvp'],
  // Numeric constants
  I32Const: [0, 0x41, 'i32.const', I.I32, ':i', 'mvp'],
  I64Const: [0, 0x42, 'i64.const', I.I64, ':l', 'mvp'],
  F32Const: [0, 0x43, 'f32.const', I.F32, ':f', 'mvp'],
  F64Const: [0, 0x44, 'f64.const', I.F64, ':d', 'mvp'],
  // Comparisons
  I32Eqz: [0, 0x45, 'i32.eqz', I.None, 'i:i', 'mvp'],
  I32Eq: [0, 0x46, 'i32.eq', I.None, 'ii:i', 'mvp'],
  I32Ne: [0, 0x47, 'i32.ne', I.None, 'ii:i', 'mvp'],
  I32LtS: [0, 0x48, 'i32.lt_s', I.None, 'ii:i', 'mvp'],
  I32LtU: [0, 0x49, 'i32.lt_u', I.None, 'ii:i', 'mvp'],
  I32GtS: [0, 0x4a, 'i32.gt_s', I.None, 'ii:i', 'mvp'],
  I32GtU: [0, 0x4b, 'i32.gt_u', I.None, 'ii:i', 'mvp'],
  I32LeS: [0, 0x4c, 'i32.le_s', I.None, 'ii:i', 'mvp'],
  I32LeU: [0, 0x4d, 'i32.le_u', I.None, 'ii:i', 'mvp'],
  I32GeS: [0, 0x4e, 'i32.ge_s', I.None, 'ii:i', 'mvp'],
  I32GeU: [0, 0x4f, 'i32.ge_u', I.None, 'ii:i', 'mvp'],
  I64Eqz: [0, 0x50, 'i64.eqz', I.None, 'l:i', 'mvp'],
  I64Eq: [0, 0x51, 'i64.eq', I.None, 'll:i', 'mvp'],
  I64Ne: [0, 0x52, 'i64.ne', I.None, 'll:i', 'mvp'],
  I64LtS: [0, 0x53, 'i64.lt_s', I.None, 'll:i', 'mvp'],
  I64LtU: [0, 0x54, 'i64.lt_u', I.None, 'll:i', 'mvp'],
  I64GtS: [0, 0x55, 'i64.gt_s', I.None, 'll:i', 'mvp'],
  I64GtU: [0, 0x56, 'i64.gt_u', I.None, 'll:i', 'mvp'],
  I64LeS: [0, 0x57, 'i64.le_s', I.None, 'll:i', 'mvp'],
  I64LeU: [0, 0x58, 'i64.le_u', I.None, 'll:i', 'mvp'],
  I64GeS: [0, 0x59, 'i64.ge_s', I.None, 'll:i', 'mvp'],
  I64GeU: [0, 0x5a, 'i64.ge_u', I.None, 'll:i', 'mvp'],
  F32Eq: [0, 0x5b, 'f32.eq', I.None, 'ff:i', 'mvp'],
  F32Ne: [0, 0x5c, 'f32.ne', I.None, 'ff:i', 'mvp'],
  F32Lt: [0, 0x5d, 'f32.lt', I.None, 'ff:i', 'mvp'],
  F32Gt: [0, 0x5e, 'f32.gt', I.None, 'ff:i', 'mvp'],
  F32Le: [0, 0x5f, 'f32.le', I.None, 'ff:i', 'mvp'],
  F32Ge: [0, 0x60, 'f32.ge', I.None, 'ff:i', 'mvp'],
  F64Eq: [0, 0x61, 'f64.eq', I.None, 'dd:i', 'mvp'],
  F64Ne: [0, 0x62, 'f64.ne', I.None, 'dd:i', 'mvp'],
  F64Lt: [0, 0x63, 'f64.lt', I.None, 'dd:i', 'mvp'],
  F64Gt: [0, 0x64, 'f64.gt', I.None, 'dd:i', 'mvp'],
  F64Le: [0, 0x65, 'f64.le', I.None, 'dd:i', 'mvp'],
  F64Ge: [0, 0x66, 'f64.ge', I.None, 'dd:i', 'mvp'],
  // Integer arithmetic
  I32Clz: [0, 0x67, 'i32.clz', I.None, 'i:i', 'mvp'],
  I32Ctz: [0, 0x68, 'i32.ctz', I.None, 'i:i', 'mvp'],
  I32Popcnt: [0, 0x69, 'i32.popcnt', I.None, 'i:i', 'mvp'],
  I32Add: [0, 0x6a, 'i32.add', I.None, 'ii:i', 'mvp'],
  I32Sub: [0, 0x6b, 'i32.sub', I.None, 'ii:i', 'mvp'],
  I32Mul: [0, 0x6c, 'i32.mul', I.None, 'ii:i', 'mvp'],
  I32DivS: [0, 0x6d, 'i32.div_s', I.None, 'ii:i', 'mvp'],
  I32DivU: [0, 0x6e, 'i32.div_u', I.None, 'ii:i', 'mvp'],
  I32RemS: [0, 0x6f, 'i32.rem_s', I.None, 'ii:i', 'mvp'],
  I32RemU: [0, 0x70, 'i32.rem_u', I.None, 'ii:i', 'mvp'],
  I32And: [0, 0x71, 'i32.and', I.None, 'ii:i', 'mvp'],
  I32Or: [0, 0x72, 'i32.or', I.None, 'ii:i', 'mvp'],
  I32Xor: [0, 0x73, 'i32.xor', I.None, 'ii:i', 'mvp'],
  I32Shl: [0, 0x74, 'i32.shl', I.None, 'ii:i', 'mvp'],
  I32ShrS: [0, 0x75, 'i32.shr_s', I.None, 'ii:i', 'mvp'],
  I32ShrU: [0, 0x76, 'i32.shr_u', I.None, 'ii:i', 'mvp'],
  I32Rotl: [0, 0x77, 'i32.rotl', I.None, 'ii:i', 'mvp'],
  I32Rotr: [0, 0x78, 'i32.rotr', I.None, 'ii:i', 'mvp'],
  I64Clz: [0, 0x79, 'i64.clz', I.None, 'l:l', 'mvp'],
  I64Ctz: [0, 0x7a, 'i64.ctz', I.None, 'l:l', 'mvp'],
  I64Popcnt: [0, 0x7b, 'i64.popcnt', I.None, 'l:l', 'mvp'],
  I64Add: [0, 0x7c, 'i64.add', I.None, 'll:l', 'mvp'],
  I64Sub: [0, 0x7d, 'i64.sub', I.None, 'll:l', 'mvp'],
  I64Mul: [0, 0x7e, 'i64.mul', I.None, 'll:l', 'mvp'],
  I64DivS: [0, 0x7f, 'i64.div_s', I.None, 'll:l', 'mvp'],
  I64DivU: [0, 0x80, 'i64.div_u', I.None, 'll:l', 'mvp'],
  I64RemS: [0, 0x81, 'i64.rem_s', I.None, 'll:l', 'mvp'],
  I64RemU: [0, 0x82, 'i64.rem_u', I.None, 'll:l', 'mvp'],
  I64And: [0, 0x83, 'i64.and', I.None, 'll:l', 'mvp'],
  I64Or: [0, 0x84, 'i64.or', I.None, 'll:l', 'mvp'],
  I64Xor: [0, 0x85, 'i64.xor', I.None, 'll:l', 'mvp'],
  I64Shl: [0, 0x86, 'i64.shl', I.None, 'll:l', 'mvp'],
  I64ShrS: [0, 0x87, 'i64.shr_s', I.None, 'll:l', 'mvp'],
  I64ShrU: [0, 0x88, 'i64.shr_u', I.None, 'll:l', 'mvp'],
  I64Rotl: [0, 0x89, 'i64.rotl', I.None, 'll:l', 'mvp'],
  I64Rotr: [0, 0x8a, 'i64.rotr', I.None, 'll:l', 'mvp'],
  // Float arithmetic
  F32Abs: [0, 0x8b, 'f32.abs', I.None, 'f:f', 'mvp'],
  F32Neg: [0, 0x8c, 'f32.neg', I.None, 'f:f', 'mvp'],
  F32Ceil: [0, 0x8d, 'f32.ceil', I.None, 'f:f', 'mvp'],
  F32Floor: [0, 0x8e, 'f32.floor', I.None, 'f:f', 'mvp'],
  F32Trunc: [0, 0x8f, 'f32.trunc', I.None, 'f:f', 'mvp'],
  F32Nearest: [0, 0x90, 'f32.nearest', I.None, 'f:f', 'mvp'],
  F32Sqrt: [0, 0x91, 'f32.sqrt', I.None, 'f:f', 'mvp'],
  F32Add: [0, 0x92, 'f32.add', I.None, 'ff:f', 'mvp'],
  F32Sub: [0, 0x93, 'f32.sub', I.None, 'ff:f', 'mvp'],
  F32Mul: [0, 0x94, 'f32.mul', I.None, 'ff:f', 'mvp'],
  F32Div: [0, 0x95, 'f32.div', I.None, 'ff:f', 'mvp'],
  F32Min: [0, 0x96, 'f32.min', I.None, 'ff:f', 'mvp'],
  F32Max: [0, 0x97, 'f32.max', I.None, 'ff:f', 'mvp'],
  F32Copysign: [0, 0x98, 'f32.copysign', I.None, 'ff:f', 'mvp'],
  F64Abs: [0, 0x99, 'f64.abs', I.None, 'd:d', 'mvp'],
  F64Neg: [0, 0x9a, 'f64.neg', I.None, 'd:d', 'mvp'],
  F64Ceil: [0, 0x9b, 'f64.ceil', I.None, 'd:d', 'mvp'],
  F64Floor: [0, 0x9c, 'f64.floor', I.None, 'd:d', 'mvp'],
  F64Trunc: [0, 0x9d, 'f64.trunc', I.None, 'd:d', 'mvp'],
  F64Nearest: [0, 0x9e, 'f64.nearest', I.None, 'd:d', 'mvp'],
  F64Sqrt: [0, 0x9f, 'f64.sqrt', I.None, 'd:d', 'mvp'],
  F64Add: [0, 0xa0, 'f64.add', I.None, 'dd:d', 'mvp'],
  F64Sub: [0, 0xa1, 'f64.sub', I.None, 'dd:d', 'mvp'],
  F64Mul: [0, 0xa2, 'f64.mul', I.None, 'dd:d', 'mvp'],
  F64Div: [0, 0xa3, 'f64.div', I.None, 'dd:d', 'mvp'],
  F64Min: [0, 0xa4, 'f64.min', I.None, 'dd:d', 'mvp'],
  F64Max: [0, 0xa5, 'f64.max', I.None, 'dd:d', 'mvp'],
  F64Copysign: [0, 0xa6, 'f64.copysign', I.None, 'dd:d', 'mvp'],
  // Conversions
  I32WrapI64: [0, 0xa7, 'i32.wrap_i64', I.None, 'l:i', 'mvp'],
  I32TruncF32S: [0, 0xa8, 'i32.trunc_f32_s', I.None, 'f:i', 'mvp'],
  I32TruncF32U: [0, 0xa9, 'i32.trunc_f32_u', I.None, 'f:i', 'mvp'],
  I32TruncF64S: [0, 0xaa, 'i32.trunc_f64_s', I.None, 'd:i', 'mvp'],
  I32TruncF64U: [0, 0xab, 'i32.trunc_f64_u', I.None, 'd:i', 'mvp'],
  I64ExtendI32S: [0, 0xac, 'i64.extend_i32_s', I.None, 'i:l', 'mvp'],
  I64ExtendI32U: [0, 0xad, 'i64.extend_i32_u', I.None, 'i:l', 'mvp'],
  I64TruncF32S: [0, 0xae, 'i64.trunc_f32_s', I.None, 'f:l', 'mvp'],
  I64TruncF32U: [0, 0xaf, 'i64.trunc_f32_u', I.None, 'f:l', 'mvp'],
  I64TruncF64S: [0, 0xb0, 'i64.trunc_f64_s', I.None, 'd:l', 'mvp'],
  I64TruncF64U: [0, 0xb1, 'i64.trunc_f64_u', I.None, 'd:l', 'mvp'],
  F32ConvertI32S: [0, 0xb2, 'f32.convert_i32_s', I.None, 'i:f', 'mvp'],
  F32ConvertI32U: [0, 0xb3, 'f32.convert_i32_u', I.None, 'i:f', 'mvp'],
  F32ConvertI64S: [0, 0xb4, 'f32.convert_i64_s', I.None, 'l:f', 'mvp'],
  F32ConvertI64U: [0, 0xb5, 'f32.convert_i64_u', I.None, 'l:f', 'mvp'],
  F32DemoteF64: [0, 0xb6, 'f32.demote_f64', I.None, 'd:f', 'mvp'],
  F64ConvertI32S: [0, 0xb7, 'f64.convert_i32_s', I.None, 'i:d', 'mvp'],
  F64ConvertI32U: [0, 0xb8, 'f64.convert_i32_u', I.None, 'i:d', 'mvp'],
  F64ConvertI64S: [0, 0xb9, 'f64.convert_i64_s', I.None, 'l:d', 'mvp'],
  F64ConvertI64U: [0, 0xba, 'f64.convert_i64_u', I.None, 'l:d', 'mvp'],
  F64PromoteF32: [0, 0xbb, 'f64.promote_f32', I.None, 'f:d', 'mvp'],
  I32ReinterpretF32: [0, 0xbc, 'i32.reinterpret_f32', I.None, 'f:i', 'mvp'],
  I64ReinterpretF64: [0, 0xbd, 'i64.reinterpret_f64', I.None, 'd:l', 'mvp'],
  F32ReinterpretI32: [0, 0xbe, 'f32.reinterpret_i32', I.None, 'i:f', 'mvp'],
  F64ReinterpretI64: [0, 0xbf, 'f64.reinterpret_i64', I.None, 'l:d', 'mvp'],
  I32Extend8S: [0, 0xc0, 'i32.extend8_s', I.None, 'i:i', 'sign-extension'],
  I32Extend16S: [0, 0xc1, 'i32.extend16_s', I.None, 'i:i', 'sign-extension'],
  I64Extend8S: [0, 0xc2, 'i64.extend8_s', I.None, 'l:l', 'sign-extension'],
  I64Extend16S: [0, 0xc3, 'i64.extend16_s', I.None, 'l:l', 'sign-extension'],
  I64Extend32S: [0, 0xc4, 'i64.extend32_s', I.None, 'l:l', 'sign-extension'],
  // References
  RefNull: [0, 0xd0, 'ref.null', I.HeapType, null, 'reference-types'],
  RefIsNull: [0, 0xd1, 'ref.is_null', I.None, null, 'reference-types'],
  RefFunc: [0, 0xd2, 'ref.func', I.Func, null, 'reference-types'],
  RefEq: [0, 0xd3, 'ref.eq', I.None, null, 'gc'],
  RefAsNonNull: [0, 0xd4, 'ref.as_non_null', I.None, null, 'function-references'],
  BrOnNull: [0, 0xd5, 'br_on_null', I.Label, null, 'function-references'],
  BrOnNonNull: [0, 0xd6, 'br_on_non_null', I.Label, null, 'function-references'],

  // 0xFB: GC  https://webassembly.github.io/spec/core/binary/instructions.html#aggregate-instructions
  StructNew: [0xfb, 0x00, 'struct.new', I.Type, null, 'gc'],
  StructNewDefault: [0xfb, 0x01, 'struct.new_default', I.Type, null, 'gc'],
  StructGet: [0xfb, 0x02, 'struct.get', I.TypeField, null, 'gc'],
  StructGetS: [0xfb, 0x03, 'struct.get_s', I.TypeField, null, 'gc'],
  StructGetU: [0xfb, 0x04, 'struct.get_u', I.TypeField, null, 'gc'],
  StructSet: [0xfb, 0x05, 'struct.set', I.TypeField, null, 'gc'],
  ArrayNew: [0xfb, 0x06, 'array.new', I.Type, null, 'gc'],
  ArrayNewDefault: [0xfb, 0x07, 'array.new_default', I.Type, null, 'gc'],
  ArrayNewFixed: [0xfb, 0x08, 'array.new_fixed', I.TypeCount, null, 'gc'],
  ArrayNewData: [0xfb, 0x09, 'array.new_data', I.TypeData, null, 'gc'],
  ArrayNewElem: [0xfb, 0x0a, 'array.new_elem', I.TypeElem, null, 'gc'],
  ArrayGet: [0xfb, 0x0b, 'array.get', I.Type, null, 'gc'],
  ArrayGetS: [0xfb, 0x0c, 'array.get_s', I.Type, null, 'gc'],
  ArrayGetU: [0xfb, 0x0d, 'array.get_u', I.Type, null, 'gc'],
  ArraySet: [0xfb, 0x0e, 'array.set', I.Type, null, 'gc'],
  ArrayLen: [0xfb, 0x0f, 'array.len', I.None, null, 'gc'],
  ArrayFill: [0xfb, 0x10, 'array.fill', I.Type, null, 'gc'],
  ArrayCopy: [0xfb, 0x11, 'array.copy', I.TypeType, null, 'gc'],
  ArrayInitData: [0xfb, 0x12, 'array.init_data', I.TypeData, null, 'gc'],
  ArrayInitElem: [0xfb, 0x13, 'array.init_elem', I.TypeElem, null, 'gc'],
  RefTest: [0xfb, 0x14, 'ref.test', I.HeapType, null, 'gc'], // (ref ht)
  RefTestNull: [0xfb, 0x15, 'ref.test', I.HeapType, null, 'gc'], // (ref null ht)
  RefCast: [0xfb, 0x16, 'ref.cast', I.HeapType, null, 'gc'], // (ref ht)
  RefCastNull: [0xfb, 0x17, 'ref.cast', I.HeapType, null, 'gc'], // (ref null ht)
  BrOnCast: [0xfb, 0x18, 'br_on_cast', I.BrOnCast, null, 'gc'],
  BrOnCastFail: [0xfb, 0x19, 'br_on_cast_fail', I.BrOnCast, null, 'gc'],
  AnyConvertExtern: [0xfb, 0x1a, 'any.convert_extern', I.None, null, 'gc'],
  ExternConvertAny: [0xfb, 0x1b, 'extern.convert_any', I.None, null, 'gc'],
  RefI31: [0xfb, 0x1c, 'ref.i31', I.None, null, 'gc'],
  I31GetS: [0xfb, 0x1d, 'i31.get_s', I.None, null, 'gc'],
  I31GetU: [0xfb, 0x1e, 'i31.get_u', I.None, null, 'gc'],

  // 0xFC: saturating truncation, bulk memory and tables, wide arithmetic
  I32TruncSatF32S: [0xfc, 0x00, 'i32.trunc_sat_f32_s', I.None, 'f:i', 'saturating-float-to-int'],
  I32TruncSatF32U: [0xfc, 0x01, 'i32.trunc_sat_f32_u', I.None, 'f:i', 'saturating-float-to-int'],
  I32TruncSatF64S: [0xfc, 0x02, 'i32.trunc_sat_f64_s', I.None, 'd:i', 'saturating-float-to-int'],
  I32TruncSatF64U: [0xfc, 0x03, 'i32.trunc_sat_f64_u', I.None, 'd:i', 'saturating-float-to-int'],
  I64TruncSatF32S: [0xfc, 0x04, 'i64.trunc_sat_f32_s', I.None, 'f:l', 'saturating-float-to-int'],
  I64TruncSatF32U: [0xfc, 0x05, 'i64.trunc_sat_f32_u', I.None, 'f:l', 'saturating-float-to-int'],
  I64TruncSatF64S: [0xfc, 0x06, 'i64.trunc_sat_f64_s', I.None, 'd:l', 'saturating-float-to-int'],
  I64TruncSatF64U: [0xfc, 0x07, 'i64.trunc_sat_f64_u', I.None, 'd:l', 'saturating-float-to-int'],
  MemoryInit: [0xfc, 0x08, 'memory.init', I.MemoryInit, null, 'bulk-memory'],
  DataDrop: [0xfc, 0x09, 'data.drop', I.Data, null, 'bulk-memory'],
  MemoryCopy: [0xfc, 0x0a, 'memory.copy', I.MemoryCopy, null, 'bulk-memory'],
  MemoryFill: [0xfc, 0x0b, 'memory.fill', I.Memory, null, 'bulk-memory'],
  TableInit: [0xfc, 0x0c, 'table.init', I.TableInit, null, 'bulk-memory'],
  ElemDrop: [0xfc, 0x0d, 'elem.drop', I.Elem, null, 'bulk-memory'],
  TableCopy: [0xfc, 0x0e, 'table.copy', I.TableCopy, null, 'bulk-memory'],
  TableGrow: [0xfc, 0x0f, 'table.grow', I.Table, null, 'reference-types'],
  TableSize: [0xfc, 0x10, 'table.size', I.Table, null, 'reference-types'],
  TableFill: [0xfc, 0x11, 'table.fill', I.Table, null, 'reference-types'],
  I64Add128: [0xfc, 0x13, 'i64.add128', I.None, 'llll:ll', 'wide-arithmetic'],
  I64Sub128: [0xfc, 0x14, 'i64.sub128', I.None, 'llll:ll', 'wide-arithmetic'],
  I64MulWideS: [0xfc, 0x15, 'i64.mul_wide_s', I.None, 'll:ll', 'wide-arithmetic'],
  I64MulWideU: [0xfc, 0x16, 'i64.mul_wide_u', I.None, 'll:ll', 'wide-arithmetic'],

} satisfies Record<string, Row>;

/** The three tables as one; a key in two of them would silently shadow a row, so it throws. */
function mergeTables<A extends object, B extends object, C extends object>(a: A, b: B, c: C): A & B & C {
  const merged: Record<string, Row> = {};
  for (const table of [a, b, c] as Record<string, Row>[]) {
    for (const key of Object.keys(table)) {
      if (key in merged) throw new Error(`opcode table: operator name ${key} is used twice`);
      merged[key] = table[key]!;
    }
  }
  return merged as A & B & C;
}

const ALL_ROWS = mergeTables(ROWS, SIMD_ROWS, THREADS_ROWS);

/** The key of every operator in `Op`. */
export type OperatorName = keyof typeof ALL_ROWS;

function build(rows: readonly Row[]): OperatorInfo[] {
  return rows.map(([prefix, code, name, immediate, signature, feature, memSize = 0]) => ({
    id: operatorId(prefix, code),
    name,
    prefix,
    code,
    immediate,
    signature,
    feature,
    memSize,
  }));
}

/** Every operator, in table order. */
export const OPERATORS: readonly OperatorInfo[] = build(Object.values(ALL_ROWS));

/**
 * The dense id of every operator by name: `switch (op.id) { case Op.LocalGet: … }`, or tables
 * indexed by id. Derived from the table's keys, so a reordered or renumbered row cannot leave a
 * stale id behind, and a misspelt name does not compile.
 */
export const Op: Readonly<Record<OperatorName, number>> = Object.freeze(
  Object.fromEntries(Object.entries(ALL_ROWS).map(([key, [prefix, code]]) => [key, operatorId(prefix, code)])) as Record<OperatorName, number>,
);

/** Operator info by dense id; `undefined` marks an unassigned opcode. */
export const OPERATOR_BY_ID: readonly (OperatorInfo | undefined)[] = (() => {
  const byId: (OperatorInfo | undefined)[] = new Array(OPERATOR_ID_LIMIT).fill(undefined);
  for (const op of OPERATORS) byId[op.id] = op;
  return byId;
})();

/**
 * Operators by text-format mnemonic. A few mnemonics name more than one encoding (`select` and
 * typed `select`; `ref.test`/`ref.cast` with a nullable or non-nullable target), listed in table order.
 */
export const OPERATORS_BY_NAME: ReadonlyMap<string, readonly OperatorInfo[]> = (() => {
  const byName = new Map<string, OperatorInfo[]>();
  for (const op of OPERATORS) {
    const list = byName.get(op.name);
    if (list === undefined) byName.set(op.name, [op]);
    else list.push(op);
  }
  return byName;
})();
