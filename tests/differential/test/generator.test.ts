import { describe, expect, test } from 'vitest';
import { validate } from '@flint/decoder';
import { Prng } from '../src/prng.ts';
import { generateModule } from '../src/generator/module-generator.ts';
import { NUMERIC_OPERATORS } from '../src/generator/operator-pool.ts';
import { operatorsOf } from '../src/signature.ts';
import { NODE_WEBASSEMBLY } from '../src/runner.ts';

const nodeValidate = (NODE_WEBASSEMBLY as unknown as { validate(b: Uint8Array): boolean }).validate;

describe('Prng', () => {
  test('is deterministic per seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const rng = new Prng(seed);
      return Array.from({ length: 8 }, () => rng.nextU32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  test('below(n) stays in range and reaches both ends', () => {
    const rng = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.below(5);
      expect(v >= 0 && v < 5 && Number.isInteger(v)).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('weighted never picks a zero weight', () => {
    const rng = new Prng(3);
    for (let i = 0; i < 1000; i++) expect(rng.weighted([0, 1, 0, 2])).not.toBe(0);
  });
});

describe('operator pool', () => {
  test('is drawn from the opcode table by signature and feature', () => {
    const names = new Set(NUMERIC_OPERATORS.map((o) => o.info.name));
    for (const name of ['i32.add', 'i64.rotr', 'f32.copysign', 'f64.nearest', 'i32.trunc_f64_u', 'i64.extend32_s', 'i64.trunc_sat_f32_u', 'f32.reinterpret_i32']) {
      expect(names.has(name), name).toBe(true);
    }
    // Constants, loads, SIMD and atomics are not pool operators.
    for (const name of ['i32.const', 'i32.load', 'i32x4.add', 'i32.atomic.rmw.add']) expect(names.has(name), name).toBe(false);
    // From the binary format: MVP numeric operators 0x45–0xBF (123), sign extension 0xC0–0xC4
    // (5), saturating truncation 0xFC 0x00–0x07 (8).
    expect(NUMERIC_OPERATORS.length).toBe(0xbf - 0x45 + 1 + 5 + 8);
  });

  test('marks NaN-nondeterministic results by the spec rules', () => {
    const byName = new Map(NUMERIC_OPERATORS.map((o) => [o.info.name, o]));
    expect(byName.get('f32.add')!.nondeterministicNaN).toBe(true);
    expect(byName.get('f64.promote_f32')!.nondeterministicNaN).toBe(true);
    expect(byName.get('f32.abs')!.nondeterministicNaN).toBe(false);
    expect(byName.get('f64.copysign')!.nondeterministicNaN).toBe(false);
    expect(byName.get('f32.reinterpret_i32')!.nondeterministicNaN).toBe(false);
    expect(byName.get('i32.div_s')!.traps).toBe(true);
    expect(byName.get('i32.trunc_sat_f32_s')!.traps).toBe(false);
  });
});

describe('module generator', () => {
  test('is deterministic', () => {
    expect(generateModule(42).bytes).toEqual(generateModule(42).bytes);
    expect(generateModule(42).bytes).not.toEqual(generateModule(43).bytes);
  });

  test('generates modules both validators accept, covering every pool operator', () => {
    const used = new Set<string>();
    for (let seed = 0; seed < 150; seed++) {
      const { bytes } = generateModule(seed);
      expect(() => validate(bytes), `seed ${seed}`).not.toThrow();
      expect(nodeValidate(bytes), `seed ${seed}`).toBe(true);
      for (const name of operatorsOf(bytes)) used.add(name);
    }
    const missing = NUMERIC_OPERATORS.map((o) => o.info.name).filter((n) => !used.has(n));
    expect(missing).toEqual([]);
    for (const name of ['call_indirect', 'memory.grow', 'memory.size', 'memory.fill', 'memory.copy', 'i64.store32', 'f64.load', 'i32.load16_s', 'unreachable', 'call', 'return_call', 'return_call_indirect']) {
      expect(used.has(name), name).toBe(true);
    }
  });
});
