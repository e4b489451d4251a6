// Assembles the binary module from the encoded section contents, in the section order of the
// binary format (tags between memories and globals; data count before code).
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#binary-module
import { SectionId } from '@flint/decoder';
import { writeTypeDef } from '../wat/types.ts';
import type { CustomSection } from '../wat/annotations.ts';
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
  /** Source offset of the `(start …)` field (for source marks). */
  startSource: number;
  readonly elems: ByteWriter;
  elemCount: number;
  readonly code: ByteWriter;
  codeCount: number;
  readonly datas: ByteWriter;
  dataCount: number;
}

const NAME = new TextEncoder().encode('name');
/** The source offset of bytes no text produced (section headers). */
const NO_SOURCE = -1;

/**
 * The binary module. Custom sections go to their slots (`2k` before the k-th section of
 * `PLACEABLE_SECTIONS`, `2k + 1` after it, in text order within a slot); the name section last.
 * With `keepMarks`, the returned writer's marks map module offsets to the text (the section
 * writers' marks, shifted; section headers map to no text, -1).
 */
export function assembleModule(
  ctx: ModuleContext,
  s: ModuleSections,
  customs: readonly CustomSection[] = [],
  nameSection: ByteWriter | null = null,
  keepMarks = false,
): ByteWriter {
  const out = new ByteWriter(64 + s.code.length + s.datas.length + s.elems.length, keepMarks);
  out.u32le(0x6d736100); // "\0asm"
  out.u32le(1);
  const payload = new ByteWriter(16, keepMarks);
  let slot = 0;
  // Writes the custom sections of every slot up to and including `last`.
  const customsThrough = (last: number): void => {
    for (; slot <= last; slot++) {
      for (const custom of customs) if (custom.slot === slot) customSection(custom.name, custom.bytes);
    }
  };
  const customSection = (name: Uint8Array, content: Uint8Array | ByteWriter): void => {
    out.mark(NO_SOURCE);
    payload.reset();
    payload.vecBytes(name);
    if (content instanceof ByteWriter) payload.append(content);
    else payload.raw(content);
    out.byte(0);
    out.u32(payload.length);
    out.append(payload);
  };
  // The k-th placeable section: its "before" customs, the section if present, its "after" customs.
  const place = (k: number, write: (() => void) | null): void => {
    customsThrough(2 * k);
    if (write !== null) write();
    customsThrough(2 * k + 1);
  };
  const section = (id: number, count: number, content: ByteWriter | null): void => {
    out.mark(NO_SOURCE);
    payload.reset();
    payload.u32(count);
    if (content !== null) payload.append(content);
    out.byte(id);
    out.u32(payload.length);
    out.append(payload);
  };

  const types = ctx.typeDefs;
  place(0, types.length === 0 ? null : () => {
    const w = new ByteWriter();
    let groups = 0;
    for (let i = 0; i < types.length; ) {
      const def = types[i]!;
      // A `(rec …)` of one type is encoded as that plain type: the spec's abbreviation makes a
      // lone subtype a group of one, so both encodings denote the same group. An empty `(rec)`
      // defines nothing and is dropped. (binary/types.html#recursive-types)
      if (def.inRec && def.recSize > 1) {
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
  });
  place(1, s.importCount > 0 ? () => section(SectionId.Import, s.importCount, s.imports) : null);
  place(2, s.functions.length === 0 ? null : () => {
    const w = new ByteWriter();
    for (const t of s.functions) w.u32(t);
    section(SectionId.Function, s.functions.length, w);
  });
  place(3, s.tableCount > 0 ? () => section(SectionId.Table, s.tableCount, s.tables) : null);
  place(4, s.memoryCount > 0 ? () => section(SectionId.Memory, s.memoryCount, s.memories) : null);
  place(5, s.tagCount > 0 ? () => section(SectionId.Tag, s.tagCount, s.tags) : null);
  place(6, s.globalCount > 0 ? () => section(SectionId.Global, s.globalCount, s.globals) : null);
  place(7, s.exportCount > 0 ? () => section(SectionId.Export, s.exportCount, s.exports) : null);
  place(8, s.start < 0 ? null : () => {
    out.mark(s.startSource);
    out.byte(SectionId.Start);
    payload.reset();
    payload.u32(s.start);
    out.u32(payload.length);
    out.append(payload);
  });
  place(9, s.elemCount > 0 ? () => section(SectionId.Element, s.elemCount, s.elems) : null);
  place(10, s.dataCount > 0 ? () => section(SectionId.DataCount, s.dataCount, null) : null);
  place(11, s.codeCount > 0 ? () => section(SectionId.Code, s.codeCount, s.code) : null);
  place(12, s.dataCount > 0 ? () => section(SectionId.Data, s.dataCount, s.datas) : null);
  if (nameSection !== null) customSection(NAME, nameSection);
  return out;
}
