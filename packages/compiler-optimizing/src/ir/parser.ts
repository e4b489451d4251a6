// Parses the IR text form (syntax.ts) back into an `IrFunction`, for golden tests of passes:
// a test file holds IR before a pass and the expected IR after it. Block and value numbers are
// kept when they are dense; otherwise they are renumbered in order of appearance.
//
// Two phases, so values may be used before the line that defines them (loops): the text is
// first split into blocks and instructions, then every block, parameter, instruction and result
// is created, and only then are arguments and targets filled in.

import { IrOp, computeCallLayout, type CallingConvention, type IrOp as IrOpType, type ValueKind } from '@flint/backend';
import { IrFunction } from './function.ts';
import { KIND_MNEMONICS, OP_MNEMONICS, TRAP_NAMES, VALUE_KIND_NAMES } from './ops.ts';
import { OP_SYNTAX, TRAP_KEYS, opHasTargets, type ImmField } from './syntax.ts';

export class IrParseError extends Error {
  override readonly name = 'IrParseError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface ParsedTarget {
  readonly block: string;
  readonly args: string[];
}

interface ParsedInst {
  readonly line: number;
  readonly results: { name: string; kind: ValueKind }[];
  readonly op: IrOpType;
  kind: number;
  imm0: number;
  imm1: number;
  imm2: number;
  readonly args: string[];
  readonly targets: ParsedTarget[];
}

interface ParsedBlock {
  readonly name: string;
  readonly line: number;
  readonly params: { name: string; kind: ValueKind }[];
  readonly insts: ParsedInst[];
}

/** Mnemonic → [op, kind] for every op and every kind-carrying mnemonic. */
const MNEMONICS: ReadonlyMap<string, readonly [IrOpType, number]> = (() => {
  const map = new Map<string, readonly [IrOpType, number]>();
  OP_MNEMONICS.forEach((name, op) => {
    if (name !== '') map.set(name, [op as IrOpType, 0]);
  });
  KIND_MNEMONICS.forEach((names, op) => names?.forEach((name, kind) => map.set(name, [op as IrOpType, kind])));
  return map;
})();

function parseKind(text: string, line: number): ValueKind {
  const kind = VALUE_KIND_NAMES.indexOf(text.trim());
  if (kind < 0) throw new IrParseError(line, `unknown value kind '${text}'`);
  return kind as ValueKind;
}

/** `v3:i32` */
function parseTypedValue(text: string, line: number): { name: string; kind: ValueKind } {
  const m = /^(v\d+):(\w+)$/.exec(text.trim());
  if (m === null) throw new IrParseError(line, `expected a typed value like v1:i32, got '${text}'`);
  return { name: m[1]!, kind: parseKind(m[2]!, line) };
}

/** Splits at top-level commas (not inside parentheses). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts;
}

function setField(inst: ParsedInst, field: ImmField, value: number): void {
  if (field === 'kind') inst.kind = value;
  else inst[field] = value;
}

function parseConst(inst: ParsedInst, text: string, kind: ValueKind, line: number): void {
  try {
    if (inst.op === IrOp.Fconst) {
      const bits = BigInt(text);
      inst.imm0 = Number(bits & 0xffff_ffffn) | 0;
      inst.imm1 = Number((bits >> 32n) & 0xffff_ffffn) | 0;
      return;
    }
    const value = BigInt.asUintN(kind === 0 ? 32 : 64, BigInt(text));
    inst.imm0 = Number(value & 0xffff_ffffn) | 0;
    inst.imm1 = Number(value >> 32n) | 0;
    if (kind === 0) inst.imm1 = inst.imm0 < 0 ? -1 : 0;
  } catch {
    throw new IrParseError(line, `bad constant '${text}'`);
  }
}

function parseInstLine(text: string, line: number): ParsedInst {
  let rest = text;
  const results: { name: string; kind: ValueKind }[] = [];
  const eq = rest.indexOf(' = ');
  if (eq >= 0) {
    for (const r of rest.slice(0, eq).split(',')) results.push(parseTypedValue(r, line));
    rest = rest.slice(eq + 3);
  }
  const words = rest.trim().split(/\s+/);
  const mnemonic = words.shift() ?? '';
  const entry = MNEMONICS.get(mnemonic);
  if (entry === undefined) throw new IrParseError(line, `unknown operation '${mnemonic}'`);
  const [op, kind] = entry;
  const inst: ParsedInst = { line, results, op, kind, imm0: 0, imm1: 0, imm2: 0, args: [], targets: [] };
  const syntax = OP_SYNTAX[op]!;
  if (syntax.kindWords !== null) {
    const word = words.shift() ?? '';
    const k = syntax.kindWords.indexOf(word);
    if (k < 0) throw new IrParseError(line, `'${mnemonic}' does not take '${word}'`);
    inst.kind = k;
  }
  if (op === IrOp.Trap) {
    const word = words.shift() ?? '';
    const reason = TRAP_NAMES.indexOf(word);
    if (reason <= 0) throw new IrParseError(line, `unknown trap reason '${word}'`);
    inst.imm0 = reason;
  }
  // What remains: operands, then key=value immediates.
  let operandText = words.join(' ');
  const keyed: string[] = [];
  const keyRe = /\s*(\w+)=(\S+)$/;
  for (let m = keyRe.exec(operandText); m !== null; m = keyRe.exec(operandText)) {
    keyed.unshift(`${m[1]}=${m[2]}`);
    operandText = operandText.slice(0, m.index);
  }
  for (const pair of keyed) {
    const [key, value] = pair.split('=') as [string, string];
    const spec = syntax.keys.find(([k]) => k === key);
    if (spec === undefined) throw new IrParseError(line, `'${mnemonic}' has no immediate '${key}'`);
    let n: number;
    if (TRAP_KEYS.has(key)) {
      n = TRAP_NAMES.indexOf(value);
      if (n < 0) throw new IrParseError(line, `unknown trap reason '${value}'`);
    } else {
      n = Number(value);
      if (!Number.isInteger(n)) throw new IrParseError(line, `immediate ${key} must be an integer, got '${value}'`);
    }
    setField(inst, spec[1], n | 0);
  }
  const operands = splitTopLevel(operandText);
  if (op === IrOp.Iconst || op === IrOp.Fconst) {
    if (operands.length !== 1 || results.length !== 1) throw new IrParseError(line, `${mnemonic} takes one constant and has one result`);
    parseConst(inst, operands[0]!, results[0]!.kind, line);
    return inst;
  }
  for (const operand of operands) {
    if (/^v\d+$/.test(operand)) {
      if (inst.targets.length > 0) throw new IrParseError(line, `argument ${operand} after a branch target`);
      inst.args.push(operand);
      continue;
    }
    const m = /^(block\d+)(?:\((.*)\))?$/.exec(operand);
    if (m === null || !opHasTargets(op)) throw new IrParseError(line, `bad operand '${operand}'`);
    const targetArgs = m[2] === undefined ? [] : splitTopLevel(m[2]);
    for (const a of targetArgs) if (!/^v\d+$/.test(a)) throw new IrParseError(line, `bad branch argument '${a}'`);
    inst.targets.push({ block: m[1]!, args: targetArgs });
  }
  return inst;
}

function parseText(text: string): { params: ValueKind[]; results: ValueKind[]; blocks: ParsedBlock[] } {
  const lines = text.split('\n');
  let i = 0;
  const skip = (): void => {
    while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.trim().startsWith(';'))) i++;
  };
  skip();
  const header = /^function\s*\(([^)]*)\)\s*->\s*\(([^)]*)\)\s*\{$/.exec(lines[i]?.trim() ?? '');
  if (header === null) throw new IrParseError(i + 1, 'expected `function (params) -> (results) {`');
  const kinds = (list: string): ValueKind[] => (list.trim() === '' ? [] : list.split(',').map((k) => parseKind(k, i + 1)));
  const params = kinds(header[1]!);
  const results = kinds(header[2]!);
  i++;
  const blocks: ParsedBlock[] = [];
  for (;;) {
    skip();
    if (i >= lines.length) throw new IrParseError(i, 'missing closing }');
    const raw = lines[i]!.trim();
    const lineNo = i + 1;
    i++;
    if (raw === '}') break;
    const blockHeader = /^(block\d+)(?:\((.*)\))?:$/.exec(raw);
    if (blockHeader !== null) {
      const paramList = blockHeader[2] === undefined ? [] : splitTopLevel(blockHeader[2]).map((p) => parseTypedValue(p, lineNo));
      blocks.push({ name: blockHeader[1]!, line: lineNo, params: paramList, insts: [] });
      continue;
    }
    const current = blocks[blocks.length - 1];
    if (current === undefined) throw new IrParseError(lineNo, 'instruction outside a block');
    current.insts.push(parseInstLine(raw.replace(/\s*;.*$/, ''), lineNo));
  }
  return { params, results, blocks };
}

/**
 * Parses one function. `cc` gives the call layouts (the function's own and its calls'); a test
 * convention with no register arguments is used when none is given.
 */
export function parseFunction(text: string, cc: CallingConvention = TEXT_CONVENTION, into = new IrFunction()): IrFunction {
  const parsed = parseText(text);
  const fn = into;
  const signature = { params: parsed.params, results: parsed.results };
  fn.reset(signature, computeCallLayout(cc, signature));
  const blockIds = new Map<string, number>();
  // Keep the text's block numbers when they are 0..n-1 in some order: golden files stay readable.
  const numbers = parsed.blocks.map((b) => Number(b.name.slice(5)));
  const dense = numbers.every((n) => n < parsed.blocks.length) && new Set(numbers).size === numbers.length;
  const order = dense ? [...parsed.blocks].sort((a, b) => Number(a.name.slice(5)) - Number(b.name.slice(5))) : parsed.blocks;
  for (const block of order) {
    if (blockIds.has(block.name)) throw new IrParseError(block.line, `${block.name} defined twice`);
    blockIds.set(block.name, fn.newBlock());
  }
  const values = new Map<string, number>();
  const created: [ParsedInst, number][] = [];
  if (!createInTextNumbering(fn, parsed.blocks, blockIds, values, created)) {
    // Names that cannot be kept (gaps inside one instruction's results, parameters out of
    // order): number values in order of appearance instead.
    fn.reset(signature, computeCallLayout(cc, signature));
    blockIds.clear();
    for (const block of order) blockIds.set(block.name, fn.newBlock());
    values.clear();
    created.length = 0;
    const define = (name: string, value: number, line: number): void => {
      if (values.has(name)) throw new IrParseError(line, `${name} defined twice`);
      values.set(name, value);
    };
    for (const block of order) for (const p of block.params) define(p.name, fn.addBlockParam(blockIds.get(block.name)!, p.kind), block.line);
    for (const block of parsed.blocks) {
      for (const inst of block.insts) {
        const i = fn.createInst(inst.op, inst.kind, inst.results[0]?.kind ?? 0, inst.imm0, inst.imm1, inst.imm2, null, 0, 0);
        for (const r of inst.results) define(r.name, fn.addResult(i, r.kind), inst.line);
        created.push([inst, i]);
      }
    }
  }
  const instOf = new Map(created);
  for (const block of parsed.blocks) {
    const b = blockIds.get(block.name)!;
    for (const inst of block.insts) fn.append(b, instOf.get(inst)!);
  }
  const valueOf = (name: string, line: number): number => {
    const v = values.get(name);
    if (v === undefined) throw new IrParseError(line, `${name} is not defined`);
    return v;
  };
  for (const [inst, i] of created) {
    for (const a of inst.args) fn.appendArg(i, valueOf(a, inst.line));
    for (const target of inst.targets) {
      const block = blockIds.get(target.block);
      if (block === undefined) throw new IrParseError(inst.line, `${target.block} is not defined`);
      const t = fn.addTarget(i, block);
      for (const a of target.args) fn.appendTargetArg(i, t, valueOf(a, inst.line));
    }
    if (isCall(inst.op)) {
      const argKinds: ValueKind[] = [];
      const callArgs = inst.op === IrOp.CallIndirect || inst.op === IrOp.ReturnCallIndirect ? inst.args.length - 1 : inst.args.length;
      for (let k = 0; k < callArgs; k++) argKinds.push(fn.valueKind(valueOf(inst.args[k]!, inst.line)));
      // A tail call returns the caller's results.
      const tail = inst.op === IrOp.ReturnCall || inst.op === IrOp.ReturnCallIndirect;
      fn.callLayouts[i] = computeCallLayout(cc, { params: argKinds, results: tail ? parsed.results : inst.results.map((r) => r.kind) });
    }
  }
  return fn;
}

/**
 * Creates parameters and instructions so that value `vN` of the text is value N of the function,
 * filling gaps with unused values. False (having created nothing usable) when the text's
 * numbering does not allow it.
 */
function createInTextNumbering(
  fn: IrFunction,
  blocks: readonly ParsedBlock[],
  blockIds: ReadonlyMap<string, number>,
  values: Map<string, number>,
  created: [ParsedInst, number][],
): boolean {
  type Def = { param: ParsedBlock; index: number } | { inst: ParsedInst; index: number };
  const defs = new Map<number, Def>();
  for (const block of blocks) {
    block.params.forEach((p, index) => defs.set(Number(p.name.slice(1)), { param: block, index }));
    for (const inst of block.insts) inst.results.forEach((r, index) => defs.set(Number(r.name.slice(1)), { inst, index }));
  }
  const count = blocks.reduce((n, b) => n + b.params.length + b.insts.reduce((m, i) => m + i.results.length, 0), 0);
  if (defs.size !== count) return false; // a name defined twice
  const max = Math.max(-1, ...defs.keys());
  const done = new Map<ParsedInst, number>();
  const paramsSeen = new Map<ParsedBlock, number>();
  for (let id = 0; id <= max; id++) {
    const def = defs.get(id);
    if (def === undefined) {
      fn.reserveValue(0);
      continue;
    }
    if ('param' in def) {
      if ((paramsSeen.get(def.param) ?? 0) !== def.index) return false;
      paramsSeen.set(def.param, def.index + 1);
      values.set(`v${id}`, fn.addBlockParam(blockIds.get(def.param.name)!, def.param.params[def.index]!.kind));
      continue;
    }
    if (def.index !== 0) return false;
    const inst = def.inst;
    for (let k = 1; k < inst.results.length; k++) if (Number(inst.results[k]!.name.slice(1)) !== id + k) return false;
    const i = fn.createInst(inst.op, inst.kind, inst.results[0]!.kind, inst.imm0, inst.imm1, inst.imm2, null, 0, 0);
    for (const r of inst.results) values.set(r.name, fn.addResult(i, r.kind));
    done.set(inst, i);
    id += inst.results.length - 1;
  }
  for (const block of blocks) {
    for (const inst of block.insts) {
      let i = done.get(inst);
      if (i === undefined) i = fn.createInst(inst.op, inst.kind, 0, inst.imm0, inst.imm1, inst.imm2, null, 0, 0);
      created.push([inst, i]);
    }
  }
  return true;
}

const isCall = (op: number): boolean => op === IrOp.Call || op === IrOp.CallIndirect || op === IrOp.ReturnCall || op === IrOp.ReturnCallIndirect;

/** Every value on the stack: enough for IR that is only printed, verified and optimized. */
export const TEXT_CONVENTION: CallingConvention = {
  name: 'ir-text',
  intArgs: [],
  floatArgs: [],
  intResults: [],
  floatResults: [],
  calleeSavedInt: 0,
  calleeSavedFloat: 0,
  stackAlignment: 16,
  redZone: 0,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};
