// Module validation: types, imports, functions, tables, memories, globals, tags, exports, start,
// element and data segments, then function bodies. Constant expressions are validated before
// bodies because they declare the functions that `ref.func` may name inside bodies.
// Spec: https://webassembly.github.io/spec/core/valid/modules.html
import { compileError } from '../errors.ts';
import { OperatorReader } from '../operators.ts';
import type { CodeSpan, Limits, Module, ValType } from '../types.ts';
import { ExternKind, ValType as V, isNullable, isRefType } from '../types.ts';
import { type ModuleFeature, collectFeatures } from './features.ts';
import { isPlainConstant } from '../sections/context.ts';
import { hasPlainOffset } from '../sections/data-section.ts';
import { hasPlainElementOffset } from '../sections/element-section.ts';
import { validateFunctionBody } from './body-loop.ts';
import { FunctionValidator } from './function-validator.ts';
import { checkMemoryType, checkTableLimits } from './limits.ts';
import { ModuleContext, typeListName, typeName } from './module-context.ts';
import { TypeCanonicalizer } from './type-canonicalizer.ts';
import { checkSubtypes, checkTypeReferences } from './type-section.ts';

export interface ValidateOptions {
  /**
   * Canonicalizer to intern this module's types into; share one across the modules of a store
   * so canonical ids compare across modules. A fresh one is used when absent.
   */
  readonly canonicalizer?: TypeCanonicalizer;
}

export interface ValidationResult {
  /** Proposals the module uses, from its operators, types and sections. */
  readonly features: ReadonlySet<ModuleFeature>;
  /** Canonical id of each type index (iso-recursive equivalence), from `canonicalizer`. */
  readonly canonicalTypeIds: Int32Array;
  readonly canonicalizer: TypeCanonicalizer;
  /** Functions that `ref.func` may name (declared in segments, exports or module-level expressions), by index. */
  readonly declaredFunctions: Uint8Array;
}

const KIND_NAMES = ['function', 'table', 'memory', 'global', 'tag'] as const;

/** Validates a decoded module; throws `CompileError` with the testsuite's reason as the leading phrase. */
export function validateModule(module: Module, options: ValidateOptions = {}): ValidationResult {
  checkTypeReferences(module.types);
  const canonicalizer = options.canonicalizer ?? new TypeCanonicalizer();
  const canonicalTypeIds = canonicalizer.canonicalize(module.types);
  const ctx = new ModuleContext(module, canonicalTypeIds, canonicalizer);
  checkSubtypes(ctx);
  const types = new ModuleTypes(ctx);

  for (const imp of module.imports) {
    const where = `import "${imp.module}" "${imp.name}"`;
    const desc = imp.desc;
    if (desc.kind === ExternKind.Func) types.funcType(desc.typeIndex, imp.offset, where);
    else if (desc.kind === ExternKind.Table) types.valType(desc.type.element, imp.offset, where);
    else if (desc.kind === ExternKind.Memory) checkMemoryType(desc.type, imp.offset, where);
    else if (desc.kind === ExternKind.Global) types.valType(desc.type.type, imp.offset, where);
    else types.tagType(desc.type.typeIndex, imp.offset, where);
    if (desc.kind === ExternKind.Table) checkTableLimits(desc.type.limits, imp.offset, where);
  }
  for (let i = module.numImportedFunctions; i < module.functions.length; i++) {
    const body = module.codes[i - module.numImportedFunctions];
    const typeIndex = module.functions[i]!;
    // The message is built only for a failure: large modules have ~10^4 functions.
    if (typeIndex >= ctx.types.length || ctx.paramsList[typeIndex]! < 0) types.funcType(typeIndex, body?.offset ?? 0, `function #${i}`);
  }
  for (let i = module.numImportedTags; i < module.tags.length; i++) types.tagType(module.tags[i]!.typeIndex, module.tags[i]!.offset, `tag #${i}`);
  for (let i = module.numImportedMemories; i < module.memories.length; i++) checkMemoryType(module.memories[i]!, module.memories[i]!.offset, `memory #${i}`);

  // Exports declare functions for ref.func before any constant expression is validated.
  for (const exp of module.exports) if (exp.kind === ExternKind.Func && exp.index < module.functions.length) ctx.declaredFunctions[exp.index] = 1;
  for (const segment of module.elements) {
    if (segment.functionIndices === null) continue;
    for (const f of segment.functionIndices) {
      if (f >= module.functions.length) throw compileError(`unknown function ${f}`, `element segment names function ${f} of ${module.functions.length}`, segment.offset, 'element section');
      ctx.declaredFunctions[f] = 1;
    }
  }

  const v = new FunctionValidator(ctx);
  const reader = new OperatorReader();
  const constExpr = (span: CodeSpan, type: ValType, description: string, globalLimit: number): void => {
    if (isPlainConstant(span.bytes, 0, span.bytes.length, type)) {
      markPlainConstant(ctx, type);
      return;
    }
    v.beginConstExpr(type, description, globalLimit, span.bytes, span.offset);
    reader.read(span, 0, v, true, description);
    v.finish(span.offset + span.bytes.length);
  };

  for (let i = module.numImportedTables; i < module.tables.length; i++) {
    const table = module.tables[i]!;
    const init = module.tableInits[i - module.numImportedTables] ?? null;
    const where = `table #${i}`;
    const offset = table.offset;
    types.valType(table.element, offset, where);
    checkTableLimits(table.limits, offset, where);
    if (init !== null) constExpr(init, table.element, `initializer of table #${i}`, module.numImportedGlobals);
    else if (isRefType(table.element) && !isNullable(table.element)) {
      throw compileError('type mismatch', `table #${i} of non-nullable ${typeName(table.element)} needs an initializer expression`, offset, where);
    }
  }
  for (let i = module.numImportedGlobals; i < module.globals.length; i++) {
    const global = module.globals[i]!;
    const init = module.globalInits[i - module.numImportedGlobals]!;
    types.valType(global.type, init.offset, `global #${i}`);
    // Wasm 3.0: an initializer may read any earlier immutable global, imported or not.
    constExpr(init, global.type, `initializer of global #${i}`, i);
  }

  const exportNames = new Set<string>();
  const counts = [module.functions.length, module.tables.length, module.memories.length, module.globals.length, module.tags.length];
  for (const exp of module.exports) {
    if (exportNames.has(exp.name)) throw compileError('duplicate export name', `"${exp.name}" is exported twice`, exp.offset, 'export section');
    exportNames.add(exp.name);
    const count = counts[exp.kind]!;
    if (exp.index >= count) {
      throw compileError(`unknown ${KIND_NAMES[exp.kind]} ${exp.index}`, `export "${exp.name}" names ${KIND_NAMES[exp.kind]} ${exp.index} of ${count}`, exp.offset, 'export section');
    }
  }

  if (module.start !== null) {
    const start = module.start;
    if (start >= module.functions.length) throw compileError(`unknown function ${start}`, `start function ${start} of ${module.functions.length}`, module.startOffset, 'start section');
    const typeIndex = module.functions[start]!;
    const params = ctx.lists[ctx.paramsList[typeIndex]!]!;
    const results = ctx.lists[ctx.resultsList[typeIndex]!]!;
    if (params.length !== 0 || results.length !== 0) {
      throw compileError('start function', `function ${start} has type ${typeListName(params)} -> ${typeListName(results)}, not [] -> []`, module.startOffset, 'start section');
    }
  }

  // The JS API allows 10^7 element segments: nothing is allocated per segment unless it is
  // needed (a description only for an error, an offset's view only when it is not a plain constant).
  for (let s = 0; s < module.elements.length; s++) {
    const segment = module.elements[s]!;
    if (!ctx.isKnownType(segment.type)) types.valType(segment.type, segment.offset, elementSegmentName(s));
    const elemType = ctx.elemTypes[s]!;
    if (segment.mode === 'active') {
      const table = module.tables[segment.table];
      if (table === undefined) throw compileError(`unknown table ${segment.table}`, `${elementSegmentName(s)} targets table ${segment.table} of ${module.tables.length}`, segment.offset, elementSegmentName(s));
      if (!ctx.isSubtype(elemType, table.element)) {
        throw compileError('type mismatch', `${elementSegmentName(s)} of ${typeName(elemType)} does not fit table ${segment.table} of ${typeName(table.element)}`, segment.offset, elementSegmentName(s));
      }
      const type = addressType(table.limits);
      if (hasPlainElementOffset(segment, type)) markPlainConstant(ctx, type);
      else if (segment.offsetExpr !== null) constExpr(segment.offsetExpr, type, `offset of ${elementSegmentName(s)}`, module.globals.length);
    }
    if (segment.exprs !== null) for (const expr of segment.exprs) constExpr(expr, segment.type, `element of ${elementSegmentName(s)}`, module.globals.length);
  }

  if (module.dataCount !== null && module.dataCount !== module.datas.length) {
    throw compileError('data count and data section have inconsistent lengths', `data count ${module.dataCount}, data segments ${module.datas.length}`, 0, 'data section');
  }
  for (let s = 0; s < module.datas.length; s++) {
    const segment = module.datas[s]!;
    if (segment.mode !== 'active') continue;
    const memory = module.memories[segment.memory];
    if (memory === undefined) {
      const where = `data segment #${s}`;
      throw compileError(`unknown memory ${segment.memory}`, `${where} targets memory ${segment.memory} of ${module.memories.length}`, segment.offset, where);
    }
    // Plain constants are checked in place, before any view or description is made: large
    // modules have ~10^5 data segments.
    const type = addressType(memory);
    if (hasPlainOffset(segment, type)) markPlainConstant(ctx, type);
    else if (segment.offsetExpr !== null) constExpr(segment.offsetExpr, type, `offset of data segment #${s}`, module.globals.length);
  }

  const defined = module.functions.length - module.numImportedFunctions;
  if (module.codes.length !== defined) {
    throw compileError('function and code section have inconsistent lengths', `${defined} functions declared, ${module.codes.length} bodies`, 0, 'code section');
  }
  for (const body of module.codes) {
    v.beginFunction(body.funcIndex, body.locals, body.code.bytes, body.code.offset);
    validateFunctionBody(v, reader, body.code, body.funcIndex);
    v.finish(body.code.offset + body.code.bytes.length);
  }

  return {
    features: collectFeatures(module, ctx.seenOperators, ctx.usesMultiValue, ctx.usesExtendedConst),
    canonicalTypeIds,
    canonicalizer,
    declaredFunctions: ctx.declaredFunctions,
  };
}

const elementSegmentName = (index: number): string => `element segment #${index}`;

const addressType = (limits: Limits): ValType => (limits.address === 'i64' ? V.I64 : V.I32);

const OP_I32_CONST = 0x41;
const OP_I64_CONST = 0x42;
const OP_END = 0x0b;

/** Records the operators of a plain constant of `type` as seen (for `features`), as validating it would. */
function markPlainConstant(ctx: ModuleContext, type: ValType): void {
  ctx.seenOperators[type === V.I64 ? OP_I64_CONST : OP_I32_CONST] = 1;
  ctx.seenOperators[OP_END] = 1;
}

/** Checks of type uses outside function bodies. */
class ModuleTypes {
  constructor(private readonly ctx: ModuleContext) {}

  valType(t: ValType, offset: number, where: string): void {
    if (!this.ctx.isKnownType(t)) throw compileError('unknown type', `${where} uses ${typeName(t)}`, offset, where);
  }

  funcType(index: number, offset: number, where: string): void {
    if (index >= this.ctx.types.length) throw compileError('unknown type', `${where} uses type ${index} of ${this.ctx.types.length}`, offset, where);
    if (this.ctx.paramsList[index]! < 0) throw compileError('unknown type', `${where} uses type ${index}, which is not a function type`, offset, where);
  }

  tagType(index: number, offset: number, where: string): void {
    this.funcType(index, offset, where);
    if (this.ctx.lists[this.ctx.resultsList[index]!]!.length !== 0) {
      throw compileError('non-empty tag result type', `${where} uses type ${index}, whose results are not empty`, offset, where);
    }
  }
}
