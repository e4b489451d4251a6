// The CPU baseline check, fed with /proc/cpuinfo texts.

import { describe, expect, it } from 'vitest';
import { CpuSupportError, REQUIRED_CPU_FEATURES, checkCpuSupport, missingCpuFeatures, parseCpuInfoFlags } from '../src/masm/cpu.ts';

const cpuinfo = (flags: string): string =>
  `processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: ${flags}\nbugs\t\t: spectre_v1\n\nprocessor\t: 1\nflags\t\t: fpu\n`;
const FULL = 'fpu sse sse2 pni ssse3 sse4_1 sse4_2 popcnt abm bmi1 avx2';

describe('CPU baseline', () => {
  it('reads the flags of the first processor', () => {
    expect(parseCpuInfoFlags(cpuinfo('fpu sse2 abm'))).toEqual(new Set(['fpu', 'sse2', 'abm']));
    expect(parseCpuInfoFlags('no flags here').size).toBe(0);
  });

  it('accepts x86-64-v2 with LZCNT and BMI1', () => {
    expect(missingCpuFeatures(parseCpuInfoFlags(cpuinfo(FULL)))).toEqual([]);
    expect(() => checkCpuSupport(cpuinfo(FULL))).not.toThrow();
  });

  it('names every missing extension and what it is needed for', () => {
    const withoutLzcntAndSse41 = FULL.replace(' abm', '').replace(' sse4_1', '');
    expect(missingCpuFeatures(parseCpuInfoFlags(cpuinfo(withoutLzcntAndSse41))).map((f) => f.name)).toEqual(['SSE4.1', 'LZCNT']);
    expect(() => checkCpuSupport(cpuinfo(withoutLzcntAndSse41))).toThrow(CpuSupportError);
    expect(() => checkCpuSupport(cpuinfo(withoutLzcntAndSse41))).toThrow(
      /lacks SSE4\.1 \(needed for roundss\/roundsd.*\), LZCNT \(needed for i32\.clz\/i64\.clz\)/,
    );
  });

  it('refuses a cpuinfo without a flags line rather than guessing', () => {
    expect(() => checkCpuSupport('processor : 0\n')).toThrow(/no "flags" line/);
  });

  it('requires each listed feature exactly once', () => {
    const flags = REQUIRED_CPU_FEATURES.map((f) => f.flag);
    expect(new Set(flags).size).toBe(flags.length);
  });
});
