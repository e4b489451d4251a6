// A minimal Wasm binary writer for the runtime's tests (the runtime does not depend on the text
// format). Sections follow https://webassembly.github.io/spec/core/binary/modules.html; bodies
// are given as raw operator bytes, written out from the spec's opcode tables by hand.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

export const op = {
  unreachable: 0x00,
  end: 0x0b,
  call: 0x10,
  localGet: 0x20,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Load: 0x28,
  i32Store: 0x36,
  memoryGrow: [0x40, 0x00],
  i32Const: 0x41,
  i64Const: 0x42,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32DivS: 0x6d,
  i64Add: 0x7c,
} as const;

export function uleb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

export function sleb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const name = (s: string): number[] => {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

export interface FuncDef {
  readonly type: number;
  readonly locals?: readonly [count: number, type: number][];
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
  readonly globals?: readonly { type: number; mutable: boolean; init: number[]; export?: string }[];
  readonly exports?: readonly { name: string; kind: 0 | 1 | 2 | 3; index: number }[];
  readonly start?: number;
  readonly datas?: readonly { offset: number; bytes: number[] }[];
}

const limits = ([min, max]: readonly [number, number?]): number[] => (max === undefined ? [0, ...uleb(min)] : [1, ...uleb(min), ...uleb(max)]);

export function buildModule(def: ModuleDef): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, payload: number[]): void => {
    out.push(id, ...uleb(payload.length), ...payload);
  };
  const imports = def.imports ?? [];
  const importedFuncs = imports.filter((i) => 'func' in i).length;
  const importedGlobals = imports.filter((i) => 'global' in i).length;
  if (def.types) section(1, vec(def.types.map(([p, r]) => [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))])));
  if (imports.length > 0) {
    section(2, vec(imports.map((i) => {
      const head = [...name(i.module), ...name(i.name)];
      if ('func' in i) return [...head, 0x00, ...uleb(i.func)];
      if ('memory' in i) return [...head, 0x02, ...limits(i.memory)];
      return [...head, 0x03, i.global[0], i.global[1] ? 1 : 0];
    })));
  }
  const funcs = def.funcs ?? [];
  if (funcs.length > 0) section(3, vec(funcs.map((f) => uleb(f.type))));
  if (def.memory) section(5, vec([limits(def.memory)]));
  const globals = def.globals ?? [];
  if (globals.length > 0) section(6, vec(globals.map((g) => [g.type, g.mutable ? 1 : 0, ...g.init, op.end])));
  const exports = [
    ...(def.exports ?? []),
    ...funcs.flatMap((f, i) => (f.export === undefined ? [] : [{ name: f.export, kind: 0 as const, index: importedFuncs + i }])),
    ...globals.flatMap((g, i) => (g.export === undefined ? [] : [{ name: g.export, kind: 3 as const, index: importedGlobals + i }])),
  ];
  if (exports.length > 0) section(7, vec(exports.map((e) => [...name(e.name), e.kind, ...uleb(e.index)])));
  if (def.start !== undefined) section(8, uleb(def.start));
  if (funcs.length > 0) {
    section(10, vec(funcs.map((f) => {
      const body = [...vec((f.locals ?? []).map(([n, t]) => [...uleb(n), t])), ...f.body, op.end];
      return [...uleb(body.length), ...body];
    })));
  }
  if (def.datas) section(11, vec(def.datas.map((d) => [0x00, op.i32Const, ...sleb(d.offset), op.end, ...uleb(d.bytes.length), ...d.bytes])));
  return new Uint8Array(out);
}
