// Instructions, plain and folded, for each operator family. Expected bytes are written by hand
// from the binary format spec (https://webassembly.github.io/spec/core/binary/instructions.html).
import { describe, expect, it } from 'vitest';
import { WatSyntaxError, parseWat } from '../src/index.ts';
import { lastBody, onlyBody, sectionContent } from './bytes.ts';

/** The instruction bytes of the function `(func <body>)` placed after the module prelude. */
function code(funcBody: string, prelude = ''): number[] {
  const bytes = lastBody(parseWat(`(module ${prelude} (func ${funcBody}))`));
  expect(bytes[0]).toBe(0); // no local declarations
  expect(bytes[bytes.length - 1]).toBe(0x0b);
  return bytes.slice(1, -1);
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

describe('numeric instructions', () => {
  it('encodes constants (signed LEB128 and little-endian IEEE bits)', () => {
    expect(code('i32.const -1 drop')).toEqual([0x41, 0x7f, 0x1a]);
    expect(code('i32.const 0xffff_ffff drop')).toEqual([0x41, 0x7f, 0x1a]);
    expect(code('i32.const 64 drop')).toEqual([0x41, 0xc0, 0x00, 0x1a]);
    expect(code('i64.const 0x8000000000000000 drop')).toEqual([0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, 0x1a]);
    expect(code('f32.const 1 drop')).toEqual([0x43, 0x00, 0x00, 0x80, 0x3f, 0x1a]);
    expect(code('f64.const -0 drop')).toEqual([0x44, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x1a]);
    expect(code('f32.const -nan:0x1 drop')).toEqual([0x43, 0x01, 0x00, 0x80, 0xff, 0x1a]);
  });

  it('encodes folded operands before their operator', () => {
    expect(code('(drop (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3))))')).toEqual([
      0x41, 1, 0x41, 2, 0x41, 3, 0x6c, 0x6a, 0x1a,
    ]);
    expect(code('(drop (i32.add (i32.const 1) (i32.const 2)))')).toEqual(code('i32.const 1 i32.const 2 i32.add drop'));
  });

  it('encodes prefixed operators with LEB128 sub-opcodes', () => {
    expect(code('(drop (i32.trunc_sat_f32_s (f32.const 0)))').slice(5)).toEqual([0xfc, 0x00, 0x1a]);
    expect(code('(drop (drop (i64.add128 (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0))))').slice(8, 10)).toEqual([0xfc, 0x13]);
  });

  it('rejects unknown operators and malformed or out-of-range literals', () => {
    expect(reason('(func i32.frobnicate)')).toBe('unknown operator i32.frobnicate');
    expect(reason('(func get_local 0)')).toBe('unknown operator get_local');
    expect(reason('(func (i32.const 0x1_0000_0000) drop)')).toBe('constant out of range');
    expect(reason('(func (i32.const 1__0) drop)')).toBe('unknown operator');
    expect(reason('(func (f32.const .5) drop)')).toBe('unknown operator .5');
    expect(reason('(func (i32.const) drop)')).toBe('unexpected token');
    expect(reason('(func (f32.const nan:canonical) drop)')).toBe('unexpected token');
  });
});

describe('control instructions', () => {
  it('encodes blocks, labels by name and depth, and block types', () => {
    expect(code('(block $a (block $b (br $a) (br $b) (br 1)))')).toEqual([0x02, 0x40, 0x02, 0x40, 0x0c, 1, 0x0c, 0, 0x0c, 1, 0x0b, 0x0b]);
    expect(code('block (result i32) i32.const 1 end drop')).toEqual([0x02, 0x7f, 0x41, 1, 0x0b, 0x1a]);
    expect(code('loop $l br $l end')).toEqual([0x03, 0x40, 0x0c, 0, 0x0b]);
  });

  it('turns multi-value block types into type indices', () => {
    const bytes = parseWat('(module (func (block (result i32 i64) (i32.const 1) (i64.const 2)) (drop) (drop)))');
    expect(sectionContent(bytes, 1)).toEqual([2, 0x60, 0, 0, 0x60, 0, 2, 0x7f, 0x7e]);
    expect(onlyBody(bytes).slice(1, 3)).toEqual([0x02, 0x01]);
    const withType = parseWat('(module (type $t (func (param i32) (result i32))) (func (i32.const 0) (block (type $t) (param i32) (result i32)) (drop)))');
    expect(onlyBody(withType).slice(3, 5)).toEqual([0x02, 0x00]);
  });

  it('encodes if/else, plain and folded, with condition first', () => {
    const folded = code('(drop (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3))))');
    expect(folded).toEqual([0x41, 1, 0x04, 0x7f, 0x41, 2, 0x05, 0x41, 3, 0x0b, 0x1a]);
    expect(code('i32.const 1 if $l (result i32) i32.const 2 else $l i32.const 3 end $l drop')).toEqual(folded);
    expect(code('(if (i32.const 0) (then))')).toEqual([0x41, 0, 0x04, 0x40, 0x0b]);
  });

  it('checks closing labels', () => {
    expect(reason('(func block $a end $b)')).toBe('mismatching label');
    expect(reason('(func block end $a)')).toBe('mismatching label');
    expect(reason('(func (br $missing))')).toBe('unknown label $missing');
  });

  it('encodes br_table with the default last', () => {
    expect(code('(block $a (block $b (br_table $a $b 0 (i32.const 0))))')).toEqual([0x02, 0x40, 0x02, 0x40, 0x41, 0, 0x0e, 2, 1, 0, 0, 0x0b, 0x0b]);
  });

  it('encodes calls: direct, indirect with table and type use, tail calls', () => {
    const prelude = '(type $sig (func)) (table $t0 0 funcref) (table $t1 0 funcref) (func $f)';
    expect(code('(call $f) (call_indirect $t1 (type $sig) (i32.const 0)) (call_indirect (i32.const 0)) (return_call $f)', prelude)).toEqual([
      0x10, 0, 0x41, 0, 0x11, 0, 1, 0x41, 0, 0x11, 0, 0, 0x12, 0,
    ]);
    expect(code('(return_call_indirect (param i32) (i32.const 1) (i32.const 0))', '(table 0 funcref)')).toEqual([0x41, 1, 0x41, 0, 0x13, 1, 0]);
  });

  it('encodes select with and without a type', () => {
    expect(code('(drop (select (i32.const 1) (i32.const 2) (i32.const 0)))')).toEqual([0x41, 1, 0x41, 2, 0x41, 0, 0x1b, 0x1a]);
    expect(code('(drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))')).toEqual([0x41, 1, 0x41, 2, 0x41, 0, 0x1c, 1, 0x7f, 0x1a]);
  });

  it('encodes locals with names, grouped by type', () => {
    const bytes = onlyBody(parseWat('(module (func (param $a i32) (local $b i64) (local f32 f32) (local.set $b (i64.const 0)) (local.get $a) (drop) (local.tee 3 (f32.const 0)) (drop)))'));
    expect(bytes.slice(0, 5)).toEqual([2, 1, 0x7e, 2, 0x7d]);
    expect(bytes.slice(5, 9)).toEqual([0x42, 0, 0x21, 1]);
    expect(bytes.slice(9, 11)).toEqual([0x20, 0]);
  });
});

describe('memory instructions', () => {
  it('encodes memargs with default and explicit alignment and offsets', () => {
    expect(code('(drop (i32.load (i32.const 0)))', '(memory 1)')).toEqual([0x41, 0, 0x28, 2, 0, 0x1a]);
    expect(code('(drop (i32.load offset=8 align=2 (i32.const 0)))', '(memory 1)')).toEqual([0x41, 0, 0x28, 1, 8, 0x1a]);
    expect(code('(i64.store8 $m offset=0x10 (i32.const 0) (i64.const 0))', '(memory 1) (memory $m 1)')).toEqual([0x41, 0, 0x42, 0, 0x3c, 0x40, 1, 0x10]);
    expect(code('(drop (i64.load offset=0x1_0000_0000 (i64.const 0)))', '(memory i64 1)')).toEqual([
      0x42, 0, 0x29, 3, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1a,
    ]);
  });

  it('requires power-of-two alignment', () => {
    expect(reason('(memory 1) (func (drop (i32.load align=3 (i32.const 0))))')).toBe('alignment must be a power of two');
    expect(reason('(memory 1) (func (drop (i32.load align=0 (i32.const 0))))')).toBe('alignment must be a power of two');
  });

  it('encodes size, grow and bulk memory operators with memory and segment indices', () => {
    const prelude = '(memory 1) (memory $m 1) (data $d "")';
    expect(code('(drop (memory.size $m))', prelude)).toEqual([0x3f, 1, 0x1a]);
    expect(code('(memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))', prelude).slice(6)).toEqual([0xfc, 0x08, 0, 0]);
    expect(code('(memory.init $m $d (i32.const 0) (i32.const 0) (i32.const 0))', prelude).slice(6)).toEqual([0xfc, 0x08, 0, 1]);
    expect(code('(memory.copy (i32.const 0) (i32.const 0) (i32.const 0))', prelude).slice(6)).toEqual([0xfc, 0x0a, 0, 0]);
    expect(code('(memory.copy $m 0 (i32.const 0) (i32.const 0) (i32.const 0))', prelude).slice(6)).toEqual([0xfc, 0x0a, 1, 0]);
    expect(code('data.drop $d', prelude)).toEqual([0xfc, 0x09, 0]);
  });

  it('encodes table operators', () => {
    const prelude = '(table $a 0 funcref) (table $b 0 funcref) (elem $e func)';
    expect(code('(table.init $b $e (i32.const 0) (i32.const 0) (i32.const 0))', prelude).slice(6)).toEqual([0xfc, 0x0c, 0, 1]);
    expect(code('(table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0))', prelude).slice(6)).toEqual([0xfc, 0x0e, 0, 1]);
    expect(code('(drop (table.get $b (i32.const 0)))', prelude)).toEqual([0x41, 0, 0x25, 1, 0x1a]);
    expect(code('(drop (table.size))', prelude)).toEqual([0xfc, 0x10, 0, 0x1a]);
    expect(code('elem.drop $e', prelude)).toEqual([0xfc, 0x0d, 0]);
  });
});

describe('vector instructions', () => {
  it('encodes v128.const in every lane shape', () => {
    expect(code('(drop (v128.const i32x4 1 2 3 -1))')).toEqual([0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x1a]);
    expect(code('(drop (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 -1 255))')).toEqual([0xfd, 0x0c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 255, 255, 0x1a]);
    expect(code('(drop (v128.const i16x8 1 -2 0 0 0 0 0 0x8000))')).toEqual([0xfd, 0x0c, 1, 0, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x1a]);
    expect(code('(drop (v128.const i64x2 1 -1))')).toEqual([0xfd, 0x0c, 1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0x1a]);
    expect(code('(drop (v128.const f32x4 1 -0 inf nan))')).toEqual([0xfd, 0x0c, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x80, 0, 0, 0x80, 0x7f, 0, 0, 0xc0, 0x7f, 0x1a]);
    expect(code('(drop (v128.const f64x2 1 -2))')).toEqual([0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x1a]);
    expect(reason('(func (drop (v128.const i32x4 1 2 3)))')).toBe('wrong number of lane literals');
    expect(reason('(func (drop (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))')).toBe('constant out of range');
  });

  it('encodes shuffles, lane indices and lane memory operators', () => {
    const v = '(v128.const i64x2 0 0)';
    expect(code(`(drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 ${v} ${v}))`).slice(36)).toEqual([
      0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31, 0x1a,
    ]);
    expect(reason(`(func (drop (i8x16.shuffle 0 1 2 ${v} ${v})))`)).toBe('invalid lane length');
    expect(code(`(drop (i8x16.extract_lane_s 3 ${v}))`).slice(18)).toEqual([0xfd, 0x15, 3, 0x1a]);
    expect(reason(`(func (drop (i8x16.extract_lane_s 256 ${v})))`)).toBe('i8 constant out of range');
    expect(reason(`(func (drop (i8x16.extract_lane_s -1 ${v})))`)).toBe('unexpected token');
    expect(code(`(drop (v128.load8_lane 1 (i32.const 0) ${v}))`, '(memory 1)').slice(20)).toEqual([0xfd, 0x54, 0, 0, 1, 0x1a]);
    expect(code(`(drop (v128.load8_lane $m 1 (i32.const 0) ${v}))`, '(memory 1) (memory $m 1)').slice(20)).toEqual([0xfd, 0x54, 0x40, 1, 0, 1, 0x1a]);
    expect(code(`(drop (v128.load16_lane 1 offset=2 3 (i32.const 0) ${v}))`, '(memory 1) (memory 1)').slice(20)).toEqual([0xfd, 0x55, 0x41, 1, 2, 3, 0x1a]);
    expect(code(`(drop (f32x4.add ${v} ${v}))`).slice(36)).toEqual([0xfd, 0xe4, 0x01, 0x1a]);
    expect(code('(drop (v128.load (i32.const 0)))', '(memory 1)')).toEqual([0x41, 0, 0xfd, 0x00, 4, 0, 0x1a]);
  });
});

describe('reference and aggregate instructions', () => {
  const types = '(type $s (struct (field $x i32) (field $y (mut i64)))) (type $a (array i8)) (type $f (func))';

  it('encodes struct and array operators with type and field identifiers', () => {
    expect(code('(drop (struct.get $s $y (ref.null $s)))', types)).toEqual([0xd0, 0, 0xfb, 0x02, 0, 1, 0x1a]);
    expect(code('(drop (struct.get $s 0 (ref.null $s)))', types)).toEqual([0xd0, 0, 0xfb, 0x02, 0, 0, 0x1a]);
    expect(code('(drop (array.new_fixed $a 2 (i32.const 1) (i32.const 2)))', types)).toEqual([0x41, 1, 0x41, 2, 0xfb, 0x08, 1, 2, 0x1a]);
    expect(code('(drop (array.len (ref.null $a)))', types)).toEqual([0xd0, 1, 0xfb, 0x0f, 0x1a]);
    expect(reason(`(module ${types} (func (drop (struct.get $s $z (ref.null $s)))))`)).toBe('unknown field $z');
  });

  it('picks the nullable opcode of ref.test and ref.cast from the reference type', () => {
    expect(code('(drop (ref.test (ref $s) (ref.null any)))', types)).toEqual([0xd0, 0x6e, 0xfb, 0x14, 0, 0x1a]);
    expect(code('(drop (ref.test (ref null $s) (ref.null any)))', types)).toEqual([0xd0, 0x6e, 0xfb, 0x15, 0, 0x1a]);
    expect(code('(drop (ref.cast i31ref (ref.null any)))', types)).toEqual([0xd0, 0x6e, 0xfb, 0x17, 0x6c, 0x1a]);
    expect(code('(drop (ref.cast (ref any) (ref.null any)))', types)).toEqual([0xd0, 0x6e, 0xfb, 0x16, 0x6e, 0x1a]);
  });

  it('encodes br_on_cast with nullability flags', () => {
    expect(code('(drop (block $l (result anyref) (br_on_cast $l anyref (ref $s) (ref.null any))))', types)).toEqual([
      0x02, 0x6e, 0xd0, 0x6e, 0xfb, 0x18, 0x01, 0, 0x6e, 0, 0x0b, 0x1a,
    ]);
    expect(code('(drop (block $l (result anyref) (br_on_cast_fail $l (ref any) (ref null $s) (ref.null any))))', types).slice(4, 10)).toEqual([
      0xfb, 0x19, 0x02, 0, 0x6e, 0,
    ]);
  });

  it('encodes ref.null, ref.func, i31 and conversion operators', () => {
    expect(code('(drop (ref.null none)) (drop (ref.func $g)) (drop (ref.i31 (i32.const 0)))', '(func $g) (elem declare func $g)')).toEqual([
      0xd0, 0x71, 0x1a, 0xd2, 0, 0x1a, 0x41, 0, 0xfb, 0x1c, 0x1a,
    ]);
    expect(code('(drop (extern.convert_any (ref.null any)))')).toEqual([0xd0, 0x6e, 0xfb, 0x1b, 0x1a]);
    expect(code('(call_ref $f (ref.null $f))', types)).toEqual([0xd0, 2, 0x14, 2]);
  });
});

describe('exception handling', () => {
  const tag = '(tag $e (param i32)) (tag $e2)';

  it('encodes try_table with each catch clause kind, labels resolved outside the block', () => {
    expect(
      code(
        '(block $h (result i32) (block $r (result i32 exnref) (try_table $t (catch $e $h) (catch_ref $e $r) (catch_all $h) (catch_all_ref $r) (throw $e2)) (unreachable)) (unreachable)) (drop)',
        tag,
      ).slice(0, 18),
    ).toEqual([0x02, 0x7f, 0x02, 0x02, 0x1f, 0x40, 4, 0x00, 0, 1, 0x01, 0, 0, 0x02, 1, 0x03, 0, 0x08]);
  });

  it('encodes throw and throw_ref', () => {
    expect(code('(throw $e (i32.const 1))', tag)).toEqual([0x41, 1, 0x08, 0]);
    expect(code('(throw_ref (ref.null exn))', tag)).toEqual([0xd0, 0x69, 0x0a]);
  });

  it('encodes legacy try/catch/catch_all/delegate/rethrow, plain and folded', () => {
    expect(code('(try $l (do (throw $e2)) (catch $e2 (rethrow $l)) (catch_all))', tag)).toEqual([0x06, 0x40, 0x08, 1, 0x07, 1, 0x09, 0, 0x19, 0x0b]);
    expect(code('try $l throw $e2 catch $e2 rethrow $l catch_all end', tag)).toEqual([0x06, 0x40, 0x08, 1, 0x07, 1, 0x09, 0, 0x19, 0x0b]);
    expect(code('(block $b (try (do) (delegate $b)))', tag)).toEqual([0x02, 0x40, 0x06, 0x40, 0x18, 0, 0x0b]);
    expect(code('block $b try delegate $b end', tag)).toEqual([0x02, 0x40, 0x06, 0x40, 0x18, 0, 0x0b]);
  });

  it('rejects a catch clause outside its try', () => {
    expect(reason('(module (func (catch_all)))')).toBe('unexpected token');
  });
});

describe('threads', () => {
  it('encodes atomic memory operators and the fence', () => {
    expect(code('(drop (i32.atomic.load offset=4 (i32.const 0)))', '(memory 1 1 shared)')).toEqual([0x41, 0, 0xfe, 0x10, 2, 4, 0x1a]);
    expect(code('(drop (memory.atomic.notify (i32.const 0) (i32.const 1)))', '(memory 1 1 shared)')).toEqual([0x41, 0, 0x41, 1, 0xfe, 0x00, 2, 0, 0x1a]);
    expect(code('atomic.fence')).toEqual([0xfe, 0x03, 0x00]);
  });
});
