// The lowering contract: how the optimizing tier talks to an ISA.
//
//   Wasm ──SSA build──▶ IR ──passes──▶ IR ──IsaLowering.lower──▶ VCode (ISA instructions on vregs)
//        ──register allocation (shared, in the tier)──▶ Allocation ──IsaLowering.emit──▶ FinishedCode
//
// The tier owns the IR, the passes and the register allocator; an ISA supplies only instruction
// selection (`lower`), its register description (`env`) and encoding (`emit`), as in Cranelift's
// machinst split. The ISA sees the IR through `LoweringFunction`, a read-only view whose
// vocabulary is defined here (`IrOp`), so no codegen package depends on the tier. Operator
// families reuse the MacroAssembler's kind enums (`IntBinaryKind`, `IntCond`, `ConvertKind`,
// `LoadKind`, …): one vocabulary for both tiers.
//
// What emitted code owes the runtime, as the baseline tier's does (stack traces and the
// debugger depend on it): a frame-pointer chain in every frame (see `Backend.emitTrapExit`), a
// trap site for every trap with its Wasm offset (`CodeBuffer.addTrapSite`), and a call site for
// every call (`CodeBuffer.addCallSite`: return address → Wasm offset of the calling operator).
// When this tier inlines, a site inside inlined code names the innermost function's operator, and
// the sites will carry the chain of enclosing calls (function index, Wasm offset of the call) so
// that the runtime expands one machine frame into one frame per inlined function
// (`framesAtSite` in the runtime's observe/stack-trace.ts is where that expansion goes).

import type { CallLayout, ValueKind } from './abi.ts';
import type { CpuFeatureSet } from './cpu-features.ts';
import type { FinishedCode } from './code-buffer.ts';
import type { Reg } from './regs.ts';
import type { Allocation, VCode } from './vcode.ts';

/**
 * The IR's operations. Each instruction has an `op`, a `kind` (the family's kind enum), a `type`
 * (the `ValueKind` of its result; for ops without results, of the operation), three integer
 * immediates `imm0..imm2`, argument values, result values and, for terminators, targets (a block
 * plus the values passed to its parameters). Per op:
 *
 * | op | kind | immediates | args → results |
 * |---|---|---|---|
 * | Iconst | – | imm0/imm1: low/high 32 bits | → value (I32, I64 or Ref) |
 * | Fconst | – | imm0/imm1: low/high IEEE bits | → value (F32, F64) |
 * | Copy | – | – | x → x |
 * | IntBinary | IntBinaryKind | – | lhs, rhs → value |
 * | Shift | ShiftKind | – | value, amount → value (amount masked as in Wasm) |
 * | Div | DivKind | – | dividend, divisor → value; traps (divide by zero, overflow) |
 * | IntUnary | IntUnaryKind | – | x → value |
 * | IntCompare | IntCond | – | lhs, rhs → I32 (0 or 1) |
 * | FloatBinary / FloatUnary | FloatBinaryKind / FloatUnaryKind | – | as the integer ones |
 * | FloatCompare | FloatCond | – | lhs, rhs → I32 |
 * | Convert | ConvertKind | – | x → value; the `Trunc*` kinds trap |
 * | Select | – | – | condition (I32), ifTrue, ifFalse → value |
 * | MemoryBase | – | imm1: memory | → I64 address of byte 0 (growth may move it: calls and memory.grow) |
 * | MemoryLength | – | imm1: memory | → I64 byte length (grows across calls and memory.grow) |
 * | BoundsCheck | access size | imm0: offset (u32), imm1: memory | index (I32), length → (); traps unless index + offset + size ≤ length |
 * | Load | LoadKind | imm0: offset (u32), imm1: memory | base, index (I32) → value from base + index + offset |
 * | Store | StoreKind | imm0: offset (u32), imm1: memory | base, index, value → () |
 * | GlobalGet / GlobalSet | – | imm0: global, imm1: 1 when imported (the slot holds a pointer to the cell), imm2: 1 when mutable | (value) → (value) |
 * | Call | – | imm0: function index, imm1: 1 when imported | args → results |
 * | CallIndirect | – | imm0: type index, imm1: table | args…, table index → results |
 * | CallBuiltin | Builtin id | imm0/imm1: the constant argument `a`, imm2: TrapReason to raise when it reports one (0: none) | b, c, d → (I32, I64 or Ref) |
 * | Jump | – | – | targets: [target] |
 * | Brif | – | – | condition (I32); targets: [then, else] |
 * | BrTable | – | – | index (I32); targets: [t0 … tn-1, default], none with arguments |
 * | Return | – | – | results → (terminator) |
 * | ReturnCall / ReturnCallIndirect | as Call / CallIndirect | | terminators (tail calls) |
 * | Trap | – | imm0: TrapReason | terminator |
 */
export const IrOp = {
  Iconst: 0,
  Fconst: 1,
  Copy: 2,
  IntBinary: 3,
  Shift: 4,
  Div: 5,
  IntUnary: 6,
  IntCompare: 7,
  FloatBinary: 8,
  FloatUnary: 9,
  FloatCompare: 10,
  Convert: 11,
  Select: 12,
  MemoryBase: 13,
  MemoryLength: 14,
  BoundsCheck: 15,
  Load: 16,
  Store: 17,
  GlobalGet: 18,
  GlobalSet: 19,
  Call: 20,
  CallIndirect: 21,
  CallBuiltin: 22,
  Jump: 23,
  Brif: 24,
  BrTable: 25,
  Return: 26,
  ReturnCall: 27,
  ReturnCallIndirect: 28,
  Trap: 29,
} as const;
export type IrOp = (typeof IrOp)[keyof typeof IrOp];

/** Number of IR operations (tables indexed by op have this many rows). */
export const IR_OP_COUNT = 30;

/** True for the ops that end a block. */
export const isTerminatorOp = (op: number): boolean => op >= IrOp.Jump;

/**
 * An optimized IR function as the ISA sees it: blocks in layout order (block 0 is the entry, whose
 * parameters are the function's parameters), every critical edge split, and block arguments only
 * on `Jump`s. Instructions and values are small integers; -1 means "none".
 */
export interface LoweringFunction {
  /** The function's own parameters and results under the Wasm calling convention. */
  readonly layout: CallLayout;
  readonly blockCount: number;
  readonly valueCount: number;
  blockParamCount(block: number): number;
  blockParam(block: number, index: number): number;
  firstInst(block: number): number;
  nextInst(inst: number): number;
  instBlock(inst: number): number;
  op(inst: number): IrOp;
  kind(inst: number): number;
  type(inst: number): ValueKind;
  imm0(inst: number): number;
  imm1(inst: number): number;
  imm2(inst: number): number;
  /** Module byte offset of the Wasm operator the instruction came from (trap sites), or -1. */
  wasmOffset(inst: number): number;
  argCount(inst: number): number;
  arg(inst: number, index: number): number;
  resultCount(inst: number): number;
  result(inst: number, index: number): number;
  targetCount(inst: number): number;
  targetBlock(inst: number, target: number): number;
  targetArgCount(inst: number, target: number): number;
  targetArg(inst: number, target: number, index: number): number;
  valueKind(value: number): ValueKind;
  /** The instruction defining `value`, or -1 for a block parameter. */
  definingInst(value: number): number;
  /** How many argument positions (branch arguments included) read `value`. */
  useCount(value: number): number;
  /** The instruction of `value`'s only use when `useCount(value)` is 1, else -1. */
  soleUser(value: number): number;
  /** Layout of a call's signature (Call, CallIndirect, ReturnCall, ReturnCallIndirect). */
  callLayout(inst: number): CallLayout;
}

/** What the register allocator needs to know about the machine (regalloc2's `MachineEnv`). */
export interface MachineEnv {
  /** Allocatable registers per class (indexed by `RegClass`), in order of preference. */
  readonly allocatable: readonly (readonly Reg[])[];
  /** Per class, a register never allocated: the allocator breaks move cycles and memory-to-memory moves through it. */
  readonly scratch: readonly Reg[];
}

export interface LoweringOptions {
  /** The optional CPU features the code may use (the MacroAssembler's `cpuFeatures`). */
  readonly cpuFeatures?: CpuFeatureSet;
}

/** One ISA's side of the optimizing tier. One instance per compiler (it keeps reusable buffers). */
export interface IsaLowering {
  readonly env: MachineEnv;
  /**
   * Instruction selection: appends the ISA instructions of every block of `fn` to `vcode`, whose
   * blocks the tier has already described (see `VCode.beginBlock`). Throws `BackendBailout` for
   * anything the ISA cannot lower.
   */
  lower(fn: LoweringFunction, vcode: VCode): void;
  /** Encodes `vcode` with the registers, spills and moves of `allocation`. */
  emit(vcode: VCode, allocation: Allocation): FinishedCode;
}
