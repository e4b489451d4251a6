// Registers and register classes as data. A `Reg` is one small integer (class and hardware
// encoding), a `RegSet` a 32-bit mask of hardware encodings within one class, so allocators and
// ABI code work on plain numbers and allocate nothing.

/** Register classes: integer/pointer registers, and scalar-float/vector registers (xmm, v). */
export const RegClass = {
  Int: 0,
  Float: 1,
} as const;
export type RegClass = (typeof RegClass)[keyof typeof RegClass];

/** A machine register: `class << 5 | hardware encoding` (encodings 0..31 cover x64 and arm64). */
export type Reg = number;

const HW_BITS = 5;
const HW_MASK = (1 << HW_BITS) - 1;

export function makeReg(cls: RegClass, hwEncoding: number): Reg {
  return (cls << HW_BITS) | (hwEncoding & HW_MASK);
}
export const regClassOf = (reg: Reg): RegClass => (reg >>> HW_BITS) as RegClass;
export const hwEncodingOf = (reg: Reg): number => reg & HW_MASK;
export const isIntReg = (reg: Reg): boolean => reg >>> HW_BITS === RegClass.Int;
export const isFloatReg = (reg: Reg): boolean => reg >>> HW_BITS === RegClass.Float;

/** A set of registers of one class, as a bitmask over hardware encodings (bit n = encoding n). */
export type RegSet = number;

export const EMPTY_REG_SET: RegSet = 0;

export function regSetOf(regs: readonly Reg[]): RegSet {
  let set = 0;
  for (const r of regs) set |= 1 << hwEncodingOf(r);
  return set >>> 0;
}
export const regSetHas = (set: RegSet, reg: Reg): boolean => ((set >>> hwEncodingOf(reg)) & 1) === 1;
export const regSetAdd = (set: RegSet, reg: Reg): RegSet => (set | (1 << hwEncodingOf(reg))) >>> 0;
export const regSetRemove = (set: RegSet, reg: Reg): RegSet => (set & ~(1 << hwEncodingOf(reg))) >>> 0;

export function regSetCount(set: RegSet): number {
  let n = set >>> 0;
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The lowest-numbered register of `set` in class `cls`, or -1 when the set is empty. */
export function regSetFirst(set: RegSet, cls: RegClass): Reg {
  if (set === 0) return -1;
  return makeReg(cls, 31 - Math.clz32(set & -set));
}

/** Calls `fn` for each register of `set`, lowest encoding first. */
export function forEachReg(set: RegSet, cls: RegClass, fn: (reg: Reg) => void): void {
  let rest = set >>> 0;
  while (rest !== 0) {
    const low = rest & -rest;
    fn(makeReg(cls, 31 - Math.clz32(low)));
    rest = (rest ^ low) >>> 0;
  }
}

export function regSetToArray(set: RegSet, cls: RegClass): Reg[] {
  const out: Reg[] = [];
  forEachReg(set, cls, (r) => out.push(r));
  return out;
}

/** A register kept out of allocation, and why (V8 style: the reason lives beside the register). */
export interface ExcludedRegister {
  readonly reg: Reg;
  readonly reason: string;
}

export interface RegClassDescription {
  readonly cls: RegClass;
  /** Number of hardware registers of the class: encodings 0 .. count-1. */
  readonly count: number;
  /** Assembler names indexed by hardware encoding (`rax`, …; `xmm0`, …). */
  readonly names: readonly string[];
  /** Registers the baseline allocator may hand out, in preference order. */
  readonly allocatable: readonly Reg[];
  /** Every other register of the class, each with its reason. */
  readonly excluded: readonly ExcludedRegister[];
}

/** Registers an ISA's MacroAssembler keeps for itself (never allocatable). */
export interface ScratchRegs {
  readonly int: Reg;
  readonly float: Reg;
}

/** The machine's register file as the compilers see it. */
export interface MachineRegisters {
  readonly int: RegClassDescription;
  readonly float: RegClassDescription;
  readonly stackPointer: Reg;
  readonly framePointer: Reg;
  /** Holds the VM context pointer for the whole of every Wasm function. */
  readonly vmContext: Reg;
  readonly scratch: ScratchRegs;
}

export function regName(regs: MachineRegisters, reg: Reg): string {
  const description = regClassOf(reg) === RegClass.Int ? regs.int : regs.float;
  return description.names[hwEncodingOf(reg)] ?? `r?${reg}`;
}
