// The backend conformance kit's structural checks for x64, plus: every executable case of the kit
// builds with the x64 MacroAssembler and disassembles cleanly (no undecodable bytes before the
// constant pool). Native execution of the cases runs in @flint/runtime's tests.

import type { Backend } from '@flint/backend';
import {
  EXECUTABLE_CASES,
  buildCase,
  checkCallingConvention,
  checkLabelResolution,
  checkMachineRegisters,
} from '@flint/backend/testing';
import { describe, expect, it } from 'vitest';
import { SYSTEM_V, WASM_X64 } from '../src/abi.ts';
import { x64Backend } from '../src/backend.ts';
import { X64MacroAssembler } from '../src/masm/macro-assembler.ts';
import { X64_REGISTERS } from '../src/regs.ts';
import { disassemble, hasObjdump } from './helpers/objdump.ts';

// The backend object with this package's MacroAssembler, whatever backend.ts wires today.
const backend: Backend = { ...x64Backend, createMacroAssembler: (options) => new X64MacroAssembler(options) };

describe('x64 backend: conformance kit, structural checks', () => {
  it('describes its registers consistently', () => {
    expect(checkMachineRegisters(X64_REGISTERS)).toEqual([]);
  });

  it('has consistent calling conventions', () => {
    expect(checkCallingConvention(WASM_X64, X64_REGISTERS)).toEqual([]);
    expect(checkCallingConvention(SYSTEM_V, X64_REGISTERS)).toEqual([]);
  });

  it('resolves MacroAssembler labels and rejects unbound ones', () => {
    expect(checkLabelResolution(backend)).toEqual([]);
  });

  it('exposes the x64 register file and convention on the MacroAssembler', () => {
    const masm = new X64MacroAssembler();
    expect(masm.registers).toBe(X64_REGISTERS);
    expect(masm.callingConvention).toBe(WASM_X64);
    expect(masm.scratch).toEqual(X64_REGISTERS.scratch);
  });
});

describe.skipIf(!hasObjdump)('x64 backend: every kit case builds into decodable code', () => {
  // Skipped only when /usr/bin/objdump (binutils) is absent.
  for (const c of EXECUTABLE_CASES) {
    it(c.name, () => {
      const { code } = buildCase(backend, c);
      const insns = disassemble(code);
      // The code ends at the last ret/trap stub; only the constant pool (data) may follow.
      let lastCodeIndex = -1;
      insns.forEach((insn, index) => {
        if (insn.text === 'ret' || insn.text === 'call qword ptr [r15+0x58]') lastCodeIndex = index;
      });
      expect(lastCodeIndex).toBeGreaterThan(0);
      const bad = insns.slice(0, lastCodeIndex + 1).filter((i) => i.text.includes('(bad)'));
      expect(bad).toEqual([]);
    });
  }
});
