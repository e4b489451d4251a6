// What section decoders share: the module being filled in, the operator loop used to find the
// end of constant expressions, and small helpers for counted vectors.
import type { CodeSpan, Module, ValType } from '../types.ts';
import { ValType as V } from '../types.ts';
import type { Reader } from '../reader.ts';
import type { OperatorInfo } from '../opcodes.ts';
import type { Immediates, OperatorVisitor } from '../operators.ts';
import { OperatorReader } from '../operators.ts';
import { CORE_FEATURES, type EnabledFeatures } from '../options.ts';

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
    startOffset: -1,
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

const I32_CONST = 0x41;
const I64_CONST = 0x42;
const GLOBAL_GET = 0x23;
const END = 0x0b;
/** Longest LEB128 the shortcut below accepts: longer ones go through the operator loop and its checks. */
const SHORT_LEB = 4;

/**
 * The end of the commonest constant expressions — `i32.const n`, `i64.const n` or `global.get g`
 * then `end`, with a LEB128 of at most 4 bytes — found without the operator loop (data and
 * element segment offsets of large modules number in the hundred thousands). Returns -1 for
 * anything else, which the loop then decodes (and diagnoses).
 */
function constantEnd(bytes: Uint8Array, start: number, end: number): number {
  const first = bytes[start];
  if (first !== I32_CONST && first !== I64_CONST && first !== GLOBAL_GET) return -1;
  const limit = Math.min(start + 1 + SHORT_LEB, end);
  for (let p = start + 1; p < limit; p++) {
    if (bytes[p]! < 0x80) return p + 1 < end && bytes[p + 1] === END ? p + 2 : -1;
  }
  return -1;
}

/**
 * Whether `bytes[start..end)` is exactly `i32.const n end` (for `type` i32) or `i64.const n end`
 * (for i64) with a LEB128 of at most 4 bytes (always well-formed): a constant expression that is
 * valid without running the validator. Segment offsets are almost all of this form.
 */
export function isPlainConstant(bytes: Uint8Array, start: number, end: number, type: ValType): boolean {
  const n = end - start;
  if (n < 3 || n > 6 || bytes[end - 1] !== END) return false;
  const first = bytes[start];
  if (!((first === I32_CONST && type === V.I32) || (first === I64_CONST && type === V.I64))) return false;
  for (let i = start + 1; i < end - 2; i++) if (bytes[i]! < 0x80) return false;
  return bytes[end - 2]! < 0x80;
}

export class DecodeContext {
  readonly module: MutableModule = emptyModule();
  constructor(readonly features: EnabledFeatures = CORE_FEATURES) {}
  private readonly operators = new OperatorReader();
  /** The section's bytes as a span, reused by every constant expression of the section. */
  private readonly whole: { bytes: Uint8Array; offset: number } = { bytes: new Uint8Array(0), offset: 0 };

  /**
   * A constant expression starting at the reader's position, through its final `end`. The
   * reader must span exactly its section's payload (its `bytes` end where the section ends).
   */
  readConstExpr(r: Reader): CodeSpan {
    const start = r.pos;
    this.skipConstExpr(r);
    return { bytes: r.bytes.subarray(start, r.pos), offset: r.base + start };
  }

  /** Moves the reader past a constant expression (see `readConstExpr`) without making its span. */
  skipConstExpr(r: Reader): void {
    let after = constantEnd(r.bytes, r.pos, r.end);
    if (after < 0) {
      this.whole.bytes = r.bytes;
      this.whole.offset = r.base;
      after = this.operators.readWithin(this.whole, r.pos, FIND_END, r);
    }
    r.pos = after;
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
