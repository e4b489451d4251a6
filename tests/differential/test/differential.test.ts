// The differential run: seeded random modules on Flint — every registered tier — and on Node's own
// WebAssembly (V8) must agree on every call's values or trap kind, on memory bytes, exported
// globals and host calls.
//   DIFF_SEEDS=<n>      number of seeds (default 300), starting at DIFF_SEED_START (default 0)
//   DIFF_SEED=<seed>    only this seed (prints the full report of a mismatch)
import { describe, expect, test } from 'vitest';
import { WebAssembly as Flint, registeredTiers } from '@flint/runtime';
import { findKnownMismatch } from '../src/allow-list.ts';
import type { SeedFailure } from '../src/check-seed.ts';
import { checkSeed } from '../src/check-seed.ts';
import type { WasmNamespaceLike } from '../src/runner.ts';

/** Flint's namespace with every module compiled by `tier` (the JS API's Flint extension option). */
function flintWithTier(tier: string): WasmNamespaceLike {
  return {
    Module: class extends Flint.Module {
      constructor(bytes: Uint8Array) {
        super(bytes, { tier });
      }
    },
    Instance: Flint.Instance as unknown as WasmNamespaceLike['Instance'],
  };
}

function seedsToRun(): number[] {
  const single = process.env['DIFF_SEED'];
  if (single !== undefined && single !== '') return [Number(single)];
  const count = Number(process.env['DIFF_SEEDS'] ?? 300);
  const start = Number(process.env['DIFF_SEED_START'] ?? 0);
  return Array.from({ length: count }, (_, i) => start + i);
}

describe.each(registeredTiers().map((tier) => tier.name))('Flint (%s tier) agrees with V8 on generated modules', (tier) => {
  const seeds = seedsToRun();
  const FLINT = flintWithTier(tier);
  test(`seeds ${seeds[0]}..${seeds[seeds.length - 1]} (${seeds.length})`, { timeout: 30 * 60_000 }, () => {
    const unexpected: SeedFailure[] = [];
    const known = new Map<string, number[]>();
    for (const seed of seeds) {
      for (const failure of checkSeed(seed, FLINT)) {
        const entry = failure.kind === 'mismatch' ? findKnownMismatch(failure.failureClass, failure.operators) : undefined;
        if (entry === undefined) unexpected.push(failure);
        else known.set(entry.failure, [...(known.get(entry.failure) ?? []), seed]);
      }
    }
    for (const [failure, hits] of known) console.log(`known mismatch (allow-listed) on ${hits.length} seed(s) ${hits.join(', ')}: ${failure}`);
    for (const failure of unexpected) console.error(failure.report);
    expect(unexpected.map((f) => `seed ${f.seed}: ${f.signature}`)).toEqual([]);
  });
});
