// Iso-recursive type equivalence: two defined types are equivalent when their recursion groups
// are structurally equal, with references inside a group taken relative to the group and
// references outside it taken by canonical identity. Each distinct group gets a run of canonical
// ids; the canonical id of a defined type is what `call_indirect` signature checks, cross-module
// import matching and casts compare.
// Spec: https://webassembly.github.io/spec/core/valid/conventions.html#rolling-and-unrolling
//       https://webassembly.github.io/spec/core/valid/matching.html#type-equivalence
import type { CompositeType, FieldType, SubType, ValType } from '../types.ts';
import { HEAP_INDEX_BASE, heapTypeOf, isExact, isNullable, isRefType } from '../types.ts';

/** Composite kinds as small integers, indexed by canonical id. */
export const CompositeKind = { Func: 0, Struct: 1, Array: 2 } as const;
export type CompositeKind = (typeof CompositeKind)[keyof typeof CompositeKind];

const KIND_OF: Readonly<Record<CompositeType['kind'], CompositeKind>> = { func: 0, struct: 1, array: 2 };

/**
 * Interns recursion groups. One instance may be shared by every module of an engine (the
 * runtime's store), so that canonical ids are comparable across modules for import matching.
 * Groups are interned before their subtype declarations are checked; an invalid group's entry
 * is harmless because validity is structural, so no valid module can share its key.
 */
export class TypeCanonicalizer {
  private readonly groups = new Map<string, number>();
  /** Canonical id → canonical id of its declared supertype, or -1. */
  private readonly supers: number[] = [];
  private readonly kinds: CompositeKind[] = [];
  private readonly finals: boolean[] = [];

  get size(): number {
    return this.supers.length;
  }

  /**
   * Assigns canonical ids to every type of a type section, group by group. All type indices
   * referenced by `types` must be in range (the caller checks this first).
   */
  canonicalize(types: readonly SubType[]): Int32Array {
    const ids = new Int32Array(types.length);
    let start = 0;
    while (start < types.length) {
      const size = Math.max(1, types[start]!.recGroupSize);
      const end = Math.min(types.length, start + size);
      const key = groupKey(types, start, end, ids);
      let base = this.groups.get(key);
      if (base === undefined) {
        base = this.supers.length;
        this.groups.set(key, base);
        for (let i = start; i < end; i++) {
          const t = types[i]!;
          const sup = t.supertypes[0];
          this.supers.push(sup === undefined ? -1 : sup >= start && sup < end ? base + (sup - start) : ids[sup]!);
          this.kinds.push(KIND_OF[t.composite.kind]);
          this.finals.push(t.final);
        }
      }
      for (let i = start; i < end; i++) ids[i] = base + (i - start);
      start = end;
    }
    return ids;
  }

  kindOf(canonicalId: number): CompositeKind {
    return this.kinds[canonicalId]!;
  }

  superOf(canonicalId: number): number {
    return this.supers[canonicalId]!;
  }

  /** Declared-subtype closure on canonical ids. Chains are acyclic: a supertype always precedes. */
  isSubtype(sub: number, sup: number): boolean {
    let t = sub;
    while (t !== -1) {
      if (t === sup) return true;
      t = this.supers[t]!;
    }
    return false;
  }
}

function groupKey(types: readonly SubType[], start: number, end: number, ids: Int32Array): string {
  const ref = (t: ValType): string => {
    if (!isRefType(t)) return String(t);
    const heap = heapTypeOf(t);
    const flags = (isNullable(t) ? 'n' : '') + (isExact(t) ? 'x' : '');
    if (heap < HEAP_INDEX_BASE) return `${flags}h${heap}`;
    const index = heap - HEAP_INDEX_BASE;
    return index >= start && index < end ? `${flags}r${index - start}` : `${flags}c${ids[index]}`;
  };
  const field = (f: FieldType): string => (f.mutable ? 'm' : '') + ref(f.type);
  const idx = (index: number): string => (index < 0 ? '-' : index >= start && index < end ? `r${index - start}` : `c${ids[index]}`);
  let key = '';
  for (let i = start; i < end; i++) {
    const t = types[i]!;
    key += `${t.final ? 'F' : 'N'}${t.supertypes.map(idx).join(',')}`;
    key += `|${idx(t.describes)}|${idx(t.descriptor)}`;
    const c = t.composite;
    if (c.kind === 'func') key += `(func ${c.params.map(ref).join(' ')}:${c.results.map(ref).join(' ')})`;
    else if (c.kind === 'struct') key += `(struct ${c.fields.map(field).join(' ')})`;
    else key += `(array ${field(c.element)})`;
  }
  return key;
}
