// Errors: every malformed input is a WatSyntaxError carrying the position of the offending
// token, never another exception, and never a hang.
import { describe, expect, it } from 'vitest';
import { WatSyntaxError, parseWast, parseWat } from '../src/index.ts';

function error(run: () => unknown): WatSyntaxError {
  try {
    run();
  } catch (e) {
    if (e instanceof WatSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a WatSyntaxError');
}

describe('positions', () => {
  it('points at the offending token (1-based line and column)', () => {
    const e = error(() => parseWat('(module\n  (func\n    (i32.const 0x1_0000_0000)))', { filename: 'm.wat' }));
    expect(e.reason).toBe('constant out of range');
    expect([e.line, e.column]).toEqual([3, 16]);
    expect(e.message).toBe('m.wat:3:16: constant out of range');
  });

  it('reports unknown operators, unexpected tokens and the end of input', () => {
    expect(error(() => parseWat('(module (func i32.bogus))')).reason).toBe('unknown operator i32.bogus');
    const unexpected = error(() => parseWat('(module (func (result i32) 7))'));
    expect([unexpected.reason, unexpected.column]).toEqual(['unexpected token', 28]);
    expect(error(() => parseWat('(module (func')).reason).toBe('unexpected end of input');
    expect(error(() => parseWat('(module) (module)')).reason).toBe('unexpected token');
    expect(error(() => parseWat('(module (frob))')).reason).toBe('unexpected token');
  });

  it('reports script errors at their line', () => {
    const e = error(() => parseWast('(module)\n\n(assert_bogus)'));
    expect([e.reason, e.line]).toEqual(['unknown command assert_bogus', 3]);
  });
});

describe('robustness', () => {
  const corpus = [
    '(module (type $t (func (param i32) (result i32))) (func $f (export "f") (type $t) (local i64) (block $b (br_if $b (local.get 0))) (i32.add (local.get 0) (i32.const 1))))',
    '(module (memory 1) (data (i32.const 0) "abc\\00") (func (drop (v128.load offset=3 align=1 (i32.const 0)))))',
    '(module (rec (type $s (sub (struct (field $x (mut i32)))))) (func (param (ref null $s)) (struct.set $s $x (local.get 0) (i32.const 1))))',
    '(module (tag $e) (func (try_table (catch_all 0) (throw $e)) (try (do) (catch $e) (catch_all))))',
  ];

  it('throws only WatSyntaxError for every truncation of valid modules', () => {
    for (const source of corpus) {
      expect(parseWat(source)).toBeInstanceOf(Uint8Array);
      for (let cut = 0; cut < source.length; cut++) {
        try {
          parseWat(source.slice(0, cut));
        } catch (e) {
          expect(e, source.slice(0, cut)).toBeInstanceOf(WatSyntaxError);
        }
      }
    }
  });

  it('throws only WatSyntaxError for random single-character mutations', () => {
    const alphabet = '()$"\\;@ 0123456789abcdefxp._-+=ü\u0000\n';
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 4000; i++) {
      const source = corpus[i % corpus.length]!;
      const at = random(source.length);
      const mutated = source.slice(0, at) + alphabet[random(alphabet.length)] + source.slice(at + random(2));
      try {
        parseWat(mutated);
      } catch (e) {
        expect(e, mutated).toBeInstanceOf(WatSyntaxError);
      }
    }
  });

  it('does not allocate for hostile lengths or exponents', () => {
    expect(error(() => parseWat('(module (memory 0x1_0000_0000_0000_0000_0000))')).reason).toBe('constant out of range');
    expect(error(() => parseWat(`(module (func (drop (f64.const 1e${'9'.repeat(5000)}))))`)).reason).toBe('constant out of range');
    expect(parseWat(`(module (func (drop (f64.const 0.${'0'.repeat(5000)}1))))`)).toBeInstanceOf(Uint8Array);
    const started = Date.now();
    expect(error(() => parseWat(`(module (func (drop (i64.const ${'9'.repeat(1_000_000)}))))`)).reason).toBe('constant out of range');
    expect(error(() => parseWat(`(module (func (drop (f32.const nan:0x${'f'.repeat(1_000_000)}))))`)).reason).toBe('constant out of range');
    expect(parseWat(`(module (func (drop (f64.const ${'1'.repeat(1_000_000)}e-1000000))))`)).toBeInstanceOf(Uint8Array);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('nesting', () => {
  it('bounds the nesting of blocks and folded instructions instead of exhausting the stack', () => {
    const ok = 500;
    expect(parseWat(`(module (func ${'(block '.repeat(ok)}${')'.repeat(ok)}))`)).toBeInstanceOf(Uint8Array);
    expect(parseWat(`(module (func ${'block '.repeat(ok)}${'end '.repeat(ok)}))`)).toBeInstanceOf(Uint8Array);
    const deep = 100_000;
    for (const source of [
      `(module (func ${'(block '.repeat(deep)}${')'.repeat(deep)}))`,
      `(module (func ${'block '.repeat(deep)}${'end '.repeat(deep)}))`,
      `(module (func ${'(i32.eqz '.repeat(deep)}(i32.const 0)${')'.repeat(deep)} drop))`,
    ]) {
      expect(error(() => parseWat(source)).reason).toBe('nesting deeper than 1000 levels');
    }
    expect(error(() => parseWast(`(assert_return (invoke "f") ${'(either '.repeat(deep)}${')'.repeat(deep)})`)).reason).toBe('nesting deeper than 100 levels');
    expect(error(() => parseWast(`${'(thread $t '.repeat(deep)}${')'.repeat(deep)}`)).reason).toBe('threads nested deeper than 100 levels');
  });
});
