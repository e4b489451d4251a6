// The README's backend example, run as written.
import { Imm, IntBinaryKind, OperandSize } from '@flint/backend';
import { describe, expect, it } from 'vitest';
import { arm64Backend } from '../src/index.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';

describe.skipIf(!hasObjdump)('README example (skipped without aarch64-linux-gnu-objdump)', () => {
  it('emits the frame, the add and the return it describes', () => {
    const masm = arm64Backend.createMacroAssembler();
    const [a] = masm.callingConvention.intArgs;
    masm.prologue(0);
    masm.intBinary(IntBinaryKind.Add, OperandSize.S32, a!, a!, Imm.i32(1));
    masm.epilogue();
    const { code } = masm.finish();
    const texts = disassemble(code);
    expect(texts[0]).toBe('stp x29, x30, [sp, #-32]!');
    expect(texts).toContain('add w0, w0, #0x1');
    expect(texts.indexOf('ret')).toBe(texts.indexOf('add w0, w0, #0x1') + 3);
    expect(texts.at(-1)).toBe('blr x16'); // the call-stack-exhausted stub
  });
});
