// The x64 CPU features: decoding the probe's words (CPUID leaves and XCR0, bit positions from
// the Intel SDM's CPUID tables and AMD's APM), the FLINT_X64_FEATURES cap, the Wasm-feature hook,
// and the probe's code. The probe itself runs natively in @flint/runtime's tests.
import { CpuFeatureError, CpuFeatureSet } from '@flint/backend';
import { describe, expect, it } from 'vitest';
import {
  ProbeWord,
  X64Feature,
  X64_CPU_FEATURES,
  applyX64FeatureCap,
  decodeX64Probe,
  emitX64Probe,
  x64FeatureTitle,
} from '../src/cpu-features.ts';
import { x64Backend } from '../src/backend.ts';
import { disassemble, hasObjdump } from './helpers/objdump.ts';

const bits = (...indices: number[]): number => indices.reduce((word, i) => (word | (1 << i)) >>> 0, 0);

interface Cpuid {
  maxBasicLeaf?: number;
  leaf1Ecx?: number;
  leaf1Edx?: number;
  leaf7Ebx?: number;
  maxExtendedLeaf?: number;
  extended1Ecx?: number;
  xcr0?: number;
}

/** The probe's words for the given register values (upper halves as the probe stores them). */
function words(cpu: Cpuid): BigUint64Array {
  const w = new BigUint64Array(ProbeWord.count);
  w[ProbeWord.MaxBasicLeaf] = BigInt(cpu.maxBasicLeaf ?? 0);
  w[ProbeWord.Leaf1] = BigInt(cpu.leaf1Ecx ?? 0) | (BigInt(cpu.leaf1Edx ?? 0) << 32n);
  w[ProbeWord.Leaf7] = BigInt(cpu.leaf7Ebx ?? 0);
  w[ProbeWord.MaxExtendedLeaf] = BigInt(cpu.maxExtendedLeaf ?? 0);
  w[ProbeWord.Extended1] = BigInt(cpu.extended1Ecx ?? 0);
  w[ProbeWord.Xcr0] = BigInt(cpu.xcr0 ?? 0);
  return w;
}

// Leaf 1 ECX: SSE3 0, SSSE3 9, SSE4.1 19, SSE4.2 20, POPCNT 23, OSXSAVE 27, AVX 28.
// Leaf 7 EBX: BMI1 3, AVX2 5, BMI2 8. Leaf 0x80000001 ECX: LZCNT (ABM) 5. XCR0: SSE 1, AVX 2.
const SSE2_EDX = bits(26);
const HASWELL: Cpuid = {
  maxBasicLeaf: 0xd,
  leaf1Ecx: bits(0, 9, 19, 20, 23, 27, 28),
  leaf1Edx: SSE2_EDX,
  leaf7Ebx: bits(3, 5, 8),
  maxExtendedLeaf: 0x8000_0008,
  extended1Ecx: bits(0, 5),
  xcr0: 0b111,
};

describe('decoding the CPUID probe', () => {
  it('finds every feature of an x86-64-v3 CPU', () => {
    expect(decodeX64Probe(words(HASWELL)).names).toEqual([...X64_CPU_FEATURES.known].sort());
  });

  it('finds nothing optional on a plain x86-64 CPU (SSE2 only)', () => {
    expect(decodeX64Probe(words({ maxBasicLeaf: 1, leaf1Edx: SSE2_EDX, maxExtendedLeaf: 0x8000_0001 }))).toBe(CpuFeatureSet.NONE);
  });

  it('reads each feature from its own bit', () => {
    const single: [Cpuid, string[]][] = [
      [{ leaf1Ecx: bits(0) }, ['sse3']],
      [{ leaf1Ecx: bits(23) }, ['popcnt']],
      [{ maxExtendedLeaf: 0x8000_0001, extended1Ecx: bits(5) }, ['lzcnt']],
      [{ maxBasicLeaf: 7, leaf7Ebx: bits(3) }, ['bmi1']],
      [{ maxBasicLeaf: 7, leaf7Ebx: bits(8) }, ['bmi2']],
      [{ leaf1Ecx: bits(0, 9) }, ['sse3', 'ssse3']],
      [{ leaf1Ecx: bits(0, 9, 19) }, ['sse3', 'sse4.1', 'ssse3']],
      [{ leaf1Ecx: bits(0, 9, 19, 20) }, ['sse3', 'sse4.1', 'sse4.2', 'ssse3']],
    ];
    for (const [cpu, expected] of single) expect(decodeX64Probe(words(cpu)).names).toEqual(expected);
  });

  it('ignores leaves above the highest the CPU reports', () => {
    expect(decodeX64Probe(words({ ...HASWELL, maxBasicLeaf: 6 })).has(X64Feature.BMI1)).toBe(false);
    expect(decodeX64Probe(words({ ...HASWELL, maxBasicLeaf: 6 })).has(X64Feature.AVX2)).toBe(false);
    expect(decodeX64Probe(words({ ...HASWELL, maxExtendedLeaf: 0x8000_0000 })).has(X64Feature.LZCNT)).toBe(false);
  });

  it('takes AVX only when the OS saves the ymm state (OSXSAVE and XCR0 bits 1 and 2), and AVX2 only with AVX', () => {
    const withoutOsxsave = decodeX64Probe(words({ ...HASWELL, leaf1Ecx: HASWELL.leaf1Ecx! & ~bits(27), xcr0: 0 }));
    expect(withoutOsxsave.has(X64Feature.AVX)).toBe(false);
    expect(withoutOsxsave.has(X64Feature.AVX2)).toBe(false);
    expect(withoutOsxsave.has(X64Feature.SSE42)).toBe(true);
    expect(decodeX64Probe(words({ ...HASWELL, xcr0: 0b011 })).has(X64Feature.AVX)).toBe(false);
    expect(decodeX64Probe(words({ ...HASWELL, xcr0: 0b101 })).has(X64Feature.AVX)).toBe(false);
  });

  it('drops a feature whose base is missing (a hypervisor hiding SSSE3 but showing SSE4.1)', () => {
    expect(decodeX64Probe(words({ leaf1Ecx: bits(0, 19, 20, 23) })).names).toEqual(['popcnt', 'sse3']);
  });

  it('rejects a probe result of the wrong length', () => {
    expect(() => decodeX64Probe(new BigUint64Array(2))).toThrow(CpuFeatureError);
  });
});

describe('FLINT_X64_FEATURES', () => {
  const all = decodeX64Probe(words(HASWELL));
  const cap = (text: string): string[] => [...applyX64FeatureCap(all, text).names];

  it('sse2 and x86-64 mean the plain x86-64 baseline', () => {
    expect(applyX64FeatureCap(all, 'sse2')).toBe(CpuFeatureSet.NONE);
    expect(applyX64FeatureCap(all, 'x86-64')).toBe(CpuFeatureSet.NONE);
  });

  it('keeps the named features the CPU has, and what they build on', () => {
    expect(cap('lzcnt,bmi1')).toEqual(['bmi1', 'lzcnt']);
    expect(cap('sse4.1')).toEqual(['sse3', 'sse4.1', 'ssse3']);
    expect(cap('avx2')).toEqual(['avx', 'avx2', 'sse3', 'sse4.1', 'sse4.2', 'ssse3']);
    expect(cap(' POPCNT , sse2 ,')).toEqual(['popcnt']);
  });

  it('never adds a feature the CPU lacks', () => {
    const plain = decodeX64Probe(words({ leaf1Ecx: bits(0, 23) }));
    expect(applyX64FeatureCap(plain, 'x86-64-v3').names).toEqual(['popcnt', 'sse3']);
  });

  it('knows the levels and the /proc/cpuinfo spellings', () => {
    expect(cap('x86-64-v2')).toEqual(['popcnt', 'sse3', 'sse4.1', 'sse4.2', 'ssse3']);
    expect(cap('x86-64-v3')).toEqual([...X64_CPU_FEATURES.known].sort());
    expect(cap('abm,pni,sse4_1,sse4_2')).toEqual(['lzcnt', 'sse3', 'sse4.1', 'sse4.2', 'ssse3']);
  });

  it('an empty value caps nothing', () => {
    expect(applyX64FeatureCap(all, '')).toBe(all);
    expect(applyX64FeatureCap(all, ' , ')).toBe(all);
  });

  it('rejects unknown names, naming each and the known ones', () => {
    expect(() => applyX64FeatureCap(all, 'sse2,avx512,lzcnt,sse5')).toThrow(CpuFeatureError);
    expect(() => applyX64FeatureCap(all, 'sse2,avx512,lzcnt,sse5')).toThrow(
      'FLINT_X64_FEATURES: unknown CPU feature "avx512", "sse5"; known: sse2, sse3, ssse3, sse4.1, sse4.2, popcnt, lzcnt, bmi1, bmi2, avx, avx2 (or a level: x86-64, x86-64-v2, x86-64-v3)',
    );
  });

  it('is the variable isa.json names, whose baseline value is plain x86-64', () => {
    expect(x64Backend.isa.cpuFeatureCap).toEqual({ variable: 'FLINT_X64_FEATURES', baseline: 'sse2' });
    expect(x64Backend.cpuFeatures.applyCap(all, x64Backend.isa.cpuFeatureCap!.baseline)).toBe(CpuFeatureSet.NONE);
  });
});

describe('the Wasm-feature hook', () => {
  it('scalar code needs no CPU feature: every Wasm feature compiles on plain x86-64', () => {
    for (const feature of ['mvp', 'multi-value', 'tail-call', 'bulk-memory', 'reference-types']) {
      expect(x64Backend.cpuFeatures.missingFor(feature, CpuFeatureSet.NONE)).toEqual([]);
    }
  });

  it('names features by their manual names for messages', () => {
    expect(x64FeatureTitle('sse4.1')).toBe('SSE4.1');
    expect(x64FeatureTitle('lzcnt')).toBe('LZCNT');
  });
});

describe.skipIf(!hasObjdump)('the probe (objdump)', () => {
  it('saves rbx, zeroes its words, reads leaves 0, 1, 7, 0x80000000, 0x80000001 and XCR0 only where they exist', () => {
    const { code, relocations } = emitX64Probe();
    expect(relocations).toEqual([]);
    const text = disassemble(code).map((insn) => insn.text);
    expect(text[0]).toBe('push rbx');
    expect(text.at(-2)).toBe('pop rbx');
    expect(text.at(-1)).toBe('ret');
    expect(text.filter((t) => t === 'cpuid')).toHaveLength(5);
    expect(text.filter((t) => t === 'xgetbv')).toHaveLength(1);
    for (let word = 0; word < ProbeWord.count; word++) {
      expect(text.slice(0, 8)).toContain(word === 0 ? 'mov qword ptr [rdi],rax' : `mov qword ptr [rdi+0x${(word * 8).toString(16)}],rax`);
    }
    const leaves = text.filter((_, i) => text[i + 2] === 'cpuid').map((t) => t.replace(/^mov eax,/, ''));
    expect(leaves).toEqual(['0x0', '0x1', '0x7', '0x80000000', '0x80000001']);
    // XGETBV faults without OSXSAVE: it must sit behind the test of CPUID.1:ECX bit 27.
    const xgetbv = text.indexOf('xgetbv');
    expect(text.slice(xgetbv - 3, xgetbv)).toEqual(['test r9d,0x8000000', expect.stringMatching(/^je /), 'xor ecx,ecx']);
  });
});
