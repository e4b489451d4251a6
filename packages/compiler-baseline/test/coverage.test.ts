// Coverage cannot shrink unnoticed: every operator of the opcode table with a fixed signature
// that belongs to Wasm 2.0 (fixed-width SIMD included), relaxed SIMD or tail calls compiles
// without a bailout, and the operators of proposals this tier does not implement bail out with a
// typed reason.
import { BackendBailout } from '@flint/backend';
import { Imm, OPERATORS, type OperatorInfo } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { F32, F64, I32, I64, compileLast, oneFunction, op } from './helpers.ts';

const SUPPORTED = new Set(['mvp', 'sign-extension', 'saturating-float-to-int', 'bulk-memory', 'reference-types', 'tail-call', 'simd', 'relaxed-simd']);
const CODE: Record<string, number> = { i: I32, a: I32, l: I64, f: F32, d: F64, v: 0x7b };
const CONST: Record<string, string> = { i: 'i32.const', a: 'i32.const', l: 'i64.const', f: 'f32.const', d: 'f64.const', v: 'v128.const' };
const SIXTEEN = [0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31];

/** The operator with immediates that any operand values accept (lane 1, memarg offset 0). */
function instruction(info: OperatorInfo): number[] {
  switch (info.immediate) {
    case Imm.V128:
    case Imm.Shuffle:
      return op(info.name, SIXTEEN);
    case Imm.Lane:
      return op(info.name, 1);
    case Imm.MemArgLane:
      return op(info.name, undefined, 1);
    case Imm.I64:
      return op(info.name, 0n);
    case Imm.I32:
    case Imm.F32:
    case Imm.F64:
      return op(info.name, 0);
    default:
      return op(info.name);
  }
}

/** A body that feeds `info` constants of its parameter types and drops its results. */
function bodyFor(info: OperatorInfo): number[] {
  const [params, results] = info.signature!.split(':') as [string, string];
  const body: number[] = [];
  for (const p of params) body.push(...(p === 'v' ? op('v128.const', SIXTEEN) : op(CONST[p]!, p === 'l' ? 1n : 1)));
  body.push(...instruction(info));
  for (let i = 0; i < results.length; i++) body.push(...op('drop'));
  body.push(...op('end'));
  return body;
}

const fixed = OPERATORS.filter((o) => o.signature !== null);

describe('every fixed-signature operator of Wasm 2.0, relaxed SIMD and tail calls compiles', () => {
  const supported = fixed.filter((o) => SUPPORTED.has(o.feature));
  it('covers the numeric, conversion, memory and SIMD families', () => {
    expect(supported.length).toBeGreaterThan(150 + 236 + 20);
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
