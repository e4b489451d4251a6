// Coverage cannot shrink unnoticed: every operator of the opcode table with a fixed signature
// that belongs to Wasm 2.0 (SIMD aside) or tail calls compiles without a bailout, and the
// operators of proposals this tier does not implement bail out with a typed reason.
import { BackendBailout } from '@flint/backend';
import { OPERATORS, type OperatorInfo } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { F32, F64, I32, I64, compileLast, oneFunction, op } from './helpers.ts';

const SUPPORTED = new Set(['mvp', 'sign-extension', 'saturating-float-to-int', 'bulk-memory', 'reference-types', 'tail-call']);
const CODE: Record<string, number> = { i: I32, a: I32, l: I64, f: F32, d: F64 };
const CONST: Record<string, string> = { i: 'i32.const', a: 'i32.const', l: 'i64.const', f: 'f32.const', d: 'f64.const' };

/** A body that feeds `info` constants of its parameter types and drops its results. */
function bodyFor(info: OperatorInfo): number[] {
  const [params, results] = info.signature!.split(':') as [string, string];
  const body: number[] = [];
  for (const p of params) body.push(...op(CONST[p]!, p === 'l' ? 1n : 1));
  const constant = info.name.endsWith('.const');
  body.push(...(constant ? op(info.name, info.name.startsWith('i64') ? 0n : 0) : op(info.name)));
  for (let i = 0; i < results.length; i++) body.push(...op('drop'));
  body.push(...op('end'));
  return body;
}

const fixed = OPERATORS.filter((o) => o.signature !== null && o.prefix !== 0xfd && !o.signature.includes('v'));

describe('every fixed-signature operator of Wasm 2.0 compiles', () => {
  const supported = fixed.filter((o) => SUPPORTED.has(o.feature));
  it('covers the numeric, conversion and memory families', () => {
    expect(supported.length).toBeGreaterThan(150);
  });
  it.each(supported.map((o) => [o.name, o] as const))('%s', (_name, info) => {
    const m = oneFunction([], [], [], bodyFor(info), (b) => b.addMemory({ min: 1 }));
    expect(() => compileLast(m)).not.toThrow();
  });
});

describe('operators of unimplemented proposals bail out with a typed reason', () => {
  const others = fixed.filter((o) => !SUPPORTED.has(o.feature) && [...o.signature!].every((ch) => ch === ':' || ch in CODE));
  it.each(others.map((o) => [o.name, o] as const))('%s', (_name, info) => {
    const m = oneFunction([], [], [], bodyFor(info), (b) => b.addMemory({ min: 1, shared: info.feature === 'threads', max: 1 }));
    let error: unknown;
    try {
      compileLast(m);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendBailout);
  });
});
