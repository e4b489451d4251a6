// The x64 instructions of the optimizing tier's VCode: what instruction selection (lower.ts)
// produces and the emitter (emit.ts) encodes. Most are one MacroAssembler operation on
// registers the allocator chose, so the sequences both tiers need (division and its traps,
// float min/max, conversions, bounds checks, calls) are written once, in masm/.
//
// Operands are listed defs first, then uses. "fixed" operands name a physical register.

export const X64Op = {
  /** [def dst, use src]: register copy within one class. */
  Move: 0,
  /** [def dst]: imm0/imm1 = value low/high, imm2 = size. */
  MovImm: 1,
  /** [def dst (float)]: imm0/imm1 = raw bits, imm2 = size. */
  LoadFloatConst: 2,
  /** [def dst]: dst ← the u64 at VM context + imm0. */
  LoadVmctx: 3,
  /** [def dst]: dst ← the VM context pointer (a builtin's first argument). */
  CopyVmctx: 4,
  /** [def dst, use lhs, use rhs]: imm0 = IntBinaryKind, imm1 = size. */
  AluRR: 5,
  /** [def dst, use lhs]: imm0 = IntBinaryKind, imm1 = size, imm2/imm3 = immediate low/high. */
  AluRI: 6,
  /** [early def dst, use value, use rcx (fixed)]: imm0 = ShiftKind, imm1 = size. */
  ShiftRR: 7,
  /** [def dst, use src]: imm0 = ShiftKind, imm1 = size, imm2 = amount. */
  ShiftRI: 8,
  /** [def rax (fixed), early def rdx (fixed), use rax (fixed), use divisor]: imm0 = DivKind, imm1 = size. */
  Div: 9,
  /** [def dst, use src]: imm0 = IntUnaryKind, imm1 = size. */
  IntUnary: 10,
  /** [def dst, use lhs, use rhs]: imm0 = IntCond, imm1 = size. */
  Compare: 11,
  /** [def dst, use lhs]: imm0 = IntCond, imm1 = size, imm2/imm3 = immediate low/high. */
  CompareImm: 12,
  /** [def dst, use lhs, use rhs]: imm0 = FloatBinaryKind, imm1 = size. */
  FloatBinary: 13,
  /** [def dst, use src]: imm0 = FloatUnaryKind, imm1 = size. */
  FloatUnary: 14,
  /** [def dst, use lhs, use rhs]: imm0 = FloatCond, imm1 = size. */
  FloatCompare: 15,
  /** [def dst, use src]: imm0 = ConvertKind. */
  Convert: 16,
  /** [def dst, use condition, use ifTrue, use ifFalse]: imm1 = size. */
  Select: 17,
  /** [def dst, use base, use index]: imm0 = LoadKind, imm1 = offset (u32). */
  Load: 18,
  /** [use base, use index, use value]: imm0 = StoreKind, imm1 = offset (u32). */
  Store: 19,
  /** [def dst, use base]: imm0 = LoadKind, imm1 = displacement. */
  LoadBase: 20,
  /** [use base, use value]: imm0 = StoreKind, imm1 = displacement. */
  StoreBase: 21,
  /** [use index, use length]: imm0 = offset (u32), imm1 = access size. */
  BoundsCheck: 22,
  /** [defs: result registers, uses: argument registers]: imm0 = function index. */
  CallDirect: 23,
  /** Same operands: imm0 = import index. */
  CallImport: 24,
  /** [defs: results, uses: arguments, then the table index (any register)]: imm0 = type index, imm1 = table. */
  CallIndirect: 25,
  /** [def rax (fixed) when imm2 ≠ 0, uses: argument registers]: imm0 = builtin id, imm1 = trap reason (0: none), imm2 = 1 for an i32 result, 2 for a 64-bit one. */
  CallBuiltin: 26,
  /** [def dst]: imm0 = StackArea, imm1 = offset, imm2 = size. */
  LoadStackArea: 27,
  /** [use src]: imm0 = StackArea, imm1 = offset, imm2 = size. */
  StoreStackArea: 28,
  /** [uses: result registers]: return. */
  Ret: 29,
  /** []: imm0 = target block. */
  Jump: 30,
  /** [use condition]: imm0 = target when non-zero, imm1 = target when zero. */
  Brif: 31,
  /** [use lhs, use rhs]: imm0 = IntCond | size << 8, imm1 = then, imm2 = else. */
  CmpBranch: 32,
  /** [use lhs]: imm0 = IntCond | size << 8, imm1 = then, imm2 = else, imm3 = immediate (sign-extended). */
  CmpBranchImm: 33,
  /** [use index]: imm0 = first target in VCode.extra, imm1 = target count (the last is the default). */
  BrTable: 34,
  /** [uses: argument registers]: imm0 = function index. */
  ReturnCallDirect: 35,
  /** [uses: argument registers, then the table index]: imm0 = type index, imm1 = table. */
  ReturnCallIndirect: 36,
  /** []: imm0 = TrapReason. */
  Trap: 37,
  /** [def dst, use lhs, use rhs, use ifTrue, use ifFalse]: imm0 = IntCond | size << 8, imm1 = value size (int only). */
  CmpSelect: 38,
} as const;
export type X64Op = (typeof X64Op)[keyof typeof X64Op];
