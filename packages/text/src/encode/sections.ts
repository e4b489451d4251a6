// Assembles the binary module from the encoded section contents, in the section order of the
// binary format (tags between memories and globals; data count before code).
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#binary-module
import { writeTypeDef } from '../wat/types.ts';
import type { ModuleContext } from '../wat/context.ts';
import { ByteWriter } from './buffer.ts';

/** Section contents without their counts, as the field encoder produces them. */
export interface ModuleSections {
  readonly imports: ByteWriter;
  importCount: number;
  /** Type index of each defined (not imported) function. */
  readonly functions: number[];
  readonly tables: ByteWriter;
  tableCount: number;
  readonly memories: ByteWriter;
  memoryCount: number;
  readonly globals: ByteWriter;
  globalCount: number;
  readonly tags: ByteWriter;
  tagCount: number;
  readonly exports: ByteWriter;
  exportCount: number;
  /** The start function, or -1. */
  start: number;
  readonly elems: ByteWriter;
  elemCount: number;
  readonly code: ByteWriter;
  codeCount: number;
  readonly datas: ByteWriter;
  dataCount: number;
}

const SectionId = {
  Type: 1,
  Import: 2,
  Function: 3,
  Table: 4,
  Memory: 5,
  Global: 6,
  Export: 7,
  Start: 8,
  Element: 9,
  Code: 10,
  Data: 11,
  DataCount: 12,
  Tag: 13,
} as const;

export function assembleModule(ctx: ModuleContext, s: ModuleSections): Uint8Array {
  const out = new ByteWriter(64 + s.code.length + s.datas.length + s.elems.length);
  out.u32le(0x6d736100); // "\0asm"
  out.u32le(1);
  const payload = new ByteWriter();
  const section = (id: number, count: number, content: ByteWriter | null): void => {
    payload.reset();
    payload.u32(count);
    if (content !== null) payload.append(content);
    out.byte(id);
    out.u32(payload.length);
    out.append(payload);
  };

  const types = ctx.typeDefs;
  if (types.length > 0) {
    const w = new ByteWriter();
    let groups = 0;
    for (let i = 0; i < types.length; ) {
      const def = types[i]!;
      if (def.inRec) {
        w.byte(0x4e);
        w.u32(def.recSize);
        for (let k = 0; k < def.recSize; k++) writeTypeDef(w, types[i + k]!);
        i += def.recSize;
      } else {
        writeTypeDef(w, def);
        i++;
      }
      groups++;
    }
    section(SectionId.Type, groups, w);
  }
  if (s.importCount > 0) section(SectionId.Import, s.importCount, s.imports);
  if (s.functions.length > 0) {
    const w = new ByteWriter();
    for (const t of s.functions) w.u32(t);
    section(SectionId.Function, s.functions.length, w);
  }
  if (s.tableCount > 0) section(SectionId.Table, s.tableCount, s.tables);
  if (s.memoryCount > 0) section(SectionId.Memory, s.memoryCount, s.memories);
  if (s.tagCount > 0) section(SectionId.Tag, s.tagCount, s.tags);
  if (s.globalCount > 0) section(SectionId.Global, s.globalCount, s.globals);
  if (s.exportCount > 0) section(SectionId.Export, s.exportCount, s.exports);
  if (s.start >= 0) {
    out.byte(SectionId.Start);
    payload.reset();
    payload.u32(s.start);
    out.u32(payload.length);
    out.append(payload);
  }
  if (s.elemCount > 0) section(SectionId.Element, s.elemCount, s.elems);
  if (s.dataCount > 0) section(SectionId.DataCount, s.dataCount, null);
  if (s.codeCount > 0) section(SectionId.Code, s.codeCount, s.code);
  if (s.dataCount > 0) section(SectionId.Data, s.dataCount, s.datas);
  return out.toBytes();
}
