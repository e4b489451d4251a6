export type {
  AddressType,
  CodeSpan,
  CompositeType,
  CustomSection,
  DataSegment,
  DeclaredMemory,
  DeclaredTable,
  DeclaredTag,
  ElementSegment,
  Export,
  FieldType,
  FuncType,
  FunctionBody,
  FunctionCompileInput,
  Global,
  GlobalType,
  Import,
  ImportDesc,
  Limits,
  LocalDecl,
  MemoryType,
  Module,
  Names,
  SegmentMode,
  StorageType,
  SubType,
  TableType,
  TagType,
} from './types.ts';
export {
  ANYREF,
  EXNREF,
  EXTERNREF,
  ExternKind,
  FUNCREF,
  HEAP_TYPE_NAMES,
  HeapType,
  NUMERIC_TYPE_NAMES,
  PACKED_TYPE_NAMES,
  REF_SHORTHAND_NAMES,
  ValType,
  heapFromTypeIndex,
  heapTypeOf,
  isConcreteHeap,
  isExact,
  isNullable,
  isRefType,
  refType,
  typeIndexOfHeap,
} from './types.ts';
export type { Feature, OperatorInfo, OperatorName } from './opcodes.ts';
export { Imm, OPERATORS, OPERATORS_BY_NAME, OPERATOR_BY_ID, OPERATOR_ID_LIMIT, Op, PREFIX_BASE, operatorId } from './opcodes.ts';
export type { OperatorVisitor } from './operators.ts';
export { BlockTypeKind, CatchKind, Immediates, OperatorReader, readOperators } from './operators.ts';
export { CompileError } from './errors.ts';
export { isValidUtf8, utf8SequenceLength } from './utf8.ts';
export type { DecodeFeatures, DecodeOptions } from './options.ts';
export type { StreamingListener } from './streaming.ts';
export { StreamingDecoder, decodeModule } from './streaming.ts';
export { ImplementationLimits } from './limits.ts';
export { SectionId } from './section-ids.ts';
export type { ModuleFeature } from './validate/features.ts';
export type { ValidateOptions, ValidationResult } from './validate/module-validator.ts';
export { validateModule } from './validate/module-validator.ts';
export { validate } from './validate/validate-bytes.ts';
export { TypeCanonicalizer } from './validate/type-canonicalizer.ts';
