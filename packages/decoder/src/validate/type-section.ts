// Validation of the type section: references stay within the types defined so far (plus the
// current recursion group), and each declared supertype exists, is not final, and is matched
// by its subtype (func params contravariant and results covariant, struct fields width and
// depth subtyping, mutable fields invariant).
// Spec: https://webassembly.github.io/spec/core/valid/types.html#recursive-types
//       https://webassembly.github.io/spec/core/valid/matching.html#composite-types
import { compileError } from '../errors.ts';
import type { CompositeType, FieldType, SubType, ValType } from '../types.ts';
import { HEAP_INDEX_BASE, heapTypeOf, isRefType } from '../types.ts';
import type { ModuleContext } from './module-context.ts';

/** Where type `index` is declared, for messages. */
const where = (index: number): string => `type section, type #${index}`;

/** Every value type of a composite type, with a callback; used for the reference check. */
function forEachValType(c: CompositeType, f: (t: ValType) => void): void {
  if (c.kind === 'func') {
    c.params.forEach(f);
    c.results.forEach(f);
  } else if (c.kind === 'struct') {
    for (const field of c.fields) f(field.type);
  } else {
    f(c.element.type);
  }
}

/** References may point anywhere before the end of the current recursion group. */
export function checkTypeReferences(types: readonly SubType[]): void {
  for (let i = 0; i < types.length; i++) {
    const t = types[i]!;
    const offset = t.offset;
    const groupEnd = t.recGroupStart + Math.max(1, t.recGroupSize);
    forEachValType(t.composite, (v) => {
      if (!isRefType(v)) return;
      const heap = heapTypeOf(v);
      if (heap >= HEAP_INDEX_BASE && heap - HEAP_INDEX_BASE >= Math.min(groupEnd, types.length)) {
        throw compileError('unknown type', `type ${heap - HEAP_INDEX_BASE} referenced before its definition`, offset, where(i));
      }
    });
    if (t.supertypes.length > 1) throw compileError('sub type', `type ${i} declares ${t.supertypes.length} supertypes; at most one is allowed`, offset, where(i));
    for (const s of t.supertypes) {
      if (s >= types.length) throw compileError('unknown type', `supertype ${s} of type ${i}`, offset, where(i));
      if (s >= i) throw compileError(`sub type ${i} does not match super type ${s}`, `a supertype must be defined before its subtype`, offset, where(i));
    }
    for (const d of [t.describes, t.descriptor]) {
      if (d >= types.length) throw compileError('unknown type', `descriptor clause names type ${d}`, offset, where(i));
    }
  }
}

function fieldMatches(ctx: ModuleContext, sub: FieldType, sup: FieldType): boolean {
  if (sub.mutable !== sup.mutable) return false;
  return sub.mutable ? ctx.isSameType(sub.type, sup.type) : ctx.isSubtype(sub.type, sup.type);
}

/** Whether composite type `a` matches `b` (the structural part of declared subtyping). */
export function compositeMatches(ctx: ModuleContext, a: CompositeType, b: CompositeType): boolean {
  if (a.kind === 'func' && b.kind === 'func') {
    if (a.params.length !== b.params.length || a.results.length !== b.results.length) return false;
    for (let i = 0; i < a.params.length; i++) if (!ctx.isSubtype(b.params[i]!, a.params[i]!)) return false;
    for (let i = 0; i < a.results.length; i++) if (!ctx.isSubtype(a.results[i]!, b.results[i]!)) return false;
    return true;
  }
  if (a.kind === 'struct' && b.kind === 'struct') {
    if (a.fields.length < b.fields.length) return false;
    for (let i = 0; i < b.fields.length; i++) if (!fieldMatches(ctx, a.fields[i]!, b.fields[i]!)) return false;
    return true;
  }
  if (a.kind === 'array' && b.kind === 'array') return fieldMatches(ctx, a.element, b.element);
  return false;
}

/** Checks every declared supertype, after canonicalization made subtyping decidable. */
export function checkSubtypes(ctx: ModuleContext): void {
  const types = ctx.types;
  for (let i = 0; i < types.length; i++) {
    const t = types[i]!;
    const offset = t.offset;
    const s = t.supertypes[0];
    if (s === undefined) continue;
    const sup = types[s]!;
    const fail = (why: string): never => {
      throw compileError(`sub type ${i} does not match super type ${s}`, why, offset, where(i));
    };
    if (sup.final) fail(`type ${s} is final`);
    if (sup.composite.kind !== t.composite.kind) fail(`a ${t.composite.kind} type cannot extend a ${sup.composite.kind} type`);
    if (!compositeMatches(ctx, t.composite, sup.composite)) fail(`the ${t.composite.kind} types do not match`);
  }
}

