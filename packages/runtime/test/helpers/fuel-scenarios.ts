// Modules and runs shared by the fuel tests: resources/fuel.test.ts runs them in its own process,
// resources/emulated/fuel-child.ts natively and under qemu-aarch64, which must agree exactly.
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import type { Engine, WebAssembly as FlintWebAssembly } from '@flint/runtime';

// What calls cost by the cost table (compiler-baseline/src/fuel.ts), counted by hand from the bodies below.
/** `sum(n)`: 18 operators per iteration, 4 after the loop. */
export const sumFuel = (n: number): number => 18 * n + 4;
/** `fib(n)`: 5 for n < 2 (the test, `if`, the `then` arm); else 13 and both calls. */
export const fibFuel = (n: number): number => (n < 2 ? 5 : 13 + fibFuel(n - 1) + fibFuel(n - 2));
/** `longRun()`: one straight run of this many `i32.const` (and free `drop`s), charged at once (arm64 splits the immediate). */
export const STRAIGHT_CONSTS = 5000;
/** `select(x)`: 2 to reach the br_table, then 1 (arm 0), 3 (arm 1) or 1 (default). */
export const selectFuel = (x: number): number => 2 + (x === 1 ? 3 : 1);

/**
 * (func $spin (loop (br 0)))
 * (func $sum (param $n i32) (result i64) (local $i i32) (local $a i64) (local $f f64)
 *   (loop (a += extend_u(i) * 3) (f += 0.5) (i += 1) (br_if 0 (i <u n))) (a + trunc_s(f)))
 * (func $fib (param i32) (result i32) (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
 *   (then (local.get 0)) (else (fib(n-1) + fib(n-2)))))
 * (func $viaHost (param i32) (result i32) (call $host (local.get 0)))   ;; the host calls fib
 * (func $select (param i32) (result i32) ... a br_table over four arms)
 * (func $longRun (i32.const 0) (drop) (i32.const 1) (drop) ... STRAIGHT_CONSTS times)
 */
export function fuelModule(): Uint8Array {
  const b = new ModuleBuilder();
  const unit = b.addType({ params: [], results: [] });
  const sumType = b.addType({ params: [ValType.I32], results: [ValType.I64] });
  const i32ToI32 = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  const host = b.addImport('env', 'host', { func: i32ToI32 });
  const spin = b.addFunction(unit, [], [...op('loop'), ...op('br', 0), ...op('end'), ...op('end')]);
  const [n, i, a, f] = [0, 1, 2, 3];
  const sum = b.addFunction(
    sumType,
    [{ count: 1, type: ValType.I32 }, { count: 1, type: ValType.I64 }, { count: 1, type: ValType.F64 }],
    [
      ...op('loop'),
      ...op('local.get', a), ...op('local.get', i), ...op('i64.extend_i32_u'), ...op('i64.const', 3n), ...op('i64.mul'), ...op('i64.add'), ...op('local.set', a),
      ...op('local.get', f), ...op('f64.const', 0.5), ...op('f64.add'), ...op('local.set', f),
      ...op('local.get', i), ...op('i32.const', 1), ...op('i32.add'), ...op('local.tee', i),
      ...op('local.get', n), ...op('i32.lt_u'), ...op('br_if', 0),
      ...op('end'),
      ...op('local.get', a), ...op('local.get', f), ...op('i64.trunc_f64_s'), ...op('i64.add'),
      ...op('end'),
    ],
  );
  const fib = host + 3; // functions are numbered imports first: host, spin, sum, fib
  b.addFunction(i32ToI32, [], [
    ...op('local.get', 0), ...op('i32.const', 2), ...op('i32.lt_u'),
    ...op('if', ValType.I32), ...op('local.get', 0),
    ...op('else'),
    ...op('local.get', 0), ...op('i32.const', 1), ...op('i32.sub'), ...op('call', fib),
    ...op('local.get', 0), ...op('i32.const', 2), ...op('i32.sub'), ...op('call', fib),
    ...op('i32.add'),
    ...op('end'),
    ...op('end'),
  ]);
  const viaHost = b.addFunction(i32ToI32, [], [...op('local.get', 0), ...op('call', host), ...op('end')]);
  const select = b.addFunction(i32ToI32, [], [
    ...op('block'), ...op('block'), ...op('block'),
    ...op('local.get', 0), ...op('br_table', [0, 1], 2),
    ...op('end'), ...op('i32.const', 10), ...op('return'),
    ...op('end'), ...op('i32.const', 20), ...op('i32.const', 1), ...op('i32.add'), ...op('return'),
    ...op('end'), ...op('i32.const', 30),
    ...op('end'),
  ]);
  const straight: number[] = [];
  for (let k = 0; k < STRAIGHT_CONSTS; k++) straight.push(...op('i32.const', k), ...op('drop'));
  const longRun = b.addFunction(unit, [], [...straight, ...op('end')]);
  b.addExport('spin', ExternKind.Func, spin);
  b.addExport('longRun', ExternKind.Func, longRun);
  b.addExport('sum', ExternKind.Func, sum);
  b.addExport('fib', ExternKind.Func, fib);
  b.addExport('viaHost', ExternKind.Func, viaHost);
  b.addExport('select', ExternKind.Func, select);
  return b.toBytes();
}

export interface FuelExports {
  spin(): void;
  sum(n: number): bigint;
  fib(n: number): number;
  viaHost(n: number): number;
  select(n: number): number;
  longRun(): void;
}

/** An instance of `fuelModule()` compiled with fuel by `engine` for `tier`; its host import calls `fib`. */
export function fuelInstance(engine: Engine, wasm: typeof FlintWebAssembly, tier: string, lazy = false): FuelExports {
  const module = wasm.Module.fromCompiled(engine.compile(fuelModule(), { tier, lazy, fuel: true }));
  let exports: FuelExports | null = null;
  const instance = new wasm.Instance(module, { env: { host: (x: number) => exports!.fib(x) } });
  exports = instance.exports as unknown as FuelExports;
  return exports;
}

/** The fuel `run` consumed (from a large tank), and what it returned or threw. */
export function fuelConsumed(engine: Engine, run: () => unknown): { fuel: number; outcome: string } {
  const tank = 1e12;
  engine.setFuel(tank);
  let outcome: string;
  try {
    outcome = String(run());
  } catch (error) {
    outcome = `${(error as Error).name}: ${(error as Error).message}`;
  }
  return { fuel: tank - engine.fuelRemaining(), outcome };
}

/** The runs whose consumption both ISAs must agree on, per tier. */
export function fuelScenarios(engine: Engine, wasm: typeof FlintWebAssembly, tiers: readonly string[]): unknown[] {
  const results: unknown[] = [];
  for (const tier of tiers) {
    for (const lazy of [false, true]) {
      const exports = fuelInstance(engine, wasm, tier, lazy);
      const runs: [string, () => unknown][] = [
        ['sum(1000)', () => exports.sum(1000)],
        ['fib(15)', () => exports.fib(15)],
        ['viaHost(12)', () => exports.viaHost(12)],
        ['select(0..3)', () => [0, 1, 2, 3].map((x) => exports.select(x)).join(',')],
        ['longRun()', () => exports.longRun()],
      ];
      for (const [name, run] of runs) results.push({ tier, lazy, name, ...fuelConsumed(engine, run) });
      engine.setFuel(12_345);
      let error = '';
      try {
        exports.spin();
      } catch (e) {
        error = `${(e as Error).name}: ${(e as Error).message}`;
      }
      results.push({ tier, lazy, name: 'spin from 12345', error, left: engine.fuelRemaining() });
    }
  }
  return results;
}
