// Section ids of the binary format, and the order non-custom sections must appear in.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#sections

export const SectionId = {
  Custom: 0,
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
export type SectionId = (typeof SectionId)[keyof typeof SectionId];

/**
 * The non-custom sections in the order they must appear. The order is not the id order: the tag
 * section (13) sits between memory and global, and the data count section (12) between element
 * and code.
 */
export const SECTIONS_IN_ORDER: readonly SectionId[] = [
  SectionId.Type,
  SectionId.Import,
  SectionId.Function,
  SectionId.Table,
  SectionId.Memory,
  SectionId.Tag,
  SectionId.Global,
  SectionId.Export,
  SectionId.Start,
  SectionId.Element,
  SectionId.DataCount,
  SectionId.Code,
  SectionId.Data,
];

/** Position of each known section id in the required order, or -1 for ids that are not sections. */
export const SECTION_ORDER: readonly number[] = (() => {
  const rank = new Array<number>(14).fill(-1);
  SECTIONS_IN_ORDER.forEach((id, position) => (rank[id] = position + 1));
  rank[SectionId.Custom] = 0;
  return rank;
})();

const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count', 'tag'];

/** The section's name as used in error contexts ("code section"). */
export const sectionName = (id: number): string => NAMES[id] ?? `section ${id}`;
