// Which proposals a module uses, derived while validating. The runtime uses the set to report
// "skipped: needs <feature>" instead of failing in an unsupported tier.
import type { Feature } from '../opcodes.ts';
import { OPERATORS } from '../opcodes.ts';
import type { Module, ValType } from '../types.ts';
import { HEAP_INDEX_BASE, HeapType, ValType as V, heapTypeOf, isNullable, isRefType } from '../types.ts';

/**
 * The opcode table's features, plus features that show in types and sections rather than in
 * operators. (`'tail-call'`, `'gc'`, `'exceptions'` and `'threads'` also come from operators.)
 */
export type ModuleFeature = Feature | 'multi-value' | 'multi-memory' | 'memory64' | 'extended-const' | 'custom-page-sizes';

/** Features that a value type implies. */
function noteValType(features: Set<ModuleFeature>, t: ValType): void {
  if (t === V.V128) features.add('simd');
  if (!isRefType(t)) return;
  const heap = heapTypeOf(t);
  if (heap >= HEAP_INDEX_BASE || !isNullable(t)) features.add('function-references');
  switch (heap) {
    case HeapType.Func:
    case HeapType.Extern:
      features.add('reference-types');
      break;
    case HeapType.Exn:
    case HeapType.NoExn:
      features.add('exceptions');
      break;
    default:
      // Concrete types are covered by their definitions; the other abstract types come from GC.
      if (heap < HEAP_INDEX_BASE) features.add('gc');
  }
}

export function collectFeatures(module: Module, seenOperators: Uint8Array, usesMultiValue: boolean, usesExtendedConst: boolean): Set<ModuleFeature> {
  const features = new Set<ModuleFeature>(['mvp']);
  for (const op of OPERATORS) if (seenOperators[op.id] === 1) features.add(op.feature);
  if (usesMultiValue) features.add('multi-value');
  if (usesExtendedConst) features.add('extended-const');
  for (const t of module.types) {
    const c = t.composite;
    if (c.kind !== 'func' || !t.final || t.supertypes.length > 0 || t.recGroupSize > 1) features.add('gc');
    if (c.kind === 'func') {
      if (c.results.length > 1) features.add('multi-value');
      c.params.forEach((p) => noteValType(features, p));
      c.results.forEach((r) => noteValType(features, r));
    } else if (c.kind === 'struct') {
      for (const f of c.fields) noteValType(features, f.type);
    } else {
      noteValType(features, c.element.type);
    }
  }
  if (module.memories.length > 1) features.add('multi-memory');
  if (module.tables.length > 1) features.add('reference-types');
  for (const m of module.memories) {
    if (m.address === 'i64') features.add('memory64');
    if (m.shared) features.add('threads');
    if (m.pageSizeLog2 !== 16) features.add('custom-page-sizes');
  }
  for (const t of module.tables) {
    if (t.limits.address === 'i64') features.add('memory64');
    noteValType(features, t.element);
  }
  for (const g of module.globals) noteValType(features, g.type);
  if (module.tags.length > 0) features.add('exceptions');
  for (const body of module.codes) for (const l of body.locals) noteValType(features, l.type);
  return features;
}
