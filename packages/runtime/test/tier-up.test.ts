// Dynamic tiering (compile/tier-up.ts, docs/adr/0023): a function compiled with `tier: 'tiered'`
// runs baseline code until its budget runs out, is then recompiled by the optimizing tier (on this
// thread at a quiet point, or on the compile pool), and every way into it — direct call,
// call_indirect, its export, another instance's import — runs the optimized code from then on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { Engine } from '../src/index.ts';
import { instantiate } from '../src/instance/instantiate.ts';
import { callFunction } from '../src/instance/call.ts';
import { hostFunctionHandle } from '../src/instance/host-functions.ts';
import { bundleCompileWorker } from './helpers/compile-worker-bundle.ts';
import { F, WAYS, codeOf, expected, holdersOfF, setUp, type Scenario } from './helpers/tier-up-scenario.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();
const NEVER = 0x7fff_ffff;

/** Every way gives f's result, and f's baseline code did not run (its budget stayed put). */
function expectOptimizedEverywhere(engine: Engine, s: Scenario): void {
  const optimized = codeOf(engine, s.compiled, F, 'optimizing');
  expect(optimized).toBeDefined();
  expect(s.compiled.tiering!.isOptimized(F)).toBe(true);
  expect(holdersOfF(s)).toEqual(new Array(5).fill(optimized));
  const budget = s.compiled.tiering!.budget(F);
  for (const way of WAYS) for (const x of [0, 5, -9, 0x7fffffff]) expect(s.call(way, x)).toBe(expected(x));
  expect(s.compiled.tiering!.budget(F)).toBe(budget);
}

describe.skipIf(!isX64)('dynamic tiering on x86-64 (runs generated code)', () => {
  it('starts on baseline code that spends the budget at entry and on back-edges', () => {
    const engine = new Engine({ compileWorkers: 0, tierUpBudget: 1_000_000 });
    const s = setUp(engine);
    const baseline = codeOf(engine, s.compiled, F, 'tiered');
    expect(baseline).toBeDefined();
    expect(holdersOfF(s)).toEqual(new Array(5).fill(baseline));
    const before = s.compiled.tiering!.budget(F);
    expect(s.call('export', 2)).toBe(expected(2));
    const spent = before - s.compiled.tiering!.budget(F);
    // One entry (the body's size) and four back-edges (the loop's bytes up to the `br`).
    expect(spent).toBeGreaterThan(4);
    expect(s.call('direct', 2)).toBe(expected(2));
    expect(before - s.compiled.tiering!.budget(F)).toBe(2 * spent);
    expect(engine.pendingTierUps).toBe(0);
  });

  it('tiers a hot function up when its budget runs out; every way in then runs the optimized code', async () => {
    const engine = new Engine({ compileWorkers: 0, tierUpBudget: 5_000 });
    const s = setUp(engine);
    let calls = 0;
    while (engine.pendingTierUps === 0) {
      expect(s.call(WAYS[calls % 4]!, calls)).toBe(expected(calls));
      calls++;
      expect(calls).toBeLessThan(10_000);
    }
    // Queued, not compiled: the TierUp builtin never compiles on the running thread.
    expect(s.compiled.tiering!.budget(F)).toBeLessThan(NEVER);
    expect(s.compiled.tiering!.isOptimized(F)).toBe(false);
    expect(s.call('export', 1)).toBe(expected(1));
    await engine.whenTierUpsIdle();
    expectOptimizedEverywhere(engine, s);
    const stats = engine.compileStats().tiers;
    expect(stats.optimizing!.tierUps).toBe(1);
    expect(stats.optimizing!.functions).toBe(1);
  });

  it('a budget of 0 tiers up on the first call; tierUpNow installs at once', async () => {
    const engine = new Engine({ compileWorkers: 0, tierUpBudget: 0 });
    const s = setUp(engine);
    expect(s.call('export', 3)).toBe(expected(3));
    expect(engine.pendingTierUps).toBe(1);
    await engine.whenTierUpsIdle();
    expectOptimizedEverywhere(engine, s);

    const other = new Engine({ compileWorkers: 0 });
    const t = setUp(other);
    other.tierUpNow(t.compiled, F);
    expectOptimizedEverywhere(other, t);
  });

  it('with tierUpSynchronously, compiles and installs inside the TierUp builtin', () => {
    const engine = new Engine({ compileWorkers: 0, tierUpBudget: 0, tierUpSynchronously: true });
    const s = setUp(engine);
    expect(s.call('export', 3)).toBe(expected(3));
    expect(engine.pendingTierUps).toBe(0);
    expectOptimizedEverywhere(engine, s);
  });

  it('installs for every instance of a module, and instances created later start on the optimized code', () => {
    const engine = new Engine({ compileWorkers: 0 });
    const first = setUp(engine);
    const second = setUp(engine);
    expect(second.compiled).toBe(first.compiled);
    engine.tierUpNow(first.compiled, F);
    expectOptimizedEverywhere(engine, first);
    expectOptimizedEverywhere(engine, second);
    const third = setUp(engine);
    expectOptimizedEverywhere(engine, third);
  });

  it('installs while the function runs: its baseline frame finishes in baseline code, the next call runs optimized code', () => {
    const engine = new Engine({ compileWorkers: 0 });
    // g(x) calls host(x) and returns x + 1; loop(n) calls g n times and sums the results.
    const b = new ModuleBuilder();
    const type = b.addType({ params: [ValType.I32], results: [ValType.I32] });
    const host = b.addImport('env', 'host', { func: type });
    const g = b.addFunction(type, [], [...op('local.get', 0), ...op('call', host), ...op('drop'), ...op('local.get', 0), ...op('i32.const', 1), ...op('i32.add'), ...op('end')]);
    const loop = b.addFunction(type, [ValType.I32, ValType.I32], [
      ...op('loop'),
      ...op('local.get', 2), ...op('local.get', 1), ...op('call', g), ...op('i32.add'), ...op('local.set', 2),
      ...op('local.get', 1), ...op('i32.const', 1), ...op('i32.add'), ...op('local.tee', 1),
      ...op('local.get', 0), ...op('i32.lt_u'), ...op('br_if', 0),
      ...op('end'),
      ...op('local.get', 2),
      ...op('end'),
    ]);
    b.addExport('loop', ExternKind.Func, loop);
    const compiled = engine.compile(b.toBytes(), { tier: 'tiered' });
    const seen: boolean[] = [];
    const onCall = (x: unknown): number => {
      seen.push(compiled.tiering!.isOptimized(g));
      // Both functions have baseline frames on the stack right now.
      if (x === 3) {
        engine.tierUpNow(compiled, g);
        engine.tierUpNow(compiled, loop);
      }
      return 0;
    };
    const hostHandle = hostFunctionHandle(engine.store, onCall as (...args: unknown[]) => unknown, compiled.funcType(0), compiled.canonicalTypeId(0));
    const instance = instantiate(engine.store, compiled, [{ kind: 'function', handle: hostHandle }]);
    const value = instance.exports.get('loop');
    if (value?.kind !== 'function') throw new Error('no export');
    const n = 10;
    expect(callFunction(engine.store, value.handle, [n])).toEqual([(n * (n + 1)) / 2]);
    expect(seen).toEqual([false, false, false, false, true, true, true, true, true, true]);
    // The loop's own frame stayed in baseline code (no OSR); the next call enters optimized code.
    expect(callFunction(engine.store, value.handle, [n])).toEqual([(n * (n + 1)) / 2]);
  });

  it('tiers up lazily compiled functions too', async () => {
    const engine = new Engine({ compileWorkers: 0, tierUpBudget: 0 });
    const s = setUp(engine, { lazy: true });
    expect(s.call('direct', 4)).toBe(expected(4));
    await engine.whenTierUpsIdle();
    expect(s.compiled.tiering!.isOptimized(F)).toBe(true);
    const budget = s.compiled.tiering!.budget(F);
    for (const way of WAYS) expect(s.call(way, 11)).toBe(expected(11));
    expect(s.compiled.tiering!.budget(F)).toBe(budget);
  });
});

describe.skipIf(!isX64)('dynamic tiering on the compile pool (runs generated code and worker threads)', () => {
  let workerUrl: URL;
  let engine: Engine;

  beforeAll(async () => {
    workerUrl = await bundleCompileWorker();
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('compiles in the background and installs at a poll while a long call runs', async () => {
    engine = new Engine({ compileWorkerUrl: workerUrl, compileWorkers: 1, tierUpBudget: 2_000 });
    const s = setUp(engine);
    // Warm the pool up, so its workers are running when the budget runs out.
    await engine.compileAsync(new ModuleBuilder().toBytes());
    // hot(n): calls f n times (a direct call each), then reports whether f was optimized by then
    // through its result: the sum of f(i).
    const b = new ModuleBuilder();
    const type = b.addType({ params: [ValType.I32], results: [ValType.I32] });
    const imported = b.addImport('a', 'f', { func: type });
    const hot = b.addFunction(type, [ValType.I32, ValType.I32], [
      ...op('loop'),
      ...op('local.get', 2), ...op('local.get', 1), ...op('call', imported), ...op('i32.add'), ...op('local.set', 2),
      ...op('local.get', 1), ...op('i32.const', 1), ...op('i32.add'), ...op('local.tee', 1),
      ...op('local.get', 0), ...op('i32.lt_u'), ...op('br_if', 0),
      ...op('end'),
      ...op('local.get', 2),
      ...op('end'),
    ]);
    b.addExport('hot', ExternKind.Func, hot);
    const driver = instantiate(engine.store, engine.compile(b.toBytes(), { tier: 'baseline' }), [{ kind: 'function', handle: s.a.functions[F]! }]);
    const value = driver.exports.get('hot');
    if (value?.kind !== 'function') throw new Error('no export');
    let want = 0;
    const n = 3_000_000;
    for (let i = 0; i < n; i++) want = (want + expected(i)) | 0;
    // One call long enough for polls to pick the compiled code up: the event loop never turns in it.
    let rounds = 0;
    while (!s.compiled.tiering!.isOptimized(F)) {
      expect(callFunction(engine.store, value.handle, [n])).toEqual([want]);
      rounds++;
      expect(rounds).toBeLessThan(50);
    }
    expect(engine.compileStats().tiers.optimizing!.tierUps).toBe(1);
    expectOptimizedEverywhere(engine, s);
  }, 60_000);
});
