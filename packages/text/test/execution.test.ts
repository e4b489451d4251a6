// End to end through an independent engine: modules parsed here are compiled and run by the
// host's WebAssembly implementation, which checks the encoding and the meaning of the bytes.
// Only features the host (Node 20) supports without flags are used.
import { describe, expect, it } from 'vitest';
import { parseWat } from '../src/index.ts';

// The workspace compiles without DOM typings, so the host API is declared by hand.
interface HostWebAssembly {
  instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const host = (globalThis as unknown as { WebAssembly: HostWebAssembly }).WebAssembly;

async function exportsOf(source: string): Promise<Record<string, (...args: never[]) => unknown>> {
  const { instance } = await host.instantiate(parseWat(source));
  return instance.exports as Record<string, (...args: never[]) => unknown>;
}

describe('execution by the host engine', () => {
  it('runs recursion, locals, folded and plain control flow', async () => {
    const { fac, classify } = await exportsOf(`(module
      (func $fac (export "fac") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 1))
          (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
      (func (export "classify") (param i32) (result i32)
        block $c block $b block $a
          local.get 0
          br_table $a $b $c
        end $a i32.const 10 return
        end $b i32.const 20 return
        end $c i32.const 30))`);
    expect((fac as (n: bigint) => bigint)(20n)).toBe(2432902008176640000n);
    expect([0, 1, 2, 99].map((i) => (classify as (i: number) => number)(i))).toEqual([10, 20, 30, 30]);
  });

  it('rounds f32 literals as the spec requires', async () => {
    const { bits } = await exportsOf(`(module (func (export "bits") (result i32)
      (i32.reinterpret_f32 (f32.const 1.000000059604644776257986737988403547205962240695953369140625))))`);
    expect((bits as () => number)() >>> 0).toBe(0x3f80_0001);
  });

  it('runs SIMD with every v128.const shape', async () => {
    const { lane, shuffled } = await exportsOf(`(module
      (func (export "lane") (result i32)
        (i32x4.extract_lane 2 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i8x16 1 0 0 0 1 0 0 0 1 0 0 0 1 0 0 0))))
      (func (export "shuffled") (result i32)
        (i8x16.extract_lane_u 0 (i8x16.shuffle 31 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
          (v128.const i16x8 0 0 0 0 0 0 0 0) (v128.const i64x2 0 0xff00_0000_0000_0000)))))`);
    expect((lane as () => number)()).toBe(4);
    expect((shuffled as () => number)()).toBe(0xff);
  });

  it('lays out inline data, memargs and globals', async () => {
    const { load, counter } = await exportsOf(`(module
      (memory (data "\\01\\02\\03\\04\\05"))
      (global $g (mut i32) (i32.const 41))
      (func (export "load") (result i32) (i32.load offset=1 align=1 (i32.const 0)))
      (func (export "counter") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))`);
    expect((load as () => number)()).toBe(0x05040302);
    expect((counter as () => number)()).toBe(42);
  });

  it('fills tables from inline element segments and calls through them', async () => {
    const { pick } = await exportsOf(`(module
      (type $r (func (result i32)))
      (table funcref (elem $one $two))
      (func $one (result i32) (i32.const 1))
      (func $two (result i32) (i32.const 2))
      (func (export "pick") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))`);
    expect([(pick as (i: number) => number)(0), (pick as (i: number) => number)(1)]).toEqual([1, 2]);
  });
});
