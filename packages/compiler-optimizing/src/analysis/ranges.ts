// Ranges of i32 values, for bounds-check elimination. A range is an interval [lo, hi] of integers
// narrower than 2^32 whose members, modulo 2^32, are the values the i32 can have: so additions,
// subtractions and left shifts are exact even when they wrap (compiled C counts loops up from
// -n to 0 and adds the array's address), and the unsigned values are the interval taken modulo
// 2^32 when it stays within one multiple of 2^32 (else anything). Every i32 nothing is known
// about has [0, 2^32 − 1]. One pass in reverse postorder: arithmetic, unions at joins, and at
// loop headers the induction variables.
//
// Induction variables (TurboFan's LoopVariableOptimizer, on block parameters). A loop with one
// back edge whose parameter p gets p + c back (c a positive constant) counts up from its entry
// value. To be carried round, control must pass a test on the way to the back edge: a branch on
// the dominator chain from the latch up to the header whose loop-side edge is the only way into
// its block. When that test bounds p or p + c from above (`<`, `≤`, signed ones on non-negative
// values, `≠` on an exact count), the back edge runs at most K times, and every parameter q of the
// loop that gets q + d back lies in [entry.lo, entry.hi + K·d]. Nested loops compose: an inner
// loop's entry values have the outer loop's ranges.
//
// Only facts that hold for every execution are derived, wrap-around included: operations that
// are not exact modulo 2^32 (multiplication, right shifts, bitwise ones, division) work on the
// unsigned values and give up when a result could pass 2^32 − 1.

import { DivKind, IntBinaryKind, IntCond, IrOp, LoadKind, ShiftKind, ValueKind } from '@flint/backend';
import type { IrFunction } from '../ir/function.ts';
import { NONE } from '../ir/function.ts';
import type { Cfg } from './cfg.ts';

const MAX = 0xffff_ffff;
const SIGN = 0x8000_0000;

export class ValueRanges {
  lo = new Float64Array(256);
  hi = new Float64Array(256);
  private fn!: IrFunction;
  private cfg!: Cfg;

  compute(fn: IrFunction, cfg: Cfg): void {
    this.fn = fn;
    this.cfg = cfg;
    cfg.compute(fn);
    const n = fn.valueCount;
    if (this.lo.length < n) {
      this.lo = new Float64Array(Math.max(n, this.lo.length * 2));
      this.hi = new Float64Array(this.lo.length);
    }
    this.lo.fill(0, 0, n);
    this.hi.fill(MAX, 0, n);
    for (let k = 0; k < cfg.rpoCount; k++) {
      const b = cfg.rpo[k]!;
      if (b !== 0) {
        if (cfg.isLoopHeader[b]) this.loopParams(b);
        else this.joinParams(b);
      }
      for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) {
        if (fn.resultCount(i) === 1 && fn.type(i) === ValueKind.I32) this.transfer(i, fn.result(i, 0));
      }
    }
  }

  /** The largest value `v` can have (2^32 - 1 when nothing is known). */
  max(v: number): number {
    return this.fn.valueKind(v) === ValueKind.I32 ? this.unsigned(v)[1]! : MAX;
  }

  private set(v: number, lo: number, hi: number): void {
    if (!(hi - lo <= MAX) || lo > hi || !Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
      lo = 0;
      hi = MAX;
    }
    this.lo[v] = lo;
    this.hi[v] = hi;
  }

  /** The unsigned values of `v` as [ulo, uhi] in `this.u` (the full range unless the interval lies in one window of 2^32). */
  private readonly u = new Float64Array(2);

  private unsigned(v: number): Float64Array {
    const lo = this.lo[v]!;
    const hi = this.hi[v]!;
    const k = Math.floor(lo / 2 ** 32);
    if (Math.floor(hi / 2 ** 32) === k) {
      this.u[0] = lo - k * 2 ** 32;
      this.u[1] = hi - k * 2 ** 32;
    } else {
      this.u[0] = 0;
      this.u[1] = MAX;
    }
    return this.u;
  }

  /** The constant `v` holds (unsigned), or -1. */
  private constant(v: number): number {
    const def = this.fn.definingInst(v);
    return def !== NONE && this.fn.op(def) === IrOp.Iconst && this.fn.type(def) === ValueKind.I32 ? this.fn.imm0(def) >>> 0 : -1;
  }

  private transfer(i: number, r: number): void {
    const fn = this.fn;
    const lo = this.lo;
    const hi = this.hi;
    switch (fn.op(i)) {
      case IrOp.Iconst: {
        const c = fn.imm0(i) >>> 0;
        this.set(r, c, c);
        return;
      }
      case IrOp.Copy:
        this.set(r, lo[fn.arg(i, 0)]!, hi[fn.arg(i, 0)]!);
        return;
      case IrOp.IntBinary: {
        const a = fn.arg(i, 0);
        const b = fn.arg(i, 1);
        switch (fn.kind(i)) {
          case IntBinaryKind.Add: {
            // A constant of 2^31 or more is a negative addend: the smaller interval.
            const c = this.constant(b);
            if (c >= SIGN) this.set(r, lo[a]! + c - 2 ** 32, hi[a]! + c - 2 ** 32);
            else this.set(r, lo[a]! + lo[b]!, hi[a]! + hi[b]!);
            return;
          }
          case IntBinaryKind.Sub:
            this.set(r, lo[a]! - hi[b]!, hi[a]! - lo[b]!);
            return;
          case IntBinaryKind.Mul: {
            const [alo, ahi] = this.unsigned(a);
            const [blo, bhi] = this.unsigned(b);
            if (ahi! * bhi! <= MAX) this.set(r, alo! * blo!, ahi! * bhi!);
            return;
          }
          case IntBinaryKind.And:
            this.set(r, 0, Math.min(this.unsigned(a)[1]!, this.unsigned(b)[1]!));
            return;
          case IntBinaryKind.Or:
          case IntBinaryKind.Xor:
            this.set(r, 0, allOnesAtLeast(Math.max(this.unsigned(a)[1]!, this.unsigned(b)[1]!)));
            return;
        }
        return;
      }
      case IrOp.Shift: {
        const a = fn.arg(i, 0);
        const s = this.constant(fn.arg(i, 1));
        if (s < 0) {
          if (fn.kind(i) === ShiftKind.ShrU) this.set(r, 0, this.unsigned(a)[1]!);
          return;
        }
        const by = s & 31;
        // A left shift multiplies exactly modulo 2^32.
        if (fn.kind(i) === ShiftKind.Shl) this.set(r, lo[a]! * 2 ** by, hi[a]! * 2 ** by);
        else if (fn.kind(i) === ShiftKind.ShrU) {
          const [alo, ahi] = this.unsigned(a);
          this.set(r, Math.floor(alo! / 2 ** by), Math.floor(ahi! / 2 ** by));
        }
        return;
      }
      case IrOp.Div: {
        const [alo, ahi] = this.unsigned(fn.arg(i, 0));
        const [blo, bhi] = this.unsigned(fn.arg(i, 1));
        if (fn.kind(i) === DivKind.UnsignedRem) this.set(r, 0, Math.min(ahi!, Math.max(0, bhi! - 1)));
        else if (fn.kind(i) === DivKind.UnsignedDiv && blo! > 0) this.set(r, Math.floor(alo! / bhi!), Math.floor(ahi! / blo!));
        return;
      }
      case IrOp.IntCompare:
      case IrOp.FloatCompare:
        this.set(r, 0, 1);
        return;
      case IrOp.Select: {
        const [alo, ahi] = this.unsigned(fn.arg(i, 1));
        const [blo, bhi] = this.unsigned(fn.arg(i, 2));
        this.set(r, Math.min(alo!, blo!), Math.max(ahi!, bhi!));
        return;
      }
      case IrOp.Load:
        if (fn.kind(i) === LoadKind.I32Load8U) this.set(r, 0, 0xff);
        else if (fn.kind(i) === LoadKind.I32Load16U) this.set(r, 0, 0xffff);
        return;
    }
  }

  /** A join's parameters: the union of what its predecessors pass (all visited already, in reverse postorder). */
  private joinParams(b: number): void {
    const fn = this.fn;
    const count = fn.blockParamCount(b);
    if (count === 0) return;
    const cfg = this.cfg;
    for (let p = 0; p < count; p++) {
      const param = fn.blockParam(b, p);
      if (fn.valueKind(param) !== ValueKind.I32) continue;
      let lo = MAX;
      let hi = 0;
      for (let k = 0; k < cfg.predCount[b]!; k++) {
        const t = fn.terminator(cfg.pred(b, k));
        for (let s = 0; s < fn.targetCount(t); s++) {
          if (fn.targetBlock(t, s) !== b) continue;
          const [alo, ahi] = this.unsigned(fn.targetArg(t, s, p));
          lo = Math.min(lo, alo!);
          hi = Math.max(hi, ahi!);
        }
      }
      if (lo <= hi) this.set(param, lo, hi);
    }
  }

  /** A loop header's parameters: induction variables get ranges from the loop's trip count. */
  private loopParams(h: number): void {
    const fn = this.fn;
    const cfg = this.cfg;
    const count = fn.blockParamCount(h);
    if (count === 0) return;
    // One entry edge and one back edge (from the latch).
    let entry = NONE;
    let latch = NONE;
    for (let k = 0; k < cfg.predCount[h]!; k++) {
      const p = cfg.pred(h, k);
      const t = fn.terminator(p);
      let edges = 0;
      for (let s = 0; s < fn.targetCount(t); s++) if (fn.targetBlock(t, s) === h) edges++;
      if (edges !== 1) return;
      if (cfg.inLoop(p, h)) {
        if (latch !== NONE) return;
        latch = p;
      } else {
        if (entry !== NONE) return;
        entry = p;
      }
    }
    if (entry === NONE || latch === NONE) return;
    const entryArg = (param: number): number => edgeArg(fn, entry, h, param);
    const backArg = (param: number): number => edgeArg(fn, latch, h, param);
    // Steps: the back edge passes param + step.
    const trips = this.backEdgeBound(h, latch, entryArg, backArg);
    if (trips < 0) return;
    for (let p = 0; p < count; p++) {
      const param = fn.blockParam(h, p);
      if (fn.valueKind(param) !== ValueKind.I32) continue;
      const step = this.stepOf(param, backArg(p));
      if (step <= 0) continue;
      const [ilo, ihi] = this.unsigned(entryArg(p));
      this.set(param, ilo!, ihi! + trips * step);
    }
  }

  /** `c` when `next` is `param + c` with c a constant in [1, 2^31), else -1. */
  private stepOf(param: number, next: number): number {
    const fn = this.fn;
    const def = fn.definingInst(next);
    if (def === NONE || fn.op(def) !== IrOp.IntBinary || fn.kind(def) !== IntBinaryKind.Add || fn.arg(def, 0) !== param) return -1;
    const c = this.constant(fn.arg(def, 1));
    return c >= 1 && c < SIGN ? c : -1;
  }

  /**
   * At most how many times the back edge runs, from a test that control passes on every way to it
   * (a branch on the latch's dominator chain whose loop-side edge is the only way into its
   * target), or -1 when no test bounds an induction variable.
   */
  private backEdgeBound(h: number, latch: number, entryArg: (p: number) => number, backArg: (p: number) => number): number {
    const fn = this.fn;
    const cfg = this.cfg;
    let best = -1;
    let below = h;
    for (let d = latch; ; d = cfg.idom[d]!) {
      const t = fn.terminator(d);
      if (t !== NONE && fn.op(t) === IrOp.Brif && fn.targetBlock(t, 0) !== fn.targetBlock(t, 1)) {
        // The edge taken on the way to the latch, and whether it is taken when the condition holds.
        const side = fn.targetBlock(t, 0) === below ? 0 : fn.targetBlock(t, 1) === below ? 1 : -1;
        if (side >= 0 && (below === h || cfg.predCount[below] === 1)) {
          const k = this.boundFromTest(h, fn.arg(t, 0), side === 0, entryArg, backArg);
          if (k >= 0 && (best < 0 || k < best)) best = k;
        }
      }
      if (d === h) break;
      below = d;
      if (cfg.idom[d] === d || cfg.idom[d] === NONE) break;
    }
    return best;
  }

  private boundFromTest(h: number, cond: number, holds: boolean, entryArg: (p: number) => number, backArg: (p: number) => number): number {
    const fn = this.fn;
    const def = fn.definingInst(cond);
    let cc: number;
    let x: number;
    let y: number;
    if (def !== NONE && fn.op(def) === IrOp.IntCompare && fn.valueKind(fn.arg(def, 0)) === ValueKind.I32) {
      cc = fn.kind(def);
      x = fn.arg(def, 0);
      y = fn.arg(def, 1);
    } else if (this.isCounter(h, cond, backArg)) {
      // `brif x`: x ≠ 0.
      cc = IntCond.Ne;
      x = cond;
      y = NONE;
    } else {
      return -1;
    }
    if (!holds) cc = negate(cc);
    // Put the induction variable on the left.
    if (y !== NONE && !this.isCounter(h, x, backArg) && this.isCounter(h, y, backArg)) {
      const t = x;
      x = y;
      y = t;
      cc = swap(cc);
    }
    const counter = this.counterOf(h, x, backArg);
    if (counter === NONE) return -1;
    const param = fn.blockParam(h, counter);
    const step = this.stepOf(param, backArg(counter));
    const [initLo, initHi] = this.unsigned(entryArg(counter));
    const start = initLo!;
    // Whether the test reads the value after the step (p + c) or before it (p).
    const after = x !== param;
    // The largest value x can have when the back edge is taken (as an integer, past 2^32 for a
    // counter that wraps to its limit).
    let bound: number;
    const yHi = y === NONE ? 0 : this.unsigned(y)[1]!;
    switch (cc) {
      case IntCond.LtU:
      case IntCond.LeU:
        // x may not step over 2^32 while the test still passes (it would pass again after the wrap).
        if (initHi! + step > MAX || yHi + step > 2 ** 32) return -1;
        bound = cc === IntCond.LtU ? yHi - 1 : yHi;
        break;
      case IntCond.LtS:
      case IntCond.LeS:
        // Signed compares agree with unsigned ones while both sides stay below 2^31.
        if (initHi! >= SIGN || yHi + step > SIGN) return -1;
        bound = cc === IntCond.LtS ? yHi - 1 : yHi;
        break;
      case IntCond.Ne: {
        // Counting up from an exact start by steps that land on the limit (modulo 2^32) exactly:
        // the first value congruent to it ends the loop.
        const limit = y === NONE ? 0 : this.constant(y);
        if (limit < 0 || initLo !== initHi) return -1;
        const first = after ? start + step : start;
        const target = limit + 2 ** 32 * Math.ceil((first - limit) / 2 ** 32);
        if ((target - first) % step !== 0) return -1;
        bound = target - step;
        break;
      }
      default:
        return -1;
    }
    // Back-edge traversals j = 1, 2, …: x = start + j·step after the step, start + (j − 1)·step before.
    const trips = Math.floor((bound - start) / step) + (after ? 0 : 1);
    return Math.max(0, trips);
  }

  private isCounter(h: number, v: number, backArg: (p: number) => number): boolean {
    return this.counterOf(h, v, backArg) !== NONE;
  }

  /** The index of the header parameter p for which v is p or p + c (an induction variable), or NONE. */
  private counterOf(h: number, v: number, backArg: (p: number) => number): number {
    const fn = this.fn;
    for (let p = 0; p < fn.blockParamCount(h); p++) {
      const param = fn.blockParam(h, p);
      if (fn.valueKind(param) !== ValueKind.I32) continue;
      const next = backArg(p);
      if (this.stepOf(param, next) <= 0) continue;
      if (v === param || v === next) return p;
    }
    return NONE;
  }
}

/** The argument `from`'s terminator passes for parameter `param` of `to`. */
function edgeArg(fn: IrFunction, from: number, to: number, param: number): number {
  const t = fn.terminator(from);
  for (let s = 0; s < fn.targetCount(t); s++) if (fn.targetBlock(t, s) === to) return fn.targetArg(t, s, param);
  return NONE;
}

/** The smallest 2^k − 1 at least `x`. */
function allOnesAtLeast(x: number): number {
  let m = 0;
  while (m < x) m = m * 2 + 1;
  return m;
}

function negate(cc: number): number {
  switch (cc) {
    case IntCond.Eq: return IntCond.Ne;
    case IntCond.Ne: return IntCond.Eq;
    case IntCond.LtS: return IntCond.GeS;
    case IntCond.LtU: return IntCond.GeU;
    case IntCond.GtS: return IntCond.LeS;
    case IntCond.GtU: return IntCond.LeU;
    case IntCond.LeS: return IntCond.GtS;
    case IntCond.LeU: return IntCond.GtU;
    case IntCond.GeS: return IntCond.LtS;
    default: return IntCond.LtU;
  }
}

/** The condition with its operands exchanged (a < b ⇔ b > a). */
function swap(cc: number): number {
  switch (cc) {
    case IntCond.LtS: return IntCond.GtS;
    case IntCond.LtU: return IntCond.GtU;
    case IntCond.GtS: return IntCond.LtS;
    case IntCond.GtU: return IntCond.LtU;
    case IntCond.LeS: return IntCond.GeS;
    case IntCond.LeU: return IntCond.GeU;
    case IntCond.GeS: return IntCond.LeS;
    case IntCond.GeU: return IntCond.LeU;
    default: return cc;
  }
}
