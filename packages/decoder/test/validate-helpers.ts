// Test-only: builds a decoded `Module` record directly, for validator tests that must not depend
// on the section decoders, and runs the validator expecting success or a given error.
import { expect } from 'vitest';
import { CompileError } from '../src/errors.ts';
import type { CodeSpan, DataSegment, ElementSegment, Export, GlobalType, LocalDecl, MemoryType, Module, SubType, TableType, TagType, ValType } from '../src/types.ts';
import { type ValidationResult, validateModule } from '../src/validate/module-validator.ts';

export interface FuncSpec {
  readonly type: number;
  readonly locals?: readonly LocalDecl[];
  /** Operator bytes including the final `end`. */
  readonly body: readonly number[];
}

export interface ModuleSpec {
  readonly types?: readonly (SubType | { params: ValType[]; results: ValType[] })[];
  readonly importedFuncs?: readonly number[];
  readonly funcs?: readonly FuncSpec[];
  readonly tables?: readonly TableType[];
  readonly tableInits?: readonly (readonly number[] | null)[];
  readonly memories?: readonly MemoryType[];
  readonly globals?: readonly { type: GlobalType; init: readonly number[] }[];
  readonly importedGlobals?: readonly GlobalType[];
  readonly tags?: readonly TagType[];
  readonly exports?: readonly Export[];
  readonly start?: number;
  readonly elements?: readonly Partial<ElementSegment>[];
  readonly datas?: readonly Partial<DataSegment>[];
  readonly dataCount?: number;
}

/** Where each function body starts in the fake module, so offsets in errors are predictable. */
export const BODY_BASE = 0x100;
export const BODY_STRIDE = 0x100;
export const CONST_BASE = 0x8000;
/** Where the hand-built modules pretend their module-level entries are (entry i of a kind at base + i). */
export const TYPE_SECTION_AT = 0x0b;
export const TABLE_SECTION_AT = 0x30;
export const MEMORY_SECTION_AT = 0x40;
export const TAG_SECTION_AT = 0x50;
export const START_SECTION_AT = 0x60;

export const memory = (min: number, max: number | null = null, address: 'i32' | 'i64' = 'i32'): MemoryType => ({
  min: BigInt(min),
  max: max === null ? null : BigInt(max),
  shared: false,
  address,
  pageSizeLog2: 16,
});

export function funcType(params: ValType[], results: ValType[], i = 0): SubType {
  return { final: true, supertypes: [], composite: { kind: 'func', params, results }, recGroupStart: i, recGroupSize: 1, describes: -1, descriptor: -1, offset: TYPE_SECTION_AT + i };
}

let constAt = CONST_BASE;
const span = (bytes: readonly number[], offset = constAt): CodeSpan => {
  constAt += 0x40;
  return { bytes: Uint8Array.from(bytes), offset };
};

export function makeModule(spec: ModuleSpec): Module {
  constAt = CONST_BASE;
  const types = (spec.types ?? []).map((t, i) => ('composite' in t ? t : funcType(t.params, t.results, i)));
  const imported = spec.importedFuncs ?? [];
  const funcs = spec.funcs ?? [];
  const importedGlobals = spec.importedGlobals ?? [];
  return {
    types,
    imports: [
      ...imported.map((typeIndex, i) => ({ module: 'm', name: `f${i}`, desc: { kind: 0 as const, typeIndex }, offset: 0x20 })),
      ...importedGlobals.map((type, i) => ({ module: 'm', name: `g${i}`, desc: { kind: 3 as const, type }, offset: 0x20 })),
    ],
    functions: [...imported, ...funcs.map((f) => f.type)],
    numImportedFunctions: imported.length,
    tables: (spec.tables ?? []).map((t, i) => ({ ...t, offset: TABLE_SECTION_AT + i })),
    tableInits: (spec.tableInits ?? (spec.tables ?? []).map(() => null)).map((b) => (b === null ? null : span(b))),
    numImportedTables: 0,
    memories: (spec.memories ?? []).map((m, i) => ({ ...m, offset: MEMORY_SECTION_AT + i })),
    numImportedMemories: 0,
    globals: [...importedGlobals, ...(spec.globals ?? []).map((g) => g.type)],
    globalInits: (spec.globals ?? []).map((g) => span(g.init)),
    numImportedGlobals: importedGlobals.length,
    tags: (spec.tags ?? []).map((t, i) => ({ ...t, offset: TAG_SECTION_AT + i })),
    numImportedTags: 0,
    exports: [...(spec.exports ?? [])],
    start: spec.start ?? null,
    startOffset: spec.start === undefined ? -1 : START_SECTION_AT,
    elements: (spec.elements ?? []).map((e) => ({
      mode: 'passive',
      table: 0,
      offsetExpr: null,
      type: 0,
      functionIndices: null,
      exprs: null,
      offset: 0x40,
      ...e,
    })) as ElementSegment[],
    dataCount: spec.dataCount ?? null,
    codes: funcs.map((f, i) => ({
      funcIndex: imported.length + i,
      locals: f.locals ?? [],
      code: { bytes: Uint8Array.from(f.body), offset: BODY_BASE + i * BODY_STRIDE },
      offset: BODY_BASE + i * BODY_STRIDE - 2,
    })),
    datas: (spec.datas ?? []).map((d) => ({ mode: 'passive', memory: 0, offsetExpr: null, bytes: new Uint8Array(0), offset: 0x60, ...d })) as DataSegment[],
    customSections: [],
    names: null,
  };
}

export function expectValid(module: Module): ValidationResult {
  return validateModule(module);
}

/** Expects validation to fail with a message starting with `reason`, at `offset` when given. */
export function expectInvalid(module: Module, reason: string, offset?: number): CompileError {
  let error: unknown = null;
  try {
    validateModule(module);
  } catch (e) {
    error = e;
  }
  expect(error, `expected "${reason}"`).toBeInstanceOf(CompileError);
  const compileError = error as CompileError;
  expect(compileError.message.startsWith(reason), `message "${compileError.message}" should start with "${reason}"`).toBe(true);
  if (offset !== undefined) expect(compileError.offset).toBe(offset);
  return compileError;
}
