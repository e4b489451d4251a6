// Compile statistics per tier, as V8 keeps them per tier (functions, code size, time, bailouts,
// tier-ups, OSR): what each tier compiled, how long it took, and how often it gave up. The
// counters are flat numbers in a Float64Array — tiers in registry order × `TIER_COUNTERS` — so a
// compile worker sends a batch's counts to the main thread as one small array, and the same
// layout is added into the engine's totals there.
//
// Who counts what:
//   functions, bodyBytes, codeBytes, milliseconds — `TierCompilers.compile`, per function, for
//     the tier that produced the code (on whichever thread compiled it);
//   bailouts — the tier that gave up on a function; fallbacks — the tier that then compiled it;
//   lazyCompiles — functions compiled on their first call (`lazy: true`);
//   cacheLoads — functions loaded from a code cache instead of compiled;
//   tierUps — functions whose hot baseline code was replaced by a higher tier's (dynamic
//     tiering, compile/tier-up.ts), counted for the tier that made the new code, once installed;
//   osrEntries, flushes — reserved: on-stack replacement entries and baseline code flushed to
//     reclaim memory. Nothing produces them yet; they read 0.

import { registeredTiers, tierIndex } from '../compile/tiers.ts';

/** The counters of one tier, in their order in the flat array. */
export const TIER_COUNTERS = [
  'functions',
  'bodyBytes',
  'codeBytes',
  'milliseconds',
  'bailouts',
  'fallbacks',
  'lazyCompiles',
  'cacheLoads',
  'tierUps',
  'osrEntries',
  'flushes',
] as const;

export type TierCounter = (typeof TIER_COUNTERS)[number];

/** One tier's statistics. */
export type TierStatistics = { -readonly [K in TierCounter]: number };

/** A snapshot of an engine's compile statistics. */
export interface CompileStatistics {
  /** Per registered tier (every tier is present, with zeros when it compiled nothing). */
  readonly tiers: Readonly<Record<string, TierStatistics>>;
  /** Modules compiled (eagerly, lazily or from a code cache); in-memory cache hits not counted. */
  readonly modules: number;
  /** Wall-clock milliseconds of whole module compiles, decoding and placement included. */
  readonly wallMilliseconds: number;
}

const FIELD = new Map<TierCounter, number>(TIER_COUNTERS.map((name, i) => [name, i]));
const STRIDE = TIER_COUNTERS.length;

/** Accumulates compile counts; cheap to update (typed-array adds, no allocation). */
export class CompileCounters {
  readonly values: Float64Array;
  modules = 0;
  wallMilliseconds = 0;

  constructor() {
    this.values = new Float64Array(registeredTiers().length * STRIDE);
  }

  add(tier: string, counter: TierCounter, amount = 1): void {
    this.values[tierIndex(tier) * STRIDE + FIELD.get(counter)!]! += amount;
  }

  /** Counts one function compiled by `tier`. */
  countFunction(tier: string, bodyBytes: number, codeBytes: number, milliseconds: number): void {
    const base = tierIndex(tier) * STRIDE;
    const v = this.values;
    v[base]! += 1;
    v[base + 1]! += bodyBytes;
    v[base + 2]! += codeBytes;
    v[base + 3]! += milliseconds;
  }

  /** Adds counts in the flat layout (a worker's batch), tier by tier. */
  merge(values: Float64Array): void {
    if (values.length !== this.values.length) throw new RangeError(`compile statistics: ${values.length} counters, expected ${this.values.length}`);
    for (let i = 0; i < values.length; i++) this.values[i]! += values[i]!;
  }

  reset(): void {
    this.values.fill(0);
    this.modules = 0;
    this.wallMilliseconds = 0;
  }

  snapshot(): CompileStatistics {
    const tiers: Record<string, TierStatistics> = {};
    registeredTiers().forEach((tier, t) => {
      const stats = {} as TierStatistics;
      TIER_COUNTERS.forEach((name, f) => (stats[name] = this.values[t * STRIDE + f]!));
      tiers[tier.name] = stats;
    });
    return { tiers, modules: this.modules, wallMilliseconds: this.wallMilliseconds };
  }
}
