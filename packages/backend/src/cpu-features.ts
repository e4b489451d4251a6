// CPU features: the optional instructions a backend may use, found at run time and given to
// each compile. Machines differ — a CPU may lack an extension, or a hypervisor may hide it — so
// a backend never assumes one: it reads what the CPU reports through a probe the runtime runs in
// its code space, and the MacroAssembler of each compile receives the set it may use and emits
// a fallback for anything missing. The set is part of a compile's identity: code compiled with
// a feature runs only where that feature exists, so caches key on it.
//
// Who does what:
//   backend  names its features, emits the probe (`void probe(uint64_t *out)`), decodes its
//            words, parses the user's cap (the environment variable its `isa.cpuFeatureCap`
//            names) and says which Wasm features need which CPU features;
//   runtime  runs the probe once per thread, applies the cap, hands the set to every compile
//            (`MacroAssemblerOptions.cpuFeatures`, compile workers included) and keys its caches
//            on `CpuFeatureSet.key`.

import type { FinishedCode } from './code-buffer.ts';

/** An immutable set of CPU feature names (the backend's own names: `lzcnt`, `sse4.1`, …). */
export class CpuFeatureSet {
  /** No optional feature: the ISA's baseline. */
  static readonly NONE = new CpuFeatureSet([]);

  /** Sorted, without duplicates. */
  readonly names: readonly string[];
  /** The names joined by commas: equal sets have equal keys (what caches key on). */
  readonly key: string;
  readonly #members: ReadonlySet<string>;

  private constructor(sortedUnique: readonly string[]) {
    this.names = Object.freeze(sortedUnique);
    this.key = sortedUnique.join(',');
    this.#members = new Set(sortedUnique);
  }

  static of(names: Iterable<string>): CpuFeatureSet {
    const sorted = [...new Set(names)].sort();
    return sorted.length === 0 ? CpuFeatureSet.NONE : new CpuFeatureSet(sorted);
  }

  has(name: string): boolean {
    return this.#members.has(name);
  }

  /** The features in both sets. */
  intersect(other: CpuFeatureSet): CpuFeatureSet {
    return CpuFeatureSet.of(this.names.filter((name) => other.has(name)));
  }

  /** This set without `names`. */
  without(...names: string[]): CpuFeatureSet {
    return CpuFeatureSet.of(this.names.filter((name) => !names.includes(name)));
  }

  /** The names of `required` this set lacks. */
  missing(required: Iterable<string>): string[] {
    return [...required].filter((name) => !this.#members.has(name));
  }

  toString(): string {
    return this.key === '' ? '(none)' : this.key;
  }
}

/** A feature list that cannot be used: an unknown name in the user's cap, a malformed probe result. */
export class CpuFeatureError extends Error {
  override readonly name = 'CpuFeatureError';
}

/** How a backend finds, caps and uses CPU features (see the header of this file). */
export interface CpuFeatureSupport {
  /** Every feature name this backend can detect and use, in the order its documentation lists them. */
  readonly known: readonly string[];
  /** u64 words the probe writes (0: this backend has no probe). */
  readonly probeWords: number;
  /**
   * Code with the C signature `void probe(uint64_t *out)` that writes `probeWords` words
   * describing the CPU it runs on (on x64: CPUID leaves and XCR0); null when there is no probe.
   */
  emitProbe(): FinishedCode | null;
  /** The features the probe's words report (only `known` names, dependencies respected). */
  decodeProbe(words: BigUint64Array): CpuFeatureSet;
  /**
   * `detected` limited by the user's cap (the value of the variable `isa.cpuFeatureCap` names);
   * throws `CpuFeatureError` naming any unknown name.
   */
  applyCap(detected: CpuFeatureSet, cap: string): CpuFeatureSet;
  /**
   * The CPU features code for Wasm feature `wasmFeature` (a validator feature name: `mvp`,
   * `simd`, …) cannot do without and `available` lacks; empty when this backend can compile it
   * with `available` (or does not compile it at all, which is a bailout, not a CPU question).
   */
  missingFor(wasmFeature: string, available: CpuFeatureSet): readonly string[];
}

/** The `CpuFeatureSupport` of an ISA whose generated code uses no optional feature. */
export const NO_OPTIONAL_CPU_FEATURES: CpuFeatureSupport = {
  known: [],
  probeWords: 0,
  emitProbe: () => null,
  decodeProbe: () => CpuFeatureSet.NONE,
  applyCap: (detected) => detected,
  missingFor: () => [],
};
