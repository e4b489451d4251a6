// A test-only module builder: fixtures state what a module contains and the builder writes the
// bytes, so tests read like the spec. Sections are emitted in the spec's order; custom and raw
// sections go where the caller places them, so ordering and malformed-section tests can be built.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html
import type { CompositeType, FieldType, GlobalType, LocalDecl, ValType } from '../types.ts';
import { FUNCREF } from '../types.ts';
import { SECTIONS_IN_ORDER, SectionId } from '../section-ids.ts';
import { nameBytes, uleb, valTypeBytes, vec } from './encoding.ts';

type Bytes = readonly number[] | Uint8Array;

/** A function type given by its parameters and results. */
export interface FuncTypeSpec {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** A member of a recursion group. `final` defaults to true; `supertypes` to none. */
export interface SubTypeSpec {
  readonly composite: CompositeType | FuncTypeSpec;
  readonly final?: boolean;
  readonly supertypes?: readonly number[];
  /** custom-descriptors proposal clauses (type indices). */
  readonly describes?: number;
  readonly descriptor?: number;
}

/** Limits of a memory or table. `address` defaults to i32; `pageSizeLog2` is emitted only when given. */
export interface LimitsSpec {
  readonly min: number | bigint;
  readonly max?: number | bigint;
  readonly shared?: boolean;
  readonly address?: 'i32' | 'i64';
  readonly pageSizeLog2?: number;
}

export interface TableSpec extends LimitsSpec {
  /** Defaults to funcref. */
  readonly element?: ValType;
}

/** An import description: exactly one key. */
export type ImportSpec =
  | { readonly func: number }
  | { readonly table: TableSpec }
  | { readonly memory: LimitsSpec }
  | { readonly global: GlobalType }
  | { readonly tag: number };

/**
 * An element segment in structured form. Expressions (`offset`, `exprs`) are given WITHOUT
 * their final `end`: the builder appends it. The encoding (0–7) is chosen as the smallest that
 * expresses the segment: function indices use encodings 0–3, `exprs` 4–7.
 */
export interface ElementSpec {
  readonly mode?: 'active' | 'passive' | 'declarative';
  readonly table?: number;
  readonly offset?: Bytes;
  /** Element type for `exprs` segments; defaults to funcref. */
  readonly type?: ValType;
  readonly funcs?: readonly number[];
  readonly exprs?: readonly Bytes[];
}

/** A data segment. `offset` is an expression without its final `end`. */
export interface DataSpec {
  readonly mode?: 'active' | 'passive';
  readonly memory?: number;
  readonly offset?: Bytes;
  readonly bytes: Bytes;
}

/**
 * Where a custom or raw section goes: before every section, after the last, or right after the
 * (possibly empty) slot of a known section id.
 */
export type Placement = 'first' | 'last' | { readonly after: number };

const END = 0x0b;

/** Order of emission of the known sections (the spec's order, not the id order). */
const EMIT_ORDER = SECTIONS_IN_ORDER;

function compositeBytes(c: CompositeType | FuncTypeSpec): number[] {
  const kind = 'kind' in c ? c.kind : 'func';
  if (kind === 'func') {
    const f = c as FuncTypeSpec;
    return [0x60, ...vec(f.params.map(valTypeBytes)), ...vec(f.results.map(valTypeBytes))];
  }
  const field = (ft: FieldType) => [...valTypeBytes(ft.type), ft.mutable ? 1 : 0];
  if (kind === 'struct') return [0x5f, ...vec((c as Extract<CompositeType, { kind: 'struct' }>).fields.map(field))];
  return [0x5e, ...field((c as Extract<CompositeType, { kind: 'array' }>).element)];
}

function subTypeBytes(s: SubTypeSpec): number[] {
  const out: number[] = [];
  const final = s.final ?? true;
  const supers = s.supertypes ?? [];
  if (!final || supers.length > 0) out.push(final ? 0x4f : 0x50, ...vec(supers.map((i) => uleb(i))));
  if (s.describes !== undefined) out.push(0x4c, ...uleb(s.describes));
  if (s.descriptor !== undefined) out.push(0x4d, ...uleb(s.descriptor));
  out.push(...compositeBytes(s.composite));
  return out;
}

/** Limits: the flags byte (bit 0 max, bit 1 shared, bit 2 i64, bit 3 custom page size), min, max, page size. */
export function limitsBytes(l: LimitsSpec): number[] {
  const flags =
    (l.max !== undefined ? 1 : 0) | (l.shared ? 2 : 0) | (l.address === 'i64' ? 4 : 0) | (l.pageSizeLog2 !== undefined ? 8 : 0);
  const out = [flags, ...uleb(l.min)];
  if (l.max !== undefined) out.push(...uleb(l.max));
  if (l.pageSizeLog2 !== undefined) out.push(...uleb(l.pageSizeLog2));
  return out;
}

const tableTypeBytes = (t: TableSpec): number[] => [...valTypeBytes(t.element ?? FUNCREF), ...limitsBytes(t)];
const globalTypeBytes = (g: GlobalType): number[] => [...valTypeBytes(g.type), g.mutable ? 1 : 0];
const expr = (e: Bytes): number[] => [...e, END];

function localsBytes(locals: readonly LocalDecl[] | readonly ValType[]): number[] {
  const groups: LocalDecl[] = [];
  for (const l of locals) {
    if (typeof l !== 'number') groups.push(l);
    else if (groups.length > 0 && groups[groups.length - 1]!.type === l) {
      const last = groups.pop()!;
      groups.push({ count: last.count + 1, type: l });
    } else groups.push({ count: 1, type: l });
  }
  return vec(groups.map((g) => [...uleb(g.count), ...valTypeBytes(g.type)]));
}

function elementBytes(e: ElementSpec): number[] {
  const mode = e.mode ?? 'active';
  const table = e.table ?? 0;
  const offset = expr(e.offset ?? [0x41, 0x00]);
  if (e.exprs === undefined) {
    const funcs = vec((e.funcs ?? []).map((i) => uleb(i)));
    if (mode === 'passive') return [0x01, 0x00, ...funcs];
    if (mode === 'declarative') return [0x03, 0x00, ...funcs];
    if (table === 0) return [0x00, ...offset, ...funcs];
    return [0x02, ...uleb(table), ...offset, 0x00, ...funcs];
  }
  const exprs = vec(e.exprs.map(expr));
  const type = valTypeBytes(e.type ?? FUNCREF);
  if (mode === 'passive') return [0x05, ...type, ...exprs];
  if (mode === 'declarative') return [0x07, ...type, ...exprs];
  if (table === 0 && (e.type ?? FUNCREF) === FUNCREF) return [0x04, ...offset, ...exprs];
  return [0x06, ...uleb(table), ...offset, ...type, ...exprs];
}

function dataBytes(d: DataSpec): number[] {
  const bytes = [...uleb(d.bytes.length), ...d.bytes];
  if (d.mode === 'passive') return [0x01, ...bytes];
  const memory = d.memory ?? 0;
  const offset = expr(d.offset ?? [0x41, 0x00]);
  return memory === 0 ? [0x00, ...offset, ...bytes] : [0x02, ...uleb(memory), ...offset, ...bytes];
}

interface ExtraSection {
  readonly placement: Placement;
  readonly id: number;
  readonly payload: number[];
}

/**
 * Builds a binary module. Index-returning methods return the index in the entity's index space
 * (imports first), so add imports before definitions of the same kind.
 */
export class ModuleBuilder {
  private readonly types: number[][] = [];
  private typeCount = 0;
  private readonly imports: number[][] = [];
  private readonly importCounts = [0, 0, 0, 0, 0];
  private readonly functionTypes: number[] = [];
  private readonly bodies: number[][] = [];
  private readonly tables: number[][] = [];
  private readonly memories: number[][] = [];
  private readonly globals: number[][] = [];
  private readonly tags: number[][] = [];
  private readonly exports: number[][] = [];
  private start: number | null = null;
  private readonly elements: number[][] = [];
  private readonly datas: number[][] = [];
  private dataCount: number | null = null;
  private readonly extras: ExtraSection[] = [];

  /** A type outside any explicit recursion group (a group of one, in the shorthand encoding). */
  addType(type: CompositeType | FuncTypeSpec | SubTypeSpec): number {
    const sub: SubTypeSpec = 'composite' in type ? type : { composite: type };
    this.types.push(subTypeBytes(sub));
    return this.typeCount++;
  }

  /** An explicit recursion group; returns the index of its first type. */
  addRecGroup(subtypes: readonly SubTypeSpec[]): number {
    this.types.push([0x4e, ...vec(subtypes.map(subTypeBytes))]);
    const first = this.typeCount;
    this.typeCount += subtypes.length;
    return first;
  }

  addImport(module: string, name: string, desc: ImportSpec): number {
    const head = [...nameBytes(module), ...nameBytes(name)];
    let kind: number;
    let body: number[];
    if ('func' in desc) [kind, body] = [0, uleb(desc.func)];
    else if ('table' in desc) [kind, body] = [1, tableTypeBytes(desc.table)];
    else if ('memory' in desc) [kind, body] = [2, limitsBytes(desc.memory)];
    else if ('global' in desc) [kind, body] = [3, globalTypeBytes(desc.global)];
    else [kind, body] = [4, [0x00, ...uleb(desc.tag)]];
    const defined = [this.functionTypes.length, this.tables.length, this.memories.length, this.globals.length, this.tags.length];
    if (defined[kind]! > 0) throw new Error('ModuleBuilder: add imports before definitions of the same kind');
    this.imports.push([...head, kind, ...body]);
    return this.importCounts[kind]!++;
  }

  /** A function; `body` is its operator bytes including the final `end`. */
  addFunction(typeIndex: number, locals: readonly LocalDecl[] | readonly ValType[], body: Bytes): number {
    this.functionTypes.push(typeIndex);
    const code = [...localsBytes(locals), ...body];
    this.bodies.push([...uleb(code.length), ...code]);
    return this.importCounts[0]! + this.functionTypes.length - 1;
  }

  /** A table; with `init` (an expression without its `end`) it uses the 0x40 0x00 encoding. */
  addTable(type: TableSpec, init?: Bytes): number {
    this.tables.push(init === undefined ? tableTypeBytes(type) : [0x40, 0x00, ...tableTypeBytes(type), ...expr(init)]);
    return this.importCounts[1]! + this.tables.length - 1;
  }

  addMemory(limits: LimitsSpec): number {
    this.memories.push(limitsBytes(limits));
    return this.importCounts[2]! + this.memories.length - 1;
  }

  /** A global; `init` is its constant expression without the final `end`. A bare type is immutable. */
  addGlobal(type: GlobalType | ValType, init: Bytes): number {
    const g = typeof type === 'number' ? { type, mutable: false } : type;
    this.globals.push([...globalTypeBytes(g), ...expr(init)]);
    return this.importCounts[3]! + this.globals.length - 1;
  }

  addTag(typeIndex: number): number {
    this.tags.push([0x00, ...uleb(typeIndex)]);
    return this.importCounts[4]! + this.tags.length - 1;
  }

  /** `kind` is an `ExternKind`. */
  addExport(name: string, kind: number, index: number): this {
    this.exports.push([...nameBytes(name), kind, ...uleb(index)]);
    return this;
  }

  setStart(funcIndex: number): this {
    this.start = funcIndex;
    return this;
  }

  /** An element segment, structured or as the raw bytes of one segment entry. */
  addElement(segment: ElementSpec | Bytes): number {
    this.elements.push(Array.isArray(segment) || segment instanceof Uint8Array ? [...segment] : elementBytes(segment as ElementSpec));
    return this.elements.length - 1;
  }

  /** A data segment, structured or as the raw bytes of one segment entry. */
  addData(segment: DataSpec | Bytes): number {
    this.datas.push(Array.isArray(segment) || segment instanceof Uint8Array ? [...segment] : dataBytes(segment as DataSpec));
    return this.datas.length - 1;
  }

  /** Emits a data count section with this count (it is not inferred). */
  setDataCount(count: number): this {
    this.dataCount = count;
    return this;
  }

  addCustomSection(name: string, bytes: Bytes, placement: Placement = 'last'): this {
    this.extras.push({ placement, id: SectionId.Custom, payload: [...nameBytes(name), ...bytes] });
    return this;
  }

  /** A section with any id and payload, emitted as is (the size is computed). */
  addRawSection(id: number, payload: Bytes, placement: Placement = 'last'): this {
    this.extras.push({ placement, id, payload: [...payload] });
    return this;
  }

  private knownSection(id: number): number[] | null {
    const many = (items: number[][]) => (items.length === 0 ? null : vec(items));
    switch (id) {
      case SectionId.Type:
        return this.types.length === 0 ? null : [...uleb(this.types.length), ...this.types.flat()];
      case SectionId.Import:
        return many(this.imports);
      case SectionId.Function:
        return this.functionTypes.length === 0 ? null : vec(this.functionTypes.map((t) => uleb(t)));
      case SectionId.Table:
        return many(this.tables);
      case SectionId.Memory:
        return many(this.memories);
      case SectionId.Tag:
        return many(this.tags);
      case SectionId.Global:
        return many(this.globals);
      case SectionId.Export:
        return many(this.exports);
      case SectionId.Start:
        return this.start === null ? null : uleb(this.start);
      case SectionId.Element:
        return many(this.elements);
      case SectionId.DataCount:
        return this.dataCount === null ? null : uleb(this.dataCount);
      case SectionId.Code:
        return many(this.bodies);
      case SectionId.Data:
        return many(this.datas);
      default:
        return null;
    }
  }

  toBytes(): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    // Appended element by element: spreading a large payload into push() would overflow the stack.
    const section = (id: number, payload: readonly number[]) => {
      for (const b of [id, ...uleb(payload.length)]) out.push(b);
      for (const b of payload) out.push(b);
    };
    const extrasAt = (p: (placement: Placement) => boolean) => {
      for (const e of this.extras) if (p(e.placement)) section(e.id, e.payload);
    };
    extrasAt((p) => p === 'first');
    for (const id of EMIT_ORDER) {
      const payload = this.knownSection(id);
      if (payload !== null) section(id, payload);
      extrasAt((p) => typeof p === 'object' && p.after === id);
    }
    extrasAt((p) => p === 'last');
    return Uint8Array.from(out);
  }
}
