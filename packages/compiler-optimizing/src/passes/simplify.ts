// Constant folding and algebraic simplification, in one forward sweep over the blocks in reverse
// postorder (operands are simplified before their users), repeated while it changes something.
// Integer operations only, where Wasm's results are exact and host-independent; float folding
// would have to reproduce NaN payload rules, so it is left to the hardware.
//
//   folding        iadd 2, 3 → 5; icmp slt 1, 2 → 1; sdiv 7, 2 → 3 (never a trapping one)
//   identities     x + 0, x | 0, x ^ 0, x * 1, x & -1, x << 0 → x;  x * 0, x & 0 → 0;  x - x → 0
//   strength       x * 2^k → x << k;  udiv x, 2^k → x >>u k;  urem x, 2^k → x & (2^k - 1)
//   canonical      constants on the right (iadd 5, x → iadd x, 5; icmp slt 5, x → icmp sgt x, 5);
//                  x - c → x + (-c);  (x + c1) + c2 → x + (c1 + c2)
//   conditions     icmp eq (icmp c a b), 0 → icmp !c a b;  icmp ne x, 0 as a condition → x;
//                  brif / select on a constant → the taken side;  br_table on a constant → jump
//   conversions    i32.wrap_i64 (i64.extend_i32_* x) → x

import { ConvertKind, DivKind, IntBinaryKind, IntCond, IrOp, ShiftKind, ValueKind, type ValueKind as ValueKindType } from '@flint/backend';
import type { Cfg } from '../analysis/cfg.ts';
import { NONE, type IrFunction } from '../ir/function.ts';
import {
  NEGATED_COND,
  bigHi,
  bigLo,
  foldBinary32,
  foldBinary64,
  foldCompare32,
  foldCompare64,
  foldDiv32,
  foldDiv64,
  foldShift32,
  foldShift64,
  foldUnary32,
  foldUnary64,
  toBig,
} from './fold.ts';

/** The condition with operands swapped: a < b ⇔ b > a. */
const SWAPPED_COND: readonly number[] = [
  IntCond.Eq, IntCond.Ne, IntCond.GtS, IntCond.GtU, IntCond.LtS, IntCond.LtU, IntCond.GeS, IntCond.GeU, IntCond.LeS, IntCond.LeU,
];
const COMMUTATIVE = (kind: number): boolean => kind !== IntBinaryKind.Sub;
const MAX_ROUNDS = 4;

export class Simplifier {
  private fn!: IrFunction;
  private changes = 0;
  private readonly argScratch = new Int32Array(3);

  /** Returns the number of instructions simplified. */
  run(fn: IrFunction, cfg: Cfg): number {
    this.fn = fn;
    let total = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      this.changes = 0;
      cfg.compute(fn);
      for (let k = 0; k < cfg.rpoCount; k++) {
        const b = cfg.rpo[k]!;
        for (let i = fn.firstInst(b); i !== NONE; ) {
          const next = fn.nextInst(i);
          this.simplify(i);
          i = next;
        }
      }
      total += this.changes;
      if (this.changes === 0) break;
    }
    if (total > 0) fn.applyAliases();
    return total;
  }

  // --- constants -----------------------------------------------------------------------------

  private isConst(v: number): boolean {
    const def = this.fn.definingInst(v);
    return def !== NONE && this.fn.op(def) === IrOp.Iconst;
  }

  private lo(v: number): number {
    return this.fn.imm0(this.fn.definingInst(v));
  }

  private big(v: number): bigint {
    const def = this.fn.definingInst(v);
    return toBig(this.fn.imm0(def), this.fn.imm1(def));
  }

  /** True when `v` is the constant `value` (at its own width). */
  private is(v: number, value: number): boolean {
    if (!this.isConst(v)) return false;
    return this.fn.valueKind(v) === ValueKind.I32 ? this.lo(v) === (value | 0) : this.big(v) === BigInt(value);
  }

  /** log2 of a constant power of two (as an unsigned value of its width), or -1. */
  private log2(v: number): number {
    if (!this.isConst(v)) return -1;
    if (this.fn.valueKind(v) === ValueKind.I32) {
      const x = this.lo(v) >>> 0;
      return x !== 0 && (x & (x - 1)) === 0 ? 31 - Math.clz32(x) : -1;
    }
    const x = BigInt.asUintN(64, this.big(v));
    if (x === 0n || (x & (x - 1n)) !== 0n) return -1;
    return x.toString(2).length - 1;
  }

  /** A new constant of `kind`, placed before `before`. */
  private constant(before: number, kind: ValueKindType, lo: number, hi: number): number {
    const fn = this.fn;
    const inst = fn.createInst(IrOp.Iconst, 0, kind, lo, kind === ValueKind.I32 ? (lo < 0 ? -1 : 0) : hi, 0, null, 0, 0);
    const v = fn.addResult(inst, kind);
    fn.insertBefore(before, inst);
    return v;
  }

  private constantBig(before: number, kind: ValueKindType, value: bigint): number {
    return this.constant(before, kind, bigLo(value), bigHi(value));
  }

  /** Replaces `inst`'s result by `value` and drops `inst` (which must be pure). */
  private replace(inst: number, value: number): void {
    this.fn.replaceUses(this.fn.result(inst, 0), value);
    this.fn.remove(inst);
    this.changes++;
  }

  private replaceByConst(inst: number, lo: number, hi: number): void {
    this.replace(inst, this.constant(inst, this.fn.type(inst), lo, hi));
  }

  private setArgs2(inst: number, a: number, b: number): void {
    this.argScratch[0] = a;
    this.argScratch[1] = b;
    this.fn.setArgs(inst, this.argScratch, 2);
  }

  // --- rules ---------------------------------------------------------------------------------

  private simplify(i: number): void {
    const fn = this.fn;
    switch (fn.op(i)) {
      case IrOp.IntBinary:
        this.intBinary(i);
        return;
      case IrOp.Shift:
        this.shift(i);
        return;
      case IrOp.Div:
        this.div(i);
        return;
      case IrOp.IntUnary: {
        const a = fn.arg(i, 0);
        if (!this.isConst(a)) return;
        if (fn.type(i) === ValueKind.I32) this.replaceByConst(i, foldUnary32(fn.kind(i), this.lo(a)), 0);
        else {
          const r = foldUnary64(fn.kind(i), this.big(a));
          this.replaceByConst(i, bigLo(r), bigHi(r));
        }
        return;
      }
      case IrOp.IntCompare:
        this.compare(i);
        return;
      case IrOp.Select:
        this.select(i);
        return;
      case IrOp.Convert:
        this.convert(i);
        return;
      case IrOp.Brif:
        this.brif(i);
        return;
      case IrOp.BrTable:
        this.brTable(i);
        return;
      default:
    }
  }

  private intBinary(i: number): void {
    const fn = this.fn;
    const kind = fn.kind(i);
    const type = fn.type(i);
    let a = fn.arg(i, 0);
    let b = fn.arg(i, 1);
    const narrow = type === ValueKind.I32;
    if (this.isConst(a) && this.isConst(b)) {
      if (narrow) this.replaceByConst(i, foldBinary32(kind, this.lo(a), this.lo(b)), 0);
      else {
        const r = foldBinary64(kind, this.big(a), this.big(b));
        this.replaceByConst(i, bigLo(r), bigHi(r));
      }
      return;
    }
    if (this.isConst(a) && COMMUTATIVE(kind)) {
      this.setArgs2(i, b, a);
      const t = a;
      a = b;
      b = t;
      this.changes++;
    }
    if (a === b) {
      if (kind === IntBinaryKind.Sub || kind === IntBinaryKind.Xor) return this.replaceByConst(i, 0, 0);
      if (kind === IntBinaryKind.And || kind === IntBinaryKind.Or) return this.replace(i, a);
    }
    if (!this.isConst(b)) return;
    switch (kind) {
      case IntBinaryKind.Add:
      case IntBinaryKind.Or:
      case IntBinaryKind.Xor:
        if (this.is(b, 0)) return this.replace(i, a);
        if (kind === IntBinaryKind.Or && this.is(b, -1)) return this.replace(i, b);
        break;
      case IntBinaryKind.Sub: {
        if (this.is(b, 0)) return this.replace(i, a);
        // x - c → x + (-c): one canonical form for reassociation and address arithmetic.
        const negated = narrow ? this.constant(i, type, -this.lo(b) | 0, 0) : this.constantBig(i, type, -this.big(b));
        fn.rewrite(i, IrOp.IntBinary, IntBinaryKind.Add, type, 0, 0);
        this.setArgs2(i, a, negated);
        this.changes++;
        b = negated;
        break;
      }
      case IntBinaryKind.Mul: {
        if (this.is(b, 0)) return this.replace(i, b);
        if (this.is(b, 1)) return this.replace(i, a);
        const k = this.log2(b);
        if (k > 0) {
          fn.rewrite(i, IrOp.Shift, ShiftKind.Shl, type, 0, 0);
          this.setArgs2(i, a, this.constant(i, type, k, 0));
          this.changes++;
        }
        return;
      }
      case IntBinaryKind.And:
        if (this.is(b, 0)) return this.replace(i, b);
        if (this.is(b, -1)) return this.replace(i, a);
        break;
      default:
    }
    // (x op c1) op c2 → x op (c1 op c2) for associative ops with constants.
    if (kind === IntBinaryKind.Add || kind === IntBinaryKind.And || kind === IntBinaryKind.Or || kind === IntBinaryKind.Xor) {
      const inner = fn.definingInst(a);
      if (inner !== NONE && fn.op(inner) === IrOp.IntBinary && fn.kind(inner) === kind && this.isConst(fn.arg(inner, 1))) {
        const c1 = fn.arg(inner, 1);
        const combined = narrow
          ? this.constant(i, type, foldBinary32(kind, this.lo(c1), this.lo(b)), 0)
          : this.constantBig(i, type, foldBinary64(kind, this.big(c1), this.big(b)));
        this.setArgs2(i, fn.arg(inner, 0), combined);
        this.changes++;
      }
    }
  }

  private shift(i: number): void {
    const fn = this.fn;
    const a = fn.arg(i, 0);
    const b = fn.arg(i, 1);
    const narrow = fn.type(i) === ValueKind.I32;
    if (!this.isConst(b)) return;
    if (this.isConst(a)) {
      if (narrow) this.replaceByConst(i, foldShift32(fn.kind(i), this.lo(a), this.lo(b)), 0);
      else {
        const r = foldShift64(fn.kind(i), this.big(a), this.big(b));
        this.replaceByConst(i, bigLo(r), bigHi(r));
      }
      return;
    }
    const amount = narrow ? this.lo(b) & 31 : Number(this.big(b) & 63n);
    if (amount === 0) this.replace(i, a);
  }

  private div(i: number): void {
    const fn = this.fn;
    const kind = fn.kind(i);
    const type = fn.type(i);
    const a = fn.arg(i, 0);
    const b = fn.arg(i, 1);
    if (!this.isConst(b)) return;
    if (this.isConst(a)) {
      if (type === ValueKind.I32) {
        const r = foldDiv32(kind, this.lo(a), this.lo(b));
        if (r !== null) this.replaceByConst(i, r, 0);
      } else {
        const r = foldDiv64(kind, this.big(a), this.big(b));
        if (r !== null) this.replaceByConst(i, bigLo(r), bigHi(r));
      }
      return;
    }
    if (this.is(b, 1)) {
      if (kind === DivKind.SignedDiv || kind === DivKind.UnsignedDiv) this.replace(i, a);
      else this.replaceByConst(i, 0, 0);
      return;
    }
    const k = this.log2(b);
    if (k <= 0) return;
    if (kind === DivKind.UnsignedDiv) {
      fn.rewrite(i, IrOp.Shift, ShiftKind.ShrU, type, 0, 0);
      this.setArgs2(i, a, this.constant(i, type, k, 0));
      this.changes++;
    } else if (kind === DivKind.UnsignedRem) {
      const mask = type === ValueKind.I32 ? this.constant(i, type, ((2 ** k) - 1) | 0, 0) : this.constantBig(i, type, (1n << BigInt(k)) - 1n);
      fn.rewrite(i, IrOp.IntBinary, IntBinaryKind.And, type, 0, 0);
      this.setArgs2(i, a, mask);
      this.changes++;
    }
  }

  private compare(i: number): void {
    const fn = this.fn;
    let cond = fn.kind(i);
    let a = fn.arg(i, 0);
    let b = fn.arg(i, 1);
    const kind = fn.valueKind(a);
    if (kind === ValueKind.Ref) return;
    const narrow = kind === ValueKind.I32;
    if (this.isConst(a) && this.isConst(b)) {
      const r = narrow ? foldCompare32(cond, this.lo(a), this.lo(b)) : foldCompare64(cond, this.big(a), this.big(b));
      return this.replaceByConst(i, r ? 1 : 0, 0);
    }
    if (this.isConst(a)) {
      cond = SWAPPED_COND[cond]!;
      const t = a;
      a = b;
      b = t;
      fn.rewrite(i, IrOp.IntCompare, cond, ValueKind.I32, 0, 0);
      this.setArgs2(i, a, b);
      this.changes++;
    }
    if (a === b) {
      const holds = cond === IntCond.Eq || cond === IntCond.LeS || cond === IntCond.LeU || cond === IntCond.GeS || cond === IntCond.GeU;
      return this.replaceByConst(i, holds ? 1 : 0, 0);
    }
    if (!this.is(b, 0)) return;
    // Unsigned comparisons with zero.
    if (cond === IntCond.LtU) return this.replaceByConst(i, 0, 0);
    if (cond === IntCond.GeU) return this.replaceByConst(i, 1, 0);
    if (cond === IntCond.GtU || cond === IntCond.LeU) {
      fn.rewrite(i, IrOp.IntCompare, cond === IntCond.GtU ? IntCond.Ne : IntCond.Eq, ValueKind.I32, 0, 0);
      this.changes++;
      cond = fn.kind(i);
    }
    // A compare of a compare's 0/1 with zero: the inner compare, or its negation.
    const inner = fn.definingInst(a);
    if (inner === NONE || fn.op(inner) !== IrOp.IntCompare) return;
    if (cond === IntCond.Ne) return this.replace(i, a);
    if (cond === IntCond.Eq) {
      fn.rewrite(i, IrOp.IntCompare, NEGATED_COND[fn.kind(inner)]!, ValueKind.I32, 0, 0);
      this.setArgs2(i, fn.arg(inner, 0), fn.arg(inner, 1));
      this.changes++;
    }
  }

  /** The condition `v` tests, seen through `icmp ne x, 0` (→ x, same sense) and `icmp eq x, 0` (→ x, inverted). */
  private condition(v: number): { value: number; inverted: boolean } | null {
    const fn = this.fn;
    const def = fn.definingInst(v);
    if (def === NONE || fn.op(def) !== IrOp.IntCompare || fn.valueKind(fn.arg(def, 0)) !== ValueKind.I32 || !this.is(fn.arg(def, 1), 0)) return null;
    if (fn.kind(def) === IntCond.Ne) return { value: fn.arg(def, 0), inverted: false };
    if (fn.kind(def) === IntCond.Eq && !this.isCompare(fn.arg(def, 0))) return { value: fn.arg(def, 0), inverted: true };
    return null;
  }

  private isCompare(v: number): boolean {
    const def = this.fn.definingInst(v);
    return def !== NONE && (this.fn.op(def) === IrOp.IntCompare || this.fn.op(def) === IrOp.FloatCompare);
  }

  private select(i: number): void {
    const fn = this.fn;
    const c = fn.arg(i, 0);
    const t = fn.arg(i, 1);
    const f = fn.arg(i, 2);
    if (t === f) return this.replace(i, t);
    if (this.isConst(c)) return this.replace(i, this.lo(c) !== 0 ? t : f);
    const cond = this.condition(c);
    if (cond === null) return;
    this.argScratch[0] = cond.value;
    this.argScratch[1] = cond.inverted ? f : t;
    this.argScratch[2] = cond.inverted ? t : f;
    fn.setArgs(i, this.argScratch, 3);
    this.changes++;
  }

  private convert(i: number): void {
    const fn = this.fn;
    const kind = fn.kind(i);
    const a = fn.arg(i, 0);
    if (kind === ConvertKind.I32WrapI64) {
      if (this.isConst(a)) return this.replaceByConst(i, this.lo(a), 0);
      const inner = fn.definingInst(a);
      if (inner !== NONE && fn.op(inner) === IrOp.Convert && (fn.kind(inner) === ConvertKind.I64ExtendI32S || fn.kind(inner) === ConvertKind.I64ExtendI32U)) {
        return this.replace(i, fn.arg(inner, 0));
      }
      return;
    }
    if ((kind === ConvertKind.I64ExtendI32S || kind === ConvertKind.I64ExtendI32U) && this.isConst(a)) {
      const lo = this.lo(a);
      this.replaceByConst(i, lo, kind === ConvertKind.I64ExtendI32S && lo < 0 ? -1 : 0);
    }
  }

  private brif(i: number): void {
    const fn = this.fn;
    const c = fn.arg(i, 0);
    if (this.isConst(c)) {
      this.toJump(i, this.lo(c) !== 0 ? 0 : 1);
      return;
    }
    const cond = this.condition(c);
    if (cond === null) return;
    fn.setArg(i, 0, cond.value);
    if (cond.inverted) fn.swapTargets(i, 0, 1);
    this.changes++;
  }

  private brTable(i: number): void {
    const fn = this.fn;
    const index = fn.arg(i, 0);
    if (!this.isConst(index)) return;
    const n = fn.targetCount(i);
    const k = this.lo(index) >>> 0;
    this.toJump(i, k < n - 1 ? k : n - 1);
  }

  /** Turns terminator `i` into a jump to its target `keep` (with that target's arguments). */
  private toJump(i: number, keep: number): void {
    const fn = this.fn;
    const jump = fn.createInst(IrOp.Jump, 0, 0, 0, 0, 0, null, 0, 0);
    const t = fn.addTarget(jump, fn.targetBlock(i, keep));
    for (let k = 0; k < fn.targetArgCount(i, keep); k++) fn.appendTargetArg(jump, t, fn.targetArg(i, keep, k));
    fn.insertBefore(i, jump);
    fn.remove(i);
    this.changes++;
  }
}
