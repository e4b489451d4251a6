// Module-level validation errors point at the entry at fault: a type, table, memory or tag
// entry, or the start section's function index. Modules are built as bytes and decoded, so the
// expected offsets come from the decoder and are checked against the bytes they point at.
import { describe, expect, it } from 'vitest';
import { CompileError, HeapType, ValType, decodeModule, refType, validateModule } from '../src/index.ts';
import type { Module } from '../src/index.ts';
import { ModuleBuilder, op } from '../src/testing/index.ts';

const VOID = { params: [], results: [] };

function decodeAndFail(b: ModuleBuilder): { module: Module; bytes: Uint8Array; error: CompileError } {
  const bytes = b.toBytes();
  const module = decodeModule(bytes);
  try {
    validateModule(module);
  } catch (e) {
    if (e instanceof CompileError) return { module, bytes, error: e };
    throw e;
  }
  throw new Error('expected the module to be invalid');
}

describe('module-level error offsets', () => {
  it('reports a type section error at the offending type', () => {
    const b = new ModuleBuilder();
    b.addType(VOID);
    b.addType({ composite: { kind: 'struct', fields: [] }, final: true });
    // Type 2 extends type 1, which is final.
    b.addType({ composite: { kind: 'struct', fields: [] }, supertypes: [1], final: false });
    const { module, bytes, error } = decodeAndFail(b);
    expect(error.message).toMatch(/^sub type 2 does not match super type 1/);
    expect(error.offset).toBe(module.types[2]!.offset);
    expect(bytes[error.offset]).toBe(0x50); // `sub` (not final)
    expect(error.offset).toBeGreaterThan(module.types[1]!.offset);
  });

  it('reports an unknown type reference at the referring type', () => {
    const b = new ModuleBuilder();
    b.addType(VOID);
    b.addType({ params: [refType(true, 0x80 + 5)], results: [] });
    const { module, error } = decodeAndFail(b);
    expect(error.message).toMatch(/^unknown type/);
    expect(error.offset).toBe(module.types[1]!.offset);
  });

  it('reports a memory with min > max at its entry', () => {
    const b = new ModuleBuilder();
    b.addMemory({ min: 2, max: 1 });
    const { module, bytes, error } = decodeAndFail(b);
    expect(error.message).toMatch(/^size minimum must not be greater than maximum/);
    expect(error.offset).toBe(module.memories[0]!.offset);
    expect([...bytes.subarray(error.offset, error.offset + 3)]).toEqual([0x01, 0x02, 0x01]);
  });

  it('reports a table with min > max at its entry, with or without an initialiser', () => {
    const plain = new ModuleBuilder();
    plain.addTable({ min: 1 });
    plain.addTable({ min: 5, max: 4 });
    const a = decodeAndFail(plain);
    expect(a.error.message).toMatch(/^size minimum must not be greater than maximum/);
    expect(a.error.offset).toBe(a.module.tables[1]!.offset);
    expect(a.bytes[a.error.offset]).toBe(0x70);

    const withInit = new ModuleBuilder();
    withInit.addTable({ element: refType(false, HeapType.Func), min: 5, max: 4 }, op('ref.null', HeapType.Func));
    const b = decodeAndFail(withInit);
    expect(b.error.offset).toBe(b.module.tables[0]!.offset);
    expect(b.bytes[b.error.offset]).toBe(0x40);
  });

  it('reports a non-nullable table without initialiser at its entry', () => {
    const b = new ModuleBuilder();
    b.addTable({ element: refType(false, HeapType.Func), min: 1 });
    const { module, error } = decodeAndFail(b);
    expect(error.message).toMatch(/^type mismatch/);
    expect(error.offset).toBe(module.tables[0]!.offset);
  });

  it('reports a tag with results at its entry', () => {
    const b = new ModuleBuilder();
    const t = b.addType({ params: [], results: [ValType.I32] });
    b.addTag(t);
    const { module, bytes, error } = decodeAndFail(b);
    expect(error.message).toMatch(/^non-empty tag result type/);
    expect(error.offset).toBe(module.tags[0]!.offset);
    expect([...bytes.subarray(error.offset, error.offset + 2)]).toEqual([0x00, t]);
  });

  it('reports an unknown or mistyped start function at its index', () => {
    const unknown = new ModuleBuilder();
    unknown.setStart(3);
    const a = decodeAndFail(unknown);
    expect(a.error.message).toMatch(/^unknown function 3/);
    expect(a.error.offset).toBe(a.module.startOffset);
    expect(a.bytes[a.error.offset]).toBe(3);

    const typed = new ModuleBuilder();
    const t = typed.addType({ params: [ValType.I32], results: [] });
    const f = typed.addFunction(t, [], op('end'));
    typed.setStart(f);
    const b = decodeAndFail(typed);
    expect(b.error.message).toMatch(/^start function/);
    expect(b.error.offset).toBe(b.module.startOffset);
    expect(b.bytes[b.error.offset - 2]).toBe(8); // start section id, size, then the index
  });

  it('leaves startOffset at -1 without a start section', () => {
    expect(decodeModule(new ModuleBuilder().toBytes()).startOffset).toBe(-1);
  });
});
