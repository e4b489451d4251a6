// Fuel metering (issue 12, docs/adr/0021): opt-in, a deterministic cost per operator, a
// RuntimeError "fuel exhausted" when it runs out; every tier (the optimizing tier compiles
// metered modules with the baseline tier), eager and lazy.
import { describe, expect, it } from 'vitest';
import { Engine, RuntimeError, WebAssembly, registeredTiers } from '../../src/index.ts';
import { STRAIGHT_CONSTS, fibFuel, fuelConsumed, fuelInstance, fuelModule, selectFuel, sumFuel } from '../helpers/fuel-scenarios.ts';

const onNativeHost = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');

describe.skipIf(!onNativeHost)('fuel metering', () => {
  const engine = new Engine({ compileWorkers: 0 });

  for (const { name: tier } of registeredTiers()) {
    for (const lazy of [false, true]) {
      describe(`${tier}${lazy ? ', lazy' : ''}`, () => {
        it('charges the cost table: loops, calls, branches, host re-entry', () => {
          const exports = fuelInstance(engine, WebAssembly, tier, lazy);
          for (const n of [1, 10, 1000]) expect(fuelConsumed(engine, () => exports.sum(n))).toEqual({ fuel: sumFuel(n), outcome: String((3n * BigInt(n) * BigInt(n - 1)) / 2n + BigInt(Math.floor(n / 2))) });
          expect(fuelConsumed(engine, () => exports.fib(15))).toEqual({ fuel: fibFuel(15), outcome: '610' });
          // viaHost: `local.get`, `call` into JS, which calls fib on the same thread's fuel.
          expect(fuelConsumed(engine, () => exports.viaHost(12))).toEqual({ fuel: 2 + fibFuel(12), outcome: '144' });
          expect(fuelConsumed(engine, () => exports.longRun())).toEqual({ fuel: STRAIGHT_CONSTS, outcome: 'undefined' });
          engine.setFuel(STRAIGHT_CONSTS - 1);
          expect(() => exports.longRun()).toThrow(/^fuel exhausted$/);
          for (const x of [0, 1, 2, 3]) expect(fuelConsumed(engine, () => exports.select(x))).toEqual({ fuel: selectFuel(x), outcome: String([10, 21, 30, 30][x]) });
        });

        it('traps with "fuel exhausted" exactly when a charge passes what is left', () => {
          const exports = fuelInstance(engine, WebAssembly, tier, lazy);
          engine.setFuel(sumFuel(500));
          expect(exports.sum(500)).toBe((3n * 500n * 499n) / 2n + 250n);
          expect(engine.fuelRemaining()).toBe(0);
          engine.setFuel(sumFuel(500) - 1);
          expect(() => exports.sum(500)).toThrow(RuntimeError);
          engine.setFuel(sumFuel(500) - 1);
          expect(() => exports.sum(500)).toThrow(/^fuel exhausted$/);
          expect(engine.fuelRemaining()).toBe(0);
          // A spinning loop pays 1 per iteration (its `br`) and stops.
          engine.setFuel(100_000);
          expect(() => exports.spin()).toThrow(/^fuel exhausted$/);
          // The thread runs Wasm again once refuelled.
          engine.setFuel(1_000);
          expect(exports.fib(5)).toBe(5);
          expect(engine.fuelRemaining()).toBe(1_000 - fibFuel(5));
        });
      });
    }
  }

  it('fuel starts at 0: a metered module traps at once until fuel is set', () => {
    const fresh = new Engine({ compileWorkers: 0, fuel: true });
    const exports = fuelInstance(fresh, WebAssembly, 'baseline');
    fresh.setFuel(0);
    expect(() => exports.fib(3)).toThrow(/^fuel exhausted$/);
  });

  it('code compiled without fuel never consumes or needs it', () => {
    const module = WebAssembly.Module.fromCompiled(engine.compile(fuelModule(), { fuel: false }));
    const exports = new WebAssembly.Instance(module, { env: { host: (x: number) => x } }).exports as unknown as { fib(n: number): number };
    engine.setFuel(0);
    expect(exports.fib(10)).toBe(55);
    expect(engine.fuelRemaining()).toBe(0);
  });

  it('EngineOptions.fuel meters by default; CompileOptions.fuel overrides; metered modules are their own cache entries', () => {
    const metering = new Engine({ compileWorkers: 0, fuel: true });
    const metered = metering.compile(fuelModule(), { tier: 'optimizing' });
    expect(metered.options).toMatchObject({ fuel: true, tier: 'baseline' });
    const plain = metering.compile(fuelModule(), { tier: 'optimizing', fuel: false });
    expect(plain.options).toMatchObject({ fuel: false, tier: 'optimizing' });
    expect(plain).not.toBe(metered);
    // The code cache says the code meters fuel; loaded elsewhere, it still does.
    const loaded = new Engine({ compileWorkers: 0 }).deserialize(metered.serialize());
    expect(loaded.options.fuel).toBe(true);
  });

  it('setFuel refuses what is not a non-negative integer', () => {
    expect(() => engine.setFuel(-1)).toThrow(RangeError);
    expect(() => engine.setFuel(1.5)).toThrow(RangeError);
    expect(() => engine.setFuel(2n ** 62n)).toThrow(RangeError);
    engine.setFuel(2n ** 62n - 1n);
    expect(engine.fuelRemaining()).toBe(Number(2n ** 62n - 1n));
  });
});
