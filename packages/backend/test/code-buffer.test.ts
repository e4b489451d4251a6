import { describe, expect, it } from 'vitest';
import { CodeBuffer, CodeBufferError, RelocKind, RelocTarget, TrapReason } from '@flint/backend';
import type { FixupPatcher } from '@flint/backend';

// A toy ISA for the tests: fix-up kind 1 is a rel32 field measured from the end of the field
// (as x64 branches are), kind 2 an absolute 8-bit offset.
const REL32 = 1;
const ABS8 = 2;
const patcher: FixupPatcher = (buffer, kind, at, target) => {
  if (kind === REL32) buffer.patch32(at, target - (at + 4));
  else if (kind === ABS8) buffer.patch8(at, target);
  else throw new Error(`unknown kind ${kind}`);
};

describe('CodeBuffer bytes', () => {
  it('emits little-endian values and grows past its initial capacity', () => {
    const buf = new CodeBuffer({ initialCapacity: 16 });
    buf.emit8(0xab);
    buf.emit16(0x1234);
    buf.emit32(0xdeadbeef);
    buf.emit64(0x01020304, 0x05060708);
    buf.emitBytes([9, 10]);
    for (let i = 0; i < 100; i++) buf.emit8(i);
    expect(buf.length).toBe(1 + 2 + 4 + 8 + 2 + 100);
    const { code } = buf.finish();
    expect(Array.from(code.subarray(0, 17))).toEqual([
      0xab, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde, 0x04, 0x03, 0x02, 0x01, 0x08, 0x07, 0x06, 0x05, 9, 10,
    ]);
    expect(code[17 + 99]).toBe(99);
    expect(code.length).toBe(117);
  });

  it('patches and reads back fields; refuses accesses outside the emitted bytes', () => {
    const buf = new CodeBuffer();
    buf.emit32(0);
    buf.emit32(0);
    buf.patch32(4, 0xcafebabe);
    buf.patch8(0, 0x7f);
    buf.patch16(1, 0xbeef);
    expect(buf.readU32(4)).toBe(0xcafebabe);
    expect(buf.readI32(4)).toBe(0xcafebabe | 0);
    expect(buf.readU8(0)).toBe(0x7f);
    expect(buf.readU32(0)).toBe(0x00beef7f);
    expect(() => buf.patch32(5, 1)).toThrow(CodeBufferError);
    expect(() => buf.readU32(-1)).toThrow(/outside the 8 emitted bytes/);
  });

  it('aligns with a fill byte and rejects non-power-of-two alignment', () => {
    const buf = new CodeBuffer();
    buf.emit8(1);
    buf.align(8, 0xcc);
    expect(buf.length).toBe(8);
    buf.align(8, 0xcc);
    expect(buf.length).toBe(8);
    expect(Array.from(buf.finish().code)).toEqual([1, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc]);
    expect(() => new CodeBuffer().align(3)).toThrow(/power of two/);
  });
});

describe('CodeBuffer labels and fix-ups', () => {
  it('patches a forward reference when the label is bound (patcher given at construction)', () => {
    const buf = new CodeBuffer({ patcher });
    const target = buf.newLabel();
    buf.emit8(0xe9);
    const field = buf.length;
    buf.emit32(0);
    buf.addFixup(target, field, REL32);
    buf.emitBytes([0x90, 0x90, 0x90]);
    expect(buf.isBound(target)).toBe(false);
    buf.bind(target);
    expect(buf.isBound(target)).toBe(true);
    expect(buf.offsetOf(target)).toBe(8);
    // Patched at bind time, before finish: 8 - (1 + 4) = 3.
    expect(buf.readI32(field)).toBe(3);
  });

  it('patches a backward reference immediately, with a negative displacement', () => {
    const buf = new CodeBuffer({ patcher });
    const top = buf.newLabel();
    buf.emitBytes([0x90, 0x90]);
    buf.bind(top);
    buf.emit8(0x90);
    buf.emit8(0xe9);
    const field = buf.length;
    buf.emit32(0);
    buf.addFixup(top, field, REL32);
    expect(buf.readI32(field)).toBe(2 - (4 + 4));
  });

  it('resolves several references to one label at finish when the patcher is given there', () => {
    const buf = new CodeBuffer();
    const l = buf.newLabel();
    const fields: number[] = [];
    for (let i = 0; i < 3; i++) {
      fields.push(buf.length);
      buf.emit32(0);
      buf.addFixup(l, fields[i]!, REL32);
    }
    buf.emit8(0xab);
    const small = buf.length;
    buf.emit8(0);
    buf.addFixup(l, small, ABS8);
    buf.bind(l);
    const { code } = buf.finish(patcher);
    const view = new DataView(code.buffer);
    for (const at of fields) expect(view.getInt32(at, true)).toBe(14 - (at + 4));
    expect(code[small]).toBe(14);
  });

  it('reports an unbound referenced label at finish as a typed error naming the reference', () => {
    const buf = new CodeBuffer({ patcher });
    const l = buf.newLabel();
    buf.emit32(0);
    buf.addFixup(l, 0, REL32);
    expect(() => buf.finish()).toThrow(CodeBufferError);
    const again = new CodeBuffer({ patcher });
    const m = again.newLabel();
    again.emit8(0);
    again.emit32(0);
    again.addFixup(m, 1, REL32);
    expect(() => again.finish()).toThrow(/label 0 is referenced \(at code offset 1\) but never bound/);
  });

  it('rejects binding twice, foreign labels, and fix-ups without any patcher', () => {
    const buf = new CodeBuffer();
    const l = buf.newLabel();
    buf.bind(l);
    expect(() => buf.bind(l)).toThrow(/already bound/);
    expect(() => buf.bind(7)).toThrow(/not created by this code buffer/);
    expect(() => buf.offsetOf(-1)).toThrow(CodeBufferError);
    const unbound = buf.newLabel();
    expect(() => buf.offsetOf(unbound)).toThrow(/not bound/);
    const noPatcher = new CodeBuffer();
    const m = noPatcher.newLabel();
    noPatcher.emit32(0);
    noPatcher.addFixup(m, 0, REL32);
    noPatcher.bind(m);
    expect(() => noPatcher.finish()).toThrow(/no fix-up patcher/);
  });

  it('refuses to finish twice', () => {
    const buf = new CodeBuffer();
    buf.finish();
    expect(() => buf.finish()).toThrow(/twice/);
  });
});

describe('CodeBuffer constants, relocations, trap sites', () => {
  it('emits the constant pool aligned after the code, deduplicated, and resolves references', () => {
    const buf = new CodeBuffer({ patcher });
    buf.emit8(0x90);
    const field = buf.length;
    buf.emit32(0);
    const c1 = buf.addConstant([1, 2, 3, 4, 5, 6, 7, 8], 8);
    const c2 = buf.addConstant([0xff], 16);
    const c1again = buf.addConstant([1, 2, 3, 4, 5, 6, 7, 8], 8);
    expect(c1again).toBe(c1);
    buf.addFixup(c1, field, REL32);
    const { code } = buf.finish();
    // Code is 5 bytes; constant 1 aligned to 8, 8 bytes; constant 2 aligned to 16.
    expect(code.length).toBe(17);
    expect(Array.from(code.subarray(8, 16))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(code[16]).toBe(0xff);
    expect(Array.from(code.subarray(5, 8))).toEqual([0, 0, 0]);
    expect(new DataView(code.buffer).getInt32(field, true)).toBe(8 - (field + 4));
    expect(buf.offsetOf(c2)).toBe(16);
  });

  it('returns relocations and trap sites (sorted by code offset)', () => {
    const buf = new CodeBuffer();
    buf.emit32(0);
    buf.addRelocation(0, RelocKind.PcRel32, RelocTarget.Function, 3, -4);
    buf.emit64(0, 0);
    buf.addRelocation(4, RelocKind.Abs64, RelocTarget.Builtin, 1);
    buf.addTrapSite(9, TrapReason.IntegerDivideByZero, 42);
    buf.addTrapSite(2, TrapReason.Unreachable, 40);
    expect(() => buf.addTrapSite(1, 0 as TrapReason, 0)).toThrow(/invalid trap reason/);
    const { relocations, trapSites } = buf.finish();
    expect(relocations).toEqual([
      { at: 0, kind: RelocKind.PcRel32, target: RelocTarget.Function, index: 3, addend: -4 },
      { at: 4, kind: RelocKind.Abs64, target: RelocTarget.Builtin, index: 1, addend: 0 },
    ]);
    expect(trapSites).toEqual([
      { codeOffset: 2, reason: TrapReason.Unreachable, wasmOffset: 40 },
      { codeOffset: 9, reason: TrapReason.IntegerDivideByZero, wasmOffset: 42 },
    ]);
  });

  it('handles many labels and fix-ups (storage growth) with every field correct', () => {
    const buf = new CodeBuffer({ patcher, initialCapacity: 16 });
    const labels = Array.from({ length: 500 }, () => buf.newLabel());
    const fields: number[] = [];
    for (const l of labels) {
      fields.push(buf.length);
      buf.emit32(0);
      buf.addFixup(l, buf.length - 4, REL32);
    }
    const bound: number[] = [];
    for (const l of labels) {
      bound.push(buf.length);
      buf.bind(l);
      buf.emit8(0x90);
    }
    const { code } = buf.finish();
    const view = new DataView(code.buffer);
    labels.forEach((_, i) => expect(view.getInt32(fields[i]!, true)).toBe(bound[i]! - (fields[i]! + 4)));
  });
});
