// Redundant-load elimination and store-to-load forwarding (TurboFan's LoadElimination, on the
// CFG): a forward dataflow over "facts" — this read would give that value — replaces reads whose
// value is already known on every path:
//
//   memory_base/length m   known after a read, until a call or builtin that may grow memory
//   global_get g           known after a read or a global_set g, until a call or another write of g
//   load kind b, i, off    known after a load or a full-width store to the same place, until a
//                          store that may overlap it, or a call
//
// Two accesses may overlap unless they use the same base and index values and their byte ranges
// [offset, offset + size) are disjoint (struct fields through one pointer); everything else is
// assumed to alias. Facts meet by intersection at joins; loops iterate to a fixed point (starting
// optimistic, so a value that survives the loop is known in it), and the IR changes only after.
// Builtins that touch neither memory nor globals (table operations, ref.func, data/elem.drop)
// keep every fact; memory.grow only forgets the memory's base and length (contents stay).

import { Builtin, IrOp, LOAD_ACCESS_SIZE, LoadKind, STORE_ACCESS_SIZE } from '@flint/backend';
import type { Cfg } from '../analysis/cfg.ts';
import { NONE, type IrFunction } from '../ir/function.ts';
import { IntPool, growInt32, growUint8 } from '../ir/pool.ts';

/** Fact record: tag, a, b, c, d, value. */
const STRIDE = 6;
const TAG_LENGTH = 1;
const TAG_GLOBAL = 2;
const TAG_LOAD = 3;
const TAG_BASE = 4;
/** Facts kept per block at most (the oldest go first); keeps the pass linear on huge blocks. */
const MAX_FACTS = 64;
const MAX_ROUNDS = 8;
/** A block state not computed yet (the optimistic top). */
const UNSEEN = -1;

/** The load kind a full-width store can answer. */
const LOAD_OF_STORE: readonly number[] = [LoadKind.I32, LoadKind.I64, LoadKind.F32, LoadKind.F64, -1, -1, -1];

export class LoadElimination {
  private fn!: IrFunction;
  /** Per block: start and count of its in-state in `states` (count UNSEEN until computed). */
  private inStart = new Int32Array(64);
  private inCount = new Int32Array(64);
  private readonly states = new IntPool(1024);
  /** The working state. */
  private facts = new Int32Array(STRIDE * MAX_FACTS * 2);
  private count = 0;
  private merged = new Int32Array(STRIDE * MAX_FACTS);
  private dirty = new Uint8Array(64);

  /** Returns the number of reads removed. */
  run(fn: IrFunction, cfg: Cfg): number {
    this.fn = fn;
    cfg.compute(fn);
    const n = fn.blockCount;
    this.inStart = growInt32(this.inStart, n);
    this.inCount = growInt32(this.inCount, n);
    this.inCount.fill(UNSEEN, 0, n);
    this.states.reset();
    if (cfg.rpoCount === 0) return 0;
    this.inStart[0] = this.states.used;
    this.inCount[0] = 0;
    // Rounds in reverse postorder over the blocks whose in-state changed since they were last run.
    const dirty = (this.dirty = growUint8(this.dirty, n));
    dirty.fill(0, 0, n);
    dirty[0] = 1;
    for (let round = 0; ; round++) {
      if (round === MAX_ROUNDS) return 0; // did not settle: change nothing
      let changed = false;
      for (let k = 0; k < cfg.rpoCount; k++) {
        const b = cfg.rpo[k]!;
        if (dirty[b] === 0) continue;
        dirty[b] = 0;
        this.load(b);
        this.transfer(b, false);
        const t = fn.terminator(b);
        if (t === NONE) continue;
        for (let s = 0; s < fn.targetCount(t); s++) {
          const target = fn.targetBlock(t, s);
          if (this.meet(target)) {
            dirty[target] = 1;
            // A block later in the order runs in this round; an earlier one (a loop header) in the next.
            if (cfg.rpoIndex[target]! <= k) changed = true;
          }
        }
      }
      if (!changed) break;
    }
    let replaced = 0;
    for (let k = 0; k < cfg.rpoCount; k++) {
      const b = cfg.rpo[k]!;
      if (this.inCount[b] === UNSEEN) continue;
      this.load(b);
      replaced += this.transfer(b, true);
    }
    if (replaced > 0) fn.applyAliases();
    return replaced;
  }

  private load(b: number): void {
    const n = this.inCount[b]!;
    const from = this.inStart[b]!;
    this.count = n;
    this.facts.set(this.states.data.subarray(from, from + n * STRIDE), 0);
  }

  /** Intersects the working state into `b`'s in-state; true when it changed. */
  private meet(b: number): boolean {
    const f = this.facts;
    if (this.inCount[b] === UNSEEN) {
      this.inStart[b] = this.states.alloc(this.count * STRIDE);
      this.states.data.set(f.subarray(0, this.count * STRIDE), this.inStart[b]!);
      this.inCount[b] = this.count;
      return true;
    }
    const from = this.inStart[b]!;
    const old = this.inCount[b]!;
    const data = this.states.data;
    let kept = 0;
    for (let k = 0; k < old; k++) {
      const at = from + k * STRIDE;
      let found = false;
      for (let j = 0; j < this.count && !found; j++) {
        const w = j * STRIDE;
        found = data[at] === f[w] && data[at + 1] === f[w + 1] && data[at + 2] === f[w + 2] && data[at + 3] === f[w + 3] && data[at + 4] === f[w + 4] && data[at + 5] === f[w + 5];
      }
      if (!found) continue;
      for (let x = 0; x < STRIDE; x++) this.merged[kept * STRIDE + x] = data[at + x]!;
      kept++;
    }
    if (kept === old) return false;
    data.set(this.merged.subarray(0, kept * STRIDE), from);
    this.inCount[b] = kept;
    return true;
  }

  /** Runs the block over the working state; with `apply`, replaces the reads it already knows. */
  private transfer(b: number, apply: boolean): number {
    const fn = this.fn;
    let replaced = 0;
    for (let i = fn.firstInst(b); i !== NONE; ) {
      const next = fn.nextInst(i);
      switch (fn.op(i)) {
        case IrOp.MemoryLength:
          replaced += this.read(i, TAG_LENGTH, fn.imm1(i), 0, 0, 0, apply);
          break;
        case IrOp.MemoryBase:
          replaced += this.read(i, TAG_BASE, fn.imm1(i), 0, 0, 0, apply);
          break;
        case IrOp.GlobalGet:
          replaced += this.read(i, TAG_GLOBAL, fn.imm0(i), 0, 0, 0, apply);
          break;
        case IrOp.GlobalSet:
          this.forget(TAG_GLOBAL, fn.imm0(i));
          this.add(TAG_GLOBAL, fn.imm0(i), 0, 0, 0, fn.arg(i, 0));
          break;
        case IrOp.Load:
          replaced += this.read(i, TAG_LOAD, fn.kind(i) | (fn.imm1(i) << 8), fn.arg(i, 0), fn.arg(i, 1), fn.imm0(i), apply);
          break;
        case IrOp.Store: {
          const memory = fn.imm1(i);
          const base = fn.arg(i, 0);
          const index = fn.arg(i, 1);
          const offset = fn.imm0(i) >>> 0;
          this.forgetOverlapping(memory, base, index, offset, STORE_ACCESS_SIZE[fn.kind(i)]!);
          const kind = LOAD_OF_STORE[fn.kind(i)]!;
          if (kind >= 0) this.add(TAG_LOAD, kind | (memory << 8), base, index, fn.imm0(i), fn.arg(i, 2));
          break;
        }
        case IrOp.CallBuiltin:
          this.builtin(fn.kind(i));
          break;
        case IrOp.Call:
        case IrOp.CallIndirect:
          this.count = 0;
          break;
        default:
      }
      i = next;
    }
    return replaced;
  }

  private builtin(id: number): void {
    switch (id) {
      case Builtin.MemoryGrow:
        // Contents stay; the length changes, and the memory may move.
        this.forget(TAG_LENGTH, -1);
        this.forget(TAG_BASE, -1);
        return;
      case Builtin.MemoryFill:
      case Builtin.MemoryCopy:
      case Builtin.MemoryInit:
        this.forget(TAG_LOAD, -1);
        return;
      case Builtin.MemorySize:
      case Builtin.DataDrop:
      case Builtin.TableGet:
      case Builtin.TableSet:
      case Builtin.TableSize:
      case Builtin.TableGrow:
      case Builtin.TableFill:
      case Builtin.TableCopy:
      case Builtin.TableInit:
      case Builtin.ElemDrop:
      case Builtin.RefFunc:
        return;
      default:
        this.count = 0;
    }
  }

  /** A read: replaced by the known value, or recorded as the new known value. */
  private read(i: number, tag: number, a: number, b: number, c: number, d: number, apply: boolean): number {
    const f = this.facts;
    for (let k = 0; k < this.count; k++) {
      const w = k * STRIDE;
      if (f[w] === tag && f[w + 1] === a && f[w + 2] === b && f[w + 3] === c && f[w + 4] === d) {
        if (!apply) return 0;
        const value = f[w + 5]!;
        if (this.fn.valueKind(value) !== this.fn.type(i)) return 0;
        this.fn.replaceUses(this.fn.result(i, 0), value);
        this.fn.remove(i);
        return 1;
      }
    }
    this.add(tag, a, b, c, d, this.fn.result(i, 0));
    return 0;
  }

  private add(tag: number, a: number, b: number, c: number, d: number, value: number): void {
    if (this.count === MAX_FACTS) {
      this.facts.copyWithin(0, STRIDE, MAX_FACTS * STRIDE);
      this.count--;
    }
    const w = this.count++ * STRIDE;
    const f = this.facts;
    f[w] = tag;
    f[w + 1] = a;
    f[w + 2] = b;
    f[w + 3] = c;
    f[w + 4] = d;
    f[w + 5] = value;
  }

  /** Drops the facts with `tag` (and first field `a`, unless -1). */
  private forget(tag: number, a: number): void {
    const f = this.facts;
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      const w = k * STRIDE;
      if (f[w] === tag && (a === -1 || f[w + 1] === a)) continue;
      if (n !== k) f.copyWithin(n * STRIDE, w, w + STRIDE);
      n++;
    }
    this.count = n;
  }

  /** Drops the load facts a store of `size` bytes at base + index + offset may have changed. */
  private forgetOverlapping(memory: number, base: number, index: number, offset: number, size: number): void {
    const f = this.facts;
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      const w = k * STRIDE;
      if (f[w] === TAG_LOAD && f[w + 1]! >> 8 === memory) {
        const disjoint = f[w + 2] === base && f[w + 3] === index && (offset + size <= f[w + 4]! >>> 0 || (f[w + 4]! >>> 0) + LOAD_ACCESS_SIZE[f[w + 1]! & 0xff]! <= offset);
        if (!disjoint) continue;
      }
      if (n !== k) f.copyWithin(n * STRIDE, w, w + STRIDE);
      n++;
    }
    this.count = n;
  }
}

