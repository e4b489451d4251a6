// The x86-64 register file as Flint's compilers see it: which registers Wasm code may allocate,
// and why each of the others is kept out.
// Register numbering: Intel SDM Vol. 2A, §2.2.1, Table 3-1 (hardware encodings 0..15).

import { RegClass, makeReg, type MachineRegisters, type Reg } from '@flint/backend';

const gpr = (hw: number): Reg => makeReg(RegClass.Int, hw);
const xmm = (hw: number): Reg => makeReg(RegClass.Float, hw);

export const rax = gpr(0);
export const rcx = gpr(1);
export const rdx = gpr(2);
export const rbx = gpr(3);
export const rsp = gpr(4);
export const rbp = gpr(5);
export const rsi = gpr(6);
export const rdi = gpr(7);
export const r8 = gpr(8);
export const r9 = gpr(9);
export const r10 = gpr(10);
export const r11 = gpr(11);
export const r12 = gpr(12);
export const r13 = gpr(13);
export const r14 = gpr(14);
export const r15 = gpr(15);

/** xmm registers by number: `xmmRegs[3]` is xmm3. */
export const xmmRegs: readonly Reg[] = Array.from({ length: 16 }, (_, i) => xmm(i));

/** Holds the VM context in every Wasm function (callee-saved in System V, so host calls keep it). */
export const VMCTX_REG = r15;
/** Integer scratch of the MacroAssembler: caller-saved and not an argument register. */
export const SCRATCH_INT = r11;
/** Float scratch of the MacroAssembler. */
export const SCRATCH_FLOAT = xmmRegs[15]!;

const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

export const X64_REGISTERS: MachineRegisters = {
  int: {
    cls: RegClass.Int,
    count: 16,
    names: GPR_NAMES,
    // Caller-saved first: the baseline tier spills live values around calls anyway, and values
    // in callee-saved registers would cost nothing more but are kept for the optimizing tier.
    allocatable: [rax, rcx, rdx, rsi, rdi, r8, r9, r10, rbx, r12, r13, r14],
    excluded: [
      { reg: rsp, reason: 'stack pointer' },
      { reg: rbp, reason: 'frame pointer: frames are walked for traps and stack limits' },
      { reg: r11, reason: 'scratch: MacroAssembler temporary (caller-saved, not an argument register)' },
      { reg: r15, reason: 'pinned: VM context' },
    ],
  },
  float: {
    cls: RegClass.Float,
    count: 16,
    names: xmmRegs.map((_, i) => `xmm${i}`),
    allocatable: xmmRegs.slice(0, 14),
    excluded: [
      { reg: xmmRegs[14]!, reason: 'scratch: second MacroAssembler temporary for v128 sequences' },
      { reg: xmmRegs[15]!, reason: 'scratch: MacroAssembler temporary for float sequences' },
    ],
  },
  stackPointer: rsp,
  framePointer: rbp,
  vmContext: VMCTX_REG,
  scratch: { int: SCRATCH_INT, float: SCRATCH_FLOAT },
};
