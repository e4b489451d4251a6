// Control-flow analyses: predecessors, reverse postorder, dominators (Cooper, Harvey & Kennedy,
// "A Simple, Fast Dominance Algorithm", 2001), the dominator tree, and natural loops (headers,
// depth, innermost loop of each block). Computed together by `computeCfg`, into typed arrays that
// one `Cfg` object keeps across functions.

import { IntPool, growInt32 } from '../ir/pool.ts';
import { NONE, type IrFunction } from '../ir/function.ts';

export class Cfg {
  blockCount = 0;
  predStart = new Int32Array(64);
  predCount = new Int32Array(64);
  readonly preds = new IntPool(128);
  /** Blocks reachable from the entry, in reverse postorder; `rpoIndex[b]` is -1 for unreachable ones. */
  rpo = new Int32Array(64);
  rpoCount = 0;
  rpoIndex = new Int32Array(64);
  idom = new Int32Array(64);
  /** Dominator-tree children: `childCount` entries from `childStart` in `children`. */
  childStart = new Int32Array(64);
  childCount = new Int32Array(64);
  readonly children = new IntPool(64);
  /** Pre/post numbers of the dominator tree, for O(1) `dominates`. */
  domPre = new Int32Array(64);
  domPost = new Int32Array(64);
  /** Innermost loop header containing the block (the block itself for a header), or -1. */
  loopHeader = new Int32Array(64);
  /** For a loop header: the header of the enclosing loop, or -1. */
  loopParent = new Int32Array(64);
  loopDepth = new Int32Array(64);
  isLoopHeader = new Uint8Array(64);
  private stack = new Int32Array(64);
  private mark = new Int32Array(64);

  /** What differs between these analyses and `other`'s of the same function, or null (the verifier's staleness check). */
  differenceFrom(other: Cfg): string | null {
    if (this.blockCount !== other.blockCount) return `${this.blockCount} blocks, not ${other.blockCount}`;
    if (this.rpoCount !== other.rpoCount) return `${this.rpoCount} reachable blocks, not ${other.rpoCount}`;
    for (let b = 0; b < this.blockCount; b++) {
      if (this.predCount[b] !== other.predCount[b]) return `block${b} has ${this.predCount[b]} predecessors, not ${other.predCount[b]}`;
      for (let k = 0; k < this.predCount[b]!; k++) if (this.pred(b, k) !== other.pred(b, k)) return `block${b} predecessor ${k} differs`;
      if (this.rpoIndex[b] !== other.rpoIndex[b]) return `block${b} reverse-postorder index differs`;
      if (this.rpoIndex[b]! < 0) continue;
      if (this.idom[b] !== other.idom[b]) return `block${b} immediate dominator differs`;
      if (this.loopHeader[b] !== other.loopHeader[b] || this.loopDepth[b] !== other.loopDepth[b]) return `block${b} loop differs`;
    }
    return null;
  }

  pred(block: number, k: number): number {
    return this.preds.data[this.predStart[block]! + k]!;
  }

  isReachable(block: number): boolean {
    return this.rpoIndex[block]! >= 0;
  }

  /** True when `a` dominates `b` (every block dominates itself). Both must be reachable. */
  dominates(a: number, b: number): boolean {
    return this.domPre[a]! <= this.domPre[b]! && this.domPost[b]! <= this.domPost[a]!;
  }

  /** True when block `b` is inside the loop whose header is `header`. */
  inLoop(b: number, header: number): boolean {
    for (let h = this.loopHeader[b]!; h !== NONE; h = this.loopParent[h]!) if (h === header) return true;
    return false;
  }

  child(block: number, k: number): number {
    return this.children.data[this.childStart[block]! + k]!;
  }

  private ensure(n: number): void {
    this.stack = growInt32(this.stack, 2 * n + 2);
    this.mark = growInt32(this.mark, n);
    if (this.predStart.length >= n) return;
    this.predStart = growInt32(this.predStart, n);
    this.predCount = growInt32(this.predCount, n);
    this.rpo = growInt32(this.rpo, n);
    this.rpoIndex = growInt32(this.rpoIndex, n);
    this.idom = growInt32(this.idom, n);
    this.childStart = growInt32(this.childStart, n);
    this.childCount = growInt32(this.childCount, n);
    this.domPre = growInt32(this.domPre, n);
    this.domPost = growInt32(this.domPost, n);
    this.loopHeader = growInt32(this.loopHeader, n);
    this.loopParent = growInt32(this.loopParent, n);
    this.loopDepth = growInt32(this.loopDepth, n);
    this.isLoopHeader = new Uint8Array(this.predStart.length);
  }

  /** The function and its `cfgEpoch` the analyses describe (compute is a no-op while they hold). */
  private computedFor: IrFunction | null = null;
  private computedEpoch = -1;

  /** True when the analyses describe `fn` as it is now. */
  isCurrent(fn: IrFunction): boolean {
    return this.computedFor === fn && this.computedEpoch === fn.cfgEpoch;
  }

  /** Computes the analyses of `fn`, unless they describe it already (its CFG has not changed since). */
  compute(fn: IrFunction): void {
    if (this.isCurrent(fn)) return;
    const n = fn.blockCount;
    this.computedFor = fn;
    this.computedEpoch = fn.cfgEpoch;
    this.blockCount = n;
    this.ensure(n);
    this.computePreds(fn);
    this.computeRpo(fn);
    this.computeDominators();
    this.computeDomTree();
    this.computeLoops();
  }

  /** Predecessor lists, one entry per predecessor block (a block branching twice to one target counts once). */
  private computePreds(fn: IrFunction): void {
    const n = this.blockCount;
    const mark = this.mark;
    this.predCount.fill(0, 0, n);
    mark.fill(-1, 0, n);
    for (let b = 0; b < n; b++) {
      const sc = fn.successorCount(b);
      for (let k = 0; k < sc; k++) {
        const s = fn.successor(b, k);
        if (mark[s] === b) continue;
        mark[s] = b;
        this.predCount[s]!++;
      }
    }
    this.preds.reset();
    for (let b = 0; b < n; b++) {
      this.predStart[b] = this.preds.alloc(this.predCount[b]!);
      this.predCount[b] = 0;
    }
    mark.fill(-1, 0, n);
    for (let b = 0; b < n; b++) {
      const sc = fn.successorCount(b);
      for (let k = 0; k < sc; k++) {
        const s = fn.successor(b, k);
        if (mark[s] === b) continue;
        mark[s] = b;
        this.preds.data[this.predStart[s]! + this.predCount[s]!++] = b;
      }
    }
  }

  /** Iterative DFS from the entry: postorder, reversed. */
  private computeRpo(fn: IrFunction): void {
    const n = this.blockCount;
    this.rpoIndex.fill(-1, 0, n);
    this.mark.fill(0, 0, n);
    if (n === 0) {
      this.rpoCount = 0;
      return;
    }
    const stack = this.stack;
    let sp = 0;
    let post = 0;
    const order = this.rpo;
    stack[sp++] = 0;
    stack[sp++] = 0;
    this.mark[0] = 1;
    while (sp > 0) {
      const next = stack[sp - 1]!;
      const b = stack[sp - 2]!;
      if (next < fn.successorCount(b)) {
        stack[sp - 1] = next + 1;
        const s = fn.successor(b, next);
        if (this.mark[s] === 0) {
          this.mark[s] = 1;
          stack[sp++] = s;
          stack[sp++] = 0;
        }
      } else {
        sp -= 2;
        order[post++] = b;
      }
    }
    // Reverse the postorder in place.
    for (let i = 0, j = post - 1; i < j; i++, j--) {
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    this.rpoCount = post;
    for (let i = 0; i < post; i++) this.rpoIndex[order[i]!] = i;
  }

  private computeDominators(): void {
    const n = this.blockCount;
    const idom = this.idom;
    idom.fill(NONE, 0, n);
    if (this.rpoCount === 0) return;
    idom[0] = 0;
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = 1; i < this.rpoCount; i++) {
        const b = this.rpo[i]!;
        let newIdom = NONE;
        for (let k = 0; k < this.predCount[b]!; k++) {
          const p = this.pred(b, k);
          if (this.rpoIndex[p]! < 0 || idom[p] === NONE) continue;
          newIdom = newIdom === NONE ? p : this.intersect(p, newIdom);
        }
        if (idom[b] !== newIdom) {
          idom[b] = newIdom;
          changed = true;
        }
      }
    }
  }

  private intersect(a: number, b: number): number {
    const idom = this.idom;
    const index = this.rpoIndex;
    while (a !== b) {
      while (index[a]! > index[b]!) a = idom[a]!;
      while (index[b]! > index[a]!) b = idom[b]!;
    }
    return a;
  }

  private computeDomTree(): void {
    const n = this.blockCount;
    this.childCount.fill(0, 0, n);
    for (let i = 1; i < this.rpoCount; i++) this.childCount[this.idom[this.rpo[i]!]!]!++;
    this.children.reset();
    for (let b = 0; b < n; b++) {
      this.childStart[b] = this.children.alloc(this.childCount[b]!);
      this.childCount[b] = 0;
    }
    // In RPO, so each node's children are listed in RPO too.
    for (let i = 1; i < this.rpoCount; i++) {
      const b = this.rpo[i]!;
      const p = this.idom[b]!;
      this.children.data[this.childStart[p]! + this.childCount[p]!++] = b;
    }
    if (this.rpoCount === 0) return;
    // Pre/post numbering by an explicit stack.
    const stack = this.stack;
    let sp = 0;
    let clock = 0;
    stack[sp++] = 0;
    stack[sp++] = 0;
    this.domPre[0] = clock++;
    while (sp > 0) {
      const k = stack[sp - 1]!;
      const b = stack[sp - 2]!;
      if (k < this.childCount[b]!) {
        stack[sp - 1] = k + 1;
        const c = this.child(b, k);
        this.domPre[c] = clock++;
        stack[sp++] = c;
        stack[sp++] = 0;
      } else {
        this.domPost[b] = clock++;
        sp -= 2;
      }
    }
  }

  /**
   * Natural loops: an edge p → h with h dominating p makes h a header; the loop's body is what
   * reaches p backwards without passing h. Headers are taken in reverse RPO, so inner loops are
   * found first; when the walk meets a block of an inner loop it climbs to that loop's outermost
   * known header, makes it a child of h and continues from that header's predecessors. Wasm's
   * structured control flow only builds reducible graphs, where this is exact.
   */
  private computeLoops(): void {
    const n = this.blockCount;
    this.loopHeader.fill(NONE, 0, n);
    this.loopParent.fill(NONE, 0, n);
    this.loopDepth.fill(0, 0, n);
    this.isLoopHeader.fill(0, 0, n);
    for (let i = this.rpoCount - 1; i >= 0; i--) {
      const h = this.rpo[i]!;
      let sp = 0;
      this.stack = growInt32(this.stack, this.predCount[h]! + 1);
      for (let k = 0; k < this.predCount[h]!; k++) {
        const p = this.pred(h, k);
        if (this.rpoIndex[p]! >= 0 && this.dominates(h, p)) this.stack[sp++] = p;
      }
      if (sp === 0) continue;
      this.isLoopHeader[h] = 1;
      this.loopHeader[h] = h;
      while (sp > 0) {
        const b = this.stack[--sp]!;
        let from = b;
        if (this.loopHeader[b] === NONE) {
          this.loopHeader[b] = h;
        } else {
          let outer = this.loopHeader[b]!;
          while (this.loopParent[outer] !== NONE) outer = this.loopParent[outer]!;
          if (outer === h) continue;
          this.loopParent[outer] = h;
          from = outer;
        }
        for (let k = 0; k < this.predCount[from]!; k++) {
          const p = this.pred(from, k);
          if (this.rpoIndex[p]! >= 0) {
            if (sp >= this.stack.length) this.stack = growInt32(this.stack, sp + 1);
            this.stack[sp++] = p;
          }
        }
      }
    }
    // Depth: headers in RPO order see their parent's depth first.
    for (let i = 0; i < this.rpoCount; i++) {
      const b = this.rpo[i]!;
      if (this.isLoopHeader[b]) {
        const parent = this.loopParent[b]!;
        this.loopDepth[b] = parent === NONE ? 1 : this.loopDepth[parent]! + 1;
      }
    }
    for (let i = 0; i < this.rpoCount; i++) {
      const b = this.rpo[i]!;
      const h = this.loopHeader[b]!;
      if (h !== NONE && h !== b) this.loopDepth[b] = this.loopDepth[h]!;
    }
  }
}
