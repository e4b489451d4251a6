// The import section.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#import-section
import type { DeclaredMemory, DeclaredTag, ImportDesc, Limits } from '../types.ts';
import { ExternKind } from '../types.ts';
import type { Reader } from '../reader.ts';
import { readGlobalType, readLimits, readTableType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';
import { declaredTable } from './table-section.ts';

/** A tag's attribute byte: 0 (exception) is the only one defined. */
export function readTagType(r: Reader): { typeIndex: number } {
  const at = r.offset;
  const attribute = r.u8();
  if (attribute !== 0) r.fail('malformed tag attribute', `0x${attribute.toString(16)}`, at);
  return { typeIndex: r.u32() };
}

/** A memory's limits with the offset of its declaration. */
export function declaredMemory(limits: Limits, offset: number): DeclaredMemory {
  return { min: limits.min, max: limits.max, shared: limits.shared, address: limits.address, pageSizeLog2: limits.pageSizeLog2, offset };
}

export function decodeImportSection(r: Reader, ctx: DecodeContext): void {
  const m = ctx.module;
  const count = readCount(r, 'imports', L.maxImports);
  for (let i = 0; i < count; i++) {
    r.at('import', i);
    const offset = r.offset;
    const module = r.name('import module name');
    const name = r.name('import name');
    const kindAt = r.offset;
    const kind = r.u8();
    let desc: ImportDesc;
    switch (kind) {
      case ExternKind.Func:
        desc = { kind, typeIndex: r.u32() };
        if (m.functions.length >= L.maxFunctions) r.fail('too many functions', `more than ${L.maxFunctions}`);
        m.functions.push(desc.typeIndex);
        m.numImportedFunctions++;
        break;
      case ExternKind.Table: {
        const table = declaredTable(readTableType(r), offset);
        desc = { kind, type: table };
        if (m.tables.length >= L.maxTables) r.fail('too many tables', `more than ${L.maxTables}`);
        m.tables.push(table);
        m.tableInits.push(null);
        m.numImportedTables++;
        break;
      }
      case ExternKind.Memory: {
        const memory = declaredMemory(readLimits(r, 'memory', ctx.features), offset);
        desc = { kind, type: memory };
        if (m.memories.length >= L.maxMemories) r.fail('too many memories', `more than ${L.maxMemories}`);
        m.memories.push(memory);
        m.numImportedMemories++;
        break;
      }
      case ExternKind.Global:
        desc = { kind, type: readGlobalType(r) };
        if (m.globals.length >= L.maxGlobals) r.fail('too many globals', `more than ${L.maxGlobals}`);
        m.globals.push(desc.type);
        m.numImportedGlobals++;
        break;
      case ExternKind.Tag: {
        const tag: DeclaredTag = { typeIndex: readTagType(r).typeIndex, offset };
        desc = { kind, type: tag };
        if (m.tags.length >= L.maxTags) r.fail('too many tags', `more than ${L.maxTags}`);
        m.tags.push(tag);
        m.numImportedTags++;
        break;
      }
      default:
        return r.fail('malformed import kind', `0x${kind.toString(16)}`, kindAt);
    }
    m.imports.push({ module, name, desc, offset });
  }
}
