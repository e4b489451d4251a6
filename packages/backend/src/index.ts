export { CodeBuffer, CodeBufferError } from './code-buffer.ts';
export type { CallSite, CodeBufferOptions, FinishedCode, FixupPatcher, Label, LabelUseKind, LabelUses, TrapSite } from './code-buffer.ts';
export { RelocKind, RelocTarget } from './reloc.ts';
export type { Relocation } from './reloc.ts';
export { NO_TRAP, TrapReason, isTrapReason, trapMessage } from './trap.ts';
export { BackendBailout, BailoutReason, isBackendBailout } from './bailout.ts';
export {
  EMPTY_REG_SET,
  RegClass,
  forEachReg,
  hwEncodingOf,
  isFloatReg,
  isIntReg,
  makeReg,
  regClassOf,
  regName,
  regSetAdd,
  regSetCount,
  regSetFirst,
  regSetHas,
  regSetOf,
  regSetRemove,
  regSetToArray,
} from './regs.ts';
export type { ExcludedRegister, MachineRegisters, Reg, RegClassDescription, RegSet, ScratchRegs } from './regs.ts';
export { REFERENCE_TYPE_BIT, ValueKind, computeCallLayout, valueKindClass, valueKindOf, valueKindSize } from './abi.ts';
export type { CallLayout, CallingConvention, Signature, ValueLocation } from './abi.ts';
export {
  FuncRefRecord,
  GLOBAL_SLOT_SIZE,
  ImportRecord,
  JUMP_TABLE_ENTRY_SIZE,
  MemoryRecord,
  TableRecord,
  VMCTX_BUILTINS,
  VMCTX_GLOBALS,
  VMCTX_HOST_STATE,
  VMCTX_IMPORTED_FUNCTIONS,
  VMCTX_JUMP_TABLE,
  VMCTX_MEMORIES,
  VMCTX_MEMORY0_BASE,
  VMCTX_MEMORY0_LENGTH,
  VMCTX_POLL_COUNTDOWN,
  VMCTX_SAVED_HOST_SP,
  VMCTX_SIGNATURE_IDS,
  VMCTX_SIZE,
  VMCTX_STACK_LIMIT,
  VMCTX_TABLES,
  VMCTX_TIERING_BUDGETS,
  VMCTX_TRAP_EXIT,
  VMCTX_TRAP_PC,
  VMCTX_TRAP_REASON,
  VMContextFieldSize,
  VMContextLayout,
} from './vmcontext.ts';
export {
  ConvertKind,
  DivKind,
  FloatBinaryKind,
  FloatCond,
  FloatUnaryKind,
  Imm,
  IntBinaryKind,
  IntCond,
  IntUnaryKind,
  LOAD_ACCESS_SIZE,
  LoadKind,
  OperandSize,
  STORE_ACCESS_SIZE,
  ShiftKind,
  StackArea,
  StoreKind,
  TIER_UP_COST_MAX,
  ValueSize,
  isImm,
} from './masm.ts';
export type { FrameSlot, MacroAssembler, MacroAssemblerOptions, RegOrImm, ValueStackContext } from './masm.ts';
export {
  LANE_BITS,
  LANE_COUNT,
  LaneShape,
  V128BinaryKind,
  V128LoadKind,
  V128ReduceKind,
  V128TernaryKind,
  V128UnaryKind,
  V128_LOAD_ACCESS_SIZE,
} from './v128.ts';
export { IR_OP_COUNT, IrOp, isTerminatorOp } from './lowering.ts';
export type { IsaLowering, LoweringFunction, LoweringOptions, MachineEnv } from './lowering.ts';
export { LoweringKit, bitsOf, pollBlocks, threadJumps } from './lowering-kit.ts';
export type { LoweringKitOpcodes } from './lowering-kit.ts';
export { Allocation, EditKind, FIRST_VIRTUAL_REG, InstFlag, OperandKind, SPILL_SLOT_SIZE, VCode, spillSlotOffset } from './vcode.ts';
export { ENTRY_VALUE_SLOT_SIZE, HostState, TRAP_FRAME_CAPACITY, VALUE_FRAME_HEADER, valueFrameBytes, withCpuFeatures } from './backend.ts';
export { CpuFeatureError, CpuFeatureSet, NO_OPTIONAL_CPU_FEATURES } from './cpu-features.ts';
export type { CpuFeatureSupport } from './cpu-features.ts';
export type { Backend, NativeRoutines } from './backend.ts';
export type { CpuFeatureCap, IsaDescriptor, IsaEmulator } from './isa.ts';
export { BUILTIN_CAN_TRAP, BUILTIN_COUNT, BUILTIN_MAX_ARGS, Builtin } from './builtins.ts';
