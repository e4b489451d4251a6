// A tiny line-based Wasm assembler for test fixtures (the text-format package is above this one
// in the dependency order, so it cannot be used here). One function per `func` header, one
// operator per line with the decoder's mnemonics; immediates are numbers, block types a value
// type name, memargs `offset=N`:
//
//   memory 1
//   func (i32 i32) -> (i32) locals (i32)
//     local.get 0
//     block i32
//       i32.const 1
//     end
//     i32.add
//   end
//
// br_table lists its targets then the default: `br_table 0 1 2`. The first function is index 0.

import { EXTERNREF, FUNCREF, ValType, decodeModule, validateModule, type Module, type ValidationResult } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';

const TYPES: Record<string, number> = { i32: ValType.I32, i64: ValType.I64, f32: ValType.F32, f64: ValType.F64, funcref: FUNCREF, externref: EXTERNREF };

function types(list: string): number[] {
  const t = list.trim();
  if (t === '') return [];
  return t.split(/\s+/).map((name) => {
    const v = TYPES[name];
    if (v === undefined) throw new Error(`fixture: unknown type ${name}`);
    return v;
  });
}

function operator(line: string): number[] {
  const [name, ...rest] = line.trim().split(/\s+/) as [string, ...string[]];
  if (name === 'block' || name === 'loop' || name === 'if') return op(name, rest[0] === undefined ? undefined : types(rest[0])[0]);
  if (name === 'br_table') {
    const n = rest.map(Number);
    return op(name, n.slice(0, -1), n[n.length - 1]!);
  }
  if (/\.(load|store)/.test(name)) {
    const offset = rest.find((r) => r.startsWith('offset='));
    return op(name, { offset: offset === undefined ? 0 : Number(offset.slice(7)) });
  }
  if (name === 'i64.const') return op(name, BigInt(rest[0]!));
  if (name === 'f32.const' || name === 'f64.const') return op(name, Number(rest[0]));
  return op(name, ...rest.map(Number));
}

interface FixtureFunc {
  params: number[];
  results: number[];
  locals: number[];
  body: number[];
}

export function assembleFixture(text: string): { module: Module; validation: ValidationResult } {
  const b = new ModuleBuilder();
  let current: FixtureFunc | null = null;
  const funcs: FixtureFunc[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const mem = /^memory (\d+)$/.exec(line);
    if (mem !== null) {
      b.addMemory({ min: Number(mem[1]) });
      continue;
    }
    const header = /^func \(([^)]*)\) -> \(([^)]*)\)(?: locals \(([^)]*)\))?$/.exec(line);
    if (header !== null) {
      current = { params: types(header[1]!), results: types(header[2]!), locals: types(header[3] ?? ''), body: [] };
      funcs.push(current);
      continue;
    }
    if (current === null) throw new Error(`fixture: '${line}' outside a func`);
    current.body.push(...operator(line));
  }
  for (const f of funcs) b.addFunction(b.addType({ params: f.params, results: f.results }), f.locals, f.body);
  const module = decodeModule(b.toBytes());
  return { module, validation: validateModule(module) };
}
