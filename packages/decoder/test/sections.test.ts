// Each section decoder, with fixtures written through the module builder so they read like
// the spec, and the module-level rules: section order, cross-section counts, custom sections.
import { describe, expect, it } from 'vitest';
import type { Module } from '../src/index.ts';
import { CompileError, EXTERNREF, ExternKind, FUNCREF, HeapType, ImplementationLimits, ValType, decodeModule, heapFromTypeIndex, refType } from '../src/index.ts';
import { ModuleBuilder, nameBytes, op, uleb, vec } from '../src/testing/index.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const EMPTY_FUNC = { params: [], results: [] };

function errorOf(bytes: Uint8Array | readonly number[]): CompileError {
  try {
    decodeModule(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

const text = (span: { bytes: Uint8Array }) => [...span.bytes];

describe('header', () => {
  it('requires the magic and version 1', () => {
    expect(errorOf([]).message).toMatch(/^unexpected end/);
    expect(errorOf([0x00, 0x61, 0x73]).message).toMatch(/^unexpected end/);
    expect(errorOf([0x00, 0x41, 0x53, 0x4d, 1, 0, 0, 0]).message).toMatch(/^magic header not detected/);
    expect(errorOf([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0]).message).toMatch(/^unknown binary version/);
    expect(errorOf([0x00, 0x61, 0x73, 0x6d, 1, 0]).message).toMatch(/^unexpected end/);
  });
});

describe('type section', () => {
  it('decodes function, struct and array types and recursion groups', () => {
    const b = new ModuleBuilder();
    b.addType({ params: [ValType.I32, ValType.F64], results: [EXTERNREF] });
    const first = b.addRecGroup([
      { composite: { kind: 'struct', fields: [{ type: ValType.I8, mutable: true }, { type: refType(true, heapFromTypeIndex(2)), mutable: false }] }, final: false },
      { composite: { kind: 'array', element: { type: ValType.I16, mutable: true } }, supertypes: [], final: true },
      { composite: { kind: 'struct', fields: [] }, supertypes: [1], final: true },
    ]);
    expect(first).toBe(1);
    const bytes = b.toBytes();
    const m = decodeModule(bytes);
    expect(m.types).toHaveLength(4);
    expect(m.types[0]).toEqual({
      final: true,
      supertypes: [],
      composite: { kind: 'func', params: [ValType.I32, ValType.F64], results: [EXTERNREF] },
      recGroupStart: 0,
      recGroupSize: 1,
      describes: -1,
      descriptor: -1,
      // header (8), section id, size, count: the first entry is at byte 11.
      offset: 11,
    });
    // Each type's offset is its own entry inside the rec group (0x4e count precedes the first):
    // func 0x60; `sub` 0x50 (not final); the final array with no supertypes is written bare;
    // `sub final` 0x4f.
    expect(m.types.map((t) => bytes[t.offset])).toEqual([0x60, 0x50, 0x5e, 0x4f]);
    expect(bytes[m.types[1]!.offset - 2]).toBe(0x4e);
    expect(m.types[1]).toMatchObject({ final: false, recGroupStart: 1, recGroupSize: 3 });
    expect(m.types[1]!.composite).toEqual({ kind: 'struct', fields: [{ type: ValType.I8, mutable: true }, { type: refType(true, heapFromTypeIndex(2)), mutable: false }] });
    expect(m.types[2]!.composite).toEqual({ kind: 'array', element: { type: ValType.I16, mutable: true } });
    expect(m.types[3]).toMatchObject({ final: true, supertypes: [1], recGroupStart: 1 });
  });

  it('decodes custom-descriptors clauses', () => {
    const b = new ModuleBuilder();
    b.addRecGroup([
      { composite: { kind: 'struct', fields: [] }, descriptor: 1 },
      { composite: { kind: 'struct', fields: [] }, describes: 0 },
    ]);
    const m = decodeModule(b.toBytes());
    expect(m.types.map((t) => [t.describes, t.descriptor])).toEqual([
      [-1, 1],
      [0, -1],
    ]);
  });

  it('rejects unknown type forms and field mutabilities', () => {
    expect(errorOf(new ModuleBuilder().addRawSection(1, [0x01, 0x5d]).toBytes()).message).toMatch(/^malformed definition type/);
    expect(errorOf(new ModuleBuilder().addRawSection(1, [0x01, 0x5e, 0x7f, 0x02]).toBytes()).message).toMatch(/^malformed mutability/);
    expect(errorOf(new ModuleBuilder().addRawSection(1, [0x01, 0x60, 0x01, 0x40, 0x00]).toBytes()).message).toMatch(/^malformed value type/);
  });

  it('enforces the parameter limit', () => {
    const params = new Array(ImplementationLimits.maxParams + 1).fill(ValType.I32);
    const e = errorOf(new ModuleBuilder().addRawSection(1, [0x01, 0x60, ...vec(params.map((p) => [p])), 0x00]).toBytes());
    expect(e.message).toMatch(/^too many params/);
  });
});

describe('import section', () => {
  it('decodes all five kinds and numbers them before definitions', () => {
    const b = new ModuleBuilder();
    const t = b.addType(EMPTY_FUNC);
    b.addImport('env', 'f', { func: t });
    b.addImport('env', 't', { table: { element: FUNCREF, min: 1, max: 10 } });
    b.addImport('env', 'm', { memory: { min: 1, max: 2, shared: true } });
    b.addImport('env', 'g', { global: { type: ValType.I64, mutable: true } });
    b.addImport('env', 'e', { tag: t });
    b.addFunction(t, [], op('end'));
    const bytes = b.toBytes();
    const m = decodeModule(bytes);
    expect(m.imports.map((i) => [i.module, i.name, i.desc.kind])).toEqual([
      ['env', 'f', ExternKind.Func],
      ['env', 't', ExternKind.Table],
      ['env', 'm', ExternKind.Memory],
      ['env', 'g', ExternKind.Global],
      ['env', 'e', ExternKind.Tag],
    ]);
    expect([m.numImportedFunctions, m.numImportedTables, m.numImportedMemories, m.numImportedGlobals, m.numImportedTags]).toEqual([1, 1, 1, 1, 1]);
    expect(m.functions).toEqual([0, 0]);
    // Imported tables, memories and tags carry the offset of their import entry.
    expect(m.tables[0]).toEqual({ element: FUNCREF, limits: { min: 1n, max: 10n, shared: false, address: 'i32', pageSizeLog2: 16 }, offset: m.imports[1]!.offset });
    expect(m.memories[0]!.shared).toBe(true);
    expect(m.memories[0]!.offset).toBe(m.imports[2]!.offset);
    expect(m.globals[0]).toEqual({ type: ValType.I64, mutable: true });
    expect(m.tags[0]).toEqual({ typeIndex: 0, offset: m.imports[4]!.offset });
    // An import entry starts with its module name: length 3, then "env".
    expect([...bytes.subarray(m.imports[4]!.offset, m.imports[4]!.offset + 4)]).toEqual([3, 0x65, 0x6e, 0x76]);
    expect(m.tableInits).toEqual([null]);
    expect(m.codes[0]!.funcIndex).toBe(1);
  });

  it('rejects unknown kinds and non-UTF-8 names', () => {
    const entry = [...nameBytes('a'), ...nameBytes('b')];
    expect(errorOf(new ModuleBuilder().addRawSection(2, [0x01, ...entry, 0x05, 0x00]).toBytes()).message).toMatch(/^malformed import kind/);
    expect(errorOf(new ModuleBuilder().addRawSection(2, [0x01, 0x01, 0xff, ...nameBytes('b'), 0x00, 0x00]).toBytes()).message).toMatch(/^malformed UTF-8 encoding/);
  });
});

describe('table, memory, tag, global, export and start sections', () => {
  it('decodes definitions with their initialisers', () => {
    const b = new ModuleBuilder();
    const t = b.addType(EMPTY_FUNC);
    const f = b.addFunction(t, [], op('end'));
    b.addTable({ min: 1 });
    b.addTable({ element: refType(false, HeapType.Func), min: 2, max: 3, address: 'i64' }, op('ref.func', f));
    b.addMemory({ min: 1, max: 65536 });
    b.addMemory({ min: 0, pageSizeLog2: 0 });
    b.addTag(t);
    b.addGlobal({ type: ValType.F32, mutable: false }, op('f32.const', 1.5));
    b.addExport('f', ExternKind.Func, f).addExport('mem', ExternKind.Memory, 1);
    b.setStart(f);
    const bytes = b.toBytes();
    // Memory 1 declares a custom page size: opt-in (the proposal is not part of Wasm 3.0).
    expect(errorOf(bytes).message).toMatch(/^malformed limits flags: 0x8 for a memory/);
    const m = decodeModule(bytes, { features: { customPageSizes: true } });
    expect(m.tables[1]).toMatchObject({ element: refType(false, HeapType.Func), limits: { min: 2n, max: 3n, shared: false, address: 'i64', pageSizeLog2: 16 } });
    // Offsets point at each entry's first byte: the table's limits flags (no initialiser) or
    // its 0x40 0x00 prefix, each memory's limits flags, the tag's attribute, the start index.
    expect(m.tables.map((t) => bytes[t.offset])).toEqual([0x70, 0x40]);
    expect(m.memories.map((mem) => bytes[mem.offset])).toEqual([0x01, 0x08]);
    expect(m.tags.map((tag) => bytes[tag.offset])).toEqual([0x00]);
    expect(bytes[m.tags[0]!.offset + 1]).toBe(t);
    expect(bytes[m.startOffset]).toBe(f);
    expect(bytes[m.startOffset - 2]).toBe(8); // the start section's id, then its size
    expect(m.tableInits[0]).toBeNull();
    expect(text(m.tableInits[1]!)).toEqual([...op('ref.func', 0), 0x0b]);
    expect(m.memories.map((mem) => [mem.min, mem.max, mem.pageSizeLog2])).toEqual([
      [1n, 65536n, 16],
      [0n, null, 0],
    ]);
    expect(m.tags.map((tag) => tag.typeIndex)).toEqual([0]);
    expect(m.globals).toEqual([{ type: ValType.F32, mutable: false }]);
    expect(text(m.globalInits[0]!)).toEqual([...op('f32.const', 1.5), 0x0b]);
    expect(m.exports.map((e) => [e.name, e.kind, e.index])).toEqual([
      ['f', ExternKind.Func, 0],
      ['mem', ExternKind.Memory, 1],
    ]);
    expect(m.start).toBe(0);
  });

  it('keeps each constant expression’s module offset', () => {
    const b = new ModuleBuilder();
    b.addGlobal(ValType.I32, op('i32.const', 42));
    const bytes = b.toBytes();
    const m = decodeModule(bytes);
    const init = m.globalInits[0]!;
    expect([...bytes.subarray(init.offset, init.offset + init.bytes.length)]).toEqual([0x41, 42, 0x0b]);
  });

  it('rejects a global initialiser with no end, malformed mutability and export kinds', () => {
    expect(errorOf(new ModuleBuilder().addRawSection(6, [0x01, 0x7f, 0x00, 0x41, 0x00]).toBytes()).message).toMatch(/^unexpected end of section or function/);
    expect(errorOf(new ModuleBuilder().addRawSection(6, [0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b]).toBytes()).message).toMatch(/^malformed mutability/);
    expect(errorOf(new ModuleBuilder().addRawSection(7, [0x01, ...nameBytes('x'), 0x05, 0x00]).toBytes()).message).toMatch(/^malformed export kind/);
  });
});

describe('element section', () => {
  it('decodes all eight encodings', () => {
    const b = new ModuleBuilder();
    const t = b.addType(EMPTY_FUNC);
    b.addFunction(t, [], op('end'));
    b.addTable({ min: 4 });
    b.addTable({ min: 4, element: EXTERNREF });
    const offset = op('i32.const', 1);
    const refFunc = op('ref.func', 0);
    b.addElement({ funcs: [0] }); // 0
    b.addElement({ mode: 'passive', funcs: [0, 0] }); // 1
    b.addElement({ table: 1, offset, funcs: [0] }); // 2
    b.addElement({ mode: 'declarative', funcs: [0] }); // 3
    b.addElement({ exprs: [refFunc] }); // 4
    b.addElement({ mode: 'passive', type: FUNCREF, exprs: [refFunc, op('ref.null', HeapType.Func)] }); // 5
    b.addElement({ table: 1, offset, type: EXTERNREF, exprs: [op('ref.null', HeapType.Extern)] }); // 6
    b.addElement({ mode: 'declarative', exprs: [refFunc] }); // 7
    const bytes = b.toBytes();
    const m = decodeModule(bytes);
    // Each segment starts with its encoding's flags byte.
    expect(m.elements.map((e) => bytes[e.offset])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(m.elements.map((e) => e.mode)).toEqual(['active', 'passive', 'active', 'declarative', 'active', 'passive', 'active', 'declarative']);
    expect(m.elements.map((e) => e.table)).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    expect(m.elements.map((e) => e.functionIndices)).toEqual([[0], [0, 0], [0], [0], null, null, null, null]);
    expect(m.elements.map((e) => e.exprs?.length ?? null)).toEqual([null, null, null, null, 1, 2, 1, 1]);
    expect(m.elements[6]!.type).toBe(EXTERNREF);
    // Function indices (encodings 0–3) are non-null function references in Wasm 3.0; encoding 4 says funcref.
    expect(m.elements.slice(0, 5).map((e) => e.type)).toEqual([...new Array(4).fill(refType(false, HeapType.Func)), FUNCREF]);
    expect(text(m.elements[2]!.offsetExpr!)).toEqual([...offset, 0x0b]);
    expect(m.elements[1]!.offsetExpr).toBeNull();
  });

  const withElement = (bytes: number[]) => {
    const b = new ModuleBuilder();
    b.addElement(bytes);
    return b.toBytes();
  };

  it('rejects unknown flags, element kinds and non-constant bytes', () => {
    expect(errorOf(withElement([0x08])).message).toMatch(/^malformed elements segment kind/);
    expect(errorOf(withElement([0x01, 0x01, 0x00])).message).toMatch(/^malformed element kind/);
    expect(errorOf(withElement([0x05, 0x7f, 0x00])).message).toMatch(/^malformed reference type/);
    expect(errorOf(withElement([0x05, 0x70, 0x01, 0xf3, 0x00, 0x0b])).message).toMatch(/^illegal opcode f3/);
  });
});

describe('data and data count sections', () => {
  it('decodes the three encodings as views', () => {
    const b = new ModuleBuilder();
    b.addMemory({ min: 1 });
    b.addData({ offset: op('i32.const', 8), bytes: [1, 2, 3] });
    b.addData({ mode: 'passive', bytes: [] });
    b.addData({ memory: 2, offset: op('i64.const', 0), bytes: [9] });
    b.setDataCount(3);
    const m = decodeModule(b.toBytes());
    expect(m.dataCount).toBe(3);
    expect(m.datas.map((d) => [d.mode, d.memory, [...d.bytes]])).toEqual([
      ['active', 0, [1, 2, 3]],
      ['passive', 0, []],
      ['active', 2, [9]],
    ]);
    expect(text(m.datas[0]!.offsetExpr!)).toEqual([0x41, 8, 0x0b]);
  });

  it('checks the data count against the data section', () => {
    const b = new ModuleBuilder().setDataCount(2);
    b.addData({ mode: 'passive', bytes: [] });
    expect(errorOf(b.toBytes()).message).toMatch(/^data count and data section have inconsistent lengths/);
    expect(errorOf(new ModuleBuilder().setDataCount(1).toBytes()).message).toMatch(/^data count and data section have inconsistent lengths/);
    expect(decodeModule(new ModuleBuilder().setDataCount(0).toBytes()).dataCount).toBe(0);
    const bad = new ModuleBuilder();
    bad.addData([0x03]);
    expect(errorOf(bad.toBytes()).message).toMatch(/^malformed data segment kind/);
  });
});

describe('code section', () => {
  it('decodes locals and keeps bodies as views after them', () => {
    const b = new ModuleBuilder();
    const t = b.addType({ params: [ValType.I32], results: [] });
    b.addFunction(t, [{ count: 2, type: ValType.I64 }, { count: 1, type: FUNCREF }], [...op('nop'), ...op('end')]);
    const bytes = b.toBytes();
    const m = decodeModule(bytes);
    const body = m.codes[0]!;
    expect(body.locals).toEqual([
      { count: 2, type: ValType.I64 },
      { count: 1, type: FUNCREF },
    ]);
    expect(text(body.code)).toEqual([0x01, 0x0b]);
    expect(bytes[body.code.offset]).toBe(0x01);
    expect(body.code.bytes.buffer).toBe(bytes.buffer); // a view, not a copy
    expect(bytes[body.offset]).toBe(1 + 2 + 2 + 2); // the size field: group count, two groups, two operators
  });

  it('limits the total number of locals', () => {
    const b = new ModuleBuilder();
    const t = b.addType(EMPTY_FUNC);
    b.addFunction(t, [{ count: ImplementationLimits.maxLocals, type: ValType.I32 }, { count: 1, type: ValType.I64 }], op('end'));
    expect(errorOf(b.toBytes()).message).toMatch(/^too many locals/);
  });

  it('requires function and code sections to agree', () => {
    const declared = new ModuleBuilder();
    declared.addRawSection(1, [0x01, 0x60, 0x00, 0x00]).addRawSection(3, [0x02, 0x00, 0x00]);
    expect(errorOf(declared.toBytes()).message).toMatch(/^function and code section have inconsistent lengths/);
    const b = new ModuleBuilder();
    b.addFunction(b.addType(EMPTY_FUNC), [], op('end'));
    b.addRawSection(10, [0x00], { after: 10 });
    // Two code sections: the second one is out of order.
    expect(errorOf(b.toBytes()).message).toMatch(/^unexpected content after last section/);
    expect(errorOf([...HEADER, 0x0a, 0x01, 0x01]).message).toMatch(/^function and code section have inconsistent lengths/);
  });

  it('requires bodies to fill the code section exactly', () => {
    const types = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
    const funcs = [0x03, 0x02, 0x01, 0x00];
    expect(errorOf([...HEADER, ...types, ...funcs, 0x0a, 0x05, 0x01, 0x02, 0x00, 0x0b, 0x00]).message).toMatch(/^section size mismatch/);
    expect(errorOf([...HEADER, ...types, ...funcs, 0x0a, 0x04, 0x01, 0x03, 0x00, 0x0b]).message).toMatch(/^unexpected end of section or function/);
  });
});

describe('section order', () => {
  it('accepts custom sections anywhere', () => {
    const b = new ModuleBuilder();
    b.addType(EMPTY_FUNC);
    b.addCustomSection('a', [1], 'first').addCustomSection('b', [2], { after: 1 }).addCustomSection('c', [3]);
    const m = decodeModule(b.toBytes());
    expect(m.customSections.map((c) => [c.name, [...c.bytes]])).toEqual([
      ['a', [1]],
      ['b', [2]],
      ['c', [3]],
    ]);
  });

  it('rejects repeated and out-of-order sections, and unknown ids', () => {
    const repeated = new ModuleBuilder().addRawSection(1, [0x00]).addRawSection(1, [0x00]).toBytes();
    expect(errorOf(repeated).message).toMatch(/^unexpected content after last section/);
    const outOfOrder = new ModuleBuilder().addRawSection(6, [0x00]).addRawSection(13, [0x00]).toBytes(); // global before tag
    expect(errorOf(outOfOrder).message).toMatch(/^unexpected content after last section/);
    const dataCountAfterCode = new ModuleBuilder().addRawSection(10, [0x00]).addRawSection(12, [0x00]).toBytes();
    expect(errorOf(dataCountAfterCode).message).toMatch(/^unexpected content after last section/);
    const e = errorOf([...HEADER, 0x0e, 0x00]);
    expect(e.message).toMatch(/^malformed section id/);
    expect(e.offset).toBe(8);
  });

  it('rejects payloads longer or shorter than the section size', () => {
    expect(errorOf([...HEADER, 0x01, 0x02, 0x00, 0x00]).message).toMatch(/^section size mismatch/);
    expect(errorOf([...HEADER, 0x01, 0x05, 0x00]).message).toMatch(/^length out of bounds/);
    expect(errorOf([...HEADER, 0x01, 0x01, 0x01]).message).toMatch(/^unexpected end of section or function/);
  });
});

describe('name section', () => {
  const sub = (id: number, payload: number[]) => [id, ...uleb(payload.length), ...payload];

  it('decodes module, function and local names', () => {
    const b = new ModuleBuilder();
    b.addCustomSection('name', [
      ...sub(0, nameBytes('mod')),
      ...sub(1, [0x01, 0x00, ...nameBytes('main')]),
      ...sub(2, [0x01, 0x00, 0x01, 0x01, ...nameBytes('x')]),
      ...sub(7, [0x01, 0x03, ...nameBytes('g')]),
    ]);
    const m: Module = decodeModule(b.toBytes());
    expect(m.names?.module).toBe('mod');
    expect(m.names?.functions.get(0)).toBe('main');
    expect(m.names?.locals.get(0)?.get(1)).toBe('x');
    expect(m.names?.globals.get(3)).toBe('g');
  });

  it('leaves names null when the section is malformed, without failing the module', () => {
    const b = new ModuleBuilder();
    b.addCustomSection('name', [...sub(1, [0x05, 0x00])]);
    const m = decodeModule(b.toBytes());
    expect(m.names).toBeNull();
    expect(m.customSections[0]!.name).toBe('name');
  });
});
