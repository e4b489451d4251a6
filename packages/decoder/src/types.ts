// The module model produced by the decoder and consumed by the validator, both compiler tiers,
// the text printer and the runtime. Hot-path values (value types, operator ids) are small
// integers so that the operator loop and the compilers allocate nothing per operator.
// Spec: https://webassembly.github.io/spec/core/binary/types.html

/**
 * A value type, encoded as one integer:
 *  - numeric and vector types: their binary code byte (`ValType.I32` = 0x7f, …, `ValType.V128` = 0x7b);
 *  - packed storage types (struct/array fields only): `ValType.I8` = 0x78, `ValType.I16` = 0x77;
 *  - reference types: `REF_FLAG | (nullable ? NULLABLE_FLAG : 0) | (exact ? EXACT_FLAG : 0) | heapType << HEAP_SHIFT`,
 *    built with {@link refType}. A heap type is an abstract heap-type code (`HeapType.Func`, …)
 *    or a type index `i` encoded as `i + HEAP_INDEX_BASE`.
 * `ValType.Bottom` is the validator's "unknown" type of the polymorphic stack.
 */
export type ValType = number;
export const ValType = {
  I32: 0x7f,
  I64: 0x7e,
  F32: 0x7d,
  F64: 0x7c,
  V128: 0x7b,
  I8: 0x78,
  I16: 0x77,
  Bottom: 0,
} as const;

/** A heap type: an abstract heap-type code, or `typeIndex + HEAP_INDEX_BASE`. */
export type HeapType = number;
export const HeapType = {
  NoExn: 0x74,
  NoFunc: 0x73,
  NoExtern: 0x72,
  None: 0x71,
  Func: 0x70,
  Extern: 0x6f,
  Any: 0x6e,
  Eq: 0x6d,
  I31: 0x6c,
  Struct: 0x6b,
  Array: 0x6a,
  Exn: 0x69,
} as const;

export const REF_FLAG = 0x100;
export const NULLABLE_FLAG = 0x200;
/** `(ref exact $t)` of the custom-descriptors proposal. */
export const EXACT_FLAG = 0x400;
export const HEAP_SHIFT = 11;
/** Concrete heap types (type indices) are stored above the abstract codes, which are all < 0x80. */
export const HEAP_INDEX_BASE = 0x80;

export function refType(nullable: boolean, heap: HeapType, exact = false): ValType {
  return REF_FLAG | (nullable ? NULLABLE_FLAG : 0) | (exact ? EXACT_FLAG : 0) | (heap << HEAP_SHIFT);
}
export const isRefType = (t: ValType): boolean => (t & REF_FLAG) !== 0;
export const isNullable = (t: ValType): boolean => (t & NULLABLE_FLAG) !== 0;
export const isExact = (t: ValType): boolean => (t & EXACT_FLAG) !== 0;
export const heapTypeOf = (t: ValType): HeapType => t >>> HEAP_SHIFT;
export const isConcreteHeap = (h: HeapType): boolean => h >= HEAP_INDEX_BASE;
export const heapFromTypeIndex = (index: number): HeapType => index + HEAP_INDEX_BASE;
export const typeIndexOfHeap = (h: HeapType): number => h - HEAP_INDEX_BASE;

/** The shorthands of the binary and text formats. */
export const FUNCREF: ValType = refType(true, HeapType.Func);
export const EXTERNREF: ValType = refType(true, HeapType.Extern);
export const ANYREF: ValType = refType(true, HeapType.Any);
export const EXNREF: ValType = refType(true, HeapType.Exn);

export type StorageType = ValType; // a ValType or ValType.I8 / ValType.I16

// Text-format names of the types: the one table, shared by the validator's messages, the text
// parser and the printer.  https://webassembly.github.io/spec/core/text/types.html

/** Numeric and vector types. */
export const NUMERIC_TYPE_NAMES: ReadonlyMap<ValType, string> = new Map([
  [ValType.I32, 'i32'],
  [ValType.I64, 'i64'],
  [ValType.F32, 'f32'],
  [ValType.F64, 'f64'],
  [ValType.V128, 'v128'],
]);

/** Packed storage types (struct and array fields only). */
export const PACKED_TYPE_NAMES: ReadonlyMap<ValType, string> = new Map([
  [ValType.I8, 'i8'],
  [ValType.I16, 'i16'],
]);

/** Abstract heap types. */
export const HEAP_TYPE_NAMES: ReadonlyMap<HeapType, string> = new Map([
  [HeapType.Func, 'func'],
  [HeapType.Extern, 'extern'],
  [HeapType.Any, 'any'],
  [HeapType.Eq, 'eq'],
  [HeapType.I31, 'i31'],
  [HeapType.Struct, 'struct'],
  [HeapType.Array, 'array'],
  [HeapType.Exn, 'exn'],
  [HeapType.None, 'none'],
  [HeapType.NoFunc, 'nofunc'],
  [HeapType.NoExtern, 'noextern'],
  [HeapType.NoExn, 'noexn'],
]);

/** The shorthand of the nullable reference to each abstract heap type (`funcref` is `(ref null func)`). */
export const REF_SHORTHAND_NAMES: ReadonlyMap<HeapType, string> = new Map([
  [HeapType.Func, 'funcref'],
  [HeapType.Extern, 'externref'],
  [HeapType.Any, 'anyref'],
  [HeapType.Eq, 'eqref'],
  [HeapType.I31, 'i31ref'],
  [HeapType.Struct, 'structref'],
  [HeapType.Array, 'arrayref'],
  [HeapType.Exn, 'exnref'],
  [HeapType.None, 'nullref'],
  [HeapType.NoFunc, 'nullfuncref'],
  [HeapType.NoExtern, 'nullexternref'],
  [HeapType.NoExn, 'nullexnref'],
]);

export interface FieldType {
  readonly type: StorageType;
  readonly mutable: boolean;
}

export type CompositeType =
  | { readonly kind: 'func'; readonly params: readonly ValType[]; readonly results: readonly ValType[] }
  | { readonly kind: 'struct'; readonly fields: readonly FieldType[] }
  | { readonly kind: 'array'; readonly element: FieldType };

export type FuncType = Extract<CompositeType, { kind: 'func' }>;

/** One entry of the type section, as a member of its recursion group. */
export interface SubType {
  readonly final: boolean;
  /** Declared supertype indices (at most one in Wasm 3.0). */
  readonly supertypes: readonly number[];
  readonly composite: CompositeType;
  /** Index of the first type of this type's recursion group, and the group's size. */
  readonly recGroupStart: number;
  readonly recGroupSize: number;
  /** custom-descriptors proposal: `(describes $t)` / `(descriptor $t)` type indices, or -1. */
  readonly describes: number;
  readonly descriptor: number;
  /** Module offset of this type's entry (of the member itself inside a `rec` group), for error messages. */
  readonly offset: number;
}

export type AddressType = 'i32' | 'i64';

/** Limits are bigints: 64-bit tables and memories may declare values above 2^53. */
export interface Limits {
  readonly min: bigint;
  readonly max: bigint | null;
  readonly shared: boolean;
  readonly address: AddressType;
  /** custom-page-sizes proposal: log2 of the page size; 16 (64 KiB) unless declared. */
  readonly pageSizeLog2: number;
}

export interface TableType {
  readonly element: ValType;
  readonly limits: Limits;
}
export type MemoryType = Limits;
export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}
export interface TagType {
  /** Index of the tag's function type (its results must be empty). */
  readonly typeIndex: number;
}

/**
 * An entry of the module's table, memory or tag index space, with the module offset of its
 * declaration for error messages: the table/memory/tag entry for a defined one, the import
 * entry for an imported one.
 */
export interface DeclaredTable extends TableType {
  readonly offset: number;
}
export interface DeclaredMemory extends MemoryType {
  readonly offset: number;
}
export interface DeclaredTag extends TagType {
  readonly offset: number;
}

export const ExternKind = { Func: 0, Table: 1, Memory: 2, Global: 3, Tag: 4 } as const;
export type ExternKind = (typeof ExternKind)[keyof typeof ExternKind];

export type ImportDesc =
  | { readonly kind: typeof ExternKind.Func; readonly typeIndex: number }
  | { readonly kind: typeof ExternKind.Table; readonly type: TableType }
  | { readonly kind: typeof ExternKind.Memory; readonly type: MemoryType }
  | { readonly kind: typeof ExternKind.Global; readonly type: GlobalType }
  | { readonly kind: typeof ExternKind.Tag; readonly type: TagType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
  /** Byte offset of the import entry, for error messages. */
  readonly offset: number;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
  readonly offset: number;
}

/**
 * A span of operator bytes: a constant expression or a function body. `bytes` is a view that
 * holds exactly the span; `offset` is the module offset of `bytes[0]`, for error messages.
 * Bytes are kept as views, never copied, unless a streaming chunk boundary split them.
 */
export interface CodeSpan {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: CodeSpan;
}

export interface Table {
  readonly type: TableType;
  /** Present when the table declares an initialiser expression (0x40 0x00 table encoding). */
  readonly init: CodeSpan | null;
}

export type SegmentMode = 'active' | 'passive' | 'declarative';

export interface ElementSegment {
  readonly mode: SegmentMode;
  readonly table: number;
  readonly offsetExpr: CodeSpan | null;
  /** The element reference type: `(ref func)` for the function-index encodings 0–3 (Wasm 3.0), as declared for 4–7. */
  readonly type: ValType;
  /** Function indices (encodings 0–3) or null when the segment is given as expressions. */
  readonly functionIndices: readonly number[] | null;
  /** Initialiser expressions (encodings 4–7) or null. */
  readonly exprs: readonly CodeSpan[] | null;
  readonly offset: number;
}

export interface DataSegment {
  readonly mode: 'active' | 'passive';
  readonly memory: number;
  readonly offsetExpr: CodeSpan | null;
  readonly bytes: Uint8Array;
  readonly offset: number;
}

export interface LocalDecl {
  readonly count: number;
  readonly type: ValType;
}

export interface FunctionBody {
  /** Index in the function index space (imports first). */
  readonly funcIndex: number;
  readonly locals: readonly LocalDecl[];
  /** The operators, from just after the local declarations to the final `end` inclusive. */
  readonly code: CodeSpan;
  /** Module offset of the body's size field. */
  readonly offset: number;
}

/**
 * What a compiler tier is given for one defined function: its body and the decoded module it
 * belongs to (types, imports, memories, globals). Nothing from validation: compile workers start
 * on bodies while another worker is still validating the module (its code is thrown away if
 * validation fails), so what a compiler needs must follow from the decoded module alone —
 * signature checks, for instance, read canonical type ids from the VM context at run time.
 * The body's `funcIndex` names the function; compilers may assume the module is valid.
 */
export interface FunctionCompileInput {
  readonly module: Module;
  readonly body: FunctionBody;
}

export interface CustomSection {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly offset: number;
}

export interface NameMap {
  readonly get: (index: number) => string | undefined;
}

/** The name section, decoded leniently: a malformed name section leaves this null, never fails. */
export interface Names {
  module: string | null;
  functions: Map<number, string>;
  locals: Map<number, Map<number, string>>;
  labels: Map<number, Map<number, string>>;
  types: Map<number, string>;
  fields: Map<number, Map<number, string>>;
  tables: Map<number, string>;
  memories: Map<number, string>;
  globals: Map<number, string>;
  elems: Map<number, string>;
  datas: Map<number, string>;
  tags: Map<number, string>;
}

export interface Module {
  readonly types: SubType[];
  readonly imports: Import[];
  /** Type index of every function in the function index space, imports first. */
  readonly functions: number[];
  readonly numImportedFunctions: number;
  readonly tables: DeclaredTable[];
  /** Parallel to `tables` (imports included): the initialiser of the 0x40 0x00 encoding, else null. */
  readonly tableInits: (CodeSpan | null)[];
  readonly numImportedTables: number;
  readonly memories: DeclaredMemory[];
  readonly numImportedMemories: number;
  readonly globals: GlobalType[];
  /** One per defined global: `globalInits[i]` initialises global `numImportedGlobals + i`. */
  readonly globalInits: CodeSpan[];
  readonly numImportedGlobals: number;
  readonly tags: DeclaredTag[];
  readonly numImportedTags: number;
  readonly exports: Export[];
  start: number | null;
  /** Module offset of the start section's function index, or -1 when there is no start section. */
  startOffset: number;
  readonly elements: ElementSegment[];
  /** The data count section's value, or null when the section is absent. */
  dataCount: number | null;
  readonly codes: FunctionBody[];
  readonly datas: DataSegment[];
  readonly customSections: CustomSection[];
  names: Names | null;
}
