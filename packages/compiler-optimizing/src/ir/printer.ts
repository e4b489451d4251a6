// Prints an IR function in the text form of syntax.ts. Blocks print in index order; blocks with
// no instructions (removed by a pass) are skipped. Values print through their aliases.

import { IrOp } from '@flint/backend';
import { NONE, type IrFunction } from './function.ts';
import { KIND_MNEMONICS, OP_MNEMONICS, TRAP_NAMES, VALUE_KIND_NAMES } from './ops.ts';
import { ALWAYS_PRINTED, OP_SYNTAX, TRAP_KEYS } from './syntax.ts';

const kindName = (kind: number): string => VALUE_KIND_NAMES[kind] ?? `kind${kind}`;

function constText(fn: IrFunction, inst: number): string {
  const lo = fn.imm0(inst);
  const hi = fn.imm1(inst);
  const type = fn.type(inst);
  if (fn.op(inst) === IrOp.Fconst) {
    if (type === 2) return `0x${(lo >>> 0).toString(16).padStart(8, '0')}`;
    return `0x${(hi >>> 0).toString(16).padStart(8, '0')}${(lo >>> 0).toString(16).padStart(8, '0')}`;
  }
  if (type === 0) return String(lo | 0);
  return String(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0)));
}

function immValue(fn: IrFunction, inst: number, field: string): number {
  switch (field) {
    case 'imm0':
      return fn.imm0(inst);
    case 'imm1':
      return fn.imm1(inst);
    case 'imm2':
      return fn.imm2(inst);
    default:
      return fn.kind(inst);
  }
}

export function printInst(fn: IrFunction, inst: number): string {
  const op = fn.op(inst);
  let line = '';
  const rc = fn.resultCount(inst);
  if (rc > 0) {
    const results: string[] = [];
    for (let k = 0; k < rc; k++) {
      const v = fn.result(inst, k);
      results.push(`v${v}:${kindName(fn.valueKind(v))}`);
    }
    line = `${results.join(', ')} = `;
  }
  const byKind = KIND_MNEMONICS[op];
  line += byKind !== null && byKind !== undefined ? byKind[fn.kind(inst)] : OP_MNEMONICS[op];
  const syntax = OP_SYNTAX[op]!;
  if (syntax.kindWords !== null) line += ` ${syntax.kindWords[fn.kind(inst)]}`;
  if (op === IrOp.Trap) line += ` ${TRAP_NAMES[fn.imm0(inst)]}`;
  const parts: string[] = [];
  if (op === IrOp.Iconst || op === IrOp.Fconst) parts.push(constText(fn, inst));
  for (let k = 0; k < fn.argCount(inst); k++) parts.push(`v${fn.arg(inst, k)}`);
  for (let t = 0; t < fn.targetCount(inst); t++) {
    let text = `block${fn.targetBlock(inst, t)}`;
    const n = fn.targetArgCount(inst, t);
    if (n > 0) {
      const args: string[] = [];
      for (let k = 0; k < n; k++) args.push(`v${fn.targetArg(inst, t, k)}`);
      text += `(${args.join(', ')})`;
    }
    parts.push(text);
  }
  if (parts.length > 0) line += ` ${parts.join(', ')}`;
  for (const [key, field] of syntax.keys) {
    const value = immValue(fn, inst, field);
    if (value === 0 && !ALWAYS_PRINTED.has(key)) continue;
    line += TRAP_KEYS.has(key) ? ` ${key}=${TRAP_NAMES[value]}` : ` ${key}=${field === 'imm0' && key === 'offset' ? value >>> 0 : value}`;
  }
  return line;
}

export function printBlockHeader(fn: IrFunction, block: number): string {
  const n = fn.blockParamCount(block);
  if (n === 0) return `block${block}:`;
  const params: string[] = [];
  for (let k = 0; k < n; k++) {
    const v = fn.blockParam(block, k);
    params.push(`v${v}:${kindName(fn.valueKind(v))}`);
  }
  return `block${block}(${params.join(', ')}):`;
}

/** The whole function as text (see syntax.ts). */
export function printFunction(fn: IrFunction): string {
  const lines = [`function (${signatureKinds(fn, 'params')}) -> (${signatureKinds(fn, 'results')}) {`];
  for (let b = 0; b < fn.blockCount; b++) {
    if (fn.firstInst(b) === NONE) continue;
    lines.push(printBlockHeader(fn, b));
    for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) lines.push(`  ${printInst(fn, i)}`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function signatureKinds(fn: IrFunction, which: 'params' | 'results'): string {
  const kinds = which === 'params' ? fn.signature.params : fn.signature.results;
  return kinds.map(kindName).join(', ');
}
