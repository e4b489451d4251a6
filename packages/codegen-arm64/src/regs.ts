// The AArch64 register file as Flint's compilers see it: which registers Wasm code may allocate,
// and why each of the others is kept out.
// Register roles: Procedure Call Standard for the Arm 64-bit Architecture (AAPCS64), §6.1.1
// "General-purpose Registers" and §6.1.2 "SIMD and Floating-Point registers".
// https://github.com/ARM-software/abi-aa/blob/main/aapcs64/aapcs64.rst
//
// Contract registers are `class << 5 | encoding`. Integer encoding 31 stands for the stack pointer
// here (the zero register is never allocated, so it needs no contract name); the MacroAssembler
// maps it to the assembler's distinct `Gpr.sp`.

import { RegClass, makeReg, type MachineRegisters, type Reg } from '@flint/backend';

const gpr = (hw: number): Reg => makeReg(RegClass.Int, hw);
const vreg = (hw: number): Reg => makeReg(RegClass.Float, hw);

/** x registers by number: `xRegs[3]` is x3; `xRegs[31]` is sp. */
export const xRegs: readonly Reg[] = Array.from({ length: 32 }, (_, i) => gpr(i));
/** v registers by number (seen as s or d by scalar float code). */
export const vRegs: readonly Reg[] = Array.from({ length: 32 }, (_, i) => vreg(i));

const x = (n: number): Reg => xRegs[n]!;

/** Holds the VM context in every Wasm function: callee-saved in AAPCS64, so builtins and host calls keep it. */
export const VMCTX_REG = x(28);
/** Integer scratch of the MacroAssembler (IP0, which AAPCS64 lets veneers clobber anyway). */
export const SCRATCH_INT = x(16);
/** Second integer scratch (IP1), for sequences that need two temporaries (bounds checks, calls). */
export const SCRATCH_INT2 = x(17);
/** Float scratch of the MacroAssembler. */
export const SCRATCH_FLOAT = vRegs[31]!;
export const STACK_POINTER = x(31);
export const FRAME_POINTER = x(29);
export const LINK_REGISTER = x(30);

const GPR_NAMES = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp'];

export const ARM64_REGISTERS: MachineRegisters = {
  int: {
    cls: RegClass.Int,
    count: 32,
    names: GPR_NAMES,
    // Caller-saved first (argument registers last among them, so arguments stay put longer), then
    // callee-saved x19..x27, which cost nothing more in the baseline tier (it spills around calls).
    allocatable: [9, 10, 11, 12, 13, 14, 15, 8, 7, 6, 5, 4, 3, 2, 1, 0, 19, 20, 21, 22, 23, 24, 25, 26, 27].map(x),
    excluded: [
      { reg: x(16), reason: 'scratch (IP0): MacroAssembler temporary; AAPCS64 lets linker veneers clobber it' },
      { reg: x(17), reason: 'scratch (IP1): second MacroAssembler temporary (calls, bounds checks, conversions)' },
      { reg: x(18), reason: 'platform register: reserved by AAPCS64 on Apple and Windows hosts, never used by generated code' },
      { reg: x(28), reason: 'pinned: VM context (callee-saved, so host and builtin calls preserve it)' },
      { reg: x(29), reason: 'frame pointer: frame slots and the saved VM context are addressed from it' },
      { reg: x(30), reason: 'link register: bl/blr write the return address here (saved by the prologue)' },
      { reg: x(31), reason: 'stack pointer' },
    ],
  },
  float: {
    cls: RegClass.Float,
    count: 32,
    names: vRegs.map((_, i) => `v${i}`),
    allocatable: vRegs.slice(0, 30),
    excluded: [
      { reg: vRegs[30]!, reason: 'scratch: second MacroAssembler temporary for v128 sequences (v30:v31 is the two-register tbl table)' },
      { reg: vRegs[31]!, reason: 'scratch: MacroAssembler temporary for float sequences (popcnt, conversions)' },
    ],
  },
  stackPointer: STACK_POINTER,
  framePointer: FRAME_POINTER,
  vmContext: VMCTX_REG,
  scratch: { int: SCRATCH_INT, float: SCRATCH_FLOAT },
};
