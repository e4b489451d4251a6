// Binary offsets back to text: a module assembled with `assembleWat` maps the offset of any
// instruction or field to the line and column of the text that produced it, so a validation
// error reported at a module offset can point into the source.
import { CompileError, decodeModule, validate, validateModule } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { assembleWat, parseWat } from '../src/index.ts';

function validationError(bytes: Uint8Array): CompileError {
  try {
    validate(bytes);
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error('expected the module to be invalid');
}

/** The text at a position: the rest of its line from the column. */
function textAt(source: string, position: { offset: number } | null): string {
  if (position === null) return '<none>';
  const rest = source.slice(position.offset);
  return rest.slice(0, rest.indexOf('\n') < 0 ? undefined : rest.indexOf('\n'));
}

describe('assembleWat', () => {
  it('gives the same bytes as parseWat', () => {
    const source = '(module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))) (memory 1) (data (i32.const 0) "x"))';
    expect(assembleWat(source).bytes).toEqual(parseWat(source));
  });

  it('maps a type error in a plain instruction sequence to its instruction', () => {
    const source = ['(module', '  (func (result i32)', '    i32.const 1', '    i64.const 2', '    i32.add))'].join('\n');
    const wat = assembleWat(source);
    const error = validationError(wat.bytes);
    expect(error.message).toMatch(/type mismatch/);
    const position = wat.sourcePositionOf(error.offset);
    expect(position).toMatchObject({ line: 5, column: 5 });
    expect(textAt(source, position)).toBe('i32.add))');
  });

  it('maps folded operators, their operands and block ends', () => {
    const source = [
      '(module',
      '  (func $f (param i32) (result i32)',
      '    (block (result i32)',
      '      (i32.mul',
      '        (local.get 0)',
      '        (f32.const 2)))))',
    ].join('\n');
    const wat = assembleWat(source);
    const error = validationError(wat.bytes);
    expect(error.message).toMatch(/type mismatch/);
    // The validator blames the operator whose operand has the wrong type: i32.mul, line 4.
    expect(wat.sourcePositionOf(error.offset)).toMatchObject({ line: 4, column: 8 });
    // Every operator of the body maps to its own mnemonic.
    const body = decodeModule(wat.bytes).codes[0]!.code;
    const starts: string[] = [];
    for (let at = body.offset; at < body.offset + body.bytes.length; at++) {
      const text = textAt(source, wat.sourcePositionOf(at)).trim();
      if (starts.at(-1) !== text) starts.push(text);
    }
    // The body's span starts at its first operator; `end`s map to the closing parentheses of the
    // block (third from the left) and of the function.
    expect(starts).toEqual(['block (result i32)', 'local.get 0)', 'f32.const 2)))))', 'i32.mul', ')))', '))']);
  });

  it('maps errors outside function bodies to their module field', () => {
    const source = ['(module', '  (func $a)', '  (export "x" (func $a))', '  (export "x" (func $a)))'].join('\n');
    const wat = assembleWat(source);
    const error = validationError(wat.bytes);
    expect(error.message).toMatch(/duplicate export/);
    expect(wat.sourcePositionOf(error.offset)).toMatchObject({ line: 4, column: 3 });
  });

  it('maps an inline export to the definition that carries it', () => {
    const source = '(module\n  (global (export "g") i32 (i32.const 0))\n  (func (export "g")))';
    const wat = assembleWat(source);
    const error = validationError(wat.bytes);
    expect(error.message).toMatch(/duplicate export/);
    expect(wat.sourcePositionOf(error.offset)).toMatchObject({ line: 3, column: 3 });
  });

  it('has no position for bytes no text produced', () => {
    const wat = assembleWat('(module (func))');
    expect(wat.sourcePositionOf(0)).toBeNull(); // the magic number
    const binary = assembleWat('(module binary "\\00asm\\01\\00\\00\\00")');
    expect(binary.sourcePositionOf(4)).toBeNull();
    expect(() => validateModule(decodeModule(binary.bytes))).not.toThrow();
  });
});
