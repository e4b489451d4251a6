// Expected bytes of the packed SIMD encodings, each derived by hand from the Intel SDM: legacy
// forms (mandatory prefix, REX 0100WRXB, 0F / 0F 38 / 0F 3A escape, opcode, ModRM, imm8) and
// VEX forms (§2.3.5: C5 R̄vvvv̄Lpp, or C4 R̄X̄B̄mmmmm Wvvvv̄Lpp; R̄, X̄, B̄ and vvvv stored inverted).

import { describe, expect, it } from 'vitest';
import { Assembler, AssemblerError, FloatPredicate, Gpr, Mem, MoveMaskOp, SimdOp, SimdShiftOp, VexOp } from '../src/assembler/index.ts';

function bytesOf(emit: (a: Assembler) => void): string {
  const a = new Assembler();
  emit(a);
  return Array.from(a.finish().code, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

type Case = readonly [name: string, emit: (a: Assembler) => void, hex: string];

const cases: Case[] = [
  // Legacy: prefix, [REX], 0F [38|3A], opcode, ModRM 11 reg rm.
  ['paddb xmm1,xmm2', (a) => a.simdRR(SimdOp.paddb, 1, 2), '66 0f fc ca'],
  ['paddb xmm9,xmm10 (REX.R+REX.B after the prefix)', (a) => a.simdRR(SimdOp.paddb, 9, 10), '66 45 0f fc ca'],
  ['pshufb xmm0,xmm15 (0F 38)', (a) => a.simdRR(SimdOp.pshufb, 0, 15), '66 41 0f 38 00 c7'],
  ['pshufd xmm3,xmm4,0x1b', (a) => a.simdRRI(SimdOp.pshufd, 3, 4, 0x1b), '66 0f 70 dc 1b'],
  ['roundps xmm1,xmm2,0xb (0F 3A)', (a) => a.simdRRI(SimdOp.roundps, 1, 2, 0x0b), '66 0f 3a 08 ca 0b'],
  ['cmpps xmm1,xmm2,lt (no prefix)', (a) => a.simdRRI(SimdOp.cmpps, 1, 2, FloatPredicate.Lt), '0f c2 ca 01'],
  ['movddup xmm1,xmm2 (F2)', (a) => a.simdRR(SimdOp.movddup, 1, 2), 'f2 0f 12 ca'],
  ['ptest xmm0,xmm1', (a) => a.simdRR(SimdOp.ptest, 0, 1), '66 0f 38 17 c1'],
  ['pcmpgtq xmm1,xmm2 (SSE4.2)', (a) => a.simdRR(SimdOp.pcmpgtq, 1, 2), '66 0f 38 37 ca'],
  ['pblendvb xmm1,xmm2 (mask in xmm0)', (a) => a.simdRR(SimdOp.pblendvb, 1, 2), '66 0f 38 10 ca'],
  ['insertps xmm1,xmm2,0x10', (a) => a.simdRRI(SimdOp.insertps, 1, 2, 0x10), '66 0f 3a 21 ca 10'],
  // Memory forms.
  ['movdqu xmm5,[rax]', (a) => a.simdRM(SimdOp.movdqu, 5, Mem.base(Gpr.rax)), 'f3 0f 6f 28'],
  ['movq xmm1,[rdi] (F3 0F 7E)', (a) => a.simdRM(SimdOp.movq, 1, Mem.base(Gpr.rdi)), 'f3 0f 7e 0f'],
  ['pmovsxbw xmm2,[rsi+8]', (a) => a.simdRM(SimdOp.pmovsxbw, 2, Mem.base(Gpr.rsi, 8)), '66 0f 38 20 56 08'],
  ['pshufd xmm1,[rcx],0 (imm after the displacement)', (a) => a.simdRMI(SimdOp.pshufd, 1, Mem.base(Gpr.rcx), 0), '66 0f 70 09 00'],
  ['movdqu [r12+0x10],xmm14', (a) => a.movdquMR(Mem.base(Gpr.r12, 0x10), 14), 'f3 45 0f 7f 74 24 10'],
  ['movq [rdi],xmm1 (66 0F D6)', (a) => a.movqMR(Mem.base(Gpr.rdi), 1), '66 0f d6 0f'],
  ['movd [rax],xmm3', (a) => a.movdMR(Mem.base(Gpr.rax), 3), '66 0f 7e 18'],
  ['movd xmm3,[rax]', (a) => a.movdRM(3, Mem.base(Gpr.rax)), '66 0f 6e 18'],
  // Immediate shifts: 66 0F 71/72/73 /digit ib.
  ['psllw xmm2,3 (/6)', (a) => a.simdShiftRI(SimdShiftOp.psllw, 2, 3), '66 0f 71 f2 03'],
  ['psrad xmm1,31 (/4)', (a) => a.simdShiftRI(SimdShiftOp.psrad, 1, 31), '66 0f 72 e1 1f'],
  ['psrldq xmm9,8 (/3, REX.B)', (a) => a.simdShiftRI(SimdShiftOp.psrldq, 9, 8), '66 41 0f 73 d9 08'],
  // Lane inserts and extracts.
  ['pinsrb xmm1,eax,5', (a) => a.pinsrRRI(8, 1, Gpr.rax, 5), '66 0f 3a 20 c8 05'],
  ['pinsrw xmm1,ecx,7 (66 0F C4)', (a) => a.pinsrRRI(16, 1, Gpr.rcx, 7), '66 0f c4 c9 07'],
  ['pinsrd xmm8,r9d,3', (a) => a.pinsrRRI(32, 8, Gpr.r9, 3), '66 45 0f 3a 22 c1 03'],
  ['pinsrq xmm1,rax,1 (REX.W)', (a) => a.pinsrRRI(64, 1, Gpr.rax, 1), '66 48 0f 3a 22 c8 01'],
  ['pinsrb xmm1,[rdx],15', (a) => a.pinsrRMI(8, 1, Mem.base(Gpr.rdx), 15), '66 0f 3a 20 0a 0f'],
  ['pextrb eax,xmm1,3 (ModRM.reg = xmm)', (a) => a.pextrRRI(8, Gpr.rax, 1, 3), '66 0f 3a 14 c8 03'],
  ['pextrw edx,xmm3,2 (66 0F C5: ModRM.reg = gpr)', (a) => a.pextrRRI(16, Gpr.rdx, 3, 2), '66 0f c5 d3 02'],
  ['pextrq r10,xmm2,1', (a) => a.pextrRRI(64, Gpr.r10, 2, 1), '66 49 0f 3a 16 d2 01'],
  ['pextrd [rbx],xmm2,1', (a) => a.pextrMRI(32, Mem.base(Gpr.rbx), 2, 1), '66 0f 3a 16 13 01'],
  ['pextrw [rbx],xmm2,6 (66 0F 3A 15)', (a) => a.pextrMRI(16, Mem.base(Gpr.rbx), 2, 6), '66 0f 3a 15 13 06'],
  ['pmovmskb eax,xmm1', (a) => a.moveMaskRR(MoveMaskOp.pmovmskb, Gpr.rax, 1), '66 0f d7 c1'],
  ['movmskps r8d,xmm2 (REX.R)', (a) => a.moveMaskRR(MoveMaskOp.movmskps, Gpr.r8, 2), '44 0f 50 c2'],
  ['movmskpd ecx,xmm9 (REX.B)', (a) => a.moveMaskRR(MoveMaskOp.movmskpd, Gpr.rcx, 9), '66 41 0f 50 c9'],
  // VEX, 2-byte form: map 0F, W0, no high rm/index register.
  ['vpaddb xmm1,xmm2,xmm3', (a) => a.vexRRR(SimdOp.paddb, 1, 2, 3), 'c5 e9 fc cb'],
  ['vpaddb xmm9,xmm10,xmm3 (R̄ = 0 still fits C5)', (a) => a.vexRRR(SimdOp.paddb, 9, 10, 3), 'c5 29 fc cb'],
  ['vmovdqu xmm1,[rax] (unary, pp = F3)', (a) => a.vexRM(SimdOp.movdqu, 1, Mem.base(Gpr.rax)), 'c5 fa 6f 08'],
  ['vpshufd xmm1,xmm2,0x1b', (a) => a.vexRRI(SimdOp.pshufd, 1, 2, 0x1b), 'c5 f9 70 ca 1b'],
  ['vcmpps xmm1,xmm2,xmm3,le', (a) => a.vexRRRI(SimdOp.cmpps, 1, 2, 3, FloatPredicate.Le), 'c5 e8 c2 cb 02'],
  ['vpsllw xmm1,xmm2,3 (NDD: destination in vvvv)', (a) => a.vexShiftRRI(SimdShiftOp.psllw, 1, 2, 3), 'c5 f1 71 f2 03'],
  // VEX, 3-byte form.
  ['vpaddb xmm9,xmm10,xmm11 (B̄ needs C4)', (a) => a.vexRRR(SimdOp.paddb, 9, 10, 11), 'c4 41 29 fc cb'],
  ['vpaddd xmm0,xmm1,[r8] (base r8)', (a) => a.vexRRM(SimdOp.paddd, 0, 1, Mem.base(Gpr.r8)), 'c4 c1 71 fe 00'],
  ['vpshufb xmm1,xmm2,xmm3 (map 0F38)', (a) => a.vexRRR(SimdOp.pshufb, 1, 2, 3), 'c4 e2 69 00 cb'],
  ['vpabsb xmm1,xmm2 (unary: vvvv = 1111)', (a) => a.vexRR(SimdOp.pabsb, 1, 2), 'c4 e2 79 1c ca'],
  ['vfmadd231pd xmm1,xmm2,xmm3 (W1)', (a) => a.vexRRR(VexOp.vfmadd231pd, 1, 2, 3), 'c4 e2 e9 b8 cb'],
  ['vpbroadcastb xmm1,xmm2', (a) => a.vexRR(VexOp.vpbroadcastb, 1, 2), 'c4 e2 79 78 ca'],
  ['vpblendvb xmm1,xmm2,xmm3,xmm4 (is4)', (a) => a.vexRRRR(VexOp.vpblendvb, 1, 2, 3, 4), 'c4 e3 69 4c cb 40'],
  ['vpinsrb xmm1,xmm2,eax,5', (a) => a.vpinsrRRRI(8, 1, 2, Gpr.rax, 5), 'c4 e3 69 20 c8 05'],
  ['vpinsrq xmm1,xmm2,rax,1 (W1)', (a) => a.vpinsrRRRI(64, 1, 2, Gpr.rax, 1), 'c4 e3 e9 22 c8 01'],
  ['vpinsrw xmm1,xmm2,ecx,7 (map 0F: C5)', (a) => a.vpinsrRRRI(16, 1, 2, Gpr.rcx, 7), 'c5 e9 c4 c9 07'],
];

describe('x64 assembler: SIMD encodings', () => {
  it.each(cases)('%s', (_name, emit, hex) => {
    expect(bytesOf(emit)).toBe(hex);
  });

  it('rejects operands the instruction cannot take', () => {
    const a = new Assembler();
    expect(() => a.simdRR(SimdOp.pshufd, 1, 2)).toThrow(AssemblerError);
    expect(() => a.simdRRI(SimdOp.paddb, 1, 2, 0)).toThrow(AssemblerError);
    expect(() => a.simdRRI(SimdOp.pshufd, 1, 2, 256)).toThrow(AssemblerError);
    expect(() => a.pinsrRRI(8, 1, Gpr.rax, 16)).toThrow(AssemblerError);
    expect(() => a.pextrRRI(64, Gpr.rax, 1, 2)).toThrow(AssemblerError);
    expect(() => a.vexRR(SimdOp.paddb, 1, 2)).toThrow(AssemblerError);
    expect(() => a.vexRRR(SimdOp.pabsb, 1, 2, 3)).toThrow(AssemblerError);
    expect(() => a.vexRRR(SimdOp.pblendvb, 1, 2, 3)).toThrow(AssemblerError);
    expect(() => a.vexRRR(SimdOp.paddb, 1, 16, 3)).toThrow(AssemblerError);
    expect(() => a.simdRR(SimdOp.paddb, 1 | 32, 2)).toThrow(AssemblerError);
  });
});
