// The v128 (fixed-width and relaxed SIMD) part of the MacroAssembler contract: lane shapes and
// the operator families, named as Wasm names the operators. A v128 value lives in one register of
// the `Float` class (xmm on x64, a q register on arm64) and moves, spills and travels through
// stack areas with `ValueSize.S128`.
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions
//
// Relaxed SIMD: every ISA picks, per operator, one of the results the spec allows and always the
// same one for a given compile-time feature set; each codegen package's README lists its choices.

/** How a v128 is viewed: lane type and count. */
export const LaneShape = { I8x16: 0, I16x8: 1, I32x4: 2, I64x2: 3, F32x4: 4, F64x2: 5 } as const;
export type LaneShape = (typeof LaneShape)[keyof typeof LaneShape];

/** Lanes per shape, indexed by `LaneShape`. */
export const LANE_COUNT: readonly number[] = [16, 8, 4, 2, 4, 2];
/** Bits per lane, indexed by `LaneShape`. */
export const LANE_BITS: readonly (8 | 16 | 32 | 64)[] = [8, 16, 32, 64, 32, 64];

/** One-operand v128 → v128 operators. */
export const V128UnaryKind = {
  Not: 0,
  I8x16Abs: 1,
  I8x16Neg: 2,
  I8x16Popcnt: 3,
  I16x8Abs: 4,
  I16x8Neg: 5,
  I32x4Abs: 6,
  I32x4Neg: 7,
  I64x2Abs: 8,
  I64x2Neg: 9,
  F32x4Abs: 10,
  F32x4Neg: 11,
  F32x4Sqrt: 12,
  F32x4Ceil: 13,
  F32x4Floor: 14,
  F32x4Trunc: 15,
  F32x4Nearest: 16,
  F64x2Abs: 17,
  F64x2Neg: 18,
  F64x2Sqrt: 19,
  F64x2Ceil: 20,
  F64x2Floor: 21,
  F64x2Trunc: 22,
  F64x2Nearest: 23,
  I16x8ExtendLowI8x16S: 24,
  I16x8ExtendHighI8x16S: 25,
  I16x8ExtendLowI8x16U: 26,
  I16x8ExtendHighI8x16U: 27,
  I32x4ExtendLowI16x8S: 28,
  I32x4ExtendHighI16x8S: 29,
  I32x4ExtendLowI16x8U: 30,
  I32x4ExtendHighI16x8U: 31,
  I64x2ExtendLowI32x4S: 32,
  I64x2ExtendHighI32x4S: 33,
  I64x2ExtendLowI32x4U: 34,
  I64x2ExtendHighI32x4U: 35,
  I16x8ExtaddPairwiseI8x16S: 36,
  I16x8ExtaddPairwiseI8x16U: 37,
  I32x4ExtaddPairwiseI16x8S: 38,
  I32x4ExtaddPairwiseI16x8U: 39,
  I32x4TruncSatF32x4S: 40,
  I32x4TruncSatF32x4U: 41,
  F32x4ConvertI32x4S: 42,
  F32x4ConvertI32x4U: 43,
  I32x4TruncSatF64x2SZero: 44,
  I32x4TruncSatF64x2UZero: 45,
  F64x2ConvertLowI32x4S: 46,
  F64x2ConvertLowI32x4U: 47,
  F32x4DemoteF64x2Zero: 48,
  F64x2PromoteLowF32x4: 49,
  I32x4RelaxedTruncF32x4S: 50,
  I32x4RelaxedTruncF32x4U: 51,
  I32x4RelaxedTruncF64x2SZero: 52,
  I32x4RelaxedTruncF64x2UZero: 53,
} as const;
export type V128UnaryKind = (typeof V128UnaryKind)[keyof typeof V128UnaryKind];

/** Two-operand v128 × v128 → v128 operators other than comparisons (see `v128IntCompare`, `v128FloatCompare`). */
export const V128BinaryKind = {
  And: 0,
  /** lhs & ~rhs */
  AndNot: 1,
  Or: 2,
  Xor: 3,
  I8x16NarrowI16x8S: 4,
  I8x16NarrowI16x8U: 5,
  I8x16Add: 6,
  I8x16AddSatS: 7,
  I8x16AddSatU: 8,
  I8x16Sub: 9,
  I8x16SubSatS: 10,
  I8x16SubSatU: 11,
  I8x16MinS: 12,
  I8x16MinU: 13,
  I8x16MaxS: 14,
  I8x16MaxU: 15,
  I8x16AvgrU: 16,
  I8x16Swizzle: 17,
  I16x8NarrowI32x4S: 18,
  I16x8NarrowI32x4U: 19,
  I16x8Q15mulrSatS: 20,
  I16x8Add: 21,
  I16x8AddSatS: 22,
  I16x8AddSatU: 23,
  I16x8Sub: 24,
  I16x8SubSatS: 25,
  I16x8SubSatU: 26,
  I16x8Mul: 27,
  I16x8MinS: 28,
  I16x8MinU: 29,
  I16x8MaxS: 30,
  I16x8MaxU: 31,
  I16x8AvgrU: 32,
  I16x8ExtmulLowI8x16S: 33,
  I16x8ExtmulHighI8x16S: 34,
  I16x8ExtmulLowI8x16U: 35,
  I16x8ExtmulHighI8x16U: 36,
  I32x4Add: 37,
  I32x4Sub: 38,
  I32x4Mul: 39,
  I32x4MinS: 40,
  I32x4MinU: 41,
  I32x4MaxS: 42,
  I32x4MaxU: 43,
  I32x4DotI16x8S: 44,
  I32x4ExtmulLowI16x8S: 45,
  I32x4ExtmulHighI16x8S: 46,
  I32x4ExtmulLowI16x8U: 47,
  I32x4ExtmulHighI16x8U: 48,
  I64x2Add: 49,
  I64x2Sub: 50,
  I64x2Mul: 51,
  I64x2ExtmulLowI32x4S: 52,
  I64x2ExtmulHighI32x4S: 53,
  I64x2ExtmulLowI32x4U: 54,
  I64x2ExtmulHighI32x4U: 55,
  F32x4Add: 56,
  F32x4Sub: 57,
  F32x4Mul: 58,
  F32x4Div: 59,
  F32x4Min: 60,
  F32x4Max: 61,
  F32x4Pmin: 62,
  F32x4Pmax: 63,
  F64x2Add: 64,
  F64x2Sub: 65,
  F64x2Mul: 66,
  F64x2Div: 67,
  F64x2Min: 68,
  F64x2Max: 69,
  F64x2Pmin: 70,
  F64x2Pmax: 71,
  I8x16RelaxedSwizzle: 72,
  F32x4RelaxedMin: 73,
  F32x4RelaxedMax: 74,
  F64x2RelaxedMin: 75,
  F64x2RelaxedMax: 76,
  I16x8RelaxedQ15mulrS: 77,
  I16x8RelaxedDotI8x16I7x16S: 78,
} as const;
export type V128BinaryKind = (typeof V128BinaryKind)[keyof typeof V128BinaryKind];

/** Three-operand operators (`v128Ternary`); operands in Wasm order a, b, c. */
export const V128TernaryKind = {
  /** (a & c) | (b & ~c) */
  Bitselect: 0,
  I8x16RelaxedLaneselect: 1,
  I16x8RelaxedLaneselect: 2,
  I32x4RelaxedLaneselect: 3,
  I64x2RelaxedLaneselect: 4,
  /** a * b + c */
  F32x4RelaxedMadd: 5,
  /** -(a * b) + c */
  F32x4RelaxedNmadd: 6,
  F64x2RelaxedMadd: 7,
  F64x2RelaxedNmadd: 8,
  I32x4RelaxedDotI8x16I7x16AddS: 9,
} as const;
export type V128TernaryKind = (typeof V128TernaryKind)[keyof typeof V128TernaryKind];

/** v128 → i32 reductions. */
export const V128ReduceKind = {
  AnyTrue: 0,
  I8x16AllTrue: 1,
  I16x8AllTrue: 2,
  I32x4AllTrue: 3,
  I64x2AllTrue: 4,
  I8x16Bitmask: 5,
  I16x8Bitmask: 6,
  I32x4Bitmask: 7,
  I64x2Bitmask: 8,
} as const;
export type V128ReduceKind = (typeof V128ReduceKind)[keyof typeof V128ReduceKind];

/** Loads that widen, replicate or zero-fill (the plain 16-byte load is `LoadKind.V128`). */
export const V128LoadKind = {
  Load8x8S: 0,
  Load8x8U: 1,
  Load16x4S: 2,
  Load16x4U: 3,
  Load32x2S: 4,
  Load32x2U: 5,
  Load8Splat: 6,
  Load16Splat: 7,
  Load32Splat: 8,
  Load64Splat: 9,
  Load32Zero: 10,
  Load64Zero: 11,
} as const;
export type V128LoadKind = (typeof V128LoadKind)[keyof typeof V128LoadKind];

/** Bytes read by each `V128LoadKind`, indexed by kind. */
export const V128_LOAD_ACCESS_SIZE: readonly number[] = [8, 8, 8, 8, 8, 8, 1, 2, 4, 8, 4, 8];
