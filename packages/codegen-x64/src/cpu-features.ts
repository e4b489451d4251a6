// The x64 backend's CPU features: which extensions beyond x86-64's SSE2 baseline it knows, how
// the CPUID probe finds them, and the user's cap (`FLINT_X64_FEATURES`). Every feature here is
// optional: the MacroAssembler emits a fallback when a compile's set lacks one (see
// docs/adr/0010-cpu-features.md), so code for plain x86-64 is always possible.
//
// Detection reads CPUID, never /proc/cpuinfo: a hypervisor may leave a flag out of /proc/cpuinfo
// (`abm` on some virtualized AMD EPYC) while the instruction works, or the reverse, and CPUID is
// what the CPU itself answers, on every OS. The probe runs once per thread in the code space.
// Intel SDM Vol. 2A, CPUID (Table 3-8, "Information Returned by CPUID Instruction") and XGETBV;
// AMD APM Vol. 3, Appendix E (CPUID Fn8000_0001_ECX bit 5: ABM, i.e. LZCNT).

import { CpuFeatureError, CpuFeatureSet, type CpuFeatureSupport, type FinishedCode } from '@flint/backend';
import isaJson from '../isa.json' with { type: 'json' };
import { Assembler, Cond, Gpr, Mem } from './assembler/index.ts';

/** The feature names, as `FLINT_X64_FEATURES` and the feature sets spell them. */
export const X64Feature = {
  SSE3: 'sse3',
  SSSE3: 'ssse3',
  SSE41: 'sse4.1',
  SSE42: 'sse4.2',
  POPCNT: 'popcnt',
  /** LZCNT (AMD's ABM; Intel since Haswell): `lzcnt` for clz. */
  LZCNT: 'lzcnt',
  /** BMI1: `tzcnt` for ctz (and andn, blsr, …). */
  BMI1: 'bmi1',
  BMI2: 'bmi2',
  AVX: 'avx',
  AVX2: 'avx2',
} as const;
export type X64Feature = (typeof X64Feature)[keyof typeof X64Feature];

/**
 * The words the probe writes, in order. A leaf the CPU does not have (leaf 7 below maximum
 * basic leaf 7, 0x80000001 below maximum extended leaf 0x80000001) and XCR0 without OSXSAVE are
 * written as 0, since reading them would return another leaf's data or fault.
 */
export const ProbeWord = {
  /** CPUID leaf 0: EAX, the highest basic leaf. */
  MaxBasicLeaf: 0,
  /** CPUID leaf 1: ECX | EDX << 32. */
  Leaf1: 1,
  /** CPUID leaf 7, sub-leaf 0: EBX | ECX << 32. */
  Leaf7: 2,
  /** CPUID leaf 0x80000000: EAX, the highest extended leaf. */
  MaxExtendedLeaf: 3,
  /** CPUID leaf 0x80000001: ECX | EDX << 32. */
  Extended1: 4,
  /** XCR0 (XGETBV with ECX = 0): which register states the OS saves on context switch. */
  Xcr0: 5,
  count: 6,
} as const;

const OSXSAVE_BIT = 27; // leaf 1 ECX
/** XCR0 bits 1 (SSE state) and 2 (AVX state): both must be set for the OS to preserve ymm. */
const XCR0_SSE_AVX = 0b110;

interface FeatureRow {
  readonly name: X64Feature;
  /** Its name in the manuals and in error messages. */
  readonly title: string;
  /** Features it builds on: dropped when one of them is missing, allowed when a cap names it. */
  readonly requires: readonly X64Feature[];
  readonly present: (cpu: CpuidView) => boolean;
}

/** The probe's words as 32-bit register values. */
interface CpuidView {
  readonly maxBasicLeaf: number;
  readonly leaf1Ecx: number;
  readonly leaf7Ebx: number;
  readonly maxExtendedLeaf: number;
  readonly extended1Ecx: number;
  readonly xcr0: number;
}

const bit = (value: number, index: number): boolean => ((value >>> index) & 1) === 1;

/** One row per feature; the order is that of the documentation and of dependency resolution. */
const FEATURES: readonly FeatureRow[] = [
  { name: X64Feature.SSE3, title: 'SSE3', requires: [], present: (c) => bit(c.leaf1Ecx, 0) },
  { name: X64Feature.SSSE3, title: 'SSSE3', requires: [X64Feature.SSE3], present: (c) => bit(c.leaf1Ecx, 9) },
  { name: X64Feature.SSE41, title: 'SSE4.1', requires: [X64Feature.SSSE3], present: (c) => bit(c.leaf1Ecx, 19) },
  { name: X64Feature.SSE42, title: 'SSE4.2', requires: [X64Feature.SSE41], present: (c) => bit(c.leaf1Ecx, 20) },
  { name: X64Feature.POPCNT, title: 'POPCNT', requires: [], present: (c) => bit(c.leaf1Ecx, 23) },
  { name: X64Feature.LZCNT, title: 'LZCNT', requires: [], present: (c) => c.maxExtendedLeaf >= 0x8000_0001 && bit(c.extended1Ecx, 5) },
  { name: X64Feature.BMI1, title: 'BMI1', requires: [], present: (c) => c.maxBasicLeaf >= 7 && bit(c.leaf7Ebx, 3) },
  { name: X64Feature.BMI2, title: 'BMI2', requires: [], present: (c) => c.maxBasicLeaf >= 7 && bit(c.leaf7Ebx, 8) },
  // The CPU having AVX is not enough: the OS must save the ymm state (OSXSAVE, then XCR0).
  {
    name: X64Feature.AVX,
    title: 'AVX',
    requires: [X64Feature.SSE42],
    present: (c) => bit(c.leaf1Ecx, 28) && bit(c.leaf1Ecx, OSXSAVE_BIT) && (c.xcr0 & XCR0_SSE_AVX) === XCR0_SSE_AVX,
  },
  { name: X64Feature.AVX2, title: 'AVX2', requires: [X64Feature.AVX], present: (c) => c.maxBasicLeaf >= 7 && bit(c.leaf7Ebx, 5) },
];

const ROW_BY_NAME: ReadonlyMap<string, FeatureRow> = new Map(FEATURES.map((row) => [row.name, row]));

/** The environment variable that caps the features (see `applyX64FeatureCap`), as isa.json names it. */
export const X64_FEATURES_VARIABLE: string = isaJson.cpuFeatureCap.variable;

const V2: readonly X64Feature[] = [X64Feature.SSE3, X64Feature.SSSE3, X64Feature.SSE41, X64Feature.SSE42, X64Feature.POPCNT];

/**
 * Names a cap may use besides the feature names: the baseline, the x86-64 micro-architecture
 * levels (of the features this backend knows), and the /proc/cpuinfo spellings users copy.
 */
const CAP_ALIASES: ReadonlyMap<string, readonly X64Feature[]> = new Map([
  ['sse2', []],
  ['x86-64', []],
  ['x86-64-v2', V2],
  ['x86-64-v3', [...V2, X64Feature.AVX, X64Feature.AVX2, X64Feature.BMI1, X64Feature.BMI2, X64Feature.LZCNT]],
  ['pni', [X64Feature.SSE3]],
  ['sse4_1', [X64Feature.SSE41]],
  ['sse4_2', [X64Feature.SSE42]],
  ['abm', [X64Feature.LZCNT]],
]);

/** Its manual name (`SSE4.1`) for messages. */
export function x64FeatureTitle(name: string): string {
  return ROW_BY_NAME.get(name)?.title ?? name;
}

/** The detected features in a set closed under `requires` (a feature whose base is missing is dropped). */
function closed(names: Iterable<string>): CpuFeatureSet {
  const have = new Set(names);
  for (const row of FEATURES) {
    if (have.has(row.name) && !row.requires.every((base) => have.has(base))) have.delete(row.name);
  }
  return CpuFeatureSet.of(have);
}

/** The features the probe's words report. */
export function decodeX64Probe(words: BigUint64Array): CpuFeatureSet {
  if (words.length < ProbeWord.count) throw new CpuFeatureError(`the x64 CPU probe writes ${ProbeWord.count} words, got ${words.length}`);
  const lo = (index: number): number => Number(words[index]! & 0xffff_ffffn);
  const view: CpuidView = {
    maxBasicLeaf: lo(ProbeWord.MaxBasicLeaf),
    leaf1Ecx: lo(ProbeWord.Leaf1),
    leaf7Ebx: lo(ProbeWord.Leaf7),
    maxExtendedLeaf: lo(ProbeWord.MaxExtendedLeaf),
    extended1Ecx: lo(ProbeWord.Extended1),
    xcr0: lo(ProbeWord.Xcr0),
  };
  return closed(FEATURES.filter((row) => row.present(view)).map((row) => row.name));
}

/**
 * `detected` limited to the features a `FLINT_X64_FEATURES` value names: a comma-separated list
 * of feature names (`lzcnt,bmi1`), `sse2` or `x86-64` for the plain x86-64 baseline, or a level
 * (`x86-64-v2`, `x86-64-v3`); case and spaces do not matter. A feature also allows what it builds
 * on (`sse4.1` allows `ssse3` and `sse3`). An empty value caps nothing. Throws `CpuFeatureError`
 * naming every unknown name.
 */
export function applyX64FeatureCap(detected: CpuFeatureSet, cap: string): CpuFeatureSet {
  const entries = cap.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
  if (entries.length === 0) return detected;
  const allowed = new Set<string>();
  const unknown: string[] = [];
  const allow = (name: X64Feature): void => {
    if (allowed.has(name)) return;
    allowed.add(name);
    for (const base of ROW_BY_NAME.get(name)!.requires) allow(base);
  };
  for (const entry of entries) {
    const names = ROW_BY_NAME.has(entry) ? [entry as X64Feature] : CAP_ALIASES.get(entry);
    if (names === undefined) unknown.push(entry);
    else names.forEach(allow);
  }
  if (unknown.length > 0) {
    const list = unknown.map((name) => `"${name}"`).join(', ');
    throw new CpuFeatureError(
      `${X64_FEATURES_VARIABLE}: unknown CPU feature ${list}; known: sse2, ${FEATURES.map((row) => row.name).join(', ')} ` +
        '(or a level: x86-64, x86-64-v2, x86-64-v3)',
    );
  }
  return closed(detected.names.filter((name) => allowed.has(name)));
}

/**
 * The CPU features code of each Wasm feature cannot do without, by validator feature name.
 * Scalar code has a fallback for everything, so nothing is listed yet; Wasm SIMD will need
 * SSE4.1 here (as in V8), so that a SIMD module fails validation and compilation on a CPU (or
 * under a cap) without it.
 */
const WASM_FEATURE_REQUIREMENTS: ReadonlyMap<string, readonly X64Feature[]> = new Map();

export function missingX64FeaturesFor(wasmFeature: string, available: CpuFeatureSet): string[] {
  return available.missing(WASM_FEATURE_REQUIREMENTS.get(wasmFeature) ?? []);
}

/**
 * The probe, `void probe(uint64_t *out)` (out in rdi): writes the `ProbeWord`s. CPUID clobbers rbx
 * (callee-saved in System V), so it is saved; rdi, r8 and r9 survive CPUID.
 */
export function emitX64Probe(): FinishedCode {
  const a = new Assembler();
  const out = (word: number): Mem => Mem.base(Gpr.rdi, word * 8);
  /** `cpuid` for `leaf` (sub-leaf 0). */
  const cpuid = (leaf: number): void => {
    a.movRI(32, Gpr.rax, leaf);
    a.xorRR(32, Gpr.rcx, Gpr.rcx);
    a.cpuid();
  };
  /** out[word] = lowReg | highReg << 32 (both were written as 32-bit registers: upper halves are 0). */
  const store = (word: number, low: Gpr, high: Gpr): void => {
    a.shlRI(64, high, 32);
    a.orRR(64, low, high);
    a.movMR(64, out(word), low);
  };
  const noLeaf7 = a.newLabel();
  const noExtended1 = a.newLabel();
  const noXgetbv = a.newLabel();

  a.pushR(Gpr.rbx);
  a.xorRR(32, Gpr.rax, Gpr.rax);
  for (let word = 0; word < ProbeWord.count; word++) a.movMR(64, out(word), Gpr.rax);

  cpuid(0);
  a.movMR(64, out(ProbeWord.MaxBasicLeaf), Gpr.rax);
  a.movRR(32, Gpr.r8, Gpr.rax);
  cpuid(1);
  a.movRR(32, Gpr.r9, Gpr.rcx); // OSXSAVE is tested below
  store(ProbeWord.Leaf1, Gpr.rcx, Gpr.rdx);
  a.cmpRI(32, Gpr.r8, 7);
  a.jccShort(Cond.B, noLeaf7);
  cpuid(7);
  store(ProbeWord.Leaf7, Gpr.rbx, Gpr.rcx);
  a.bind(noLeaf7);

  cpuid(0x8000_0000);
  a.movMR(64, out(ProbeWord.MaxExtendedLeaf), Gpr.rax);
  a.cmpRI(32, Gpr.rax, 0x8000_0001 | 0);
  a.jccShort(Cond.B, noExtended1);
  cpuid(0x8000_0001);
  store(ProbeWord.Extended1, Gpr.rcx, Gpr.rdx);
  a.bind(noExtended1);

  a.testRI(32, Gpr.r9, 1 << OSXSAVE_BIT);
  a.jccShort(Cond.E, noXgetbv);
  a.xorRR(32, Gpr.rcx, Gpr.rcx);
  a.xgetbv();
  store(ProbeWord.Xcr0, Gpr.rax, Gpr.rdx);
  a.bind(noXgetbv);

  a.popR(Gpr.rbx);
  a.ret();
  return a.finish();
}

export const X64_CPU_FEATURES: CpuFeatureSupport = {
  known: FEATURES.map((row) => row.name),
  probeWords: ProbeWord.count,
  emitProbe: emitX64Probe,
  decodeProbe: decodeX64Probe,
  applyCap: applyX64FeatureCap,
  missingFor: missingX64FeaturesFor,
};
