// x86-64 calling conventions: System V AMD64 for calls with the host, and Flint's Wasm-to-Wasm
// convention (System V's argument registers, the VM context pinned in r15, no callee-saved
// registers besides rbp: the baseline tier spills around calls, so saving registers in every
// callee would only cost).
// System V AMD64 ABI §3.2.3 "Parameter Passing": https://gitlab.com/x86-psABIs/x86-64-ABI

import { regSetOf, type CallingConvention } from '@flint/backend';
import { r12, r13, r14, r15, r8, r9, rax, rbp, rbx, rcx, rdi, rdx, rsi, xmmRegs } from './regs.ts';

const x = (n: number) => xmmRegs[n]!;

export const SYSTEM_V: CallingConvention = {
  name: 'x64-sysv',
  intArgs: [rdi, rsi, rdx, rcx, r8, r9],
  floatArgs: [x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7)],
  intResults: [rax, rdx],
  floatResults: [x(0), x(1)],
  calleeSavedInt: regSetOf([rbx, rbp, r12, r13, r14, r15]),
  calleeSavedFloat: 0,
  stackAlignment: 16,
  redZone: 128,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};

export const WASM_X64: CallingConvention = {
  name: 'x64-flint-wasm',
  intArgs: [rdi, rsi, rdx, rcx, r8, r9],
  floatArgs: [x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7)],
  // One register result per class; further results go to the caller's stack result area.
  intResults: [rax],
  floatResults: [x(0)],
  // r15 is preserved in the sense that it holds the VM context on entry and on return.
  calleeSavedInt: regSetOf([rbp, r15]),
  calleeSavedFloat: 0,
  stackAlignment: 16,
  // No red zone: signal-free trap handling does not need it, and async stack switching may.
  redZone: 0,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};
