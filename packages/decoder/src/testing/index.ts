export type {
  DataSpec,
  ElementSpec,
  FuncTypeSpec,
  ImportSpec,
  LimitsSpec,
  Placement,
  SubTypeSpec,
  TableSpec,
} from './module-builder.ts';
export { ModuleBuilder, limitsBytes } from './module-builder.ts';
export type { BlockTypeArg, CatchSpec, MemArgSpec } from './op.ts';
export { op } from './op.ts';
export { f32Bytes, f64Bytes, heapTypeBytes, nameBytes, sleb, uleb, valTypeBytes, vec } from './encoding.ts';
