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
// Parameters that turn out redundant (every predecessor passes the same value, or the parameter
// itself) are not removed here: `eliminateRedundantBlockParams` does it for the whole function.
// Reads walk predecessors with an explicit work stack, so long chains of joins cannot exhaust the
// JS stack. Parameter order and argument order agree because each new parameter's arguments are
// appended to every predecessor before any other parameter of that block is created.

import { IrOp, ValueKind, type ValueKind as ValueKindType } from '@flint/backend';
import { NONE, type IrFunction } from '../ir/function.ts';
import { IntPool, growInt32, growUint8 } from '../ir/pool.ts';

/** Map key of a (variable, block) definition; blocks stay below 2^26, so keys stay exact doubles. */
const defKey = (variable: number, block: number): number => variable * 0x400_0000 + block;

export class SsaBuilder {
  fn!: IrFunction;
  private varKinds = new Uint8Array(64);
  varCount = 0;
  /** (block, variable) → value. */
  private readonly defs = new Map<number, number>();
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
  }

  declareVar(kind: ValueKindType): number {
    const v = this.varCount++;
    this.varKinds = growUint8(this.varKinds, v + 1);
    this.varKinds[v] = kind;
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
      this.blockCap = n;
    }
    this.sealed[block] = 0;
    this.predStart[block] = 0;
    this.predCount[block] = 0;
    this.incompleteStart[block] = 0;
    this.incompleteCount[block] = 0;
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

  writeVariable(variable: number, block: number, value: number): void {
    this.defs.set(defKey(variable, block), value);
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
    const found = this.defs.get(defKey(variable, block));
    if (found !== undefined) return found;
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
      const found = this.defs.get(defKey(variable, b));
      if (found !== undefined) {
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
      this.writeVariable(variable, b, value);
      this.pushTask(variable, b, value);
      break;
    }
    this.writeVariable(variable, b, value);
    for (let k = 0; k < depth; k++) this.writeVariable(variable, this.chain[k]!, value);
    return value;
  }

  private taskTop = 0;

  private pushTask(variable: number, block: number, param: number): void {
    this.tasks = growInt32(this.tasks, this.taskTop + 4);
    this.tasks[this.taskTop] = variable;
    this.tasks[this.taskTop + 1] = block;
    this.tasks[this.taskTop + 2] = param;
    this.tasks[this.taskTop + 3] = 0;
    this.taskTop += 4;
  }

  /** Passes each predecessor's value of the variable to the parameters scheduled by `lookUp`. */
  private drainTasks(): void {
    while (this.taskTop > 0) {
      const t = this.taskTop - 4;
      const variable = this.tasks[t]!;
      const block = this.tasks[t + 1]!;
      const next = this.tasks[t + 3]!;
      if (next === this.predCount[block]) {
        this.taskTop = t;
        continue;
      }
      this.tasks[t + 3] = next + 1;
      const edge = this.predStart[block]! + next;
      const pred = this.preds.data[edge]!;
      const value = this.lookUp(variable, pred);
      this.fn.appendTargetArg(this.predInst.data[edge]!, this.predTarget.data[edge]!, value);
    }
  }

  /** Completes an incomplete parameter at `seal` time. */
  private fillArguments(variable: number, block: number, param: number): void {
    this.pushTask(variable, block, param);
    this.drainTasks();
  }

  /** The zero of `kind`, defined once at the top of the entry block. */
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
