// The IR's text form round-trips, and the verifier rejects what is not valid IR.
import { describe, expect, it } from 'vitest';
import { parseFunction, IrParseError } from '../src/ir/parser.ts';
import { printFunction } from '../src/ir/printer.ts';
import { verifyFunction } from '../src/ir/verifier.ts';
import { TEST_CONVENTION } from './helpers.ts';

const LOOP = `function (i32, f64) -> (i32) {
block0(v0:i32, v1:f64):
  v2:i32 = iconst -3
  v3:i64 = iconst 9223372036854775807
  v4:f64 = fconst 0x3ff0000000000000
  v5:i64 = memory_base
  v6:i64 = memory_length mem=1
  jump block1(v0)
block1(v7:i32):
  bounds_check v7, v6 offset=16 size=4 mem=1
  v8:i32 = load i32.load8_u v5, v7 offset=16 mem=1
  store store16 v5, v7, v8 offset=4294967295
  v9:i32 = icmp slt v7, v2
  v10:f64 = fadd v1, v4
  v11:i32 = convert i32.trunc_f64_s v10
  v12:i32 = call_builtin memory_grow v9 a=1 trap=out_of_bounds_memory_access
  v13:i32, v14:i64 = call_indirect v11, v12 type=2 table=1
  brif v13, block1(v14), block2
block2:
  br_table v0, block3, block3, block4
block3:
  return v7
block4:
  trap unreachable
}
`;

describe('IR text', () => {
  it('prints what it parses, names included', () => {
    const text = LOOP.replace('jump block1(v0)', 'jump block1(v0)').replace('brif v13, block1(v14), block2', 'brif v13, block5(v14), block2').replace('block4:\n  trap unreachable\n}', 'block4:\n  trap unreachable\nblock5(v15:i64):\n  jump block1(v0)\n}');
    const fn = parseFunction(text, TEST_CONVENTION);
    expect(printFunction(fn)).toBe(text);
  });

  it('reports syntax errors with their line', () => {
    expect(() => parseFunction('function () -> () {\nblock0:\n  v0:i32 = frobnicate\n}')).toThrow(new IrParseError(3, "unknown operation 'frobnicate'"));
    expect(() => parseFunction('function () -> () {\nblock0:\n  return v9\n}')).toThrow(/v9 is not defined/);
  });
});

function errorsOf(text: string): string[] {
  return verifyFunction(parseFunction(text, TEST_CONVENTION));
}

describe('IR verifier', () => {
  it('accepts valid IR', () => {
    const text = `function (i32) -> (i32) {
block0(v0:i32):
  brif v0, block1, block2
block1:
  jump block2
block2:
  return v0
}
`;
    expect(errorsOf(text)).toEqual([]);
  });

  it('rejects a use its definition does not dominate', () => {
    const errors = errorsOf(`function (i32) -> (i32) {
block0(v0:i32):
  brif v0, block1, block2
block1:
  v1:i32 = iconst 1
  jump block2
block2:
  return v1
}`);
    expect(errors.join('\n')).toMatch(/v1 does not dominate this use/);
  });

  it('rejects wrong kinds, argument counts and missing terminators', () => {
    expect(errorsOf('function (i32, i64) -> (i32) {\nblock0(v0:i32, v1:i64):\n  v2:i32 = iadd v0, v1\n  return v2\n}').join()).toMatch(/one integer kind/);
    expect(errorsOf('function (i32) -> (i32) {\nblock0(v0:i32):\n  jump block1(v0, v0)\nblock1(v1:i32):\n  return v1\n}').join()).toMatch(/passes 2 arguments/);
    expect(errorsOf('function (i32) -> (i32) {\nblock0(v0:i32):\n  v1:i32 = iadd v0, v0\n}').join()).toMatch(/does not end with a terminator/);
    expect(errorsOf('function (i32) -> (f32) {\nblock0(v0:i32):\n  return v0\n}').join()).toMatch(/wrong kind/);
  });
});
