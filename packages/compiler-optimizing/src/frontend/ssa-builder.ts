// SSA construction while translating (Braun, Buchwald, Hack, Leißa, Mallon, Zwinkau: "Simple and
// Efficient Construction of Static Single Assignment Form", CC 2013), as Cranelift's frontend
// (`cranelift/frontend/src/ssa.rs`) and wazevo's builder do it. Wasm locals are variables:
// `local.set` writes one in the current block, `local.get` reads it. A read in a block without a
// definition asks the block's predecessors; where they may disagree, the block gets a new
// parameter (a φ) and each predecessor's branch passes its own definition.
//
// A block is *sealed* once all its predecessors are known (Wasm's structured control flow tells
// us: a loop header at the loop's `end`, a join at the `end` of its construct). Reads in an
// unsealed block create parameters whose branch arguments are filled in when it is sealed.
//
// A parameter whose predecessors all pass the same value (or the parameter itself) is removed as
// soon as its arguments are known, before any is appended (Cranelift's frontend does the same);
// the ones that become trivial only later, when another is removed, are left to
// `eliminateRedundantBlockParams`.
// Reads walk predecessors with an explicit work stack, so long chains of joins cannot exhaust the
// JS stack. Parameter order and argument order agree because each new parameter's arguments are
// appended to every predecessor before any other parameter of that block is created.

import { IrOp, ValueKind, type ValueKind as ValueKindType } from '@flint/backend';
import { NONE, type IrFunction } from '../ir/function.ts';
import { PairMap } from '../ir/pair-map.ts';
import { IntPool, growInt32, growUint8 } from '../ir/pool.ts';

/** A task: variable, block, parameter, next predecessor to ask, start of its gathered values. */
const TASK_SIZE = 5;

export class SsaBuilder {
  fn!: IrFunction;
  private varKinds = new Uint8Array(64);
  varCount = 0;
  /** (variable, block) → value. */
  private readonly defs = new PairMap();
  /** The last definition written per variable and its block: most reads are of the current block. */
  private lastDef = new Int32Array(64);
  private lastDefBlock = new Int32Array(64);
  private sealed = new Uint8Array(64);
  /** Predecessors per block, as lists in `preds`. */
  private predStart = new Int32Array(64);
  private predCount = new Int32Array(64);
  /** For each predecessor edge, the branch instruction and its target index (parallel to `preds`). */
  private readonly preds = new IntPool(128);
  private readonly predInst = new IntPool(128);
  private readonly predTarget = new IntPool(128);
  /** Parameters created in unsealed blocks: [variable, value] pairs per block, filled at `seal`. */
  private incompleteStart = new Int32Array(64);
  private incompleteCount = new Int32Array(64);
  private readonly incomplete = new IntPool(64);
  /** Work stack of parameters whose arguments are being filled: [variable, block, param, next pred]. */
  private tasks = new Int32Array(64);
  /** Blocks visited on the way down a chain of single predecessors. */
  private chain = new Int32Array(64);
  /** Zero constants per kind, created in the entry block on demand (the initial value of locals). */
  private readonly zeros = new Int32Array(6);
  private blockCap = 0;
  /**
   * Structured-control shortcuts. Each open construct (block, if, loop, inlined call) has a bitset
   * of the variables written inside it; when it ends, its join (a block's or if's end, a loop's
   * header, an inlined call's continuation) remembers the block the construct began in and the
   * bitset. Every path into the join runs inside the construct, so a variable it never wrote has
   * the value it had where the construct began: a read at the join jumps there instead of asking
   * every predecessor and making a parameter to throw away. This is what V8's loop assignment
   * analysis knows, found on the way rather than by a second walk of the code.
   */
  private writtenSets = new Int32Array(256);
  private writtenUsed = 0;
  private constructSet = new Int32Array(16);
  private constructWords = new Int32Array(16);
  private constructDepth = 0;
  private shortcutEntry = new Int32Array(64);
  private shortcutSet = new Int32Array(64);
  private shortcutWords = new Int32Array(64);

  reset(fn: IrFunction): void {
    this.fn = fn;
    this.varCount = 0;
    this.defs.clear();
    this.preds.reset();
    this.predInst.reset();
    this.predTarget.reset();
    this.incomplete.reset();
    this.zeros.fill(NONE);
    this.blockCap = 0;
    this.writtenUsed = 0;
    this.constructDepth = 0;
    this.taskTop = 0;
    this.gatheredTop = 0;
    this.aliased = false;
  }

  declareVar(kind: ValueKindType): number {
    const v = this.varCount++;
    this.varKinds = growUint8(this.varKinds, v + 1);
    this.varKinds[v] = kind;
    this.lastDef = growInt32(this.lastDef, v + 1);
    this.lastDefBlock = growInt32(this.lastDefBlock, v + 1);
    this.lastDefBlock[v] = NONE;
    return v;
  }

  varKind(variable: number): ValueKindType {
    return this.varKinds[variable]! as ValueKindType;
  }

  /** Registers a new block (call after `fn.newBlock()`), unsealed and without predecessors. */
  addBlock(block: number): void {
    if (block >= this.blockCap) {
      const n = block + 1;
      this.sealed = growUint8(this.sealed, n);
      this.predStart = growInt32(this.predStart, n);
      this.predCount = growInt32(this.predCount, n);
      this.incompleteStart = growInt32(this.incompleteStart, n);
      this.incompleteCount = growInt32(this.incompleteCount, n);
      this.shortcutEntry = growInt32(this.shortcutEntry, n);
      this.shortcutSet = growInt32(this.shortcutSet, n);
      this.shortcutWords = growInt32(this.shortcutWords, n);
      this.blockCap = n;
    }
    this.sealed[block] = 0;
    this.predStart[block] = 0;
    this.predCount[block] = 0;
    this.incompleteStart[block] = 0;
    this.incompleteCount[block] = 0;
    this.shortcutEntry[block] = NONE;
  }

  isSealed(block: number): boolean {
    return this.sealed[block] === 1;
  }

  predecessorCount(block: number): number {
    return this.predCount[block]!;
  }

  /** Records that target `target` of terminator `inst` (in its block) branches to `block`. */
  addPredecessor(block: number, inst: number, target: number): void {
    if (this.sealed[block] === 1) throw new Error(`SSA builder: block${block} is sealed; it cannot gain predecessors`);
    if (this.fn.instBlock(inst) < 0) throw new Error('SSA builder: a predecessor edge must come from a placed branch');
    const count = this.predCount[block]!;
    const start = this.predStart[block]!;
    this.predStart[block] = this.preds.append(start, count, this.fn.instBlock(inst));
    this.predInst.append(start, count, inst);
    this.predTarget.append(start, count, target);
    // The three pools move lists in step: they always hold the same layout.
    this.predCount[block] = count + 1;
  }

  /** The translator's write of `variable` (a `local.set`, a parameter), in `block`. */
  writeVariable(variable: number, block: number, value: number): void {
    const depth = this.constructDepth;
    if (depth > 0 && variable < this.constructWords[depth - 1]! * 32) {
      this.writtenSets[this.constructSet[depth - 1]! + (variable >>> 5)]! |= 1 << (variable & 31);
    }
    this.setDef(variable, block, value);
  }

  private setDef(variable: number, block: number, value: number): void {
    this.defs.set(variable, block, value);
    this.lastDef[variable] = value;
    this.lastDefBlock[variable] = block;
  }

  /** A construct begins: writes from now until `endConstruct` are its own. */
  beginConstruct(): void {
    const words = (this.varCount + 31) >>> 5;
    const at = this.writtenUsed;
    this.writtenSets = growInt32(this.writtenSets, at + words);
    this.writtenSets.fill(0, at, at + words);
    this.writtenUsed = at + words;
    const d = this.constructDepth++;
    this.constructSet = growInt32(this.constructSet, d + 1);
    this.constructWords = growInt32(this.constructWords, d + 1);
    this.constructSet[d] = at;
    this.constructWords[d] = words;
  }

  /**
   * The innermost construct ends. Its writes count as the enclosing one's; `join` (or NONE), all
   * of whose predecessors lie inside the construct, gets the shortcut to `entry`, the block the
   * construct began in. Call before sealing `join`.
   */
  endConstruct(join: number, entry: number): void {
    const d = --this.constructDepth;
    const at = this.constructSet[d]!;
    const words = this.constructWords[d]!;
    if (d > 0) {
      const parent = this.constructSet[d - 1]!;
      const shared = Math.min(words, this.constructWords[d - 1]!);
      for (let w = 0; w < shared; w++) this.writtenSets[parent + w]! |= this.writtenSets[at + w]!;
    }
    if (join !== NONE) {
      this.shortcutEntry[join] = entry;
      this.shortcutSet[join] = at;
      this.shortcutWords[join] = words;
    }
  }

  /** True when `block` is a join whose construct did not write `variable` (variables declared after it began count as written). */
  private skips(block: number, variable: number): boolean {
    if (this.shortcutEntry[block] === NONE || variable >= this.shortcutWords[block]! * 32) return false;
    return (this.writtenSets[this.shortcutSet[block]! + (variable >>> 5)]! & (1 << (variable & 31))) === 0;
  }

  private definition(variable: number, block: number): number {
    return this.lastDefBlock[variable] === block ? this.lastDef[variable]! : this.defs.get(variable, block, NONE);
  }

  /**
   * Marks `block` as having all its predecessors and completes the parameters created while it
   * was not: each gets its argument from every predecessor.
   */
  seal(block: number): void {
    if (this.sealed[block] === 1) return;
    this.sealed[block] = 1;
    const start = this.incompleteStart[block]!;
    const count = this.incompleteCount[block]!;
    for (let k = 0; k < count; k++) {
      const variable = this.incomplete.data[start + 2 * k]!;
      const param = this.incomplete.data[start + 2 * k + 1]!;
      this.fillArguments(variable, block, param);
    }
    this.incompleteCount[block] = 0;
  }

  readVariable(variable: number, block: number): number {
    const found = this.definition(variable, block);
    if (found !== NONE) return found;
    const value = this.lookUp(variable, block);
    this.drainTasks();
    return value;
  }

  /**
   * The value of `variable` at the start of `block`'s code, without recursion: follows single
   * predecessors down to a definition, an unsealed block or a join (where it creates a parameter,
   * scheduling its arguments as a task), then records the answer in every block on the way.
   */
  private lookUp(variable: number, block: number): number {
    const fn = this.fn;
    let depth = 0;
    let b = block;
    let value: number;
    for (;;) {
      const found = this.definition(variable, b);
      if (found !== NONE) {
        value = found;
        break;
      }
      if (this.sealed[b] === 0) {
        value = fn.addBlockParam(b, this.varKinds[variable]! as ValueKindType);
        const start = this.incompleteStart[b]!;
        const count = this.incompleteCount[b]!;
        let at = this.incomplete.append(start, 2 * count, variable);
        at = this.incomplete.append(at, 2 * count + 1, value);
        this.incompleteStart[b] = at;
        this.incompleteCount[b] = count + 1;
        break;
      }
      if (this.skips(b, variable)) {
        this.chain = growInt32(this.chain, depth + 1);
        this.chain[depth++] = b;
        b = this.shortcutEntry[b]!;
        continue;
      }
      const preds = this.predCount[b]!;
      if (preds === 0) {
        // The entry block (a local's initial value is zero) or a block nothing reaches.
        value = this.zero(this.varKinds[variable]! as ValueKindType);
        break;
      }
      if (preds === 1) {
        this.chain = growInt32(this.chain, depth + 1);
        this.chain[depth++] = b;
        b = this.preds.data[this.predStart[b]!]!;
        continue;
      }
      value = fn.addBlockParam(b, this.varKinds[variable]! as ValueKindType);
      this.setDef(variable, b, value);
      this.pushTask(variable, b, value);
      break;
    }
    this.setDef(variable, b, value);
    for (let k = 0; k < depth; k++) this.setDef(variable, this.chain[k]!, value);
    return value;
  }

  private taskTop = 0;
  /** The predecessors' values gathered by the open tasks, each task's above the previous one's. */
  private gathered = new Int32Array(64);
  private gatheredTop = 0;

  private pushTask(variable: number, block: number, param: number): void {
    this.tasks = growInt32(this.tasks, this.taskTop + TASK_SIZE);
    this.tasks[this.taskTop] = variable;
    this.tasks[this.taskTop + 1] = block;
    this.tasks[this.taskTop + 2] = param;
    this.tasks[this.taskTop + 3] = 0;
    this.tasks[this.taskTop + 4] = this.gatheredTop;
    this.taskTop += TASK_SIZE;
    this.gathered = growInt32(this.gathered, this.gatheredTop + this.predCount[block]!);
    this.gatheredTop += this.predCount[block]!;
  }

  /**
   * Gathers each predecessor's value of the variable for the parameters scheduled by `lookUp`,
   * then decides as Cranelift's frontend does: when every predecessor has the same value (or the
   * parameter itself, around a loop) the parameter is removed again and becomes an alias of that
   * value; otherwise each predecessor's branch passes its value. Most parameters Braun et al.'s
   * construction creates are such trivial ones; dropping them here, before any branch argument
   * exists, spares the pipeline's redundant-params pass nearly all its work.
   */
  private drainTasks(): void {
    while (this.taskTop > 0) {
      const t = this.taskTop - TASK_SIZE;
      const variable = this.tasks[t]!;
      const block = this.tasks[t + 1]!;
      const next = this.tasks[t + 3]!;
      if (next < this.predCount[block]!) {
        this.tasks[t + 3] = next + 1;
        const pred = this.preds.data[this.predStart[block]! + next]!;
        // lookUp may push tasks (and grow `gathered`): index it afterwards.
        const value = this.lookUp(variable, pred);
        this.gathered[this.tasks[t + 4]! + next] = value;
        continue;
      }
      this.taskTop = t;
      const param = this.tasks[t + 2]!;
      const from = this.tasks[t + 4]!;
      this.gatheredTop = from;
      this.finish(variable, block, param, from);
    }
  }

  /** The values for `param` are at `gathered[from..]`, one per predecessor of `block`. */
  private finish(variable: number, block: number, param: number, from: number): void {
    const fn = this.fn;
    const count = this.predCount[block]!;
    let same = NONE;
    for (let k = 0; k < count; k++) {
      const v = fn.resolve(this.gathered[from + k]!);
      if (v === param || v === same) continue;
      if (same !== NONE) {
        same = NONE - 1;
        break;
      }
      same = v;
    }
    if (same >= 0) {
      this.removeTrivial(variable, block, param, same);
      return;
    }
    for (let k = 0; k < count; k++) {
      const edge = this.predStart[block]! + k;
      fn.appendTargetArg(this.predInst.data[edge]!, this.predTarget.data[edge]!, this.gathered[from + k]!);
    }
  }

  /**
   * Removes `param` of `block`, which stands for `value`. Parameters of a block are completed in
   * creation order and their arguments appended in that order, so no argument for this one or any
   * later one exists yet.
   */
  private removeTrivial(variable: number, block: number, param: number, value: number): void {
    const fn = this.fn;
    fn.removeBlockParam(block, fn.paramIndex(param));
    fn.replaceUses(param, value);
    this.setDef(variable, block, value);
    this.aliased = true;
  }

  /** Whether a removed parameter may still be read somewhere: `finishFunction` then rewrites the reads. */
  private aliased = false;

  /** Call when the function is translated: reads of removed parameters are rewritten. */
  finishFunction(): void {
    if (this.aliased) this.fn.applyAliases();
    this.aliased = false;
  }

  /** Completes an incomplete parameter at `seal` time. */
  private fillArguments(variable: number, block: number, param: number): void {
    if (this.skips(block, variable)) {
      // A loop header the loop never writes the variable in: the value from before the loop.
      const value = this.lookUp(variable, this.shortcutEntry[block]!);
      this.drainTasks();
      this.removeTrivial(variable, block, param, this.fn.resolve(value));
      return;
    }
    this.pushTask(variable, block, param);
    this.drainTasks();
  }

  /** The zero of `kind`, defined once at the top of the entry block. */
  zeroOf(kind: ValueKindType): number {
    return this.zero(kind);
  }

  private zero(kind: ValueKindType): number {
    const cached = this.zeros[kind]!;
    if (cached !== NONE) return cached;
    const fn = this.fn;
    const float = kind === ValueKind.F32 || kind === ValueKind.F64;
    const inst = fn.createInst(float ? IrOp.Fconst : IrOp.Iconst, 0, kind, 0, 0, 0, null, 0, 0);
    const value = fn.addResult(inst, kind);
    fn.prepend(0, inst);
    this.zeros[kind] = value;
    return value;
  }
}
