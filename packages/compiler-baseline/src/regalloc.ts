// The baseline register allocator (after Winch's `regalloc`): one bitset of free registers per
// class. It only hands out and takes back registers; when a class runs dry, the compiler spills
// the oldest register-held value of the value stack (the one least likely to be needed soon) and
// asks again. There is no liveness analysis: a value's register is freed when it is popped.

import { RegClass, makeReg, regClassOf, regSetOf, hwEncodingOf, type MachineRegisters, type Reg } from '@flint/backend';

export class RegAllocator {
  /** Allocatable registers of each class, as masks over hardware encodings. */
  private readonly allocatableInt: number;
  private readonly allocatableFloat: number;
  private freeInt: number;
  private freeFloat: number;

  constructor(registers: MachineRegisters) {
    this.allocatableInt = regSetOf(registers.int.allocatable);
    this.allocatableFloat = regSetOf(registers.float.allocatable);
    this.freeInt = this.allocatableInt;
    this.freeFloat = this.allocatableFloat;
  }

  /** Every register free again (function start, control-flow joins where all values are in memory). */
  reset(): void {
    this.freeInt = this.allocatableInt;
    this.freeFloat = this.allocatableFloat;
  }

  /** A free register of `cls` (lowest encoding first), now in use; -1 when none is free. */
  take(cls: RegClass): Reg {
    const set = cls === RegClass.Int ? this.freeInt : this.freeFloat;
    if (set === 0) return -1;
    const hw = 31 - Math.clz32(set & -set);
    if (cls === RegClass.Int) this.freeInt = (set & ~(1 << hw)) >>> 0;
    else this.freeFloat = (set & ~(1 << hw)) >>> 0;
    return makeReg(cls, hw);
  }

  isFree(reg: Reg): boolean {
    const set = regClassOf(reg) === RegClass.Int ? this.freeInt : this.freeFloat;
    return ((set >>> hwEncodingOf(reg)) & 1) === 1;
  }

  isAllocatable(reg: Reg): boolean {
    const set = regClassOf(reg) === RegClass.Int ? this.allocatableInt : this.allocatableFloat;
    return ((set >>> hwEncodingOf(reg)) & 1) === 1;
  }

  /** Marks a specific free register as used (fixed-register operations, argument registers). */
  claim(reg: Reg): void {
    const bit = 1 << hwEncodingOf(reg);
    if (regClassOf(reg) === RegClass.Int) this.freeInt = (this.freeInt & ~bit) >>> 0;
    else this.freeFloat = (this.freeFloat & ~bit) >>> 0;
  }

  /** Returns `reg` to the pool; registers outside the allocatable set are ignored. */
  free(reg: Reg): void {
    const bit = 1 << hwEncodingOf(reg);
    if (regClassOf(reg) === RegClass.Int) this.freeInt = (this.freeInt | (bit & this.allocatableInt)) >>> 0;
    else this.freeFloat = (this.freeFloat | (bit & this.allocatableFloat)) >>> 0;
  }

  /** Number of free registers of `cls` (tests and assertions). */
  freeCount(cls: RegClass): number {
    let n = cls === RegClass.Int ? this.freeInt : this.freeFloat;
    let count = 0;
    while (n !== 0) {
      n &= n - 1;
      count++;
    }
    return count;
  }
}
