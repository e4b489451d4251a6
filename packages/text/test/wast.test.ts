// The script format: commands, actions, constants and expected-result patterns.
// Spec: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import { describe, expect, it } from 'vitest';
import { WatSyntaxError, parseWast, parseWat } from '../src/index.ts';
import type { WastCommand } from '../src/index.ts';

function only(source: string): WastCommand {
  const { commands } = parseWast(source);
  expect(commands).toHaveLength(1);
  return commands[0]!;
}

describe('modules', () => {
  it('encodes text modules eagerly, with id and line', () => {
    const { commands } = parseWast('\n(module $m (func))\n(module binary "\\00asm\\01\\00\\00\\00")');
    expect(commands[0]).toEqual({ type: 'module', kind: 'text', id: 'm', line: 2, bytes: parseWat('(func)') });
    expect(commands[1]).toEqual({ type: 'module', kind: 'binary', line: 3, bytes: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) });
  });

  it('leaves quoted modules unparsed', () => {
    const c = only('(assert_malformed (module quote "(func" " i32.bogus)") "unknown operator")');
    expect(c).toMatchObject({ type: 'assert_malformed', text: 'unknown operator', module: { kind: 'quote', source: '(func i32.bogus)' } });
  });

  it('records a text module that fails to parse and continues with the script', () => {
    const { commands } = parseWast('(module (func i32.bogus))\n(module $ok)');
    expect(commands).toHaveLength(2);
    const bad = commands[0]!;
    expect(bad.type === 'module' && bad.error).toBeInstanceOf(WatSyntaxError);
    expect(bad.type === 'module' && bad.error?.reason).toBe('unknown operator i32.bogus');
    expect(commands[1]).toMatchObject({ type: 'module', id: 'ok' });
  });

  it('parses module definitions and instances', () => {
    const { commands } = parseWast('(module definition $d (func))\n(module instance $i $d)');
    expect(commands[0]).toMatchObject({ type: 'module', definition: true, id: 'd', kind: 'text' });
    expect(commands[1]).toEqual({ type: 'module_instance', instance: 'i', module: 'd', line: 2 });
  });

  it('treats a file of bare module fields as one module', () => {
    expect(only('(func) (memory 0)')).toMatchObject({ type: 'module', bytes: parseWat('(module (func) (memory 0))') });
  });
});

describe('actions and values', () => {
  it('parses invoke and get with module names and typed arguments', () => {
    const c = only('(invoke $m "f" (i32.const -1) (i64.const 0xffffffffffffffff) (f32.const -nan:0x1) (f64.const 1.5) (ref.null func) (ref.extern 7) (ref.host 3))');
    expect(c).toEqual({
      type: 'action',
      line: 1,
      action: {
        type: 'invoke',
        module: 'm',
        name: 'f',
        line: 1,
        args: [
          { type: 'i32', value: -1 },
          { type: 'i64', value: -1n },
          { type: 'f32', bits: 0xff80_0001 },
          { type: 'f64', bits: 0x3ff8_0000_0000_0000n },
          { type: 'ref.null', heap: 'func' },
          { type: 'ref.extern', value: 7 },
          { type: 'ref.host', value: 3 },
        ],
      },
    });
    expect(only('(get "g")')).toMatchObject({ action: { type: 'get', module: null, name: 'g' } });
  });

  it('keeps a leading U+FEFF in names (it is not a byte-order mark there)', () => {
    expect(only('(invoke "\u{feff}")')).toMatchObject({ action: { name: '\u{feff}' } });
  });

  it('parses v128 arguments to their 16 bytes', () => {
    const c = only('(invoke "f" (v128.const i16x8 1 -1 0 0 0 0 0 0x8000))');
    expect(c.type === 'action' && c.action.type === 'invoke' && c.action.args[0]).toEqual({
      type: 'v128',
      shape: 'i16x8',
      bytes: new Uint8Array([1, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]),
    });
  });

  it('parses expected results: NaN patterns, per-lane patterns, reference patterns, either', () => {
    const c = only(`(assert_return (invoke "f")
      (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const -0)
      (v128.const f32x4 1 nan:canonical -0 nan:arithmetic)
      (ref.func) (ref.struct) (ref.null) (ref.extern 1)
      (either (i32.const 1) (v128.const i64x2 1 2)))`);
    expect(c.type).toBe('assert_return');
    if (c.type !== 'assert_return') return;
    expect(c.expected).toEqual([
      { type: 'f32', nan: 'nan:canonical' },
      { type: 'f64', nan: 'nan:arithmetic' },
      { type: 'f32', bits: 0x8000_0000 },
      {
        type: 'v128',
        shape: 'f32x4',
        lanes: [{ type: 'f32', bits: 0x3f80_0000 }, { type: 'f32', nan: 'nan:canonical' }, { type: 'f32', bits: 0x8000_0000 }, { type: 'f32', nan: 'nan:arithmetic' }],
      },
      { type: 'ref.func' },
      { type: 'ref.struct' },
      { type: 'ref.null' },
      { type: 'ref.extern', value: 1 },
      {
        type: 'either',
        options: [
          { type: 'i32', value: 1 },
          { type: 'v128', shape: 'i64x2', bytes: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]) },
        ],
      },
    ]);
  });

  it('rejects result patterns as arguments', () => {
    expect(() => parseWast('(invoke "f" (f32.const nan:canonical))')).toThrow(WatSyntaxError);
    expect(() => parseWast('(invoke "f" (either (i32.const 1)))')).toThrow(WatSyntaxError);
  });
});

describe('assertions and other commands', () => {
  it('parses every assertion with its message and line', () => {
    const { commands } = parseWast(`(register "M" $m)
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
(assert_exhaustion (invoke "r") "call stack exhausted")
(assert_exception (invoke "e"))
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "a" "b" (func))) "unknown import")
(assert_uninstantiable (module binary "") "x")`);
    expect(commands.map((c) => [c.type, c.line])).toEqual([
      ['register', 1],
      ['assert_trap', 2],
      ['assert_trap_module', 3],
      ['assert_exhaustion', 4],
      ['assert_exception', 5],
      ['assert_invalid', 6],
      ['assert_unlinkable', 7],
      ['assert_uninstantiable', 8],
    ]);
    expect(commands[0]).toEqual({ type: 'register', name: 'M', module: 'm', line: 1 });
    expect(commands[5]).toMatchObject({ text: 'type mismatch', module: { kind: 'text', bytes: parseWat('(func (result i32))') } });
  });

  it('parses threads and wait', () => {
    const { commands } = parseWast('(module $Mem (memory 1 1 shared))\n(thread $T1 (shared (module $Mem))\n  (register "mem" $Mem)\n  (module (func)))\n(wait $T1)');
    expect(commands[1]).toMatchObject({ type: 'thread', id: 'T1', shared: ['Mem'], line: 2 });
    const thread = commands[1]!;
    expect(thread.type === 'thread' && thread.commands.map((c) => [c.type, c.line])).toEqual([
      ['register', 3],
      ['module', 4],
    ]);
    expect(commands[2]).toEqual({ type: 'wait', id: 'T1', line: 5 });
  });
});
