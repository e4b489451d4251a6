// The v128 sequences of the x64 MacroAssembler and how the compile's CPU features choose them:
// the SSE4.1 floor, SSE4.2's pcmpgtq, AVX's non-destructive VEX forms, AVX2's broadcasts and
// FMA3's fused multiply-add, each disassembled with and without its feature. (Their results are
// checked by running them: the backend kit's v128 cases run under every feature set with one
// feature switched off at a time, and the spec's simd scripts under FLINT_X64_FEATURES caps.)

import {
  CpuFeatureSet,
  IntCond,
  LaneShape,
  ShiftKind,
  V128BinaryKind,
  V128LoadKind,
  V128TernaryKind,
  ValueSize,
} from '@flint/backend';
import { RegisterValueStack } from '@flint/backend/testing';
import { describe, expect, it } from 'vitest';
import { X64_CPU_FEATURES, applyX64FeatureCap } from '../src/cpu-features.ts';
import { X64MacroAssembler } from '../src/masm/macro-assembler.ts';
import { X64_REGISTERS, rax, rdi, xmmRegs } from '../src/regs.ts';
import { disassembleText, hasObjdump } from './helpers/objdump.ts';

const [xmm0, xmm1, xmm2, xmm3] = [xmmRegs[0]!, xmmRegs[1]!, xmmRegs[2]!, xmmRegs[3]!];
const ALL = CpuFeatureSet.of(X64_CPU_FEATURES.known);
const SSE41 = applyX64FeatureCap(ALL, 'sse4.1');
const V2 = applyX64FeatureCap(ALL, 'x86-64-v2');
const AVX = applyX64FeatureCap(ALL, 'avx');

/** The instructions `body` emits with `features`, up to (without) the final ret. */
function emit(features: CpuFeatureSet, body: (m: X64MacroAssembler) => void): string[] {
  const m = new X64MacroAssembler({ cpuFeatures: features });
  body(m);
  m.asm.ret();
  const text = disassembleText(m.finish().code);
  return text.slice(0, text.indexOf('ret'));
}

describe.skipIf(!hasObjdump)('x64 v128 sequences by CPU feature set (objdump)', () => {
  it('binary operations: the destructive SSE form after a copy, or one VEX instruction', () => {
    const add = (m: X64MacroAssembler) => m.v128Binary(V128BinaryKind.I32x4Add, xmm2, xmm0, xmm1);
    expect(emit(SSE41, add)).toEqual(['movaps xmm2,xmm0', 'paddd xmm2,xmm1']);
    expect(emit(AVX, add)).toEqual(['vpaddd xmm2,xmm0,xmm1']);
    // dst = rhs of a non-commutative operation: the right operand goes through the scratch register first.
    const sub = (m: X64MacroAssembler) => m.v128Binary(V128BinaryKind.I32x4Sub, xmm1, xmm0, xmm1);
    expect(emit(SSE41, sub)).toEqual(['movaps xmm15,xmm1', 'movaps xmm1,xmm0', 'psubd xmm1,xmm15']);
  });

  it('i64x2.gt_s: pcmpgtq with SSE4.2, a 32-bit compare sequence without', () => {
    const gt = (m: X64MacroAssembler) => m.v128IntCompare(LaneShape.I64x2, IntCond.GtS, xmm0, xmm0, xmm1);
    expect(emit(V2, gt)).toEqual(['pcmpgtq xmm0,xmm1']);
    expect(emit(SSE41, gt)).toEqual([
      'movaps xmm14,xmm1',
      'psubq xmm14,xmm0',
      'movaps xmm15,xmm0',
      'pcmpeqd xmm15,xmm1',
      'pand xmm14,xmm15',
      'movaps xmm15,xmm0',
      'pcmpgtd xmm15,xmm1',
      'por xmm14,xmm15',
      'pshufd xmm0,xmm14,0xf5',
    ]);
  });

  it('splats: one broadcast with AVX2, shuffles without', () => {
    const splat = (m: X64MacroAssembler) => m.v128Splat(LaneShape.I8x16, xmm0, rdi);
    expect(emit(ALL, splat)).toEqual(['movd xmm0,edi', 'vpbroadcastb xmm0,xmm0']);
    expect(emit(V2, splat)).toEqual(['movd xmm0,edi', 'pxor xmm15,xmm15', 'pshufb xmm0,xmm15']);
    const load = (m: X64MacroAssembler) => m.v128Load(V128LoadKind.Load16Splat, xmm1, rax, 6);
    expect(emit(ALL, load)).toEqual(['vpbroadcastw xmm1,word ptr [rax+0x6]']);
    expect(emit(SSE41, load)).toEqual(['pinsrw xmm1,word ptr [rax+0x6],0x0', 'pshuflw xmm1,xmm1,0x0', 'pshufd xmm1,xmm1,0x0']);
  });

  it('relaxed_madd: fused with FMA3, a multiply and an add without', () => {
    const madd = (features: CpuFeatureSet) =>
      emit(features, (m) => {
        const stack = new RegisterValueStack(m, X64_REGISTERS);
        for (const reg of [xmm0, xmm1, xmm2]) stack.pushReg(reg, ValueSize.S128);
        m.v128Ternary(stack, V128TernaryKind.F32x4RelaxedMadd);
      });
    expect(madd(ALL)).toEqual(['vfmadd231ps xmm2,xmm0,xmm1']);
    expect(madd(AVX)).toEqual(['vmulps xmm0,xmm0,xmm1', 'vaddps xmm0,xmm0,xmm2']);
    expect(madd(SSE41)).toEqual(['mulps xmm0,xmm1', 'addps xmm0,xmm2']);
  });

  it('relaxed_laneselect without AVX pins its mask in xmm0 (pblendvb), moving a live value out first', () => {
    const select = (features: CpuFeatureSet) =>
      emit(features, (m) => {
        const stack = new RegisterValueStack(m, X64_REGISTERS);
        // xmm0 holds the first operand; the mask (on top) is in xmm3.
        for (const reg of [xmm0, xmm1, xmm3]) stack.pushReg(reg, ValueSize.S128);
        m.v128Ternary(stack, V128TernaryKind.I8x16RelaxedLaneselect);
      });
    const sse = select(SSE41);
    expect(sse.at(-1)).toMatch(/^pblendvb xmm1,xmm\d+,xmm0$/);
    expect(sse).toContain('movaps xmm0,xmm3');
    expect(sse[0]).toMatch(/^movaps xmm\d+,xmm0$/); // the live operand left xmm0 before the mask arrived
    expect(select(AVX)).toEqual(['vpblendvb xmm0,xmm1,xmm0,xmm3']);
  });

  it('byte shifts by a register: word shifts and a mask built from the count', () => {
    expect(emit(AVX, (m) => m.v128Shift(LaneShape.I8x16, ShiftKind.ShrU, xmm0, xmm0, rdi))).toEqual([
      'mov r11d,edi',
      'and r11d,0x7',
      'add r11d,0x8',
      'vmovd xmm15,r11d',
      'vpcmpeqd xmm14,xmm14,xmm14',
      'vpsrlw xmm14,xmm14,xmm15',
      'vpackuswb xmm14,xmm14,xmm14',
      'sub r11d,0x8',
      'vmovd xmm15,r11d',
      'vpsrlw xmm0,xmm0,xmm15',
      'vpand xmm0,xmm0,xmm14',
    ].map((t) => t.replace(/^vmovd/, 'movd')));
  });
});
