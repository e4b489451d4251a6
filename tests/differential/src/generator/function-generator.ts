// Generates one valid function body, type-directed: `expression(t)` emits code that pushes one
// value of type t, `statement()` emits code with no net stack effect. Validity holds by
// construction (the differential test still validates every module with both validators).
//
// Termination: every function entry and every loop iteration first checks and decrements the
// module's fuel global, so recursion (direct, or through the table) and loops stop once it runs
// out; functions then return zeros. The stack-exhaustion family is generated separately
// (`module-generator.ts`) without fuel.
//
// NaN determinism: the spec lets arithmetic return any NaN payload, so the result of every such
// operator is canonicalised in the module (`x != x ? canonical NaN : x`); everything else that
// moves floats (constants with payloads, abs/neg/copysign, locals, loads/stores, reinterpret)
// must preserve bits exactly, and the runner compares memory bytes exactly.
// Spec (validation of instructions): https://webassembly.github.io/spec/core/valid/instructions.html
import type { OperatorInfo } from '@flint/decoder';
import { Imm, OPERATORS, ValType } from '@flint/decoder';
import type { BlockTypeArg } from '@flint/decoder/testing';
import { op } from '@flint/decoder/testing';
import type { Prng } from '../prng.ts';
import { F32_EDGE_BITS, F64_EDGE_BITS, I32_EDGES, I64_EDGES } from '../values.ts';
import { canonicalNaN, f32ConstBits, f64ConstBits, i32Const, i64Const, zeroConst } from './encoding.ts';
import type { FunctionSignature, ModuleContext } from './module-context.ts';
import type { NumericOperator } from './operator-pool.ts';
import { NUMERIC_OPERATORS_BY_RESULT } from './operator-pool.ts';

export const NUMERIC_TYPES: readonly ValType[] = [ValType.I32, ValType.I64, ValType.F32, ValType.F64];

const TYPE_OF_CODE: Readonly<Record<string, ValType>> = { i: ValType.I32, l: ValType.I64, f: ValType.F32, d: ValType.F64 };

interface MemoryOperator {
  readonly info: OperatorInfo;
  /** The loaded or stored value's type. */
  readonly type: ValType;
}

const memoryOperators = (store: boolean): MemoryOperator[] =>
  OPERATORS.filter((o) => o.immediate === Imm.MemArg && o.feature === 'mvp' && o.signature !== null && o.signature.endsWith(':') === store).map(
    (info) => ({ info, type: TYPE_OF_CODE[store ? info.signature![1]! : info.signature!.slice(2)]! }),
  );

const LOADS: readonly MemoryOperator[] = memoryOperators(false);
const STORES: readonly MemoryOperator[] = memoryOperators(true);

/** Size limits: they keep modules small enough that hundreds of seeds run in a normal test run. */
const MAX_BLOCK_DEPTH = 3;
const FUNCTION_BUDGET = 160;

/** Offsets of memargs: mostly zero or small; rarely pushing an access over the end of memory. */
const SMALL_OFFSETS: readonly number[] = [0, 0, 0, 0, 0, 1, 2, 3, 4, 7, 8, 16, 64, 1000];
const TRAPPING_OFFSETS: readonly number[] = [65532, 65536, 0x7fffffff, 0xfffffff0];

export class FunctionGenerator {
  private readonly out: number[] = [];
  private readonly locals: ValType[];
  private readonly declaredLocals: ValType[] = [];
  /** Branch types of the enclosing labels, innermost last (label 0 is the function body). */
  private readonly labels: (readonly ValType[])[] = [];
  private budget = FUNCTION_BUDGET;
  private blockDepth = 0;
  private readonly rng: Prng;
  private readonly scratchF32: number;
  private readonly scratchF64: number;

  constructor(
    private readonly module: ModuleContext,
    private readonly signature: FunctionSignature,
  ) {
    this.rng = module.rng;
    this.locals = [...signature.params];
    const extra = this.rng.range(0, 5);
    for (let i = 0; i < extra; i++) this.addLocal(this.rng.pick(NUMERIC_TYPES));
    // Scratch locals of the NaN canonicalisation, hidden from the rest of the code: they hold
    // the raw (nondeterministic) NaN before it is replaced.
    this.scratchF32 = this.addLocal(ValType.F32);
    this.scratchF64 = this.addLocal(ValType.F64);
  }

  /** The function's declared locals (without its parameters) and its body, `end` included. */
  generate(): { locals: ValType[]; body: number[] } {
    this.labels.push(this.signature.results);
    this.fuelCheck(() => {
      for (const t of this.signature.results) this.emit(zeroConst(t));
      this.emit(op('return'));
    });
    const count = this.rng.range(1, 6);
    for (let i = 0; i < count; i++) this.statement();
    for (const t of this.signature.results) this.expression(t, 0);
    this.emit(op('end'));
    this.labels.pop();
    return { locals: this.declaredLocals, body: this.out };
  }

  private addLocal(type: ValType): number {
    this.declaredLocals.push(type);
    this.locals.push(type);
    return this.locals.length - 1;
  }

  private emit(bytes: readonly number[]): void {
    for (const b of bytes) this.out.push(b);
    this.budget--;
  }

  /** `if (fuel == 0) { onEmpty } fuel -= 1` */
  private fuelCheck(onEmpty: () => void): void {
    const fuel = this.module.fuelGlobal;
    this.emit([...op('global.get', fuel), ...op('i32.eqz'), ...op('if')]);
    onEmpty();
    this.emit([...op('end'), ...op('global.get', fuel), ...i32Const(1), ...op('i32.sub'), ...op('global.set', fuel)]);
  }

  private localsOf(type: ValType): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.locals.length; i++) {
      if (this.locals[i] === type && i !== this.scratchF32 && i !== this.scratchF64) out.push(i);
    }
    return out;
  }

  private globalsOf(type: ValType, mutable: boolean): number[] {
    const out: number[] = [];
    this.module.globals.forEach((g, i) => {
      if (g.type === type && (!mutable || g.mutable) && i !== this.module.fuelGlobal) out.push(i);
    });
    return out;
  }

  // ---- Expressions: push exactly one value of `type`. ----

  expression(type: ValType, depth: number): void {
    const id = this.module.ids.expressions++;
    const start = this.out.length;
    this.anyExpression(type, depth);
    if (this.module.mask.zeroedExpressions.has(id)) {
      this.out.length = start;
      for (const b of zeroConst(type)) this.out.push(b);
    }
  }

  private anyExpression(type: ValType, depth: number): void {
    if (depth >= this.module.maxExpressionDepth || this.budget <= 0) {
      this.leaf(type);
      return;
    }
    const rng = this.rng;
    const isI32 = type === ValType.I32;
    const choice = rng.weighted([
      3, // leaf
      6, // numeric operator
      1.5, // load
      0.7, // call
      0.5, // call_indirect
      this.blockDepth < MAX_BLOCK_DEPTH ? 0.6 : 0, // block
      this.blockDepth < MAX_BLOCK_DEPTH ? 0.6 : 0, // if
      0.6, // select
      0.6, // local.tee
      isI32 ? 0.4 : 0, // memory.size / memory.grow
    ]);
    switch (choice) {
      case 0:
        return this.leaf(type);
      case 1:
        return this.numeric(type, depth);
      case 2:
        return this.load(type, depth);
      case 3:
        return this.call([type], depth);
      case 4:
        return this.callIndirect([type], depth);
      case 5:
        return this.block([], [type], depth);
      case 6:
        return this.ifElse([], [type], depth);
      case 7:
        this.expression(type, depth + 1);
        this.expression(type, depth + 1);
        this.expression(ValType.I32, depth + 1);
        // The typed form (reference-types) takes the same operands.
        this.emit(rng.chance(0.7) ? op('select') : op('select', [type]));
        return;
      case 8: {
        const local = rng.pick(this.localsOf(type).length > 0 ? this.localsOf(type) : [this.addLocal(type)]);
        this.expression(type, depth + 1);
        this.emit(op('local.tee', local));
        return;
      }
      default:
        if (rng.chance(0.5)) this.emit(op('memory.size'));
        else {
          this.growDelta(depth);
          this.emit(op('memory.grow'));
        }
    }
  }

  private leaf(type: ValType): void {
    const rng = this.rng;
    const locals = this.localsOf(type);
    const globals = this.globalsOf(type, false);
    const choice = rng.weighted([3, locals.length > 0 ? 3 : 0, globals.length > 0 ? 1 : 0]);
    if (choice === 1) this.emit(op('local.get', rng.pick(locals)));
    else if (choice === 2) this.emit(op('global.get', rng.pick(globals)));
    else this.constant(type);
  }

  private constant(type: ValType): void {
    const rng = this.rng;
    const edge = rng.chance(0.7);
    switch (type) {
      case ValType.I32:
        return this.emit(i32Const(edge ? rng.pick(I32_EDGES) : rng.nextU32() | 0));
      case ValType.I64:
        return this.emit(i64Const(edge ? rng.pick(I64_EDGES) : rng.nextU64()));
      case ValType.F32:
        return this.emit(f32ConstBits(edge ? rng.pick(F32_EDGE_BITS) : rng.nextU32()));
      default:
        return this.emit(f64ConstBits(edge ? rng.pick(F64_EDGE_BITS) : rng.nextU64()));
    }
  }

  private numeric(type: ValType, depth: number): void {
    const pool = NUMERIC_OPERATORS_BY_RESULT.get(type)!;
    // Trapping operators are drawn less often: a call that traps early covers little else.
    let chosen: NumericOperator = this.rng.pick(pool);
    while (chosen.traps && !this.rng.chance(this.module.trapRate)) chosen = this.rng.pick(pool);
    if (/\.(div|rem)_s$/.test(chosen.info.name) && this.rng.chance(0.2)) {
      // The one overflowing signed division (a trap for div_s, 0 for rem_s): random operands
      // almost never meet it.
      if (type === ValType.I32) this.emit([...i32Const(-0x80000000), ...i32Const(-1)]);
      else this.emit([...i64Const(-0x8000000000000000n), ...i64Const(-1n)]);
    } else {
      for (const p of chosen.params) this.expression(p, depth + 1);
    }
    this.emit(op(chosen.info.name));
    if (chosen.nondeterministicNaN) this.canonicaliseNaN(type);
  }

  /** `x` → `x == x ? x : canonical NaN`, through the type's scratch local. */
  private canonicaliseNaN(type: ValType): void {
    const scratch = type === ValType.F32 ? this.scratchF32 : this.scratchF64;
    const eq = type === ValType.F32 ? 'f32.eq' : 'f64.eq';
    this.emit([...op('local.tee', scratch), ...canonicalNaN(type), ...op('local.get', scratch), ...op('local.get', scratch), ...op(eq), ...op('select')]);
  }

  /** An i32 address: in bounds, near the end of memory, far out, or computed. */
  private address(depth: number): void {
    const rng = this.rng;
    // Weights: a call usually makes many accesses, so each one traps rarely (about 3%), or
    // almost every call would end at its first access.
    const trapRate = this.module.trapRate;
    switch (rng.weighted([60, 6, 1.5 * trapRate, 12])) {
      case 0:
        return this.emit(i32Const(rng.below(rng.chance(0.5) ? 64 : 4096)));
      case 1:
        // memory.size * 64 KiB - k: the last bytes, or just past them for wide accesses.
        return this.emit([...op('memory.size'), ...i32Const(16), ...op('i32.shl'), ...i32Const(rng.chance(1 - 0.2 * trapRate) ? rng.range(16, 64) : rng.range(1, 8)), ...op('i32.sub')]);
      case 2:
        return this.emit(i32Const(rng.pick([-1, -4, -8, 0x80000000, 0x10000 * 9, 0x7ffffff8])));
      default:
        this.expression(ValType.I32, depth + 1);
        this.emit([...i32Const(rng.chance(1 - 0.05 * trapRate) ? 0xfff : 0x1ffff), ...op('i32.and')]);
    }
  }

  private memarg(info: OperatorInfo): { align: number; offset: number } {
    const natural = Math.log2(info.memSize);
    const offset = this.rng.chance(0.015 * this.module.trapRate) ? this.rng.pick(TRAPPING_OFFSETS) : this.rng.pick(SMALL_OFFSETS);
    return { align: this.rng.chance(0.8) ? natural : this.rng.range(0, natural), offset };
  }

  private load(type: ValType, depth: number): void {
    const candidates = LOADS.filter((l) => l.type === type);
    const chosen = this.rng.pick(candidates);
    this.address(depth);
    this.emit(op(chosen.info.name, this.memarg(chosen.info)));
  }

  private growDelta(depth: number): void {
    const rng = this.rng;
    if (rng.chance(0.85)) this.emit(i32Const(rng.pick([0, 0, 1, 1, 2])));
    else if (rng.chance(0.5)) this.emit(i32Const(rng.pick([-1, 0x10000, 0x7fffffff])));
    else {
      this.expression(ValType.I32, depth + 1);
      this.emit([...i32Const(3), ...op('i32.and')]);
    }
  }

  private arguments(params: readonly ValType[], depth: number): void {
    for (const p of params) this.expression(p, depth + 1);
  }

  private call(results: readonly ValType[], depth: number, name: 'call' | 'return_call' = 'call'): void {
    const candidates = this.module.callable.filter((f) => sameTypes(this.module.functions[f]!.results, results));
    if (candidates.length === 0) return this.leafOrValues(results);
    const callee = this.rng.pick(candidates);
    this.arguments(this.module.functions[callee]!.params, depth);
    this.emit(op(name, callee));
  }

  /**
   * Through the table with the type of a random callable function with these results: the slot
   * may hold that type, another one (a signature-mismatch trap), nothing, or be out of bounds.
   */
  private callIndirect(results: readonly ValType[], depth: number, name: 'call_indirect' | 'return_call_indirect' = 'call_indirect'): void {
    const rng = this.rng;
    const functions = this.module.functions;
    const candidates = this.module.callable.filter((f) => sameTypes(functions[f]!.results, results));
    if (candidates.length === 0) return this.leafOrValues(results);
    // Mostly a slot that holds a function of the called type, so that the call goes through.
    const slots = this.module.tableSlots;
    const matching: number[] = [];
    for (let slot = 0; slot < slots.length; slot++) {
      const f = slots[slot];
      if (f !== null && f !== undefined && sameTypes(functions[f]!.results, results)) matching.push(slot);
    }
    const useMatching = matching.length > 0 && rng.chance(1 - 0.25 * this.module.trapRate);
    const slot = useMatching ? rng.pick(matching) : -1;
    const signature = useMatching ? functions[slots[slot]!]! : functions[rng.pick(candidates)]!;
    this.arguments(signature.params, depth);
    if (useMatching) this.emit(i32Const(slot));
    else if (rng.chance(0.85)) this.emit(i32Const(rng.below(this.module.tableSize)));
    else if (rng.chance(0.5)) this.emit(i32Const(rng.pick([this.module.tableSize, this.module.tableSize + 1, -1, 0x7fffffff])));
    else {
      this.expression(ValType.I32, depth + 1);
      this.emit([...i32Const(7), ...op('i32.and')]);
    }
    this.emit(op(name, this.module.typeIndexOf(signature), 0));
  }

  private leafOrValues(types: readonly ValType[]): void {
    for (const t of types) this.leaf(t);
  }

  private blockType(params: readonly ValType[], results: readonly ValType[]): BlockTypeArg {
    if (params.length === 0 && results.length === 0) return undefined;
    if (params.length === 0 && results.length === 1) return results[0]!;
    return { typeIndex: this.module.typeIndexOf({ params, results }) };
  }

  /** Consumes the block's parameters (on the stack at its start) into locals or drops them. */
  private consume(types: readonly ValType[]): void {
    for (let i = types.length - 1; i >= 0; i--) {
      const locals = this.localsOf(types[i]!);
      if (locals.length > 0 && this.rng.chance(0.7)) this.emit(op('local.set', this.rng.pick(locals)));
      else this.emit(op('drop'));
    }
  }

  /** A block body: consume parameters, statements, then the results. */
  private body(params: readonly ValType[], results: readonly ValType[], depth: number): void {
    this.consume(params);
    const count = this.budget > 0 ? this.rng.range(0, 3) : 0;
    for (let i = 0; i < count; i++) this.statement();
    for (const t of results) this.expression(t, depth + 1);
  }

  private block(params: readonly ValType[], results: readonly ValType[], depth: number): void {
    this.arguments(params, depth);
    this.emit(op('block', this.blockType(params, results)));
    this.enter(results);
    this.body(params, results, depth);
    this.leave();
    this.emit(op('end'));
  }

  private ifElse(params: readonly ValType[], results: readonly ValType[], depth: number): void {
    this.arguments(params, depth);
    this.expression(ValType.I32, depth + 1);
    this.emit(op('if', this.blockType(params, results)));
    this.enter(results);
    this.body(params, results, depth);
    // Without results (and parameters) the else arm is optional.
    if (params.length > 0 || results.length > 0 || this.rng.chance(0.6)) {
      this.emit(op('else'));
      this.body(params, results, depth);
    }
    this.leave();
    this.emit(op('end'));
  }

  private enter(branchTypes: readonly ValType[]): void {
    this.labels.push(branchTypes);
    this.blockDepth++;
  }

  private leave(): void {
    this.labels.pop();
    this.blockDepth--;
  }

  // ---- Statements: no net stack effect. ----

  statement(): void {
    const id = this.module.ids.statements++;
    const start = this.out.length;
    this.anyStatement();
    if (this.module.mask.droppedStatements.has(id)) this.out.length = start;
  }

  private anyStatement(): void {
    const rng = this.rng;
    if (this.budget <= 0) {
      this.emit(op('nop'));
      return;
    }
    const nested = this.blockDepth < MAX_BLOCK_DEPTH;
    const choice = rng.weighted([
      3, // local.set
      this.globalsOfAnyType().length > 0 ? 1.5 : 0, // global.set
      2.5, // store
      1, // drop
      nested ? 1.2 : 0, // block with any block type
      nested ? 1.2 : 0, // if
      nested ? 1.2 : 0, // loop
      0.8, // br / br_if
      0.4, // br_table
      0.15, // return
      0.8, // call (any results)
      0.6, // memory.fill / memory.copy
      0.2 * this.module.trapRate, // unreachable
      this.module.features.tailCalls ? 0.12 : 0, // return_call / return_call_indirect (tail-call)
    ]);
    switch (choice) {
      case 0: {
        const type = rng.pick(NUMERIC_TYPES);
        const candidates = this.localsOf(type);
        const local = candidates.length > 0 ? rng.pick(candidates) : this.addLocal(type);
        this.expression(type, 0);
        return this.emit(op('local.set', local));
      }
      case 1: {
        const global = rng.pick(this.globalsOfAnyType());
        this.expression(this.module.globals[global]!.type, 0);
        return this.emit(op('global.set', global));
      }
      case 2: {
        const chosen = rng.pick(STORES);
        this.address(0);
        this.expression(chosen.type, 1);
        return this.emit(op(chosen.info.name, this.memarg(chosen.info)));
      }
      case 3:
        this.expression(rng.pick(NUMERIC_TYPES), 0);
        return this.emit(op('drop'));
      case 4:
      case 5: {
        const params = this.randomTypes(2);
        const results = this.randomTypes(3);
        if (choice === 4) this.block(params, results, 0);
        else this.ifElse(params, results, 0);
        return this.consume(results);
      }
      case 6:
        return this.loop();
      case 7:
        return this.branch(rng.chance(0.6));
      case 8:
        return this.branchTable();
      case 9:
        this.arguments(this.signature.results, 0);
        return this.emit(op('return'));
      case 10: {
        const callee = rng.pick(this.module.callable);
        const results = this.module.functions[callee]!.results;
        if (rng.chance(0.7)) this.call(results, 0);
        else this.callIndirect(results, 0);
        return this.consume(results);
      }
      case 11: {
        this.address(1);
        if (rng.chance(0.5)) this.expression(ValType.I32, 1);
        else this.address(1);
        this.emit(i32Const(rng.chance(0.8) ? rng.below(300) : rng.pick([0x10000, 0x7fffffff, -1])));
        return this.emit(rng.chance(0.5) ? op('memory.fill', 0) : op('memory.copy', 0, 0));
      }
      case 12:
        return this.emit(op('unreachable'));
      default:
        // Tail calls leave the function: the callee's results must be this function's.
        if (!this.module.callable.some((f) => sameTypes(this.module.functions[f]!.results, this.signature.results))) {
          this.arguments(this.signature.results, 0);
          return this.emit(op('return'));
        }
        if (rng.chance(0.6)) return this.call(this.signature.results, 0, 'return_call');
        return this.callIndirect(this.signature.results, 0, 'return_call_indirect');
    }
  }

  private globalsOfAnyType(): number[] {
    const out: number[] = [];
    this.module.globals.forEach((g, i) => {
      if (g.mutable && i !== this.module.fuelGlobal) out.push(i);
    });
    return out;
  }

  private randomTypes(max: number): ValType[] {
    const count = this.rng.range(0, max);
    const out: ValType[] = [];
    for (let i = 0; i < count; i++) out.push(this.rng.pick(NUMERIC_TYPES));
    return out;
  }

  /** `block { loop { if (fuel == 0) break; fuel--; body; br_if continue } }` */
  private loop(): void {
    this.emit([...op('block'), ...op('loop')]);
    this.enter([]);
    this.enter([]);
    const fuel = this.module.fuelGlobal;
    this.emit([...op('global.get', fuel), ...op('i32.eqz'), ...op('br_if', 1)]);
    this.emit([...op('global.get', fuel), ...i32Const(1), ...op('i32.sub'), ...op('global.set', fuel)]);
    const count = this.rng.range(1, 3);
    for (let i = 0; i < count; i++) this.statement();
    this.expression(ValType.I32, 1);
    this.emit(op('br_if', 0));
    this.leave();
    this.leave();
    this.emit([...op('end'), ...op('end')]);
  }

  /** `br` or `br_if` to a random enclosing label, with its branch values. */
  private branch(conditional: boolean): void {
    const depth = this.rng.below(this.labels.length);
    const types = this.labels[this.labels.length - 1 - depth]!;
    this.arguments(types, 0);
    if (conditional) {
      this.expression(ValType.I32, 1);
      this.emit(op('br_if', depth));
      this.consume(types);
    } else this.emit(op('br', depth));
  }

  /** `br_table` over labels whose branch types equal the default's. */
  private branchTable(): void {
    const defaultDepth = this.rng.below(this.labels.length);
    const types = this.labels[this.labels.length - 1 - defaultDepth]!;
    const same: number[] = [];
    for (let d = 0; d < this.labels.length; d++) if (sameTypes(this.labels[this.labels.length - 1 - d]!, types)) same.push(d);
    const targets: number[] = [];
    const count = this.rng.range(0, 4);
    for (let i = 0; i < count; i++) targets.push(this.rng.pick(same));
    this.arguments(types, 0);
    this.expression(ValType.I32, 1);
    this.emit([...op('br_table', targets, defaultDepth)]);
  }
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

