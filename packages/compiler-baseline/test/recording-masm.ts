// A MacroAssembler test double: records every call as one line of text and checks the contract
// rules a compiler can break (frame slots inside the frame, labels bound once and every used
// label bound, registers of the right class, scratch never handed out). It emits no machine code,
// so the compiler's decisions can be asserted without a concrete backend.

import {
  RegClass,
  isImm,
  makeReg,
  regClassOf,
  regSetOf,
  type CallingConvention,
  type FinishedCode,
  type Label,
  type MachineRegisters,
  type MacroAssembler,
  type OperandSize,
  type ValueSize,
  type Reg,
  type RegOrImm,
  type ValueStackContext,
} from '@flint/backend';

const int = (n: number): Reg => makeReg(RegClass.Int, n);
const flt = (n: number): Reg => makeReg(RegClass.Float, n);

/** A small machine: 5 allocatable int registers (r0..r4), 3 float ones, so spills are easy to provoke. */
export function recordingRegisters(intCount = 5, floatCount = 3): MachineRegisters {
  const names = Array.from({ length: 16 }, (_, i) => `r${i}`);
  const fnames = Array.from({ length: 16 }, (_, i) => `f${i}`);
  return {
    int: {
      cls: RegClass.Int,
      count: 16,
      names,
      allocatable: Array.from({ length: intCount }, (_, i) => int(i)),
      excluded: [
        { reg: int(13), reason: 'scratch' },
        { reg: int(14), reason: 'vm context' },
        { reg: int(15), reason: 'stack pointer' },
      ],
    },
    float: {
      cls: RegClass.Float,
      count: 16,
      names: fnames,
      allocatable: Array.from({ length: floatCount }, (_, i) => flt(i)),
      excluded: [{ reg: flt(15), reason: 'scratch' }],
    },
    stackPointer: int(15),
    framePointer: int(12),
    vmContext: int(14),
    scratch: { int: int(13), float: flt(15) },
  };
}

export const RECORDING_CC: CallingConvention = {
  name: 'recording',
  intArgs: [int(0), int(1), int(2), int(3), int(4)],
  floatArgs: [flt(0), flt(1)],
  intResults: [int(0)],
  floatResults: [flt(0)],
  calleeSavedInt: regSetOf([]),
  calleeSavedFloat: 0,
  stackAlignment: 16,
  redZone: 0,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};

export class RecordingMasm implements MacroAssembler {
  readonly log: string[] = [];
  readonly scratch;
  frameSize = -1;
  private nextLabel = 0;
  private readonly bound = new Set<Label>();
  private readonly used = new Set<Label>();

  constructor(
    readonly registers: MachineRegisters,
    readonly callingConvention: CallingConvention,
  ) {
    this.scratch = registers.scratch;
  }

  get offset(): number {
    return this.log.length;
  }

  private r(reg: Reg): string {
    if (reg === this.registers.scratch.int || reg === this.registers.scratch.float) throw new Error('compiler used a scratch register');
    return (regClassOf(reg) === RegClass.Int ? this.registers.int.names : this.registers.float.names)[reg & 31]!;
  }
  private o(x: RegOrImm): string {
    return isImm(x) ? `#${x.hi === 0 || x.hi === -1 ? x.lo : `${x.hi}:${x.lo}`}` : this.r(x);
  }
  private expect(reg: Reg, cls: RegClass, what: string): void {
    if (regClassOf(reg) !== cls) throw new Error(`${what}: register ${reg} has the wrong class`);
  }
  private slot(slot: number, size: ValueSize): void {
    if (this.frameSize < 0) throw new Error('frame slot used before the prologue');
    if (slot < size / 8 || slot > this.frameSize) throw new Error(`frame slot ${slot} outside a frame of ${this.frameSize} bytes`);
  }
  private use(label: Label): string {
    this.used.add(label);
    return `L${label}`;
  }

  setWasmOffset(): void {}
  prologue(frameSize: number): void {
    this.frameSize = frameSize;
    this.log.push(`prologue ${frameSize}`);
  }
  epilogue(): void {
    this.log.push('epilogue');
  }
  reserveStack(bytes: number): void {
    this.log.push(`reserveStack ${bytes}`);
  }
  freeStack(bytes: number): void {
    this.log.push(`freeStack ${bytes}`);
  }
  spill(slot: number, src: Reg, size: ValueSize): void {
    this.slot(slot, size);
    this.log.push(`spill [${slot}] ${this.r(src)} ${size}`);
  }
  fill(dst: Reg, slot: number, size: ValueSize): void {
    this.slot(slot, size);
    this.log.push(`fill ${this.r(dst)} [${slot}] ${size}`);
  }
  loadStackArea(area: number, dst: Reg, offset: number, size: ValueSize): void {
    this.log.push(`loadStackArea ${area === 0 ? 'in' : 'out'}+${offset} ${this.r(dst)} ${size}`);
  }
  storeStackArea(area: number, src: Reg, offset: number, size: ValueSize): void {
    this.log.push(`storeStackArea ${area === 0 ? 'in' : 'out'}+${offset} ${this.r(src)} ${size}`);
  }
  move(dst: Reg, src: RegOrImm, size: ValueSize): void {
    this.log.push(`move ${this.r(dst)} ${this.o(src)} ${size}`);
  }
  loadFloatConstant(dst: Reg, size: OperandSize, lo: number, hi: number): void {
    this.expect(dst, RegClass.Float, 'loadFloatConstant');
    this.log.push(`loadFloatConstant ${this.r(dst)} ${size} ${lo >>> 0}:${hi >>> 0}`);
  }
  loadPtr(dst: Reg, base: Reg, offset: number): void {
    this.log.push(`loadPtr ${this.r(dst)} [${base === this.registers.vmContext ? 'vmctx' : this.r(base)} + ${offset}]`);
  }
  storePtr(src: Reg, base: Reg, offset: number): void {
    this.log.push(`storePtr [${this.r(base)} + ${offset}] ${this.r(src)}`);
  }
  intBinary(kind: number, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void {
    this.log.push(`intBinary ${kind} ${size} ${this.r(dst)} ${this.r(lhs)} ${this.o(rhs)}`);
  }
  intUnary(kind: number, size: OperandSize, dst: Reg, src: Reg): void {
    this.log.push(`intUnary ${kind} ${size} ${this.r(dst)} ${this.r(src)}`);
  }
  /** Like x64: the count is pinned in r1 (the "cl" of this machine). */
  shift(ctx: ValueStackContext, kind: number, size: OperandSize): void {
    ctx.popToReg(int(1), size);
    const value = ctx.popToAnyReg(RegClass.Int);
    this.log.push(`shift ${kind} ${size} ${this.r(value)} r1`);
    ctx.freeReg(int(1));
    ctx.pushReg(value, size);
  }
  shiftImm(kind: number, size: OperandSize, dst: Reg, src: Reg, amount: number): void {
    this.log.push(`shiftImm ${kind} ${size} ${this.r(dst)} ${this.r(src)} #${amount}`);
  }
  /** Like x64: dividend and result in r0, r2 clobbered. */
  div(ctx: ValueStackContext, kind: number, size: OperandSize): void {
    ctx.claimReg(int(0));
    ctx.claimReg(int(2));
    const divisor = ctx.popToAnyReg(RegClass.Int);
    if (divisor === int(0) || divisor === int(2)) throw new Error('divisor landed in a claimed register');
    ctx.popToReg(int(0), size);
    this.log.push(`div ${kind} ${size} r0 ${this.r(divisor)}`);
    ctx.freeReg(divisor);
    ctx.freeReg(int(2));
    ctx.pushReg(int(0), size);
  }
  intCompare(cond: number, size: OperandSize, dst: Reg, lhs: Reg, rhs: RegOrImm): void {
    this.log.push(`intCompare ${cond} ${size} ${this.r(dst)} ${this.r(lhs)} ${this.o(rhs)}`);
  }
  floatBinary(kind: number, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void {
    this.expect(lhs, RegClass.Float, 'floatBinary');
    this.log.push(`floatBinary ${kind} ${size} ${this.r(dst)} ${this.r(lhs)} ${this.r(rhs)}`);
  }
  floatUnary(kind: number, size: OperandSize, dst: Reg, src: Reg): void {
    this.log.push(`floatUnary ${kind} ${size} ${this.r(dst)} ${this.r(src)}`);
  }
  floatCompare(cond: number, size: OperandSize, dst: Reg, lhs: Reg, rhs: Reg): void {
    this.expect(dst, RegClass.Int, 'floatCompare');
    this.log.push(`floatCompare ${cond} ${size} ${this.r(dst)} ${this.r(lhs)} ${this.r(rhs)}`);
  }
  convert(kind: number, dst: Reg, src: Reg): void {
    this.log.push(`convert ${kind} ${this.r(dst)} ${this.r(src)}`);
  }
  select(size: ValueSize, dst: Reg, condition: Reg, ifTrue: Reg, ifFalse: Reg): void {
    this.log.push(`select ${size} ${this.r(dst)} ${this.r(condition)} ${this.r(ifTrue)} ${this.r(ifFalse)}`);
  }
  boundsCheck(memory: number, index: Reg, indexSize: OperandSize, offset: number, accessSize: number): void {
    this.log.push(`boundsCheck ${memory} ${this.r(index)} ${indexSize} +${offset} ${accessSize}`);
  }
  heapAddress(dst: Reg, memory: number, index: Reg, indexSize: OperandSize): void {
    this.log.push(`heapAddress ${this.r(dst)} ${memory} ${this.r(index)} ${indexSize}`);
  }
  load(kind: number, dst: Reg, base: Reg, offset: number): void {
    this.log.push(`load ${kind} ${this.r(dst)} [${this.r(base)} + ${offset}]`);
  }
  store(kind: number, src: Reg, base: Reg, offset: number): void {
    this.log.push(`store ${kind} [${this.r(base)} + ${offset}] ${this.r(src)}`);
  }
  loadV128Constant(dst: Reg, bytes: Uint8Array, at: number): void {
    this.expect(dst, RegClass.Float, 'loadV128Constant');
    this.log.push(`loadV128Constant ${this.r(dst)} ${Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0')).join('')}`);
  }
  v128Splat(shape: number, dst: Reg, src: Reg): void {
    this.expect(dst, RegClass.Float, 'v128Splat');
    this.log.push(`v128Splat ${shape} ${this.r(dst)} ${this.r(src)}`);
  }
  v128ExtractLane(shape: number, signed: boolean, dst: Reg, src: Reg, lane: number): void {
    this.expect(src, RegClass.Float, 'v128ExtractLane');
    this.log.push(`v128ExtractLane ${shape}${signed ? 's' : ''} ${this.r(dst)} ${this.r(src)} ${lane}`);
  }
  v128ReplaceLane(shape: number, dst: Reg, vector: Reg, value: Reg, lane: number): void {
    this.expect(vector, RegClass.Float, 'v128ReplaceLane');
    this.log.push(`v128ReplaceLane ${shape} ${this.r(dst)} ${this.r(vector)} ${this.r(value)} ${lane}`);
  }
  v128Shuffle(dst: Reg, lhs: Reg, rhs: Reg, bytes: Uint8Array, at: number): void {
    this.log.push(`v128Shuffle ${this.r(dst)} ${this.r(lhs)} ${this.r(rhs)} ${Array.from(bytes.subarray(at, at + 16)).join(',')}`);
  }
  v128Unary(kind: number, dst: Reg, src: Reg): void {
    this.expect(src, RegClass.Float, 'v128Unary');
    this.log.push(`v128Unary ${kind} ${this.r(dst)} ${this.r(src)}`);
  }
  v128Binary(kind: number, dst: Reg, lhs: Reg, rhs: Reg): void {
    this.expect(rhs, RegClass.Float, 'v128Binary');
    this.log.push(`v128Binary ${kind} ${this.r(dst)} ${this.r(lhs)} ${this.r(rhs)}`);
  }
  /** Like x64 without AVX for laneselect: the mask is pinned in f0. */
  v128Ternary(ctx: ValueStackContext, kind: number): void {
    ctx.popToReg(flt(0), 128);
    const b = ctx.popToAnyReg(RegClass.Float);
    const a = ctx.popToAnyReg(RegClass.Float);
    if (a === flt(0) || b === flt(0)) throw new Error('v128Ternary: an operand landed in the pinned register');
    this.log.push(`v128Ternary ${kind} ${this.r(a)} ${this.r(b)} f0`);
    ctx.freeReg(b);
    ctx.freeReg(flt(0));
    ctx.pushReg(a, 128);
  }
  v128IntCompare(shape: number, cond: number, dst: Reg, lhs: Reg, rhs: Reg): void {
    this.log.push(`v128IntCompare ${shape} ${cond} ${this.r(dst)} ${this.r(lhs)} ${this.r(rhs)}`);
  }
  v128FloatCompare(shape: number, cond: number, dst: Reg, lhs: Reg, rhs: Reg): void {
    this.log.push(`v128FloatCompare ${shape} ${cond} ${this.r(dst)} ${this.r(lhs)} ${this.r(rhs)}`);
  }
  v128Shift(shape: number, kind: number, dst: Reg, src: Reg, amount: RegOrImm): void {
    this.log.push(`v128Shift ${shape} ${kind} ${this.r(dst)} ${this.r(src)} ${this.o(amount)}`);
  }
  v128Reduce(kind: number, dst: Reg, src: Reg): void {
    this.expect(dst, RegClass.Int, 'v128Reduce');
    this.log.push(`v128Reduce ${kind} ${this.r(dst)} ${this.r(src)}`);
  }
  v128Load(kind: number, dst: Reg, base: Reg, offset: number): void {
    this.log.push(`v128Load ${kind} ${this.r(dst)} [${this.r(base)} + ${offset}]`);
  }
  v128LoadLane(laneBits: number, dst: Reg, base: Reg, offset: number, lane: number): void {
    this.log.push(`v128LoadLane ${laneBits} ${this.r(dst)} [${this.r(base)} + ${offset}] ${lane}`);
  }
  v128StoreLane(laneBits: number, src: Reg, base: Reg, offset: number, lane: number): void {
    this.log.push(`v128StoreLane ${laneBits} [${this.r(base)} + ${offset}] ${this.r(src)} ${lane}`);
  }
  newLabel(): Label {
    return this.nextLabel++;
  }
  bind(label: Label): void {
    if (this.bound.has(label)) throw new Error(`label ${label} bound twice`);
    this.bound.add(label);
    this.log.push(`L${label}:`);
  }
  jump(target: Label): void {
    this.log.push(`jump ${this.use(target)}`);
  }
  branchIf(cond: number, size: OperandSize, lhs: Reg, rhs: RegOrImm, target: Label): void {
    this.log.push(`branchIf ${cond} ${size} ${this.r(lhs)} ${this.o(rhs)} ${this.use(target)}`);
  }
  branchOnZero(reg: Reg, size: OperandSize, target: Label, ifNonZero = false): void {
    this.log.push(`branchOn${ifNonZero ? 'NonZero' : 'Zero'} ${this.r(reg)} ${size} ${this.use(target)}`);
  }
  jumpTable(index: Reg, targets: readonly Label[], defaultTarget: Label): void {
    this.log.push(`jumpTable ${this.r(index)} [${targets.map((t) => this.use(t)).join(' ')}] ${this.use(defaultTarget)}`);
  }
  callDirect(funcIndex: number): void {
    this.log.push(`callDirect ${funcIndex}`);
  }
  callImport(importIndex: number): void {
    this.log.push(`callImport ${importIndex}`);
  }
  callIndirect(table: number, typeIndex: number, index: Reg): void {
    this.log.push(`callIndirect ${table} ${typeIndex} ${this.r(index)}`);
  }
  callBuiltin(builtinId: number): void {
    this.log.push(`callBuiltin ${builtinId}`);
  }
  jumpIndirect(target: Reg): void {
    this.log.push(`jumpIndirect ${this.r(target)}`);
  }
  returnCallDirect(funcIndex: number): void {
    this.log.push(`returnCallDirect ${funcIndex}`);
  }
  returnCallIndirect(table: number, typeIndex: number, index: Reg): void {
    this.log.push(`returnCallIndirect ${table} ${typeIndex} ${this.r(index)}`);
  }
  pollInterrupt(): void {
    this.log.push('pollInterrupt');
  }
  consumeFuel(cost: number): void {
    this.log.push(`consumeFuel ${cost}`);
  }
  trap(reason: number): void {
    this.log.push(`trap ${reason}`);
  }
  trapIf(cond: number, size: OperandSize, lhs: Reg, rhs: RegOrImm, reason: number): void {
    this.log.push(`trapIf ${cond} ${size} ${this.r(lhs)} ${this.o(rhs)} ${reason}`);
  }
  trapIfZero(reg: Reg, size: OperandSize, reason: number): void {
    this.log.push(`trapIfZero ${this.r(reg)} ${size} ${reason}`);
  }
  reset(): void {
    this.log.length = 0;
    this.frameSize = -1;
    this.nextLabel = 0;
    this.bound.clear();
    this.used.clear();
  }
  finish(): FinishedCode {
    for (const label of this.used) if (!this.bound.has(label)) throw new Error(`label ${label} used but never bound`);
    return { code: new Uint8Array(0), trapSites: [], relocations: [] };
  }
}

/** The members of a `Backend` the compiler uses, with MacroAssemblers that record; `last` is the latest. */
export class RecordingBackend {
  readonly name = 'recording';
  readonly callingConvention = RECORDING_CC;
  last!: RecordingMasm;
  constructor(readonly registers: MachineRegisters = recordingRegisters()) {}
  createMacroAssembler(): MacroAssembler {
    this.last = new RecordingMasm(this.registers, this.callingConvention);
    return this.last;
  }
}
