// Bad input never crashes the validator: mutated copies of the testsuite's binary modules either
// validate or fail with a CompileError, never another exception, and never hang.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TESTSUITE, hasTestsuite } from '@flint/test-support';
import { CompileError } from '../src/errors.ts';
import type { Module } from '../src/types.ts';
import { decodeModule } from '../src/streaming.ts';
import { validateModule } from '../src/validate/module-validator.ts';
import { wastBinaries } from './validate-wast-binary.ts';

const SUITE = TESTSUITE;
const SOURCES = ['binary.wast', 'binary-leb128.wast', 'binary-gc.wast', 'elem.wast', 'data.wast', 'align.wast', 'custom.wast'].map((f) => `${SUITE}/${f}`);

/** xorshift32: deterministic, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

function decodeOrNull(bytes: Uint8Array): Module | null {
  try {
    return decodeModule(bytes);
  } catch {
    return null; // malformed input is the decoder's concern
  }
}

describe.skipIf(!hasTestsuite())('validator robustness on mutated modules (skipped when the testsuite is absent)', () => {
  it('throws only CompileError on 3000 byte mutations', () => {
    const seeds = SOURCES.filter(existsSync).flatMap((f) => wastBinaries(f)).map((c) => c.bytes).filter((b) => b.length > 8);
    expect(seeds.length).toBeGreaterThan(50);
    const random = rng(0x5eed);
    let validated = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = seeds[Math.floor(random() * seeds.length)]!.slice();
      const flips = 1 + Math.floor(random() * 3);
      for (let j = 0; j < flips; j++) bytes[8 + Math.floor(random() * (bytes.length - 8))] = Math.floor(random() * 256);
      const module = decodeOrNull(bytes);
      if (module === null) continue;
      validated++;
      try {
        validateModule(module);
      } catch (e) {
        if (!(e instanceof CompileError)) throw new Error(`mutation ${i} threw ${String(e)}; bytes ${Buffer.from(bytes).toString('hex')}`);
      }
    }
    expect(validated).toBeGreaterThan(100);
  });
});
