// The annotations the text format interprets: `(@custom …)` places a custom section among the
// module's sections, `(@name …)` names the module or a definition in the name section; and the
// `names` option, which writes the name section for the text's `$identifiers`. Expected layouts
// follow the annotations proposal and the name section's format, written out by hand:
// https://github.com/WebAssembly/annotations/blob/main/proposals/annotations/Overview.md
// https://webassembly.github.io/spec/core/appendix/custom.html#name-section
import { decodeModule } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { WatSyntaxError, parseWast, parseWat, printModule } from '../src/index.ts';

const utf8 = new TextDecoder();

/** The module's sections in order: the id, and for a custom section its name and contents as text. */
function sections(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let at = 8;
  const u32 = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = u32();
    const end = at + size;
    if (id === 0) {
      const nameLength = u32();
      const name = utf8.decode(bytes.subarray(at, at + nameLength));
      out.push(`custom ${JSON.stringify(name)} ${JSON.stringify(utf8.decode(bytes.subarray(at + nameLength, end)))}`);
    } else {
      out.push(String(id));
    }
    at = end;
  }
  return out;
}

/** The name section's payload (after its name), or null. */
function nameSection(bytes: Uint8Array): number[] | null {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++]!;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      size += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (id === 0 && bytes[at] === 4 && utf8.decode(bytes.subarray(at + 1, at + 5)) === 'name') return [...bytes.subarray(at + 5, at + size)];
    at += size;
  }
  return null;
}

const name = (text: string): number[] => {
  const bytes = new TextEncoder().encode(text);
  return [bytes.length, ...bytes];
};

function reason(source: string): string {
  try {
    parseWat(source);
  } catch (e) {
    if (e instanceof WatSyntaxError) return e.reason;
    throw e;
  }
  throw new Error('expected a WatSyntaxError');
}

describe('@custom', () => {
  it('places custom sections before or after the named section, in text order, and at the end by default', () => {
    // The first module of custom/custom_annot.wast.
    const bytes = parseWat(`(module
      (type $t (func))
      (@custom "my-section1" "contents-bytes1")
      (@custom "my-section2" "more-contents-bytes0")
      (@custom "my-section1" "contents-bytes2")
      (@custom "my-section2" (before global) "more-contents-bytes1")
      (@custom "my-section2" (after func) "more-contents-bytes2")
      (@custom "my-section2" (after func) "more-contents-bytes3")
      (@custom "my-section2" (before global) "more-contents-bytes4")
      (func)
      (@custom "my-section2" "more-contents-bytes5")
      (global $g i32 (i32.const 0))
      (@custom "my-section3")
      (@custom "my-section4" "" "1" "" "2" "3" "")
      (@custom ""))`);
    expect(sections(bytes)).toEqual([
      '1',
      '3',
      'custom "my-section2" "more-contents-bytes2"',
      'custom "my-section2" "more-contents-bytes3"',
      'custom "my-section2" "more-contents-bytes1"',
      'custom "my-section2" "more-contents-bytes4"',
      '6',
      '10',
      'custom "my-section1" "contents-bytes1"',
      'custom "my-section2" "more-contents-bytes0"',
      'custom "my-section1" "contents-bytes2"',
      'custom "my-section2" "more-contents-bytes5"',
      'custom "my-section3" ""',
      'custom "my-section4" "123"',
      'custom "" ""',
    ]);
    expect(decodeModule(bytes).functions).toEqual([0]);
  });

  it('places relative to a section the module does not have, and before first / after last', () => {
    const bytes = parseWat('(module (@custom "z" (after last) "") (func) (@custom "a" (before first) "") (@custom "m" (before memory) "") (@custom "d" (after data) ""))');
    expect(sections(bytes)).toEqual(['custom "a" ""', '1', '3', 'custom "m" ""', '10', 'custom "z" ""', 'custom "d" ""']);
  });

  it('works in a bare module and in a quoted one', () => {
    expect(sections(parseWat('(@custom "bla")'))).toEqual(['custom "bla" ""']);
    const script = parseWast('(module quote "(module (@custom \\"bla\\"))")');
    expect(script.commands[0]!.type).toBe('module');
  });

  it('reports malformed contents with the annotation prefix', () => {
    expect(reason('(@custom)')).toBe('@custom annotation: missing section name');
    expect(reason('(@custom 4)')).toBe('@custom annotation: missing section name');
    expect(reason('(@custom "\\df")')).toBe('@custom annotation: malformed UTF-8 encoding');
    expect(reason('(@custom "bla" here)')).toBe('@custom annotation: unexpected token');
    expect(reason('(@custom "bla" after)')).toBe('@custom annotation: unexpected token');
    expect(reason('(@custom "bla" (after))')).toBe('@custom annotation: malformed section kind');
    expect(reason('(@custom "bla" (type))')).toBe('@custom annotation: malformed placement');
    expect(reason('(@custom "bla" (aft type))')).toBe('@custom annotation: malformed placement');
    expect(reason('(@custom "bla" (before types))')).toBe('@custom annotation: malformed section kind');
    expect(reason('(@custom "bla" (before func) "x" y)')).toBe('@custom annotation: unexpected token');
  });

  it('rejects a custom section inside a field, with the annotation position', () => {
    expect(reason('(type (@custom "bla") $t (func))')).toBe('misplaced @custom annotation');
    expect(reason('(func (@custom "bla"))')).toBe('misplaced @custom annotation');
    expect(reason('(func (block (@custom "bla")))')).toBe('misplaced @custom annotation');
    expect(reason('(module $m (func (nop (@custom "bla"))))')).toBe('misplaced @custom annotation');
    expect(() => parseWat('(module\n  (func (@custom "bla")))')).toThrow(expect.objectContaining({ line: 2, column: 9 }));
  });

  it('leaves other annotations alone', () => {
    expect(parseWat('(module (@a (@custom "x")) (@customs "y") (func))')).toEqual(parseWat('(module (func))'));
  });
});

describe('@name', () => {
  it('names the module, functions and tags', () => {
    expect(nameSection(parseWat('(module (@name "Modül"))'))).toEqual([0, 7, ...name('Modül')]); // "Modül" is 6 UTF-8 bytes
    const bytes = parseWat('(module $moduel (@name "M") (type $t (func)) (func (@name "f0") (type $t)) (func $g (@name "f1") (type $t)) (tag $x (@name "t") (type $t)))');
    // Only annotations without the `names` option: module, functions 0 and 1, tag 0.
    expect(nameSection(bytes)).toEqual([
      0, 2, ...name('M'),
      1, 9, 2, 0, ...name('f0'), 1, ...name('f1'),
      11, 4, 1, 0, ...name('t'),
    ]);
    const names = decodeModule(bytes).names!;
    expect(names.module).toBe('M');
    expect([...names.functions]).toEqual([[0, 'f0'], [1, 'f1']]);
  });

  it('names imports, globals, tables and memories after their identifier', () => {
    const bytes = parseWat('(module (import "m" "f" (func $f (@name "imported"))) (global (@name "g") i32 (i32.const 0)) (table $t (@name "tb") 0 funcref) (memory (@name "mem") 1))');
    const names = decodeModule(bytes).names!;
    expect([...names.functions]).toEqual([[0, 'imported']]);
    expect([...names.globals]).toEqual([[0, 'g']]);
    expect([...names.tables]).toEqual([[0, 'tb']]);
    expect([...names.memories]).toEqual([[0, 'mem']]);
  });

  it('rejects misplaced, repeated and malformed names', () => {
    expect(reason('(module (@name "M1") (@name "M2"))')).toBe('@name annotation: multiple module');
    expect(reason('(module (func) (@name "M"))')).toBe('misplaced @name annotation');
    expect(reason('(module (start $f (@name "M")) (func $f))')).toBe('misplaced @name annotation');
    expect(reason('(module (func (@name "a") (@name "b")))')).toBe('@name annotation: multiple names for one func');
    expect(reason('(module (@name))')).toBe('@name annotation: missing name');
    expect(reason('(module (@name "a" "b"))')).toBe('@name annotation: unexpected token');
  });
});

describe('the names option', () => {
  it('is off by default: identifiers write no name section', () => {
    expect(nameSection(parseWat('(module $m (func $f (param $x i32)))'))).toBeNull();
  });

  it('writes every index space in subsection order, with locals and fields by their owner', () => {
    const bytes = parseWat(
      `(module $m
        (type $s (struct (field $a i32) (field $b i64)))
        (import "e" "f" (func $imp))
        (table $tab 1 funcref)
        (memory $mem 1)
        (tag $tg)
        (global $glob i32 (i32.const 0))
        (func $f (param $x i32) (local $y i64))
        (elem $el func $f)
        (data $d ""))`,
      { names: true },
    );
    expect(nameSection(bytes)).toEqual([
      0, 2, ...name('m'),
      1, 9, 2, 0, ...name('imp'), 1, ...name('f'),
      2, 9, 1, 1, 2, 0, ...name('x'), 1, ...name('y'),
      4, 4, 1, 0, ...name('s'),
      5, 6, 1, 0, ...name('tab'),
      6, 6, 1, 0, ...name('mem'),
      7, 7, 1, 0, ...name('glob'),
      8, 5, 1, 0, ...name('el'),
      9, 4, 1, 0, ...name('d'),
      10, 9, 1, 0, 2, 0, ...name('a'), 1, ...name('b'),
      11, 5, 1, 0, ...name('tg'),
    ]);
  });

  it('lets an annotation override the identifier it follows', () => {
    const names = decodeModule(parseWat('(module (func $f (@name "λ")) (func $g))', { names: true })).names!;
    expect([...names.functions]).toEqual([[0, 'λ'], [1, 'g']]);
  });

  it('round-trips through the printer: the printed text has the same identifiers and encodes to the same bytes', () => {
    const source = `(module $m
      (type $pair (struct (field $left i32) (field $right i32)))
      (global $counter (mut i32) (i32.const 0))
      (func $add (param $a i32) (param $b i32) (result i32) (local $sum i32)
        (local.set $sum (i32.add (local.get $a) (local.get $b)))
        (global.set $counter (local.get $sum))
        (local.get $sum))
      (func $first (param $p (ref $pair)) (result i32) (struct.get $pair $left (local.get $p))))`;
    const bytes = parseWat(source, { names: true });
    const text = printModule(bytes);
    for (const id of ['$m', '$pair', '$left', '$right', '$counter', '$add', '$a', '$b', '$sum', '$first', '$p']) expect(text).toContain(id);
    expect(parseWat(text, { names: true })).toEqual(bytes);
  });
});
