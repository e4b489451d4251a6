// The `name` custom section, with the extended-name-section subsections, written from the
// identifiers of the text (`$f`, with the `names` option) and from `(@name …)` annotations (always:
// an annotation is an explicit request for a name). An annotation wins over the identifier it follows.
// Spec: https://webassembly.github.io/spec/core/appendix/custom.html#name-section
//       https://github.com/WebAssembly/extended-name-section/blob/main/proposals/extended-name-section/Overview.md
import { ByteWriter } from './buffer.ts';

export const NameSubsection = {
  Module: 0,
  Functions: 1,
  Locals: 2,
  Types: 4,
  Tables: 5,
  Memories: 6,
  Globals: 7,
  Elems: 8,
  Datas: 9,
  Fields: 10,
  Tags: 11,
} as const;

const utf8 = new TextEncoder();

/** index → name of one index space. */
export type NameMap = ReadonlyMap<number, string>;

/** The names to write; empty maps and a null module name write nothing. */
export interface NameEntries {
  readonly module: string | null;
  readonly functions: NameMap;
  readonly locals: ReadonlyMap<number, NameMap>;
  readonly types: NameMap;
  readonly tables: NameMap;
  readonly memories: NameMap;
  readonly globals: NameMap;
  readonly elems: NameMap;
  readonly datas: NameMap;
  readonly fields: ReadonlyMap<number, NameMap>;
  readonly tags: NameMap;
}

function writeName(w: ByteWriter, name: string): void {
  w.vecBytes(utf8.encode(name));
}

/** A name map: entries in increasing index order, as the section requires. */
function writeNameMap(w: ByteWriter, names: NameMap): void {
  const indices = [...names.keys()].sort((a, b) => a - b);
  w.u32(indices.length);
  for (const index of indices) {
    w.u32(index);
    writeName(w, names.get(index)!);
  }
}

function writeIndirectNameMap(w: ByteWriter, maps: ReadonlyMap<number, NameMap>): void {
  const indices = [...maps.keys()].filter((index) => maps.get(index)!.size > 0).sort((a, b) => a - b);
  w.u32(indices.length);
  for (const index of indices) {
    w.u32(index);
    writeNameMap(w, maps.get(index)!);
  }
}

/** The name section's payload after its name, or null when there is no name to write. */
export function encodeNameSection(names: NameEntries): ByteWriter | null {
  const out = new ByteWriter(64);
  const sub = new ByteWriter(64);
  const subsection = (id: number): void => {
    out.byte(id);
    out.u32(sub.length);
    out.append(sub);
    sub.reset();
  };
  if (names.module !== null) {
    writeName(sub, names.module);
    subsection(NameSubsection.Module);
  }
  const simple = (id: number, map: NameMap): void => {
    if (map.size === 0) return;
    writeNameMap(sub, map);
    subsection(id);
  };
  const indirect = (id: number, maps: ReadonlyMap<number, NameMap>): void => {
    for (const map of maps.values()) {
      if (map.size === 0) continue;
      writeIndirectNameMap(sub, maps);
      subsection(id);
      return;
    }
  };
  // Subsections in increasing id order, as the section requires.
  simple(NameSubsection.Functions, names.functions);
  indirect(NameSubsection.Locals, names.locals);
  simple(NameSubsection.Types, names.types);
  simple(NameSubsection.Tables, names.tables);
  simple(NameSubsection.Memories, names.memories);
  simple(NameSubsection.Globals, names.globals);
  simple(NameSubsection.Elems, names.elems);
  simple(NameSubsection.Datas, names.datas);
  indirect(NameSubsection.Fields, names.fields);
  simple(NameSubsection.Tags, names.tags);
  return out.length === 0 ? null : out;
}
