// The test module builder must write exactly the binary format, since every other fixture
// trusts it: small modules are compared with bytes written out by hand from the spec.
import { describe, expect, it } from 'vitest';
import { ExternKind, FUNCREF, HeapType, ValType, refType } from '../src/index.ts';
import { ModuleBuilder, f32Bytes, f64Bytes, op, sleb, uleb, valTypeBytes } from '../src/testing/index.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

describe('encoders', () => {
  it('writes LEB128 as the spec examples show', () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(-(2n ** 63n))).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
  });

  it('writes floats little-endian', () => {
    expect(f32Bytes(1)).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect(f64Bytes(-2)).toEqual([0, 0, 0, 0, 0, 0, 0x00, 0xc0]);
  });

  it('writes reference types with shorthands where they exist', () => {
    expect(valTypeBytes(FUNCREF)).toEqual([0x70]);
    expect(valTypeBytes(refType(false, HeapType.Func))).toEqual([0x64, 0x70]);
    expect(valTypeBytes(refType(true, HeapType.Any))).toEqual([0x6e]);
    expect(valTypeBytes(refType(true, 0x80 + 3))).toEqual([0x63, 0x03]);
    expect(valTypeBytes(refType(false, 0x80 + 3, true))).toEqual([0x64, 0x62, 0x03]);
  });
});

describe('op', () => {
  it('encodes operators and their immediates from the table', () => {
    expect(op('i32.add')).toEqual([0x6a]);
    expect(op('i32.const', -1)).toEqual([0x41, 0x7f]);
    expect(op('i64.const', 2n ** 40n)).toEqual([0x42, ...sleb(2n ** 40n)]);
    expect(op('block')).toEqual([0x02, 0x40]);
    expect(op('block', ValType.I32)).toEqual([0x02, 0x7f]);
    expect(op('block', { typeIndex: 2 })).toEqual([0x02, 0x02]);
    expect(op('br_table', [0, 1], 2)).toEqual([0x0e, 0x02, 0x00, 0x01, 0x02]);
    expect(op('i32.load', { offset: 8 })).toEqual([0x28, 0x02, 0x08]);
    expect(op('i32.load', { memory: 1 })).toEqual([0x28, 0x42, 0x01, 0x00]);
    expect(op('memory.atomic.notify')).toEqual([0xfe, 0x00, 0x02, 0x00]);
    expect(op('i8x16.relaxed_swizzle')).toEqual([0xfd, 0x80, 0x02]);
    expect(op('select')).toEqual([0x1b]);
    expect(op('select', [ValType.I32])).toEqual([0x1c, 0x01, 0x7f]);
    expect(op('ref.test', refType(true, HeapType.Any))).toEqual([0xfb, 0x15, 0x6e]);
    expect(op('ref.cast', refType(false, HeapType.Eq))).toEqual([0xfb, 0x16, 0x6d]);
    expect(op('atomic.fence')).toEqual([0xfe, 0x03, 0x00]);
  });

  it('rejects unknown names', () => {
    expect(() => op('i32.frobnicate')).toThrow(/unknown operator/);
  });
});

describe('ModuleBuilder', () => {
  it('writes an empty module as the bare header', () => {
    expect([...new ModuleBuilder().toBytes()]).toEqual(HEADER);
  });

  it('writes a one-function module byte for byte', () => {
    const b = new ModuleBuilder();
    const t = b.addType({ params: [ValType.I32], results: [ValType.I32] });
    const f = b.addFunction(t, [ValType.I32], [...op('local.get', 0), ...op('end')]);
    b.addExport('id', ExternKind.Func, f);
    expect([...b.toBytes()]).toEqual([
      ...HEADER,
      0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type section: (func (param i32) (result i32))
      0x03, 0x02, 0x01, 0x00, // function section: type 0
      0x07, 0x06, 0x01, 0x02, 0x69, 0x64, 0x00, 0x00, // export "id" func 0
      0x0a, 0x08, 0x01, 0x06, 0x01, 0x01, 0x7f, 0x20, 0x00, 0x0b, // code: 1 local i32; local.get 0; end
    ]);
  });

  it('emits the tag section between memory and global, and data count before code', () => {
    const b = new ModuleBuilder();
    const t = b.addType({ params: [], results: [] });
    b.addGlobal(ValType.I32, op('i32.const', 0));
    b.addTag(t);
    b.addMemory({ min: 1 });
    b.addFunction(t, [], op('end'));
    b.addData({ mode: 'passive', bytes: [1, 2] });
    b.setDataCount(1);
    const bytes = b.toBytes();
    const ids: number[] = [];
    for (let i = 8; i < bytes.length; ) {
      ids.push(bytes[i]!);
      i += 2 + bytes[i + 1]!; // every section here is shorter than 128 bytes
    }
    expect(ids).toEqual([1, 3, 5, 13, 6, 12, 10, 11]);
  });

  it('places raw and custom sections where asked', () => {
    const b = new ModuleBuilder();
    b.addType({ params: [], results: [] });
    b.addCustomSection('c', [9], 'first');
    b.addRawSection(1, [0x00], { after: 1 });
    expect([...b.toBytes()]).toEqual([...HEADER, 0x00, 0x03, 0x01, 0x63, 0x09, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x01, 0x01, 0x00]);
  });

  it('numbers definitions after imports and refuses imports after definitions', () => {
    const b = new ModuleBuilder();
    const t = b.addType({ params: [], results: [] });
    expect(b.addImport('m', 'f', { func: t })).toBe(0);
    expect(b.addImport('m', 'g', { global: { type: ValType.I32, mutable: false } })).toBe(0);
    expect(b.addFunction(t, [], op('end'))).toBe(1);
    expect(b.addGlobal(ValType.I32, op('i32.const', 1))).toBe(1);
    expect(() => b.addImport('m', 'h', { func: t })).toThrow(/before definitions/);
  });
});
