// A minimal value stack implementing `ValueStackContext`, so conformance cases can drive the
// MacroAssembler methods that pin registers (div, shift) exactly as the baseline compiler will.
// Values live only in registers here; a case that needs more registers than exist is a bug in
// the case, reported as an error.

import type { MacroAssembler, ValueStackContext } from '../masm.ts';
import { OperandSize as Size, ValueSize } from '../masm.ts';
import { RegClass, regClassOf, type MachineRegisters, type Reg } from '../regs.ts';

export class RegisterValueStack implements ValueStackContext {
  private readonly entries: Reg[] = [];
  private readonly used = new Set<Reg>();

  constructor(
    private readonly masm: MacroAssembler,
    private readonly regs: MachineRegisters,
  ) {}

  get depth(): number {
    return this.entries.length;
  }

  /** Marks `reg` as in use outside the stack (e.g. a parameter the case still needs). */
  reserve(reg: Reg): void {
    this.used.add(reg);
  }

  allocate(cls: RegClass): Reg {
    const candidates = cls === this.regs.int.cls ? this.regs.int.allocatable : this.regs.float.allocatable;
    for (const reg of candidates) {
      if (!this.used.has(reg)) {
        this.used.add(reg);
        return reg;
      }
    }
    throw new Error(`conformance case ran out of registers of class ${cls}`);
  }

  popToReg(reg: Reg, size: ValueSize): void {
    const top = this.pop();
    if (top === reg) return;
    this.claimReg(reg);
    this.masm.move(reg, top, size);
    this.used.delete(top);
  }

  popToAnyReg(_cls: RegClass): Reg {
    return this.pop();
  }

  claimReg(reg: Reg): void {
    const index = this.entries.indexOf(reg);
    if (index >= 0) {
      const moved = this.allocate(regClassOf(reg));
      // The whole register: a float-class entry may be a v128.
      this.masm.move(moved, reg, regClassOf(reg) === RegClass.Float ? ValueSize.S128 : Size.S64);
      this.entries[index] = moved;
    }
    this.used.add(reg);
  }

  freeReg(reg: Reg): void {
    this.used.delete(reg);
  }

  pushReg(reg: Reg, _size: ValueSize): void {
    this.used.add(reg);
    this.entries.push(reg);
  }

  private pop(): Reg {
    const top = this.entries.pop();
    if (top === undefined) throw new Error('conformance case popped an empty value stack');
    return top;
  }
}
