// The one operator loop. It decodes each operator's immediates into one reused `Immediates`
// record and hands the operator to a visitor. The validator, both compiler tiers, the
// constant-expression evaluator and the printer are all visitors of this loop.
// Nothing here allocates per operator.
// Spec: https://webassembly.github.io/spec/core/binary/instructions.html
import type { OperatorInfo } from './opcodes.ts';
import { Imm, OPERATOR_BY_ID, PREFIX_BASE } from './opcodes.ts';
import type { CodeSpan } from './types.ts';
import { END_OF_SECTION, Reader } from './reader.ts';
import { readHeapType, readValType, startsValType } from './read-types.ts';
import { ImplementationLimits } from './limits.ts';

/** How a block's type was given: `[]`, one value type, or a type index (s33 in the binary). */
export const BlockTypeKind = { Empty: 0, Value: 1, TypeIndex: 2 } as const;

/** Catch clause kinds of `try_table`. */
export const CatchKind = { Catch: 0, CatchRef: 1, CatchAll: 2, CatchAllRef: 3 } as const;

/**
 * The immediates of the operator being visited. One instance is reused for every operator of
 * a loop, so a visitor must copy out what it wants to keep. Fields not used by the current
 * operator's immediate kind hold stale values.
 */
export class Immediates {
  /** First index immediate: local, global, function, type, table, memory, tag, data, elem, label (br*, default of br_table). */
  index = 0;
  /** Second index: table of call_indirect, field of struct.get/set, memory of memory.init, destination/source pairs, count of array.new_fixed. */
  index2 = 0;
  blockTypeKind = 0;
  /** A ValType for BlockTypeKind.Value, a type index for BlockTypeKind.TypeIndex. */
  blockTypeValue = 0;
  i32 = 0;
  /** i64.const as two's-complement 32-bit halves; see `i64()`. */
  i64Lo = 0;
  i64Hi = 0;
  /** f32.const / f64.const as raw IEEE bits (NaN payloads preserved). */
  f32Bits = 0;
  f64Lo = 0;
  f64Hi = 0;
  /** log2 of the declared alignment. */
  memAlign = 0;
  memIndex = 0;
  /** The memarg offset; exact below 2^53, and then also held exactly in `memOffsetBig`. */
  memOffset = 0;
  memOffsetBig: bigint | null = null;
  lane = 0;
  /** Position in the span's `bytes` of a v128.const value or i8x16.shuffle's 16 lane indices. */
  bytesAt = 0;
  /** Heap types of ref.null, ref.test, ref.cast (heapType) and br_on_cast (heapType → heapType2). */
  heapType = 0;
  heapType2 = 0;
  /** br_on_cast flags: bit 0 = source nullable, bit 1 = target nullable. */
  castFlags = 0;
  /** br_table targets, excluding the default (which is in `index`). */
  brTargets = new Uint32Array(16);
  brTargetCount = 0;
  /** Typed `select`: the number of types given (only 1 is valid) and the first. */
  selectTypeCount = 0;
  selectType = 0;
  /** try_table catch clauses. */
  catchCount = 0;
  catchKinds = new Uint8Array(8);
  catchTags = new Uint32Array(8);
  catchLabels = new Uint32Array(8);

  i64(): bigint {
    return (BigInt(this.i64Hi) << 32n) | BigInt(this.i64Lo >>> 0);
  }
  f32(): number {
    scratchU32[0] = this.f32Bits;
    return scratchF32[0]!;
  }
  f64(): number {
    scratchU32[0] = this.f64Lo;
    scratchU32[1] = this.f64Hi;
    return scratchF64[0]!;
  }
}

const scratch = new ArrayBuffer(8);
const scratchU32 = new Uint32Array(scratch);
const scratchF32 = new Float32Array(scratch);
const scratchF64 = new Float64Array(scratch);

/** A consumer of the operator loop. */
export interface OperatorVisitor {
  /**
   * One operator, its immediates decoded into `imm`. `offset` is the module offset of the
   * operator's first byte, for error messages and trap sites.
   */
  visit(op: OperatorInfo, imm: Immediates, offset: number): void;
}

const OP_BLOCK = 0x02;
const OP_LOOP = 0x03;
const OP_IF = 0x04;
const OP_TRY = 0x06;
const OP_END = 0x0b;
const OP_DELEGATE = 0x18;
const OP_TRY_TABLE = 0x1f;
const BLOCK_EMPTY = 0x40;
/** memarg flags: bit 6 says a memory index follows; anything at or above bit 7 is malformed. */
const MEMARG_HAS_MEMORY = 0x40;
const MEMARG_FLAGS_LIMIT = 0x80;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** How each single-byte opcode changes the block depth: +1 opens a block, -1 closes one. */
const NESTING: Int8Array = (() => {
  const table = new Int8Array(256);
  for (const opener of [OP_BLOCK, OP_LOOP, OP_IF, OP_TRY, OP_TRY_TABLE]) table[opener] = 1;
  // `delegate` closes a legacy `try` in place of its `end`.
  for (const closer of [OP_END, OP_DELEGATE]) table[closer] = -1;
  return table;
})();

/** For each first byte: its prefix base in the dense id space, or -1 for single-byte operators. */
const PREFIX_OF_BYTE: Int32Array = (() => {
  const table = new Int32Array(256).fill(-1);
  for (const [prefix, base] of Object.entries(PREFIX_BASE)) table[Number(prefix)] = base;
  return table;
})();
/** Prefixed codes are u32s, but every assigned one is below this (the gap between prefix bases). */
const PREFIXED_CODE_LIMIT = 0x400;

const hex = (n: number): string => n.toString(16).padStart(2, '0');

/**
 * Runs the operator loop over a function body or constant expression. One instance reuses its
 * reader for every span; `imm` is the record handed to visitors. Not reentrant: a visitor that
 * needs to decode another span meanwhile uses its own instance.
 */
export class OperatorReader {
  readonly imm: Immediates;
  private readonly r = new Reader(new Uint8Array(0));

  constructor(imm: Immediates = new Immediates()) {
    this.imm = imm;
  }

  /**
   * Decodes operators of `span` from index `start` of `span.bytes` through the `end` that closes
   * the outermost block, visiting each. With `exact`, the span must end right there (a function
   * body); without, the loop stops there and returns the index after that `end` (a constant
   * expression inside a section). `context` names the place in error messages.
   */
  read(span: CodeSpan, start: number, visitor: OperatorVisitor, exact = true, context = ''): number {
    this.begin(span, start, context);
    return this.loop(visitor, exact);
  }

  /** `read` of a constant expression inside a section: errors name the place `outer` is at. */
  readWithin(span: CodeSpan, start: number, visitor: OperatorVisitor, outer: Reader): number {
    this.beginWithin(span, start, outer);
    return this.loop(visitor, false);
  }

  private loop(visitor: OperatorVisitor, exact: boolean): number {
    const r = this.r;
    const imm = this.imm;
    let depth = 1;
    for (;;) {
      if (r.pos >= r.end) {
        if (exact) r.fail('END opcode expected', `${depth} block(s) still open at the end of the body`);
        r.fail(END_OF_SECTION, `expression has no final end (${depth} block(s) open)`);
      }
      const at = r.pos;
      const first = r.bytes[at]!;
      const op = this.readOperator();
      visitor.visit(op, imm, r.base + at);
      const delta = NESTING[first]!;
      if (delta !== 0) {
        depth += delta;
        if (depth === 0) break;
      }
    }
    if (exact && r.pos !== r.end) {
      r.fail('section size mismatch', `${r.end - r.pos} byte(s) after the body's final end`);
    }
    return r.pos;
  }

  /**
   * Points the reader at `span` from index `start`, for `read` and for loops specialised to one
   * visitor (the validator's) that decode the common operators themselves and the rest with
   * `readOperator`. Returns the reader; its `pos` is the index of the next byte.
   */
  begin(span: CodeSpan, start: number, context: string): Reader {
    const r = this.r;
    r.bytes = span.bytes;
    r.base = span.offset;
    r.pos = start;
    r.end = span.bytes.length;
    r.endReason = END_OF_SECTION;
    r.section = context;
    r.entryKind = '';
    r.entryIndex = -1;
    return r;
  }

  /** Like `begin`, naming errors after the place `outer` is at (section and entry), without building the string. */
  beginWithin(span: CodeSpan, start: number, outer: Reader): Reader {
    const r = this.begin(span, start, outer.section);
    r.entryKind = outer.entryKind;
    r.entryIndex = outer.entryIndex;
    return r;
  }

  /** Decodes the operator at the reader's position and its immediates into `imm`; the reader moves past it. */
  readOperator(): OperatorInfo {
    const r = this.r;
    const at = r.pos;
    if (at >= r.end) r.fail(END_OF_SECTION, 'operator runs past the end');
    const first = r.bytes[at]!;
    r.pos = at + 1;
    let id = first;
    const base = PREFIX_OF_BYTE[first]!;
    if (base >= 0) {
      const code = r.u32();
      if (code >= PREFIXED_CODE_LIMIT) r.fail(`illegal opcode ${hex(first)} ${code.toString(16)}`, null, r.base + at);
      id = base + code;
    }
    const op = OPERATOR_BY_ID[id];
    if (op === undefined) {
      const name = base >= 0 ? `${hex(first)} ${(id - base).toString(16)}` : hex(first);
      throw r.error(`illegal opcode ${name}`, null, r.base + at);
    }
    if (op.immediate !== Imm.None) this.readImmediates(op, this.imm);
    return op;
  }

  /** Decodes `op`'s immediates at the reader's position into `imm`. */
  readImmediates(op: OperatorInfo, imm: Immediates): void {
    const r = this.r;
    switch (op.immediate) {
      case Imm.BlockType:
        this.readBlockType(imm);
        return;
      case Imm.TryTable:
        this.readBlockType(imm);
        this.readCatches(imm);
        return;
      case Imm.Label:
      case Imm.Func:
      case Imm.Type:
      case Imm.Local:
      case Imm.Global:
      case Imm.Table:
      case Imm.Memory:
      case Imm.Tag:
      case Imm.Data:
      case Imm.Elem:
      case Imm.Catch:
        imm.index = r.u32();
        return;
      case Imm.BrTable:
        this.readBrTable(imm);
        return;
      case Imm.CallIndirect:
      case Imm.MemoryInit:
      case Imm.MemoryCopy:
      case Imm.TableInit:
      case Imm.TableCopy:
      case Imm.TypeField:
      case Imm.TypeType:
      case Imm.TypeData:
      case Imm.TypeElem:
      case Imm.TypeCount:
        imm.index = r.u32();
        imm.index2 = r.u32();
        return;
      case Imm.MemArg:
        this.readMemArg(imm);
        return;
      case Imm.MemArgLane:
        this.readMemArg(imm);
        imm.lane = r.u8();
        return;
      case Imm.I32:
        imm.i32 = r.s32();
        return;
      case Imm.I64:
        r.s64();
        imm.i64Lo = r.lo;
        imm.i64Hi = r.hi;
        return;
      case Imm.F32:
        imm.f32Bits = this.u32Fixed();
        return;
      case Imm.F64:
        imm.f64Lo = this.u32Fixed();
        imm.f64Hi = this.u32Fixed();
        return;
      case Imm.V128:
      case Imm.Shuffle:
        imm.bytesAt = r.pos;
        r.skip(16);
        return;
      case Imm.Lane:
        imm.lane = r.u8();
        return;
      case Imm.SelectT: {
        const count = r.u32();
        imm.selectTypeCount = count;
        // Only one type is valid; the rest are read (and bounded by the bytes) only to be well-formed.
        for (let i = 0; i < count; i++) {
          const t = readValType(r);
          if (i === 0) imm.selectType = t;
        }
        return;
      }
      case Imm.HeapType:
        imm.heapType = readHeapType(r);
        return;
      case Imm.BrOnCast: {
        const at = r.offset;
        imm.castFlags = r.u8();
        if (imm.castFlags > 3) r.fail('malformed cast flags', `0x${imm.castFlags.toString(16)}`, at);
        imm.index = r.u32();
        imm.heapType = readHeapType(r);
        imm.heapType2 = readHeapType(r);
        return;
      }
      case Imm.AtomicFence: {
        const at = r.offset;
        if (r.u8() !== 0) r.fail('zero byte expected', 'atomic.fence takes one reserved 0x00 byte', at);
        return;
      }
      default:
        r.fail(`illegal opcode ${op.name}`, 'immediate kind not decoded');
    }
  }

  /** A little-endian fixed 32-bit word (float bits), kept as a uint32-valued number. */
  private u32Fixed(): number {
    const r = this.r;
    if (r.end - r.pos < 4) r.fail(END_OF_SECTION, 'float constant runs past the end');
    const b = r.bytes;
    const p = r.pos;
    r.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  readBlockType(imm: Immediates): void {
    const r = this.r;
    const b = r.peekU8();
    if (b === BLOCK_EMPTY) {
      r.pos++;
      imm.blockTypeKind = BlockTypeKind.Empty;
    } else if (startsValType(b)) {
      imm.blockTypeKind = BlockTypeKind.Value;
      imm.blockTypeValue = readValType(r, 'malformed block type');
    } else {
      const at = r.offset;
      const index = r.s33();
      if (index < 0) r.fail('malformed block type', `0x${b.toString(16)}`, at);
      imm.blockTypeKind = BlockTypeKind.TypeIndex;
      imm.blockTypeValue = index;
    }
  }

  private readBrTable(imm: Immediates): void {
    const r = this.r;
    const at = r.offset;
    const count = r.u32();
    if (count > ImplementationLimits.maxBrTableSize) r.fail('br_table too large', `${count} targets, the limit is ${ImplementationLimits.maxBrTableSize}`, at);
    // Each target takes at least one byte: reject before growing the target array for it.
    if (count >= r.remaining()) r.fail(END_OF_SECTION, `br_table claims ${count} targets, ${r.remaining()} bytes remain`, at);
    if (count > imm.brTargets.length) {
      let size = imm.brTargets.length;
      while (size < count) size *= 2;
      imm.brTargets = new Uint32Array(size);
    }
    const targets = imm.brTargets;
    for (let i = 0; i < count; i++) targets[i] = r.u32();
    imm.brTargetCount = count;
    imm.index = r.u32();
  }

  private readCatches(imm: Immediates): void {
    const r = this.r;
    const at = r.offset;
    const count = r.u32();
    if (count > r.remaining()) r.fail(END_OF_SECTION, `try_table claims ${count} catch clauses, ${r.remaining()} bytes remain`, at);
    if (count > imm.catchKinds.length) {
      let size = imm.catchKinds.length;
      while (size < count) size *= 2;
      imm.catchKinds = new Uint8Array(size);
      imm.catchTags = new Uint32Array(size);
      imm.catchLabels = new Uint32Array(size);
    }
    for (let i = 0; i < count; i++) {
      const kindAt = r.offset;
      const kind = r.u8();
      if (kind > CatchKind.CatchAllRef) r.fail('malformed catch clause', `kind 0x${kind.toString(16)}`, kindAt);
      imm.catchKinds[i] = kind;
      imm.catchTags[i] = kind === CatchKind.Catch || kind === CatchKind.CatchRef ? r.u32() : 0;
      imm.catchLabels[i] = r.u32();
    }
    imm.catchCount = count;
  }

  readMemArg(imm: Immediates): void {
    const r = this.r;
    const at = r.offset;
    const flags = r.u32();
    if (flags >= MEMARG_FLAGS_LIMIT) r.fail('malformed memop flags', `0x${flags.toString(16)}`, at);
    imm.memAlign = flags & (MEMARG_HAS_MEMORY - 1);
    imm.memIndex = flags & MEMARG_HAS_MEMORY ? r.u32() : 0;
    const offset = r.u64Small();
    if (offset >= 0) {
      imm.memOffset = offset;
      imm.memOffsetBig = null;
    } else {
      // Long (or padded) encodings: exact as a bigint, kept only when a number cannot hold it.
      const big = r.u64();
      imm.memOffset = Number(big);
      imm.memOffsetBig = big > MAX_SAFE_BIG ? big : null;
    }
  }
}

/**
 * Runs the operator loop once over a function body (`exact`) or a constant expression; returns
 * the index in `span.bytes` just after the final `end`. See {@link OperatorReader.read}.
 */
export function readOperators(span: CodeSpan, start: number, visitor: OperatorVisitor, imm: Immediates, exact = true, context = ''): number {
  return new OperatorReader(imm).read(span, start, visitor, exact, context);
}
