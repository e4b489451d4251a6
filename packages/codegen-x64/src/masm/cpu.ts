// The CPU baseline the x64 backend requires, and a check that the host meets it.
//
// Baseline: x86-64-v2 (SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT, CMPXCHG16B, LAHF/SAHF) plus LZCNT and
// BMI1 (TZCNT) — the integer subset of x86-64-v3. Why: Wasm's clz/ctz are defined for a zero input
// and lzcnt/tzcnt return the operand size there, so each is one instruction, while the bsr/bsf
// fallbacks need a flag test and cmov or branch. Every x86-64 CPU since Intel Haswell (2013) and
// AMD Piledriver/Jaguar (2012-13) has them. SSE4.1 gives roundss/roundsd for floor/ceil/trunc/nearest.
// Feature names are those of Linux /proc/cpuinfo (`pni` is SSE3, `abm` is LZCNT, `bmi1` is TZCNT).

import { readFileSync } from 'node:fs';

/** A required CPU extension: its /proc/cpuinfo flag and the name users know it by. */
export interface CpuFeature {
  readonly flag: string;
  readonly name: string;
  readonly usedFor: string;
}

export const REQUIRED_CPU_FEATURES: readonly CpuFeature[] = [
  { flag: 'sse2', name: 'SSE2', usedFor: 'all scalar floating point' },
  { flag: 'pni', name: 'SSE3', usedFor: 'x86-64-v2 baseline' },
  { flag: 'ssse3', name: 'SSSE3', usedFor: 'x86-64-v2 baseline' },
  { flag: 'sse4_1', name: 'SSE4.1', usedFor: 'roundss/roundsd (floor, ceil, trunc, nearest)' },
  { flag: 'sse4_2', name: 'SSE4.2', usedFor: 'x86-64-v2 baseline' },
  { flag: 'popcnt', name: 'POPCNT', usedFor: 'i32.popcnt/i64.popcnt' },
  { flag: 'abm', name: 'LZCNT', usedFor: 'i32.clz/i64.clz' },
  { flag: 'bmi1', name: 'BMI1', usedFor: 'tzcnt for i32.ctz/i64.ctz' },
];

/** Thrown when the host CPU lacks an extension the generated code uses. */
export class CpuSupportError extends Error {
  override readonly name = 'CpuSupportError';
}

/** The required features missing from a set of /proc/cpuinfo flags. */
export function missingCpuFeatures(flags: ReadonlySet<string>): CpuFeature[] {
  return REQUIRED_CPU_FEATURES.filter((feature) => !flags.has(feature.flag));
}

/** The flags of the first processor listed in a /proc/cpuinfo text. */
export function parseCpuInfoFlags(cpuinfo: string): Set<string> {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo);
  return new Set(line ? line[1]!.trim().split(/\s+/) : []);
}

/**
 * Throws `CpuSupportError` naming every missing extension unless the host (or the given
 * /proc/cpuinfo text) meets the baseline. Hosts without /proc/cpuinfo (not Linux) are not
 * checked: there the first unsupported instruction faults instead.
 * Temporary: a CPUID probe run through the code space would replace the /proc dependency.
 */
export function checkCpuSupport(cpuinfo?: string): void {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return;
    }
  }
  const flags = parseCpuInfoFlags(text);
  if (flags.size === 0) throw new CpuSupportError('cannot check the CPU: no "flags" line in /proc/cpuinfo');
  const missing = missingCpuFeatures(flags);
  if (missing.length > 0) {
    const list = missing.map((f) => `${f.name} (needed for ${f.usedFor})`).join(', ');
    throw new CpuSupportError(
      `this CPU lacks ${list}; Flint's x64 backend requires x86-64-v2 plus LZCNT and BMI1`,
    );
  }
}

/**
 * Extensions above the baseline that the MacroAssembler uses when the CPU has them, each with a
 * baseline fallback: SSE4.2's pcmpgtq (i64x2 comparisons), AVX's three-operand VEX encodings
 * (no register copies before destructive SSE forms), AVX2's broadcasts (splats), FMA3 (fused
 * relaxed_madd; without it relaxed_madd is a multiply and an add, which the spec also allows).
 */
export interface X64CodeFeatures {
  readonly sse42: boolean;
  readonly avx: boolean;
  readonly avx2: boolean;
  readonly fma: boolean;
}

/** No optional extension: the code every supported x64 CPU runs. */
export const BASELINE_CODE_FEATURES: X64CodeFeatures = { sse42: false, avx: false, avx2: false, fma: false };

/** The optional extensions present in a set of /proc/cpuinfo flags (Linux lists `avx` only when the OS saves ymm state). */
export function codeFeaturesOf(flags: ReadonlySet<string>): X64CodeFeatures {
  const avx = flags.has('avx');
  return { sse42: flags.has('sse4_2'), avx, avx2: avx && flags.has('avx2'), fma: avx && flags.has('fma') };
}

let hostFeatures: X64CodeFeatures | null = null;

/** The host's optional extensions (read once; none when /proc/cpuinfo is unreadable). */
export function hostCodeFeatures(): X64CodeFeatures {
  if (hostFeatures === null) {
    let text = '';
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      // Not Linux: no optional extension is assumed.
    }
    hostFeatures = codeFeaturesOf(parseCpuInfoFlags(text));
  }
  return hostFeatures;
}
