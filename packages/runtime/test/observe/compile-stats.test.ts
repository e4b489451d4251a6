// Compile statistics per tier: every way a function gets code (eager, lazy, on compile workers,
// from a code cache) is counted once, for the tier that produced it, and the bytes counted are
// the bytes produced; a bailout is counted for the tier that gave up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { ValType, decodeModule } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { Engine, TIER_COUNTERS, UnsupportedError, WebAssembly, compileMachineCode, registeredTiers } from '../../src/index.ts';
import type { CompiledModule } from '../../src/code/module.ts';
import { chainModule, chainResult } from '../helpers/chain-module.ts';
import { bundleCompileWorker } from '../helpers/compile-worker-bundle.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();
const FUNCTIONS = 30;
const bytes = chainModule({ functions: FUNCTIONS, padding: 4 });
const bodyBytes = decodeModule(bytes).codes.reduce((sum, body) => sum + body.code.bytes.length, 0);
/** The code the baseline tier produces for `bytes` on this host, compiled independently. */
const codeBytes = compileMachineCode(bytes, { target: process.arch }).reduce((sum, fn) => sum + fn.code.length, 0);

/**
 * A valid module the baseline tier refuses: a tail call to a function with more parameters than
 * any backend passes in registers (stack arguments cannot outlive the caller's frame).
 */
function tailCallWithStackArguments(): Uint8Array {
  const b = new ModuleBuilder();
  const params = new Array<ValType>(12).fill(ValType.I64);
  const wide = b.addType({ params, results: [] });
  const callee = b.addFunction(wide, [], op('end'));
  const caller = b.addType({ params: [], results: [] });
  b.addFunction(caller, [], [...params.flatMap(() => op('i64.const', 0n)), ...op('return_call', callee), ...op('end')]);
  return b.toBytes();
}

/** A module whose one function uses SIMD, which the baseline tier compiles and a top tier may not (yet). */
function simdModule(): Uint8Array {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [], results: [ValType.I32] });
  b.addFunction(type, [], [...op('v128.const', new Array(16).fill(7)), ...op('i32x4.extract_lane', 0), ...op('end')]);
  return b.toBytes();
}

function last(compiled: CompiledModule): (x: number) => number {
  const exports = new WebAssembly.Instance(WebAssembly.Module.fromCompiled(compiled), {}).exports;
  return exports[`f${FUNCTIONS - 1}`] as (x: number) => number;
}

describe('compile statistics', () => {
  it('start at zero for every registered tier', () => {
    const stats = new Engine({ compileWorkers: 0 }).compileStats();
    expect(Object.keys(stats.tiers)).toEqual(registeredTiers().map((tier) => tier.name));
    for (const tier of Object.values(stats.tiers)) for (const counter of TIER_COUNTERS) expect(tier[counter]).toBe(0);
    expect([stats.modules, stats.wallMilliseconds]).toEqual([0, 0]);
  });

  it('count an eager compile: functions, body and code bytes, time', () => {
    const engine = new Engine({ compileWorkers: 0 });
    engine.compile(bytes);
    const { tiers, modules, wallMilliseconds } = engine.compileStats();
    expect(tiers.baseline).toMatchObject({ functions: FUNCTIONS, bodyBytes, codeBytes, bailouts: 0, fallbacks: 0, lazyCompiles: 0, cacheLoads: 0 });
    expect(tiers.baseline!.milliseconds).toBeGreaterThan(0);
    expect(modules).toBe(1);
    expect(wallMilliseconds).toBeGreaterThanOrEqual(tiers.baseline!.milliseconds);
    // A module served from the in-memory cache compiles nothing.
    engine.compile(bytes);
    expect(engine.compileStats().tiers.baseline!.functions).toBe(FUNCTIONS);
    engine.resetCompileStats();
    expect(engine.compileStats().tiers.baseline!.functions).toBe(0);
  });

  it('count lazy compiles as they happen, on first call', () => {
    const engine = new Engine({ compileWorkers: 0 });
    const compiled = engine.compile(bytes, { lazy: true });
    expect(engine.compileStats().tiers.baseline!.functions).toBe(0);
    expect(last(compiled)(1)).toBe(chainResult(FUNCTIONS - 1, 1, 4));
    const { baseline } = engine.compileStats().tiers;
    expect(baseline!.lazyCompiles).toBe(compiled.lazy!.compiledCount);
    expect(baseline!.functions).toBe(compiled.lazy!.compiledCount);
    expect(baseline!.lazyCompiles).toBeGreaterThan(1);
  });

  it('count functions loaded from a code cache apart from compiled ones', () => {
    const cache = new Engine({ compileWorkers: 0 }).compile(bytes).serialize();
    const engine = new Engine({ compileWorkers: 0 });
    engine.deserialize(cache, bytes);
    const { baseline } = engine.compileStats().tiers;
    expect(baseline).toMatchObject({ functions: 0, cacheLoads: FUNCTIONS });
    expect(engine.compileStats().modules).toBe(1);
  });

  it('count a bailout for the tier that gave up', () => {
    const engine = new Engine({ compileWorkers: 0 });
    expect(() => engine.compile(tailCallWithStackArguments())).toThrow(UnsupportedError);
    expect(engine.compileStats().tiers.baseline!.bailouts).toBe(1);
  });

  // The optimizing tier compiles no v128 yet (docs/adr/0018): its SIMD functions fall back to baseline.
  const withFallback = registeredTiers().find((tier) => tier.fallback !== null);
  it.skipIf(withFallback === undefined || !WebAssembly.validate(simdModule()))('count a fallback for the tier that took over (skipped: no registered tier has a fallback, or this CPU runs no SIMD code, as under FLINT_X64_FEATURES=sse2)', () => {
    const tier = withFallback!;
    const engine = new Engine({ compileWorkers: 0 });
    engine.compile(simdModule(), { tier: tier.name });
    const stats = engine.compileStats().tiers;
    expect(stats[tier.name]!.bailouts).toBeGreaterThan(0);
    expect(stats[tier.fallback!]!.fallbacks).toBe(stats[tier.name]!.bailouts);
  });
});

describe.skipIf(!isX64)('compile statistics from compile workers (needs an x86-64 Linux host)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = new Engine({ compileWorkerUrl: await bundleCompileWorker(), compileWorkers: 2 });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('travel back with each batch and add up to the same counts as a compile on this thread', async () => {
    expect(engine.compilesInBackground).toBe(true);
    const compiled = await engine.compileAsync(bytes);
    expect(last(compiled)(2)).toBe(chainResult(FUNCTIONS - 1, 2, 4));
    const { tiers, modules } = engine.compileStats();
    expect(tiers.baseline).toMatchObject({ functions: FUNCTIONS, bodyBytes, codeBytes, bailouts: 0 });
    expect(tiers.baseline!.milliseconds).toBeGreaterThan(0);
    expect(modules).toBe(1);
  });
});
