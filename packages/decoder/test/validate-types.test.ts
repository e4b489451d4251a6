// Types: recursion groups, declared subtyping, iso-recursive canonicalization and reference subtyping.
import { describe, expect, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import type { CompositeType, SubType } from '../src/types.ts';
import { FUNCREF, HeapType, ValType, heapFromTypeIndex, refType } from '../src/types.ts';
import { TypeCanonicalizer } from '../src/validate/type-canonicalizer.ts';
import { expectInvalid, expectValid, makeModule } from './validate-helpers.ts';

const { I32, I64, I8 } = ValType;

/** A type section given as recursion groups of composite types with optional subtype info. */
interface T {
  c: CompositeType;
  final?: boolean;
  sup?: number;
}
function section(groups: T[][]): SubType[] {
  const out: SubType[] = [];
  for (const group of groups) {
    const start = out.length;
    for (const t of group) {
      out.push({ final: t.final ?? true, supertypes: t.sup === undefined ? [] : [t.sup], composite: t.c, recGroupStart: start, recGroupSize: group.length, describes: -1, descriptor: -1, offset: 0x0b });
    }
  }
  return out;
}
const ref = (i: number, nullable = true) => refType(nullable, heapFromTypeIndex(i));
const func = (params: ValType[], results: ValType[]): CompositeType => ({ kind: 'func', params, results });
const struct = (...fields: [ValType, boolean][]): CompositeType => ({ kind: 'struct', fields: fields.map(([type, mutable]) => ({ type, mutable })) });
const array = (type: ValType, mutable = false): CompositeType => ({ kind: 'array', element: { type, mutable } });

describe('canonicalization (iso-recursive equivalence)', () => {
  it('gives structurally equal singleton types the same canonical id', () => {
    const r = expectValid(makeModule({ types: section([[{ c: func([I32], []) }], [{ c: func([I32], []) }], [{ c: func([I64], []) }]]) }));
    expect(r.canonicalTypeIds[0]).toBe(r.canonicalTypeIds[1]);
    expect(r.canonicalTypeIds[0]).not.toBe(r.canonicalTypeIds[2]);
  });

  it('identifies equal recursion groups, with internal references taken relative to the group', () => {
    // (rec (type $a (struct (field (ref null $b)))) (type $b (struct (field (ref null $a))))) twice.
    const group = (base: number): T[] => [{ c: struct([ref(base + 1), false]) }, { c: struct([ref(base), false]) }];
    const r = expectValid(makeModule({ types: section([group(0), group(2)]) }));
    expect(r.canonicalTypeIds[2]).toBe(r.canonicalTypeIds[0]);
    expect(r.canonicalTypeIds[3]).toBe(r.canonicalTypeIds[1]);
    expect(r.canonicalTypeIds[0]).not.toBe(r.canonicalTypeIds[1]);
  });

  it('distinguishes a type in a group from the same type alone', () => {
    const r = expectValid(makeModule({ types: section([[{ c: func([], []) }, { c: func([I32], []) }], [{ c: func([], []) }]]) }));
    expect(r.canonicalTypeIds[2]).not.toBe(r.canonicalTypeIds[0]);
  });

  it('shares ids across modules through one canonicalizer', () => {
    const canonicalizer = new TypeCanonicalizer();
    const a = canonicalizer.canonicalize(section([[{ c: func([], []) }], [{ c: array(I8, true) }]]));
    const b = canonicalizer.canonicalize(section([[{ c: array(I8, true) }]]));
    expect(b[0]).toBe(a[1]);
    expect(canonicalizer.size).toBe(2);
  });

  it('lets call_indirect accept an equivalent type declared twice', () => {
    const m = makeModule({
      types: section([[{ c: func([], []) }], [{ c: func([], []) }]]),
      tables: [{ element: FUNCREF, limits: { min: 1n, max: null, shared: false, address: 'i32', pageSizeLog2: 16 } }],
      funcs: [{ type: 0, body: [...op('i32.const', 0), ...op('call_indirect', 1, 0), ...op('end')] }],
    });
    expectValid(m);
  });
});

describe('type references', () => {
  it('rejects a forward reference outside the recursion group', () => {
    expectInvalid(makeModule({ types: section([[{ c: func([ref(1)], []) }], [{ c: func([], []) }]]) }), 'unknown type');
  });

  it('accepts a forward reference inside the recursion group', () => {
    expectValid(makeModule({ types: section([[{ c: func([ref(1)], []) }, { c: func([], []) }]]) }));
  });
});

describe('declared subtypes', () => {
  it('accepts a struct extending a non-final struct with more fields', () => {
    expectValid(makeModule({ types: section([[{ c: struct([I32, false]), final: false }], [{ c: struct([I32, false], [I64, true]), sup: 0 }]]) }));
  });

  it('rejects extending a final type', () => {
    const e = expectInvalid(makeModule({ types: section([[{ c: struct() }], [{ c: struct(), sup: 0 }]]) }), 'sub type 1 does not match super type 0');
    expect(e.message).toContain('final');
  });

  it('rejects a different composite kind', () => {
    expectInvalid(makeModule({ types: section([[{ c: array(I32), final: false }], [{ c: struct(), sup: 0 }]]) }), 'sub type');
  });

  it('rejects a supertype that is not defined before', () => {
    expectInvalid(makeModule({ types: section([[{ c: struct(), sup: 1 }, { c: struct(), final: false }]]) }), 'sub type');
  });

  it('keeps mutable fields invariant and immutable fields covariant', () => {
    const anyref = refType(true, HeapType.Any);
    const eqref = refType(true, HeapType.Eq);
    expectValid(makeModule({ types: section([[{ c: struct([anyref, false]), final: false }], [{ c: struct([eqref, false]), sup: 0 }]]) }));
    expectInvalid(makeModule({ types: section([[{ c: struct([anyref, true]), final: false }], [{ c: struct([eqref, true]), sup: 0 }]]) }), 'sub type 1 does not match super type 0');
    expectInvalid(makeModule({ types: section([[{ c: struct([I32, true]), final: false }], [{ c: struct([I32, false]), sup: 0 }]]) }), 'sub type');
  });

  it('makes function params contravariant and results covariant', () => {
    const anyref = refType(true, HeapType.Any);
    const eqref = refType(true, HeapType.Eq);
    expectValid(makeModule({ types: section([[{ c: func([eqref], [anyref]), final: false }], [{ c: func([anyref], [eqref]), sup: 0 }]]) }));
    expectInvalid(makeModule({ types: section([[{ c: func([anyref], []), final: false }], [{ c: func([eqref], []), sup: 0 }]]) }), 'sub type');
  });

  it('uses declared subtyping in instruction typing (a subtype reference flows to a supertype result)', () => {
    const types = section([[{ c: struct(), final: false }], [{ c: struct([I32, false]), sup: 0 }], [{ c: func([ref(1, false)], [ref(0)]) }]]);
    expectValid(makeModule({ types, funcs: [{ type: 2, body: [...op('local.get', 0), ...op('end')] }] }));
    const back = section([[{ c: struct(), final: false }], [{ c: struct([I32, false]), sup: 0 }], [{ c: func([ref(0)], [ref(1)]) }]]);
    expectInvalid(makeModule({ types: back, funcs: [{ type: 2, body: [...op('local.get', 0), ...op('end')] }] }), 'type mismatch');
  });
});

describe('abstract heap type subtyping', () => {
  const cases: [string, ValType, ValType, boolean][] = [
    ['i31 <: eq', refType(false, HeapType.I31), refType(true, HeapType.Eq), true],
    ['none <: struct', refType(true, HeapType.None), refType(true, HeapType.Struct), true],
    ['nofunc <: func', refType(true, HeapType.NoFunc), FUNCREF, true],
    ['noextern <: extern', refType(true, HeapType.NoExtern), refType(true, HeapType.Extern), true],
    ['noexn <: exn', refType(true, HeapType.NoExn), refType(true, HeapType.Exn), true],
    ['func is not <: any', FUNCREF, refType(true, HeapType.Any), false],
    ['extern is not <: any', refType(true, HeapType.Extern), refType(true, HeapType.Any), false],
    ['nullable is not <: non-null', refType(true, HeapType.I31), refType(false, HeapType.I31), false],
    ['array is not <: struct', refType(true, HeapType.Array), refType(true, HeapType.Struct), false],
    ['none is not <: func', refType(true, HeapType.None), FUNCREF, false],
  ];
  for (const [name, sub, sup, ok] of cases) {
    it(`${name}: a function [${name.split(' ')[0]}] -> [..] ${ok ? 'validates' : 'fails'}`, () => {
      const m = makeModule({ types: [{ params: [sub], results: [sup] }], funcs: [{ type: 0, body: [...op('local.get', 0), ...op('end')] }] });
      if (ok) expectValid(m);
      else expectInvalid(m, 'type mismatch');
    });
  }
});
