// Register allocation: linear scan on SSA with lifetime intervals and interval splitting
// (Wimmer & Franz, "Linear Scan Register Allocation on SSA Form", CGO 2010; the allocator of
// HotSpot's client compiler and of V8's TurboFan). See docs/adr (optimizing tier) for why.
//
//   liveness (path exploration) → intervals (ranges + use positions, built backwards per block)
//     → linear scan in order of interval start: a free register, else evict the interval whose
//       next use is farthest (splitting it), else split the current one and put a part on the stack
//     → resolution: moves between split parts inside blocks, parallel moves on CFG edges (block
//       parameters included), spill stores right after each spilled value's definition
//     → `Allocation`: a register per operand, and the edits between instructions
//
// Positions: instruction i uses at 2i and defines at 2i + 1 (vcode.ts). Parts of an interval are
// split at even positions (the gap before an instruction), where the resolver can put a move;
// the one exception is a part that starts on the stack at a def position, which needs no move.
// A spilled value is stored once, after its definition (SSA: the slot stays valid), so moving a
// value from a register to the stack never costs a store, and reloads can be placed freely.
// Split positions prefer block boundaries of lower loop depth, which moves spills and reloads
// out of loops. The parallel moves of an edge (or of the split parts meeting at one boundary)
// are sequentialized, cycles broken through the class's scratch register.

import {
  Allocation,
  EditKind,
  FIRST_VIRTUAL_REG,
  InstFlag,
  OperandKind,
  RegClass,
  type MachineEnv,
  type VCode,
} from '@flint/backend';
import { Liveness } from './liveness.ts';
import type { PhaseClock } from '../phase-clock.ts';

const NONE = -1;
const MAX_POS = 0x7fff_ffff;
/** Use flag: the value must be in a register at this position. */
const NEEDS_REG = 1;
/** Edit priorities among the edits before one instruction (see `resolve`). */
const PRIO_EDGE_AT_START = 0;
const PRIO_PARAM_STORE = 1;
const PRIO_DEF_STORE = 2;
const PRIO_SPLIT_MOVE = 3;
const PRIO_EDGE_AT_END = 4;
/** Location encoding in move resolution: registers are 0..63, slots from here. */
const SLOT_LOC = 1 << 16;

function grow(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  if (a.length >= min) return a;
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

export class RegisterAllocationError extends Error {
  override readonly name = 'RegisterAllocationError';
}

export interface AllocatorStats {
  intervals: number;
  splits: number;
  spilledValues: number;
  moves: number;
}

export class LinearScanAllocator {
  private readonly liveness = new Liveness();
  readonly allocation = new Allocation();
  private code!: VCode;
  private env!: MachineEnv;
  private isAllocatable = new Uint8Array(64);

  // Ranges: [from, to) with a next link, per interval sorted ascending.
  private rFrom = new Int32Array(1024);
  private rTo = new Int32Array(1024);
  private rNext = new Int32Array(1024);
  private rCount = 0;
  // Use positions: position, flags, VCode operand index (or -1), next link.
  private uPos = new Int32Array(1024);
  private uFlags = new Int32Array(1024);
  private uOperand = new Int32Array(1024);
  private uNext = new Int32Array(1024);
  private uCount = 0;
  // Intervals: the first `vregs` are the parents (interval = vreg - FIRST_VIRTUAL_REG); split parts follow.
  private ivCount = 0;
  private ivVReg = new Int32Array(256);
  private ivFirstRange = new Int32Array(256);
  private ivFirstUse = new Int32Array(256);
  private ivReg = new Int32Array(256);
  private ivSpilled = new Int32Array(256);
  private ivNextPart = new Int32Array(256);
  private ivCursor = new Int32Array(256);
  private ivUseCursor = new Int32Array(256);
  // Per virtual register (index vreg - FIRST_VIRTUAL_REG).
  private vSlot = new Int32Array(256);
  private vDefInst = new Int32Array(256);
  private vParamBlock = new Int32Array(256);
  private vEnd = new Int32Array(256);
  private vHintReg = new Int32Array(256);
  private vHintVReg = new Int32Array(256);
  // Fixed intervals of physical registers: range list heads, and scan cursors.
  private fixedFirst = new Int32Array(64);
  private fixedCursor = new Int32Array(64);
  // The scan.
  private heap = new Int32Array(256);
  private heapSize = 0;
  private active = new Int32Array(64);
  private activeCount = 0;
  private inactive = new Int32Array(64);
  private inactiveCount = 0;
  /** Physical registers held by an active interval of the class being allocated. */
  private readonly busy = new Uint8Array(64);
  private readonly nextUse = new Int32Array(64);
  private readonly blockPos = new Int32Array(64);
  // Spill slots: position after which each is free again, and whether a block parameter holds it.
  private slotFreeAt = new Int32Array(64);
  private slotCount = 0;
  // VCode instruction → block.
  private instBlock = new Int32Array(256);
  // Edits before sorting: inst, priority, kind, from, to (5 ints each).
  private edits = new Int32Array(320);
  private editCount = 0;
  // Parallel move scratch: from, to, class.
  private pmFrom = new Int32Array(32);
  private pmTo = new Int32Array(32);
  private pmClass = new Int32Array(32);
  private pmCount = 0;
  stats: AllocatorStats = { intervals: 0, splits: 0, spilledValues: 0, moves: 0 };

  allocate(code: VCode, env: MachineEnv, clock: PhaseClock | null = null): Allocation {
    this.code = code;
    this.env = env;
    this.isAllocatable.fill(0);
    for (const regs of env.allocatable) for (const r of regs) this.isAllocatable[r] = 1;
    this.prepare();
    this.liveness.compute(code);
    clock?.lap('liveness');
    this.buildIntervals();
    clock?.lap('intervals');
    this.scan();
    clock?.lap('scan');
    this.resolve();
    clock?.lap('resolve');
    return this.allocation;
  }

  // --- set-up ------------------------------------------------------------------------------------

  private prepare(): void {
    const code = this.code;
    const vregs = code.vregCount - FIRST_VIRTUAL_REG;
    this.instBlock = grow(this.instBlock, code.instCount + 1);
    for (let b = 0; b < code.blockCount; b++) for (let i = code.blockFirst[b]!; i < code.blockEnd[b]!; i++) this.instBlock[i] = b;
    const n = Math.max(vregs, 1);
    if (this.vSlot.length < n) {
      const size = Math.max(n, this.vSlot.length * 2);
      this.vSlot = new Int32Array(size);
      this.vDefInst = new Int32Array(size);
      this.vParamBlock = new Int32Array(size);
      this.vEnd = new Int32Array(size);
      this.vHintReg = new Int32Array(size);
      this.vHintVReg = new Int32Array(size);
    }
    this.vSlot.fill(NONE, 0, vregs);
    this.vDefInst.fill(NONE, 0, vregs);
    this.vParamBlock.fill(NONE, 0, vregs);
    this.vHintReg.fill(NONE, 0, vregs);
    this.vHintVReg.fill(NONE, 0, vregs);
    this.rCount = 0;
    this.uCount = 0;
    this.ivCount = 0;
    this.ensureIntervals(vregs);
    for (let v = 0; v < vregs; v++) this.initInterval(v, v + FIRST_VIRTUAL_REG);
    this.ivCount = vregs;
    this.fixedFirst.fill(NONE);
    this.fixedCursor.fill(NONE);
    this.slotCount = 0;
    this.editCount = 0;
    this.stats = { intervals: 0, splits: 0, spilledValues: 0, moves: 0 };
    // Definitions and hints.
    for (let b = 0; b < code.blockCount; b++) {
      for (let k = 0; k < code.paramCount[b]!; k++) this.vParamBlock[code.blockParam(b, k) - FIRST_VIRTUAL_REG] = b;
      if (code.argCount[b]! > 0) {
        const s = code.succ(b, 0);
        for (let k = 0; k < code.argCount[b]!; k++) {
          const arg = code.branchArg(b, k);
          const param = code.blockParam(s, k);
          if (arg >= FIRST_VIRTUAL_REG) {
            if (this.vHintVReg[arg - FIRST_VIRTUAL_REG] === NONE) this.vHintVReg[arg - FIRST_VIRTUAL_REG] = param;
            if (this.vHintVReg[param - FIRST_VIRTUAL_REG] === NONE) this.vHintVReg[param - FIRST_VIRTUAL_REG] = arg;
          }
        }
      }
    }
    for (let i = 0; i < code.instCount; i++) {
      const start = code.operandStart[i]!;
      const end = start + code.operandCount[i]!;
      for (let k = start; k < end; k++) {
        const r = code.operandReg[k]!;
        if (r >= FIRST_VIRTUAL_REG && code.operandKind[k] !== OperandKind.Use) this.vDefInst[r - FIRST_VIRTUAL_REG] = i;
        else if (r < FIRST_VIRTUAL_REG && !this.isAllocatable[r]) throw new RegisterAllocationError(`instruction ${i} names register ${r}, which is not allocatable`);
      }
      const flags = code.flags[i]!;
      if ((flags & InstFlag.Move) !== 0 && end - start === 2) {
        const dst = code.operandReg[start]!;
        const src = code.operandReg[start + 1]!;
        if (dst >= FIRST_VIRTUAL_REG && src < FIRST_VIRTUAL_REG) this.vHintReg[dst - FIRST_VIRTUAL_REG] = src;
        else if (src >= FIRST_VIRTUAL_REG && dst < FIRST_VIRTUAL_REG) this.vHintReg[src - FIRST_VIRTUAL_REG] = dst;
        else if (src >= FIRST_VIRTUAL_REG && dst >= FIRST_VIRTUAL_REG && this.vHintVReg[dst - FIRST_VIRTUAL_REG] === NONE) this.vHintVReg[dst - FIRST_VIRTUAL_REG] = src;
      } else if ((flags & InstFlag.TiedHint) !== 0) {
        // The first def prefers the register of the first use (x64's two-address forms).
        let def = NONE;
        let use = NONE;
        for (let k = start; k < end; k++) {
          const r = code.operandReg[k]!;
          if (code.operandKind[k] === OperandKind.Use) {
            if (use === NONE) use = r;
          } else if (def === NONE) def = r;
        }
        if (def >= FIRST_VIRTUAL_REG && use >= FIRST_VIRTUAL_REG && this.vHintVReg[def - FIRST_VIRTUAL_REG] === NONE) this.vHintVReg[def - FIRST_VIRTUAL_REG] = use;
      }
    }
  }

  private ensureIntervals(n: number): void {
    if (this.ivVReg.length >= n) return;
    const size = Math.max(n, this.ivVReg.length * 2);
    this.ivVReg = grow(this.ivVReg, size);
    this.ivFirstRange = grow(this.ivFirstRange, size);
    this.ivFirstUse = grow(this.ivFirstUse, size);
    this.ivReg = grow(this.ivReg, size);
    this.ivSpilled = grow(this.ivSpilled, size);
    this.ivNextPart = grow(this.ivNextPart, size);
    this.ivCursor = grow(this.ivCursor, size);
    this.ivUseCursor = grow(this.ivUseCursor, size);
  }

  private initInterval(iv: number, vreg: number): void {
    this.ivVReg[iv] = vreg;
    this.ivFirstRange[iv] = NONE;
    this.ivFirstUse[iv] = NONE;
    this.ivReg[iv] = NONE;
    this.ivSpilled[iv] = 0;
    this.ivNextPart[iv] = NONE;
    this.ivCursor[iv] = NONE;
    this.ivUseCursor[iv] = NONE;
  }

  private newRange(from: number, to: number, next: number): number {
    const r = this.rCount++;
    if (r >= this.rFrom.length) {
      this.rFrom = grow(this.rFrom, r + 1);
      this.rTo = grow(this.rTo, r + 1);
      this.rNext = grow(this.rNext, r + 1);
    }
    this.rFrom[r] = from;
    this.rTo[r] = to;
    this.rNext[r] = next;
    return r;
  }

  // --- intervals ---------------------------------------------------------------------------------

  /** Adds [from, to) in front of the list at `head` (ranges are added backwards), merging overlaps. */
  private addRangeTo(head: number, from: number, to: number): number {
    if (head !== NONE && to >= this.rFrom[head]!) {
      if (from < this.rFrom[head]!) this.rFrom[head] = from;
      if (to > this.rTo[head]!) this.rTo[head] = to;
      return head;
    }
    return this.newRange(from, to, head);
  }

  private addRange(reg: number, from: number, to: number): void {
    if (reg >= FIRST_VIRTUAL_REG) {
      const iv = reg - FIRST_VIRTUAL_REG;
      this.ivFirstRange[iv] = this.addRangeTo(this.ivFirstRange[iv]!, from, to);
    } else {
      this.fixedFirst[reg] = this.addRangeTo(this.fixedFirst[reg]!, from, to);
    }
  }

  /** A definition at `pos`: the live range starts there, or, when nothing reads it, lasts `length`. */
  private define(reg: number, pos: number, length: number): void {
    const head = reg >= FIRST_VIRTUAL_REG ? this.ivFirstRange[reg - FIRST_VIRTUAL_REG]! : this.fixedFirst[reg]!;
    if (head !== NONE && this.rFrom[head]! <= pos && this.rTo[head]! > pos) this.rFrom[head] = pos;
    else this.addRange(reg, pos, pos + length);
  }

  private addUse(iv: number, pos: number, flags: number, operand: number): void {
    const u = this.uCount++;
    if (u >= this.uPos.length) {
      this.uPos = grow(this.uPos, u + 1);
      this.uFlags = grow(this.uFlags, u + 1);
      this.uOperand = grow(this.uOperand, u + 1);
      this.uNext = grow(this.uNext, u + 1);
    }
    this.uPos[u] = pos;
    this.uFlags[u] = flags;
    this.uOperand[u] = operand;
    this.uNext[u] = this.ivFirstUse[iv]!;
    this.ivFirstUse[iv] = u;
  }

  private buildIntervals(): void {
    const code = this.code;
    const live = this.liveness;
    for (let b = code.blockCount - 1; b >= 0; b--) {
      const from = 2 * code.blockFirst[b]!;
      const to = 2 * code.blockEnd[b]!;
      for (let k = live.liveOutStart[b]!; k < live.liveOutStart[b + 1]!; k++) this.addRange(live.liveOut[k]!, from, to);
      // Branch arguments are read by the final jump; from wherever they are (no register needed).
      if (code.argCount[b]! > 0) {
        const at = to - 2;
        for (let k = 0; k < code.argCount[b]!; k++) {
          const arg = code.branchArg(b, k);
          this.addRange(arg, from, at + 1);
          this.addUse(arg - FIRST_VIRTUAL_REG, at, 0, NONE);
        }
      }
      for (let i = code.blockEnd[b]! - 1; i >= code.blockFirst[b]!; i--) {
        const use = 2 * i;
        const def = use + 1;
        const start = code.operandStart[i]!;
        const end = start + code.operandCount[i]!;
        let defInt = 0;
        let defFloat = 0;
        for (let k = start; k < end; k++) {
          const kind = code.operandKind[k]!;
          if (kind === OperandKind.Use) continue;
          const r = code.operandReg[k]!;
          if (kind === OperandKind.Def) this.define(r, def, 1);
          else this.define(r, use, 2);
          if (r >= FIRST_VIRTUAL_REG) {
            // An early def holds its register through the whole instruction: a second use
            // record at the def position keeps the interval from being split (and the register
            // taken by a def) in the middle of the instruction.
            if (kind === OperandKind.EarlyDef) this.addUse(r - FIRST_VIRTUAL_REG, def, NEEDS_REG, NONE);
            this.addUse(r - FIRST_VIRTUAL_REG, kind === OperandKind.Def ? def : use, NEEDS_REG, k);
          }
          else if (r >>> 5 === RegClass.Int) defInt |= 1 << (r & 31);
          else defFloat |= 1 << (r & 31);
        }
        this.addClobbers(code.clobberInt[i]! & ~defInt, RegClass.Int, def);
        this.addClobbers(code.clobberFloat[i]! & ~defFloat, RegClass.Float, def);
        for (let k = start; k < end; k++) {
          if (code.operandKind[k] !== OperandKind.Use) continue;
          const r = code.operandReg[k]!;
          this.addRange(r, from, use + 1);
          if (r >= FIRST_VIRTUAL_REG) this.addUse(r - FIRST_VIRTUAL_REG, use, NEEDS_REG, k);
        }
      }
      for (let k = 0; k < code.paramCount[b]!; k++) this.define(code.blockParam(b, k), from, 1);
    }
    const vregs = code.vregCount - FIRST_VIRTUAL_REG;
    for (let v = 0; v < vregs; v++) {
      let r = this.ivFirstRange[v]!;
      let end = 0;
      while (r !== NONE) {
        end = this.rTo[r]!;
        r = this.rNext[r]!;
      }
      this.vEnd[v] = end;
      this.ivCursor[v] = this.ivFirstRange[v]!;
      this.ivUseCursor[v] = this.ivFirstUse[v]!;
    }
    for (let r = 0; r < 64; r++) this.fixedCursor[r] = this.fixedFirst[r]!;
  }

  private addClobbers(set: number, cls: number, pos: number): void {
    let rest = set >>> 0;
    while (rest !== 0) {
      const low = rest & -rest;
      const reg = (cls << 5) | (31 - Math.clz32(low));
      if (this.isAllocatable[reg]) this.addRange(reg, pos, pos + 1);
      rest = (rest ^ low) >>> 0;
    }
  }

  private start(iv: number): number {
    return this.rFrom[this.ivFirstRange[iv]!]!;
  }

  private end(iv: number): number {
    let r = this.ivCursor[iv]!;
    if (r === NONE) r = this.ivFirstRange[iv]!;
    let end = 0;
    while (r !== NONE) {
      end = this.rTo[r]!;
      r = this.rNext[r]!;
    }
    return end;
  }

  /** True when `iv` covers `pos`; moves its cursor (positions asked only grow). */
  private covers(iv: number, pos: number): boolean {
    let r = this.ivCursor[iv]!;
    while (r !== NONE && this.rTo[r]! <= pos) r = this.rNext[r]!;
    this.ivCursor[iv] = r;
    return r !== NONE && this.rFrom[r]! <= pos;
  }

  /** True when `iv` has no range at or after `pos`. */
  private endsBefore(iv: number, pos: number): boolean {
    let r = this.ivCursor[iv]!;
    while (r !== NONE && this.rTo[r]! <= pos) r = this.rNext[r]!;
    this.ivCursor[iv] = r;
    return r === NONE;
  }

  /** First position ≥ the cursors where the range lists at `a` and `b` overlap, or MAX_POS. */
  private intersect(a: number, b: number): number {
    while (a !== NONE && b !== NONE) {
      if (this.rTo[a]! <= this.rFrom[b]!) a = this.rNext[a]!;
      else if (this.rTo[b]! <= this.rFrom[a]!) b = this.rNext[b]!;
      else return Math.max(this.rFrom[a]!, this.rFrom[b]!);
    }
    return MAX_POS;
  }

  /** Where fixed register `reg` next conflicts with `iv`, from `pos` on. */
  private fixedIntersection(reg: number, iv: number, pos: number): number {
    let r = this.fixedCursor[reg]!;
    while (r !== NONE && this.rTo[r]! <= pos) r = this.rNext[r]!;
    this.fixedCursor[reg] = r;
    return this.intersect(r, this.ivFirstRange[iv]!);
  }

  /** The first use of `iv` at or after `pos` that needs a register, or MAX_POS. */
  private nextRegUse(iv: number, pos: number): number {
    for (let u = this.ivFirstUse[iv]!; u !== NONE; u = this.uNext[u]!) {
      if (this.uPos[u]! >= pos && (this.uFlags[u]! & NEEDS_REG) !== 0) return this.uPos[u]!;
    }
    return MAX_POS;
  }

  /**
   * Splits `iv` at `pos` (start(iv) < pos < end): `iv` keeps what lies before, the returned new
   * interval what lies at and after it (ranges and uses), and follows `iv` in its value's parts.
   */
  private split(iv: number, pos: number): number {
    if (pos <= this.start(iv)) throw new RegisterAllocationError(`split of v${this.ivVReg[iv]} at ${pos}, not after its start ${this.start(iv)}`);
    const child = this.ivCount++;
    this.ensureIntervals(child + 1);
    this.initInterval(child, this.ivVReg[iv]!);
    let r = this.ivFirstRange[iv]!;
    let prev = NONE;
    while (r !== NONE && this.rTo[r]! <= pos) {
      prev = r;
      r = this.rNext[r]!;
    }
    if (r === NONE) throw new RegisterAllocationError(`split of v${this.ivVReg[iv]} at ${pos}, after its end`);
    if (this.rFrom[r]! < pos) {
      this.ivFirstRange[child] = this.newRange(pos, this.rTo[r]!, this.rNext[r]!);
      this.rTo[r] = pos;
      this.rNext[r] = NONE;
    } else {
      this.ivFirstRange[child] = r;
      this.rNext[prev] = NONE;
    }
    let u = this.ivFirstUse[iv]!;
    let prevUse = NONE;
    while (u !== NONE && this.uPos[u]! < pos) {
      prevUse = u;
      u = this.uNext[u]!;
    }
    this.ivFirstUse[child] = u;
    if (prevUse === NONE) this.ivFirstUse[iv] = NONE;
    else this.uNext[prevUse] = NONE;
    this.ivNextPart[child] = this.ivNextPart[iv]!;
    this.ivNextPart[iv] = child;
    this.ivCursor[child] = this.ivFirstRange[child]!;
    this.ivCursor[iv] = this.ivFirstRange[iv]!;
    this.stats.splits++;
    return child;
  }

  private blockOf(pos: number): number {
    const i = pos >> 1;
    return i >= this.code.instCount ? this.code.blockCount - 1 : this.instBlock[i]!;
  }

  /**
   * The best even position in [minPos, maxPos] to split at: within one block, as late as
   * possible; across blocks, the start of the block whose entry runs least often by loop depth
   * (so a reload lands before a loop, not in it), the later one on ties.
   */
  private splitPosition(minPos: number, maxPos: number): number {
    maxPos &= ~1;
    minPos = (minPos + 1) & ~1;
    if (minPos >= maxPos) return maxPos;
    const code = this.code;
    const bMin = this.blockOf(minPos);
    const bMax = this.blockOf(maxPos - 1);
    if (bMin === bMax) return maxPos;
    let best = maxPos;
    let bestCost = this.entryCost(this.blockOf(maxPos));
    if (2 * code.blockFirst[this.blockOf(maxPos)]! !== maxPos) bestCost = code.blockLoopDepth[this.blockOf(maxPos)]!;
    for (let b = bMax; b > bMin; b--) {
      const cost = this.entryCost(b);
      if (cost < bestCost) {
        bestCost = cost;
        best = 2 * code.blockFirst[b]!;
      }
    }
    return best;
  }

  /** How often moves on the edges into `block` run, as a loop depth: a loop header's entry edge is outside its loop. */
  private entryCost(block: number): number {
    const d = this.code.blockLoopDepth;
    return block === 0 ? d[0]! : Math.min(d[block]!, d[block - 1]!);
  }

  // --- the scan ----------------------------------------------------------------------------------

  // The unhandled intervals, by start (ties by index, for determinism): the values' own intervals
  // sorted once (a counting sort on position), and a heap for the parts splitting adds later.
  // Each heap entry carries its key, so comparisons do not chase range lists.

  private heapPush(iv: number): void {
    this.heap = grow(this.heap, this.heapSize + 1);
    this.heapKey = grow(this.heapKey, this.heapSize + 1);
    const heap = this.heap;
    const keys = this.heapKey;
    let i = this.heapSize++;
    const key = this.start(iv);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && p < iv)) break;
      heap[i] = p;
      keys[i] = pk;
      i = parent;
    }
    heap[i] = iv;
    keys[i] = key;
  }

  private heapPop(): number {
    const heap = this.heap;
    const keys = this.heapKey;
    const top = heap[0]!;
    const last = heap[--this.heapSize]!;
    const n = this.heapSize;
    if (n > 0) {
      const key = keys[n]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n) {
          const ka = keys[c]!;
          const kb = keys[c + 1]!;
          if (kb < ka || (kb === ka && heap[c + 1]! < heap[c]!)) c++;
        }
        const child = heap[c]!;
        const ck = keys[c]!;
        if (key < ck || (key === ck && last < child)) break;
        heap[i] = child;
        keys[i] = ck;
        i = c;
      }
      heap[i] = last;
      keys[i] = key;
    }
    return top;
  }

  /** Sorts the values' intervals by start into `sorted` (stable: by index within a position). */
  private sortInitial(vregs: number): number {
    const positions = 2 * this.code.instCount + 2;
    const count = (this.sortCount = grow(this.sortCount, positions + 1));
    count.fill(0, 0, positions + 1);
    let n = 0;
    for (let v = 0; v < vregs; v++) {
      if (this.ivFirstRange[v] === NONE) continue;
      count[this.start(v) + 1]!++;
      n++;
    }
    for (let k = 1; k <= positions; k++) count[k]! += count[k - 1]!;
    const sorted = (this.sorted = grow(this.sorted, n));
    for (let v = 0; v < vregs; v++) if (this.ivFirstRange[v] !== NONE) sorted[count[this.start(v)]!++] = v;
    return n;
  }

  private heapKey = new Int32Array(256);
  private sorted = new Int32Array(256);
  private sortCount = new Int32Array(256);

  private scan(): void {
    const vregs = this.code.vregCount - FIRST_VIRTUAL_REG;
    this.heapSize = 0;
    this.activeCount = 0;
    this.inactiveCount = 0;
    const initial = this.sortInitial(vregs);
    const sorted = this.sorted;
    let next = 0;
    this.stats.intervals = initial;
    // Every step either allocates a part for good or splits one at a later position, so the scan
    // ends; the limit turns a bug into an error instead of a hang.
    let steps = 0;
    const limit = 64 * (initial + this.code.instCount + 16);
    while (next < initial || this.heapSize > 0) {
      if (++steps > limit) throw new RegisterAllocationError('linear scan does not terminate');
      // Split parts have higher indices than the values' own intervals: at equal starts, those first.
      let cur: number;
      if (next < initial && (this.heapSize === 0 || this.start(sorted[next]!) <= this.heapKey[0]!)) cur = sorted[next++]!;
      else cur = this.heapPop();
      const pos = this.start(cur);
      this.advance(pos);
      if (!this.tryFreeRegister(cur)) this.allocateBlocked(cur);
      if (this.ivReg[cur]! !== NONE) {
        this.active = grow(this.active, this.activeCount + 1);
        this.active[this.activeCount++] = cur;
      }
    }
  }

  /** Moves intervals between active, inactive and done for position `pos`. */
  private advance(pos: number): void {
    let n = 0;
    for (let k = 0; k < this.activeCount; k++) {
      const iv = this.active[k]!;
      if (this.endsBefore(iv, pos)) continue;
      if (this.covers(iv, pos)) this.active[n++] = iv;
      else this.pushInactive(iv);
    }
    this.activeCount = n;
    n = 0;
    const count = this.inactiveCount;
    for (let k = 0; k < count; k++) {
      const iv = this.inactive[k]!;
      if (this.endsBefore(iv, pos)) continue;
      if (this.covers(iv, pos)) {
        this.active = grow(this.active, this.activeCount + 1);
        this.active[this.activeCount++] = iv;
      } else {
        this.inactive[n++] = iv;
      }
    }
    // Intervals pushed to inactive during the first loop were appended after `count`.
    for (let k = count; k < this.inactiveCount; k++) this.inactive[n++] = this.inactive[k]!;
    this.inactiveCount = n;
  }

  private pushInactive(iv: number): void {
    this.inactive = grow(this.inactive, this.inactiveCount + 1);
    this.inactive[this.inactiveCount++] = iv;
  }

  private classOf(iv: number): number {
    return this.code.vregClass[this.ivVReg[iv]!]!;
  }

  /** The register `iv` would like: its value's preferred register, or where a related value is. */
  private hint(iv: number): number {
    const v = this.ivVReg[iv]! - FIRST_VIRTUAL_REG;
    const fixed = this.vHintReg[v]!;
    if (fixed !== NONE) return fixed;
    const other = this.vHintVReg[v]!;
    if (other === NONE) return NONE;
    if (other < FIRST_VIRTUAL_REG) return other;
    const pos = this.start(iv);
    let best = NONE;
    for (let part = other - FIRST_VIRTUAL_REG; part !== NONE; part = this.ivNextPart[part]!) {
      if (this.ivFirstRange[part] === NONE) continue;
      const reg = this.ivReg[part]!;
      if (reg === NONE) continue;
      if (best === NONE || this.start(part) <= pos) best = reg;
    }
    return best;
  }

  /** Until where register `reg` is free for `cur` (which starts at `pos`): 0 when an active interval holds it. */
  private freeUntilOf(reg: number, cur: number, cls: number, pos: number): number {
    if (this.busy[reg] === 1) return 0;
    let free = this.fixedIntersection(reg, cur, pos);
    for (let k = 0; k < this.inactiveCount; k++) {
      const iv = this.inactive[k]!;
      if (this.ivReg[iv] !== reg || this.classOf(iv) !== cls) continue;
      const at = this.intersect(this.ivCursor[iv]!, this.ivFirstRange[cur]!);
      if (at < free) free = at;
    }
    return free;
  }

  private tryFreeRegister(cur: number): boolean {
    const cls = this.classOf(cur);
    const regs = this.env.allocatable[cls]!;
    const pos = this.start(cur);
    const end = this.end(cur);
    // Registers held by active intervals are not free at all; the others are free until a fixed
    // use or an inactive interval needs them, computed per register only as far as the choice
    // needs: the hint first, then in preference order until one is free for the whole interval.
    const busy = this.busy;
    busy.fill(0);
    for (let k = 0; k < this.activeCount; k++) {
      const iv = this.active[k]!;
      if (this.classOf(iv) === cls) busy[this.ivReg[iv]!] = 1;
    }
    let reg = NONE;
    let free = -1;
    const hint = this.hint(cur);
    if (hint !== NONE && hint >>> 5 === cls && this.isAllocatable[hint]) {
      const f = this.freeUntilOf(hint, cur, cls, pos);
      if (f >= end) {
        reg = hint;
        free = f;
      }
    }
    if (reg === NONE) {
      // The first register (in preference order) free for the whole interval, else the one free longest.
      for (let k = 0; k < regs.length; k++) {
        const r = regs[k]!;
        const f = this.freeUntilOf(r, cur, cls, pos);
        if (f > free) {
          free = f;
          reg = r;
          if (f >= end) break;
        }
      }
    }
    if (free <= pos) return false;
    if (free >= end) {
      this.ivReg[cur] = reg;
      return true;
    }
    // Free for a first part only: take it, and split before the register is needed elsewhere.
    const at = this.splitPosition(pos + 1, free);
    if (at > pos) {
      this.ivReg[cur] = reg;
      this.heapPush(this.split(cur, at));
      return true;
    }
    if ((free & 1) === 1 && free > pos) {
      // Needed elsewhere from a def position on: keep it up to that instruction, then the stack.
      this.ivReg[cur] = reg;
      this.spillPart(this.split(cur, free));
      return true;
    }
    return false;
  }

  private allocateBlocked(cur: number): void {
    const cls = this.classOf(cur);
    const regs = this.env.allocatable[cls]!;
    const pos = this.start(cur);
    const nextUse = this.nextUse;
    const blockPos = this.blockPos;
    for (const r of regs) {
      const fixed = this.fixedIntersection(r, cur, pos);
      nextUse[r] = fixed;
      blockPos[r] = fixed;
    }
    for (let k = 0; k < this.activeCount; k++) {
      const iv = this.active[k]!;
      if (this.classOf(iv) !== cls) continue;
      const reg = this.ivReg[iv]!;
      const use = this.nextRegUse(iv, pos);
      if (use < nextUse[reg]!) nextUse[reg] = use;
    }
    for (let k = 0; k < this.inactiveCount; k++) {
      const iv = this.inactive[k]!;
      if (this.classOf(iv) !== cls) continue;
      if (this.intersect(this.ivCursor[iv]!, this.ivFirstRange[cur]!) === MAX_POS) continue;
      const reg = this.ivReg[iv]!;
      const use = this.nextRegUse(iv, pos);
      if (use < nextUse[reg]!) nextUse[reg] = use;
    }
    let reg = regs[0]!;
    for (const r of regs) if (nextUse[r]! > nextUse[reg]!) reg = r;
    const firstUse = this.nextRegUse(cur, pos);
    if (firstUse === MAX_POS) {
      this.toStack(cur);
      return;
    }
    if (nextUse[reg]! < firstUse) {
      // Everything else needs its register sooner: cur waits on the stack until just before its use.
      const at = this.splitPosition(pos + 1, firstUse);
      if (at <= pos) throw new RegisterAllocationError(`no place to split v${this.ivVReg[cur]} before its use at ${firstUse}`);
      const rest = this.split(cur, at);
      this.toStack(cur);
      this.heapPush(rest);
      return;
    }
    if (nextUse[reg]! <= pos) {
      const holders: string[] = [];
      for (let k = 0; k < this.activeCount; k++) {
        const iv = this.active[k]!;
        if (this.classOf(iv) === cls) holders.push(`v${this.ivVReg[iv]}@r${this.ivReg[iv]} (next use ${this.nextRegUse(iv, pos)})`);
      }
      throw new RegisterAllocationError(`more values need a register at position ${pos} than there are registers (v${this.ivVReg[cur]} wants one; held by ${holders.join(', ')}; fixed ${regs.map((r) => this.fixedIntersection(r, cur, pos)).join(',')})`);
    }
    this.ivReg[cur] = reg;
    const blocked = blockPos[reg]!;
    if (blocked < this.end(cur)) {
      const at = this.splitPosition(pos + 1, blocked);
      if (at > pos) this.heapPush(this.split(cur, at));
      else if ((blocked & 1) === 1 && blocked > pos) this.spillPart(this.split(cur, blocked));
      else throw new RegisterAllocationError(`v${this.ivVReg[cur]} cannot keep a register at ${pos}`);
    }
    // Evict the others holding `reg` where they meet cur.
    let n = 0;
    for (let k = 0; k < this.activeCount; k++) {
      const iv = this.active[k]!;
      if (this.ivReg[iv] !== reg) {
        this.active[n++] = iv;
        continue;
      }
      this.evict(iv, pos);
    }
    this.activeCount = n;
    n = 0;
    for (let k = 0; k < this.inactiveCount; k++) {
      const iv = this.inactive[k]!;
      if (this.ivReg[iv] !== reg || this.intersect(this.ivCursor[iv]!, this.ivFirstRange[cur]!) === MAX_POS) {
        this.inactive[n++] = iv;
        continue;
      }
      this.evict(iv, pos);
    }
    this.inactiveCount = n;
  }

  /**
   * Takes `iv`'s register away from position `pos` on: the rest waits on the stack until its next
   * use. At a def position (odd) the rest starts on the stack right there, which needs no move:
   * the slot was written after the value's definition.
   */
  private evict(iv: number, pos: number): void {
    const start = this.start(iv);
    if (start >= pos) {
      this.ivReg[iv] = NONE;
      this.spillPart(iv);
      return;
    }
    // The register is free to give up from the last use before `pos` on; give it up at the
    // cheapest block boundary in between (Wimmer's spill-position optimization): a value live
    // through a loop it does not use then sits on the stack for the whole loop, with no reload
    // on the back edge.
    const lastUse = this.lastUseBefore(iv, pos);
    let at = pos;
    if (lastUse + 1 < pos) {
      const better = this.splitPosition(Math.max(lastUse + 1, start + 1), pos);
      if (better > lastUse && better > start && better <= pos) at = better;
    }
    this.spillPart(this.split(iv, at));
  }

  /** The position of the last use of `iv` before `pos` (uses of any kind), or -1. */
  private lastUseBefore(iv: number, pos: number): number {
    let last = -1;
    for (let u = this.ivFirstUse[iv]!; u !== NONE && this.uPos[u]! < pos; u = this.uNext[u]!) last = this.uPos[u]!;
    return last;
  }

  /** `part` goes to the stack from its start until (just before) its next use that needs a register. */
  private spillPart(part: number): void {
    const pos = this.start(part);
    const use = this.nextRegUse(part, pos);
    if (use === MAX_POS) {
      this.toStack(part);
      return;
    }
    const at = this.splitPosition(pos + 1, use);
    if (at <= pos) {
      // Needed in a register right away: it competes again.
      this.ivReg[part] = NONE;
      this.heapPush(part);
      return;
    }
    const rest = this.split(part, at);
    this.toStack(part);
    this.heapPush(rest);
  }

  private toStack(iv: number): void {
    this.ivReg[iv] = NONE;
    this.ivSpilled[iv] = 1;
    const v = this.ivVReg[iv]! - FIRST_VIRTUAL_REG;
    if (this.vSlot[v] !== NONE) return;
    this.stats.spilledValues++;
    const defined = this.start(v);
    // A block parameter gets a slot of its own (see the header); other values reuse dead slots.
    let slot = NONE;
    if (this.vParamBlock[v] === NONE) {
      for (let s = 0; s < this.slotCount; s++) {
        if (this.slotFreeAt[s]! <= defined) {
          slot = s;
          break;
        }
      }
    }
    if (slot === NONE) {
      slot = this.slotCount++;
      this.slotFreeAt = grow(this.slotFreeAt, this.slotCount);
    }
    // A parameter's slot is never reused.
    this.slotFreeAt[slot] = this.vParamBlock[v] === NONE ? this.vEnd[v]! : MAX_POS;
    this.vSlot[v] = slot;
  }

  // --- resolution ----------------------------------------------------------------------------

  /** The part of `vreg` covering `pos`, or NONE. */
  /**
   * The part of `vreg` live at `pos`, or NONE. Only after the scan (parts no longer change): the
   * first query for a value flattens the ranges of all its parts, already in position order
   * (parts chain in order, ranges sort within a part), and queries binary-search them, so edge
   * resolution costs O(log ranges) per live value and edge, not a walk of a long value's ranges.
   */
  private partAt(vreg: number, pos: number): number {
    const v = vreg - FIRST_VIRTUAL_REG;
    if (this.flatStamp[v] !== this.flatGeneration) this.flatten(v);
    const first = this.flatStart[v]!;
    const end = first + this.flatCount[v]!;
    if (first === end || pos < this.flatFrom[first]! || pos >= this.flatTo[end - 1]!) return NONE;
    // The last range starting at or before pos, searched from where the previous query for this
    // value ended (galloping): edge resolution asks in nearly increasing positions.
    const from = this.flatFrom;
    let at = this.flatCursor[v]!;
    let lo: number;
    let hi: number;
    if (from[at]! <= pos) {
      let step = 1;
      lo = at;
      hi = at + 1;
      while (hi < end && from[hi]! <= pos) {
        lo = hi;
        hi = Math.min(end, hi + step);
        step *= 2;
      }
    } else {
      let step = 1;
      hi = at;
      lo = at - 1;
      while (lo > first && from[lo]! > pos) {
        hi = lo;
        lo = Math.max(first, lo - step);
        step *= 2;
      }
    }
    // Now from[lo] <= pos < from[hi] (or hi = end): narrow down.
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (from[mid]! <= pos) lo = mid;
      else hi = mid;
    }
    at = lo;
    this.flatCursor[v] = at;
    return this.flatTo[at]! > pos ? this.flatPart[at]! : NONE;
  }

  private editBucket = new Int32Array(64);
  private editOrder = new Int32Array(64);
  private editRunStart = new Int32Array(64);
  private flatStamp = new Int32Array(64);
  private flatGeneration = 0;
  private flatStart = new Int32Array(64);
  private flatCount = new Int32Array(64);
  private flatCursor = new Int32Array(64);
  private flatFrom = new Int32Array(256);
  private flatTo = new Int32Array(256);
  private flatPart = new Int32Array(256);
  private flatUsed = 0;

  private flatten(v: number): void {
    this.flatStamp[v] = this.flatGeneration;
    this.flatStart[v] = this.flatUsed;
    this.flatCursor[v] = this.flatUsed;
    let n = this.flatUsed;
    for (let part = v; part !== NONE; part = this.ivNextPart[part]!) {
      for (let r = this.ivFirstRange[part]!; r !== NONE; r = this.rNext[r]!) {
        if (n >= this.flatFrom.length) {
          this.flatFrom = grow(this.flatFrom, n + 1);
          this.flatTo = grow(this.flatTo, n + 1);
          this.flatPart = grow(this.flatPart, n + 1);
        }
        this.flatFrom[n] = this.rFrom[r]!;
        this.flatTo[n] = this.rTo[r]!;
        this.flatPart[n] = part;
        n++;
      }
    }
    this.flatCount[v] = n - this.flatUsed;
    this.flatUsed = n;
  }

  private locationOf(part: number): number {
    const reg = this.ivReg[part]!;
    if (reg !== NONE) return reg;
    const slot = this.vSlot[this.ivVReg[part]! - FIRST_VIRTUAL_REG]!;
    if (slot === NONE) throw new RegisterAllocationError(`v${this.ivVReg[part]} has neither a register nor a slot`);
    return SLOT_LOC + slot;
  }

  private addEdit(inst: number, prio: number, kind: number, from: number, to: number): void {
    const e = this.editCount++ * 5;
    this.edits = grow(this.edits, e + 5);
    this.edits[e] = inst;
    this.edits[e + 1] = prio;
    this.edits[e + 2] = kind;
    this.edits[e + 3] = from;
    this.edits[e + 4] = to;
  }

  /** A move between locations (register or SLOT_LOC + slot) as edits; slot → slot goes through the scratch. */
  private addMove(inst: number, prio: number, from: number, to: number, cls: number): void {
    if (from === to) return;
    this.stats.moves++;
    if (from < SLOT_LOC && to < SLOT_LOC) this.addEdit(inst, prio, EditKind.Move, from, to);
    else if (from < SLOT_LOC) this.addEdit(inst, prio, EditKind.Spill, from, to - SLOT_LOC);
    else if (to < SLOT_LOC) this.addEdit(inst, prio, EditKind.Reload, from - SLOT_LOC, to);
    else {
      // Memory to memory through the *other* class's scratch register (eight bytes are eight
      // bytes): this class's scratch may be holding a value parked to break a cycle.
      const scratch = this.env.scratch[cls === RegClass.Int ? RegClass.Float : RegClass.Int]!;
      this.addEdit(inst, prio, EditKind.Reload, from - SLOT_LOC, scratch);
      this.addEdit(inst, prio, EditKind.Spill, scratch, to - SLOT_LOC);
    }
  }

  private resolve(): void {
    const code = this.code;
    const vregs = code.vregCount - FIRST_VIRTUAL_REG;
    // A new generation of flattened ranges (partAt).
    if (++this.flatGeneration === 0x7fff_ffff) {
      this.flatStamp.fill(0);
      this.flatGeneration = 1;
    }
    this.flatUsed = 0;
    if (this.flatStamp.length < vregs) {
      this.flatStamp = new Int32Array(Math.max(vregs, this.flatStamp.length * 2));
      this.flatStart = new Int32Array(this.flatStamp.length);
      this.flatCount = new Int32Array(this.flatStamp.length);
      this.flatCursor = new Int32Array(this.flatStamp.length);
    }
    // 1. Stores after definitions, and moves between parts inside blocks.
    for (let v = 0; v < vregs; v++) {
      if (this.ivFirstRange[v] === NONE) continue;
      const cls = code.vregClass[v + FIRST_VIRTUAL_REG]!;
      if (this.vSlot[v] !== NONE && this.ivReg[v] !== NONE) {
        const slot = this.vSlot[v]!;
        const param = this.vParamBlock[v]!;
        if (param !== NONE) this.addEdit(code.blockFirst[param]!, PRIO_PARAM_STORE, EditKind.Spill, this.ivReg[v]!, slot);
        else this.addEdit(this.vDefInst[v]! + 1, PRIO_DEF_STORE, EditKind.Spill, this.ivReg[v]!, slot);
      }
      for (let a = v; this.ivNextPart[a] !== NONE; a = this.ivNextPart[a]!) {
        const b = this.ivNextPart[a]!;
        if (this.ivFirstRange[b] === NONE) continue;
        const at = this.start(b);
        if (this.end(a) !== at) continue; // a hole: the value crosses a block boundary, resolved on edges
        if ((at & 1) === 1) {
          if (this.ivReg[b] !== NONE) throw new RegisterAllocationError(`v${v + FIRST_VIRTUAL_REG} resumes in a register at a def position`);
          continue;
        }
        if (2 * code.blockFirst[this.blockOf(at)]! === at) continue; // on a block boundary: edges
        const to = this.locationOf(b);
        if (to >= SLOT_LOC) continue; // the slot was written after the definition
        this.addSplitMove(at >> 1, this.locationOf(a), to, cls);
      }
    }
    this.emitSplitMoves();
    // 2. Edges.
    const live = this.liveness;
    for (let s = 0; s < code.blockCount; s++) {
      const sFrom = 2 * code.blockFirst[s]!;
      for (let k = 0; k < code.predCount[s]!; k++) {
        const p = code.pred(s, k);
        const pEnd = 2 * (code.blockEnd[p]! - 1);
        // Before the final jump when it has no operands; else at the start of the target, which
        // then has one predecessor (split-edges.ts makes sure).
        const last = code.blockEnd[p]! - 1;
        const atEnd = code.succCount[p] === 1 && code.operandCount[last] === 0;
        const inst = atEnd ? code.blockEnd[p]! - 1 : code.blockFirst[s]!;
        const prio = atEnd ? PRIO_EDGE_AT_END : PRIO_EDGE_AT_START;
        if (!atEnd && code.predCount[s] !== 1) throw new RegisterAllocationError(`edge block${p} → block${s} is critical`);
        this.pmCount = 0;
        for (let j = live.liveInStart[s]!; j < live.liveInStart[s + 1]!; j++) {
          const vreg = live.liveIn[j]!;
          // Live into s and out of p (liveness): an unsplit value is where it always is.
          if (this.ivNextPart[vreg - FIRST_VIRTUAL_REG] === NONE) continue;
          const to = this.locationOf(this.partAt(vreg, sFrom));
          if (to >= SLOT_LOC) continue; // written after the definition already
          const from = this.locationOf(this.partAt(vreg, pEnd));
          if (from !== to) this.addParallelMove(from, to, code.vregClass[vreg]!);
        }
        if (code.argCount[p]! > 0 && code.succ(p, 0) === s) {
          for (let a = 0; a < code.argCount[p]!; a++) {
            const to = this.paramLocation(s, a);
            if (to === NONE) continue; // nothing reads it
            const arg = code.branchArg(p, a);
            this.addParallelMove(this.locationOf(this.partAt(arg, pEnd)), to, code.vregClass[code.blockParam(s, a)]!);
          }
        }
        this.emitParallelMoves(inst, prio);
      }
    }
    // 3. Operands.
    const alloc = this.allocation;
    alloc.reset(code.operandTotal);
    for (let k = 0; k < code.operandTotal; k++) {
      const r = code.operandReg[k]!;
      alloc.operandAlloc[k] = r < FIRST_VIRTUAL_REG ? r : NONE;
    }
    for (let iv = 0; iv < this.ivCount; iv++) {
      for (let u = this.ivFirstUse[iv]!; u !== NONE; u = this.uNext[u]!) {
        const operand = this.uOperand[u]!;
        if (operand === NONE) continue;
        if (this.ivReg[iv] === NONE) throw new RegisterAllocationError(`v${this.ivVReg[iv]} is on the stack at its use at ${this.uPos[u]}`);
        alloc.operandAlloc[operand] = this.ivReg[iv]!;
      }
    }
    // 4. Edits in order: by instruction, then priority, then creation.
    // A counting sort on the instruction, then priorities in order within each instruction's
    // (few) edits; stable, so creation order breaks ties.
    const edits = this.edits;
    const keys = code.instCount + 2;
    const bucket = (this.editBucket = grow(this.editBucket, keys));
    bucket.fill(0, 0, keys);
    for (let e = 0; e < this.editCount; e++) bucket[edits[e * 5]! + 1]!++;
    for (let k = 1; k < keys; k++) bucket[k]! += bucket[k - 1]!;
    const order = (this.editOrder = grow(this.editOrder, this.editCount));
    const runStart = (this.editRunStart = grow(this.editRunStart, keys));
    runStart.set(bucket.subarray(0, keys));
    for (let e = 0; e < this.editCount; e++) {
      const inst = edits[e * 5]!;
      const prio = edits[e * 5 + 1]!;
      // At the end of this instruction's run so far, moved before edits of a higher priority.
      let at = bucket[inst]!++;
      const first = runStart[inst]!;
      while (at > first && edits[order[at - 1]! * 5 + 1]! > prio) {
        order[at] = order[at - 1]!;
        at--;
      }
      order[at] = e;
    }
    for (let k = 0; k < this.editCount; k++) {
      const e = order[k]! * 5;
      alloc.addEdit(edits[e]!, edits[e + 2]! as EditKind, edits[e + 3]!, edits[e + 4]!);
    }
    alloc.spillSlots = this.slotCount;
  }

  /**
   * Where parameter `index` of `block` is at the block's start: a register, `SLOT_LOC + slot`,
   * or -1 when nothing reads it (for the checker).
   */
  paramLocation(block: number, index: number): number {
    const param = this.code.blockParam(block, index);
    const sFrom = 2 * this.code.blockFirst[block]!;
    const pp = this.partAt(param, sFrom);
    if (pp === NONE) return NONE;
    if (this.ivFirstUse[pp] === NONE && this.ivNextPart[pp] === NONE && this.rTo[this.ivFirstRange[pp]!] === sFrom + 1) return NONE;
    return this.locationOf(pp);
  }

  /** Moves between parts of one value at one instruction boundary: all of them happen at once. */
  private splitMoves = new Int32Array(64);
  private splitMoveCount = 0;

  private addSplitMove(inst: number, from: number, to: number, cls: number): void {
    const k = this.splitMoveCount++ * 4;
    this.splitMoves = grow(this.splitMoves, k + 4);
    this.splitMoves[k] = inst;
    this.splitMoves[k + 1] = from;
    this.splitMoves[k + 2] = to;
    this.splitMoves[k + 3] = cls;
  }

  /**
   * The moves between split parts at each instruction boundary form one parallel move (one value
   * may leave a register another arrives in), so each group is sequentialized like an edge's.
   */
  private emitSplitMoves(): void {
    const n = this.splitMoveCount;
    this.splitMoveCount = 0;
    if (n === 0) return;
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    const m = this.splitMoves;
    order.sort((x, y) => m[x * 4]! - m[y * 4]! || x - y);
    let k = 0;
    while (k < n) {
      const inst = m[order[k]! * 4]!;
      this.pmCount = 0;
      for (; k < n && m[order[k]! * 4] === inst; k++) {
        const at = order[k]! * 4;
        this.addParallelMove(m[at + 1]!, m[at + 2]!, m[at + 3]!);
      }
      this.emitParallelMoves(inst, PRIO_SPLIT_MOVE);
    }
  }

  private addParallelMove(from: number, to: number, cls: number): void {
    const n = this.pmCount++;
    if (n >= this.pmFrom.length) {
      this.pmFrom = grow(this.pmFrom, n + 1);
      this.pmTo = grow(this.pmTo, n + 1);
      this.pmClass = grow(this.pmClass, n + 1);
    }
    this.pmFrom[n] = from;
    this.pmTo[n] = to;
    this.pmClass[n] = cls;
  }

  /**
   * Sequentializes the pending parallel moves: a move whose destination no other pending move
   * still reads goes first; when only cycles remain, one destination's old value is parked in
   * the class's scratch register (a cycle may run through spill slots: two loop-carried values
   * that swap while both spilled).
   */
  private emitParallelMoves(inst: number, prio: number): void {
    let n = this.pmCount;
    const from = this.pmFrom;
    const to = this.pmTo;
    const cls = this.pmClass;
    while (n > 0) {
      let progress = false;
      for (let k = 0; k < n; k++) {
        const dst = to[k]!;
        let read = false;
        for (let j = 0; j < n; j++) if (j !== k && from[j] === dst) read = true;
        if (read) continue;
        this.addMove(inst, prio, from[k]!, dst, cls[k]!);
        n--;
        from[k] = from[n]!;
        to[k] = to[n]!;
        cls[k] = cls[n]!;
        k--;
        progress = true;
      }
      if (progress || n === 0) continue;
      const parked = to[0]!;
      const scratch = this.env.scratch[cls[0]!]!;
      this.addMove(inst, prio, parked, scratch, cls[0]!);
      for (let j = 0; j < n; j++) if (from[j] === parked) from[j] = scratch;
    }
    this.pmCount = 0;
  }
}
