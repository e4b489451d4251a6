// The element section, in all eight encodings. The flags' bits say: bit 0 passive or
// declarative (else active), bit 1 an explicit table index (active) or declarative (else
// passive), bit 2 elements given as expressions rather than function indices.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#element-section
import type { CodeSpan, SegmentMode, ValType } from '../types.ts';
import { FUNCREF, HeapType, refType } from '../types.ts';
import type { Reader } from '../reader.ts';
import { readRefType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';

const PASSIVE_OR_DECLARATIVE = 0x01;
const EXPLICIT_TABLE_OR_DECLARATIVE = 0x02;
const USES_EXPRESSIONS = 0x04;
const ELEM_KIND_FUNCREF = 0x00;
/** The type of segments given as function indices. */
const FUNC_INDICES_TYPE: ValType = refType(false, HeapType.Func);

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
    let offsetExpr: CodeSpan | null = null;
    if (mode === 'active') {
      if (flags & EXPLICIT_TABLE_OR_DECLARATIVE) table = r.u32();
      offsetExpr = ctx.readConstExpr(r);
    }
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
    let functionIndices: number[] | null = null;
    let exprs: CodeSpan[] | null = null;
    if (flags & USES_EXPRESSIONS) {
      exprs = [];
      for (let j = 0; j < size; j++) exprs.push(ctx.readConstExpr(r));
    } else {
      functionIndices = [];
      for (let j = 0; j < size; j++) functionIndices.push(r.u32());
    }
    elements.push({ mode, table, offsetExpr, type, functionIndices, exprs, offset });
  }
}
