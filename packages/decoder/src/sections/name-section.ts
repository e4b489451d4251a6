// The `name` custom section, with the extended-name-section subsections. Decoded leniently:
// any malformation makes the whole section decode to null, never an error for the module.
// Spec: https://webassembly.github.io/spec/core/appendix/custom.html#name-section
import type { Names } from '../types.ts';
import { CompileError } from '../errors.ts';
import { Reader } from '../reader.ts';

const MODULE = 0;
const FUNCTIONS = 1;
const LOCALS = 2;
const LABELS = 3;
const TYPES = 4;
const TABLES = 5;
const MEMORIES = 6;
const GLOBALS = 7;
const ELEMS = 8;
const DATAS = 9;
const FIELDS = 10;
const TAGS = 11;

function readNameMap(r: Reader, into: Map<number, string>): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const index = r.u32();
    into.set(index, r.name());
  }
}

function readIndirectNameMap(r: Reader, into: Map<number, Map<number, string>>): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const index = r.u32();
    const inner = new Map<number, string>();
    readNameMap(r, inner);
    into.set(index, inner);
  }
}

export function decodeNameSection(bytes: Uint8Array, offset: number): Names | null {
  const names: Names = {
    module: null,
    functions: new Map(),
    locals: new Map(),
    labels: new Map(),
    types: new Map(),
    fields: new Map(),
    tables: new Map(),
    memories: new Map(),
    globals: new Map(),
    elems: new Map(),
    datas: new Map(),
    tags: new Map(),
  };
  const r = new Reader(bytes, offset);
  try {
    while (!r.atEnd()) {
      const id = r.u8();
      const size = r.u32();
      const payload = r.bytesView(size);
      const sub = new Reader(payload, offset + (r.pos - size));
      switch (id) {
        case MODULE:
          names.module = sub.name();
          break;
        case FUNCTIONS:
          readNameMap(sub, names.functions);
          break;
        case LOCALS:
          readIndirectNameMap(sub, names.locals);
          break;
        case LABELS:
          readIndirectNameMap(sub, names.labels);
          break;
        case TYPES:
          readNameMap(sub, names.types);
          break;
        case TABLES:
          readNameMap(sub, names.tables);
          break;
        case MEMORIES:
          readNameMap(sub, names.memories);
          break;
        case GLOBALS:
          readNameMap(sub, names.globals);
          break;
        case ELEMS:
          readNameMap(sub, names.elems);
          break;
        case DATAS:
          readNameMap(sub, names.datas);
          break;
        case FIELDS:
          readIndirectNameMap(sub, names.fields);
          break;
        case TAGS:
          readNameMap(sub, names.tags);
          break;
        default:
          // Unknown subsections are skipped: later proposals may add more.
          continue;
      }
      if (!sub.atEnd()) return null;
    }
  } catch (e) {
    if (e instanceof CompileError) return null;
    throw e;
  }
  return names;
}
