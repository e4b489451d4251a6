// Text of value, heap, reference, composite and limit types.
// Spec: https://webassembly.github.io/spec/core/text/types.html
import {
  HEAP_TYPE_NAMES,
  NUMERIC_TYPE_NAMES,
  PACKED_TYPE_NAMES,
  REF_SHORTHAND_NAMES,
  heapTypeOf,
  isConcreteHeap,
  isExact,
  isNullable,
  isRefType,
  typeIndexOfHeap,
} from '@flint/decoder';
import type { CompositeType, FieldType, Limits, SubType } from '@flint/decoder';
import { type IdSpace, type ModuleIds, NO_IDS } from './names.ts';

export function heapTypeText(heap: number, types: IdSpace): string {
  if (isConcreteHeap(heap)) return types.ref(typeIndexOfHeap(heap));
  return HEAP_TYPE_NAMES.get(heap) ?? `<heap type 0x${heap.toString(16)}>`;
}

/** A `(ref null? ht)` or `(ref null? (exact ht))` type; `nullable` and `exact` given apart for cast immediates. */
export function refTypeText(nullable: boolean, exact: boolean, heap: number, types: IdSpace): string {
  if (nullable && !exact && !isConcreteHeap(heap)) {
    const shorthand = REF_SHORTHAND_NAMES.get(heap);
    if (shorthand !== undefined) return shorthand;
  }
  const heapText = heapTypeText(heap, types);
  return '(ref ' + (nullable ? 'null ' : '') + (exact ? `(exact ${heapText})` : heapText) + ')';
}

/** A value or storage type. */
export function valTypeText(type: number, types: IdSpace): string {
  if (isRefType(type)) return refTypeText(isNullable(type), isExact(type), heapTypeOf(type), types);
  return NUMERIC_TYPE_NAMES.get(type) ?? PACKED_TYPE_NAMES.get(type) ?? `<value type 0x${type.toString(16)}>`;
}

/** ` (param t…) (result t…)`, each clause omitted when empty; leading space included. */
export function signatureText(params: readonly number[], results: readonly number[], types: IdSpace): string {
  let text = '';
  if (params.length > 0) text += ' (param ' + params.map((t) => valTypeText(t, types)).join(' ') + ')';
  if (results.length > 0) text += ' (result ' + results.map((t) => valTypeText(t, types)).join(' ') + ')';
  return text;
}

function fieldTypeText(field: FieldType, types: IdSpace): string {
  const type = valTypeText(field.type, types);
  return field.mutable ? `(mut ${type})` : type;
}

export function compositeTypeText(composite: CompositeType, typeIndex: number, ids: ModuleIds): string {
  switch (composite.kind) {
    case 'func':
      return '(func' + signatureText(composite.params, composite.results, ids.types) + ')';
    case 'struct': {
      const fieldIds = ids.fields(typeIndex);
      let text = '(struct';
      composite.fields.forEach((field, i) => {
        const id = fieldIds.declaration(i);
        text += ' (field ' + (id !== null ? id + ' ' : '') + fieldTypeText(field, ids.types) + ')';
      });
      return text + ')';
    }
    case 'array':
      return '(array ' + fieldTypeText(composite.element, ids.types) + ')';
  }
}

/**
 * `(type $t …)`. A final type without supertypes uses the short form, `(type $t comptype)`, with
 * its descriptor clauses (custom-descriptors proposal) before the composite type.
 */
export function typeDefinitionText(sub: SubType, typeIndex: number, ids: ModuleIds): string {
  const id = ids.types.declaration(typeIndex);
  let clauses = '';
  if (sub.describes >= 0) clauses += '(describes ' + ids.types.ref(sub.describes) + ') ';
  if (sub.descriptor >= 0) clauses += '(descriptor ' + ids.types.ref(sub.descriptor) + ') ';
  const body = clauses + compositeTypeText(sub.composite, typeIndex, ids);
  const annotation = ids.types.nameAnnotation(typeIndex);
  const head = '(type ' + (id !== null ? id + ' ' : '') + (annotation !== '' ? annotation.trimStart() + ' ' : '');
  if (sub.final && sub.supertypes.length === 0) return head + body + ')';
  let text = '(sub' + (sub.final ? ' final' : '');
  for (const supertype of sub.supertypes) text += ' ' + ids.types.ref(supertype);
  return head + text + ' ' + body + '))';
}

/** Limits of a table or memory: `i64? min max? shared?`, plus `(pagesize n)` for memories. */
export function limitsText(limits: Limits, isMemory: boolean): string {
  let text = limits.address === 'i64' ? 'i64 ' : '';
  text += limits.min.toString();
  if (limits.max !== null) text += ' ' + limits.max.toString();
  if (limits.shared) text += ' shared';
  if (isMemory && limits.pageSizeLog2 !== 16) text += ` (pagesize ${2 ** limits.pageSizeLog2})`;
  return text;
}

/**
 * A value type as the text format writes it, with type indices as numbers: for tools that
 * describe a module without printing all of it (`flint inspect`).
 */
export function formatValType(type: number): string {
  return valTypeText(type, NO_IDS);
}
