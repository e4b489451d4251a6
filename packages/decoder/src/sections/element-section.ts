// The element section, in all eight encodings. The flags' bits say: bit 0 passive or
// declarative (else active), bit 1 an explicit table index (active) or declarative (else
// passive), bit 2 elements given as expressions rather than function indices.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#element-section
import type { CodeSpan, ElementSegment, SegmentMode, ValType } from '../types.ts';
import { FUNCREF, HeapType, refType } from '../types.ts';
import type { Reader } from '../reader.ts';
import { readRefType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { isPlainConstant, readCount } from './context.ts';

const PASSIVE_OR_DECLARATIVE = 0x01;
const EXPLICIT_TABLE_OR_DECLARATIVE = 0x02;
const USES_EXPRESSIONS = 0x04;
const ELEM_KIND_FUNCREF = 0x00;
/** The type of segments given as function indices. */
const FUNC_INDICES_TYPE: ValType = refType(false, HeapType.Func);

/** The function indices of every segment that has none (shared: segments are read-only). */
const NO_INDICES: readonly number[] = Object.freeze([]);

/**
 * An element segment whose offset expression's view is made when first read. The JS API lets a
 * module have 10^7 segments; a span and a view per segment, made up front, were most of the
 * decoding time (in the garbage collector) and ~300 bytes of heap each. The section's bytes stay
 * referenced anyway.
 */
class DecodedElementSegment implements ElementSegment {
  private exprView: CodeSpan | null = null;

  constructor(
    readonly mode: SegmentMode,
    readonly table: number,
    readonly type: ValType,
    readonly functionIndices: readonly number[] | null,
    readonly exprs: readonly CodeSpan[] | null,
    readonly offset: number,
    /** The section's bytes and their module offset; the offset expression is `section[exprStart, exprEnd)`. */
    private readonly section: Uint8Array,
    private readonly base: number,
    private readonly exprStart: number,
    private readonly exprEnd: number,
  ) {}

  get offsetExpr(): CodeSpan | null {
    if (this.mode !== 'active') return null;
    if (this.exprView === null) this.exprView = { bytes: this.section.subarray(this.exprStart, this.exprEnd), offset: this.base + this.exprStart };
    return this.exprView;
  }

  /** Whether the offset expression is a plain constant of `type` (see `isPlainConstant`), checked in place. */
  hasPlainOffset(type: ValType): boolean {
    return this.mode === 'active' && isPlainConstant(this.section, this.exprStart, this.exprEnd, type);
  }
}

/**
 * Whether an active element segment's offset expression is `i32.const n end` / `i64.const n end`
 * of `type`, without making its view when the decoder made the segment.
 */
export function hasPlainElementOffset(segment: ElementSegment, type: ValType): boolean {
  if (segment instanceof DecodedElementSegment) return segment.hasPlainOffset(type);
  const expr = segment.offsetExpr;
  return expr !== null && isPlainConstant(expr.bytes, 0, expr.bytes.length, type);
}

export function decodeElementSection(r: Reader, ctx: DecodeContext): void {
  const elements = ctx.module.elements;
  const count = readCount(r, 'element segments', L.maxElementSegments);
  for (let i = 0; i < count; i++) {
    r.at('element segment', i);
    const offset = r.offset;
    const flags = r.u32();
    if (flags > 7) r.fail('malformed elements segment kind', `flags 0x${flags.toString(16)}`, offset);
    let mode: SegmentMode = 'active';
    if (flags & PASSIVE_OR_DECLARATIVE) mode = flags & EXPLICIT_TABLE_OR_DECLARATIVE ? 'declarative' : 'passive';
    let table = 0;
    let exprStart = r.pos;
    if (mode === 'active') {
      if (flags & EXPLICIT_TABLE_OR_DECLARATIVE) table = r.u32();
      exprStart = r.pos;
      ctx.skipConstExpr(r);
    }
    const exprEnd = mode === 'active' ? r.pos : exprStart;
    // Encoding 4 implies funcref and 5–7 state a reference type. Function indices (0–3, with
    // the element kind 0x00 spelled out in 1–3) always name functions: `(ref func)` in Wasm 3.0.
    let type: ValType = flags & USES_EXPRESSIONS ? FUNCREF : FUNC_INDICES_TYPE;
    if (flags !== 0 && flags !== 4) {
      if (flags & USES_EXPRESSIONS) type = readRefType(r);
      else {
        const at = r.offset;
        const kind = r.u8();
        if (kind !== ELEM_KIND_FUNCREF) r.fail('malformed element kind', `0x${kind.toString(16)}`, at);
      }
    }
    const size = readCount(r, 'elements in a segment', L.maxElementSegmentSize);
    let functionIndices: readonly number[] | null = null;
    let exprs: CodeSpan[] | null = null;
    if (flags & USES_EXPRESSIONS) {
      exprs = [];
      for (let j = 0; j < size; j++) exprs.push(ctx.readConstExpr(r));
    } else if (size === 0) {
      functionIndices = NO_INDICES;
    } else {
      const indices: number[] = [];
      for (let j = 0; j < size; j++) indices.push(r.u32());
      functionIndices = indices;
    }
    elements.push(new DecodedElementSegment(mode, table, type, functionIndices, exprs, offset, r.bytes, r.base, exprStart, exprEnd));
  }
}
