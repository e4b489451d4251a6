// The IR verifier (Cranelift's verifier): structure, operand counts and kinds per op, branch
// arguments against block parameters, and SSA dominance (every use is dominated by its
// definition). Tests run it after the SSA builder and after every pass, so a pass that breaks
// the IR fails at that pass, not as a miscompile later.

import { ConvertKind, IrOp, LoadKind, StoreKind, ValueKind, isTerminatorOp } from '@flint/backend';
import { Cfg } from '../analysis/cfg.ts';
import { NONE, type IrFunction } from './function.ts';
import { CONVERT_OPERAND, CONVERT_RESULT, VALUE_KIND_NAMES } from './ops.ts';
import { printFunction, printInst } from './printer.ts';

const { I32, I64, F32, F64, Ref } = ValueKind;
const isInt = (k: number): boolean => k === I32 || k === I64;
const isFloat = (k: number): boolean => k === F32 || k === F64;
const LOAD_RESULT: readonly number[] = [I32, I64, F32, F64, I32, I32, I32, I32, I64, I64, I64, I64, I64, I64];
const STORE_VALUE: readonly number[] = [I32, I64, F32, F64, -1, -1, -1];

export class IrVerifyError extends Error {
  override readonly name = 'IrVerifyError';
}

/** Every problem found in `fn`, as messages naming the instruction; empty when it is valid. */
export function verifyFunction(fn: IrFunction, cfg = new Cfg()): string[] {
  const errors: string[] = [];
  const where = (i: number): string => `block${fn.instBlock(i)}: ${printInst(fn, i)}`;
  if (fn.blockCount === 0 || fn.firstInst(0) === NONE) return ['the entry block is empty'];
  // Order of each instruction within its block, for same-block dominance.
  const order = new Int32Array(fn.instCount).fill(-1);
  for (let b = 0; b < fn.blockCount; b++) {
    let n = 0;
    let prev = NONE;
    for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) {
      if (fn.instBlock(i) !== b) errors.push(`inst${i} is linked in block${b} but records block${fn.instBlock(i)}`);
      if (fn.prevInst(i) !== prev) errors.push(`inst${i}: broken prev link`);
      order[i] = n++;
      const last = fn.nextInst(i) === NONE;
      if (isTerminatorOp(fn.op(i)) !== last) errors.push(last ? `block${b} does not end with a terminator` : `${where(i)}: terminator before the end of the block`);
      prev = i;
    }
    if (n > 0 && fn.lastInst(b) !== prev) errors.push(`block${b}: broken last link`);
  }
  if (errors.length > 0) return errors;
  // The entry's parameters are the function's.
  const sig = fn.signature;
  if (fn.blockParamCount(0) !== sig.params.length) errors.push(`block0 has ${fn.blockParamCount(0)} parameters, the signature ${sig.params.length}`);
  else for (let k = 0; k < sig.params.length; k++) if (fn.valueKind(fn.blockParam(0, k)) !== sig.params[k]) errors.push(`block0 parameter ${k} has the wrong kind`);

  if (cfg.isCurrent(fn)) {
    // Analyses the passes reuse must still describe the function: a change that forgot to bump
    // `cfgEpoch` shows here.
    const fresh = new Cfg();
    fresh.compute(fn);
    const difference = cfg.differenceFrom(fresh);
    if (difference !== null) errors.push(`stale control-flow analyses (cfgEpoch not bumped): ${difference}`);
  }
  cfg.compute(fn);
  for (let b = 0; b < fn.blockCount; b++) {
    for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) {
      checkOperands(fn, i, errors, where);
      for (let t = 0; t < fn.targetCount(i); t++) {
        const target = fn.targetBlock(i, t);
        if (target < 0 || target >= fn.blockCount || fn.firstInst(target) === NONE) {
          errors.push(`${where(i)}: branches to a missing block`);
          continue;
        }
        if (target === 0) errors.push(`${where(i)}: branches to the entry block`);
        const n = fn.targetArgCount(i, t);
        if (n !== fn.blockParamCount(target)) {
          errors.push(`${where(i)}: passes ${n} arguments to block${target}, which has ${fn.blockParamCount(target)} parameters`);
          continue;
        }
        for (let k = 0; k < n; k++) {
          if (fn.valueKind(fn.targetArg(i, t, k)) !== fn.valueKind(fn.blockParam(target, k))) errors.push(`${where(i)}: argument ${k} to block${target} has the wrong kind`);
        }
      }
      if (!cfg.isReachable(b)) continue;
      const checkUse = (v: number): void => {
        if (v < 0 || v >= fn.valueCount) {
          errors.push(`${where(i)}: uses an undefined value`);
          return;
        }
        const def = fn.definingInst(v);
        if (def === NONE) {
          const pb = fn.valueBlock[v]!;
          if (fn.firstInst(pb) === NONE || !cfg.isReachable(pb) || !cfg.dominates(pb, b)) errors.push(`${where(i)}: v${v} (parameter of block${pb}) does not dominate this use`);
          return;
        }
        const db = fn.instBlock(def);
        if (db === NONE) errors.push(`${where(i)}: v${v} is defined by a removed instruction`);
        else if (db === b ? order[def]! >= order[i]! : !cfg.isReachable(db) || !cfg.dominates(db, b)) errors.push(`${where(i)}: v${v} does not dominate this use`);
      };
      for (let k = 0; k < fn.argCount(i); k++) checkUse(fn.arg(i, k));
      for (let t = 0; t < fn.targetCount(i); t++) for (let k = 0; k < fn.targetArgCount(i, t); k++) checkUse(fn.targetArg(i, t, k));
    }
  }
  return errors;
}

function checkOperands(fn: IrFunction, i: number, errors: string[], where: (i: number) => string): void {
  const op = fn.op(i);
  const argc = fn.argCount(i);
  const resc = fn.resultCount(i);
  const arg = (k: number): number => fn.valueKind(fn.arg(i, k));
  const res = (k: number): number => fn.valueKind(fn.result(i, k));
  const fail = (what: string): void => {
    errors.push(`${where(i)}: ${what}`);
  };
  const shape = (args: number, results: number): boolean => {
    if (argc !== args || resc !== results) {
      fail(`expects ${args} argument(s) and ${results} result(s)`);
      return false;
    }
    return true;
  };
  const kindName = (k: number): string => VALUE_KIND_NAMES[k] ?? String(k);
  switch (op) {
    case IrOp.Iconst:
      if (shape(0, 1) && !(isInt(res(0)) || res(0) === Ref)) fail('iconst of a non-integer kind');
      return;
    case IrOp.Fconst:
      if (shape(0, 1) && !isFloat(res(0))) fail('fconst of a non-float kind');
      return;
    case IrOp.Copy:
      if (shape(1, 1) && arg(0) !== res(0)) fail('copy changes the kind');
      return;
    case IrOp.IntBinary:
    case IrOp.Shift:
    case IrOp.Div:
      if (shape(2, 1) && !(isInt(res(0)) && arg(0) === res(0) && arg(1) === res(0))) fail('operands and result must be one integer kind');
      return;
    case IrOp.IntUnary:
      if (shape(1, 1) && !(isInt(res(0)) && arg(0) === res(0))) fail('operand and result must be one integer kind');
      return;
    case IrOp.IntCompare:
      if (shape(2, 1) && !(res(0) === I32 && arg(0) === arg(1) && (isInt(arg(0)) || arg(0) === Ref))) fail('compares two integers of one kind into an i32');
      return;
    case IrOp.FloatBinary:
      if (shape(2, 1) && !(isFloat(res(0)) && arg(0) === res(0) && arg(1) === res(0))) fail('operands and result must be one float kind');
      return;
    case IrOp.FloatUnary:
      if (shape(1, 1) && !(isFloat(res(0)) && arg(0) === res(0))) fail('operand and result must be one float kind');
      return;
    case IrOp.FloatCompare:
      if (shape(2, 1) && !(res(0) === I32 && arg(0) === arg(1) && isFloat(arg(0)))) fail('compares two floats of one kind into an i32');
      return;
    case IrOp.Convert: {
      const kind = fn.kind(i);
      if (!(kind >= 0 && kind <= ConvertKind.F64ReinterpretI64)) fail('unknown conversion');
      else if (shape(1, 1) && (arg(0) !== CONVERT_OPERAND[kind] || res(0) !== CONVERT_RESULT[kind])) fail(`converts ${kindName(CONVERT_OPERAND[kind]!)} to ${kindName(CONVERT_RESULT[kind]!)}`);
      return;
    }
    case IrOp.Select:
      if (shape(3, 1) && !(arg(0) === I32 && arg(1) === res(0) && arg(2) === res(0))) fail('select takes an i32 condition and two values of its result kind');
      return;
    case IrOp.MemoryBase:
    case IrOp.MemoryLength:
      if (shape(0, 1) && res(0) !== I64) fail('produces an i64');
      return;
    case IrOp.BoundsCheck:
      if (shape(2, 0) && !(arg(0) === I32 && arg(1) === I64)) fail('checks an i32 index against an i64 length');
      return;
    case IrOp.Load:
      if (shape(2, 1) && !(arg(0) === I64 && arg(1) === I32 && res(0) === LOAD_RESULT[fn.kind(i)] && fn.kind(i) <= LoadKind.I64Load32U)) fail('loads from an i64 base and an i32 index into its kind');
      return;
    case IrOp.Store: {
      const want = STORE_VALUE[fn.kind(i)];
      if (shape(3, 0) && !(arg(0) === I64 && arg(1) === I32 && fn.kind(i) <= StoreKind.Store32 && (want === -1 ? isInt(arg(2)) : arg(2) === want))) fail('stores a value of its kind at an i64 base and an i32 index');
      return;
    }
    case IrOp.GlobalGet:
      shape(0, 1);
      return;
    case IrOp.GlobalSet:
      shape(1, 0);
      return;
    case IrOp.Call:
    case IrOp.CallIndirect:
    case IrOp.ReturnCall:
    case IrOp.ReturnCallIndirect: {
      const layout = fn.callLayouts[i];
      if (layout === undefined) {
        fail('call without a layout');
        return;
      }
      const indirect = op === IrOp.CallIndirect || op === IrOp.ReturnCallIndirect;
      if (argc !== layout.params.length + (indirect ? 1 : 0)) fail(`passes ${argc} arguments for ${layout.params.length} parameters`);
      if (indirect && argc > 0 && arg(argc - 1) !== I32 && arg(argc - 1) !== I64) fail('the table index must be an integer');
      const tail = op === IrOp.ReturnCall || op === IrOp.ReturnCallIndirect;
      if (tail ? resc !== 0 : resc !== layout.results.length) fail('wrong number of results');
      return;
    }
    case IrOp.CallBuiltin:
      if (argc > 3 || resc > 1) fail('a builtin takes at most 3 arguments and returns at most 1 result');
      return;
    case IrOp.Jump:
      if (fn.targetCount(i) !== 1 || argc !== 0) fail('jump has one target and no arguments');
      return;
    case IrOp.Brif:
      if (fn.targetCount(i) !== 2 || argc !== 1 || arg(0) !== I32) fail('brif takes an i32 condition and two targets');
      return;
    case IrOp.BrTable:
      if (fn.targetCount(i) < 1 || argc !== 1 || arg(0) !== I32) fail('br_table takes an i32 index and at least a default target');
      for (let t = 0; t < fn.targetCount(i); t++) if (fn.targetArgCount(i, t) !== 0) fail('br_table targets take no arguments');
      return;
    case IrOp.Return: {
      const results = fn.signature.results;
      if (argc !== results.length) fail(`returns ${argc} values, the signature ${results.length}`);
      else for (let k = 0; k < argc; k++) if (arg(k) !== results[k]) fail(`return value ${k} has the wrong kind`);
      return;
    }
    case IrOp.Trap:
      shape(0, 0);
      return;
    default:
      fail(`unknown op ${op}`);
  }
}

/** Throws `IrVerifyError` listing the problems (and the function) when `fn` is not valid. */
export function assertValid(fn: IrFunction, after: string, cfg?: Cfg): void {
  const errors = verifyFunction(fn, cfg);
  if (errors.length > 0) throw new IrVerifyError(`IR invalid after ${after}:\n  ${errors.slice(0, 20).join('\n  ')}\n${printFunction(fn)}`);
}
