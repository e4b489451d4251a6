// The shared option parser: leading options, repeatable ones, and the program's own arguments.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/command.ts';
import { choice, parseOptions } from '../src/options.ts';

const spec = { dir: 'repeat', invoke: 'value', lazy: 'flag' } as const;

describe('parseOptions', () => {
  it('stops at the first positional: the rest belongs to the program', () => {
    const parsed = parseOptions(['--dir', 'a', '--dir=b::/g', '--lazy', 'prog.wasm', '--lazy', '-1'], spec);
    expect(parsed.repeated.get('dir')).toEqual(['a', 'b::/g']);
    expect(parsed.flags.has('lazy')).toBe(true);
    expect(parsed.rest).toEqual(['prog.wasm', '--lazy', '-1']);
  });

  it('takes -- as the end of options, and interleaves when asked', () => {
    expect(parseOptions(['--', '--lazy'], spec).rest).toEqual(['--lazy']);
    const parsed = parseOptions(['a.wasm', '--invoke', 'f'], spec, true);
    expect(parsed.rest).toEqual(['a.wasm']);
    expect(parsed.values.get('invoke')).toBe('f');
  });

  it('rejects unknown options, missing values, repeated single values and values on flags', () => {
    expect(() => parseOptions(['--nope'], spec)).toThrow(new UsageError('unknown option --nope'));
    expect(() => parseOptions(['--invoke'], spec)).toThrow('--invoke needs a value');
    expect(() => parseOptions(['--invoke', 'a', '--invoke', 'b'], spec)).toThrow('--invoke given twice');
    expect(() => parseOptions(['--lazy=yes'], spec)).toThrow('--lazy takes no value');
  });

  it('restricts choices', () => {
    const parsed = parseOptions(['--invoke', 'x'], spec);
    expect(choice(parsed, 'invoke', ['x', 'y'], 'y')).toBe('x');
    expect(choice(parsed, 'lazy', ['x'], 'x')).toBe('x');
    expect(() => choice(parsed, 'invoke', ['y', 'z'], 'y')).toThrow("--invoke must be one of y, z (got 'x')");
  });
});
