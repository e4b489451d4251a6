// The baseline compiler: one pass over a function body, straight to machine code through the
// backend's MacroAssembler, no IR (V8's Liftoff, Wasmtime's Winch).
//
//   operator loop (decoder) ──visit──▶ BaselineCompiler ──one Wasm operation──▶ MacroAssembler
//                                         │ value stack (value-stack.ts): reg / slot / const / local
//                                         │ register allocator (regalloc.ts): bitsets, spill oldest
//                                         └ control frames and merges (control.ts)
//
// Frame layout (frame slots are byte offsets into the area the prologue reserves), with S = 8,
// or 16 in the functions of a module that uses v128 (every slot can then hold a v128):
//   local i                     → slot (i + 1) * S
//   value-stack position p      → slot localsBytes + (p + 1) * S   (its spill slot)
// The frame size must be known at the prologue, before the pass has seen the deepest stack, so the
// pass starts with a guess and runs once more with the exact size when the guess was too small.
//
// This file: entry point, prologue and locals, the value-stack helpers every visitor family uses,
// and dispatch by operator id. One instance is reused across functions (and modules); it holds
// no global state, so each worker thread can own one.

import {
  BackendBailout,
  BailoutReason,
  BUILTIN_CAN_TRAP,
  Builtin,
  ConvertKind,
  Imm,
  IntCond,
  OperandSize,
  RegClass,
  StackArea,
  VMCTX_TRAP_REASON,
  ValueKind,
  computeCallLayout,
  regClassOf,
  valueKindOf,
  type Backend,
  type CallLayout,
  type FinishedCode,
  type Label,
  type MacroAssembler,
  type Reg,
  type TrapReason,
  type ValueSize,
  type ValueStackContext,
} from '@flint/backend';
import {
  Op,
  OperatorReader,
  type FunctionBody,
  type FunctionCompileInput,
  type FuncType,
  type Immediates,
  type Module,
  type OperatorInfo,
  type OperatorVisitor,
} from '@flint/decoder';
import { ControlStack, visitControl } from './control.ts';
import { baselineSlotSize, type DebugCodeRequest } from './debug.ts';
import { ENDS_FUEL_RUN, FUEL_COST } from './fuel.ts';
import { FAMILY, Family } from './operators.ts';
import { RegAllocator } from './regalloc.ts';
import { Loc, SLOT_SIZE, ValueStack, classOfKind, isFloatKind, sizeOfKind } from './value-stack.ts';
import { visitBulk } from './visitor/bulk.ts';
import { visitCall } from './visitor/calls.ts';
import { visitConversion } from './visitor/conversions.ts';
import { visitMemory } from './visitor/memory.ts';
import { visitNumeric } from './visitor/numeric.ts';
import { visitReference } from './visitor/references.ts';
import { visitSimd } from './visitor/simd.ts';
import { visitTable } from './visitor/tables.ts';
import { visitVariable } from './visitor/variables.ts';

/** Where compile time goes; pass one object to many compilations to accumulate. */
export interface CompileStats {
  functions: number;
  /** Bytes of operator code read (function bodies without local declarations). */
  bodyBytes: number;
  /** Bytes of machine code produced. */
  codeBytes: number;
  operators: number;
  /** Functions compiled twice because the first frame-size guess was too small. */
  recompiles: number;
  /** Wall time of whole compilations, `finishMilliseconds` included. */
  milliseconds: number;
  /** Part of `milliseconds` spent in `MacroAssembler.finish` (trap stubs, pool, label fix-ups). */
  finishMilliseconds: number;
}

export function createCompileStats(): CompileStats {
  return { functions: 0, bodyBytes: 0, codeBytes: 0, operators: 0, recompiles: 0, milliseconds: 0, finishMilliseconds: 0 };
}

export interface CompileOptions {
  /** Accumulates counts and time (`performance.now()` around each function). */
  readonly stats?: CompileStats;
  /** Compile debug code with these break sites (see debug.ts). */
  readonly debug?: DebugCodeRequest;
  /** Compile fuel metering in: the code charges each operator's cost to the thread's fuel (fuel.ts). */
  readonly fuel?: boolean;
}

/** Locals beyond this many are refused rather than given a frame the stack limit would reject anyway. */
const MAX_LOCALS = 50_000;
/** First guess of the spill area, in value-stack slots; most functions stay within it. */
const INITIAL_SPILL_SLOTS = 8;

/** The part of a `Backend` the baseline compiler uses. */
type CompilerBackend = Pick<Backend, 'registers' | 'callingConvention' | 'createMacroAssembler'>;

export class BaselineCompiler implements OperatorVisitor, ValueStackContext {
  readonly backend: CompilerBackend;
  masm!: MacroAssembler;
  private reusedMasm: MacroAssembler | null = null;
  readonly stack = new ValueStack();
  readonly regs: RegAllocator;
  readonly control = new ControlStack();
  /** Two reusable immediates: operators fill them instead of allocating. */
  readonly imm = new Imm();
  readonly imm2 = new Imm();
  private readonly reader = new OperatorReader();

  // Per-module state, rebuilt when the module changes.
  module!: Module;
  private layoutModule: Module | null = null;
  private layouts: (CallLayout | undefined)[] = [];
  /** Declared minimum size of memory 0 in bytes: accesses below it need no bounds check. */
  memory0MinBytes = 0;
  /** Bytes per frame slot: `V128_SLOT_SIZE` when the module uses v128, else `SLOT_SIZE`. */
  slotSize = SLOT_SIZE;

  // Per-function state.
  funcIndex = 0;
  funcTypeIndex = 0;
  localKinds = new Uint8Array(64);
  numLocals = 0;
  localsBytes = 0;
  /** Value-stack spill slots in this pass's frame, and whether the pass needed more. */
  private spillSlots = INITIAL_SPILL_SLOTS;
  private frameOverflow = false;
  /** False after an unconditional transfer (br, return, unreachable…) until the next join. */
  reachable = true;
  /** Blocks opened inside unreachable code, skipped without emitting. */
  deadDepth = 0;
  private operators = 0;
  private stats: CompileStats | undefined = undefined;
  /** Debug code: the request being compiled (debug.ts), else undefined. */
  private debug: DebugCodeRequest | undefined = undefined;
  /** Fuel metering (fuel.ts): on for this compilation, and the cost of the run not charged yet. */
  private fuel = false;
  private pendingFuel = 0;
  /**
   * Compare fusion (Liftoff's look-ahead): an integer comparison or `eqz` right before `br_if` or
   * `if` is not materialized as 0/1; its operands stay in registers and the branch tests the
   * condition directly. `fusedRhs` is -1 when the right operand is `fusedImm`.
   */
  fused = false;
  /**
   * Local register cache (Liftoff's cache state), valid within a basic block: `cachedReg[x]` holds
   * local x's current value (its slot holds it too: stores are write-through), or -1. A cached
   * register belongs to the cache alone, never to the value stack. Dropped at every control or
   * call operator and before builtins; given up first when the allocator runs dry.
   */
  cachedReg = new Int32Array(64).fill(-1);
  /** The locals with a cached register, `cachedCount` of them. */
  private cachedLocals = new Int32Array(16);
  private cachedCount = 0;
  /** The `local.get` about to be visited was answered by the `local.set`/`local.tee` before it. */
  localGetAnswered = false;
  fusedCond: IntCond = IntCond.Eq;
  fusedSize: OperandSize = OperandSize.S32;
  fusedLhs: Reg = -1;
  fusedRhs: Reg = -1;
  readonly fusedImm = new Imm();
  private code: Uint8Array = new Uint8Array(0);
  private codeOffset = 0;
  /** The static offset to add to the register `popAddress` (visitor/memory.ts) returned. */
  accessOffset = 0;
  private opOffset = 0;
  /** Scratch of control.ts, reused across operators: branch temporaries, br_table labels and stubs. */
  readonly branchTemps = new Int32Array(2);
  readonly tableLabels: Label[] = [];
  stubLabels = new Int32Array(16);

  constructor(backend: CompilerBackend) {
    this.backend = backend;
    this.regs = new RegAllocator(backend.registers);
  }

  /** Compiles one function body to finished machine code. */
  compile(input: FunctionCompileInput, options: CompileOptions = {}): FinishedCode {
    const stats = (this.stats = options.stats);
    this.debug = options.debug;
    this.fuel = options.fuel ?? false;
    const started = stats ? performance.now() : 0;
    const { module, body } = input;
    const funcIndex = body.funcIndex;
    if (!(Number.isInteger(funcIndex) && funcIndex >= module.numImportedFunctions && funcIndex < module.functions.length)) {
      throw new RangeError(`baseline compiler: the body given is of function #${funcIndex}, which is not a function this module defines`);
    }
    this.module = input.module;
    if (this.layoutModule !== input.module) {
      this.layoutModule = input.module;
      this.layouts = [];
      const memory0 = input.module.memories[0];
      // Bytes memory 0 always has (memory64 and custom page sizes bail out before this is used).
      this.memory0MinBytes = memory0 === undefined || memory0.pageSizeLog2 !== 16 ? 0 : Number(memory0.min) * 65536;
    }
    this.slotSize = baselineSlotSize(module, body);
    this.funcIndex = funcIndex;
    this.funcTypeIndex = module.functions[funcIndex]!;
    this.setUpLocals(input.body);
    if (this.debug !== undefined) {
      const kinds = this.debug.localKinds;
      kinds.length = 0;
      for (let i = 0; i < this.numLocals; i++) kinds.push(this.localKinds[i]! as ValueKind);
    }

    let code = this.emitFunction(input.body, INITIAL_SPILL_SLOTS);
    if (this.frameOverflow) {
      // The guess was too small; the deepest stack is known now, so the second pass is exact.
      code = this.emitFunction(input.body, this.stack.maxHeight);
      if (stats) stats.recompiles++;
    }
    if (stats) {
      stats.functions++;
      stats.bodyBytes += input.body.code.bytes.length;
      stats.codeBytes += code.code.length;
      stats.operators += this.operators;
      stats.milliseconds += performance.now() - started;
    }
    return code;
  }

  private setUpLocals(body: FunctionBody): void {
    const type = this.funcType(this.funcTypeIndex);
    let count = type.params.length;
    for (const decl of body.locals) {
      count += decl.count;
      if (count > MAX_LOCALS) throw new BackendBailout(BailoutReason.TooManyLocals, `${count} locals`);
    }
    if (this.localKinds.length < count) this.localKinds = new Uint8Array(Math.max(count, this.localKinds.length * 2));
    if (this.cachedReg.length < count) this.cachedReg = new Int32Array(Math.max(count, this.cachedReg.length * 2)).fill(-1);
    let i = 0;
    for (const param of type.params) this.localKinds[i++] = valueKindOf(param);
    for (const decl of body.locals) {
      const kind = valueKindOf(decl.type);
      this.localKinds.fill(kind, i, i + decl.count);
      i += decl.count;
    }
    this.numLocals = count;
    this.localsBytes = count * this.slotSize;
  }

  private emitFunction(body: FunctionBody, spillSlots: number): FinishedCode {
    // One MacroAssembler for every function this compiler sees: its buffers grow to the largest
    // function once instead of re-growing from scratch per function (and after a bailout too).
    let masm = this.reusedMasm;
    if (masm === null) masm = this.reusedMasm = this.backend.createMacroAssembler({ initialCapacity: 64 + body.code.bytes.length * 8 });
    else masm.reset();
    this.masm = masm;
    this.spillSlots = Math.max(1, spillSlots);
    this.frameOverflow = false;
    this.stack.reset();
    this.forgetLocalCache();
    this.regs.reset();
    this.control.reset();
    this.reachable = true;
    this.deadDepth = 0;
    this.operators = 0;
    this.pendingFuel = 0;
    if (this.debug !== undefined) this.debug.sites.length = 0;

    masm.prologue(this.localsBytes + this.spillSlots * this.slotSize);
    const layout = this.callLayout(this.funcTypeIndex);
    const type = this.funcType(this.funcTypeIndex);
    // Register parameters first: a temporary for a stack parameter must not overwrite one.
    for (let i = 0; i < type.params.length; i++) {
      const loc = layout.params[i]!;
      if (loc.kind === 'reg') masm.spill(this.localSlot(i), loc.reg, sizeOfKind(this.localKinds[i]!));
    }
    for (let i = 0; i < type.params.length; i++) {
      const loc = layout.params[i]!;
      if (loc.kind === 'reg') continue;
      const kind = this.localKinds[i]!;
      const temp = this.allocReg(classOfKind(kind));
      masm.loadStackArea(StackArea.Incoming, temp, loc.offset, sizeOfKind(kind));
      masm.spill(this.localSlot(i), temp, sizeOfKind(kind));
      this.regs.free(temp);
    }
    if (this.numLocals > type.params.length) {
      // Declared locals start at zero; a float's zero has all bits clear, so one integer zero
      // serves all (a v128 local takes two stores, the upper 8 bytes at the slot's offset - 8).
      const zero = this.allocReg(RegClass.Int);
      masm.move(zero, this.imm.set(0, 0), OperandSize.S64);
      for (let i = type.params.length; i < this.numLocals; i++) {
        masm.spill(this.localSlot(i), zero, OperandSize.S64);
        if (this.localKinds[i] === ValueKind.V128) masm.spill(this.localSlot(i) - 8, zero, OperandSize.S64);
      }
      this.regs.free(zero);
    }
    // Interrupts are polled at every function entry (recursion and tail-call loops pass here) and
    // loop header (control.ts), where no value lives in a register.
    masm.pollInterrupt();
    this.control.pushFunction(masm.newLabel(), this.funcTypeIndex);
    this.code = body.code.bytes;
    this.codeOffset = body.code.offset;
    this.fused = false;
    this.localGetAnswered = false;
    this.reader.read(body.code, 0, this, true, `function #${this.funcIndex}`);
    const stats = this.stats;
    if (stats === undefined) return masm.finish();
    const started = performance.now();
    const code = masm.finish();
    stats.finishMilliseconds += performance.now() - started;
    return code;
  }

  visit(op: OperatorInfo, imm: Immediates, offset: number): void {
    this.operators++;
    const id = op.id;
    const family = FAMILY[id]!;
    // Control and call operators end the basic block (or clobber every register): before their
    // merges and resets, so unreachable code reaching a join does not keep stale entries either.
    if ((family === Family.Control || family === Family.Call) && this.cachedCount > 0) this.dropLocalCache();
    if (!this.reachable) {
      this.visitUnreachable(id, imm);
      return;
    }
    this.masm.setWasmOffset(offset);
    this.opOffset = offset;
    if (this.debug !== undefined) this.debugSite(offset);
    if (this.fuel) this.meterFuel(id);
    let handled: boolean;
    switch (family) {
      case Family.Control:
        handled = visitControl(this, id, imm);
        break;
      case Family.Call:
        handled = visitCall(this, id, imm);
        break;
      case Family.Variable:
        handled = visitVariable(this, id, imm);
        break;
      case Family.Table:
        handled = visitTable(this, id, imm);
        break;
      case Family.Memory:
        handled = visitMemory(this, id, imm);
        break;
      case Family.Numeric:
        handled = visitNumeric(this, id, imm);
        break;
      case Family.Conversion:
        handled = visitConversion(this, id);
        break;
      case Family.Reference:
        handled = visitReference(this, id, imm);
        break;
      case Family.Bulk:
        handled = visitBulk(this, id, imm);
        break;
      case Family.Simd:
        handled = visitSimd(this, op, imm);
        break;
      default:
        handled = false;
    }
    if (!handled) throw new BackendBailout(BailoutReason.UnsupportedOperator, op.name);
  }

  /** Adds the operator's fuel cost to the run; charges the run before an operator that ends it. */
  private meterFuel(id: number): void {
    this.pendingFuel += FUEL_COST[id]!;
    if (ENDS_FUEL_RUN[id] === 1 && this.pendingFuel > 0) {
      this.masm.consumeFuel(this.pendingFuel);
      this.pendingFuel = 0;
    }
  }

  /** Unreachable code: only track nesting so the `else`/`end` that ends it is found. */
  private visitUnreachable(id: number, imm: Immediates): void {
    switch (id) {
      case Op.Block:
      case Op.Loop:
      case Op.If:
      case Op.Try:
      case Op.TryTable:
        this.deadDepth++;
        return;
      case Op.Else:
        if (this.deadDepth === 0) visitControl(this, id, imm);
        return;
      case Op.End:
      case Op.Delegate:
        if (this.deadDepth > 0) this.deadDepth--;
        else visitControl(this, Op.End, imm);
        return;
      default:
        return;
    }
  }

  /** The bytes of the body being compiled (where `Immediates.bytesAt` points). */
  get bodyBytes(): Uint8Array {
    return this.code;
  }

  /**
   * True when the operator after the current one is `br_if` or `if`. Only asked by one-byte
   * operators without immediates (comparisons), so the next opcode is the next byte, and a
   * single-byte operator's id is its opcode.
   */
  nextIsConditionalBranch(): boolean {
    // Debug code keeps every operator boundary in one state: no operand lives across it in flags.
    if (this.debug !== undefined) return false;
    const next = this.code[this.opOffset - this.codeOffset + 1];
    return next === Op.BrIf || next === Op.If;
  }

  /**
   * True when the operator after the current `local.set`/`local.tee` (whose LEB128 index follows
   * its opcode byte) is `local.get` of the same `local` (a single-byte operator: id = opcode).
   */
  nextIsLocalGet(local: number): boolean {
    if (this.debug !== undefined) return false;
    const code = this.code;
    let pos = this.opOffset - this.codeOffset + 1;
    while (pos < code.length && (code[pos]! & 0x80) !== 0) pos++;
    pos++;
    if (code[pos] !== Op.LocalGet) return false;
    let value = 0;
    let shift = 0;
    for (pos++; pos < code.length && shift < 35; pos++, shift += 7) {
      const byte = code[pos]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value === local;
    }
    return false;
  }

  /** Defers `lhs cond rhs` to the branch that follows (see `fused`). */
  fuseCompare(cond: IntCond, size: OperandSize, lhs: Reg, rhs: Reg, rhsImm: Imm | null): void {
    this.fused = true;
    this.fusedCond = cond;
    this.fusedSize = size;
    this.fusedLhs = lhs;
    this.fusedRhs = rhs;
    if (rhsImm !== null) this.fusedImm.set(rhsImm.lo, rhsImm.hi);
  }

  /** Turns a fused comparison back into an ordinary i32 on the value stack (0 or 1). */
  unfuse(): void {
    if (!this.fused) return;
    this.fused = false;
    this.masm.intCompare(this.fusedCond, this.fusedSize, this.fusedLhs, this.fusedLhs, this.fusedRhs < 0 ? this.fusedImm : this.fusedRhs);
    if (this.fusedRhs >= 0) this.regs.free(this.fusedRhs);
    this.pushRegKind(this.fusedLhs, ValueKind.I32);
  }

  /**
   * Debug code, before the operator at `offset`: every value to its slot; at a break site, the
   * `DebugBreak` call and the jump to where the debugger says to go on (see debug.ts).
   */
  private debugSite(offset: number): void {
    const debug = this.debug!;
    this.spillAll(true, 0);
    if (debug.breakAt !== 'all' && !debug.breakAt.has(offset)) return;
    const masm = this.masm;
    const cc = this.backend.callingConvention;
    const registers = this.backend.registers;
    const site = debug.sites.length;
    masm.move(cc.intArgs[0]!, registers.vmContext, OperandSize.S64);
    masm.move(cc.intArgs[1]!, this.imm.set(this.funcIndex, 0), OperandSize.S64);
    masm.move(cc.intArgs[2]!, this.imm.set(offset, 0), OperandSize.S64);
    masm.move(cc.intArgs[3]!, registers.framePointer, OperandSize.S64);
    masm.move(cc.intArgs[4]!, this.imm.set(site, 0), OperandSize.S64);
    masm.callBuiltin(Builtin.DebugBreak);
    const callReturnOffset = masm.offset;
    const goOn = masm.newLabel();
    const target = cc.intResults[0]!;
    masm.branchOnZero(target, OperandSize.S64, goOn);
    masm.jumpIndirect(target);
    masm.bind(goOn);
    const stack = this.stack;
    const stackKinds: ValueKind[] = [];
    for (let i = 0; i < stack.height; i++) stackKinds.push(stack.kind[i]! as ValueKind);
    debug.sites.push({ wasmOffset: offset, callReturnOffset, resumeOffset: masm.offset, stackKinds });
  }

  // --- module facts ------------------------------------------------------------------------------

  funcType(typeIndex: number): FuncType {
    const composite = this.module.types[typeIndex]!.composite;
    if (composite.kind !== 'func') throw new BackendBailout(BailoutReason.UnsupportedFeature, `type ${typeIndex} is not a function type`);
    return composite;
  }

  /** The call layout of function type `typeIndex`, computed once per module. */
  callLayout(typeIndex: number): CallLayout {
    let layout = this.layouts[typeIndex];
    if (layout === undefined) {
      const type = this.funcType(typeIndex);
      layout = computeCallLayout(this.backend.callingConvention, {
        params: type.params.map(valueKindOf),
        results: type.results.map(valueKindOf),
      });
      this.layouts[typeIndex] = layout;
    }
    return layout;
  }

  // --- frame slots -------------------------------------------------------------------------------

  localSlot(local: number): number {
    return (local + 1) * this.slotSize;
  }

  /**
   * The spill slot of value-stack position `position`. Beyond the frame of this pass it answers
   * the last slot (so the MacroAssembler only ever sees valid slots) and flags the pass for a
   * second, exact one; the code of this pass is then thrown away.
   */
  slotOf(position: number): number {
    if (position >= this.spillSlots) {
      this.frameOverflow = true;
      return this.localsBytes + this.spillSlots * this.slotSize;
    }
    return this.localsBytes + (position + 1) * this.slotSize;
  }

  // --- registers ---------------------------------------------------------------------------------

  /** A free register of `cls`, spilling the oldest register-held value when none is free. */
  allocReg(cls: RegClass): Reg {
    let reg = this.regs.take(cls);
    if (reg < 0) {
      // A cached local costs nothing to give up (its slot is current); a stack value needs a spill.
      if (!this.evictCachedLocal(cls)) this.spillOldest(cls);
      reg = this.regs.take(cls);
    }
    return reg;
  }

  private spillOldest(cls: RegClass): void {
    const s = this.stack;
    for (let i = s.firstLive; i < s.height; i++) {
      if (s.loc[i] === Loc.Reg && regClassOf(s.payload[i]!) === cls) {
        this.spillEntry(i);
        return;
      }
    }
    throw new Error(`baseline compiler: no register of class ${cls} to spill (all claimed outside the value stack)`);
  }

  /** Moves entry `i` from its register to its spill slot. */
  spillEntry(i: number): void {
    const s = this.stack;
    const reg = s.payload[i]!;
    this.masm.spill(this.slotOf(i), reg, sizeOfKind(s.kind[i]!));
    s.loc[i] = Loc.Stack;
    this.regs.free(reg);
  }

  /**
   * Moves every register-held value to its spill slot (before calls: every allocatable register
   * is caller-saved). With `forJoin`, also deferred locals and the constants from `constsFrom`
   * up, so that every path into a join sees the values at `[base, height)` in their slots.
   */
  spillAll(forJoin: boolean, constsFrom = this.stack.height): void {
    const s = this.stack;
    // Loading deferred locals below may use the cache, so it is dropped only at the end.
    for (let i = forJoin ? Math.min(s.firstLive, constsFrom) : s.firstLive; i < s.height; i++) {
      const loc = s.loc[i]!;
      if (loc === Loc.Reg) this.spillEntry(i);
      else if (forJoin && (loc === Loc.Local || (loc === Loc.Const && i >= constsFrom))) {
        const reg = this.allocReg(classOfKind(s.kind[i]!));
        this.loadInto(i, reg);
        this.masm.spill(this.slotOf(i), reg, sizeOfKind(s.kind[i]!));
        this.regs.free(reg);
        s.loc[i] = Loc.Stack;
      }
    }
    if (forJoin) s.firstLive = s.height;
    if (this.cachedCount > 0) this.dropLocalCache();
  }

  // --- local register cache ------------------------------------------------------------------

  /** After `local.set`/`local.tee` of `local`: `reg` (now owned by the cache) holds its value. */
  cacheLocal(local: number, reg: Reg): void {
    this.uncacheLocal(local);
    if (this.cachedCount === this.cachedLocals.length) {
      const grown = new Int32Array(this.cachedLocals.length * 2);
      grown.set(this.cachedLocals);
      this.cachedLocals = grown;
    }
    this.cachedLocals[this.cachedCount++] = local;
    this.cachedReg[local] = reg;
  }

  /** Forgets `local`'s cached register, if any, and frees it. */
  uncacheLocal(local: number): void {
    const reg = this.cachedReg[local]!;
    if (reg < 0) return;
    this.regs.free(reg);
    this.removeCached(local);
  }

  private removeCached(local: number): void {
    this.cachedReg[local] = -1;
    const list = this.cachedLocals;
    for (let k = 0; k < this.cachedCount; k++) {
      if (list[k] === local) {
        list[k] = list[--this.cachedCount]!;
        return;
      }
    }
  }

  /** Frees every cached register (end of a basic block, calls). */
  dropLocalCache(): void {
    for (let k = 0; k < this.cachedCount; k++) {
      const local = this.cachedLocals[k]!;
      this.regs.free(this.cachedReg[local]!);
      this.cachedReg[local] = -1;
    }
    this.cachedCount = 0;
  }

  /** Forgets the cache without touching the allocator (which is being reset anyway). */
  private forgetLocalCache(): void {
    for (let k = 0; k < this.cachedCount; k++) this.cachedReg[this.cachedLocals[k]!] = -1;
    this.cachedCount = 0;
  }

  /** Frees the register of one cached local of class `cls`; false when none is cached. */
  private evictCachedLocal(cls: RegClass): boolean {
    for (let k = 0; k < this.cachedCount; k++) {
      const local = this.cachedLocals[k]!;
      if (regClassOf(this.cachedReg[local]!) === cls) {
        this.uncacheLocal(local);
        return true;
      }
    }
    return false;
  }

  /** Emits code putting entry `i`'s value into `reg`, without changing the value stack. */
  loadInto(i: number, reg: Reg): void {
    const s = this.stack;
    const kind = s.kind[i]!;
    const size = sizeOfKind(kind);
    switch (s.loc[i]) {
      case Loc.Reg:
        if (s.payload[i] !== reg) this.masm.move(reg, s.payload[i]!, size);
        return;
      case Loc.Stack:
        this.masm.fill(reg, this.slotOf(i), size);
        return;
      case Loc.Local: {
        const cached = this.cachedReg[s.payload[i]!]!;
        if (cached < 0) this.masm.fill(reg, this.localSlot(s.payload[i]!), size);
        else if (cached !== reg) this.masm.move(reg, cached, size);
        return;
      }
      default:
        // Constants are scalars (a v128.const is materialized when visited).
        if (isFloatKind(kind)) this.masm.loadFloatConstant(reg, size === 32 ? 32 : 64, s.lo[i]!, s.hi[i]!);
        else this.masm.move(reg, this.imm.set(s.lo[i]!, s.hi[i]!), size);
    }
  }

  /** Kind of the value `depth` entries below the top. */
  kindAt(depth: number): ValueKind {
    return this.stack.kind[this.stack.height - 1 - depth]! as ValueKind;
  }

  /** True when the top entry is a constant (so the caller can fold it into an immediate). */
  topIsConst(): boolean {
    return this.stack.loc[this.stack.height - 1] === Loc.Const;
  }

  /** Pops the top entry, which must be a constant, into `imm` (for immediate operands). */
  popConst(imm: Imm): Imm {
    const s = this.stack;
    const i = --s.height;
    return imm.set(s.lo[i]!, s.hi[i]!);
  }

  /** Pops and forgets the top value. */
  drop(): void {
    const s = this.stack;
    const i = --s.height;
    if (s.loc[i] === Loc.Reg) this.regs.free(s.payload[i]!);
  }

  /** Pops the top value into a register of its own class. */
  popReg(): Reg {
    return this.popToAnyReg(classOfKind(this.kindAt(0)));
  }

  pushReg(reg: Reg, size: ValueSize): void {
    const float = regClassOf(reg) === RegClass.Float;
    const kind =
      size === OperandSize.S32 ? (float ? ValueKind.F32 : ValueKind.I32) : size === OperandSize.S64 ? (float ? ValueKind.F64 : ValueKind.I64) : ValueKind.V128;
    this.stack.push(Loc.Reg, kind, reg, 0, 0);
  }

  pushRegKind(reg: Reg, kind: ValueKind): void {
    this.stack.push(Loc.Reg, kind, reg, 0, 0);
  }

  pushConst(kind: ValueKind, lo: number, hi: number): void {
    this.stack.push(Loc.Const, kind, 0, lo, hi);
  }

  pushLocal(local: number): void {
    this.stack.push(Loc.Local, this.localKinds[local]! as ValueKind, local, 0, 0);
  }

  // --- ValueStackContext: the ISA pins fixed registers through these --------------------------

  popToAnyReg(cls: RegClass): Reg {
    const s = this.stack;
    const i = s.height - 1;
    if (s.loc[i] === Loc.Reg) {
      s.height = i;
      return s.payload[i]!;
    }
    s.height = i;
    const reg = this.allocReg(cls);
    this.loadInto(i, reg);
    return reg;
  }

  popToReg(reg: Reg, _size: ValueSize): void {
    const s = this.stack;
    const i = s.height - 1;
    if (s.loc[i] === Loc.Reg && s.payload[i] === reg) {
      s.height = i;
      return;
    }
    this.claimReg(reg);
    this.loadInto(i, reg);
    if (s.loc[i] === Loc.Reg) this.regs.free(s.payload[i]!);
    s.height = i;
  }

  claimReg(reg: Reg): void {
    if (!this.regs.isAllocatable(reg)) return;
    if (this.regs.isFree(reg)) {
      this.regs.claim(reg);
      return;
    }
    const s = this.stack;
    for (let i = s.firstLive; i < s.height; i++) {
      if (s.loc[i] === Loc.Reg && s.payload[i] === reg) {
        const other = this.regs.take(regClassOf(reg));
        if (other < 0) {
          this.spillEntry(i);
          this.regs.claim(reg);
        } else {
          this.masm.move(other, reg, sizeOfKind(s.kind[i]!));
          s.payload[i] = other;
        }
        return;
      }
    }
    // Held by the local cache: the caller takes it over (the local's slot is current).
    for (let k = 0; k < this.cachedCount; k++) {
      const local = this.cachedLocals[k]!;
      if (this.cachedReg[local] === reg) {
        this.removeCached(local);
        return;
      }
    }
    // Not on the value stack: the ISA already claimed it (div claims rax, then pops into it).
  }

  freeReg(reg: Reg): void {
    this.regs.free(reg);
  }

  // --- shared sequences --------------------------------------------------------------------------

  /** `local.set` must not change values an earlier `local.get` deferred: load those first. */
  materializeLocal(local: number): void {
    const s = this.stack;
    for (let i = s.firstLive; i < s.height; i++) {
      if (s.loc[i] === Loc.Local && s.payload[i] === local) {
        const reg = this.allocReg(classOfKind(s.kind[i]!));
        this.loadInto(i, reg);
        s.loc[i] = Loc.Reg;
        s.payload[i] = reg;
      }
    }
  }

  /**
   * Calls runtime builtin `id` with `a` = the constant `aLo | aHi << 32` and b, c, d = the top
   * `stackArgs` values (deepest first); pushes the result as `resultKind` unless it is null.
   * Builtins are host functions: every register is spilled first.
   */
  callBuiltin(id: number, aLo: number, aHi: number, stackArgs: number, resultKind: ValueKind | null, trapReason: TrapReason | null): void {
    const masm = this.masm;
    const cc = this.backend.callingConvention;
    const s = this.stack;
    this.spillAll(false);
    const first = s.height - stackArgs;
    for (let k = 0; k < stackArgs; k++) {
      const reg = cc.intArgs[2 + k]!;
      this.regs.claim(reg);
      this.loadInto(first + k, reg);
    }
    s.height = first;
    masm.move(cc.intArgs[1]!, this.imm.set(aLo, aHi), OperandSize.S64);
    masm.move(cc.intArgs[0]!, this.backend.registers.vmContext, OperandSize.S64);
    masm.callBuiltin(id);
    for (let k = 0; k < stackArgs; k++) this.regs.free(cc.intArgs[2 + k]!);
    if (BUILTIN_CAN_TRAP[id] && trapReason !== null) {
      // The builtin stored a reason and returned: leave through the trap exit with it. The check
      // must not use the result register, which holds the builtin's return value: on arm64 the
      // first argument register is also the result register (x0), so use the second argument's.
      const check = cc.intArgs[1]!;
      masm.loadPtr(check, this.backend.registers.vmContext, VMCTX_TRAP_REASON);
      masm.trapIf(IntCond.Ne, OperandSize.S32, check, this.imm.set(0, 0), trapReason);
    }
    if (resultKind !== null) {
      const result = cc.intResults[0]!;
      this.regs.claim(result);
      // Builtins return int64; an i32 result must have its upper half clear like every i32 in a register.
      if (resultKind === ValueKind.I32) masm.convert(ConvertKind.I32WrapI64, result, result);
      this.pushRegKind(result, resultKind);
    }
  }
}

/** Compiles one function with a fresh compiler; reuse a `BaselineCompiler` to compile many. */
export function compileFunction(input: FunctionCompileInput, backend: CompilerBackend, options?: CompileOptions): FinishedCode {
  return new BaselineCompiler(backend).compile(input, options);
}
