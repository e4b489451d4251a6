// What function bodies and constant expressions are validated against: the module's index
// spaces, resolved once, and the subtyping relation on value types.
// Spec: https://webassembly.github.io/spec/core/valid/modules.html (contexts)
//       https://webassembly.github.io/spec/core/valid/matching.html (subtyping)
import { OPERATOR_ID_LIMIT } from '../opcodes.ts';
import type { Module, SubType, ValType } from '../types.ts';
import { HEAP_INDEX_BASE, HEAP_TYPE_NAMES, HeapType, NUMERIC_TYPE_NAMES, PACKED_TYPE_NAMES, ValType as V, heapTypeOf, isExact, isNullable, isRefType, refType } from '../types.ts';
import { CompositeKind, type TypeCanonicalizer } from './type-canonicalizer.ts';

/** The heap type of the polymorphic stack's unknown references (`pop_ref` in the spec appendix). */
export const BOTTOM_HEAP = 0x01;

/** The heap type of a reference operand, `BOTTOM_HEAP` for the polymorphic stack's unknown. */
export const heapOf = (t: ValType): number => (t === V.Bottom ? BOTTOM_HEAP : heapTypeOf(t));

/** Index of the empty type list in `ModuleContext.lists`. */
export const EMPTY_LIST = 0;

export class ModuleContext {
  readonly types: readonly SubType[];
  /**
   * Type lists referenced by id from control frames: block parameter/result lists, function
   * signatures. Precomputed so that the operator loop never builds arrays.
   */
  readonly lists: Int32Array[] = [new Int32Array(0)];
  /** Per type index: list id of the parameters / results when it is a function type, else -1. */
  readonly paramsList: Int32Array;
  readonly resultsList: Int32Array;
  /** Function index → its type index. */
  readonly functions: readonly number[];
  /** Functions that `ref.func` may name in function bodies (C.refs in the spec). */
  readonly declaredFunctions: Uint8Array;
  /** Element type of each segment, by index. */
  readonly elemTypes: Int32Array;
  /** Number of data segments that instructions may name, or -1 when the data count section is absent. */
  readonly dataCount: number;
  /** Operators met while validating, by id; turned into features once at the end. */
  readonly seenOperators = new Uint8Array(OPERATOR_ID_LIMIT);
  /** Set when a block type names a function type (multi-value blocks). */
  usesMultiValue = false;
  /** Set when a constant expression uses extended-const arithmetic. */
  usesExtendedConst = false;
  private readonly valueLists = new Map<ValType, number>();

  constructor(
    readonly module: Module,
    readonly canonicalIds: Int32Array,
    readonly canonicalizer: TypeCanonicalizer,
  ) {
    this.types = module.types;
    this.functions = module.functions;
    const n = module.types.length;
    this.paramsList = new Int32Array(n).fill(-1);
    this.resultsList = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const c = module.types[i]!.composite;
      if (c.kind !== 'func') continue;
      this.paramsList[i] = this.addList(c.params);
      this.resultsList[i] = this.addList(c.results);
    }
    this.declaredFunctions = new Uint8Array(module.functions.length);
    // A loop, not Int32Array.from: `from` first copies an iterable into a list (10^7 segments).
    this.elemTypes = new Int32Array(module.elements.length);
    for (let i = 0; i < module.elements.length; i++) this.elemTypes[i] = module.elements[i]!.type;
    this.dataCount = module.dataCount ?? -1;
  }

  addList(types: readonly ValType[]): number {
    if (types.length === 0) return EMPTY_LIST;
    this.lists.push(Int32Array.from(types));
    return this.lists.length - 1;
  }

  /** The one-element list `[t]`, interned. */
  valueList(t: ValType): number {
    let id = this.valueLists.get(t);
    if (id === undefined) {
      id = this.addList([t]);
      this.valueLists.set(t, id);
    }
    return id;
  }

  /** Composite kind of a type index (which must be in range). */
  kindOf(typeIndex: number): CompositeKind {
    return this.canonicalizer.kindOf(this.canonicalIds[typeIndex]!);
  }

  /** Whether a value type only names types that exist (checks concrete heap types). */
  isKnownType(t: ValType): boolean {
    if (!isRefType(t)) return true;
    const heap = heapTypeOf(t);
    return heap < HEAP_INDEX_BASE || heap - HEAP_INDEX_BASE < this.types.length;
  }

  /** The top of the hierarchy a heap type belongs to: any, func, extern or exn. */
  topOf(heap: number): number {
    if (heap >= HEAP_INDEX_BASE) return this.kindOf(heap - HEAP_INDEX_BASE) === CompositeKind.Func ? HeapType.Func : HeapType.Any;
    switch (heap) {
      case HeapType.Func:
      case HeapType.NoFunc:
        return HeapType.Func;
      case HeapType.Extern:
      case HeapType.NoExtern:
        return HeapType.Extern;
      case HeapType.Exn:
      case HeapType.NoExn:
        return HeapType.Exn;
      case BOTTOM_HEAP:
        return BOTTOM_HEAP;
      default:
        return HeapType.Any;
    }
  }

  /** The bottom of a heap type's hierarchy: none, nofunc, noextern or noexn. */
  bottomOf(heap: number): number {
    switch (this.topOf(heap)) {
      case HeapType.Func:
        return HeapType.NoFunc;
      case HeapType.Extern:
        return HeapType.NoExtern;
      case HeapType.Exn:
        return HeapType.NoExn;
      case BOTTOM_HEAP:
        return BOTTOM_HEAP;
      default:
        return HeapType.None;
    }
  }

  isHeapSubtype(a: number, b: number): boolean {
    if (a === b || a === BOTTOM_HEAP) return true;
    if (b >= HEAP_INDEX_BASE) {
      if (a >= HEAP_INDEX_BASE) {
        return this.canonicalizer.isSubtype(this.canonicalIds[a - HEAP_INDEX_BASE]!, this.canonicalIds[b - HEAP_INDEX_BASE]!);
      }
      const kind = this.kindOf(b - HEAP_INDEX_BASE);
      return kind === CompositeKind.Func ? a === HeapType.NoFunc : a === HeapType.None;
    }
    if (a >= HEAP_INDEX_BASE) {
      const kind = this.kindOf(a - HEAP_INDEX_BASE);
      switch (b) {
        case HeapType.Func:
          return kind === CompositeKind.Func;
        case HeapType.Any:
        case HeapType.Eq:
          return kind !== CompositeKind.Func;
        case HeapType.Struct:
          return kind === CompositeKind.Struct;
        case HeapType.Array:
          return kind === CompositeKind.Array;
        default:
          return false;
      }
    }
    switch (b) {
      case HeapType.Any:
        return this.topOf(a) === HeapType.Any;
      case HeapType.Eq:
        return a === HeapType.I31 || a === HeapType.Struct || a === HeapType.Array || a === HeapType.None;
      case HeapType.I31:
      case HeapType.Struct:
      case HeapType.Array:
        return a === HeapType.None;
      case HeapType.Func:
        return a === HeapType.NoFunc;
      case HeapType.Extern:
        return a === HeapType.NoExtern;
      case HeapType.Exn:
        return a === HeapType.NoExn;
      default:
        return false;
    }
  }

  /** `a <: b` on value types; `ValType.Bottom` (the polymorphic stack's unknown) matches everything. */
  isSubtype(a: ValType, b: ValType): boolean {
    if (a === b || a === V.Bottom) return true;
    if (!isRefType(a) || !isRefType(b)) return false;
    if (isNullable(a) && !isNullable(b)) return false;
    const ha = heapTypeOf(a);
    const hb = heapTypeOf(b);
    if (isExact(b)) {
      // Exact types (custom-descriptors) only admit the same type, or the hierarchy's bottom.
      if (ha === BOTTOM_HEAP || ha === this.bottomOf(hb)) return true;
      if (!isExact(a) || ha < HEAP_INDEX_BASE || hb < HEAP_INDEX_BASE) return false;
      return this.canonicalIds[ha - HEAP_INDEX_BASE] === this.canonicalIds[hb - HEAP_INDEX_BASE];
    }
    return this.isHeapSubtype(ha, hb);
  }

  /** Type equality up to canonicalization (mutable fields and globals are invariant). */
  isSameType(a: ValType, b: ValType): boolean {
    return this.isSubtype(a, b) && this.isSubtype(b, a);
  }

  /** Whether a type has a default value (numbers, vectors and nullable references do). */
  isDefaultable(t: ValType): boolean {
    return !isRefType(t) || isNullable(t);
  }

  /** `(ref null ht)` → `(ref ht)`. */
  nonNull(t: ValType): ValType {
    return isRefType(t) ? refType(false, heapTypeOf(t), isExact(t)) : t;
  }
}

export function heapTypeName(heap: number): string {
  if (heap >= HEAP_INDEX_BASE) return String(heap - HEAP_INDEX_BASE);
  if (heap === BOTTOM_HEAP) return 'bot';
  return HEAP_TYPE_NAMES.get(heap) ?? `heap(0x${heap.toString(16)})`;
}

/** Text-format spelling of a value type, for error messages. */
export function typeName(t: ValType): string {
  if (!isRefType(t)) return t === V.Bottom ? 'bot' : (NUMERIC_TYPE_NAMES.get(t) ?? PACKED_TYPE_NAMES.get(t) ?? `type(0x${t.toString(16)})`);
  return `(ref ${isNullable(t) ? 'null ' : ''}${isExact(t) ? 'exact ' : ''}${heapTypeName(heapTypeOf(t))})`;
}

export function typeListName(types: ArrayLike<ValType>, start = 0, end = types.length): string {
  let s = '[';
  for (let i = start; i < end; i++) s += (i > start ? ' ' : '') + typeName(types[i]!);
  return s + ']';
}
