// Modules in the text format → the binary format. Three passes over the module's fields:
//   1. index spaces (indices.ts): every definition (explicit, imported, or implied by an inline abbreviation)
//      gets its index and name, so later references may point forward;
//   2. type definitions, so that inline type uses can find or append function types;
//   3. everything else, in text order — which is also the order in which implicit types are
//      appended to the type section, as the spec's abbreviation rules require.
// Spec: https://webassembly.github.io/spec/core/text/modules.html
import { ByteWriter } from '../encode/buffer.ts';
import { encodeNameSection } from '../encode/names.ts';
import { assembleModule } from '../encode/sections.ts';
import { syntaxError } from '../errors.ts';
import { parseCustomAnnotation, parseNameAnnotation } from './annotations.ts';
import type { CustomSection } from './annotations.ts';
import type { ModuleSections } from '../encode/sections.ts';
import { Tok } from '../lexer.ts';
import { parseUnsigned } from '../numbers.ts';
import { ModuleContext } from './context.ts';
import { DEFINITION_KINDS, defineIndices } from './indices.ts';
import type { DefinitionKind } from './indices.ts';
import { Cursor } from './cursor.ts';
import { InstructionEncoder } from './instructions.ts';
import { SegmentEncoder, writeElemSegment } from './segments.ts';
import { atRefType, parseRefType, parseTypeDefinition, parseTypeUse, parseValType, writeValType } from './types.ts';

const DEFAULT_PAGE_SIZE_LOG2 = 16;
/** The extern kind of an exact function import (custom-descriptors proposal, as its binary tests use). */
const EXTERN_CODE_EXACT_FUNC = 0x20;
const EXTERN_CODE: Record<DefinitionKind, number> = { func: 0, table: 1, memory: 2, global: 3, tag: 4 };

export interface EncodeModuleOptions {
  /** Write a name section for the text's `$identifiers` (annotations are written regardless). */
  readonly names?: boolean;
  /** The module's own `$id`, for the name section. */
  readonly moduleId?: string | null;
  /**
   * The first token after `(module $id?` (or of a bare field sequence): annotations from here to
   * `end` belong to this module. Defaults to the cursor.
   */
  readonly headerStart?: number;
  /** Keep source marks: the result's `marks` then map module offsets to source offsets. */
  readonly sourceMarks?: boolean;
}

/** A module's bytes and, when asked for, its source marks (see `ByteWriter.marks`). */
export interface EncodedModule {
  readonly bytes: Uint8Array;
  /** Pairs (module offset, source offset or -1), ascending by module offset; null unless asked for. */
  readonly marks: readonly number[] | null;
}

/**
 * Encodes the module fields from the cursor up to (not including) token `end`, which is the
 * `)` closing `(module …` or the end of input for a bare sequence of fields.
 */
export function encodeModuleFields(cur: Cursor, end: number, options: EncodeModuleOptions = {}): Uint8Array {
  return encodeModule(cur, end, options).bytes;
}

/** `encodeModuleFields`, with the source marks when `options.sourceMarks` is set. */
export function encodeModule(cur: Cursor, end: number, options: EncodeModuleOptions = {}): EncodedModule {
  const ctx = new ModuleContext();
  const bodyStart = cur.pos;
  const headerStart = options.headerStart ?? bodyStart;
  const fields: number[] = [];
  for (let p = cur.pos; p < end; ) {
    if (cur.kind(p) !== Tok.LParen) cur.unexpected(p);
    if (cur.kind(p + 1) !== Tok.Keyword) cur.unexpected(p + 1);
    fields.push(p);
    p = cur.closeOf(p) + 1;
  }
  defineIndices(cur, ctx, fields);
  for (const p of fields) {
    if (cur.isKeyword('type', p + 1)) {
      cur.pos = p;
      ctx.addTypeDef(parseTypeDefinition(cur, ctx, ctx.typeDefs.length, 1, false));
    } else if (cur.isKeyword('rec', p + 1)) {
      cur.pos = p + 2;
      let size = 0;
      for (let q = cur.pos; cur.kind(q) === Tok.LParen; q = cur.closeOf(q) + 1) size++;
      const start = ctx.typeDefs.length;
      for (let k = 0; k < size; k++) {
        if (!cur.isOpen('type')) cur.unexpected();
        ctx.addTypeDef(parseTypeDefinition(cur, ctx, start, size, true));
      }
      cur.expectClose();
    }
  }
  const annotations = readAnnotations(cur, ctx, fields, headerStart, bodyStart, end);
  const withIds = options.names === true;
  const keepMarks = options.sourceMarks === true;
  const encoder = new FieldEncoder(cur, ctx, withIds, keepMarks);
  for (const p of fields) {
    cur.pos = p;
    if (keepMarks) encoder.markSections(cur.tokens.start[p]!);
    encoder.field();
  }
  cur.pos = end;
  let nameSection: ByteWriter | null = null;
  if (withIds || annotations.names) {
    nameSection = encodeNameSection({
      module: annotations.moduleName ?? (withIds ? (options.moduleId ?? null) : null),
      functions: ctx.funcs.nameMap(withIds),
      locals: encoder.localNames,
      types: ctx.types.nameMap(withIds),
      tables: ctx.tables.nameMap(withIds),
      memories: ctx.memories.nameMap(withIds),
      globals: ctx.globals.nameMap(withIds),
      elems: ctx.elems.nameMap(withIds),
      datas: ctx.datas.nameMap(withIds),
      fields: withIds ? fieldNameMaps(ctx) : NO_NAME_MAPS,
      tags: ctx.tags.nameMap(withIds),
    });
  }
  const out = assembleModule(ctx, encoder.sections, annotations.customs, nameSection, keepMarks);
  return { bytes: out.toBytes(), marks: out.marks };
}

const NO_NAME_MAPS: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map();

function fieldNameMaps(ctx: ModuleContext): Map<number, Map<number, string>> {
  const maps = new Map<number, Map<number, string>>();
  ctx.typeDefs.forEach((def, typeIndex) => {
    if (def.fieldNames === null) return;
    const map = new Map<number, string>();
    for (const [name, index] of def.fieldNames) map.set(index, name);
    maps.set(typeIndex, map);
  });
  return maps;
}

interface ModuleAnnotations {
  readonly customs: readonly CustomSection[];
  /** From `(@name …)` right after `(module $id?`. */
  readonly moduleName: string | null;
  /** Whether any `(@name …)` was given. */
  readonly names: boolean;
}

const NO_ANNOTATIONS: ModuleAnnotations = { customs: [], moduleName: null, names: false };

/**
 * The `(@custom …)` and `(@name …)` annotations of this module. A custom section may stand only
 * between fields; a name only right after `(module $id?` or after a definition's identifier.
 */
function readAnnotations(cur: Cursor, ctx: ModuleContext, fields: readonly number[], headerStart: number, bodyStart: number, end: number): ModuleAnnotations {
  const spans = cur.tokens.annotations;
  if (spans.length === 0) return NO_ANNOTATIONS;
  const { source, filename } = cur;
  const misplaced = (reason: string, at: number): never => {
    throw syntaxError(source, at, reason, filename);
  };
  let fieldStarts: Set<number> | null = null;
  const customs: CustomSection[] = [];
  let moduleName: string | null = null;
  let names = false;
  // Spans are in token order: start at the first one of this module (a script holds many modules).
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid]!.token < headerStart) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < spans.length && spans[k]!.token <= end; k++) {
    const span = spans[k]!;
    const t = span.token;
    if (span.id === 'custom') {
      fieldStarts ??= new Set(fields);
      if (t < bodyStart || (t !== end && !fieldStarts.has(t))) misplaced('misplaced @custom annotation', span.open);
      customs.push(parseCustomAnnotation(source, filename, span));
      continue;
    }
    const name = parseNameAnnotation(source, filename, span);
    names = true;
    const target = ctx.namePositions.get(t);
    if (target !== undefined) {
      if (!target.space.annotate(target.index, name)) misplaced(`@name annotation: multiple names for one ${target.space.kind}`, span.open);
    } else if (t === bodyStart) {
      if (moduleName !== null) misplaced('@name annotation: multiple module', span.open);
      moduleName = name;
    } else {
      misplaced('misplaced @name annotation', span.open);
    }
  }
  return { customs, moduleName, names };
}

class FieldEncoder {
  readonly sections: ModuleSections;
  private readonly cur: Cursor;
  private readonly ctx: ModuleContext;
  /** Local names by function index, when the name section carries identifiers. */
  readonly localNames = new Map<number, Map<number, string>>();
  private readonly recordLocalNames: boolean;
  private readonly instructions: InstructionEncoder;
  private readonly body: ByteWriter;
  private readonly segments: SegmentEncoder;
  private funcIndex = 0;
  private tableIndex = 0;
  private memoryIndex = 0;
  private globalIndex = 0;
  private tagIndex = 0;

  constructor(cur: Cursor, ctx: ModuleContext, recordLocalNames: boolean, keepMarks: boolean) {
    this.cur = cur;
    this.ctx = ctx;
    this.recordLocalNames = recordLocalNames;
    const writer = () => new ByteWriter(16, keepMarks);
    this.sections = {
      imports: writer(),
      importCount: 0,
      functions: [],
      tables: writer(),
      tableCount: 0,
      memories: writer(),
      memoryCount: 0,
      globals: writer(),
      globalCount: 0,
      tags: writer(),
      tagCount: 0,
      exports: writer(),
      exportCount: 0,
      start: -1,
      startSource: -1,
      elems: writer(),
      elemCount: 0,
      code: writer(),
      codeCount: 0,
      datas: writer(),
      dataCount: 0,
    };
    this.body = new ByteWriter(256, keepMarks);
    this.instructions = new InstructionEncoder(cur, ctx, keepMarks);
    this.segments = new SegmentEncoder(cur, ctx, this.instructions, this.sections);
  }

  /**
   * Marks every section writer with the source offset of the field about to be encoded: what it
   * writes to any of them (an inline export or import included) maps back to the field; a writer
   * it leaves alone gets a mark that the next field's overrides.
   */
  markSections(sourceOffset: number): void {
    const s = this.sections;
    for (const w of [s.imports, s.tables, s.memories, s.globals, s.tags, s.exports, s.elems, s.code, s.datas]) w.mark(sourceOffset);
  }

  field(): void {
    const cur: Cursor = this.cur;
    const kw = cur.text(cur.pos + 1);
    switch (kw) {
      case 'type':
      case 'rec':
        return; // encoded from the type table
      case 'import':
        return this.importField();
      case 'func':
      case 'table':
      case 'memory':
      case 'global':
      case 'tag':
        return this.definition(kw);
      case 'export':
        return this.exportField();
      case 'start':
        return this.startField();
      case 'elem':
        return this.segments.elemField();
      case 'data':
        return this.segments.dataField();
    }
  }

  private importField(): void {
    const cur: Cursor = this.cur;
    const s = this.sections;
    cur.pos += 2;
    const module = cur.nameBytes();
    const name = cur.nameBytes();
    cur.expectOpen();
    const kind = cur.text() as DefinitionKind;
    if (!DEFINITION_KINDS.includes(kind)) cur.unexpected();
    cur.pos++;
    cur.maybeId();
    s.imports.vecBytes(module);
    s.imports.vecBytes(name);
    this.importDescription(kind);
    cur.expectClose();
    cur.expectClose();
  }

  // The part of an import after the names: kind code and type.
  private importDescription(kind: DefinitionKind): void {
    const cur: Cursor = this.cur;
    const w = this.sections.imports;
    this.sections.importCount++;
    w.byte(EXTERN_CODE[kind]);
    switch (kind) {
      case 'func': {
        // custom-descriptors: `(exact typeuse)` imports a function of exactly that type.
        const exact = cur.eatOpen('exact');
        if (exact) w.bytes[w.length - 1] = EXTERN_CODE_EXACT_FUNC;
        w.u32(parseTypeUse(cur, this.ctx, true).typeIndex);
        if (exact) cur.expectClose();
        this.funcIndex++;
        break;
      }
      case 'table':
        this.tableType(w);
        this.tableIndex++;
        break;
      case 'memory':
        this.memoryType(w);
        this.memoryIndex++;
        break;
      case 'global':
        this.globalType(w);
        this.globalIndex++;
        break;
      case 'tag':
        w.byte(0);
        w.u32(parseTypeUse(cur, this.ctx, true).typeIndex);
        this.tagIndex++;
        break;
    }
  }

  private definition(kind: DefinitionKind): void {
    const cur: Cursor = this.cur;
    cur.pos += 2;
    cur.maybeId();
    const index = kind === 'func' ? this.funcIndex : kind === 'table' ? this.tableIndex : kind === 'memory' ? this.memoryIndex : kind === 'global' ? this.globalIndex : this.tagIndex;
    while (cur.eatOpen('export')) {
      this.exportEntry(cur.nameBytes(), EXTERN_CODE[kind], index);
      cur.expectClose();
    }
    if (cur.eatOpen('import')) {
      const w = this.sections.imports;
      w.vecBytes(cur.nameBytes());
      w.vecBytes(cur.nameBytes());
      cur.expectClose();
      this.importDescription(kind);
      cur.expectClose();
      return;
    }
    switch (kind) {
      case 'func':
        this.funcIndex++;
        this.func(index);
        break;
      case 'table':
        this.tableIndex++;
        this.table(index);
        break;
      case 'memory':
        this.memoryIndex++;
        this.memory(index);
        break;
      case 'global': {
        this.globalIndex++;
        const s = this.sections;
        this.globalType(s.globals);
        this.constExpr(s.globals);
        s.globalCount++;
        break;
      }
      case 'tag': {
        this.tagIndex++;
        const s = this.sections;
        s.tags.byte(0);
        s.tags.u32(parseTypeUse(cur, this.ctx, true).typeIndex);
        s.tagCount++;
        break;
      }
    }
    cur.expectClose();
  }

  private exportEntry(name: Uint8Array, kind: number, index: number): void {
    const w = this.sections.exports;
    w.vecBytes(name);
    w.byte(kind);
    w.u32(index);
    this.sections.exportCount++;
  }

  private func(funcIndex: number): void {
    const cur: Cursor = this.cur;
    const ctx = this.ctx;
    const use = parseTypeUse(cur, ctx, true);
    this.sections.functions.push(use.typeIndex);
    const locals = new Map<string, number>();
    let localCount = use.paramCount;
    for (let i = 0; i < use.paramNames.length; i++) {
      const name = use.paramNames[i];
      if (name == null) continue;
      if (locals.has(name)) cur.error(`duplicate local $${name}`);
      locals.set(name, i);
    }
    const body = this.body;
    body.reset();
    // Local declarations, run-length encoded by type.
    const localTypes: number[] = [];
    while (cur.isOpen('local')) {
      cur.pos += 2;
      if (cur.kind() === Tok.Id) {
        const at = cur.pos;
        const name = cur.idName(cur.pos++);
        if (locals.has(name)) cur.error(`duplicate local $${name}`, at);
        locals.set(name, localCount);
        localTypes.push(parseValType(cur, ctx));
        localCount++;
      } else {
        while (!cur.atClose()) {
          localTypes.push(parseValType(cur, ctx));
          localCount++;
        }
      }
      cur.expectClose();
    }
    let groups = 0;
    for (let i = 0; i < localTypes.length; i++) if (i === 0 || localTypes[i] !== localTypes[i - 1]) groups++;
    body.u32(groups);
    for (let i = 0; i < localTypes.length; ) {
      let j = i + 1;
      while (j < localTypes.length && localTypes[j] === localTypes[i]) j++;
      body.u32(j - i);
      writeValType(body, localTypes[i]!);
      i = j;
    }
    if (this.recordLocalNames && locals.size > 0) {
      const names = new Map<number, string>();
      for (const [name, index] of locals) names.set(index, name);
      this.localNames.set(funcIndex, names);
    }
    this.instructions.begin(locals);
    this.instructions.expression(body);
    const code = this.sections.code;
    code.u32(body.length);
    code.append(body);
    this.sections.codeCount++;
  }

  /** A constant expression up to the enclosing `)`, with its `end`. */
  private constExpr(w: ByteWriter): void {
    this.instructions.begin(null);
    this.instructions.expression(w);
  }

  private addressType(): boolean {
    const cur: Cursor = this.cur;
    if (cur.eatKeyword('i64')) return true;
    cur.eatKeyword('i32');
    return false;
  }

  private limitValue(): bigint {
    const cur: Cursor = this.cur;
    if (cur.kind() !== Tok.Number) cur.unexpected();
    const text = cur.text();
    // Both address types take u64 here: a 32-bit limit above 2^32 is invalid, not malformed.
    return cur.literal(() => parseUnsigned(text, 64));
  }

  /**
   * An optional `(pagesize n)`: log2 of n, or -1 when absent or the default. The default page size
   * is left implicit: the binary forms with and without the flag denote the same memory type, and
   * the flag-free one is also valid without the proposal.
   */
  private pageSize(): number {
    const cur: Cursor = this.cur;
    if (!cur.eatOpen('pagesize')) return -1;
    const at = cur.pos;
    const size = cur.u32();
    if (size === 0 || (size & (size - 1)) !== 0) cur.error('invalid custom page size', at);
    cur.expectClose();
    const log2 = Math.log2(size);
    return log2 === DEFAULT_PAGE_SIZE_LOG2 ? -1 : log2;
  }

  /** Limits with their flags byte: `min max? shared? (pagesize n)?`. */
  private limits(w: ByteWriter, is64: boolean, allowShared: boolean): void {
    const cur: Cursor = this.cur;
    const min = this.limitValue();
    const max = cur.kind() === Tok.Number ? this.limitValue() : null;
    const shared = allowShared && cur.eatKeyword('shared');
    const pageSizeLog2 = allowShared ? this.pageSize() : -1;
    w.byte((max !== null ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0) | (pageSizeLog2 >= 0 ? 8 : 0));
    w.u64(min);
    if (max !== null) w.u64(max);
    if (pageSizeLog2 >= 0) w.u32(pageSizeLog2);
  }

  private tableType(w: ByteWriter): void {
    const is64 = this.addressType();
    const limits = new ByteWriter(16);
    this.limits(limits, is64, false);
    writeValType(w, parseRefType(this.cur, this.ctx));
    w.append(limits);
  }

  private memoryType(w: ByteWriter): void {
    const is64 = this.addressType();
    this.limits(w, is64, true);
  }

  private globalType(w: ByteWriter): void {
    const cur: Cursor = this.cur;
    if (cur.eatOpen('mut')) {
      writeValType(w, parseValType(cur, this.ctx));
      w.byte(1);
      cur.expectClose();
    } else {
      writeValType(w, parseValType(cur, this.ctx));
      w.byte(0);
    }
  }

  private table(index: number): void {
    const cur: Cursor = this.cur;
    const s = this.sections;
    const is64 = this.addressType();
    if (atRefType(cur)) {
      // `(table at? reftype (elem …))`: limits from the element count, plus an active segment.
      const type = parseRefType(cur, this.ctx);
      if (!cur.eatOpen('elem')) cur.unexpected();
      const items = new ByteWriter();
      const { count, exprs } = this.segments.elemItems(items, type);
      cur.expectClose();
      writeValType(s.tables, type);
      s.tables.byte(is64 ? 5 : 1);
      s.tables.u64(BigInt(count));
      s.tables.u64(BigInt(count));
      s.tableCount++;
      const offset = new ByteWriter(4);
      offset.byte(is64 ? 0x42 : 0x41);
      offset.byte(0);
      offset.byte(0x0b);
      writeElemSegment(s.elems, 'active', index, offset, type, exprs, count, items);
      s.elemCount++;
      return;
    }
    const limits = new ByteWriter(16);
    this.limits(limits, is64, false);
    const type = parseRefType(cur, this.ctx);
    if (cur.atClose()) {
      writeValType(s.tables, type);
      s.tables.append(limits);
    } else {
      s.tables.byte(0x40);
      s.tables.byte(0);
      writeValType(s.tables, type);
      s.tables.append(limits);
      this.constExpr(s.tables);
    }
    s.tableCount++;
  }

  private memory(index: number): void {
    const cur: Cursor = this.cur;
    const s = this.sections;
    // `(memory at? (pagesize n)? (data …))`: exact page count, plus an active segment at offset 0.
    let q = cur.pos;
    if (cur.isKeyword('i64', q) || cur.isKeyword('i32', q)) q++;
    if (cur.kind(q) === Tok.LParen && cur.isKeyword('pagesize', q + 1)) q = cur.closeOf(q) + 1;
    if (cur.kind(q) === Tok.LParen && cur.isKeyword('data', q + 1)) {
      const is64 = this.addressType();
      const pageSizeLog2 = this.pageSize();
      cur.pos += 2;
      const data = this.segments.dataStrings();
      cur.expectClose();
      const pageSize = 2 ** (pageSizeLog2 < 0 ? DEFAULT_PAGE_SIZE_LOG2 : pageSizeLog2);
      const pages = BigInt(Math.ceil(data.length / pageSize));
      s.memories.byte((is64 ? 5 : 1) | (pageSizeLog2 >= 0 ? 8 : 0));
      s.memories.u64(pages);
      s.memories.u64(pages);
      if (pageSizeLog2 >= 0) s.memories.u32(pageSizeLog2);
      s.memoryCount++;
      const d = s.datas;
      if (index === 0) d.byte(0);
      else {
        d.byte(2);
        d.u32(index);
      }
      d.byte(is64 ? 0x42 : 0x41);
      d.byte(0);
      d.byte(0x0b);
      d.vecBytes(data);
      s.dataCount++;
      return;
    }
    this.memoryType(s.memories);
    s.memoryCount++;
  }

  private exportField(): void {
    const cur: Cursor = this.cur;
    cur.pos += 2;
    const name = cur.nameBytes();
    cur.expectOpen();
    const kind = cur.text() as DefinitionKind;
    if (!DEFINITION_KINDS.includes(kind)) cur.unexpected();
    cur.pos++;
    const ctx = this.ctx;
    const space = kind === 'func' ? ctx.funcs : kind === 'table' ? ctx.tables : kind === 'memory' ? ctx.memories : kind === 'global' ? ctx.globals : ctx.tags;
    this.exportEntry(name, EXTERN_CODE[kind], space.resolve(cur));
    cur.expectClose();
    cur.expectClose();
  }

  private startField(): void {
    const cur: Cursor = this.cur;
    if (this.sections.start >= 0) cur.error('multiple start sections');
    this.sections.startSource = cur.tokens.start[cur.pos]!;
    cur.pos += 2;
    this.sections.start = this.ctx.funcs.resolve(cur);
    cur.expectClose();
  }
}
