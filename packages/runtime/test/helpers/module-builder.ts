// The runtime tests' compact module description, built with the decoder's test builder
// (`@flint/decoder/testing`): one binary encoder and one opcode table for every package's tests.
import { OPERATORS_BY_NAME } from '@flint/decoder';
import { ModuleBuilder, sleb, uleb } from '@flint/decoder/testing';

export { sleb, uleb };

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

/** The single opcode byte of a one-byte operator, from the opcode table. */
function code(name: string): number {
  const info = OPERATORS_BY_NAME.get(name)?.[0];
  if (info === undefined || info.prefix !== 0) throw new Error(`${name} is not a one-byte operator`);
  return info.code;
}

/** Opcodes the tests write bodies with (immediates follow them by hand, as LEB128). */
export const op = {
  unreachable: code('unreachable'),
  end: code('end'),
  call: code('call'),
  localGet: code('local.get'),
  globalGet: code('global.get'),
  globalSet: code('global.set'),
  i32Load: code('i32.load'),
  i32Store: code('i32.store'),
  memoryGrow: [code('memory.grow'), 0x00],
  i32Const: code('i32.const'),
  i64Const: code('i64.const'),
  i32Add: code('i32.add'),
  i32Sub: code('i32.sub'),
  i32DivS: code('i32.div_s'),
  i64Add: code('i64.add'),
} as const;

export interface FuncDef {
  readonly type: number;
  readonly locals?: readonly [count: number, type: number][];
  /** Operators without the final `end`. */
  readonly body: readonly number[];
  readonly export?: string;
}

export interface ModuleDef {
  readonly types?: readonly [params: number[], results: number[]][];
  readonly imports?: readonly (
    | { module: string; name: string; func: number }
    | { module: string; name: string; memory: [min: number, max?: number] }
    | { module: string; name: string; global: [type: number, mutable: boolean] }
  )[];
  readonly funcs?: readonly FuncDef[];
  readonly memory?: readonly [min: number, max?: number];
  /** `init` is a constant expression without its final `end`. */
  readonly globals?: readonly { type: number; mutable: boolean; init: number[]; export?: string }[];
  readonly exports?: readonly { name: string; kind: 0 | 1 | 2 | 3; index: number }[];
  readonly start?: number;
  readonly datas?: readonly { offset: number; bytes: number[] }[];
}

const limits = ([min, max]: readonly [number, number?]) => (max === undefined ? { min } : { min, max });

export function buildModule(def: ModuleDef): Uint8Array {
  const b = new ModuleBuilder();
  for (const [params, results] of def.types ?? []) b.addType({ params, results });
  for (const i of def.imports ?? []) {
    if ('func' in i) b.addImport(i.module, i.name, { func: i.func });
    else if ('memory' in i) b.addImport(i.module, i.name, { memory: limits(i.memory) });
    else b.addImport(i.module, i.name, { global: { type: i.global[0], mutable: i.global[1] } });
  }
  for (const f of def.funcs ?? []) {
    const index = b.addFunction(f.type, (f.locals ?? []).map(([count, type]) => ({ count, type })), [...f.body, op.end]);
    if (f.export !== undefined) b.addExport(f.export, 0, index);
  }
  if (def.memory) b.addMemory(limits(def.memory));
  for (const g of def.globals ?? []) {
    const index = b.addGlobal({ type: g.type, mutable: g.mutable }, g.init);
    if (g.export !== undefined) b.addExport(g.export, 3, index);
  }
  for (const e of def.exports ?? []) b.addExport(e.name, e.kind, e.index);
  if (def.start !== undefined) b.setStart(def.start);
  for (const d of def.datas ?? []) b.addData({ offset: [op.i32Const, ...sleb(d.offset)], bytes: d.bytes });
  return b.toBytes();
}
