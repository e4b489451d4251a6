// GC instructions: structs, arrays (packed fields, mutability), i31, casts and conversions.
import { describe, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import type { CompositeType, SubType, ValType as VT } from '../src/types.ts';
import { HeapType, ValType, heapFromTypeIndex, refType } from '../src/types.ts';
import { BODY_BASE, expectInvalid, expectValid, makeModule } from './validate-helpers.ts';

const { I32, I64, I8 } = ValType;
const sub = (composite: CompositeType, i: number, final = true, supertypes: number[] = []): SubType => ({ final, supertypes, composite, recGroupStart: i, recGroupSize: 1, describes: -1, descriptor: -1, offset: 0x0b });
const ref = (i: number, nullable = true) => refType(nullable, heapFromTypeIndex(i));

/** Type 0: struct { i32 mut, i8 const }; type 1: array (mut i8); type 2: array (const i64); type 3: the function. */
function gcModule(params: VT[], results: VT[], body: number[], extra: object = {}) {
  return makeModule({
    types: [
      sub({ kind: 'struct', fields: [{ type: I32, mutable: true }, { type: I8, mutable: false }] }, 0),
      sub({ kind: 'array', element: { type: I8, mutable: true } }, 1),
      sub({ kind: 'array', element: { type: I64, mutable: false } }, 2),
      sub({ kind: 'func', params, results }, 3),
    ],
    funcs: [{ type: 3, body }],
    ...extra,
  });
}

describe('structs', () => {
  it('struct.new pops the unpacked field types and pushes a non-null reference', () => {
    expectValid(gcModule([], [ref(0, false)], [...op('i32.const', 1), ...op('i32.const', 2), ...op('struct.new', 0), ...op('end')]));
    expectInvalid(gcModule([], [ref(0, false)], [...op('i64.const', 1), ...op('i32.const', 2), ...op('struct.new', 0), ...op('end')]), 'type mismatch', BODY_BASE + 4);
  });

  it('packed fields need struct.get_s/_u and plain fields need struct.get', () => {
    expectValid(gcModule([ref(0)], [I32], [...op('local.get', 0), ...op('struct.get_u', 0, 1), ...op('end')]));
    expectInvalid(gcModule([ref(0)], [I32], [...op('local.get', 0), ...op('struct.get', 0, 1), ...op('end')]), 'type mismatch', BODY_BASE + 2);
    expectInvalid(gcModule([ref(0)], [I32], [...op('local.get', 0), ...op('struct.get_s', 0, 0), ...op('end')]), 'type mismatch', BODY_BASE + 2);
  });

  it('struct.set needs a mutable field', () => {
    expectValid(gcModule([ref(0)], [], [...op('local.get', 0), ...op('i32.const', 1), ...op('struct.set', 0, 0), ...op('end')]));
    expectInvalid(gcModule([ref(0)], [], [...op('local.get', 0), ...op('i32.const', 1), ...op('struct.set', 0, 1), ...op('end')]), 'immutable field', BODY_BASE + 4);
  });

  it('rejects struct operators on array types and unknown fields', () => {
    expectInvalid(gcModule([], [], [...op('struct.new_default', 1), ...op('drop'), ...op('end')]), 'type mismatch', BODY_BASE);
    expectInvalid(gcModule([ref(0)], [I32], [...op('local.get', 0), ...op('struct.get', 0, 2), ...op('end')]), 'unknown field', BODY_BASE + 2);
  });
});

describe('arrays', () => {
  it('array.set and array.fill need a mutable array', () => {
    expectValid(gcModule([ref(1)], [], [...op('local.get', 0), ...op('i32.const', 0), ...op('i32.const', 7), ...op('array.set', 1), ...op('end')]));
    expectInvalid(gcModule([ref(2)], [], [...op('local.get', 0), ...op('i32.const', 0), ...op('i64.const', 7), ...op('array.set', 2), ...op('end')]), 'immutable array', BODY_BASE + 6);
  });

  it('array.copy needs a mutable destination whose element type the source matches', () => {
    const copy = (dst: number, src: number) => [...op('local.get', 0), ...op('i32.const', 0), ...op('local.get', 1), ...op('i32.const', 0), ...op('i32.const', 0), ...op('array.copy', dst, src), ...op('end')];
    expectValid(gcModule([ref(1), ref(1)], [], copy(1, 1)));
    expectInvalid(gcModule([ref(1), ref(2)], [], copy(1, 2)), 'array types do not match');
    expectInvalid(gcModule([ref(2), ref(2)], [], copy(2, 2)), 'immutable array');
  });

  it('array.new_fixed pops exactly its count of elements', () => {
    expectValid(gcModule([], [ref(2, false)], [...op('i64.const', 1), ...op('i64.const', 2), ...op('array.new_fixed', 2, 2), ...op('end')]));
    expectInvalid(gcModule([], [ref(2, false)], [...op('i64.const', 1), ...op('array.new_fixed', 2, 2), ...op('end')]), 'type mismatch', BODY_BASE + 2);
  });

  it('array.new_fixed with a hostile count in unreachable code completes', () => {
    expectValid(gcModule([], [ref(2, false)], [...op('unreachable'), ...op('array.new_fixed', 2, 0xffff_ffff), ...op('end')]));
  });

  it('array.new_data needs a numeric element type and the data count section', () => {
    const body = (t: number) => [...op('i32.const', 0), ...op('i32.const', 0), ...op('array.new_data', t, 0), ...op('drop'), ...op('end')];
    expectValid(gcModule([], [], body(1), { datas: [{}], dataCount: 1 }));
    expectInvalid(gcModule([], [], body(1), { datas: [{}] }), 'data count section required');
  });

  it('array.len takes any array reference', () => {
    expectValid(gcModule([ref(2)], [I32], [...op('local.get', 0), ...op('array.len'), ...op('end')]));
    expectInvalid(gcModule([ref(0)], [I32], [...op('local.get', 0), ...op('array.len'), ...op('end')]), 'type mismatch', BODY_BASE + 2);
  });
});

describe('i31, casts and conversions', () => {
  it('ref.i31 and i31.get_s', () => {
    expectValid(gcModule([], [I32], [...op('i32.const', 5), ...op('ref.i31'), ...op('i31.get_s'), ...op('end')]));
  });

  it('ref.cast narrows within a hierarchy and rejects casts across hierarchies', () => {
    const anyref = refType(true, HeapType.Any);
    expectValid(gcModule([anyref], [ref(0, false)], [...op('local.get', 0), ...op('ref.cast', ref(0, false)), ...op('end')]));
    expectInvalid(gcModule([refType(true, HeapType.Extern)], [ref(0, false)], [...op('local.get', 0), ...op('ref.cast', ref(0, false)), ...op('end')]), 'type mismatch', BODY_BASE + 2);
  });

  it('ref.test yields i32', () => {
    expectValid(gcModule([refType(true, HeapType.Eq)], [I32], [...op('local.get', 0), ...op('ref.test', refType(true, HeapType.I31)), ...op('end')]));
  });

  it('br_on_cast sends the target type to the label and leaves the difference', () => {
    const anyref = refType(true, HeapType.Any);
    const body = [...op('block', refType(false, HeapType.I31)), ...op('local.get', 0), ...op('br_on_cast', 0, anyref, refType(false, HeapType.I31)), ...op('drop'), ...op('unreachable'), ...op('end'), ...op('drop'), ...op('end')];
    expectValid(gcModule([anyref], [], body));
    const wrongLabel = [...op('block', refType(false, HeapType.Struct)), ...op('local.get', 0), ...op('br_on_cast', 0, anyref, refType(false, HeapType.I31)), ...op('drop'), ...op('unreachable'), ...op('end'), ...op('drop'), ...op('end')];
    // block (3 bytes: opcode and a two-byte reference type), local.get (2), then br_on_cast.
    expectInvalid(gcModule([anyref], [], wrongLabel), 'type mismatch', BODY_BASE + 5);
  });

  it('br_on_cast_fail requires the target to be a subtype of the source', () => {
    const body = [...op('block', refType(true, HeapType.Any)), ...op('local.get', 0), ...op('br_on_cast_fail', 0, refType(true, HeapType.I31), refType(true, HeapType.Any)), ...op('end'), ...op('drop'), ...op('end')];
    expectInvalid(gcModule([refType(true, HeapType.I31)], [], body), 'type mismatch', BODY_BASE + 4);
  });

  it('any.convert_extern keeps nullability', () => {
    expectValid(gcModule([refType(false, HeapType.Extern)], [refType(false, HeapType.Any)], [...op('local.get', 0), ...op('any.convert_extern'), ...op('end')]));
    expectInvalid(gcModule([refType(true, HeapType.Extern)], [refType(false, HeapType.Any)], [...op('local.get', 0), ...op('any.convert_extern'), ...op('end')]), 'type mismatch');
  });
});
