// Inlining small direct callees at graph-build time, as V8's Turboshaft graph builder does: at a
// `call` the translator asks the inliner, and when the answer is a body it translates that body
// in place (translator.ts, `inline`). The policy: the callee is defined in this module, small
// (`MAX_CALLEE_BYTES` of code), not already being inlined or compiled (no recursion), not deeper
// than `MAX_DEPTH`, and the function's total inlined code stays within a budget relative to its
// own size. Inlining removes the call sequence (argument moves, spills of every live register,
// the jump-table load) and lets the passes see through the call.
//
// Only callees that can never be on a stack trace are inlined: no operator that traps, calls or
// loops (a loop header polls for interrupts, and a stop is a trap). Trap and call sites record
// one Wasm offset, not yet the chain of inlined calls (see the lowering contract in
// @flint/backend), so a frame of inlined code would be reported as its caller's.

import { OPERATORS, OPERATOR_ID_LIMIT, OperatorReader, type FunctionBody, type Immediates, type OperatorInfo, type OperatorVisitor } from '@flint/decoder';
import type { OptimizingStats } from '../compiler.ts';
import type { ModuleInfo } from './module-info.ts';
import type { InlineOracle } from './translator.ts';

/** Callees with more code bytes than this are called, never inlined. */
export const MAX_CALLEE_BYTES = 96;
/** Nesting of inlined calls. */
const MAX_DEPTH = 3;
/** Every function may inline this many bytes of callee code, plus as much as its own size. */
const BASE_BUDGET = 512;

/** By operator id: 1 when the operator cannot trap, call or loop (plain arithmetic, locals, branches). */
const FRAMELESS = new Uint8Array(OPERATOR_ID_LIMIT);
const FRAMELESS_FEATURES = new Set(['mvp', 'sign-extension', 'saturating-float-to-int', 'reference-types']);
for (const op of OPERATORS) {
  const name = op.name;
  const traps =
    op.memSize > 0 ||
    /^(unreachable|loop|call|call_indirect|return_call|return_call_indirect|try|throw|rethrow|delegate)$/.test(name) ||
    /^(memory|table|data|elem)\./.test(name) ||
    /^i(32|64)\.(div|rem)_[su]$/.test(name) ||
    /^i(32|64)\.trunc_f(32|64)_[su]$/.test(name);
  if (!traps && FRAMELESS_FEATURES.has(op.feature)) FRAMELESS[op.id] = 1;
}

/** Whether every operator of a body is `FRAMELESS`. */
class FramelessCheck implements OperatorVisitor {
  frameless = true;
  visit(op: OperatorInfo, _imm: Immediates, _offset: number): void {
    if (FRAMELESS[op.id] === 0) this.frameless = false;
  }
}

const framelessBodies = new WeakMap<FunctionBody, boolean>();
const reader = new OperatorReader();

/** Whether the body can never be on a stack trace (nothing in it traps, calls or loops). */
function isFrameless(body: FunctionBody): boolean {
  let frameless = framelessBodies.get(body);
  if (frameless === undefined) {
    const check = new FramelessCheck();
    reader.read(body.code, 0, check);
    frameless = check.frameless;
    framelessBodies.set(body, frameless);
  }
  return frameless;
}

export class Inliner implements InlineOracle {
  private info: ModuleInfo | null = null;
  private enabled = true;
  private budget = 0;
  private readonly chain: number[] = [];
  private stats: OptimizingStats | undefined = undefined;

  reset(info: ModuleInfo): void {
    this.info = info;
  }

  /**
   * `body` is the function being compiled, as given: a compile worker's module holds no bodies
   * (they arrive in batches), so callees are only inlined where the module has them.
   */
  begin(body: FunctionBody, enabled: boolean, stats: OptimizingStats | undefined): void {
    this.enabled = enabled;
    this.stats = stats;
    this.chain.length = 0;
    this.chain.push(body.funcIndex);
    this.budget = BASE_BUDGET + body.code.bytes.length;
  }

  inlineBody(funcIndex: number, depth: number): FunctionBody | null {
    if (!this.enabled || depth >= MAX_DEPTH) return null;
    const info = this.info!;
    const body = info.module.codes[funcIndex - info.module.numImportedFunctions];
    if (body === undefined) return null;
    const size = body.code.bytes.length;
    if (size > MAX_CALLEE_BYTES || size > this.budget) return null;
    if (this.chain.includes(funcIndex) || !isFrameless(body)) return null;
    this.chain.push(funcIndex);
    return body;
  }

  inlined(funcIndex: number, bodyBytes: number): void {
    this.budget -= bodyBytes;
    if (this.chain[this.chain.length - 1] === funcIndex) this.chain.pop();
    if (this.stats) this.stats.inlinedCalls++;
  }
}
