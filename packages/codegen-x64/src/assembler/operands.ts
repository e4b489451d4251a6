// Operand vocabulary of the x86-64 assembler: operand sizes, condition codes and memory operands.
// Intel SDM Vol. 2A, §2.1.5 "Addressing-Mode Encoding of ModR/M and SIB Bytes", Appendix B.1.4.7
// "Condition Test (tttn) Field".

import type { Label } from '@flint/backend';
import type { Gpr } from './registers.ts';

/** Operand size in bits. 16-bit forms get the 0x66 prefix, 64-bit forms REX.W. */
export const OperandSize = { S8: 8, S16: 16, S32: 32, S64: 64 } as const;
export type OperandSize = (typeof OperandSize)[keyof typeof OperandSize];

/** Condition codes, numbered by their `tttn` encoding (the low nibble of jcc/setcc/cmovcc). */
export const Cond = {
  /** overflow */ O: 0,
  /** no overflow */ NO: 1,
  /** below (unsigned <), carry */ B: 2,
  /** above or equal (unsigned >=), no carry */ AE: 3,
  /** equal, zero */ E: 4,
  /** not equal, not zero */ NE: 5,
  /** below or equal (unsigned <=) */ BE: 6,
  /** above (unsigned >) */ A: 7,
  /** sign */ S: 8,
  /** no sign */ NS: 9,
  /** parity (after ucomis*: unordered) */ P: 10,
  /** no parity (after ucomis*: ordered) */ NP: 11,
  /** less (signed <) */ L: 12,
  /** greater or equal (signed >=) */ GE: 13,
  /** less or equal (signed <=) */ LE: 14,
  /** greater (signed >) */ G: 15,
} as const;
export type Cond = (typeof Cond)[keyof typeof Cond];

/** The condition that holds exactly when `cond` does not: the encodings pair up on the low bit. */
export function invertCond(cond: Cond): Cond {
  return (cond ^ 1) as Cond;
}

const COND_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

/** The mnemonic suffix of a condition (`e`, `ne`, `b`, …) as objdump prints it. */
export function condName(cond: Cond): string {
  return COND_NAMES[cond]!;
}

/** `Mem.base`/`Mem.index` value meaning "no register". */
export const NO_REG = -1;

/** Scale factor of a SIB index: 1, 2, 4 or 8. */
export type Scale = 1 | 2 | 4 | 8;

/**
 * A memory operand. One mutable record that callers on hot paths reuse (`set…` returns `this`),
 * so emitting a load or store allocates nothing; the static constructors are for everything else.
 *
 *  - base + disp                 `[rbx+0x10]`
 *  - base + index*scale + disp   `[rbx+rcx*8+0x10]`
 *  - index*scale + disp32        `[rcx*8+0x10]` (no base)
 *  - disp32                      absolute `[0x1000]`
 *  - RIP + label                 a label of the same code buffer (e.g. a constant-pool entry)
 */
export class Mem {
  base: Gpr = NO_REG;
  index: Gpr = NO_REG;
  scale: Scale = 1;
  /** Signed 32-bit displacement; with `label`, an addend to the label's address. */
  disp = 0;
  /** A label for RIP-relative addressing, or -1. */
  label: Label = -1;

  setBase(base: Gpr, disp = 0): this {
    this.base = base;
    this.index = NO_REG;
    this.scale = 1;
    this.disp = disp;
    this.label = -1;
    return this;
  }

  setIndexed(base: Gpr, index: Gpr, scale: Scale, disp = 0): this {
    this.base = base;
    this.index = index;
    this.scale = scale;
    this.disp = disp;
    this.label = -1;
    return this;
  }

  /** `[index*scale + disp32]`, or `[disp32]` when `index` is `NO_REG`. */
  setNoBase(index: Gpr, scale: Scale, disp: number): this {
    this.base = NO_REG;
    this.index = index;
    this.scale = scale;
    this.disp = disp;
    this.label = -1;
    return this;
  }

  setLabel(label: Label, disp = 0): this {
    this.base = NO_REG;
    this.index = NO_REG;
    this.scale = 1;
    this.disp = disp;
    this.label = label;
    return this;
  }

  static base(base: Gpr, disp = 0): Mem {
    return new Mem().setBase(base, disp);
  }

  static indexed(base: Gpr, index: Gpr, scale: Scale, disp = 0): Mem {
    return new Mem().setIndexed(base, index, scale, disp);
  }

  static noBase(index: Gpr, scale: Scale, disp: number): Mem {
    return new Mem().setNoBase(index, scale, disp);
  }

  static absolute(disp: number): Mem {
    return new Mem().setNoBase(NO_REG, 1, disp);
  }

  static label(label: Label, disp = 0): Mem {
    return new Mem().setLabel(label, disp);
  }
}
