// The operator loop, one operator family at a time: immediates land in the reused record,
// offsets are module offsets, and the loop stops exactly after the body's final `end`.
import { describe, expect, it } from 'vitest';
import type { OperatorInfo, OperatorVisitor } from '../src/index.ts';
import { BlockTypeKind, CatchKind, CompileError, HeapType, Immediates, OperatorReader, ValType, heapFromTypeIndex, readOperators, refType } from '../src/index.ts';
import { op, uleb } from '../src/testing/index.ts';

/** Copies out what each visit saw (the record itself is reused). */
class Recorder implements OperatorVisitor {
  readonly seen: { name: string; offset: number; imm: Record<string, unknown> }[] = [];
  constructor(private readonly pick: (op: OperatorInfo, imm: Immediates) => Record<string, unknown> = () => ({})) {}
  visit(op: OperatorInfo, imm: Immediates, offset: number): void {
    this.seen.push({ name: op.name, offset, imm: this.pick(op, imm) });
  }
  get names(): string[] {
    return this.seen.map((s) => s.name);
  }
}

const span = (bytes: readonly number[], offset = 0x100) => ({ bytes: Uint8Array.from(bytes), offset });

function run(bytes: readonly number[], pick?: (op: OperatorInfo, imm: Immediates) => Record<string, unknown>) {
  const rec = new Recorder(pick);
  const end = readOperators(span(bytes), 0, rec, new Immediates());
  return { rec, end };
}

function errorOf(bytes: readonly number[], exact = true): CompileError {
  try {
    readOperators(span(bytes), 0, new Recorder(), new Immediates(), exact);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

describe('control', () => {
  it('tracks nesting and stops after the final end', () => {
    const body = [
      ...op('block'),
      ...op('loop', ValType.I32),
      ...op('i32.const', 1),
      ...op('if', { typeIndex: 3 }),
      ...op('else'),
      ...op('end'),
      ...op('end'),
      ...op('end'),
      ...op('end'),
    ];
    const { rec, end } = run(body, (op, imm) => (op.name === 'loop' || op.name === 'if' ? { kind: imm.blockTypeKind, value: imm.blockTypeValue } : {}));
    expect(rec.names).toEqual(['block', 'loop', 'i32.const', 'if', 'else', 'end', 'end', 'end', 'end']);
    expect(rec.seen[1]!.imm).toEqual({ kind: BlockTypeKind.Value, value: ValType.I32 });
    expect(rec.seen[3]!.imm).toEqual({ kind: BlockTypeKind.TypeIndex, value: 3 });
    expect(end).toBe(body.length);
    expect(rec.seen.map((s) => s.offset - 0x100)).toEqual([0, 2, 4, 6, 8, 9, 10, 11, 12]);
  });

  it('decodes br_table, growing its target array by doubling', () => {
    const targets = Array.from({ length: 40 }, (_, i) => i % 3);
    const imm = new Immediates();
    const initial = imm.brTargets;
    let copy: number[] = [];
    const visitor = { visit: (o: OperatorInfo, i: Immediates) => o.name === 'br_table' && (copy = [...i.brTargets.subarray(0, i.brTargetCount), i.index]) };
    readOperators(span([...op('block'), ...op('i32.const', 0), ...op('br_table', targets, 7), ...op('end'), ...op('end')]), 0, visitor, imm);
    expect(copy).toEqual([...targets, 7]);
    expect(imm.brTargets).not.toBe(initial);
    expect(imm.brTargets.length).toBe(64);
  });

  it('rejects a br_table count larger than the remaining bytes before allocating', () => {
    const imm = new Immediates();
    const initial = imm.brTargets;
    expect(() => readOperators(span([0x0e, ...uleb(60000), 0x00, 0x0b]), 0, new Recorder(), imm)).toThrow(/^unexpected end of section or function/);
    expect(imm.brTargets).toBe(initial);
  });

  it('decodes try_table catch clauses', () => {
    const body = [
      ...op('try_table', undefined, [
        { kind: CatchKind.Catch, tag: 2, label: 0 },
        { kind: CatchKind.CatchAllRef, label: 1 },
      ]),
      ...op('end'),
      ...op('end'),
    ];
    const { rec } = run(body, (o, imm) =>
      o.name === 'try_table' ? { kinds: [...imm.catchKinds.subarray(0, imm.catchCount)], tags: imm.catchTags[0], labels: [...imm.catchLabels.subarray(0, imm.catchCount)] } : {},
    );
    expect(rec.seen[0]!.imm).toEqual({ kinds: [CatchKind.Catch, CatchKind.CatchAllRef], tags: 2, labels: [0, 1] });
  });

  it('reports a missing end, bytes after the end, and unknown opcodes', () => {
    expect(errorOf([...op('nop')]).message).toMatch(/^END opcode expected/);
    expect(errorOf([...op('end'), ...op('nop')]).message).toMatch(/^section size mismatch/);
    const illegal = errorOf([0x00, 0xff, 0x0b]);
    expect(illegal.message).toMatch(/^illegal opcode ff/);
    expect(illegal.offset).toBe(0x101);
    expect(errorOf([0xfc, 0x12, 0x0b]).message).toMatch(/^illegal opcode fc 12/);
    expect(errorOf([0xfd, ...uleb(0x9a), 0x0b]).message).toMatch(/^illegal opcode fd 9a/);
    expect(errorOf([0xfd, ...uleb(0xffffffff), 0x0b]).message).toMatch(/^illegal opcode fd ffffffff/);
  });

  it('in expression mode, stops at the end and returns the position after it', () => {
    const expr = [...op('i32.const', 7), ...op('end'), 0xaa, 0xbb];
    expect(readOperators(span(expr), 0, new Recorder(), new Immediates(), false)).toBe(3);
    expect(errorOf([...op('i32.const', 7)], false).message).toMatch(/^unexpected end of section or function/);
  });
});

describe('constants', () => {
  it('keeps integer values and float bit patterns exactly', () => {
    const nanWithPayload = [0x01, 0x00, 0xc0, 0x7f]; // f32 quiet NaN with payload 1
    const body = [...op('i32.const', -(2 ** 31)), ...op('i64.const', -(2n ** 63n)), 0x43, ...nanWithPayload, ...op('f64.const', -0.5), ...op('end')];
    const { rec } = run(body, (o, imm) => ({ i32: imm.i32, i64: imm.i64(), f32Bits: imm.f32Bits, f64: imm.f64() }));
    expect(rec.seen[0]!.imm.i32).toBe(-(2 ** 31));
    expect(rec.seen[1]!.imm.i64).toBe(-(2n ** 63n));
    expect(rec.seen[2]!.imm.f32Bits).toBe(0x7fc00001);
    expect(rec.seen[3]!.imm.f64).toBe(-0.5);
  });

  it('points v128.const and i8x16.shuffle at their 16 bytes', () => {
    const lanes = Array.from({ length: 16 }, (_, i) => i * 3);
    const body = [...op('v128.const', lanes), ...op('v128.const', lanes), ...op('i8x16.shuffle', lanes), ...op('drop'), ...op('end')];
    const bytes = Uint8Array.from(body);
    const got: number[][] = [];
    readOperators({ bytes, offset: 0 }, 0, { visit: (o, imm) => o.immediate >= 18 && o.immediate <= 19 && got.push([...bytes.subarray(imm.bytesAt, imm.bytesAt + 16)]) }, new Immediates());
    expect(got).toEqual([lanes, lanes, lanes]);
  });
});

describe('memory', () => {
  const pick = (_: OperatorInfo, imm: Immediates) => ({ align: imm.memAlign, memory: imm.memIndex, offset: imm.memOffset, big: imm.memOffsetBig, lane: imm.lane });

  it('decodes memargs with and without a memory index', () => {
    const body = [...op('i32.load', { align: 1, offset: 16 }), ...op('i64.store', { memory: 3, offset: 2 ** 40 }), ...op('v128.load8_lane', { align: 0 }, 9), ...op('end')];
    const { rec } = run(body, pick);
    expect(rec.seen[0]!.imm).toMatchObject({ align: 1, memory: 0, offset: 16, big: null });
    expect(rec.seen[1]!.imm).toMatchObject({ align: 3, memory: 3, offset: 2 ** 40, big: null });
    expect(rec.seen[2]!.imm).toMatchObject({ align: 0, lane: 9 });
  });

  it('keeps offsets past 2^53 exactly', () => {
    const { rec } = run([...op('i64.load', { offset: 2n ** 64n - 1n }), ...op('end')], pick);
    expect(rec.seen[0]!.imm.big).toBe(2n ** 64n - 1n);
  });

  it('rejects memarg flags at or above 2^7', () => {
    expect(errorOf([0x28, 0x80, 0x01, 0x00, 0x0b]).message).toMatch(/^malformed memop flags/);
  });

  it('decodes atomics, including atomic.fence’s reserved byte', () => {
    const { rec } = run([...op('i64.atomic.rmw32.cmpxchg_u', { offset: 4 }), ...op('atomic.fence'), ...op('end')], pick);
    expect(rec.names).toEqual(['i64.atomic.rmw32.cmpxchg_u', 'atomic.fence', 'end']);
    expect(rec.seen[0]!.imm).toMatchObject({ align: 2, offset: 4 });
    expect(errorOf([0xfe, 0x03, 0x01, 0x0b]).message).toMatch(/^zero byte expected/);
  });

  it('decodes bulk-memory index pairs in binary order', () => {
    const { rec } = run([...op('memory.init', 5, 1), ...op('memory.copy', 2, 3), ...op('table.init', 4, 6), ...op('end')], (_, imm) => ({ a: imm.index, b: imm.index2 }));
    expect(rec.seen.slice(0, 3).map((s) => s.imm)).toEqual([
      { a: 5, b: 1 },
      { a: 2, b: 3 },
      { a: 4, b: 6 },
    ]);
  });
});

describe('SIMD', () => {
  it('decodes lane indices and multi-byte opcodes', () => {
    const { rec } = run([...op('i8x16.extract_lane_s', 15), ...op('f64x2.replace_lane', 1), ...op('i32x4.relaxed_dot_i8x16_i7x16_add_s'), ...op('end')], (_, imm) => ({ lane: imm.lane }));
    expect(rec.names).toEqual(['i8x16.extract_lane_s', 'f64x2.replace_lane', 'i32x4.relaxed_dot_i8x16_i7x16_add_s', 'end']);
    expect(rec.seen[0]!.imm.lane).toBe(15);
    expect(rec.seen[1]!.imm.lane).toBe(1);
  });
});

describe('references and GC', () => {
  it('decodes heap types, typed select and casts', () => {
    const body = [
      ...op('ref.null', HeapType.Extern),
      ...op('ref.null', heapFromTypeIndex(7)),
      ...op('select', [ValType.F64]),
      ...op('ref.cast', refType(true, heapFromTypeIndex(2))),
      ...op('br_on_cast', 0, refType(true, HeapType.Any), refType(false, HeapType.I31)),
      ...op('struct.get', 4, 1),
      ...op('array.new_fixed', 3, 10),
      ...op('end'),
    ];
    const { rec } = run(body, (_, imm) => ({ h: imm.heapType, h2: imm.heapType2, flags: imm.castFlags, sel: imm.selectType, a: imm.index, b: imm.index2 }));
    expect(rec.names).toEqual(['ref.null', 'ref.null', 'select', 'ref.cast', 'br_on_cast', 'struct.get', 'array.new_fixed', 'end']);
    expect(rec.seen[0]!.imm.h).toBe(HeapType.Extern);
    expect(rec.seen[1]!.imm.h).toBe(heapFromTypeIndex(7));
    expect(rec.seen[2]!.imm.sel).toBe(ValType.F64);
    expect(rec.seen[3]!.imm.h).toBe(heapFromTypeIndex(2));
    expect(rec.seen[4]!.imm).toMatchObject({ flags: 1, a: 0, h: HeapType.Any, h2: HeapType.I31 });
    expect(rec.seen[5]!.imm).toMatchObject({ a: 4, b: 1 });
    expect(rec.seen[6]!.imm).toMatchObject({ a: 3, b: 10 });
  });

  it('rejects cast flags above 3', () => {
    expect(errorOf([0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6c, 0x0b]).message).toMatch(/^malformed cast flags/);
  });
});

describe('OperatorReader', () => {
  it('reuses one Immediates record for every operator', () => {
    const reader = new OperatorReader();
    const records = new Set<Immediates>();
    reader.read(span([...op('i32.const', 1), ...op('i32.const', 2), ...op('i32.add'), ...op('drop'), ...op('end')]), 0, { visit: (_o, imm) => records.add(imm) });
    expect(records.size).toBe(1);
    expect(records.has(reader.imm)).toBe(true);
  });
});
