// The function-body validator: a visitor of the operator loop that keeps the operand and
// control stacks of the spec's validation algorithm in typed arrays, so validating allocates
// nothing per operator. Operators with a fixed signature in the opcode table are typed
// generically from it; the others have one handler each, kept per family in the sibling files
// (control, calls, variables, memory, tables, references, gc, exceptions).
// Constant expressions are validated by the same class in constant mode.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html
//       https://webassembly.github.io/spec/core/appendix/algorithm.html
import { compileError } from '../errors.ts';
import { ImplementationLimits } from '../limits.ts';
import type { OperatorInfo } from '../opcodes.ts';
import { Imm } from '../opcodes.ts';
import type { Immediates, OperatorVisitor } from '../operators.ts';
import type { LocalDecl, ValType } from '../types.ts';
import { ValType as V, isRefType, refType } from '../types.ts';
import { FrameKind } from './frames.ts';
import { operatorIdsNamed } from './handler-table.ts';
import { HANDLERS } from './handlers.ts';
import { BOTTOM_HEAP, EMPTY_LIST, type ModuleContext, typeListName, typeName } from './module-context.ts';
import { ADDRESS_TYPE, SIGNATURES } from './signatures.ts';

/** Locals the validator will lay out: the decoder's bound on declared locals plus parameters. */
const MAX_LOCALS = ImplementationLimits.maxLocals + ImplementationLimits.maxParams;

const natural = (memSize: number): number => 31 - Math.clz32(memSize);

export class FunctionValidator implements OperatorVisitor {
  // The stacks and locals are not private: the specialised body loop (`body-loop.ts`) works on
  // them directly for the common operators.
  // Operand stack.
  stack = new Int32Array(64);
  sp = 0;
  // Control stack, one array per frame field.
  private ctlKind = new Uint8Array(16);
  ctlHeight = new Int32Array(16);
  ctlUnreachable = new Uint8Array(16);
  private ctlParams = new Int32Array(16);
  private ctlResults = new Int32Array(16);
  private ctlInitTop = new Int32Array(16);
  depth = 0;
  // Locals, and which non-defaultable locals are set: set bits are undone at the end of the
  // block that set them (the spec's local initialization rule).
  localTypes = new Int32Array(16);
  numLocals = 0;
  localInit = new Uint8Array(16);
  private initUndo = new Int32Array(16);
  private initTop = 0;

  /** The operator being validated, its offset and the code span's bytes (for shuffle lanes). */
  op: OperatorInfo | null = null;
  offset = 0;
  code: Uint8Array = new Uint8Array(0);
  funcIndex = -1;
  /** Result list id of the function (or of the constant expression). */
  returnList = EMPTY_LIST;
  finished = false;
  /** Scratch output of block-type resolution (the result list id), so resolving allocates nothing. */
  blockResults = EMPTY_LIST;
  /** Constant-expression mode: only constant operators, `global.get` limited to `constGlobalLimit`. */
  constMode = false;
  constGlobalLimit = 0;
  /** Where we are, for messages: a constant expression's description, or '' inside function `funcIndex` (formatted only on error). */
  private where = '';

  constructor(readonly ctx: ModuleContext) {}

  /** Starts a function body. Throws on invalid locals. */
  beginFunction(funcIndex: number, locals: readonly LocalDecl[], code: Uint8Array, offset: number): void {
    const ctx = this.ctx;
    const typeIndex = ctx.functions[funcIndex]!;
    this.reset('', code, offset);
    this.funcIndex = funcIndex;
    const params = ctx.lists[ctx.paramsList[typeIndex]!]!;
    let total = params.length;
    for (const decl of locals) {
      total += decl.count;
      if (total > MAX_LOCALS) this.fail('too many locals', `more than ${MAX_LOCALS} locals`);
    }
    if (this.localTypes.length < total) {
      this.localTypes = new Int32Array(total);
      this.localInit = new Uint8Array(total);
      this.initUndo = new Int32Array(total);
    }
    let n = 0;
    for (let i = 0; i < params.length; i++) {
      this.localTypes[n] = params[i]!;
      this.localInit[n++] = 1;
    }
    for (const decl of locals) {
      if (!ctx.isKnownType(decl.type)) this.fail('unknown type', `local of type ${typeName(decl.type)}`);
      const init = ctx.isDefaultable(decl.type) ? 1 : 0;
      for (let i = 0; i < decl.count; i++) {
        this.localTypes[n] = decl.type;
        this.localInit[n++] = init;
      }
    }
    this.numLocals = n;
    this.returnList = ctx.resultsList[typeIndex]!;
    this.pushFrame(FrameKind.Function, EMPTY_LIST, this.returnList);
  }

  /** Starts a constant expression of type `type`; `globalLimit` globals are visible to `global.get`. */
  beginConstExpr(type: ValType, description: string, globalLimit: number, code: Uint8Array, offset: number): void {
    this.reset(description, code, offset);
    this.constMode = true;
    this.constGlobalLimit = globalLimit;
    this.numLocals = 0;
    this.returnList = this.ctx.valueList(type);
    this.pushFrame(FrameKind.Function, EMPTY_LIST, this.returnList);
  }

  /** Checks that the span ended with the final `end`; `endOffset` is the offset just past it. */
  finish(endOffset: number): void {
    if (!this.finished) {
      this.offset = endOffset;
      this.op = null;
      this.fail('unexpected end', `${this.depth} block(s) not closed by 'end'`);
    }
  }

  private reset(where: string, code: Uint8Array, offset: number): void {
    this.where = where;
    this.code = code;
    this.offset = offset;
    this.op = null;
    this.sp = 0;
    this.depth = 0;
    this.initTop = 0;
    this.finished = false;
    this.constMode = false;
    this.funcIndex = -1;
  }

  visit(op: OperatorInfo, imm: Immediates, offset: number): void {
    this.op = op;
    this.offset = offset;
    if (this.finished) this.fail('operators after the final end', op.name);
    this.ctx.seenOperators[op.id] = 1;
    if (this.constMode) {
      if (!CONSTANT_OPERATORS.has(op.id)) this.fail('constant expression required', `${op.name} is not a constant instruction`);
      if (op.immediate === Imm.None && op.signature !== null) this.ctx.usesExtendedConst = true;
    }
    const handler = HANDLERS[op.id];
    if (handler !== undefined) handler(this, imm, op);
    else if (SIGNATURES.paramStart[op.id]! >= 0) this.visitFixed(op, imm);
    else this.fail('unknown operator', `${op.name} has no validation rule`);
  }

  /** Operators typed by their table signature, after checking their memory and lane immediates. */
  private visitFixed(op: OperatorInfo, imm: Immediates): void {
    let address: ValType = V.I32;
    if (op.immediate === Imm.MemArg || op.immediate === Imm.MemArgLane) address = this.checkMemArg(op, imm);
    if (op.immediate === Imm.MemArgLane || op.immediate === Imm.Lane) {
      const lanes = SIGNATURES.laneCount[op.id]!;
      if (imm.lane >= lanes) this.fail('invalid lane index', `${op.name} lane ${imm.lane} is not below ${lanes}`);
    } else if (op.immediate === Imm.Shuffle) {
      for (let i = 0; i < 16; i++) {
        const lane = this.code[imm.bytesAt + i]!;
        if (lane >= 32) this.fail('invalid lane index', `${op.name} lane ${lane} is not below 32`);
      }
    }
    const types = SIGNATURES.types;
    const pStart = SIGNATURES.paramStart[op.id]!;
    const pCount = SIGNATURES.paramCount[op.id]!;
    const base = this.ctlHeight[this.depth - 1]!;
    const unreachable = this.ctlUnreachable[this.depth - 1] === 1;
    const available = this.sp - base;
    for (let i = 0; i < pCount; i++) {
      let want = types[pStart + pCount - 1 - i]!;
      if (want === ADDRESS_TYPE) want = address;
      if (i >= available) {
        if (unreachable) continue;
        this.failFixedSignature(op, address);
      }
      const actual = this.stack[this.sp - 1 - i]!;
      if (actual !== want && actual !== V.Bottom) this.failFixedSignature(op, address);
    }
    this.sp -= pCount < available ? pCount : available;
    const rStart = SIGNATURES.resultStart[op.id]!;
    const rCount = SIGNATURES.resultCount[op.id]!;
    for (let i = 0; i < rCount; i++) {
      const t = types[rStart + i]!;
      this.push(t === ADDRESS_TYPE ? address : t);
    }
  }

  private failFixedSignature(op: OperatorInfo, address: ValType): never {
    const types = SIGNATURES.types;
    const start = SIGNATURES.paramStart[op.id]!;
    const expected = Array.from(types.subarray(start, start + SIGNATURES.paramCount[op.id]!), (t) => (t === ADDRESS_TYPE ? address : t));
    return this.failStack(typeListName(expected), expected.length);
  }

  /** Checks a memarg (memory index, alignment, offset range); returns the memory's address type. */
  checkMemArg(op: OperatorInfo, imm: Immediates): ValType {
    const address = this.memoryAddress(imm.memIndex);
    const max = natural(op.memSize);
    if (op.prefix === 0xfe) {
      if (imm.memAlign !== max) this.fail('alignment must be equal to natural', `${op.name} has alignment 2^${imm.memAlign}, natural is 2^${max}`);
    } else if (imm.memAlign > max) {
      this.fail('alignment must not be larger than natural', `${op.name} has alignment 2^${imm.memAlign}, natural is 2^${max}`);
    }
    if (address === V.I32 && (imm.memOffsetBig !== null ? imm.memOffsetBig > 0xffff_ffffn : imm.memOffset > 0xffff_ffff)) {
      this.fail('offset out of range', `${op.name} offset exceeds 2^32-1 on a 32-bit memory`);
    }
    return address;
  }

  /** The address type of memory `index`, failing with "unknown memory". */
  memoryAddress(index: number): ValType {
    const memory = this.ctx.module.memories[index];
    if (memory === undefined) this.fail(`unknown memory ${index}`, `the module has ${this.ctx.module.memories.length} memories`);
    return memory.address === 'i64' ? V.I64 : V.I32;
  }

  // ---- Operand stack ------------------------------------------------------------------------

  push(t: ValType): void {
    if (this.sp === this.stack.length) {
      const grown = new Int32Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    this.stack[this.sp++] = t;
  }

  pushList(listId: number, n = this.ctx.lists[listId]!.length): void {
    const list = this.ctx.lists[listId]!;
    for (let i = 0; i < n; i++) this.push(list[i]!);
  }

  /** Pops one operand; in unreachable code an empty frame yields `ValType.Bottom`. */
  pop(): ValType {
    const frame = this.depth - 1;
    if (this.sp === this.ctlHeight[frame]) {
      if (this.ctlUnreachable[frame] === 1) return V.Bottom;
      this.failStack('a value', 1);
    }
    return this.stack[--this.sp]!;
  }

  /** Pops one operand that must match `expected`; returns the actual type. */
  popExpect(expected: ValType): ValType {
    const frame = this.depth - 1;
    if (this.sp === this.ctlHeight[frame]) {
      if (this.ctlUnreachable[frame] === 1) return V.Bottom;
      this.failStack(`[${typeName(expected)}]`, 1);
    }
    const actual = this.stack[this.sp - 1]!;
    if (actual !== expected && !this.ctx.isSubtype(actual, expected)) this.failStack(`[${typeName(expected)}]`, 1);
    this.sp--;
    return actual;
  }

  /** Pops a reference of any type; returns it, or `(ref bot)` for the polymorphic stack's unknown. */
  popRef(): ValType {
    const actual = this.pop();
    if (actual === V.Bottom) return refType(false, BOTTOM_HEAP);
    if (!isRefType(actual)) {
      this.sp++;
      this.failStack('a reference', 1);
    }
    return actual;
  }

  /** The operand `fromTop` below the top, without popping; the unknown type past an unreachable frame's base. */
  peek(fromTop: number): ValType {
    const frame = this.depth - 1;
    const i = this.sp - 1 - fromTop;
    if (i < this.ctlHeight[frame]!) {
      if (this.ctlUnreachable[frame] === 1) return V.Bottom;
      this.failStack('a value', fromTop + 1);
    }
    return this.stack[i]!;
  }

  /** Whether the current frame's operands are exhausted. */
  atFrameBase(): boolean {
    return this.sp === this.ctlHeight[this.depth - 1];
  }

  /** Pops values matching a type list, or its first `n` types (top of stack = last one). */
  popList(listId: number, n = this.ctx.lists[listId]!.length): void {
    this.checkList(listId, n);
    const available = this.sp - this.ctlHeight[this.depth - 1]!;
    this.sp -= n < available ? n : available;
  }

  /** Checks, without popping, that the top of the stack matches a type list (or its first `n` types). */
  checkList(listId: number, n = this.ctx.lists[listId]!.length): void {
    const list = this.ctx.lists[listId]!;
    const frame = this.depth - 1;
    const available = this.sp - this.ctlHeight[frame]!;
    for (let i = 0; i < n; i++) {
      if (i >= available) {
        if (this.ctlUnreachable[frame] === 1) return;
        this.failStack(typeListName(list, 0, n), n);
      }
      const actual = this.stack[this.sp - 1 - i]!;
      const want = list[n - 1 - i]!;
      if (actual !== want && !this.ctx.isSubtype(actual, want)) this.failStack(typeListName(list, 0, n), n);
    }
  }

  /** The top `count` operands of the current frame, for messages. */
  private stackTop(count: number): string {
    const base = this.ctlHeight[this.depth - 1]!;
    const from = Math.max(base, this.sp - count);
    return typeListName(this.stack, from, this.sp);
  }

  /** A type mismatch at the top of the stack, worded as the reference interpreter words it. */
  failStack(expected: string, count: number): never {
    return this.fail('type mismatch', `instruction requires ${expected} but stack has ${this.stackTop(count)}`);
  }

  // ---- Control stack ------------------------------------------------------------------------

  /** Pushes a frame whose parameters the caller has already popped; pushes them back. */
  pushFrame(kind: FrameKind, paramsList: number, resultsList: number): void {
    const d = this.depth;
    if (d === this.ctlKind.length) this.growControl();
    this.ctlKind[d] = kind;
    this.ctlHeight[d] = this.sp;
    this.ctlUnreachable[d] = 0;
    this.ctlParams[d] = paramsList;
    this.ctlResults[d] = resultsList;
    this.ctlInitTop[d] = this.initTop;
    this.depth = d + 1;
    this.pushList(paramsList);
  }

  /** Pops the innermost frame after checking its results; returns its kind. */
  popFrame(): FrameKind {
    const d = this.depth - 1;
    const results = this.ctlResults[d]!;
    this.checkList(results);
    const n = this.ctx.lists[results]!.length;
    const height = this.ctlHeight[d]!;
    if (this.sp - height > n) {
      this.fail('type mismatch', `block requires ${typeListName(this.ctx.lists[results]!)} but stack has ${this.stackTop(this.sp - height)}`);
    }
    this.sp = height;
    const initFloor = this.ctlInitTop[d]!;
    while (this.initTop > initFloor) this.localInit[this.initUndo[--this.initTop]!] = 0;
    this.depth = d;
    return this.ctlKind[d] as FrameKind;
  }

  private growControl(): void {
    const n = this.ctlKind.length * 2;
    const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.ctlKind = grow(this.ctlKind, (k) => new Uint8Array(k));
    this.ctlHeight = grow(this.ctlHeight, (k) => new Int32Array(k));
    this.ctlUnreachable = grow(this.ctlUnreachable, (k) => new Uint8Array(k));
    this.ctlParams = grow(this.ctlParams, (k) => new Int32Array(k));
    this.ctlResults = grow(this.ctlResults, (k) => new Int32Array(k));
    this.ctlInitTop = grow(this.ctlInitTop, (k) => new Int32Array(k));
  }

  /** Marks the rest of the current block unreachable: the stack becomes polymorphic. */
  setUnreachable(): void {
    const d = this.depth - 1;
    this.sp = this.ctlHeight[d]!;
    this.ctlUnreachable[d] = 1;
  }

  /** Replaces the parameter list recorded for the innermost frame (legacy catch frames keep the try's). */
  setFrameParams(list: number): void {
    this.ctlParams[this.depth - 1] = list;
  }

  frameKind(relative = 0): FrameKind {
    return this.ctlKind[this.depth - 1 - relative] as FrameKind;
  }
  frameParams(relative = 0): number {
    return this.ctlParams[this.depth - 1 - relative]!;
  }
  frameResults(relative = 0): number {
    return this.ctlResults[this.depth - 1 - relative]!;
  }

  /** The type list a branch to `label` carries, failing with "unknown label". */
  labelList(label: number): number {
    if (label >= this.depth) this.fail('unknown label', `label ${label} at block depth ${this.depth}`);
    const d = this.depth - 1 - label;
    return this.ctlKind[d] === FrameKind.Loop ? this.ctlParams[d]! : this.ctlResults[d]!;
  }

  // ---- Fast paths of the specialised body loop -------------------------------------------------
  // Each handles the common case of an operator exactly as the general rule would, or returns
  // false having changed nothing, and the loop then applies the general rule (which also words
  // any error).

  /** `end` of a frame other than an `if` whose operands are exactly its results. */
  tryEnd(): boolean {
    const d = this.depth - 1;
    if (this.ctlKind[d] === FrameKind.If) return false;
    const results = this.ctx.lists[this.ctlResults[d]!]!;
    const n = results.length;
    const height = this.ctlHeight[d]!;
    if (this.sp - height !== n) return false;
    for (let i = 0; i < n; i++) if (this.stack[height + i] !== results[i]) return false;
    const initFloor = this.ctlInitTop[d]!;
    while (this.initTop > initFloor) this.localInit[this.initUndo[--this.initTop]!] = 0;
    this.depth = d;
    // The results stay where they are: they are the enclosing frame's new operands.
    if (d === 0) {
      this.sp = height;
      this.finished = true;
    }
    return true;
  }

  /** `block`/`loop`/`if` without parameters, with `resultsList` as results (an `if` pops its i32 condition). */
  tryEnterBlock(kind: FrameKind, resultsList: number): boolean {
    if (kind === FrameKind.If) {
      const sp = this.sp;
      if (sp <= this.ctlHeight[this.depth - 1]! || this.stack[sp - 1] !== V.I32) return false;
      this.sp = sp - 1;
    }
    this.pushFrame(kind, EMPTY_LIST, resultsList);
    return true;
  }

  /** `call` of function `funcIndex` whose arguments are exactly its parameter types. */
  tryCall(funcIndex: number): boolean {
    const ctx = this.ctx;
    if (funcIndex >= ctx.functions.length) return false;
    const typeIndex = ctx.functions[funcIndex]!;
    const params = ctx.lists[ctx.paramsList[typeIndex]!]!;
    const n = params.length;
    const sp = this.sp;
    const base = sp - n;
    if (base < this.ctlHeight[this.depth - 1]!) return false;
    for (let i = 0; i < n; i++) if (this.stack[base + i] !== params[i]) return false;
    this.sp = base;
    this.pushList(ctx.resultsList[typeIndex]!);
    return true;
  }

  // ---- Locals --------------------------------------------------------------------------------

  localType(index: number): ValType {
    if (index >= this.numLocals) this.fail(`unknown local ${index}`, `the function has ${this.numLocals} locals`);
    return this.localTypes[index]!;
  }

  isLocalSet(index: number): boolean {
    return this.localInit[index] === 1;
  }

  markLocalSet(index: number): void {
    if (this.localInit[index] === 1) return;
    this.localInit[index] = 1;
    this.initUndo[this.initTop++] = index;
  }

  // ---- Errors --------------------------------------------------------------------------------

  fail(reason: string, detail: string): never {
    const where = this.where !== '' ? this.where : `function #${this.funcIndex}`;
    throw compileError(reason, detail, this.offset, this.op === null ? where : `${this.op.name} in ${where}`);
  }
}


/** Operators allowed in constant expressions (with extended-const and GC). */
const CONSTANT_OPERATORS: ReadonlySet<number> = new Set(
  [
    'i32.const', 'i64.const', 'f32.const', 'f64.const', 'v128.const', 'ref.null', 'ref.func', 'global.get',
    'i32.add', 'i32.sub', 'i32.mul', 'i64.add', 'i64.sub', 'i64.mul', 'struct.new', 'struct.new_default',
    'array.new', 'array.new_default', 'array.new_fixed', 'ref.i31', 'any.convert_extern', 'extern.convert_any', 'end',
  ].flatMap(operatorIdsNamed),
);
