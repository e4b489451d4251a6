// The custom-descriptors proposal's text syntax: `(describes x)` / `(descriptor x)` type clauses,
// exact references `(ref null? (exact x))` in types and heap-type immediates, exact function
// imports, and the descriptor operators. Expected bytes are written by hand from the proposal's
// binary format (describes 0x4C, descriptor 0x4D, exact heap type 0x62 u32, exact function import
// 0x20, operators 0xFB 32–38):
// https://github.com/WebAssembly/custom-descriptors/blob/main/proposals/custom-descriptors/Overview.md#binary-format
import type { OperatorInfo } from '@flint/decoder';
import { describe, expect, it, vi } from 'vitest';
import { WatSyntaxError, parseWat } from '../src/index.ts';
import { lastBody, sectionContent } from './bytes.ts';

// The descriptor operators' rows, as the proposal encodes them. The opcode table gets them from
// the decoder's owner; until then this test adds the rows that are missing, so that it checks that
// the parser picks operators up from the table by name alone (rows already in the table win).
const DESCRIPTOR_ROWS = vi.hoisted(
  (): readonly [code: number, name: string, immediate: 'Type' | 'HeapType' | 'BrOnCast'][] => [
    [32, 'struct.new_desc', 'Type'],
    [33, 'struct.new_default_desc', 'Type'],
    [34, 'ref.get_desc', 'Type'],
    [35, 'ref.cast_desc_eq', 'HeapType'],
    [36, 'ref.cast_desc_eq', 'HeapType'],
    [37, 'br_on_cast_desc_eq', 'BrOnCast'],
    [38, 'br_on_cast_desc_eq_fail', 'BrOnCast'],
  ],
);

vi.mock('@flint/decoder', async (importOriginal) => {
  const original = await importOriginal<typeof import('@flint/decoder')>();
  const present = new Set(original.OPERATORS.filter((op) => op.prefix === 0xfb).map((op) => op.code));
  const added: OperatorInfo[] = DESCRIPTOR_ROWS.filter(([code]) => !present.has(code)).map(([code, name, immediate]) => ({
    id: 0x400 + code,
    name,
    prefix: 0xfb,
    code,
    immediate: original.Imm[immediate],
    signature: null,
    feature: 'gc',
    memSize: 0,
  }));
  return { ...original, OPERATORS: [...original.OPERATORS, ...added] };
});

const TYPES = '(rec (type $a (descriptor $b) (struct (field i32))) (type $b (describes $a) (struct)))';

function code(funcBody: string, prelude = TYPES): number[] {
  const bytes = lastBody(parseWat(`(module ${prelude} (func ${funcBody}))`));
  return bytes.slice(1, -1); // without the local declarations count and `end`
}

function reason(source: string): string {
  try {
    parseWat(source);
  } catch (e) {
    if (e instanceof WatSyntaxError) return e.reason;
    throw e;
  }
  throw new Error('expected a WatSyntaxError');
}

describe('descriptor type clauses', () => {
  it('encodes (describes x) and (descriptor x) before the composite type, as the proposal binary test writes them', () => {
    // The first module of proposals/custom-descriptors/binary-descriptors.wast, in text.
    const bytes = parseWat('(module (rec (type (descriptor 1) (struct)) (type (describes 0) (struct))))');
    expect(sectionContent(bytes, 1)).toEqual([0x01, 0x4e, 0x02, 0x4d, 0x01, 0x5f, 0x00, 0x4c, 0x00, 0x5f, 0x00]);
  });

  it('puts the clauses after the supertypes of a (sub …) and resolves names', () => {
    const bytes = parseWat(
      '(module (rec (type $c (sub (descriptor $d) (struct))) (type $d (sub final (describes $c) (descriptor $e) (struct))) (type $e (describes $d) (struct))))',
    );
    expect(sectionContent(bytes, 1)).toEqual([
      0x01, 0x4e, 0x03,
      0x50, 0x00, 0x4d, 0x01, 0x5f, 0x00,
      0x4c, 0x00, 0x4d, 0x02, 0x5f, 0x00, // `sub final` without supertypes: the short form
      0x4c, 0x01, 0x5f, 0x00,
    ]);
  });

  it('rejects a descriptor clause before a describes clause, and repeated clauses', () => {
    expect(reason('(module (rec (type $a (descriptor $b) (struct)) (type $b (descriptor $c) (describes $a) (struct)) (type $c (describes $b) (struct))))')).toBe(
      'unexpected token',
    );
    expect(reason('(module (rec (type $a (descriptor $b) (descriptor $b) (struct)) (type $b (describes $a) (struct))))')).toBe('unexpected token');
    expect(reason('(module (type (descriptor $nope) (struct)))')).toBe('unknown type $nope');
  });

  it('does not reuse a described type for an inline function type use', () => {
    // A func type with clauses is not the plain `(func)` an inline type use denotes, so a new one is appended.
    const bytes = parseWat('(module (type (describes 0) (func)) (func))');
    expect(sectionContent(bytes, 1)).toEqual([0x02, 0x4c, 0x00, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00]);
    expect(sectionContent(bytes, 3)).toEqual([0x01, 0x01]);
  });
});

describe('exact references', () => {
  it('encodes exact value types and exact heap-type immediates', () => {
    const locals = lastBody(parseWat(`(module ${TYPES} (func (local (ref (exact $a)) (ref null (exact $b)))))`));
    expect(locals).toEqual([0x02, 0x01, 0x64, 0x62, 0x00, 0x01, 0x63, 0x62, 0x01, 0x0b]);
    expect(code('ref.null (exact $b) drop')).toEqual([0xd0, 0x62, 0x01, 0x1a]);
    expect(code('ref.null $b drop')).toEqual([0xd0, 0x01, 0x1a]);
    expect(code('(ref.test (ref (exact $a)) (ref.null none)) drop')).toEqual([0xd0, 0x71, 0xfb, 0x14, 0x62, 0x00, 0x1a]);
    expect(code('(ref.cast (ref null (exact $a)) (ref.null none)) drop')).toEqual([0xd0, 0x71, 0xfb, 0x17, 0x62, 0x00, 0x1a]);
  });

  it('encodes exact types on both sides of br_on_cast', () => {
    expect(code('(block (result anyref) (br_on_cast 0 anyref (ref (exact $a)) (ref.null none))) drop')).toEqual([
      0x02, 0x6e, 0xd0, 0x71, 0xfb, 0x18, 0x01, 0x00, 0x6e, 0x62, 0x00, 0x0b, 0x1a,
    ]);
  });

  it('rejects exact abstract heap types', () => {
    expect(reason('(module (type (struct (field (ref (exact any))))))')).toBe('unexpected token');
    expect(reason(`(module ${TYPES} (func ref.null (exact func) drop))`)).toBe('unexpected token');
  });

  it('encodes exact function imports with extern kind 0x20, inline and in an import field', () => {
    const bytes = parseWat('(module (type $f (func)) (import "m" "a" (func (exact (type $f)))) (func (import "m" "b") (exact (type 0))) (import "m" "c" (func (exact (param i32)))))');
    expect(sectionContent(bytes, 2)).toEqual([
      0x03,
      0x01, 0x6d, 0x01, 0x61, 0x20, 0x00,
      0x01, 0x6d, 0x01, 0x62, 0x20, 0x00,
      0x01, 0x6d, 0x01, 0x63, 0x20, 0x01,
    ]);
  });
});

describe('descriptor operators (picked up from the opcode table by name)', () => {
  it('encodes struct.new_desc, struct.new_default_desc and ref.get_desc with a type index', () => {
    expect(code('(struct.new_default_desc $a (ref.null none)) drop')).toEqual([0xd0, 0x71, 0xfb, 0x21, 0x00, 0x1a]);
    expect(code('(struct.new_desc $a (i32.const 1) (ref.null none)) drop')).toEqual([0x41, 0x01, 0xd0, 0x71, 0xfb, 0x20, 0x00, 0x1a]);
    expect(code('(ref.get_desc $a (ref.null none)) drop')).toEqual([0xd0, 0x71, 0xfb, 0x22, 0x00, 0x1a]);
  });

  it('picks the nullable ref.cast_desc_eq from the target type', () => {
    expect(code('(ref.cast_desc_eq (ref $a) (ref.null none) (ref.null none)) drop')).toEqual([0xd0, 0x71, 0xd0, 0x71, 0xfb, 0x23, 0x00, 0x1a]);
    expect(code('(ref.cast_desc_eq (ref null (exact $a)) (ref.null none) (ref.null none)) drop')).toEqual([
      0xd0, 0x71, 0xd0, 0x71, 0xfb, 0x24, 0x62, 0x00, 0x1a,
    ]);
  });

  it('encodes br_on_cast_desc_eq and br_on_cast_desc_eq_fail with cast flags, label and two heap types', () => {
    expect(code('(block (result anyref) (br_on_cast_desc_eq 0 anyref (ref $a) (ref.null none) (ref.null none))) drop')).toEqual([
      0x02, 0x6e, 0xd0, 0x71, 0xd0, 0x71, 0xfb, 0x25, 0x01, 0x00, 0x6e, 0x00, 0x0b, 0x1a,
    ]);
    expect(code('(block (result anyref) (br_on_cast_desc_eq_fail 0 (ref any) (ref null $a) (ref.null none) (ref.null none))) drop')).toEqual([
      0x02, 0x6e, 0xd0, 0x71, 0xd0, 0x71, 0xfb, 0x26, 0x02, 0x00, 0x6e, 0x00, 0x0b, 0x1a,
    ]);
  });
});
