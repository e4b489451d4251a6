// What the module parser knows about a module while encoding it: one index space per kind of
// definition (names → indices), and the type table, which grows as inline type uses add the
// implicit function types the text format's abbreviation rules call for.
// Spec: https://webassembly.github.io/spec/core/text/modules.html#indices
import { Tok } from '../lexer.ts';
import type { Cursor } from './cursor.ts';

export class IndexSpace {
  readonly names = new Map<string, number>();
  /** Names given by `(@name …)` annotations, by index; null until the first one. */
  private annotated: Map<number, string> | null = null;
  count = 0;
  constructor(readonly kind: string) {}

  /** Records the `(@name …)` of definition `index`. */
  annotate(index: number, name: string): boolean {
    this.annotated ??= new Map();
    if (this.annotated.has(index)) return false;
    this.annotated.set(index, name);
    return true;
  }

  /** index → name for the name section: the identifiers when `withIds`, then annotations over them. */
  nameMap(withIds: boolean): Map<number, string> {
    const map = new Map<number, string>();
    if (withIds) for (const [name, index] of this.names) map.set(index, name);
    if (this.annotated !== null) for (const [index, name] of this.annotated) map.set(index, name);
    return map;
  }

  /** Assigns the next index, registering `name` if given. */
  define(cur: Cursor, name: string | null, at: number): number {
    if (name !== null) {
      if (this.names.has(name)) cur.error(`duplicate ${this.kind} $${name}`, at);
      this.names.set(name, this.count);
    }
    return this.count++;
  }

  /** Consumes an index (`$name` or a number) and resolves it. */
  resolve(cur: Cursor): number {
    const k = cur.kind();
    if (k === Tok.Id) {
      const index = this.names.get(cur.idName());
      if (index === undefined) cur.error(`unknown ${this.kind} $${cur.idName()}`);
      cur.pos++;
      return index;
    }
    if (k === Tok.Number) return cur.u32();
    return cur.unexpected();
  }

  /** Whether the cursor is at something `resolve` would take. */
  static atIndex(cur: Cursor): boolean {
    const k = cur.kind();
    return k === Tok.Id || k === Tok.Number;
  }
}

export interface FieldDef {
  readonly type: number; // a ValType, or ValType.I8 / ValType.I16
  readonly mutable: boolean;
}

/** One type definition as written (or implied), with type indices already resolved. */
export interface TypeDef {
  readonly kind: 'func' | 'struct' | 'array';
  readonly params: readonly number[];
  readonly results: readonly number[];
  readonly fields: readonly FieldDef[];
  readonly final: boolean;
  readonly supertype: number; // -1 when none
  readonly recStart: number;
  readonly recSize: number;
  /** Whether this type was written inside `(rec …)` (so it is encoded as part of a group). */
  readonly inRec: boolean;
  readonly fieldNames: Map<string, number> | null;
  /** custom-descriptors proposal: the `(describes x)` / `(descriptor x)` type indices, or -1. */
  readonly describes: number;
  readonly descriptor: number;
}

/** Where a `(@name …)` may stand: right after a definition's optional identifier. */
export interface NamePosition {
  readonly space: IndexSpace;
  readonly index: number;
}

export class ModuleContext {
  readonly types = new IndexSpace('type');
  readonly funcs = new IndexSpace('func');
  readonly tables = new IndexSpace('table');
  readonly memories = new IndexSpace('memory');
  readonly globals = new IndexSpace('global');
  readonly tags = new IndexSpace('tag');
  readonly elems = new IndexSpace('elem');
  readonly datas = new IndexSpace('data');
  readonly typeDefs: TypeDef[] = [];
  /** Token index → the definition a `(@name …)` there names; filled only when the source has one. */
  readonly namePositions = new Map<number, NamePosition>();
  /** Singleton final function types by signature, for inline type uses; first occurrence wins. */
  private readonly funcTypeBySignature = new Map<string, number>();

  addTypeDef(def: TypeDef): number {
    const index = this.typeDefs.length;
    this.typeDefs.push(def);
    if (def.kind === 'func' && def.final && def.supertype < 0 && def.recSize === 1 && def.describes < 0 && def.descriptor < 0) {
      const key = signatureKey(def.params, def.results);
      if (!this.funcTypeBySignature.has(key)) this.funcTypeBySignature.set(key, index);
    }
    return index;
  }

  /** The index of the function type `params → results` for an inline type use, adding it if needed. */
  funcTypeIndex(params: readonly number[], results: readonly number[]): number {
    const existing = this.funcTypeBySignature.get(signatureKey(params, results));
    if (existing !== undefined) return existing;
    const index = this.typeDefs.length;
    return this.addTypeDef({
      kind: 'func',
      params: params.slice(),
      results: results.slice(),
      fields: [],
      final: true,
      supertype: -1,
      recStart: index,
      recSize: 1,
      inRec: false,
      fieldNames: null,
      describes: -1,
      descriptor: -1,
    });
  }
}

function signatureKey(params: readonly number[], results: readonly number[]): string {
  return `${params.join(',')}:${results.join(',')}`;
}
