// The MacroAssembler contract: how the baseline (single-pass) tier talks to an ISA.
//
// Granularity is one Wasm operation (Winch style): the baseline compiler keeps the value stack
// and register allocation, and asks the ISA for "i32.add into dst", never for instruction
// sequences. Operator families fold into one method with a kind enum, so adding an operator is
// a new kind, not a new method. Three-operand forms (`dst, lhs, rhs`) let ISAs with and without
// destructive two-operand instructions implement the same call; an x64 implementation moves lhs
// into dst first when they differ.
//
// Where an ISA needs particular registers (x64 `div` wants rdx:rax, shifts want cl), the method
// receives the `ValueStackContext` and pins them itself; the shared compiler has no ISA cases.
//
// Traps: `trap*` methods and every operation that can trap (div, trapping conversions, bounds
// checks) record a trap site with the Wasm offset last given to `setWasmOffset`, store the reason
// in the VM context and leave through the trap exit (see vmcontext.ts). Labels are the code
// buffer's labels.

import type { CallingConvention } from './abi.ts';
import type { FinishedCode, Label } from './code-buffer.ts';
import type { CpuFeatureSet } from './cpu-features.ts';
import type { MachineRegisters, Reg, RegClass, ScratchRegs } from './regs.ts';
import type { TrapReason } from './trap.ts';
import type { LaneShape, V128BinaryKind, V128LoadKind, V128ReduceKind, V128TernaryKind, V128UnaryKind } from './v128.ts';

/** Width of an integer or float operation. */
export const OperandSize = {
  S32: 32,
  S64: 64,
} as const;
export type OperandSize = (typeof OperandSize)[keyof typeof OperandSize];

/**
 * Width of a whole value where any value may be: an operand size, or `S128` for a v128 in a
 * `Float`-class register (moves, spills, fills, stack areas, `select`, the value stack).
 */
export const ValueSize = {
  S32: 32,
  S64: 64,
  S128: 128,
} as const;
export type ValueSize = (typeof ValueSize)[keyof typeof ValueSize];

/**
 * An integer immediate (64 bits as two 32-bit halves, so no BigInt on the hot path). Mutable on
 * purpose: a compiler keeps one or two and refills them instead of allocating per operator.
 */
export class Imm {
  constructor(
    public lo = 0,
    public hi = 0,
  ) {}
  /** A 32-bit value: negative ones sign-extend to 64 bits, 2^31..2^32-1 (unsigned spellings) zero-extend. */
  static i32(value: number): Imm {
    return new Imm(value | 0, value < 0 ? -1 : 0);
  }
  static i64(lo: number, hi: number): Imm {
    return new Imm(lo | 0, hi | 0);
  }
  set(lo: number, hi: number): this {
    this.lo = lo | 0;
    this.hi = hi | 0;
    return this;
  }
  /** True when the 64-bit value equals the sign extension of its low 32 bits. */
  fitsInI32(): boolean {
    return this.hi === (this.lo < 0 ? -1 : 0);
  }
}

export type RegOrImm = Reg | Imm;
export const isImm = (operand: RegOrImm): operand is Imm => typeof operand === 'object';

export const IntBinaryKind = { Add: 0, Sub: 1, Mul: 2, And: 3, Or: 4, Xor: 5 } as const;
export type IntBinaryKind = (typeof IntBinaryKind)[keyof typeof IntBinaryKind];

export const IntUnaryKind = {
  Clz: 0,
  Ctz: 1,
  Popcnt: 2,
  /** Sign-extend the low 8 / 16 / 32 bits (`i32.extend8_s`, `i64.extend32_s`, …). */
  Extend8S: 3,
  Extend16S: 4,
  Extend32S: 5,
} as const;
export type IntUnaryKind = (typeof IntUnaryKind)[keyof typeof IntUnaryKind];

export const ShiftKind = { Shl: 0, ShrS: 1, ShrU: 2, Rotl: 3, Rotr: 4 } as const;
export type ShiftKind = (typeof ShiftKind)[keyof typeof ShiftKind];

export const DivKind = { SignedDiv: 0, UnsignedDiv: 1, SignedRem: 2, UnsignedRem: 3 } as const;
export type DivKind = (typeof DivKind)[keyof typeof DivKind];

/** Integer conditions, named as Wasm's comparison operators. */
export const IntCond = {
  Eq: 0,
  Ne: 1,
  LtS: 2,
  LtU: 3,
  GtS: 4,
  GtU: 5,
  LeS: 6,
  LeU: 7,
  GeS: 8,
  GeU: 9,
} as const;
export type IntCond = (typeof IntCond)[keyof typeof IntCond];

/** Float conditions; every one is false on NaN operands except `Ne`, as in Wasm. */
export const FloatCond = { Eq: 0, Ne: 1, Lt: 2, Gt: 3, Le: 4, Ge: 5 } as const;
export type FloatCond = (typeof FloatCond)[keyof typeof FloatCond];

export const FloatBinaryKind = { Add: 0, Sub: 1, Mul: 2, Div: 3, Min: 4, Max: 5, Copysign: 6 } as const;
export type FloatBinaryKind = (typeof FloatBinaryKind)[keyof typeof FloatBinaryKind];

export const FloatUnaryKind = { Abs: 0, Neg: 1, Sqrt: 2, Ceil: 3, Floor: 4, Trunc: 5, Nearest: 6 } as const;
export type FloatUnaryKind = (typeof FloatUnaryKind)[keyof typeof FloatUnaryKind];

/** Every Wasm numeric conversion; the `Trunc*` kinds trap, the `TruncSat*` kinds saturate. */
export const ConvertKind = {
  I32WrapI64: 0,
  I64ExtendI32S: 1,
  I64ExtendI32U: 2,
  I32TruncF32S: 3,
  I32TruncF32U: 4,
  I32TruncF64S: 5,
  I32TruncF64U: 6,
  I64TruncF32S: 7,
  I64TruncF32U: 8,
  I64TruncF64S: 9,
  I64TruncF64U: 10,
  I32TruncSatF32S: 11,
  I32TruncSatF32U: 12,
  I32TruncSatF64S: 13,
  I32TruncSatF64U: 14,
  I64TruncSatF32S: 15,
  I64TruncSatF32U: 16,
  I64TruncSatF64S: 17,
  I64TruncSatF64U: 18,
  F32ConvertI32S: 19,
  F32ConvertI32U: 20,
  F32ConvertI64S: 21,
  F32ConvertI64U: 22,
  F64ConvertI32S: 23,
  F64ConvertI32U: 24,
  F64ConvertI64S: 25,
  F64ConvertI64U: 26,
  F32DemoteF64: 27,
  F64PromoteF32: 28,
  I32ReinterpretF32: 29,
  I64ReinterpretF64: 30,
  F32ReinterpretI32: 31,
  F64ReinterpretI64: 32,
} as const;
export type ConvertKind = (typeof ConvertKind)[keyof typeof ConvertKind];

/** Memory loads: result class and width, and how narrow values extend. `V128` loads 16 bytes. */
export const LoadKind = {
  I32: 0,
  I64: 1,
  F32: 2,
  F64: 3,
  I32Load8S: 4,
  I32Load8U: 5,
  I32Load16S: 6,
  I32Load16U: 7,
  I64Load8S: 8,
  I64Load8U: 9,
  I64Load16S: 10,
  I64Load16U: 11,
  I64Load32S: 12,
  I64Load32U: 13,
  V128: 14,
} as const;
export type LoadKind = (typeof LoadKind)[keyof typeof LoadKind];

/** Bytes read by each `LoadKind`, indexed by kind. */
export const LOAD_ACCESS_SIZE: readonly number[] = [4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 16];

/** Memory stores: source class and how many low bytes are written. `V128` stores 16 bytes. */
export const StoreKind = { I32: 0, I64: 1, F32: 2, F64: 3, Store8: 4, Store16: 5, Store32: 6, V128: 7 } as const;
export type StoreKind = (typeof StoreKind)[keyof typeof StoreKind];

/** Bytes written by each `StoreKind`, indexed by kind. */
export const STORE_ACCESS_SIZE: readonly number[] = [4, 8, 4, 8, 1, 2, 4, 16];

/**
 * The two stack-argument areas a function sees. `Incoming`: the area its caller reserved for this
 * call (stack parameters, then stack results: see `computeCallLayout`). `Outgoing`: the area this
 * function reserved with `reserveStack` for a call it is about to make. Offsets count bytes from
 * the start of the area, which is where `computeCallLayout` offsets start.
 */
export const StackArea = { Incoming: 0, Outgoing: 1 } as const;
export type StackArea = (typeof StackArea)[keyof typeof StackArea];

/**
 * A frame slot: a positive byte offset into the frame area that `prologue(frameSize)` reserved.
 * A slot of n bytes at offset s occupies [frameTop - s, frameTop - s + n), where frameTop is the
 * start of the area (below the ISA's frame header), so valid n-byte slots are n ≤ s ≤ frameSize.
 */
export type FrameSlot = number;

/**
 * The baseline compiler's value stack as an ISA sees it, for the operations that must pin
 * registers. Operands are popped right to left (`rhs` first), as Wasm evaluates them.
 */
export interface ValueStackContext {
  /** Pops the top value into exactly `reg`, moving or spilling whatever occupied `reg` first. */
  popToReg(reg: Reg, size: ValueSize): void;
  /** Pops the top value into some register of `cls` and returns it (now owned by the caller). */
  popToAnyReg(cls: RegClass): Reg;
  /** Makes `reg` free for the caller's use, spilling its current value if needed. */
  claimReg(reg: Reg): void;
  /** Returns a register claimed or popped by the caller to the allocator. */
  freeReg(reg: Reg): void;
  /** Pushes the value held in `reg` (which the value stack now owns) as a result (`S128`: a v128). */
  pushReg(reg: Reg, size: ValueSize): void;
}

export interface MacroAssemblerOptions {
  /** Initial code-buffer capacity, in bytes. */
  readonly initialCapacity?: number;
  /**
   * The optional CPU features the generated code may use (see cpu-features.ts); everything else
   * gets the ISA's fallback. Default: none, i.e. code that runs on every CPU of the ISA.
   */
  readonly cpuFeatures?: CpuFeatureSet;
}

/** One function's worth of baseline code generation for one ISA. */
export interface MacroAssembler {
  readonly registers: MachineRegisters;
  readonly callingConvention: CallingConvention;
  readonly scratch: ScratchRegs;
  /** Current code offset. */
  readonly offset: number;

  /** The Wasm byte offset of the operator being compiled; trap sites record it. */
  setWasmOffset(wasmOffset: number): void;

  // --- frame ---------------------------------------------------------------------------------
  /**
   * Function entry: set up the frame, reserve `frameSize` bytes for locals and spills, and trap
   * with `call stack exhausted` if the stack pointer would fall below the VM context's limit.
   */
  prologue(frameSize: number): void;
  /** Tear down the frame and return to the caller (results already in result registers). */
  epilogue(): void;
  /** Grow / shrink the frame by `bytes` during the function (outgoing stack arguments). */
  reserveStack(bytes: number): void;
  freeStack(bytes: number): void;
  spill(slot: FrameSlot, src: Reg, size: ValueSize): void;
  fill(dst: Reg, slot: FrameSlot, size: ValueSize): void;
  /** dst (either class) ← the value at byte `offset` of a stack-argument area (stack parameters, stack results). */
  loadStackArea(area: StackArea, dst: Reg, offset: number, size: ValueSize): void;
  /** The value in `src` (either class) → byte `offset` of a stack-argument area. */
  storeStackArea(area: StackArea, src: Reg, offset: number, size: ValueSize): void;

  // --- moves and constants ------------------------------------------------------------------
  /** dst ← src within one class; dst ← immediate for integer registers (sizes 32 and 64). */
  move(dst: Reg, src: RegOrImm, size: ValueSize): void;
  /** Float register ← constant given as raw IEEE bits (f32: `lo`; f64: `lo`/`hi`). */
  loadFloatConstant(dst: Reg, size: OperandSize, lo: number, hi: number): void;
  /** Pointer-sized load `dst ← [base + offset]` (VM-context fields, records). */
  loadPtr(dst: Reg, base: Reg, offset: number): void;
  storePtr(src: Reg, base: Reg, offset: number): void;

  // --- integer and float arithmetic ------------------------------------------------------------
  intBinary(kind: IntBinaryKind, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void;
  intUnary(kind: IntUnaryKind, size: OperandSize, dst: Reg, src: Reg): void;
  /** Pops the shift amount and the value from `ctx` and pushes the result (x64 pins cl). */
  shift(ctx: ValueStackContext, kind: ShiftKind, size: OperandSize): void;
  shiftImm(kind: ShiftKind, size: OperandSize, dst: Reg, src: Reg, amount: number): void;
  /**
   * Pops divisor and dividend from `ctx`, traps on division by zero (and on signed overflow for
   * `SignedDiv`), pushes the result. The ISA pins any registers it needs through `ctx`.
   */
  div(ctx: ValueStackContext, kind: DivKind, size: OperandSize): void;
  /** dst (int) ← 1 if `lhs cond rhs` else 0. */
  intCompare(cond: IntCond, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void;
  floatBinary(kind: FloatBinaryKind, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void;
  floatUnary(kind: FloatUnaryKind, size: OperandSize, dst: Reg, src: Reg): void;
  /** dst (int) ← 1 if `lhs cond rhs` else 0, with Wasm's NaN semantics. */
  floatCompare(cond: FloatCond, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void;
  /** Numeric conversion; trapping kinds record trap sites. `dst`/`src` classes follow the kind. */
  convert(kind: ConvertKind, dst: Reg, src: Reg): void;
  /** dst ← (condition ≠ 0) ? ifTrue : ifFalse; `condition` is an i32 in an int register. */
  select(size: ValueSize, dst: Reg, condition: Reg, ifTrue: Reg, ifFalse: Reg): void;

  // --- linear memory --------------------------------------------------------------------------
  /**
   * Explicit bounds check: traps with `out of bounds memory access` unless
   * `index + offset + accessSize <= length(memory)`, computed without wrap-around.
   * `index` holds an i32 (zero-extended) or, for memory64, an i64.
   */
  boundsCheck(memory: number, index: Reg, indexSize: OperandSize, offset: number, accessSize: number): void;
  /** dst ← base of `memory` + zero-extended index (call after `boundsCheck`). */
  heapAddress(dst: Reg, memory: number, index: Reg, indexSize: OperandSize): void;
  load(kind: LoadKind, dst: Reg, base: Reg, offset: number): void;
  store(kind: StoreKind, src: Reg, base: Reg, offset: number): void;

  // --- v128 (see v128.ts) ----------------------------------------------------------------------
  // Vector registers are of the `Float` class. Destinations may equal any source; sources are
  // left unchanged unless they are the destination. Lane indices are in range (validated).

  /** dst ← the 16 bytes `bytes[at..at+16)` (little-endian lane order, as in `v128.const`). */
  loadV128Constant(dst: Reg, bytes: Uint8Array, at: number): void;
  /** dst ← every lane `src`: an integer register for the integer shapes, a float register for F32x4/F64x2. */
  v128Splat(shape: LaneShape, dst: Reg, src: Reg): void;
  /**
   * dst ← lane `lane` of `src`: an i32 (sign- or zero-extended by `signed` for I8x16/I16x8), an
   * i64, or an f32/f64 in a float register.
   */
  v128ExtractLane(shape: LaneShape, signed: boolean, dst: Reg, src: Reg, lane: number): void;
  /** dst ← `vector` with lane `lane` replaced by `value` (integer or float register by shape). */
  v128ReplaceLane(shape: LaneShape, dst: Reg, vector: Reg, value: Reg, lane: number): void;
  /** `i8x16.shuffle`: dst byte i ← byte `bytes[at + i]` of the 32-byte concatenation lhs:rhs. */
  v128Shuffle(dst: Reg, lhs: Reg, rhs: Reg, bytes: Uint8Array, at: number): void;
  v128Unary(kind: V128UnaryKind, dst: Reg, src: Reg): void;
  v128Binary(kind: V128BinaryKind, dst: Reg, lhs: Reg, rhs: Reg): void;
  /**
   * Pops c, b, a from `ctx` (c on top), pushes the result (`ValueSize.S128`). The ISA may pin registers
   * (x64's SSE4.1 `pblendvb` reads its mask from xmm0).
   */
  v128Ternary(ctx: ValueStackContext, kind: V128TernaryKind): void;
  /** Lane-wise comparison of an integer shape to all-ones/all-zeros lanes (I64x2: signed and Eq/Ne only). */
  v128IntCompare(shape: LaneShape, cond: IntCond, dst: Reg, lhs: Reg, rhs: Reg): void;
  /** Lane-wise comparison of F32x4/F64x2, with Wasm's NaN rules (only `Ne` is true on NaN). */
  v128FloatCompare(shape: LaneShape, cond: FloatCond, dst: Reg, lhs: Reg, rhs: Reg): void;
  /**
   * Shift of an integer shape by `amount` (an i32 register, or a constant) taken modulo the
   * lane width; `kind` is Shl, ShrS or ShrU.
   */
  v128Shift(shape: LaneShape, kind: ShiftKind, dst: Reg, src: Reg, amount: RegOrImm): void;
  /** dst (int) ← an i32 from `src`: any_true, all_true, bitmask. */
  v128Reduce(kind: V128ReduceKind, dst: Reg, src: Reg): void;
  /** Widening, replicating or zero-filling load into a vector register (after `boundsCheck`). */
  v128Load(kind: V128LoadKind, dst: Reg, base: Reg, offset: number): void;
  /** Lane `lane` of `dst` ← `laneBits` bits at [base + offset]; the other lanes are kept. */
  v128LoadLane(laneBits: 8 | 16 | 32 | 64, dst: Reg, base: Reg, offset: number, lane: number): void;
  /** [base + offset] ← lane `lane` of `src` (`laneBits` bits). */
  v128StoreLane(laneBits: 8 | 16 | 32 | 64, src: Reg, base: Reg, offset: number, lane: number): void;

  // --- control flow ---------------------------------------------------------------------------
  newLabel(): Label;
  bind(label: Label): void;
  jump(target: Label): void;
  branchIf(cond: IntCond, size: OperandSize, lhs: Reg, rhs: RegOrImm, target: Label): void;
  /** Branches when `reg` is zero (or non-zero with `ifNonZero`): `br_if`, `if`. */
  branchOnZero(reg: Reg, size: OperandSize, target: Label, ifNonZero?: boolean): void;
  /** `br_table`: jumps to `targets[index]`, or to `defaultTarget` when index ≥ targets.length. */
  jumpTable(index: Reg, targets: readonly Label[], defaultTarget: Label): void;

  // --- calls (arguments already placed per `callingConvention`) ------------------------------
  /** Calls function `funcIndex` of this module through the VM context's jump table. */
  callDirect(funcIndex: number): void;
  /** Calls imported function `importIndex`, switching to and back from the callee's VM context. */
  callImport(importIndex: number): void;
  /**
   * `call_indirect`: loads element `index` of `table`, traps on out-of-bounds index, null entry or
   * a canonical type id different from the one of `typeIndex`, then calls it.
   */
  callIndirect(table: number, typeIndex: number, index: Reg): void;
  /** Calls runtime builtin `builtinId` through the VM context's builtin table. */
  callBuiltin(builtinId: number): void;
  /** Jumps to the code address in `target` (an integer register): debug code moving to other debug code. */
  jumpIndirect(target: Reg): void;
  /**
   * `return_call`: tears down this function's frame and jumps to function `funcIndex` of this
   * module through the jump table, so the callee returns straight to this function's caller and
   * the stack does not grow. Arguments are already in their registers (register arguments only).
   */
  returnCallDirect(funcIndex: number): void;
  /**
   * `return_call_indirect`: the checks of `callIndirect`, then a tail call as `returnCallDirect`
   * when the callee shares this function's VM context; a callee of another instance is called
   * normally and this function returns its results (so the caller gets its VM context back).
   */
  returnCallIndirect(table: number, typeIndex: number, index: Reg): void;

  /**
   * The interrupt poll, at function entry (after the prologue), loop headers and tail calls:
   * decrements `VMCTX_POLL_COUNTDOWN` and, when it runs out, calls builtin `Builtin.Poll` out of
   * line and traps with `TrapReason.Interrupted` when it answers 0. Like a call, the slow path
   * clobbers every register the host's C convention lets a callee clobber (the baseline tier polls
   * where no value lives in one); with `preserveRegisters` it saves and restores them all around
   * the call instead (the optimizing tier polls with values in registers). The fast path changes
   * no register but the flags.
   */
  pollInterrupt(preserveRegisters?: boolean): void;
  /**
   * Fuel metering (code compiled with fuel only): subtracts `cost` (1 ≤ cost < 2^31) from the
   * thread's `HostState.fuel` and traps with `TrapReason.FuelExhausted` when the result is
   * negative. Changes no register but the MacroAssembler's scratch registers and the flags.
   */
  consumeFuel(cost: number): void;

  // --- traps ----------------------------------------------------------------------------------
  trap(reason: TrapReason): void;
  trapIf(cond: IntCond, size: OperandSize, lhs: Reg, rhs: RegOrImm, reason: TrapReason): void;
  trapIfZero(reg: Reg, size: OperandSize, reason: TrapReason): void;

  /** Emits out-of-line code and the constant pool and resolves labels. */
  finish(): FinishedCode;
  /**
   * Starts another function in this MacroAssembler: forgets the code, labels, pending out-of-line
   * code and trap sites of the previous one (finished or abandoned after a bailout) but keeps
   * its grown buffers. What follows must emit exactly what a fresh MacroAssembler would.
   */
  reset(): void;
}
