// The backend conformance kit's structural checks for arm64, plus: every executable case of the
// kit builds with the arm64 MacroAssembler and disassembles to real instructions, and functions
// longer than a branch reaches build with islands. Native execution of the cases runs in
// @flint/runtime's backend-conformance test: in-process on an arm64 host, under qemu-user elsewhere.

import { RegClass, hwEncodingOf, makeReg, regSetHas } from '@flint/backend';
import { EXECUTABLE_CASES, LONG_FUNCTION_CASES, buildCase, checkBackendStructure, checkCallingConvention, checkLabelResolution, checkMachineRegisters } from '@flint/backend/testing';
import { describe, expect, it } from 'vitest';
import { AAPCS64, WASM_ARM64 } from '../src/abi.ts';
import { arm64Backend } from '../src/backend.ts';
import { Arm64MacroAssembler } from '../src/masm/macro-assembler.ts';
import { ARM64_REGISTERS } from '../src/regs.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';

const x = (n: number) => makeReg(RegClass.Int, n);
const v = (n: number) => makeReg(RegClass.Float, n);

describe('arm64 backend: conformance kit, structural checks', () => {
  it('describes its registers consistently', () => {
    expect(checkMachineRegisters(ARM64_REGISTERS)).toEqual([]);
  });

  it('has consistent calling conventions', () => {
    expect(checkCallingConvention(WASM_ARM64, ARM64_REGISTERS)).toEqual([]);
    expect(checkCallingConvention(AAPCS64, ARM64_REGISTERS)).toEqual([]);
  });

  it('resolves MacroAssembler labels and rejects unbound ones', () => {
    expect(checkLabelResolution(arm64Backend)).toEqual([]);
    expect(checkBackendStructure(arm64Backend)).toEqual([]);
  });

  it('exposes the arm64 register file and convention on the MacroAssembler', () => {
    const masm = arm64Backend.createMacroAssembler();
    expect(masm).toBeInstanceOf(Arm64MacroAssembler);
    expect(masm.registers).toBe(ARM64_REGISTERS);
    expect(masm.callingConvention).toBe(WASM_ARM64);
    expect(masm.scratch).toEqual({ int: x(16), float: v(31) });
    expect(arm64Backend.name).toBe('arm64');
    expect(arm64Backend.hostCallingConvention).toBe(AAPCS64);
    expect(arm64Backend.cpuFeatures.emitProbe()).toBeNull();
    expect(arm64Backend.cpuFeatures.known).toEqual([]);
  });

  it('keeps the reserved registers out of allocation, each with its reason', () => {
    const excluded = new Map(ARM64_REGISTERS.int.excluded.map((e) => [hwEncodingOf(e.reg), e.reason]));
    expect([...excluded.keys()].sort((a, b) => a - b)).toEqual([16, 17, 18, 28, 29, 30, 31]);
    expect(excluded.get(18)).toMatch(/platform register/);
    expect(excluded.get(28)).toMatch(/VM context/);
    expect(ARM64_REGISTERS.vmContext).toBe(x(28));
    expect(ARM64_REGISTERS.stackPointer).toBe(x(31));
    expect(ARM64_REGISTERS.framePointer).toBe(x(29));
    expect(ARM64_REGISTERS.int.allocatable).toHaveLength(25);
    expect(ARM64_REGISTERS.float.allocatable).toHaveLength(30);
    expect(ARM64_REGISTERS.float.excluded.map((e) => hwEncodingOf(e.reg))).toEqual([30, 31]);
  });

  it('states AAPCS64: x0-x7/v0-v7 arguments, x19-x28 and d8-d15 callee-saved, 16-byte stack', () => {
    expect(AAPCS64.intArgs).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(x));
    expect(AAPCS64.floatArgs).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(v));
    for (let n = 0; n < 31; n++) expect(regSetHas(AAPCS64.calleeSavedInt, x(n))).toBe(n >= 19 && n <= 29);
    for (let n = 0; n < 32; n++) expect(regSetHas(AAPCS64.calleeSavedFloat, v(n))).toBe(n >= 8 && n <= 15);
    expect(AAPCS64.stackAlignment).toBe(16);
    expect(WASM_ARM64.intResults).toEqual([x(0)]);
    expect(WASM_ARM64.floatResults).toEqual([v(0)]);
  });
});

describe.skipIf(!hasObjdump)('arm64 backend: every kit case builds into decodable code (skipped without aarch64-linux-gnu-objdump)', () => {
  {
    it('no undefined instruction words', () => {
      for (const c of EXECUTABLE_CASES) {
        const { code } = buildCase(arm64Backend, c);
        const texts = disassemble(code);
        expect(texts.length, c.name).toBeGreaterThan(4);
        // The stubs' `blr x16` to the trap exit, or the epilogue's `ret`, ends every function.
        expect(texts.some((t) => t === 'ret'), c.name).toBe(true);
        expect(texts.filter((t) => t.startsWith('.inst') || t.startsWith('udf') || t === '<missing>'), c.name).toEqual([]);
      }
    });
  }
});

describe('arm64 backend: branch range', () => {
  it('a forward branch beyond ±1 MiB reaches its label through a veneer, with no retry and no option', () => {
    const masm = new Arm64MacroAssembler();
    const done = masm.newLabel();
    masm.branchOnZero(x(0), 32, done);
    for (let i = 0; i < (1 << 20) / 4 + 8; i++) masm.asm.nop();
    masm.bind(done);
    const { code } = masm.finish();
    expect(masm.asm.buffer.islands).toBe(1);
    const view = new DataView(code.buffer, code.byteOffset);
    // cbz w0 → its veneer in the island (a `b` after the island's own jump), veneer → done.
    const cbz = view.getUint32(0, true);
    expect(cbz & 0xff00001f).toBe(0x34000000);
    const veneer = ((cbz << 8) >> 13) * 4;
    expect(veneer).toBeLessThan(1 << 20);
    const word = view.getUint32(veneer, true);
    expect(word >>> 26).toBe(0x14000000 >>> 26);
    const doneOffset = code.length;
    expect(veneer + ((word << 6) >> 4)).toBe(doneOffset);
  });

  it('builds every long-function case (each needs islands) without a bailout', () => {
    for (const c of LONG_FUNCTION_CASES) {
      const masm = arm64Backend.createMacroAssembler() as Arm64MacroAssembler;
      const { code } = buildCase({ ...arm64Backend, createMacroAssembler: () => masm }, c);
      expect(code.length, c.name).toBeGreaterThan(1 << 20);
      if (!c.name.startsWith('a loop')) expect(masm.asm.buffer.islands, c.name).toBeGreaterThan(0);
    }
  });
});
