// The IR: one function in SSA form, as a control-flow graph of basic blocks with block
// parameters instead of φ nodes (CLIF, wazevo). Everything is a small integer in a typed array:
//
//   value  v   kind (ValueKind), defining instruction or the block whose parameter it is, alias
//   inst   i   op, kind, type, imm0..imm2, Wasm offset, args, results, targets, block, prev/next
//   block  b   first/last instruction, parameters, layout successor
//
// Instructions of a block form a doubly linked list, so passes insert, move and remove them in
// place. Argument lists, block parameters and branch targets live in pools (pool.ts). A value
// replaced by a pass gets an alias; `arg()` reads through aliases and `applyAliases()` rewrites
// them away. Nothing is allocated per instruction: `reset()` keeps the arrays for the next
// function. The operation set is the contract's `IrOp` (see @flint/backend's lowering.ts), so
// this class also is the `LoweringFunction` view the ISA lowers from.

import { IrOp, isTerminatorOp, type CallLayout, type IrOp as IrOpType, type LoweringFunction, type Signature, type ValueKind } from '@flint/backend';
import { IntPool, growInt32, growUint8 } from './pool.ts';

export const NONE = -1;
/** Entries per branch target in the target pool: block, argument list start, argument count. */
const TARGET_STRIDE = 3;

export class IrFunction implements LoweringFunction {
  signature: Signature = { params: [], results: [] };
  layout!: CallLayout;
  /** Per instruction with a call: its callee's layout (set by the builder). */
  readonly callLayouts: (CallLayout | undefined)[] = [];

  // --- values ----------------------------------------------------------------------------------
  valueCount = 0;
  valueKinds = new Uint8Array(256);
  /** Defining instruction, or NONE for a block parameter. */
  valueDef = new Int32Array(256);
  /** The block of a parameter (NONE for instruction results). */
  valueBlock = new Int32Array(256);
  /** Position among its instruction's results or its block's parameters. */
  valueIndex = new Int32Array(256);
  /** Replacement value, or NONE. */
  alias = new Int32Array(256);

  // --- instructions ----------------------------------------------------------------------------
  instCount = 0;
  ops = new Uint8Array(256);
  kinds = new Int32Array(256);
  types = new Uint8Array(256);
  imm0s = new Int32Array(256);
  imm1s = new Int32Array(256);
  imm2s = new Int32Array(256);
  offsets = new Int32Array(256);
  argStart = new Int32Array(256);
  argCounts = new Int32Array(256);
  resultStart = new Int32Array(256);
  resultCounts = new Int32Array(256);
  targetStart = new Int32Array(256);
  targetCounts = new Int32Array(256);
  instBlocks = new Int32Array(256);
  prev = new Int32Array(256);
  next = new Int32Array(256);

  // --- blocks ----------------------------------------------------------------------------------
  blockCount = 0;
  /**
   * Bumped by every change that can change the control-flow graph (blocks, targets, terminators,
   * layout), never reset: analyses computed at one epoch are valid until it moves (cfg.ts).
   */
  cfgEpoch = 0;
  blockFirst = new Int32Array(64);
  blockLast = new Int32Array(64);
  paramStart = new Int32Array(64);
  paramCounts = new Int32Array(64);
  /**
   * Block layout: a doubly linked list of blocks in the order code will be emitted. A block joins
   * it when its first instruction is appended, so the translator's layout is program order (loop
   * bodies contiguous); passes insert new blocks next to the blocks they serve.
   */
  layoutNext = new Int32Array(64);
  layoutPrev = new Int32Array(64);
  layoutHead = NONE;
  layoutTail = NONE;

  readonly args = new IntPool(1024);
  readonly params = new IntPool(256);
  readonly targets = new IntPool(256);

  // --- uses (computeUses) ----------------------------------------------------------------------
  useCounts = new Int32Array(256);
  soleUsers = new Int32Array(256);

  reset(signature: Signature, layout: CallLayout): void {
    this.signature = signature;
    this.layout = layout;
    this.callLayouts.length = 0;
    this.cfgEpoch++;
    this.valueCount = 0;
    this.instCount = 0;
    this.blockCount = 0;
    this.layoutHead = NONE;
    this.layoutTail = NONE;
    this.args.reset();
    this.params.reset();
    this.targets.reset();
  }

  // --- building --------------------------------------------------------------------------------

  newBlock(): number {
    this.cfgEpoch++;
    const b = this.blockCount++;
    if (b >= this.blockFirst.length) {
      const n = b + 1;
      this.blockFirst = growInt32(this.blockFirst, n);
      this.blockLast = growInt32(this.blockLast, n);
      this.paramStart = growInt32(this.paramStart, n);
      this.paramCounts = growInt32(this.paramCounts, n);
      this.layoutNext = growInt32(this.layoutNext, n);
      this.layoutPrev = growInt32(this.layoutPrev, n);
    }
    this.layoutNext[b] = NONE;
    this.layoutPrev[b] = NONE;
    this.blockFirst[b] = NONE;
    this.blockLast[b] = NONE;
    this.paramStart[b] = 0;
    this.paramCounts[b] = 0;
    return b;
  }

  private newValue(kind: ValueKind, def: number, block: number, index: number): number {
    const v = this.valueCount++;
    if (v >= this.valueKinds.length) {
      const n = v + 1;
      this.valueKinds = growUint8(this.valueKinds, n);
      this.valueDef = growInt32(this.valueDef, n);
      this.valueBlock = growInt32(this.valueBlock, n);
      this.valueIndex = growInt32(this.valueIndex, n);
      this.alias = growInt32(this.alias, n);
    }
    this.valueKinds[v] = kind;
    this.valueDef[v] = def;
    this.valueBlock[v] = block;
    this.valueIndex[v] = index;
    this.alias[v] = NONE;
    return v;
  }

  /** A value defined by nothing (the parser fills numbering gaps with these, so names survive). */
  reserveValue(kind: ValueKind): number {
    return this.newValue(kind, NONE, NONE, 0);
  }

  /** Appends a parameter of `kind` to `block` and returns its value. */
  addBlockParam(block: number, kind: ValueKind): number {
    const count = this.paramCounts[block]!;
    const v = this.newValue(kind, NONE, block, count);
    this.paramStart[block] = this.params.append(this.paramStart[block]!, count, v);
    this.paramCounts[block] = count + 1;
    return v;
  }

  /**
   * Creates an instruction (not yet in any block) with `argCount` arguments taken from
   * `argSource[argFrom..]` and no results or targets. Use `addResult`, `addTarget`, then
   * `append`/`insertBefore`.
   */
  createInst(op: IrOpType, kind: number, type: ValueKind, imm0: number, imm1: number, imm2: number, argSource: ArrayLike<number> | null, argFrom: number, argCount: number): number {
    const i = this.instCount++;
    if (i >= this.ops.length) this.growInsts(i + 1);
    this.ops[i] = op;
    this.kinds[i] = kind;
    this.types[i] = type;
    this.imm0s[i] = imm0;
    this.imm1s[i] = imm1;
    this.imm2s[i] = imm2;
    this.offsets[i] = NONE;
    const start = this.args.alloc(argCount);
    const data = this.args.data;
    for (let k = 0; k < argCount; k++) data[start + k] = argSource![argFrom + k]!;
    this.argStart[i] = start;
    this.argCounts[i] = argCount;
    this.resultStart[i] = this.valueCount;
    this.resultCounts[i] = 0;
    this.targetStart[i] = 0;
    this.targetCounts[i] = 0;
    this.instBlocks[i] = NONE;
    this.prev[i] = NONE;
    this.next[i] = NONE;
    return i;
  }

  /** Adds a result of `kind` to `inst` (results of one instruction must be added one after another). */
  addResult(inst: number, kind: ValueKind): number {
    const count = this.resultCounts[inst]!;
    if (count === 0) this.resultStart[inst] = this.valueCount;
    else if (this.resultStart[inst]! + count !== this.valueCount) throw new Error(`IR: results of inst${inst} must be contiguous`);
    this.resultCounts[inst] = count + 1;
    return this.newValue(kind, inst, NONE, count);
  }

  /** Adds a branch target to terminator `inst` and returns its index. */
  addTarget(inst: number, block: number): number {
    this.cfgEpoch++;
    const count = this.targetCounts[inst]!;
    const t = this.targets.used;
    if (count > 0 && this.targetStart[inst]! + count * TARGET_STRIDE !== t) throw new Error(`IR: targets of inst${inst} must be added together`);
    if (count === 0) this.targetStart[inst] = t;
    this.targets.push(block);
    this.targets.push(0);
    this.targets.push(0);
    this.targetCounts[inst] = count + 1;
    return count;
  }

  /** Appends `value` to the arguments passed by target `target` of `inst`. */
  appendTargetArg(inst: number, target: number, value: number): void {
    const at = this.targetStart[inst]! + target * TARGET_STRIDE;
    const data = this.targets.data;
    const count = data[at + 2]!;
    data[at + 1] = this.args.append(data[at + 1]!, count, value);
    data[at + 2] = count + 1;
  }

  /** Appends `value` to `inst`'s arguments. */
  appendArg(inst: number, value: number): void {
    const count = this.argCounts[inst]!;
    this.argStart[inst] = this.args.append(this.argStart[inst]!, count, value);
    this.argCounts[inst] = count + 1;
  }

  /** True when `block` is in the layout list. */
  inLayout(block: number): boolean {
    return this.layoutHead === block || this.layoutPrev[block] !== NONE;
  }

  /** Adds `block` at the end of the layout (if it is not in it yet). */
  layoutAppend(block: number): void {
    if (this.inLayout(block)) return;
    this.cfgEpoch++;
    this.layoutPrev[block] = this.layoutTail;
    this.layoutNext[block] = NONE;
    if (this.layoutTail === NONE) this.layoutHead = block;
    else this.layoutNext[this.layoutTail] = block;
    this.layoutTail = block;
  }

  /** Puts `block` (not in the layout yet) right after `after` in the layout. */
  layoutInsertAfter(block: number, after: number): void {
    this.cfgEpoch++;
    const n = this.layoutNext[after]!;
    this.layoutPrev[block] = after;
    this.layoutNext[block] = n;
    this.layoutNext[after] = block;
    if (n === NONE) this.layoutTail = block;
    else this.layoutPrev[n] = block;
  }

  /** Puts `block` (not in the layout yet) right before `before` in the layout. */
  layoutInsertBefore(block: number, before: number): void {
    const p = this.layoutPrev[before]!;
    if (p === NONE) {
      this.layoutPrev[block] = NONE;
      this.layoutNext[block] = before;
      this.layoutPrev[before] = block;
      this.layoutHead = block;
    } else {
      this.layoutInsertAfter(block, p);
    }
  }

  /** Takes `block` out of the layout. */
  layoutRemove(block: number): void {
    if (!this.inLayout(block)) return;
    this.cfgEpoch++;
    const p = this.layoutPrev[block]!;
    const n = this.layoutNext[block]!;
    if (p === NONE) this.layoutHead = n;
    else this.layoutNext[p] = n;
    if (n === NONE) this.layoutTail = p;
    else this.layoutPrev[n] = p;
    this.layoutPrev[block] = NONE;
    this.layoutNext[block] = NONE;
  }

  /** Links `inst` at the end of `block`. */
  append(block: number, inst: number): void {
    if (isTerminatorOp(this.ops[inst]!)) this.cfgEpoch++;
    if (this.blockFirst[block] === NONE) this.layoutAppend(block);
    const last = this.blockLast[block]!;
    this.instBlocks[inst] = block;
    this.prev[inst] = last;
    this.next[inst] = NONE;
    if (last === NONE) this.blockFirst[block] = inst;
    else this.next[last] = inst;
    this.blockLast[block] = inst;
  }

  /** Links `inst` just before `before` (in `before`'s block). */
  insertBefore(before: number, inst: number): void {
    if (isTerminatorOp(this.ops[inst]!)) this.cfgEpoch++;
    const block = this.instBlocks[before]!;
    const p = this.prev[before]!;
    this.instBlocks[inst] = block;
    this.prev[inst] = p;
    this.next[inst] = before;
    this.prev[before] = inst;
    if (p === NONE) this.blockFirst[block] = inst;
    else this.next[p] = inst;
  }

  /** Links `inst` at the start of `block`. */
  prepend(block: number, inst: number): void {
    this.layoutAppend(block);
    const first = this.blockFirst[block]!;
    if (first === NONE) this.append(block, inst);
    else this.insertBefore(first, inst);
  }

  /** Unlinks `inst` from its block (its results must have no remaining uses, or be aliased). */
  remove(inst: number): void {
    if (isTerminatorOp(this.ops[inst]!)) this.cfgEpoch++;
    const block = this.instBlocks[inst]!;
    const p = this.prev[inst]!;
    const n = this.next[inst]!;
    if (p === NONE) this.blockFirst[block] = n;
    else this.next[p] = n;
    if (n === NONE) this.blockLast[block] = p;
    else this.prev[n] = p;
    this.instBlocks[inst] = NONE;
    this.prev[inst] = NONE;
    this.next[inst] = NONE;
  }

  /** Makes every use of `value` read `replacement` instead (through the alias; see `applyAliases`). */
  replaceUses(value: number, replacement: number): void {
    const target = this.resolve(replacement);
    if (target !== value) this.alias[value] = target;
  }

  resolve(value: number): number {
    let v = value;
    while (this.alias[v]! !== NONE) v = this.alias[v]!;
    return v;
  }

  /** Rewrites every argument that reads an aliased value to read its replacement. */
  applyAliases(): void {
    const data = this.args.data;
    for (let k = 0; k < this.args.used; k++) {
      const v = data[k]!;
      if (v >= 0 && v < this.valueCount && this.alias[v] !== NONE) data[k] = this.resolve(v);
    }
  }

  /** Changes `inst` in place (op, kind, type, immediates); its arguments stay unless `setArgs` follows. */
  rewrite(inst: number, op: IrOpType, kind: number, type: ValueKind, imm0: number, imm1: number): void {
    if (isTerminatorOp(op) || isTerminatorOp(this.ops[inst]!)) this.cfgEpoch++;
    this.ops[inst] = op;
    this.kinds[inst] = kind;
    this.types[inst] = type;
    this.imm0s[inst] = imm0;
    this.imm1s[inst] = imm1;
  }

  /** Sets `inst`'s arguments to `count` values from `source` (at most the current count, or a new list). */
  setArgs(inst: number, source: ArrayLike<number>, count: number): void {
    let start = this.argStart[inst]!;
    if (count > this.argCounts[inst]!) start = this.args.alloc(count);
    const data = this.args.data;
    for (let k = 0; k < count; k++) data[start + k] = source[k]!;
    this.argStart[inst] = start;
    this.argCounts[inst] = count;
  }

  setArg(inst: number, index: number, value: number): void {
    this.args.data[this.argStart[inst]! + index] = value;
  }

  /** The index of block parameter `value` in its block's list. */
  paramIndex(value: number): number {
    return this.valueIndex[value]!;
  }

  /** Removes parameter `index` of `block` (its value must be unused); arguments must be fixed by the caller. */
  removeBlockParam(block: number, index: number): void {
    const start = this.paramStart[block]!;
    const count = this.paramCounts[block]!;
    const data = this.params.data;
    for (let k = index; k < count - 1; k++) {
      data[start + k] = data[start + k + 1]!;
      this.valueIndex[data[start + k]!] = k;
    }
    this.paramCounts[block] = count - 1;
  }

  /** Removes argument `index` from target `target` of `inst`. */
  removeTargetArg(inst: number, target: number, index: number): void {
    const at = this.targetStart[inst]! + target * TARGET_STRIDE;
    const t = this.targets.data;
    const start = t[at + 1]!;
    const count = t[at + 2]!;
    const data = this.args.data;
    for (let k = index; k < count - 1; k++) data[start + k] = data[start + k + 1]!;
    t[at + 2] = count - 1;
  }

  /** Exchanges targets `a` and `b` of terminator `inst` (blocks and their arguments). */
  swapTargets(inst: number, a: number, b: number): void {
    this.cfgEpoch++;
    const t = this.targets.data;
    const x = this.targetStart[inst]! + a * TARGET_STRIDE;
    const y = this.targetStart[inst]! + b * TARGET_STRIDE;
    for (let k = 0; k < TARGET_STRIDE; k++) {
      const v = t[x + k]!;
      t[x + k] = t[y + k]!;
      t[y + k] = v;
    }
  }

  setTargetBlock(inst: number, target: number, block: number): void {
    this.cfgEpoch++;
    this.targets.data[this.targetStart[inst]! + target * TARGET_STRIDE] = block;
  }

  private growInsts(min: number): void {
    this.ops = growUint8(this.ops, min);
    this.kinds = growInt32(this.kinds, min);
    this.types = growUint8(this.types, min);
    this.imm0s = growInt32(this.imm0s, min);
    this.imm1s = growInt32(this.imm1s, min);
    this.imm2s = growInt32(this.imm2s, min);
    this.offsets = growInt32(this.offsets, min);
    this.argStart = growInt32(this.argStart, min);
    this.argCounts = growInt32(this.argCounts, min);
    this.resultStart = growInt32(this.resultStart, min);
    this.resultCounts = growInt32(this.resultCounts, min);
    this.targetStart = growInt32(this.targetStart, min);
    this.targetCounts = growInt32(this.targetCounts, min);
    this.instBlocks = growInt32(this.instBlocks, min);
    this.prev = growInt32(this.prev, min);
    this.next = growInt32(this.next, min);
  }

  // --- reading (the LoweringFunction view) -----------------------------------------------------

  blockParamCount(block: number): number {
    return this.paramCounts[block]!;
  }
  blockParam(block: number, index: number): number {
    return this.params.data[this.paramStart[block]! + index]!;
  }
  firstInst(block: number): number {
    return this.blockFirst[block]!;
  }
  lastInst(block: number): number {
    return this.blockLast[block]!;
  }
  nextInst(inst: number): number {
    return this.next[inst]!;
  }
  prevInst(inst: number): number {
    return this.prev[inst]!;
  }
  instBlock(inst: number): number {
    return this.instBlocks[inst]!;
  }
  op(inst: number): IrOpType {
    return this.ops[inst]! as IrOpType;
  }
  kind(inst: number): number {
    return this.kinds[inst]!;
  }
  type(inst: number): ValueKind {
    return this.types[inst]! as ValueKind;
  }
  imm0(inst: number): number {
    return this.imm0s[inst]!;
  }
  imm1(inst: number): number {
    return this.imm1s[inst]!;
  }
  imm2(inst: number): number {
    return this.imm2s[inst]!;
  }
  wasmOffset(inst: number): number {
    return this.offsets[inst]!;
  }
  argCount(inst: number): number {
    return this.argCounts[inst]!;
  }
  arg(inst: number, index: number): number {
    return this.resolve(this.args.data[this.argStart[inst]! + index]!);
  }
  resultCount(inst: number): number {
    return this.resultCounts[inst]!;
  }
  result(inst: number, index: number): number {
    return this.resultStart[inst]! + index;
  }
  targetCount(inst: number): number {
    return this.targetCounts[inst]!;
  }
  targetBlock(inst: number, target: number): number {
    return this.targets.data[this.targetStart[inst]! + target * TARGET_STRIDE]!;
  }
  targetArgCount(inst: number, target: number): number {
    return this.targets.data[this.targetStart[inst]! + target * TARGET_STRIDE + 2]!;
  }
  targetArg(inst: number, target: number, index: number): number {
    return this.resolve(this.args.data[this.targets.data[this.targetStart[inst]! + target * TARGET_STRIDE + 1]! + index]!);
  }
  valueKind(value: number): ValueKind {
    return this.valueKinds[value]! as ValueKind;
  }
  definingInst(value: number): number {
    return this.valueDef[value]!;
  }
  useCount(value: number): number {
    return this.useCounts[value]!;
  }
  soleUser(value: number): number {
    return this.useCounts[value] === 1 ? this.soleUsers[value]! : NONE;
  }
  callLayout(inst: number): CallLayout {
    const layout = this.callLayouts[inst];
    if (layout === undefined) throw new Error(`IR: inst${inst} has no call layout`);
    return layout;
  }

  /** The block's terminator (its last instruction), or NONE while it is still being built. */
  terminator(block: number): number {
    const last = this.blockLast[block]!;
    return last !== NONE && isTerminatorOp(this.ops[last]!) ? last : NONE;
  }

  /** Successor count and blocks of `block` (through its terminator). */
  successorCount(block: number): number {
    const t = this.terminator(block);
    return t === NONE ? 0 : this.targetCounts[t]!;
  }
  successor(block: number, index: number): number {
    return this.targetBlock(this.terminator(block), index);
  }

  /**
   * Renumbers the blocks in layout order, dropping blocks that are out of the layout or empty:
   * afterwards block 0 is the entry and `b + 1` follows `b` in the emitted code.
   */
  renumberBlocksInLayoutOrder(): void {
    this.cfgEpoch++;
    const n = this.blockCount;
    const newIndex = new Int32Array(n).fill(NONE);
    let count = 0;
    for (let b = this.layoutHead; b !== NONE; b = this.layoutNext[b]!) {
      if (this.blockFirst[b] !== NONE) newIndex[b] = count++;
    }
    if (newIndex[0] !== 0) throw new Error('IR: the entry block must come first in the layout');
    const first = new Int32Array(count);
    const last = new Int32Array(count);
    const pStart = new Int32Array(count);
    const pCount = new Int32Array(count);
    for (let b = 0; b < n; b++) {
      const to = newIndex[b]!;
      if (to === NONE) continue;
      first[to] = this.blockFirst[b]!;
      last[to] = this.blockLast[b]!;
      pStart[to] = this.paramStart[b]!;
      pCount[to] = this.paramCounts[b]!;
    }
    for (let b = 0; b < count; b++) {
      this.blockFirst[b] = first[b]!;
      this.blockLast[b] = last[b]!;
      this.paramStart[b] = pStart[b]!;
      this.paramCounts[b] = pCount[b]!;
      this.layoutPrev[b] = b - 1;
      this.layoutNext[b] = b + 1 < count ? b + 1 : NONE;
      for (let i = first[b]!; i !== NONE; i = this.next[i]!) {
        this.instBlocks[i] = b;
        for (let t = 0; t < this.targetCounts[i]!; t++) this.setTargetBlock(i, t, newIndex[this.targetBlock(i, t)]!);
      }
      for (let k = 0; k < pCount[b]!; k++) this.valueBlock[this.blockParam(b, k)] = b;
    }
    this.blockCount = count;
    this.layoutHead = count > 0 ? 0 : NONE;
    this.layoutTail = count - 1;
  }

  /** Counts every value's uses (arguments and branch arguments of linked instructions). */
  computeUses(): void {
    const n = this.valueCount;
    if (this.useCounts.length < n) {
      this.useCounts = new Int32Array(Math.max(n, this.useCounts.length * 2));
      this.soleUsers = new Int32Array(this.useCounts.length);
    }
    this.useCounts.fill(0, 0, n);
    for (let b = 0; b < this.blockCount; b++) {
      for (let i = this.blockFirst[b]!; i !== NONE; i = this.next[i]!) {
        for (let k = 0; k < this.argCounts[i]!; k++) this.countUse(this.arg(i, k), i);
        for (let t = 0; t < this.targetCounts[i]!; t++) {
          for (let k = 0; k < this.targetArgCount(i, t); k++) this.countUse(this.targetArg(i, t, k), i);
        }
      }
    }
  }

  private countUse(value: number, inst: number): void {
    this.useCounts[value]!++;
    this.soleUsers[value] = inst;
  }

  isTerminator(inst: number): boolean {
    return isTerminatorOp(this.ops[inst]!);
  }
}

export { IrOp };
