// Literal immediates of instructions: integers, floats, `v128.const` lanes, lane indices and
// memargs, each consumed from the cursor with errors raised at the literal's token.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html#memory-instructions
//       https://webassembly.github.io/spec/core/text/instructions.html#vector-instructions
import type { OperatorInfo } from '@flint/decoder';
import type { ByteWriter } from '../encode/buffer.ts';
import { Tok } from '../lexer.ts';
import { LiteralError, F32_FORMAT, F64_FORMAT, parseFloatBits, parseI32, parseInteger, parseUnsigned } from '../numbers.ts';
import type { Cursor } from './cursor.ts';

/** Lane shapes of `v128.const`: lane count, lane bytes, and whether lanes are floats. */
const V128_SHAPES: ReadonlyMap<string, { lanes: number; bytes: number; float: boolean }> = new Map([
  ['i8x16', { lanes: 16, bytes: 1, float: false }],
  ['i16x8', { lanes: 8, bytes: 2, float: false }],
  ['i32x4', { lanes: 4, bytes: 4, float: false }],
  ['i64x2', { lanes: 2, bytes: 8, float: false }],
  ['f32x4', { lanes: 4, bytes: 4, float: true }],
  ['f64x2', { lanes: 2, bytes: 8, float: true }],
]);

/** A memarg: `offset=`? `align=`? (the memory index is parsed by the caller). */
export function writeMemArg(cur: Cursor, w: ByteWriter, op: OperatorInfo, memory: number): void {
  let offset = 0n;
  let alignLog2 = Math.max(0, Math.log2(op.memSize || 1));
  if (cur.kind() === Tok.Keyword && cur.text().startsWith('offset=')) {
    const text = cur.text().slice(7);
    offset = cur.literal(() => parseUnsigned(text, 64));
  }
  if (cur.kind() === Tok.Keyword && cur.text().startsWith('align=')) {
    const text = cur.text().slice(6);
    const at = cur.pos;
    const align = cur.literal(() => parseUnsigned(text, 64));
    if (align === 0n || (align & (align - 1n)) !== 0n) cur.error('alignment must be a power of two', at);
    alignLog2 = align.toString(2).length - 1;
  }
  if (memory !== 0) {
    w.u32(alignLog2 | 0x40);
    w.u32(memory);
  } else {
    w.u32(alignLog2);
  }
  w.u64(offset);
}

/** A lane index: an unsigned 8-bit literal without a sign. */
export function laneIndex(cur: Cursor): number {
  if (cur.kind() !== Tok.Number) cur.unexpected();
  const text = cur.text();
  const c = text.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) cur.unexpected();
  const value = cur.literal(() => parseUnsigned(text, 32));
  if (value > 255n) cur.error('i8 constant out of range', cur.pos - 1);
  return Number(value);
}

/** An i32 literal as a signed 32-bit number (no closure: the most frequent literal). */
export function i32Literal(cur: Cursor): number {
  if (cur.kind() !== Tok.Number) cur.unexpected();
  try {
    const v = parseI32(cur.text());
    cur.pos++;
    return v;
  } catch (e) {
    if (e instanceof LiteralError) cur.error(e.reason);
    throw e;
  }
}

/** An integer literal's two's-complement bit pattern. */
export function integerLiteral(cur: Cursor, bits: number): bigint {
  if (cur.kind() !== Tok.Number) cur.unexpected();
  const text = cur.text();
  return cur.literal(() => parseInteger(text, bits));
}

/** A float literal's IEEE bits. */
export function floatLiteral(cur: Cursor, bits: 32 | 64): bigint {
  const k = cur.kind();
  if (k !== Tok.Number && k !== Tok.Keyword) cur.unexpected();
  const text = cur.text();
  if (k === Tok.Keyword && !(text === 'inf' || text === 'nan' || text.startsWith('nan:0x'))) cur.unexpected();
  return cur.literal(() => parseFloatBits(text, bits === 32 ? F32_FORMAT : F64_FORMAT));
}

/** `v128.const`'s shape and lanes. */
export function writeV128Literal(cur: Cursor, w: ByteWriter): void {
  if (cur.kind() !== Tok.Keyword) cur.unexpected();
  const shape = V128_SHAPES.get(cur.text());
  if (shape === undefined) cur.unexpected();
  cur.pos++;
  for (let i = 0; i < shape.lanes; i++) {
    const k = cur.kind();
    if (k !== Tok.Number && k !== Tok.Keyword) cur.error('wrong number of lane literals');
    if (shape.float) w.fixed(floatLiteral(cur, shape.bytes === 4 ? 32 : 64), shape.bytes);
    else w.fixed(integerLiteral(cur, shape.bytes * 8), shape.bytes);
  }
  if (cur.kind() === Tok.Number) cur.error('wrong number of lane literals');
}
