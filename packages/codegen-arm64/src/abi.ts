// AArch64 calling conventions: AAPCS64 for calls with the host, and Flint's Wasm-to-Wasm
// convention (AAPCS64's argument registers, the VM context pinned in x28, no callee-saved
// registers besides the frame pointer: the baseline tier spills around calls, so saving registers
// in every callee would only cost).
// AAPCS64 §6.4 "Parameter passing", §6.1 "Machine registers" (x19-x28 and the low 64 bits of
// v8-v15 are callee-saved; sp is 16-byte aligned at every public interface):
// https://github.com/ARM-software/abi-aa/blob/main/aapcs64/aapcs64.rst

import { regSetOf, type CallingConvention } from '@flint/backend';
import { vRegs, xRegs } from './regs.ts';

const x = (n: number) => xRegs[n]!;
const v = (n: number) => vRegs[n]!;
const range = (from: number, to: number, of: (n: number) => number) => Array.from({ length: to - from + 1 }, (_, i) => of(from + i));

export const AAPCS64: CallingConvention = {
  name: 'arm64-aapcs64',
  intArgs: range(0, 7, x),
  floatArgs: range(0, 7, v),
  intResults: range(0, 7, x),
  floatResults: range(0, 7, v),
  calleeSavedInt: regSetOf([...range(19, 28, x), x(29)]),
  // Only the low 64 bits (d8-d15) are preserved; scalar code never uses the upper half.
  calleeSavedFloat: regSetOf(range(8, 15, v)),
  stackAlignment: 16,
  // AAPCS64 has no red zone on Linux (Darwin has 128 bytes; not relied on).
  redZone: 0,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};

export const WASM_ARM64: CallingConvention = {
  name: 'arm64-flint-wasm',
  intArgs: range(0, 7, x),
  floatArgs: range(0, 7, v),
  // One register result per class; further results go to the caller's stack result area.
  intResults: [x(0)],
  floatResults: [v(0)],
  // x28 is preserved in the sense that it holds the VM context on entry and on return.
  calleeSavedInt: regSetOf([x(28), x(29)]),
  calleeSavedFloat: 0,
  stackAlignment: 16,
  redZone: 0,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};
