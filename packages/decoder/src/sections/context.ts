// What section decoders share: the module being filled in, the operator loop used to find the
// end of constant expressions, and small helpers for counted vectors.
import type { CodeSpan, Module } from '../types.ts';
import type { Reader } from '../reader.ts';
import type { OperatorInfo } from '../opcodes.ts';
import type { Immediates, OperatorVisitor } from '../operators.ts';
import { OperatorReader } from '../operators.ts';

export type MutableModule = { -readonly [K in keyof Module]: Module[K] };

export function emptyModule(): MutableModule {
  return {
    types: [],
    imports: [],
    functions: [],
    numImportedFunctions: 0,
    tables: [],
    tableInits: [],
    numImportedTables: 0,
    memories: [],
    numImportedMemories: 0,
    globals: [],
    globalInits: [],
    numImportedGlobals: 0,
    tags: [],
    numImportedTags: 0,
    exports: [],
    start: null,
    elements: [],
    dataCount: null,
    codes: [],
    datas: [],
    customSections: [],
    names: null,
  };
}

/** Constant expressions are only delimited by their final `end`: the loop finds it, nothing more. */
const FIND_END: OperatorVisitor = { visit(_op: OperatorInfo, _imm: Immediates, _offset: number): void {} };

export class DecodeContext {
  readonly module: MutableModule = emptyModule();
  private readonly operators = new OperatorReader();

  /**
   * A constant expression starting at the reader's position, through its final `end`. The
   * reader must span exactly its section's payload (its `bytes` end where the section ends).
   */
  readConstExpr(r: Reader): CodeSpan {
    const start = r.pos;
    const span: CodeSpan = { bytes: r.bytes, offset: r.base };
    const after = this.operators.read(span, start, FIND_END, false, r.context());
    r.pos = after;
    return { bytes: r.bytes.subarray(start, after), offset: r.base + start };
  }
}

/**
 * Reads a vector count and checks it against an implementation limit. Arrays are never
 * pre-sized from it: entries are pushed as they are read, so a hostile count fails at the
 * section's end after at most one entry per remaining byte.
 */
export function readCount(r: Reader, what: string, limit: number): number {
  const at = r.offset;
  const count = r.u32();
  if (count > limit) r.fail(`too many ${what}`, `${count} declared, the limit is ${limit}`, at);
  return count;
}
