// Types in the text format: value, heap and reference types, storage and field types, the
// type definitions of `(type …)` and `(rec …)`, and type uses with their inline abbreviation.
// Spec: https://webassembly.github.io/spec/core/text/types.html
//       https://webassembly.github.io/spec/core/text/modules.html#type-uses
import { HEAP_TYPE_NAMES, NUMERIC_TYPE_NAMES, PACKED_TYPE_NAMES, REF_SHORTHAND_NAMES, heapFromTypeIndex, heapTypeOf, isConcreteHeap, isExact, isNullable, isRefType, refType, typeIndexOfHeap } from '@flint/decoder';
import { Tok } from '../lexer.ts';
import type { ByteWriter } from '../encode/buffer.ts';
import type { Cursor } from './cursor.ts';
import { IndexSpace } from './context.ts';
import type { FieldDef, ModuleContext, TypeDef } from './context.ts';

// custom-descriptors proposal: https://github.com/WebAssembly/custom-descriptors/blob/main/proposals/custom-descriptors/Overview.md#binary-format
const EXACT = 0x62;
const DESCRIBES = 0x4c;
const DESCRIPTOR = 0x4d;

/** Name → type, from the decoder's one table of type names. */
const invert = <T>(names: ReadonlyMap<T, string>): ReadonlyMap<string, T> => new Map([...names].map(([type, name]) => [name, type]));
const NUMERIC_TYPES = invert(NUMERIC_TYPE_NAMES);
const PACKED_TYPES = invert(PACKED_TYPE_NAMES);
const ABSTRACT_HEAP_TYPES = invert(HEAP_TYPE_NAMES);
/** `funcref` and friends: nullable references to an abstract heap type. */
const REF_SHORTHANDS: ReadonlyMap<string, number> = new Map([...REF_SHORTHAND_NAMES].map(([heap, name]) => [name, refType(true, heap)]));

export function parseHeapType(cur: Cursor, ctx: ModuleContext): number {
  if (cur.kind() === Tok.Keyword) {
    const h = ABSTRACT_HEAP_TYPES.get(cur.text());
    if (h === undefined) cur.unexpected();
    cur.pos++;
    return h;
  }
  return heapFromTypeIndex(ctx.types.resolve(cur));
}

/** Whether the cursor is at a reference type (shorthand keyword or `(ref …)`). */
export function atRefType(cur: Cursor): boolean {
  return cur.isOpen('ref') || (cur.kind() === Tok.Keyword && REF_SHORTHANDS.has(cur.text()));
}

export function parseRefType(cur: Cursor, ctx: ModuleContext): number {
  if (cur.kind() === Tok.Keyword) {
    const t = REF_SHORTHANDS.get(cur.text());
    if (t === undefined) cur.unexpected();
    cur.pos++;
    return t;
  }
  if (!cur.eatOpen('ref')) cur.unexpected();
  const nullable = cur.eatKeyword('null');
  // `(ref null? (exact $t))` of the custom-descriptors proposal.
  if (cur.eatOpen('exact')) {
    const heap = heapFromTypeIndex(ctx.types.resolve(cur));
    cur.expectClose();
    cur.expectClose();
    return refType(nullable, heap, true);
  }
  const heap = parseHeapType(cur, ctx);
  cur.expectClose();
  return refType(nullable, heap);
}

/** Whether the cursor is at a value type. */
export function atValType(cur: Cursor): boolean {
  if (cur.kind() === Tok.Keyword) {
    const text = cur.text();
    return NUMERIC_TYPES.has(text) || REF_SHORTHANDS.has(text);
  }
  return cur.isOpen('ref');
}

export function parseValType(cur: Cursor, ctx: ModuleContext): number {
  if (cur.kind() === Tok.Keyword) {
    const text = cur.text();
    const t = NUMERIC_TYPES.get(text) ?? REF_SHORTHANDS.get(text);
    if (t === undefined) cur.unexpected();
    cur.pos++;
    return t;
  }
  return parseRefType(cur, ctx);
}

function parseStorageType(cur: Cursor, ctx: ModuleContext): number {
  const packed = cur.kind() === Tok.Keyword ? PACKED_TYPES.get(cur.text()) : undefined;
  if (packed === undefined) return parseValType(cur, ctx);
  cur.pos++;
  return packed;
}

function parseFieldType(cur: Cursor, ctx: ModuleContext): FieldDef {
  if (cur.eatOpen('mut')) {
    const type = parseStorageType(cur, ctx);
    cur.expectClose();
    return { type, mutable: true };
  }
  return { type: parseStorageType(cur, ctx), mutable: false };
}

/** Encodes a value or storage type. */
export function writeValType(w: ByteWriter, t: number): void {
  if (!isRefType(t)) {
    w.byte(t);
    return;
  }
  const heap = heapTypeOf(t);
  const nullable = isNullable(t);
  if (isExact(t)) {
    w.byte(nullable ? 0x63 : 0x64);
    w.byte(EXACT);
  } else if (nullable && !isConcreteHeap(heap)) {
    w.byte(heap); // the shorthand byte is the heap type's own code
    return;
  } else {
    w.byte(nullable ? 0x63 : 0x64);
  }
  writeHeapType(w, heap);
}

export function writeHeapType(w: ByteWriter, heap: number): void {
  if (isConcreteHeap(heap)) w.s32(typeIndexOfHeap(heap));
  else w.byte(heap);
}

/**
 * The heap type of reference type `t` as an instruction immediate: `0x62 x` when it is exact
 * (custom-descriptors; a u32, so no abstract heap type can be exact), else the plain heap type.
 */
export function writeRefHeapType(w: ByteWriter, t: number): void {
  if (isExact(t)) {
    w.byte(EXACT);
    w.u32(typeIndexOfHeap(heapTypeOf(t)));
  } else {
    writeHeapType(w, heapTypeOf(t));
  }
}

/** A heap type immediate that may be exact: `(exact x)` or a heap type; returned as a nullable reference type. */
export function parseNullableHeapType(cur: Cursor, ctx: ModuleContext): number {
  if (cur.eatOpen('exact')) {
    const heap = heapFromTypeIndex(ctx.types.resolve(cur));
    cur.expectClose();
    return refType(true, heap, true);
  }
  return refType(true, parseHeapType(cur, ctx));
}

/** Parses `(param …)*` into `types`, and names into `names`; a named parameter is an error when `names` is null. */
export function parseParams(cur: Cursor, ctx: ModuleContext, types: number[], names: (string | null)[] | null): void {
  while (cur.isOpen('param')) {
    cur.pos += 2;
    if (cur.kind() === Tok.Id) {
      const at = cur.pos;
      const name = cur.idName(cur.pos++);
      if (names === null) cur.error('unexpected token', at);
      types.push(parseValType(cur, ctx));
      names.push(name);
      cur.expectClose();
      continue;
    }
    while (!cur.atClose()) {
      types.push(parseValType(cur, ctx));
      names?.push(null);
    }
    cur.pos++;
  }
}

export function parseResults(cur: Cursor, ctx: ModuleContext, types: number[]): void {
  while (cur.isOpen('result')) {
    cur.pos += 2;
    while (!cur.atClose()) types.push(parseValType(cur, ctx));
    cur.pos++;
  }
}

export interface TypeUse {
  typeIndex: number;
  /** Parameter names when given inline (null entries for unnamed ones); empty otherwise. */
  paramNames: (string | null)[];
  paramCount: number;
}

/**
 * A type use: `(type x)?` then inline `(param …)* (result …)*`. With only the inline form, the
 * index is that of the first matching singleton function type, or a new type appended at the end.
 * With both, they must agree.
 */
export function parseTypeUse(cur: Cursor, ctx: ModuleContext, allowNames: boolean): TypeUse {
  let explicit = -1;
  const at = cur.pos;
  if (cur.eatOpen('type')) {
    explicit = ctx.types.resolve(cur);
    cur.expectClose();
  }
  const params: number[] = [];
  const results: number[] = [];
  const names: (string | null)[] = [];
  const inlineAt = cur.pos;
  parseParams(cur, ctx, params, allowNames ? names : null);
  parseResults(cur, ctx, results);
  if (cur.isOpen('param') || cur.isOpen('type')) cur.unexpected();
  if (explicit >= 0) {
    const def = ctx.typeDefs[explicit];
    if (cur.pos !== inlineAt) {
      // An index past the type table is a validation error, unless inline types must be checked against it.
      if (def === undefined) cur.error(`unknown type ${explicit}`, at);
      if (def === undefined || def.kind !== 'func' || !sameTypes(def.params, params) || !sameTypes(def.results, results)) {
        cur.error('inline function type', at);
      }
    }
    const paramCount = def !== undefined && def.kind === 'func' ? def.params.length : 0;
    return { typeIndex: explicit, paramNames: names, paramCount };
  }
  return { typeIndex: ctx.funcTypeIndex(params, results), paramNames: names, paramCount: params.length };
}

function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Parses one `(type $id? …)` definition (cursor at `(type`), as member `recStart + k` of its group. */
export function parseTypeDefinition(cur: Cursor, ctx: ModuleContext, recStart: number, recSize: number, inRec: boolean): TypeDef {
  cur.pos += 2;
  cur.maybeId();
  let final = true;
  let supertype = -1;
  let sub = false;
  if (cur.eatOpen('sub')) {
    sub = true;
    final = cur.eatKeyword('final');
    if (IndexSpace.atIndex(cur)) supertype = ctx.types.resolve(cur);
  }
  // custom-descriptors: `(describes x)? (descriptor x)?`, in that order, before the composite type.
  let describes = -1;
  let descriptor = -1;
  if (cur.eatOpen('describes')) {
    describes = ctx.types.resolve(cur);
    cur.expectClose();
  }
  if (cur.eatOpen('descriptor')) {
    descriptor = ctx.types.resolve(cur);
    cur.expectClose();
  }
  cur.expectOpen();
  let def: TypeDef;
  const base = { final, supertype, recStart, recSize, inRec, describes, descriptor };
  if (cur.eatKeyword('func')) {
    const params: number[] = [];
    const results: number[] = [];
    parseParams(cur, ctx, params, []);
    parseResults(cur, ctx, results);
    def = { kind: 'func', params, results, fields: [], fieldNames: null, ...base };
  } else if (cur.eatKeyword('struct')) {
    const fields: FieldDef[] = [];
    let fieldNames: Map<string, number> | null = null;
    while (cur.eatOpen('field')) {
      if (cur.kind() === Tok.Id) {
        const at = cur.pos;
        const name = cur.idName(cur.pos++);
        fieldNames ??= new Map();
        if (fieldNames.has(name)) cur.error(`duplicate field $${name}`, at);
        fieldNames.set(name, fields.length);
        fields.push(parseFieldType(cur, ctx));
      } else {
        while (!cur.atClose()) fields.push(parseFieldType(cur, ctx));
      }
      cur.expectClose();
    }
    def = { kind: 'struct', params: [], results: [], fields, fieldNames, ...base };
  } else if (cur.eatKeyword('array')) {
    const field = parseFieldType(cur, ctx);
    def = { kind: 'array', params: [], results: [], fields: [field], fieldNames: null, ...base };
  } else {
    return cur.unexpected();
  }
  cur.expectClose();
  if (sub) cur.expectClose();
  cur.expectClose();
  return def;
}

/** Encodes one subtype of the type section. */
export function writeTypeDef(w: ByteWriter, def: TypeDef): void {
  if (!def.final || def.supertype >= 0) {
    w.byte(def.final ? 0x4f : 0x50);
    if (def.supertype >= 0) {
      w.u32(1);
      w.u32(def.supertype);
    } else {
      w.u32(0);
    }
  }
  if (def.describes >= 0) {
    w.byte(DESCRIBES);
    w.u32(def.describes);
  }
  if (def.descriptor >= 0) {
    w.byte(DESCRIPTOR);
    w.u32(def.descriptor);
  }
  switch (def.kind) {
    case 'func':
      w.byte(0x60);
      w.u32(def.params.length);
      for (const t of def.params) writeValType(w, t);
      w.u32(def.results.length);
      for (const t of def.results) writeValType(w, t);
      break;
    case 'struct':
      w.byte(0x5f);
      w.u32(def.fields.length);
      for (const f of def.fields) {
        writeValType(w, f.type);
        w.byte(f.mutable ? 1 : 0);
      }
      break;
    case 'array':
      w.byte(0x5e);
      writeValType(w, def.fields[0]!.type);
      w.byte(def.fields[0]!.mutable ? 1 : 0);
      break;
  }
}
