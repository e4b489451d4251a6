// The backend conformance kit's structural checks for arm64, plus: every executable case of the
// kit builds with the arm64 MacroAssembler (short and far branches) and disassembles to real
// instructions. Native execution of the cases runs in @flint/runtime's backend-conformance test:
// in-process on an arm64 host, under qemu-user elsewhere.

import { BailoutReason, RegClass, hwEncodingOf, isBackendBailout, makeReg, regSetHas, type Backend } from '@flint/backend';
import { EXECUTABLE_CASES, buildCase, checkBackendStructure, checkCallingConvention, checkLabelResolution, checkMachineRegisters } from '@flint/backend/testing';
import { describe, expect, it } from 'vitest';
import { AAPCS64, WASM_ARM64 } from '../src/abi.ts';
import { arm64Backend } from '../src/backend.ts';
import { Arm64MacroAssembler } from '../src/masm/macro-assembler.ts';
import { ARM64_REGISTERS } from '../src/regs.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';

const x = (n: number) => makeReg(RegClass.Int, n);
const v = (n: number) => makeReg(RegClass.Float, n);
const farBackend: Backend = { ...arm64Backend, createMacroAssembler: (o) => new Arm64MacroAssembler({ ...o, farBranches: true }) };

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
    expect(ARM64_REGISTERS.float.allocatable).toHaveLength(31);
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
  for (const [label, backend] of [
    ['short branches', arm64Backend],
    ['far branches', farBackend],
  ] as const) {
    it(`${label}: no undefined instruction words`, () => {
      for (const c of EXECUTABLE_CASES) {
        const { code } = buildCase(backend, c);
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
  it('asks for far branches (function-too-large) when a forward branch cannot reach, and then assembles', () => {
    const build = (masm: Arm64MacroAssembler) => {
      const done = masm.newLabel();
      masm.branchOnZero(x(0), 32, done);
      for (let i = 0; i < (1 << 20) / 4 + 8; i++) masm.asm.nop();
      masm.bind(done);
      return masm.finish();
    };
    let error: unknown;
    try {
      build(new Arm64MacroAssembler());
    } catch (e) {
      error = e;
    }
    expect(isBackendBailout(error) && error.reason).toBe(BailoutReason.FunctionTooLarge);
    const { code } = build(new Arm64MacroAssembler({ farBranches: true }));
    const view = new DataView(code.buffer, code.byteOffset);
    // cbnz w0, +8 (the inverted condition) over `b done`: done is 2 + 2^18 + 8 words ahead of `b`.
    expect(view.getUint32(0, true)).toBe(0x35000040);
    expect(view.getUint32(4, true)).toBe((0x14000000 | ((1 << 18) + 8 + 1)) >>> 0);
  });
});
