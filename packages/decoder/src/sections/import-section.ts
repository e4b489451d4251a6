// The import section.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#import-section
import type { ImportDesc } from '../types.ts';
import { ExternKind } from '../types.ts';
import type { Reader } from '../reader.ts';
import { readGlobalType, readLimits, readTableType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';

/** A tag's attribute byte: 0 (exception) is the only one defined. */
export function readTagType(r: Reader): { typeIndex: number } {
  const at = r.offset;
  const attribute = r.u8();
  if (attribute !== 0) r.fail('malformed tag attribute', `0x${attribute.toString(16)}`, at);
  return { typeIndex: r.u32() };
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
      case ExternKind.Table:
        desc = { kind, type: readTableType(r) };
        m.tables.push(desc.type);
        m.tableInits.push(null);
        m.numImportedTables++;
        break;
      case ExternKind.Memory:
        desc = { kind, type: readLimits(r, 'memory') };
        m.memories.push(desc.type);
        m.numImportedMemories++;
        break;
      case ExternKind.Global:
        desc = { kind, type: readGlobalType(r) };
        if (m.globals.length >= L.maxGlobals) r.fail('too many globals', `more than ${L.maxGlobals}`);
        m.globals.push(desc.type);
        m.numImportedGlobals++;
        break;
      case ExternKind.Tag:
        desc = { kind, type: readTagType(r) };
        if (m.tags.length >= L.maxTags) r.fail('too many tags', `more than ${L.maxTags}`);
        m.tags.push(desc.type);
        m.numImportedTags++;
        break;
      default:
        return r.fail('malformed import kind', `0x${kind.toString(16)}`, kindAt);
    }
    m.imports.push({ module, name, desc, offset });
  }
}
