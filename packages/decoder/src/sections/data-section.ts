// The data section, in its three encodings: active on memory 0, passive, active with an
// explicit memory index. Segment bytes stay views of the section.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#data-section
import type { CodeSpan, DataSegment, ValType } from '../types.ts';
import type { Reader } from '../reader.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { isPlainConstant, readCount } from './context.ts';

const ACTIVE = 0;
const PASSIVE = 1;
const ACTIVE_WITH_MEMORY = 2;

/**
 * A data segment whose views are made when first read. Large modules have hundreds of thousands
 * of segments (esbuild: ~100k), and two views plus a span per segment, made up front, were most
 * of their decoding time (in the garbage collector). The section's bytes stay referenced anyway.
 */
class DecodedDataSegment implements DataSegment {
  private exprView: CodeSpan | null = null;
  private bytesView: Uint8Array | null = null;

  constructor(
    readonly mode: 'active' | 'passive',
    readonly memory: number,
    readonly offset: number,
    /** The section's bytes and their module offset; the spans below index into them. */
    private readonly section: Uint8Array,
    private readonly base: number,
    /** The offset expression's span in `section` (exprEnd = exprStart for a passive segment). */
    private readonly exprStart: number,
    private readonly exprEnd: number,
    private readonly dataStart: number,
    private readonly dataEnd: number,
  ) {}

  get offsetExpr(): CodeSpan | null {
    if (this.mode === 'passive') return null;
    if (this.exprView === null) this.exprView = { bytes: this.section.subarray(this.exprStart, this.exprEnd), offset: this.base + this.exprStart };
    return this.exprView;
  }

  /** Whether the offset expression is a plain constant of `type` (see `isPlainConstant`), checked in place. */
  hasPlainOffset(type: ValType): boolean {
    return this.mode === 'active' && isPlainConstant(this.section, this.exprStart, this.exprEnd, type);
  }

  get bytes(): Uint8Array {
    if (this.bytesView === null) this.bytesView = this.section.subarray(this.dataStart, this.dataEnd);
    return this.bytesView;
  }
}

/**
 * Whether `segment`'s offset expression is `i32.const n end` / `i64.const n end` of `type` (see
 * `isPlainConstant`), without making its view when the decoder made the segment.
 */
export function hasPlainOffset(segment: DataSegment, type: ValType): boolean {
  if (segment instanceof DecodedDataSegment) return segment.hasPlainOffset(type);
  const expr = segment.offsetExpr;
  return expr !== null && isPlainConstant(expr.bytes, 0, expr.bytes.length, type);
}

export function decodeDataSection(r: Reader, ctx: DecodeContext): void {
  const m = ctx.module;
  const countAt = r.offset;
  const count = readCount(r, 'data segments', L.maxDataSegments);
  if (m.dataCount !== null && m.dataCount !== count) {
    r.fail('data count and data section have inconsistent lengths', `data count ${m.dataCount}, data section ${count}`, countAt);
  }
  for (let i = 0; i < count; i++) {
    r.at('data segment', i);
    const offset = r.offset;
    const flags = r.u32();
    let memory = 0;
    if (flags === ACTIVE_WITH_MEMORY) memory = r.u32();
    else if (flags !== ACTIVE && flags !== PASSIVE) r.fail('malformed data segment kind', `flags 0x${flags.toString(16)}`, offset);
    const exprStart = r.pos;
    if (flags !== PASSIVE) ctx.skipConstExpr(r);
    const exprEnd = r.pos;
    const length = r.u32();
    if (length > r.end - r.pos) r.fail(r.endReason, `data segment of ${length} bytes, ${r.end - r.pos} remain`);
    const dataStart = r.pos;
    r.pos += length;
    m.datas.push(new DecodedDataSegment(flags === PASSIVE ? 'passive' : 'active', memory, offset, r.bytes, r.base, exprStart, exprEnd, dataStart, r.pos));
  }
}
