// Bounds-check elimination. A `bounds_check index, length` (offset, size) traps unless
// index + offset + size ≤ length. Memory never shrinks, so a check that passed stays true for
// the rest of the function, whatever the calls in between; that is what every rule relies on.
//
//   covered      a check on the same index value with an end (offset + size) at least as far,
//                dominating this one (wazevo's knownSafeBounds, kept along the dominator tree)
//   derived      index = x + c (c ≥ 0, i32): a dominating check of x up to end e makes x + e ≤
//                length ≤ 2^32, so x + c did not wrap, and x + c + e' ≤ length when c + e' ≤ e
//   constant     a constant index whose end lies within memory 0's declared minimum size (an
//                import has at least that much: import matching checks it)
//   in range     an index whose largest possible value (ranges.ts: arithmetic, joins, loop
//                induction variables) plus the end lies within that minimum size: the array
//                walks of compiled C over static data
//   hoisted      a check in a loop header on a loop-invariant index, with nothing before it in the
//                header that has an effect or can trap, moves to the preheader: the first
//                iteration would run it first anyway, and later iterations repeat a check that
//                stays true (LICM has moved the index computation out already)

import { IntBinaryKind, IrOp, ValueKind } from '@flint/backend';
import type { Cfg } from '../analysis/cfg.ts';
import { ValueRanges } from '../analysis/ranges.ts';
import type { ModuleInfo } from '../frontend/module-info.ts';
import { NONE, type IrFunction } from '../ir/function.ts';
import { instEffects } from '../ir/ops.ts';
import { growInt32 } from '../ir/pool.ts';

export class BoundsCheckElimination {
  private fn!: IrFunction;
  /** Scoped map (index value, memory) → furthest end checked: entries in a stack, lookups scan it. */
  private keyValue = new Int32Array(64);
  private keyMemory = new Int32Array(64);
  private keyEnd = new Float64Array(64);
  private entries = 0;
  /** Latest entry per index value (-1 none), and each entry's previous one for that value. */
  private latest = new Int32Array(256);
  private previous = new Int32Array(64);
  private stack = new Int32Array(64);
  private readonly ranges = new ValueRanges();
  /** Whether `ranges` describe the function (computed when memory 0 has a minimum size to use). */
  private rangesReady = false;

  /** Returns the number of checks removed or hoisted. */
  run(fn: IrFunction, cfg: Cfg, info: ModuleInfo): number {
    this.fn = fn;
    cfg.compute(fn);
    if (cfg.rpoCount === 0) return 0;
    this.rangesReady = info.memory0MinBytes > 0 && this.hasChecks(fn);
    if (this.rangesReady) this.ranges.compute(fn, cfg);
    this.latest = growInt32(this.latest, fn.valueCount);
    this.latest.fill(NONE, 0, fn.valueCount);
    this.entries = 0;
    let changed = 0;
    let sp = 0;
    const enter = (b: number): void => {
      this.stack = growInt32(this.stack, sp + 3);
      this.stack[sp] = b;
      this.stack[sp + 1] = 0;
      this.stack[sp + 2] = this.entries;
      sp += 3;
      changed += this.visitBlock(b, info);
    };
    enter(0);
    while (sp > 0) {
      const b = this.stack[sp - 3]!;
      const k = this.stack[sp - 2]!;
      if (k < cfg.childCount[b]!) {
        this.stack[sp - 2] = k + 1;
        enter(cfg.child(b, k));
        continue;
      }
      const mark = this.stack[sp - 1]!;
      while (this.entries > mark) {
        const e = --this.entries;
        this.latest[this.keyValue[e]!] = this.previous[e]!;
      }
      sp -= 3;
    }
    changed += this.hoistInvariantChecks(cfg);
    return changed;
  }

  /** The furthest end checked so far on the dominating path for `index` in `memory`, or -1. */
  private checkedEnd(index: number, memory: number): number {
    let best = -1;
    for (let e = this.latest[index]!; e !== NONE; e = this.previous[e]!) {
      if (this.keyMemory[e] === memory && this.keyEnd[e]! > best) best = this.keyEnd[e]!;
    }
    return best;
  }

  private record(index: number, memory: number, end: number): void {
    const e = this.entries++;
    if (e >= this.keyValue.length) {
      this.keyValue = growInt32(this.keyValue, e + 1);
      this.keyMemory = growInt32(this.keyMemory, e + 1);
      this.previous = growInt32(this.previous, e + 1);
      const ends = new Float64Array(this.keyValue.length);
      ends.set(this.keyEnd);
      this.keyEnd = ends;
    }
    this.keyValue[e] = index;
    this.keyMemory[e] = memory;
    this.keyEnd[e] = end;
    this.previous[e] = this.latest[index]!;
    this.latest[index] = e;
  }

  private visitBlock(b: number, info: ModuleInfo): number {
    const fn = this.fn;
    let removed = 0;
    for (let i = fn.firstInst(b); i !== NONE; ) {
      const next = fn.nextInst(i);
      if (fn.op(i) === IrOp.BoundsCheck) {
        if (this.redundant(i, info)) {
          fn.remove(i);
          removed++;
        } else {
          this.record(fn.arg(i, 0), fn.imm1(i), (fn.imm0(i) >>> 0) + fn.kind(i));
        }
      }
      i = next;
    }
    return removed;
  }

  private redundant(i: number, info: ModuleInfo): boolean {
    const fn = this.fn;
    const index = fn.arg(i, 0);
    const memory = fn.imm1(i);
    const end = (fn.imm0(i) >>> 0) + fn.kind(i);
    if (this.checkedEnd(index, memory) >= end) return true;
    if (memory === 0 && this.rangesReady && this.ranges.max(index) + end <= info.memory0MinBytes) return true;
    const def = fn.definingInst(index);
    if (def === NONE) return false;
    if (fn.op(def) === IrOp.Iconst) return memory === 0 && (fn.imm0(def) >>> 0) + end <= info.memory0MinBytes;
    if (fn.op(def) === IrOp.IntBinary && fn.kind(def) === IntBinaryKind.Add && fn.type(def) === ValueKind.I32) {
      const c = fn.arg(def, 1);
      const cdef = fn.definingInst(c);
      if (cdef !== NONE && fn.op(cdef) === IrOp.Iconst && fn.imm0(cdef) >= 0) {
        const base = this.checkedEnd(fn.arg(def, 0), memory);
        if (base >= 0 && fn.imm0(cdef) + end <= base) return true;
      }
    }
    return false;
  }

  private hasChecks(fn: IrFunction): boolean {
    for (let b = 0; b < fn.blockCount; b++) for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) if (fn.op(i) === IrOp.BoundsCheck) return true;
    return false;
  }

  private hoistInvariantChecks(cfg: Cfg): number {
    const fn = this.fn;
    let hoisted = 0;
    for (let k = 0; k < cfg.rpoCount; k++) {
      const h = cfg.rpo[k]!;
      if (!cfg.isLoopHeader[h]) continue;
      const pre = preheader(fn, cfg, h);
      if (pre === NONE) continue;
      for (let i = fn.firstInst(h); i !== NONE; ) {
        const next = fn.nextInst(i);
        if (fn.op(i) === IrOp.BoundsCheck) {
          if (!this.definedOutside(fn.arg(i, 0), h, cfg) || !this.definedOutside(fn.arg(i, 1), h, cfg)) break;
          fn.remove(i);
          fn.insertBefore(fn.terminator(pre), i);
          hoisted++;
        } else if (instEffects(fn.op(i), fn.kind(i), fn.imm2(i)) !== 0) {
          break;
        }
        i = next;
      }
    }
    return hoisted;
  }

  private definedOutside(v: number, header: number, cfg: Cfg): boolean {
    const fn = this.fn;
    const def = fn.definingInst(v);
    const block = def === NONE ? fn.valueBlock[v]! : fn.instBlock(def);
    return !cfg.inLoop(block, header);
  }
}

/** The loop's preheader: the header's one predecessor from outside the loop, ending in a jump. */
export function preheader(fn: IrFunction, cfg: Cfg, header: number): number {
  let outside = NONE;
  for (let k = 0; k < cfg.predCount[header]!; k++) {
    const p = cfg.pred(header, k);
    if (cfg.inLoop(p, header)) continue;
    if (outside !== NONE) return NONE;
    outside = p;
  }
  if (outside === NONE) return NONE;
  const t = fn.terminator(outside);
  return t !== NONE && fn.op(t) === IrOp.Jump ? outside : NONE;
}
