// Module fields and their abbreviations, checked against binary modules written by hand from
// the binary format spec (https://webassembly.github.io/spec/core/binary/modules.html).
import { describe, expect, it } from 'vitest';
import { WatSyntaxError, parseWat } from '../src/index.ts';
import { HEADER, TYPE_VOID, body, module, name, section, sectionContent } from './bytes.ts';

const FUNC_ONE = section(3, 1, 0);
const CODE_EMPTY = section(10, 1, ...body(0, 0x0b));

function reason(source: string): string {
  try {
    parseWat(source);
  } catch (e) {
    if (e instanceof WatSyntaxError) return e.reason;
    throw e;
  }
  throw new Error('expected a WatSyntaxError');
}

describe('modules', () => {
  it('encodes the empty module as the header alone', () => {
    expect(parseWat('(module)')).toEqual(new Uint8Array(HEADER));
    expect(parseWat('(module $m)')).toEqual(new Uint8Array(HEADER));
    expect(parseWat('')).toEqual(new Uint8Array(HEADER));
  });

  it('accepts a bare sequence of fields', () => {
    const expected = module(TYPE_VOID, FUNC_ONE, CODE_EMPTY);
    expect(parseWat('(func)')).toEqual(expected);
    expect(parseWat('(module (func))')).toEqual(expected);
  });

  it('returns `module binary` bytes verbatim and parses `module quote` text', () => {
    expect(parseWat('(module binary "\\00asm" "\\01\\00\\00\\00")')).toEqual(new Uint8Array(HEADER));
    expect(parseWat('(module quote "(func" ")")')).toEqual(parseWat('(func)'));
  });

  it('accepts UTF-8 bytes as source', () => {
    expect(parseWat(new TextEncoder().encode('(module (func (export "é")))'))).toEqual(
      module(TYPE_VOID, FUNC_ONE, section(7, 1, 2, 0xc3, 0xa9, 0, 0), CODE_EMPTY),
    );
  });
});

describe('exports and imports', () => {
  it('expands inline exports in order', () => {
    expect(parseWat('(module (func $f (export "a") (export "b")))')).toEqual(
      module(TYPE_VOID, FUNC_ONE, section(7, 2, ...name('a'), 0, 0, ...name('b'), 0, 0), CODE_EMPTY),
    );
  });

  it('encodes export fields of every kind by name', () => {
    const bytes = parseWat(`(module
      (func $f) (table $t 0 funcref) (memory $m 0) (global $g i32 (i32.const 0)) (tag $e)
      (export "f" (func $f)) (export "t" (table $t)) (export "m" (memory $m)) (export "g" (global $g)) (export "e" (tag $e)))`);
    const exports = section(7, 5, ...name('f'), 0, 0, ...name('t'), 1, 0, ...name('m'), 2, 0, ...name('g'), 3, 0, ...name('e'), 4, 0);
    expect(Array.from(bytes)).toEqual(expect.arrayContaining(exports));
    const at = Array.from(bytes).join(',').indexOf(exports.join(','));
    expect(at).toBeGreaterThan(0);
  });

  it('expands inline imports, which take the first indices', () => {
    expect(parseWat('(module (func $f (import "m" "n") (param i32)) (func (call $f (i32.const 1))))')).toEqual(
      module(
        section(1, 2, 0x60, 1, 0x7f, 0, 0x60, 0, 0),
        section(2, 1, ...name('m'), ...name('n'), 0x00, 0),
        section(3, 1, 1),
        section(10, 1, ...body(0, 0x41, 1, 0x10, 0, 0x0b)),
      ),
    );
  });

  it('encodes imports of tables, memories, globals and tags', () => {
    expect(
      parseWat(`(module
        (import "a" "t" (table i64 1 2 externref))
        (import "a" "m" (memory 1 2 shared))
        (import "a" "g" (global (mut f32)))
        (global (import "a" "h") i64)
        (import "a" "e" (tag (param i32))))`),
    ).toEqual(
      module(
        section(1, 1, 0x60, 1, 0x7f, 0),
        section(
          2,
          5,
          ...name('a'), ...name('t'), 0x01, 0x6f, 0x05, 1, 2,
          ...name('a'), ...name('m'), 0x02, 0x03, 1, 2,
          ...name('a'), ...name('g'), 0x03, 0x7d, 1,
          ...name('a'), ...name('h'), 0x03, 0x7e, 0,
          ...name('a'), ...name('e'), 0x04, 0x00, 0,
        ),
      ),
    );
  });

  it('combines inline exports with inline imports on every kind', () => {
    const bytes = parseWat(`(module
      (func $f (export "f") (import "m" "f") (param i32))
      (table $t (export "t") (import "m" "t") 1 funcref)
      (memory $m (export "m") (import "m" "m") i64 1)
      (global $g (export "g") (import "m" "g") (mut i32))
      (tag $e (export "e") (import "m" "e") (param i32)))`);
    expect(sectionContent(bytes, 2)).toEqual([
      5,
      ...name('m'), ...name('f'), 0x00, 0,
      ...name('m'), ...name('t'), 0x01, 0x70, 0x00, 1,
      ...name('m'), ...name('m'), 0x02, 0x04, 1,
      ...name('m'), ...name('g'), 0x03, 0x7f, 1,
      ...name('m'), ...name('e'), 0x04, 0x00, 0,
    ]);
    expect(sectionContent(bytes, 7)).toEqual([5, ...name('f'), 0, 0, ...name('t'), 1, 0, ...name('m'), 2, 0, ...name('g'), 3, 0, ...name('e'), 4, 0]);
  });

  it('requires imports before definitions', () => {
    expect(reason('(module (func) (import "a" "b" (func)))')).toBe('import after function');
    expect(reason('(module (global i32 (i32.const 0)) (func (import "a" "b")))')).toBe('import after global');
    expect(reason('(module (memory 0) (import "a" "b" (table 0 funcref)))')).toBe('import after memory');
  });

  it('rejects names that are not UTF-8', () => {
    expect(reason('(module (func (export "\\ff")))')).toBe('malformed UTF-8 encoding');
  });
});

describe('type uses', () => {
  it('appends implicit types after all explicit ones, in order of appearance, reusing matches', () => {
    const bytes = parseWat(`(module
      (func (result i64) (i64.const 0))
      (type $a (func (param i32)))
      (func (type $a))
      (func (param i32))
      (func (result i64) (i64.const 1)))`);
    expect(bytes.subarray(0, 8 + 11 + 7)).toEqual(
      new Uint8Array([...HEADER, ...section(1, 2, 0x60, 1, 0x7f, 0, 0x60, 0, 1, 0x7e), ...section(3, 4, 1, 0, 0, 1)]),
    );
  });

  it('checks an explicit type against inline params and results', () => {
    expect(() => parseWat('(module (type $t (func (param i32))) (func (type $t) (param i32)))')).not.toThrow();
    expect(reason('(module (type $t (func (param i32))) (func (type $t) (param i64)))')).toBe('inline function type');
    expect(reason('(module (type $t (func (param i32))) (func (type $t) (result i32)))')).toBe('inline function type');
  });

  it('encodes a recursion group of one type as that plain type, and an empty group as nothing', () => {
    // `(rec (type …))` and `(type …)` denote the same group of one; 0x4E 0x01 is not written.
    expect(sectionContent(parseWat('(module (rec (type (struct))))'), 1)).toEqual([1, 0x5f, 0]);
    expect(parseWat('(module (rec (type (sub (struct)))) (type (func)))')).toEqual(parseWat('(module (type (sub (struct))) (type (func)))'));
    expect(parseWat('(module (rec) (type (func)))')).toEqual(parseWat('(module (type (func)))'));
    expect(sectionContent(parseWat('(module (rec (type (struct)) (type (struct))))'), 1)).toEqual([1, 0x4e, 2, 0x5f, 0, 0x5f, 0]);
  });

  it('does not match inline uses against non-final or grouped function types', () => {
    const bytes = parseWat('(module (type (sub (func))) (rec (type (func)) (type (struct))) (func))');
    // Types 0–2 are explicit; the function's `[] -> []` is appended as type 3.
    expect(sectionContent(bytes, 3)).toEqual([1, 3]);
    expect(sectionContent(bytes, 1)).toEqual([3, 0x50, 0, 0x60, 0, 0, 0x4e, 2, 0x60, 0, 0, 0x5f, 0, 0x60, 0, 0]);
  });
});

describe('tables, memories, globals', () => {
  it('expands an inline element segment into limits and an active segment', () => {
    expect(parseWat('(module (table funcref (elem $f $g)) (func $f) (func $g))')).toEqual(
      module(
        TYPE_VOID,
        section(3, 2, 0, 0),
        section(4, 1, 0x70, 0x01, 2, 2),
        // A funcref segment of `(ref.func x)` items, on the implicit table 0 (encoding 4).
        section(9, 1, 4, 0x41, 0, 0x0b, 2, 0xd2, 0, 0x0b, 0xd2, 1, 0x0b),
        section(10, 2, ...body(0, 0x0b), ...body(0, 0x0b)),
      ),
    );
  });

  it('gives an inline segment of a 64-bit table an i64 offset', () => {
    const bytes = parseWat('(module (table i64 externref (elem (ref.null extern))))');
    expect(bytes).toEqual(module(section(4, 1, 0x6f, 0x05, 1, 1), section(9, 1, 6, 0, 0x42, 0, 0x0b, 0x6f, 1, 0xd0, 0x6f, 0x0b)));
  });

  it('encodes a table with an initialiser expression', () => {
    expect(parseWat('(module (type $t (func)) (table 1 (ref null $t) (ref.null $t)))')).toEqual(
      module(TYPE_VOID, section(4, 1, 0x40, 0x00, 0x63, 0x00, 0x00, 0x01, 0xd0, 0x00, 0x0b)),
    );
  });

  it('expands inline data into exact page limits and an active segment', () => {
    expect(parseWat('(module (memory (data "ab" "c")))')).toEqual(
      module(section(5, 1, 0x01, 1, 1), section(12, 1), section(11, 1, 0, 0x41, 0, 0x0b, 3, 0x61, 0x62, 0x63)),
    );
    expect(parseWat('(module (memory i64 (data)))')).toEqual(module(section(5, 1, 0x05, 0, 0), section(12, 1), section(11, 1, 0, 0x42, 0, 0x0b, 0)));
  });

  it('encodes memory limits: 64-bit, shared, page size', () => {
    expect(parseWat('(module (memory i64 1 0x1_0000_0000))')).toEqual(module(section(5, 1, 0x05, 1, 0x80, 0x80, 0x80, 0x80, 0x10)));
    expect(parseWat('(module (memory 1 2 shared))')).toEqual(module(section(5, 1, 0x03, 1, 2)));
    expect(parseWat('(module (memory 1 (pagesize 1)))')).toEqual(module(section(5, 1, 0x08, 1, 0)));
    // The default 64 KiB page size is the flag-free encoding (the same memory type).
    expect(parseWat('(module (memory 1 2 (pagesize 65536)))')).toEqual(module(section(5, 1, 0x01, 1, 2)));
    expect(parseWat('(module (memory 1 2 (pagesize 65536)))')).toEqual(parseWat('(module (memory 1 2))'));
    // Inline data: the page count is in pages of the declared size.
    expect(sectionContent(parseWat('(module (memory (pagesize 1) (data "xyz")))'), 5)).toEqual([1, 0x09, 3, 3, 0]);
    expect(sectionContent(parseWat('(module (memory i64 (pagesize 65536) (data "xyz")))'), 5)).toEqual([1, 0x05, 1, 1]);
  });

  it('encodes globals with constant expressions', () => {
    expect(parseWat('(module (global $g (mut i32) (i32.const 7)) (global i64 (global.get $g)))')).toEqual(
      module(section(6, 2, 0x7f, 1, 0x41, 7, 0x0b, 0x7e, 0, 0x23, 0, 0x0b)),
    );
  });
});

describe('segments', () => {
  const prelude = '(table $t0 0 funcref) (table $t1 0 funcref) (func $f)';
  const elems = (source: string, types = ''): number[] => {
    return sectionContent(parseWat(`(module ${types} ${prelude} ${source})`), 9);
  };

  it('encodes each element segment form with the matching flags', () => {
    expect(elems('(elem (i32.const 0) $f)')).toEqual([1, 0, 0x41, 0, 0x0b, 1, 0]);
    expect(elems('(elem func $f)')).toEqual([1, 1, 0x00, 1, 0]);
    expect(elems('(elem declare func $f)')).toEqual([1, 3, 0x00, 1, 0]);
    expect(elems('(elem (table $t1) (offset (i32.const 2)) func $f)')).toEqual([1, 2, 1, 0x41, 2, 0x0b, 0x00, 1, 0]);
    expect(elems('(elem (i32.const 0) funcref (ref.func $f))')).toEqual([1, 4, 0x41, 0, 0x0b, 1, 0xd2, 0, 0x0b]);
    expect(elems('(elem (table $t1) (i32.const 1) funcref (ref.null func) (item ref.func $f))')).toEqual([
      1, 6, 1, 0x41, 1, 0x0b, 0x70, 2, 0xd0, 0x70, 0x0b, 0xd2, 0, 0x0b,
    ]);
    expect(elems('(elem $e externref (item (ref.null extern)))')).toEqual([1, 5, 0x6f, 1, 0xd0, 0x6f, 0x0b]);
    // `(ref func)` items that are all `ref.func x` take the function index form (encodings 0–3 denote `(ref func)`).
    expect(elems('(elem declare (ref func) (ref.func $f))')).toEqual([1, 3, 0x00, 1, 0]);
    expect(elems('(elem declare (ref func) (ref.func $f) (ref.func $f))')).toEqual([1, 3, 0x00, 2, 0, 0]);
    expect(elems('(elem (table $t0) (i32.const 0) (ref func) (ref.func $f))')).toEqual([1, 0, 0x41, 0, 0x0b, 1, 0]);
    expect(elems('(elem (table $t1) (i32.const 0) (ref func) (item ref.func $f))')).toEqual([1, 2, 1, 0x41, 0, 0x0b, 0x00, 1, 0]);
    // Any other item keeps the expression form.
    expect(elems('(elem declare (ref func) (ref.func $f) (item ref.func $f ref.as_non_null))')).toEqual([
      1, 7, 0x64, 0x70, 2, 0xd2, 0, 0x0b, 0xd2, 0, 0xd4, 0x0b,
    ]);
    // An explicit table 0 is the implicit one; a non-funcref type on table 0 needs encoding 6.
    expect(elems('(elem (table 0) (i32.const 0) func $f)')).toEqual([1, 0, 0x41, 0, 0x0b, 1, 0]);
    expect(elems('(elem (table $t0) (i32.const 0) funcref (ref.null func))')).toEqual([1, 4, 0x41, 0, 0x0b, 1, 0xd0, 0x70, 0x0b]);
    expect(elems('(elem (table $t0) (i32.const 0) (ref null $ft) (ref.null $ft))', '(type $ft (func))')).toEqual([
      1, 6, 0, 0x41, 0, 0x0b, 0x63, 0, 1, 0xd0, 0, 0x0b,
    ]);
  });

  it('encodes data segment forms', () => {
    const data = (source: string): number[] => {
      return sectionContent(parseWat(`(module (memory 1) (memory $m1 1) ${source})`), 11);
    };
    expect(data('(data "x")')).toEqual([1, 1, 1, 0x78]);
    expect(data('(data (i32.const 4) "x" "y")')).toEqual([1, 0, 0x41, 4, 0x0b, 2, 0x78, 0x79]);
    expect(data('(data (memory $m1) (offset (i32.const 0)) "x")')).toEqual([1, 2, 1, 0x41, 0, 0x0b, 1, 0x78]);
  });

  it('encodes the start function and rejects a second one', () => {
    expect(parseWat('(module (func $f) (start $f))')).toEqual(module(TYPE_VOID, FUNC_ONE, section(8, 0), CODE_EMPTY));
    expect(reason('(module (func $f) (start $f) (start $f))')).toBe('multiple start sections');
  });
});

describe('types', () => {
  it('encodes recursion groups, subtypes, structs and arrays', () => {
    expect(
      parseWat(`(module (rec
        (type $a (sub (struct (field i32))))
        (type $b (sub final $a (struct (field i32) (field $x (mut i64)))))
        (type $c (array (mut i8)))))`),
    ).toEqual(module(section(1, 1, 0x4e, 3, 0x50, 0, 0x5f, 1, 0x7f, 0, 0x4f, 1, 0, 0x5f, 2, 0x7f, 0, 0x7e, 1, 0x5e, 0x78, 1)));
  });

  it('encodes reference types: shorthands, nullable and non-null, concrete', () => {
    expect(parseWat('(module (type $t (func (param funcref (ref $t) (ref null any) (ref i31) nullexnref))))')).toEqual(
      module(section(1, 1, 0x60, 5, 0x70, 0x64, 0, 0x6e, 0x64, 0x6c, 0x74, 0)),
    );
  });

  it('encodes tags', () => {
    expect(parseWat('(module (tag $e (param i32)))')).toEqual(module(section(1, 1, 0x60, 1, 0x7f, 0), section(13, 1, 0, 0)));
  });

  it('rejects duplicate field names', () => {
    expect(reason('(module (type (struct (field $x i32) (field $x i32))))')).toBe('duplicate field $x');
  });
});

describe('identifiers', () => {
  it('resolves identifiers in every index space, forwards too', () => {
    const bytes = parseWat(`(module
      (func $caller (call $callee))
      (func $callee)
      (global $g i32 (i32.const 0))
      (func (drop (global.get $g))))`);
    expect(bytes[bytes.length - 1]).toBe(0x0b);
    expect(Array.from(bytes)).toEqual(expect.arrayContaining([0x10, 1]));
  });

  it('treats $"quoted" identifiers as the same names', () => {
    expect(parseWat('(module (func $"a b") (start $"a b"))')).toEqual(parseWat('(module (func $x) (start $x))'));
    expect(parseWat('(module (func $"ab") (start $ab))')).toEqual(parseWat('(module (func $x) (start $x))'));
  });

  it('rejects duplicates and unknown names with the kind and name', () => {
    expect(reason('(module (func $f) (func $f))')).toBe('duplicate func $f');
    expect(reason('(module (memory $m 0) (memory $m 0))')).toBe('duplicate memory $m');
    expect(reason('(module (global $g i32 (i32.const 0)) (global $g i32 (i32.const 0)))')).toBe('duplicate global $g');
    expect(reason('(module (table $t 0 funcref) (table $t 0 funcref))')).toBe('duplicate table $t');
    expect(reason('(module (func (param $x i32) (local $x i32)))')).toBe('duplicate local $x');
    expect(reason('(module (start $nope))')).toBe('unknown func $nope');
    expect(reason('(module (func (local.get $nope)))')).toBe('unknown local $nope');
    expect(reason('(module (type $t (func (param (ref $u)))))')).toBe('unknown type $u');
  });
});
