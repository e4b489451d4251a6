// The printer on modules built byte by byte: each expected text is what the text-format spec
// says denotes those bytes, in the printer's layout (two-space indent, one field per line).
import { ExternKind, FUNCREF, HeapType, ValType, refType } from '@flint/decoder';
import { ModuleBuilder, nameBytes, op, uleb, vec } from '@flint/decoder/testing';
import { describe, expect, it } from 'vitest';
import { parseWat, printModule } from '../src/index.ts';

const { I32, I64, F32, F64 } = ValType;
const body = (...ops: number[][]): number[] => [...ops.flat(), ...op('end')];

describe('module fields', () => {
  it('prints an empty module', () => {
    expect(printModule(new ModuleBuilder().toBytes())).toBe('(module)\n');
  });

  it('prints types, imports, functions, tables, memories, globals, tags, exports and start', () => {
    const m = new ModuleBuilder();
    const t0 = m.addType({ params: [I32, I64], results: [F32] });
    const t1 = m.addType({ params: [], results: [] });
    m.addImport('env', 'f', { func: t0 });
    m.addImport('env', 'mem', { memory: { min: 1, max: 2, shared: true } });
    m.addImport('env', 'g', { global: { type: F64, mutable: true } });
    const f = m.addFunction(t1, [I32, I32, I64], body(op('nop')));
    m.addTable({ min: 0, max: 10, element: FUNCREF });
    m.addMemory({ min: 1n, address: 'i64', pageSizeLog2: 0 });
    m.addGlobal(I32, op('i32.const', -7));
    m.addTag(t1);
    m.addExport('run', ExternKind.Func, f);
    m.addExport('t\u00e9', ExternKind.Table, 0);
    m.setStart(f);
    // The page size exponent is a custom-page-sizes encoding, which the decoder reads only on request.
    expect(printModule(m.toBytes(), { decode: { features: { customPageSizes: true } } })).toBe(
      [
        '(module',
        '  (type (func (param i32 i64) (result f32)))',
        '  (type (func))',
        '  (import "env" "f" (func (type 0) (param i32 i64) (result f32)))',
        '  (import "env" "mem" (memory 1 2 shared))',
        '  (import "env" "g" (global (mut f64)))',
        '  (table 0 10 funcref)',
        '  (memory i64 1 (pagesize 1))',
        '  (tag (type 1))',
        '  (global i32 i32.const -7)',
        '  (export "run" (func 1))',
        '  (export "t\\c3\\a9" (table 0))',
        '  (start 1)',
        '  (func (type 1) (local i32 i32 i64)',
        '    nop))',
        '',
      ].join('\n'),
    );
  });

  it('prints recursion groups, subtypes, structs and arrays', () => {
    const m = new ModuleBuilder();
    m.addRecGroup([
      { composite: { kind: 'struct', fields: [{ type: ValType.I8, mutable: true }, { type: refType(true, HeapType.Any), mutable: false }] }, final: false },
      { composite: { kind: 'array', element: { type: refType(false, 0x80 + 0), mutable: false } }, final: true, supertypes: [] },
    ]);
    m.addType({ composite: { kind: 'struct', fields: [] }, final: true, supertypes: [0] });
    expect(printModule(m.toBytes())).toBe(
      [
        '(module',
        '  (rec',
        '    (type (sub (struct (field (mut i8)) (field anyref))))',
        '    (type (array (ref 0))))',
        '  (type (sub final 0 (struct))))',
        '',
      ].join('\n'),
    );
  });

  it('prints every element and data segment form', () => {
    const m = new ModuleBuilder();
    const t = m.addType({ params: [], results: [] });
    m.addFunction(t, [], body());
    m.addTable({ min: 1 });
    m.addTable({ min: 1, element: refType(true, HeapType.Extern) });
    m.addMemory({ min: 1 });
    m.addMemory({ min: 1 });
    m.addElement({ offset: op('i32.const', 0), funcs: [0, 0] });
    m.addElement({ mode: 'passive', funcs: [0] });
    m.addElement({ mode: 'declarative', funcs: [0] });
    m.addElement({ table: 1, offset: op('i32.const', 1), type: refType(true, HeapType.Extern), exprs: [op('ref.null', HeapType.Extern)] });
    m.addData({ offset: op('i32.const', 8), bytes: [0x61, 0x00, 0x22, 0x5c, 0x7f] });
    m.addData({ mode: 'passive', bytes: [] });
    m.addData({ memory: 1, offset: op('i32.const', 0), bytes: [0x41] });
    const text = printModule(m.toBytes());
    expect(text).toContain('  (elem (offset i32.const 0) func 0 0)\n');
    expect(text).toContain('  (elem func 0)\n');
    expect(text).toContain('  (elem declare func 0)\n');
    expect(text).toContain('  (elem (table 1) (offset i32.const 1) externref (item ref.null extern))\n');
    expect(text).toContain('  (data (offset i32.const 8) "a\\00\\22\\5c\\7f")\n');
    expect(text).toContain('  (data "")\n');
    expect(text).toContain('  (data (memory 1) (offset i32.const 0) "A"))\n');
  });
});

describe('instructions', () => {
  const printBody = (params: number[], results: number[], code: number[], folded = false, locals: number[] = []): string => {
    const m = new ModuleBuilder();
    const t = m.addType({ params, results });
    m.addType({ params: [], results: [I32, I32] });
    m.addMemory({ min: 1 });
    m.addTable({ min: 1 });
    m.addFunction(t, locals, code);
    const text = printModule(m.toBytes(), { folded });
    const start = text.indexOf('  (func');
    return text.slice(start, text.length - 2);
  };

  it('prints blocks flat with their bodies indented and labels as depths', () => {
    const code = body(
      op('block', I32),
      op('loop', { typeIndex: 1 }),
      op('br', 1),
      op('end'),
      op('drop'),
      op('local.get', 0),
      op('if'),
      op('br_table', [0, 1], 0),
      op('else'),
      op('unreachable'),
      op('end'),
      op('i32.const', 0),
      op('end'),
    );
    expect(printBody([I32], [I32], code)).toBe(
      [
        '  (func (type 0) (param i32) (result i32)',
        '    block (result i32)',
        '      loop (type 1)',
        '        br 1',
        '      end',
        '      drop',
        '      local.get 0',
        '      if',
        '        br_table 0 1 0',
        '      else',
        '        unreachable',
        '      end',
        '      i32.const 0',
        '    end)',
      ].join('\n'),
    );
  });

  it('folds operands into their operator and control instructions into S-expressions', () => {
    const code = body(
      op('local.get', 0),
      op('i32.const', 1),
      op('i32.add'),
      op('if', I32),
      op('i32.const', 2),
      op('else'),
      op('local.get', 0),
      op('i32.eqz'),
      op('end'),
    );
    expect(printBody([I32], [I32], code, true)).toBe(
      [
        '  (func (type 0) (param i32) (result i32)',
        '    (if (result i32)',
        '      (i32.add (local.get 0) (i32.const 1))',
        '      (then',
        '        (i32.const 2))',
        '      (else',
        '        (i32.eqz (local.get 0)))))',
      ].join('\n'),
    );
  });

  it('does not fold across an instruction that pushes nothing', () => {
    const code = body(op('i32.const', 1), op('local.set', 0), op('i32.const', 2), op('i32.add'), op('drop'));
    expect(printBody([], [], code, true, [I32])).toBe(
      ['  (func (type 0) (local i32)', '    (local.set 0 (i32.const 1))', '    (i32.const 2)', '    (drop (i32.add)))'].join('\n'),
    );
  });

  it('prints exception handling: try_table clauses, and legacy try flat even in the folded form', () => {
    const m = new ModuleBuilder();
    const t = m.addType({ params: [], results: [] });
    m.addTag(t);
    m.addFunction(
      t,
      [],
      body(
        op('block'),
        op('try_table', undefined, [
          { kind: 0, tag: 0, label: 0 },
          { kind: 3, label: 0 },
        ]),
        op('end'),
        op('end'),
        op('try'),
        op('throw', 0),
        op('catch', 0),
        op('catch_all'),
        op('end'),
        op('try'),
        op('nop'),
        op('delegate', 0),
      ),
    );
    const lines = (folded: boolean): string[] => {
      const text = printModule(m.toBytes(), { folded });
      return text.slice(text.indexOf('  (func')).split('\n');
    };
    expect(lines(false)).toEqual([
      '  (func (type 0)',
      '    block',
      '      try_table (catch 0 0) (catch_all_ref 0)',
      '      end',
      '    end',
      '    try',
      '      throw 0',
      '    catch 0',
      '    catch_all',
      '    end',
      '    try',
      '      nop',
      '    delegate 0))',
      '',
    ]);
    expect(lines(true)).toEqual([
      '  (func (type 0)',
      '    (block',
      '      (try_table (catch 0 0) (catch_all_ref 0)))',
      '    try',
      '      (throw 0)',
      '    catch 0',
      '    catch_all',
      '    end',
      '    try',
      '      (nop)',
      '    delegate 0))',
      '',
    ]);
  });

  it('prints vector constants, shuffles, lanes and typed select', () => {
    const m = new ModuleBuilder();
    const t = m.addType({ params: [], results: [] });
    m.addMemory({ min: 1 });
    m.addMemory({ min: 1 });
    const lanes = Array.from({ length: 16 }, (_, i) => i);
    m.addFunction(
      t,
      [],
      body(
        op('v128.const', lanes),
        op('v128.const', lanes.map((i) => 31 - i)),
        op('i8x16.shuffle', lanes.map((i) => 31 - i)),
        op('i8x16.extract_lane_u', 15),
        op('i32.const', 0),
        op('v128.load32_lane', { memory: 1, offset: 4 }, 3),
        op('drop'),
        op('i32.const', 1),
        op('select', [I32]),
        op('drop'),
        op('memory.size', 1),
        op('drop'),
        op('nop'),
      ),
    );
    const text = printModule(m.toBytes());
    expect(text).toContain('    v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c\n');
    expect(text).toContain('    i8x16.shuffle 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16\n');
    expect(text).toContain('    i8x16.extract_lane_u 15\n');
    expect(text).toContain('    v128.load32_lane 1 offset=4 3\n');
    expect(text).toContain('    select (result i32)\n');
    expect(text).toContain('    memory.size 1\n');
  });

  it('prints memory arguments, omitting the natural alignment and a zero offset', () => {
    const code = body(
      op('i32.const', 0),
      op('i64.load', { offset: 16, align: 3 }),
      op('drop'),
      op('i32.const', 0),
      op('i32.load8_u', { align: 0 }),
      op('drop'),
      op('i32.const', 0),
      op('f32.load', { align: 1, offset: 2n ** 32n }),
      op('drop'),
    );
    const text = printBody([], [], code);
    expect(text).toContain('    i64.load offset=16\n');
    expect(text).toContain('    i32.load8_u\n');
    expect(text).toContain('    f32.load offset=4294967296 align=2\n');
  });

  it('prints constants exactly, NaN payloads included', () => {
    const f32 = (bits: number): number[] => [0x43, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24];
    const f64 = (hi: number, lo: number): number[] => [0x44, ...[lo, hi].flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24])];
    const code = body(
      op('i64.const', -(2n ** 63n)),
      f32(0x3fc00000), // 1.5
      f32(0x7fc00000), // canonical NaN
      f32(0xff800001), // negative NaN with payload 1
      f32(0x80000000), // -0
      f32(0x7f800000), // inf
      f64(0x3fb99999, 0x9999999a), // 0.1
      f64(0x7ff00000, 0x00000001), // NaN with payload 1
      f64(0xfff80000, 0x00000000), // negative canonical NaN
      op('i32.const', 0x7fffffff),
      op('nop'), // last, so that the function's closing parenthesis does not follow a constant
    );
    const lines = printBody([], [], code).split('\n').slice(1, -1).map((l) => l.trim());
    expect(lines).toEqual([
      'i64.const -9223372036854775808',
      'f32.const 1.5',
      'f32.const nan',
      'f32.const -nan:0x1',
      'f32.const -0',
      'f32.const inf',
      'f64.const 0.1',
      'f64.const nan:0x1',
      'f64.const -nan',
      'i32.const 2147483647',
    ]);
  });

  it('prints reference, GC and call immediates with their types', () => {
    const m = new ModuleBuilder();
    const st = m.addType({ composite: { kind: 'struct', fields: [{ type: I32, mutable: true }] }, final: true });
    const ft = m.addType({ params: [], results: [] });
    m.addTable({ min: 1 });
    m.addTable({ min: 1 });
    m.addFunction(
      ft,
      [],
      body(
        op('ref.null', HeapType.None),
        op('ref.test', refType(true, 0x80 + st)),
        op('drop'),
        op('ref.null', 0x80 + st),
        op('ref.cast', refType(false, 0x80 + st)),
        op('struct.get', st, 0),
        op('drop'),
        op('i32.const', 0),
        op('call_indirect', ft, 1),
        op('ref.func', 0),
        op('call_ref', ft),
        op('block', refType(true, HeapType.Any)),
        op('ref.null', HeapType.Any),
        op('br_on_cast', 0, refType(true, HeapType.Any), refType(false, HeapType.I31)),
        op('end'),
        op('drop'),
        op('i32.const', 0),
        op('i32.const', 0),
        op('i32.const', 0),
        op('table.copy', 1, 0),
        op('nop'),
      ),
    );
    m.addElement({ mode: 'declarative', funcs: [0] });
    const lines = printModule(m.toBytes()).split('\n').map((l) => l.trim());
    for (const expected of [
      'ref.test (ref null 0)',
      'ref.cast (ref 0)',
      'struct.get 0 0',
      'call_indirect 1 (type 1)',
      'call_ref 1',
      'block (result anyref)',
      'ref.null none',
      'br_on_cast 0 anyref (ref i31)',
      'table.copy 1 0',
    ]) {
      expect(lines).toContain(expected);
    }
  });
});

describe('names', () => {
  /** A name section with function names (subsection 1) and local names of function 0 (subsection 2). */
  function named(functionNames: [number, string][], localNames: [number, string][]): Uint8Array {
    const m = new ModuleBuilder();
    const t = m.addType({ params: [I32], results: [I32] });
    m.addFunction(t, [I32], body(op('local.get', 1), op('call', 1)));
    m.addFunction(t, [], body(op('local.get', 0)));
    const nameMap = (entries: [number, string][]): number[] => vec(entries.map(([i, n]) => [...uleb(i), ...nameBytes(n)]));
    const subsection = (id: number, payload: number[]): number[] => [id, ...uleb(payload.length), ...payload];
    m.addCustomSection('name', [
      ...subsection(0, nameBytes('my module')),
      ...subsection(1, nameMap(functionNames)),
      ...subsection(2, vec([[...uleb(0), ...nameMap(localNames)]])),
    ]);
    return m.toBytes();
  }

  it('uses names as identifiers, quoting those that are not plain ids', () => {
    const text = printModule(named([[0, 'main'], [1, 'helper fn']], [[0, 'x'], [1, 'tmp']]));
    expect(text.startsWith('(module $"my module"\n')).toBe(true);
    expect(text).toContain('  (func $main (type 0) (param $x i32) (result i32) (local $tmp i32)\n    local.get $tmp\n    call $"helper fn")');
    expect(text).toContain('  (func $"helper fn" (type 0) (param i32) (result i32)\n    local.get 0)');
  });

  it('writes identifiers the text parser resolves to the same indices', () => {
    const bytes = named([[0, 'main'], [1, 'helper fn']], [[0, 'x'], [1, 'tmp']]);
    const reparsed = parseWat(printModule(bytes));
    expect(printModule(reparsed, { names: false })).toBe(printModule(bytes, { names: false }));
  });

  it('falls back to indices for a repeated name, and ignores names when asked', () => {
    const text = printModule(named([[0, 'f'], [1, 'f']], []));
    expect(text).toContain('(func $f (type 0)');
    expect(text).toContain('    call 1)\n');
    expect(printModule(named([[0, 'f']], []), { names: false })).not.toContain('$');
  });
});

describe('bad input', () => {
  const moduleWithBody = (code: number[]): Uint8Array => {
    const m = new ModuleBuilder();
    m.addFunction(m.addType({ params: [], results: [] }), [], code);
    return m.toBytes();
  };

  it('prints 20000 nested blocks in output linear in the input, folded falling back to flat', () => {
    const depth = 20_000;
    const code = body(...Array.from({ length: depth }, () => op('block')), ...Array.from({ length: depth }, () => op('end')));
    for (const folded of [false, true]) {
      const text = printModule(moduleWithBody(code), { folded });
      const lines = text.split('\n');
      expect(lines.filter((l) => l.trim() === 'block')).toHaveLength(depth);
      // Indentation stops growing at 32 levels (plus the module's and function's own two).
      expect(Math.max(...lines.map((l) => l.length - l.trimStart().length))).toBe(2 * 34);
    }
  });

  it('stops folding operands beyond a bounded depth', () => {
    const length = 20_000;
    const code = body(op('i32.const', 0), ...Array.from({ length }, () => [...op('i32.const', 1), ...op('i32.add')]), op('drop'));
    const text = printModule(moduleWithBody(code), { folded: true });
    expect(text.match(/i32\.add/g)).toHaveLength(length);
    expect(text.length).toBeLessThan(100 * length);
  });

  it('reports undecodable bytes with the decoder error', () => {
    expect(() => printModule(Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0))).toThrow(expect.objectContaining({ name: 'CompileError' }));
  });
});

describe('annotations', () => {
  it('prints custom sections with their placement when given bytes, and parses back to the same bytes', () => {
    const bytes = parseWat('(module (@custom "a" (before first) "1") (type (func)) (@custom "b" (after type) "\\00\\ff") (func) (@custom "c" "x"))');
    const text = printModule(bytes);
    expect(text).toContain('(@custom "a" (before first) "1")');
    expect(text).toContain('(@custom "b" (after type) "\\00\\ff")');
    expect(text).toContain('(@custom "c" (after code) "x")');
    expect(parseWat(text)).toEqual(bytes);
  });

  it('prints a name that cannot be an identifier as a (@name …) annotation', () => {
    // Two functions and the module named alike or emptily: the name section allows it, identifiers do not.
    const bytes = parseWat('(module (@name "") (type $t (func)) (func (@name "λ") (type $t)) (func (@name "λ") (type $t)))');
    const text = printModule(bytes);
    expect(text).toContain('(module (@name "")');
    // `$t` is not in the name section: only annotations are written without the names option.
    expect(text).toContain('(func $"\\ce\\bb" (type 0)');
    expect(text).toContain('(func (@name "\\ce\\bb") (type 0)');
    expect(parseWat(text, { names: true })).toEqual(bytes);
  });
});
