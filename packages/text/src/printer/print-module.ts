// Prints a binary module as text: the module's fields in binary section order, each definition
// with its `$id` from the name section where one is present (or a `(@name …)` annotation where
// the name cannot be an identifier). Other custom sections are printed as `(@custom …)` when the
// input is bytes: the Module does not record where they stood among the other sections, which
// `(after …)` has to state, so only the bytes can tell.
// Spec: https://webassembly.github.io/spec/core/text/modules.html
import { ExternKind, decodeModule } from '@flint/decoder';
import type { CodeSpan, DecodeOptions, ElementSegment, GlobalType, Module, TableType } from '@flint/decoder';
import { printSpan } from './body.ts';
import type { ImmediateContext } from './immediates.ts';
import { IdSpace, ModuleIds } from './names.ts';
import { quoteBytes, quoteName } from './strings.ts';
import { limitsText, signatureText, typeDefinitionText, valTypeText } from './types.ts';

export interface PrintOptions {
  /** Folded S-expression instructions instead of the flat form (default false). */
  readonly folded?: boolean;
  /** Use the name section for `$identifiers` (default true); otherwise every use is an index. */
  readonly names?: boolean;
  /** How to decode `input` when it is bytes (e.g. proposals that reinterpret core encodings). */
  readonly decode?: DecodeOptions;
}

const INDENT = '  ';
const NO_NAMES = new IdSpace(undefined);
const EXTERN_KEYWORDS = ['func', 'table', 'memory', 'global', 'tag'] as const;

/** The text of a module given as bytes (decoded first; throws the decoder's CompileError) or as a decoded Module. */
export function printModule(input: Uint8Array | Module, options: PrintOptions = {}): string {
  const module = input instanceof Uint8Array ? decodeModule(input, options.decode) : input;
  return new ModulePrinter(module, options, input instanceof Uint8Array ? placeCustomSections(input) : null).print();
}

/** Binary section id → the section keyword of `(@custom … (after …))`. */
const SECTION_KEYWORDS: readonly string[] = ['', 'type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'code', 'data', 'datacount', 'tag'];

interface PlacedCustomSection {
  readonly name: Uint8Array;
  readonly bytes: Uint8Array;
  /** The id of the non-custom section before it, or 0 when it comes first. */
  readonly after: number;
}

/**
 * The custom sections of a (decodable) binary module with the section each follows: the Module
 * does not record where custom sections stood, so this walks the section headers once.
 */
function placeCustomSections(bytes: Uint8Array): PlacedCustomSection[] {
  const placed: PlacedCustomSection[] = [];
  let at = 8;
  let after = 0;
  const u32 = (): number => {
    let value = 0;
    for (let shift = 0; at < bytes.length; shift += 7) {
      const b = bytes[at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    return value;
  };
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = u32();
    const end = Math.min(at + size, bytes.length);
    if (id === 0) {
      const nameLength = u32();
      const nameEnd = Math.min(at + nameLength, end);
      placed.push({ name: bytes.subarray(at, nameEnd), bytes: bytes.subarray(nameEnd, end), after });
    } else {
      after = id;
    }
    at = end;
  }
  return placed;
}

class ModulePrinter {
  private readonly ids: ModuleIds;
  private readonly out: string[] = [];
  private readonly folded: boolean;

  constructor(
    private readonly module: Module,
    options: PrintOptions,
    private readonly customSections: readonly PlacedCustomSection[] | null,
  ) {
    this.ids = new ModuleIds(options.names === false ? null : module.names);
    this.folded = options.folded === true;
  }

  print(): string {
    this.printTypes();
    this.printImports();
    this.printTables();
    this.printMemories();
    this.printTags();
    this.printGlobals();
    this.printExports();
    if (this.module.start !== null) this.field(`(start ${this.ids.funcs.ref(this.module.start)})`);
    this.printElements();
    this.printFunctions();
    this.printDatas();
    this.printCustomSections();
    const head = (this.ids.module !== null ? `(module ${this.ids.module}` : '(module') + this.ids.moduleAnnotation;
    return this.out.length === 0 ? head + ')\n' : head + '\n' + this.out.join('\n') + ')\n';
  }

  private field(line: string): void {
    this.out.push(INDENT + line);
  }

  private printTypes(): void {
    const { types } = this.module;
    for (let i = 0; i < types.length; ) {
      const sub = types[i]!;
      const size = sub.recGroupStart === i ? sub.recGroupSize : 1;
      if (size <= 1) {
        this.field(typeDefinitionText(sub, i, this.ids));
        i++;
        continue;
      }
      this.field('(rec');
      for (let j = i; j < i + size && j < types.length; j++) this.field(INDENT + typeDefinitionText(types[j]!, j, this.ids));
      this.out[this.out.length - 1] += ')';
      i += size;
    }
  }

  /** `(type $t)` followed by the signature when the type is a function type, for readability. */
  private typeUse(typeIndex: number, paramIds: IdSpace | null = null): string {
    const text = `(type ${this.ids.types.ref(typeIndex)})`;
    const composite = this.module.types[typeIndex]?.composite;
    if (composite?.kind !== 'func') return text;
    if (paramIds === null) return text + signatureText(composite.params, composite.results, this.ids.types);
    return text + this.declarations('param', composite.params, 0, paramIds) + signatureText([], composite.results, this.ids.types);
  }

  /**
   * ` (param $a i32) (param i64 f32)`-style declarations of consecutive indices from `first`:
   * a named one alone (the text format allows one id per clause), unnamed ones grouped.
   */
  private declarations(keyword: string, types: readonly number[], first: number, ids: IdSpace): string {
    let text = '';
    let group = '';
    types.forEach((type, i) => {
      const id = ids.declaration(first + i);
      const typeText = valTypeText(type, this.ids.types);
      if (id === null) {
        group += ' ' + typeText;
        return;
      }
      if (group !== '') text += ` (${keyword}${group})`;
      group = '';
      text += ` (${keyword} ${id} ${typeText})`;
    });
    return group !== '' ? text + ` (${keyword}${group})` : text;
  }

  private declared(space: IdSpace, index: number): string {
    const id = space.declaration(index);
    return (id !== null ? ' ' + id : '') + space.nameAnnotation(index);
  }

  private tableTypeText(type: TableType): string {
    return limitsText(type.limits, false) + ' ' + valTypeText(type.element, this.ids.types);
  }

  private globalTypeText(type: GlobalType): string {
    const text = valTypeText(type.type, this.ids.types);
    return type.mutable ? `(mut ${text})` : text;
  }

  private printImports(): void {
    const counters = [0, 0, 0, 0, 0];
    for (const imp of this.module.imports) {
      const index = counters[imp.desc.kind]!++;
      let desc: string;
      switch (imp.desc.kind) {
        case ExternKind.Func:
          desc = `(func${this.declared(this.ids.funcs, index)} ${this.typeUse(imp.desc.typeIndex)})`;
          break;
        case ExternKind.Table:
          desc = `(table${this.declared(this.ids.tables, index)} ${this.tableTypeText(imp.desc.type)})`;
          break;
        case ExternKind.Memory:
          desc = `(memory${this.declared(this.ids.memories, index)} ${limitsText(imp.desc.type, true)})`;
          break;
        case ExternKind.Global:
          desc = `(global${this.declared(this.ids.globals, index)} ${this.globalTypeText(imp.desc.type)})`;
          break;
        case ExternKind.Tag:
          desc = `(tag${this.declared(this.ids.tags, index)} ${this.typeUse(imp.desc.type.typeIndex)})`;
          break;
      }
      this.field(`(import ${quoteName(imp.module)} ${quoteName(imp.name)} ${desc})`);
    }
  }

  private printTables(): void {
    const { tables, tableInits, numImportedTables } = this.module;
    for (let t = numImportedTables; t < tables.length; t++) {
      let text = `(table${this.declared(this.ids.tables, t)} ${this.tableTypeText(tables[t]!)}`;
      const init = tableInits[t];
      if (init != null) text += ' ' + this.constExpr(init);
      this.field(text + ')');
    }
  }

  private printMemories(): void {
    const { memories, numImportedMemories } = this.module;
    for (let m = numImportedMemories; m < memories.length; m++) {
      this.field(`(memory${this.declared(this.ids.memories, m)} ${limitsText(memories[m]!, true)})`);
    }
  }

  private printTags(): void {
    const { tags, numImportedTags } = this.module;
    for (let t = numImportedTags; t < tags.length; t++) {
      this.field(`(tag${this.declared(this.ids.tags, t)} ${this.typeUse(tags[t]!.typeIndex)})`);
    }
  }

  private printGlobals(): void {
    const { globals, globalInits, numImportedGlobals } = this.module;
    for (let g = numImportedGlobals; g < globals.length; g++) {
      const init = globalInits[g - numImportedGlobals];
      const initText = init !== undefined ? ' ' + this.constExpr(init) : '';
      this.field(`(global${this.declared(this.ids.globals, g)} ${this.globalTypeText(globals[g]!)}${initText})`);
    }
  }

  private printExports(): void {
    const spaces = [this.ids.funcs, this.ids.tables, this.ids.memories, this.ids.globals, this.ids.tags];
    for (const exp of this.module.exports) {
      const keyword = EXTERN_KEYWORDS[exp.kind] ?? 'func';
      const space = spaces[exp.kind] ?? this.ids.funcs;
      this.field(`(export ${quoteName(exp.name)} (${keyword} ${space.ref(exp.index)}))`);
    }
  }

  private printElements(): void {
    this.module.elements.forEach((segment, index) => this.field(this.elementText(segment, index)));
  }

  private elementText(segment: ElementSegment, index: number): string {
    let text = '(elem' + this.declared(this.ids.elems, index);
    if (segment.mode === 'declarative') text += ' declare';
    if (segment.mode === 'active') {
      if (segment.table !== 0) text += ` (table ${this.ids.tables.ref(segment.table)})`;
      if (segment.offsetExpr !== null) text += ' (offset ' + this.constExpr(segment.offsetExpr) + ')';
    }
    if (segment.functionIndices !== null) {
      text += ' func';
      for (const f of segment.functionIndices) text += ' ' + this.ids.funcs.ref(f);
    } else {
      text += ' ' + valTypeText(segment.type, this.ids.types);
      for (const expr of segment.exprs ?? []) text += ' (item ' + this.constExpr(expr) + ')';
    }
    return text + ')';
  }

  private printFunctions(): void {
    const { codes, functions } = this.module;
    for (const body of codes) {
      const f = body.funcIndex;
      const locals = this.ids.locals(f);
      let head = `(func${this.declared(this.ids.funcs, f)} ${this.typeUse(functions[f]!, locals)}`;
      const composite = this.module.types[functions[f]!]?.composite;
      const localTypes: number[] = [];
      for (const decl of body.locals) for (let i = 0; i < decl.count; i++) localTypes.push(decl.type);
      head += this.declarations('local', localTypes, composite?.kind === 'func' ? composite.params.length : 0, locals);
      const lines = printSpan(body.code, this.context(locals), this.folded);
      if (lines.length === 0) {
        this.field(head + ')');
        continue;
      }
      this.field(head);
      for (const line of lines) this.field(INDENT + line);
      this.out[this.out.length - 1] += ')';
    }
  }

  private printDatas(): void {
    this.module.datas.forEach((segment, index) => {
      let text = '(data' + this.declared(this.ids.datas, index);
      if (segment.mode === 'active') {
        if (segment.memory !== 0) text += ` (memory ${this.ids.memories.ref(segment.memory)})`;
        if (segment.offsetExpr !== null) text += ' (offset ' + this.constExpr(segment.offsetExpr) + ')';
      }
      this.field(text + ' ' + quoteBytes(segment.bytes) + ')');
    });
  }

  /**
   * Custom sections as `(@custom "name" (after section) "bytes")`, in their order, when the
   * section layout is known (bytes given). The name section is printed as identifiers instead,
   * unless it did not decode (then its bytes are all there is).
   */
  private printCustomSections(): void {
    if (this.customSections === null) return;
    for (const custom of this.customSections) {
      if (this.module.names !== null && custom.name.length === 4 && String.fromCharCode(...custom.name) === 'name') continue;
      const place = custom.after === 0 ? '(before first)' : `(after ${SECTION_KEYWORDS[custom.after] ?? 'last'})`;
      this.field(`(@custom ${quoteBytes(custom.name)} ${place} ${quoteBytes(custom.bytes)})`);
    }
  }

  private context(locals: IdSpace): ImmediateContext {
    return { module: this.module, ids: this.ids, locals, spanBytes: new Uint8Array(0) };
  }

  /** A constant expression on one line. */
  private constExpr(span: CodeSpan): string {
    return printSpan(span, this.context(NO_NAMES), this.folded)
      .map((line) => line.trim())
      .join(' ');
  }
}
