// Expected instruction words, one or more per form, worked out by hand from the field layouts in
// the Arm ARM (DDI 0487, C4 "A64 Instruction Set Encoding"). Each word is also checked against the
// text objdump prints for it, so the table does not depend on the encoder it tests.
import { describe, expect, it } from 'vitest';
import { Arm64Assembler, Barrier, Cond, Extend, Gpr, Shift } from '../src/assembler/index.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';

const { sp, zr, fp, lr } = Gpr;

const TABLE: ReadonlyArray<[number, string, (a: Arm64Assembler) => void]> = [
  [0x91000420, 'add x0, x1, #0x1', (a) => a.addRRI(64, 0, 1, 1)],
  [0x113ffc83, 'add w3, w4, #0xfff', (a) => a.addRRI(32, 3, 4, 0xfff)],
  [0xd10043ff, 'sub sp, sp, #0x10', (a) => a.subRRI(64, sp, sp, 16)],
  [0x910003fd, 'mov x29, sp', (a) => a.movRR(64, fp, sp)],
  [0xf140043f, 'cmp x1, #0x1, lsl #12', (a) => a.cmpRI(64, 1, 0x1000)],
  [0x8b020c20, 'add x0, x1, x2, lsl #3', (a) => a.addRRShifted(64, 0, 1, 2, Shift.lsl, 3)],
  [0x4b827c20, 'sub w0, w1, w2, asr #31', (a) => a.subRRShifted(32, 0, 1, 2, Shift.asr, 31)],
  [0xcb0603e5, 'neg x5, x6', (a) => a.negRR(64, 5, 6)],
  [0x8b2163ff, 'add sp, sp, x1', (a) => a.addRRR(64, sp, sp, 1)],
  [0x8b22c820, 'add x0, x1, w2, sxtw #2', (a) => a.addRRExtended(64, 0, 1, 2, Extend.sxtw, 2)],
  [0xeb3063ff, 'cmp sp, x16', (a) => a.cmpRR(64, sp, 16)],
  [0x92401c20, 'and x0, x1, #0xff', (a) => a.andRRI(64, 0, 1, 0xff)],
  [0x32010020, 'orr w0, w1, #0x80000000', (a) => a.orrRRI(32, 0, 1, 0x80000000)],
  [0xd200f062, 'eor x2, x3, #0x5555555555555555', (a) => a.eorRRI(64, 2, 3, 0x5555555555555555n)],
  [0x7200001f, 'tst w0, #0x1', (a) => a.tstRI(32, 0, 1)],
  [0x927cec1f, 'and sp, x0, #0xfffffffffffffff0', (a) => a.andRRI(64, sp, 0, -16)],
  [0xaa0103e0, 'mov x0, x1', (a) => a.movRR(64, 0, 1)],
  [0x2a2403e3, 'mvn w3, w4', (a) => a.mvnRR(32, 3, 4)],
  [0xeac21c20, 'ands x0, x1, x2, ror #7', (a) => a.logicalRRShifted(0x60000000, 64, 0, 1, 2, Shift.ror, 7)],
  [0xd2824680, 'mov x0, #0x1234', (a) => a.movzRI(64, 0, 0x1234)],
  [0xf2f7dde1, 'movk x1, #0xbeef, lsl #48', (a) => a.movkRI(64, 1, 0xbeef, 48)],
  [0x12800002, 'mov w2, #0xffffffff', (a) => a.movnRI(32, 2, 0)],
  [0xd37df020, 'lsl x0, x1, #3', (a) => a.lslRRI(64, 0, 1, 3)],
  [0x53047c20, 'lsr w0, w1, #4', (a) => a.lsrRRI(32, 0, 1, 4)],
  [0x937ffc62, 'asr x2, x3, #63', (a) => a.asrRRI(64, 2, 3, 63)],
  [0xd3441c20, 'ubfx x0, x1, #4, #4', (a) => a.ubfxRRII(64, 0, 1, 4, 4)],
  [0x93407c20, 'sxtw x0, w1', (a) => a.sxtwRR(0, 1)],
  [0x53001c20, 'uxtb w0, w1', (a) => a.uxtbRR(0, 1)],
  [0x33180c20, 'bfi w0, w1, #8, #4', (a) => a.bfiRRII(32, 0, 1, 8, 4)],
  [0x13811420, 'ror w0, w1, #5', (a) => a.rorRRI(32, 0, 1, 5)],
  [0x1ac22020, 'lsl w0, w1, w2', (a) => a.lslRRR(32, 0, 1, 2)],
  [0x9ac20820, 'udiv x0, x1, x2', (a) => a.udivRRR(64, 0, 1, 2)],
  [0x1ac50c83, 'sdiv w3, w4, w5', (a) => a.sdivRRR(32, 3, 4, 5)],
  [0xdac01020, 'clz x0, x1', (a) => a.clzRR(64, 0, 1)],
  [0x5ac00020, 'rbit w0, w1', (a) => a.rbitRR(32, 0, 1)],
  [0xdac00c20, 'rev x0, x1', (a) => a.revRR(64, 0, 1)],
  [0x5ac00820, 'rev w0, w1', (a) => a.revRR(32, 0, 1)],
  [0x9b037c20, 'mul x0, x1, x3', (a) => a.mulRRR(64, 0, 1, 3)],
  [0x1b028c20, 'msub w0, w1, w2, w3', (a) => a.msubRRRR(32, 0, 1, 2, 3)],
  [0x9b427c20, 'smulh x0, x1, x2', (a) => a.smulhRRR(0, 1, 2)],
  [0x9bc27c20, 'umulh x0, x1, x2', (a) => a.umulhRRR(0, 1, 2)],
  [0x9a9f17e0, 'cset x0, eq', (a) => a.csetR(64, 0, Cond.eq)],
  [0x1a82b020, 'csel w0, w1, w2, lt', (a) => a.cselRRR(32, 0, 1, 2, Cond.lt)],
  [0x5a9f03e0, 'csetm w0, ne', (a) => a.csetmR(32, 0, Cond.ne)],
  [0xfa421823, 'ccmp x1, #0x2, #0x3, ne', (a) => a.ccmpRI(64, 1, 2, 3, Cond.ne)],
  [0xf9400420, 'ldr x0, [x1, #8]', (a) => a.ldrRI(64, 0, 1, 8)],
  [0x397fffe0, 'ldrb w0, [sp, #4095]', (a) => a.ldrbRI(0, sp, 4095)],
  [0xb89fc020, 'ldursw x0, [x1, #-4]', (a) => a.ldrswRI(0, 1, -4)],
  [0xb8004c62, 'str w2, [x3, #4]!', (a) => a.strPreRI(32, 2, 3, 4)],
  [0xf8408420, 'ldr x0, [x1], #8', (a) => a.ldrPostRI(64, 0, 1, 8)],
  [0xf8627820, 'ldr x0, [x1, x2, lsl #3]', (a) => a.ldrRR(64, 0, 1, 2, Extend.uxtx, true)],
  [0x7862d820, 'ldrh w0, [x1, w2, sxtw #1]', (a) => a.loadStoreRR(5, 0, 1, 2, Extend.sxtw, true)],
  [0xfd0007e0, 'str d0, [sp, #8]', (a) => a.strFpRI(64, 0, sp, 8)],
  [0x3dc00841, 'ldr q1, [x2, #32]', (a) => a.ldrFpRI(128, 1, 2, 32)],
  [0xa9bf7bfd, 'stp x29, x30, [sp, #-16]!', (a) => a.stpPreRRI(64, fp, lr, sp, -16)],
  [0xa8c17bfd, 'ldp x29, x30, [sp], #16', (a) => a.ldpPostRRI(64, fp, lr, sp, 16)],
  [0x29410440, 'ldp w0, w1, [x2, #8]', (a) => a.ldpRRI(32, 0, 1, 2, 8)],
  [0x6d0127e8, 'stp d8, d9, [sp, #16]', (a) => a.loadStorePair(7, 2, 8, 9, sp, 16)],
  [0xd65f03c0, 'ret', (a) => a.ret()],
  [0xd61f0200, 'br x16', (a) => a.br(16)],
  [0xd63f0020, 'blr x1', (a) => a.blr(1)],
  [0xd503201f, 'nop', (a) => a.nop()],
  [0xd5033fdf, 'isb', (a) => a.isb()],
  [0xd5033bbf, 'dmb ish', (a) => a.dmb(Barrier.ish)],
  [0xd4207d00, 'brk #0x3e8', (a) => a.brk(1000)],
  [0x00000000, 'udf #0', (a) => a.udf(0)],
  [0x1e622820, 'fadd d0, d1, d2', (a) => a.faddRRR(64, 0, 1, 2)],
  [0x1e21c020, 'fsqrt s0, s1', (a) => a.fsqrtRR(32, 0, 1)],
  [0x1e22c020, 'fcvt d0, s1', (a) => a.fcvtRR(64, 32, 0, 1)],
  [0x1e612000, 'fcmp d0, d1', (a) => a.fcmpRR(64, 0, 1)],
  [0x1e6e1000, 'fmov d0, #1.000000000000000000e+00', (a) => a.fmovRI(64, 0, 1)],
  [0x9e660000, 'fmov x0, d0', (a) => a.fmovToGprRR(64, 0, 0)],
  [0x9e670000, 'fmov d0, x0', (a) => a.fmovFromGprRR(64, 0, 0)],
  [0x1e380000, 'fcvtzs w0, s0', (a) => a.fcvtzsRR(32, 32, 0, 0)],
  [0x9e620020, 'scvtf d0, x1', (a) => a.scvtfRR(64, 64, 0, 1)],
  [0x1e644020, 'frintn d0, d1', (a) => a.frintnRR(64, 0, 1)],
  [0x1e625820, 'fmin d0, d1, d2', (a) => a.fminRRR(64, 0, 1, 2)],
  [0x1e22cc20, 'fcsel s0, s1, s2, gt', (a) => a.fcselRRR(32, 0, 1, 2, Cond.gt)],
  [0x0e205800, 'cnt v0.8b, v0.8b', (a) => a.cnt8BRR(0, 0)],
  [0x0e31b800, 'addv b0, v0.8b', (a) => a.addv8BRR(0, 0)],
  [0x0b1f03e0, 'add w0, wzr, wzr', (a) => a.addRRR(32, 0, zr, zr)],
];

describe('instruction words from the Arm ARM field layouts', () => {
  for (const [word, text, emit] of TABLE) {
    it(`${text} = ${word.toString(16).padStart(8, '0')}`, () => {
      const asm = new Arm64Assembler();
      emit(asm);
      const { code } = asm.finish();
      expect(code.length).toBe(4);
      expect(new DataView(code.buffer).getUint32(0, true)).toBe(word);
    });
  }
});

describe.skipIf(!hasObjdump)('the table itself, checked by objdump', () => {
  it('each word disassembles to the text beside it', () => {
    const bytes = new Uint8Array(TABLE.length * 4);
    const view = new DataView(bytes.buffer);
    TABLE.forEach(([word], i) => view.setUint32(i * 4, word, true));
    expect(disassemble(bytes)).toEqual(TABLE.map(([, text]) => text));
  });
});
