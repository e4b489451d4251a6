// `flint inspect <file>`: what a module contains — imports, exports, functions with their
// sizes, memories, tables, globals, data, custom sections — in a form a person can scan. For a
// code cache (`flint compile`'s .flint file), first what it was built by and for, then its module.
import { ExternKind, decodeModule, validateModule } from '@flint/decoder';
import type { FuncType, Limits, Module } from '@flint/decoder';
import { formatValType } from '@flint/text';
import { CodeCacheError, isCodeCache, readCodeCache, type CodeCacheContents } from '@flint/runtime';
import { type Command, type CommandContext, UsageError } from '../command.ts';
import { loadModule, locatingErrors, readInputFile } from '../load.ts';
import { processEngine } from '../run/compile.ts';
import { reportRunError } from '../run/report.ts';

const KIND_NAMES = ['func', 'table', 'memory', 'global', 'tag'] as const;
const LARGEST_FUNCTIONS_SHOWN = 10;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'summarise a module: sections, imports, exports, functions and their sizes',
  usage: 'flint inspect <file.wasm|file.wat|file.flint>',
  run(ctx, args) {
    if (args.length !== 1) throw new UsageError('inspect takes exactly one file');
    const file = args[0]!;
    try {
      const raw = readInputFile(file);
      const fileBytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      if (isCodeCache(fileBytes)) {
        const cache = readCodeCache(fileBytes);
        if (cache.moduleBytes === null) throw new CodeCacheError('the code cache does not carry its module bytes (it was not written by flint compile)');
        printCacheHeader(ctx, file, fileBytes.length, cache);
        const module = decodeModule(cache.moduleBytes);
        const { features } = validateModule(module);
        printSummary(ctx, `${file} (its module)`, cache.moduleBytes.length, module, features);
        return 0;
      }
      const loaded = loadModule(file, raw);
      const bytes = loaded.bytes;
      const module = locatingErrors(loaded, () => decodeModule(bytes));
      const { features } = locatingErrors(loaded, () => validateModule(module));
      printSummary(ctx, file, bytes.length, module, features);
      return 0;
    } catch (error) {
      return reportRunError(ctx, file, error);
    }
  },
};

/** What a code cache was built by and for, whether this flint would load it, and its parts. */
function printCacheHeader(ctx: CommandContext, file: string, size: number, cache: CodeCacheContents): void {
  const { bold, dim } = ctx.style;
  const key = cache.key;
  const stale = processEngine().codeCacheMismatch(key);
  ctx.out(`${bold(file)}: Flint code cache, ${size} bytes`);
  ctx.out(`  built by engine ${key.engine} for ${key.backend} (CPU features: ${key.cpuFeatures || 'none'}), tier ${key.tier}: ${stale === null ? 'this flint loads it' : `stale here (${stale})`}`);
  ctx.out(`  module ${cache.moduleBytes?.length ?? 0} bytes, compiled code ${cache.code.code.length} bytes`);
  ctx.out(dim('  (`flint disasm` shows the cached machine code)'));
  ctx.out('');
}

function signature(module: Module, typeIndex: number): string {
  const composite = module.types[typeIndex]?.composite;
  if (composite?.kind !== 'func') return `type ${typeIndex}`;
  const list = (types: FuncType['params']) => `[${types.map((t) => formatValType(t)).join(' ')}]`;
  return `${list(composite.params)} -> ${list(composite.results)}`;
}

function limits(l: Limits, unit: string): string {
  const max = l.max === null ? '' : `..${l.max}`;
  return `${l.address} ${l.min}${max} ${unit}${l.shared ? ', shared' : ''}`;
}

function functionName(module: Module, index: number): string {
  const name = module.names?.functions.get(index);
  return name === undefined ? `#${index}` : `#${index} ${name}`;
}

function printSummary(ctx: CommandContext, file: string, size: number, module: Module, features: ReadonlySet<string>): void {
  const { bold, dim } = ctx.style;
  const out = ctx.out;
  const codeBytes = module.codes.reduce((sum, body) => sum + body.code.bytes.length, 0);
  out(`${bold(file)}: ${size} bytes, valid`);
  const beyondMvp = [...features].filter((f) => f !== 'mvp').sort();
  out(`  features: ${beyondMvp.length ? beyondMvp.join(', ') : 'mvp only'}`);
  out(
    `  ${module.types.length} types, ${module.imports.length} imports, ${module.functions.length} functions ` +
      `(${module.codes.length} defined, ${codeBytes} bytes of code), ${module.exports.length} exports`,
  );

  if (module.imports.length) {
    out(bold(`\nimports (${module.imports.length})`));
    module.imports.forEach((imp, i) => {
      const desc = imp.desc;
      const detail =
        desc.kind === ExternKind.Func
          ? signature(module, desc.typeIndex)
          : desc.kind === ExternKind.Memory
            ? limits(desc.type, 'pages')
            : desc.kind === ExternKind.Table
              ? `${formatValType(desc.type.element)} ${limits(desc.type.limits, 'elements')}`
              : desc.kind === ExternKind.Global
                ? `${desc.type.mutable ? 'mut ' : ''}${formatValType(desc.type.type)}`
                : `tag ${signature(module, desc.type.typeIndex)}`;
      out(`  ${dim(`#${i}`)} ${KIND_NAMES[desc.kind]} "${imp.module}" "${imp.name}" ${detail}`);
    });
  }

  if (module.exports.length) {
    out(bold(`\nexports (${module.exports.length})`));
    for (const exp of module.exports) {
      const detail = exp.kind === ExternKind.Func ? ` ${signature(module, module.functions[exp.index]!)}` : '';
      out(`  ${KIND_NAMES[exp.kind]} "${exp.name}" -> #${exp.index}${detail}`);
    }
  }

  if (module.codes.length) {
    const largest = [...module.codes].sort((a, b) => b.code.bytes.length - a.code.bytes.length).slice(0, LARGEST_FUNCTIONS_SHOWN);
    out(bold(`\nlargest functions (of ${module.codes.length})`));
    for (const body of largest) {
      const locals = body.locals.reduce((n, decl) => n + decl.count, 0);
      out(
        `  ${functionName(module, body.funcIndex).padEnd(32)} ${String(body.code.bytes.length).padStart(8)} bytes` +
          `  ${String(locals).padStart(4)} locals  ${signature(module, module.functions[body.funcIndex]!)}`,
      );
    }
  }

  const defined = <T>(items: readonly T[], imported: number) => items.slice(imported);
  const memories = defined(module.memories, module.numImportedMemories);
  const tables = defined(module.tables, module.numImportedTables);
  const globals = defined(module.globals, module.numImportedGlobals);
  if (memories.length || tables.length || globals.length) {
    out(bold('\nstorage'));
    memories.forEach((m, i) => out(`  memory #${module.numImportedMemories + i}: ${limits(m, 'pages')}`));
    tables.forEach((t, i) => out(`  table #${module.numImportedTables + i}: ${formatValType(t.element)} ${limits(t.limits, 'elements')}`));
    if (globals.length) out(`  ${globals.length} globals (${globals.filter((g) => g.mutable).length} mutable)`);
  }

  const dataBytes = module.datas.reduce((sum, d) => sum + d.bytes.length, 0);
  out(bold('\nsegments'));
  out(`  ${module.datas.length} data segments (${dataBytes} bytes), ${module.elements.length} element segments`);
  if (module.start !== null) out(`  start function: ${functionName(module, module.start)}`);

  if (module.customSections.length) {
    out(bold(`\ncustom sections (${module.customSections.length})`));
    for (const section of module.customSections) out(`  "${section.name}" ${section.bytes.length} bytes`);
  }
}
