// Element and data segments: the explicit `(elem …)` and `(data …)` fields in every form, and
// the item lists and strings that inline table and memory abbreviations also use.
// Spec: https://webassembly.github.io/spec/core/text/modules.html#element-segments
//       https://webassembly.github.io/spec/core/text/modules.html#data-segments
import { FUNCREF, HeapType, refType } from '@flint/decoder';
import { ByteWriter } from '../encode/buffer.ts';
import type { ModuleSections } from '../encode/sections.ts';
import { Tok } from '../lexer.ts';
import { IndexSpace } from './context.ts';
import type { ModuleContext } from './context.ts';
import type { Cursor } from './cursor.ts';
import type { InstructionEncoder } from './instructions.ts';
import { atRefType, parseRefType, writeValType } from './types.ts';

/** `(ref func)`: the element type that encodings 0–3 denote (Wasm 3.0 binary/modules.html#element-section). */
const REF_FUNC = refType(false, HeapType.Func);
const OP_REF_FUNC = 0xd2;
const OP_END = 0x0b;

/**
 * Writes one element segment in its canonical encoding, chosen by content as the reference
 * interpreter does, so that equal segments always get equal bytes however the text spelled them:
 * the function index form (0–3) when the type is `(ref func)` and every item is `ref.func x`, else
 * the expression form (4–7); and the implicit table 0 (0 / 4) when the segment is active on table 0
 * and its type is the one that implicit form denotes (`(ref func)` / `funcref`). The binary format
 * accepts every one of these forms for the same segment; which one is used carries no meaning.
 * Spec: https://webassembly.github.io/spec/core/binary/modules.html#element-section
 */
export function writeElemSegment(
  w: ByteWriter,
  mode: 'active' | 'passive' | 'declare',
  table: number,
  offset: ByteWriter | null,
  type: number,
  exprs: boolean,
  count: number,
  items: ByteWriter,
): void {
  let indexForm = !exprs;
  let payload = items;
  if (exprs && type === REF_FUNC) {
    const indices = functionIndicesOf(items, count);
    if (indices !== null) {
      indexForm = true;
      payload = indices;
    }
  }
  if (indexForm) {
    if (mode === 'active') {
      if (table === 0) {
        w.byte(0);
        w.append(offset!);
      } else {
        w.byte(2);
        w.u32(table);
        w.append(offset!);
        w.byte(0); // elemkind: (ref func)
      }
    } else {
      w.byte(mode === 'passive' ? 1 : 3);
      w.byte(0);
    }
  } else if (mode === 'active') {
    if (table === 0 && type === FUNCREF) {
      w.byte(4);
      w.append(offset!);
    } else {
      w.byte(6);
      w.u32(table);
      w.append(offset!);
      writeValType(w, type);
    }
  } else {
    w.byte(mode === 'passive' ? 5 : 7);
    writeValType(w, type);
  }
  w.u32(count);
  w.append(payload);
}

/** The LEB-encoded function indices of `count` item expressions that are each exactly `ref.func x end`, or null. */
function functionIndicesOf(items: ByteWriter, count: number): ByteWriter | null {
  const bytes = items.bytes;
  const end = items.length;
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (at >= end || bytes[at] !== OP_REF_FUNC) return null;
    at++;
    while (at < end && (bytes[at]! & 0x80) !== 0) at++;
    at++;
    if (at >= end || bytes[at] !== OP_END) return null;
    at++;
  }
  if (at !== end) return null;
  const out = new ByteWriter(end);
  at = 0;
  for (let k = 0; k < count; k++) {
    at++;
    while ((bytes[at]! & 0x80) !== 0) out.byte(bytes[at++]!);
    out.byte(bytes[at++]!);
    at++;
  }
  return out;
}

export class SegmentEncoder {
  private readonly expr = new ByteWriter(64);

  constructor(
    private readonly cur: Cursor,
    private readonly ctx: ModuleContext,
    private readonly instructions: InstructionEncoder,
    private readonly sections: ModuleSections,
  ) {}

  /** An offset: `(offset instr*)` or one folded instruction. */
  offsetExpr(w: ByteWriter): void {
    const cur: Cursor = this.cur;
    this.instructions.begin(null);
    if (cur.eatOpen('offset')) {
      this.instructions.expression(w);
      cur.expectClose();
    } else {
      this.instructions.foldedExpression(w);
    }
  }

  dataStrings(): Uint8Array {
    const cur: Cursor = this.cur;
    const parts: Uint8Array[] = [];
    let length = 0;
    while (cur.kind() === Tok.String) {
      const b = cur.bytes();
      parts.push(b);
      length += b.length;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(length);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /**
   * Element items: `func x*`, a bare `x*`, or `reftype? elemexpr*` where an elemexpr is
   * `(item instr*)` or one folded instruction. Writes them (without the count) as function
   * indices or as expressions.
   */
  elemItems(w: ByteWriter, tableType: number | null): { count: number; exprs: boolean; type: number } {
    const cur: Cursor = this.cur;
    const funcs = this.ctx.funcs;
    let count = 0;
    let type = tableType;
    if (type === null) {
      if (cur.eatKeyword('func') || !atRefType(cur)) {
        while (IndexSpace.atIndex(cur)) {
          w.u32(funcs.resolve(cur));
          count++;
        }
        return { count, exprs: false, type: FUNCREF };
      }
      type = parseRefType(cur, this.ctx);
    }
    if (IndexSpace.atIndex(cur)) {
      // `(table reftype (elem $f $g))`: `(ref.func x)` items of the table's reference type
      // (text/modules.html#tables); only a `(ref func)` table has the function index form.
      const exprs = type !== REF_FUNC;
      while (IndexSpace.atIndex(cur)) {
        const f = funcs.resolve(cur);
        if (exprs) {
          w.byte(0xd2);
          w.u32(f);
          w.byte(0x0b);
        } else {
          w.u32(f);
        }
        count++;
      }
      return { count, exprs, type };
    }
    this.instructions.begin(null);
    while (cur.kind() === Tok.LParen) {
      if (cur.eatOpen('item')) {
        this.instructions.expression(w);
        cur.expectClose();
      } else {
        this.instructions.foldedExpression(w);
      }
      count++;
    }
    return { count, exprs: true, type };
  }

  elemField(): void {
    const cur: Cursor = this.cur;
    const s = this.sections;
    cur.pos += 2;
    cur.maybeId();
    let mode: 'active' | 'passive' | 'declare' = 'passive';
    let table = 0;
    if (cur.eatKeyword('declare')) {
      mode = 'declare';
    } else {
      if (cur.eatOpen('table')) {
        table = this.ctx.tables.resolve(cur);
        cur.expectClose();
        mode = 'active';
      } else if (IndexSpace.atIndex(cur)) {
        table = this.ctx.tables.resolve(cur);
        mode = 'active';
      }
      if (mode === 'active' || (cur.kind() === Tok.LParen && !cur.isOpen('ref'))) mode = 'active';
    }
    const offset = this.expr;
    offset.reset();
    if (mode === 'active') this.offsetExpr(offset);
    const items = new ByteWriter();
    const { count, exprs, type } = this.elemItems(items, null);
    cur.expectClose();
    writeElemSegment(s.elems, mode, table, mode === 'active' ? offset : null, type, exprs, count, items);
    s.elemCount++;
  }

  dataField(): void {
    const cur: Cursor = this.cur;
    const s = this.sections;
    cur.pos += 2;
    cur.maybeId();
    let memory = 0;
    let active = false;
    if (cur.eatOpen('memory')) {
      memory = this.ctx.memories.resolve(cur);
      cur.expectClose();
      active = true;
    } else if (IndexSpace.atIndex(cur)) {
      memory = this.ctx.memories.resolve(cur);
      active = true;
    }
    if (cur.kind() === Tok.LParen) active = true;
    const w = s.datas;
    if (active) {
      if (memory === 0) w.byte(0);
      else {
        w.byte(2);
        w.u32(memory);
      }
      this.offsetExpr(w);
    } else {
      w.byte(1);
    }
    w.vecBytes(this.dataStrings());
    cur.expectClose();
    s.dataCount++;
  }
}
