// Global value numbering (dominator-based common-subexpression elimination): walking the
// dominator tree in preorder with a scoped hash table, an instruction equal to one that
// dominates it — same op, kind, type, immediates and arguments — is replaced by it. Equal means
// equal results for the ops without effects; for the ops that only trap (division, trapping
// conversions) the dominating one has already trapped or passed, so they qualify too. Reads of
// mutable state (loads, memory length, mutable globals) are load-elimination.ts's business.
// Arguments of commutative operations are ordered by value number first, so `a + b` meets `b + a`.

import { FloatBinaryKind, IntBinaryKind, IntCond, IrOp } from '@flint/backend';
import type { Cfg } from '../analysis/cfg.ts';
import { NONE, type IrFunction } from '../ir/function.ts';
import { Effect, instEffects } from '../ir/ops.ts';
import { growInt32 } from '../ir/pool.ts';

const BUCKETS = 1024;

export class GlobalValueNumbering {
  private fn!: IrFunction;
  private head = new Int32Array(BUCKETS);
  /** Entries: inst, next in bucket, bucket. */
  private entryInst = new Int32Array(256);
  private entryNext = new Int32Array(256);
  private entryBucket = new Int32Array(256);
  private entries = 0;
  private stack = new Int32Array(64);
  private readonly swap = new Int32Array(2);

  /** Returns the number of instructions replaced. */
  run(fn: IrFunction, cfg: Cfg): number {
    this.fn = fn;
    cfg.compute(fn);
    if (cfg.rpoCount === 0) return 0;
    this.head.fill(NONE);
    this.entries = 0;
    let replaced = 0;
    // Iterative preorder: [block, next child, entries before the block].
    let sp = 0;
    const push = (b: number): void => {
      this.stack = growInt32(this.stack, sp + 3);
      this.stack[sp] = b;
      this.stack[sp + 1] = 0;
      this.stack[sp + 2] = this.entries;
      sp += 3;
      replaced += this.visitBlock(b);
    };
    push(0);
    while (sp > 0) {
      const b = this.stack[sp - 3]!;
      const k = this.stack[sp - 2]!;
      if (k < cfg.childCount[b]!) {
        this.stack[sp - 2] = k + 1;
        push(cfg.child(b, k));
        continue;
      }
      // Leave the block's scope: drop its entries, newest first.
      const mark = this.stack[sp - 1]!;
      while (this.entries > mark) {
        const e = --this.entries;
        this.head[this.entryBucket[e]!] = this.entryNext[e]!;
      }
      sp -= 3;
    }
    if (replaced > 0) fn.applyAliases();
    return replaced;
  }

  private visitBlock(b: number): number {
    const fn = this.fn;
    let replaced = 0;
    for (let i = fn.firstInst(b); i !== NONE; ) {
      const next = fn.nextInst(i);
      if (this.eligible(i)) {
        this.canonicalize(i);
        const hash = this.hash(i);
        const bucket = hash & (BUCKETS - 1);
        let found = NONE;
        for (let e = this.head[bucket]!; e !== NONE; e = this.entryNext[e]!) {
          if (this.equal(this.entryInst[e]!, i)) {
            found = this.entryInst[e]!;
            break;
          }
        }
        if (found !== NONE) {
          fn.replaceUses(fn.result(i, 0), fn.result(found, 0));
          fn.remove(i);
          replaced++;
        } else {
          this.add(i, bucket);
        }
      }
      i = next;
    }
    return replaced;
  }

  private eligible(i: number): boolean {
    const fn = this.fn;
    if (fn.resultCount(i) !== 1) return false;
    const effects = instEffects(fn.op(i), fn.kind(i), fn.imm2(i));
    return (effects & ~Effect.Traps) === 0 && fn.op(i) !== IrOp.BoundsCheck;
  }

  /** Orders the arguments of commutative operations by value number. */
  private canonicalize(i: number): void {
    const fn = this.fn;
    const op = fn.op(i);
    const kind = fn.kind(i);
    const commutative =
      (op === IrOp.IntBinary && kind !== IntBinaryKind.Sub) ||
      (op === IrOp.IntCompare && (kind === IntCond.Eq || kind === IntCond.Ne)) ||
      (op === IrOp.FloatBinary && (kind === FloatBinaryKind.Add || kind === FloatBinaryKind.Mul));
    if (!commutative) return;
    const a = fn.arg(i, 0);
    const b = fn.arg(i, 1);
    if (a > b && !isConstant(fn, b)) {
      this.swap[0] = b;
      this.swap[1] = a;
      fn.setArgs(i, this.swap, 2);
    }
  }

  private hash(i: number): number {
    const fn = this.fn;
    let h = (fn.op(i) * 31 + fn.kind(i)) | 0;
    h = (Math.imul(h, 0x9e3779b1) + fn.type(i)) | 0;
    h = (Math.imul(h, 0x9e3779b1) + fn.imm0(i)) | 0;
    h = (Math.imul(h, 0x9e3779b1) + fn.imm1(i)) | 0;
    h = (Math.imul(h, 0x9e3779b1) + fn.imm2(i)) | 0;
    for (let k = 0; k < fn.argCount(i); k++) h = (Math.imul(h, 0x9e3779b1) + fn.arg(i, k)) | 0;
    return (h ^ (h >>> 15)) >>> 0;
  }

  private equal(a: number, b: number): boolean {
    const fn = this.fn;
    if (fn.op(a) !== fn.op(b) || fn.kind(a) !== fn.kind(b) || fn.type(a) !== fn.type(b)) return false;
    if (fn.imm0(a) !== fn.imm0(b) || fn.imm1(a) !== fn.imm1(b) || fn.imm2(a) !== fn.imm2(b)) return false;
    const n = fn.argCount(a);
    if (n !== fn.argCount(b)) return false;
    for (let k = 0; k < n; k++) if (fn.arg(a, k) !== fn.arg(b, k)) return false;
    return true;
  }

  private add(i: number, bucket: number): void {
    const e = this.entries++;
    if (e >= this.entryInst.length) {
      this.entryInst = growInt32(this.entryInst, e + 1);
      this.entryNext = growInt32(this.entryNext, e + 1);
      this.entryBucket = growInt32(this.entryBucket, e + 1);
    }
    this.entryInst[e] = i;
    this.entryNext[e] = this.head[bucket]!;
    this.entryBucket[e] = bucket;
    this.head[bucket] = e;
  }
}

function isConstant(fn: IrFunction, v: number): boolean {
  const def = fn.definingInst(v);
  return def !== NONE && (fn.op(def) === IrOp.Iconst || fn.op(def) === IrOp.Fconst);
}
