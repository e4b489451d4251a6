// Constants and expected-result patterns of the script format: `(i32.const 1)`,
// `(f32.const nan:canonical)`, `(v128.const f32x4 1 nan:arithmetic 2 3)`, `(ref.null func)`,
// `(ref.extern 1)`, `(either …)`.
// Spec: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import { ByteWriter } from '../encode/buffer.ts';
import { Tok } from '../lexer.ts';
import { F32_FORMAT, F64_FORMAT, parseFloatBits, parseI32, parseInteger } from '../numbers.ts';
import type { Cursor } from '../wat/cursor.ts';
import type { FloatPattern, V128Shape, WastConst, WastExpected, WastRefKind } from './types.ts';

const SHAPES: ReadonlyMap<string, { lanes: number; bits: number; float: boolean }> = new Map([
  ['i8x16', { lanes: 16, bits: 8, float: false }],
  ['i16x8', { lanes: 8, bits: 16, float: false }],
  ['i32x4', { lanes: 4, bits: 32, float: false }],
  ['i64x2', { lanes: 2, bits: 64, float: false }],
  ['f32x4', { lanes: 4, bits: 32, float: true }],
  ['f64x2', { lanes: 2, bits: 64, float: true }],
]);

const REF_KINDS: ReadonlySet<string> = new Set(['ref.null', 'ref.extern', 'ref.host', 'ref.func', 'ref.any', 'ref.eq', 'ref.i31', 'ref.struct', 'ref.array', 'ref.exn']);

function isNanPattern(cur: Cursor): boolean {
  return cur.isKeyword('nan:canonical') || cur.isKeyword('nan:arithmetic');
}

function floatBits(cur: Cursor, bits: number): bigint {
  const k = cur.kind();
  if (k !== Tok.Number && k !== Tok.Keyword) cur.unexpected();
  const text = cur.text();
  return cur.literal(() => parseFloatBits(text, bits === 32 ? F32_FORMAT : F64_FORMAT));
}

function intBits(cur: Cursor, bits: number): bigint {
  if (cur.kind() !== Tok.Number) cur.unexpected();
  const text = cur.text();
  return cur.literal(() => parseInteger(text, bits));
}

/** Parses one `(…)` constant or, when `expected`, a result pattern; consumes it. */
export function parseWastValue(cur: Cursor, expected: boolean, depth = 0): WastExpected {
  // `either` nests; bound it so hostile scripts cannot exhaust the stack.
  if (depth > 100) cur.error('nesting deeper than 100 levels');
  cur.expectOpen();
  if (cur.kind() !== Tok.Keyword) cur.unexpected();
  const head = cur.text();
  cur.pos++;
  let value: WastExpected;
  switch (head) {
    case 'i32.const': {
      if (cur.kind() !== Tok.Number) cur.unexpected();
      const text = cur.text();
      value = { type: 'i32', value: cur.literal(() => parseI32(text)) };
      break;
    }
    case 'i64.const':
      value = { type: 'i64', value: BigInt.asIntN(64, intBits(cur, 64)) };
      break;
    case 'f32.const':
    case 'f64.const': {
      const type = head === 'f32.const' ? 'f32' : 'f64';
      if (expected && isNanPattern(cur)) {
        value = { type, nan: cur.text() as 'nan:canonical' | 'nan:arithmetic' };
        cur.pos++;
      } else if (type === 'f32') {
        value = { type, bits: Number(floatBits(cur, 32)) };
      } else {
        value = { type, bits: floatBits(cur, 64) };
      }
      break;
    }
    case 'v128.const':
      value = parseV128(cur, expected);
      break;
    case 'either': {
      if (!expected) cur.error('unexpected token', cur.pos - 1);
      const options: WastExpected[] = [];
      while (cur.kind() === Tok.LParen) options.push(parseWastValue(cur, true, depth + 1));
      value = { type: 'either', options };
      break;
    }
    default: {
      if (!REF_KINDS.has(head)) cur.error(`unknown operator ${head}`, cur.pos - 1);
      let ref: { type: WastRefKind; value?: number; heap?: string } = { type: head as WastRefKind };
      if (cur.kind() === Tok.Number) ref = { ...ref, value: cur.u32() };
      else if (cur.kind() === Tok.Keyword || cur.kind() === Tok.Id) ref = { ...ref, heap: cur.text() };
      if (ref.heap !== undefined) cur.pos++;
      value = ref;
    }
  }
  cur.expectClose();
  return value;
}

function parseV128(cur: Cursor, expected: boolean): WastExpected {
  if (cur.kind() !== Tok.Keyword) cur.unexpected();
  const shapeName = cur.text() as V128Shape;
  const shape = SHAPES.get(shapeName);
  if (shape === undefined) return cur.unexpected();
  cur.pos++;
  const lanes: (bigint | FloatPattern)[] = [];
  let hasNan = false;
  for (let i = 0; i < shape.lanes; i++) {
    if (cur.atClose()) cur.error('wrong number of lane literals');
    if (shape.float) {
      const type = shape.bits === 32 ? 'f32' : 'f64';
      if (expected && isNanPattern(cur)) {
        lanes.push({ type, nan: cur.text() as 'nan:canonical' | 'nan:arithmetic' });
        cur.pos++;
        hasNan = true;
      } else {
        lanes.push(floatBits(cur, shape.bits));
      }
    } else {
      lanes.push(intBits(cur, shape.bits));
    }
  }
  if (!cur.atClose()) cur.error('wrong number of lane literals');
  if (hasNan) {
    const patterns = lanes.map((l): bigint | FloatPattern =>
      typeof l === 'bigint' && shape.float ? (shape.bits === 32 ? { type: 'f32', bits: Number(l) } : { type: 'f64', bits: l }) : l,
    );
    return { type: 'v128', shape: shapeName, lanes: patterns };
  }
  const w = new ByteWriter(16);
  for (const lane of lanes) w.fixed(lane as bigint, shape.bits / 8);
  return { type: 'v128', shape: shapeName, bytes: w.bytes };
}

/** Parses an argument constant (no patterns). */
export function parseWastConst(cur: Cursor): WastConst {
  return parseWastValue(cur, false) as WastConst;
}
