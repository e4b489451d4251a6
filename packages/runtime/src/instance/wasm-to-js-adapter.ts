// Wasm-to-JS adapters: what the host-call dispatcher runs for one imported JS function, generated
// per signature (V8's Wasm-to-JS wrappers). The host-call trampoline has already stored the
// arguments in a value frame at `at` on the thread's value stack; the adapter reads them through the typed arrays,
// converts them with ToJSValue, calls the function with `this` undefined, converts the result
// with ToWebAssemblyValue (an iterable of them for several results) and writes it back over the
// arguments. Nothing is allocated for number signatures: no argument array, no view per call.
// https://webassembly.github.io/spec/js-api/#create-a-host-function

import { ENTRY_VALUE_SLOT_SIZE, VALUE_FRAME_HEADER } from '@flint/backend';
import { ValType, type FuncType } from '@flint/decoder';
import type { ValueStack } from '../native/invoker.ts';

/** Runs one call of the host function whose value frame is at `at`; returns 0 (throws on failure). */
export type HostCallAdapter = (at: number) => number;

export interface AdapterContext {
  readonly fn: (...args: unknown[]) => unknown;
  readonly stack: ValueStack;
  /** ToJSValue of parameter `i` when it is a reference (else unused). */
  readonly toJSRef: readonly ((raw: bigint) => unknown)[];
  /** ToWebAssemblyValue of result `i` when it is a reference (else unused). */
  readonly toWasmRef: readonly ((value: unknown) => bigint)[];
  readonly toBigInt64: (value: unknown) => bigint;
}

type AdapterFactory = (
  fn: (...args: unknown[]) => unknown, i32: Int32Array, f32: Float32Array, f64: Float64Array, i64: BigInt64Array,
  toJSRef: readonly ((raw: bigint) => unknown)[], toWasmRef: readonly ((value: unknown) => bigint)[],
  toBigInt64: (value: unknown) => bigint, toList: (value: unknown, count: number) => unknown[],
) => HostCallAdapter;

const factories = new Map<string, AdapterFactory>();

/** The results of a host function with several results: an iterable of exactly that many values. */
function iterableToList(value: unknown, expected: number): unknown[] {
  if (value === null || typeof value !== 'object' || !(Symbol.iterator in value)) {
    throw new TypeError(`a host function with ${expected} results must return an iterable`);
  }
  const list = [...(value as Iterable<unknown>)];
  if (list.length !== expected) throw new TypeError(`a host function returned ${list.length} values, expected ${expected}`);
  return list;
}

export function makeAdapter(type: FuncType, context: AdapterContext): HostCallAdapter {
  const key = `${type.params.join(',')}:${type.results.join(',')}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    factory = new Function('fn', 'i32', 'f32', 'f64', 'i64', 'toJSRef', 'toWasmRef', 'toBigInt64', 'toList', adapterSource(type)) as AdapterFactory;
    factories.set(key, factory);
  }
  const s = context.stack;
  return factory(context.fn, s.i32, s.f32, s.f64, s.i64, context.toJSRef, context.toWasmRef, context.toBigInt64, iterableToList);
}

/** Index of value slot `slot` of the frame at `at` in a typed array of `bytes`-sized elements. */
const index = (bytes: 4 | 8, slot: number): string => `(at >> ${bytes === 4 ? 2 : 3}) + ${(VALUE_FRAME_HEADER + slot * ENTRY_VALUE_SLOT_SIZE) / bytes}`;

function adapterSource(type: FuncType): string {
  const { params, results } = type;
  const argument = (i: number): string => {
    switch (params[i]) {
      case ValType.I32:
        return `i32[${index(4, i)}]`;
      case ValType.F32:
        return `f32[${index(4, i)}]`;
      case ValType.F64:
        return `f64[${index(8, i)}]`;
      case ValType.I64:
        return `i64[${index(8, i)}]`;
      default:
        return `toJSRef[${i}](i64[${index(8, i)}])`;
    }
  };
  const store = (i: number, value: string): string => {
    switch (results[i]) {
      case ValType.I32:
        return `  i32[${index(4, i)}] = ${value} | 0;`;
      case ValType.F32:
        return `  f32[${index(4, i)}] = +${value};`;
      case ValType.F64:
        return `  f64[${index(8, i)}] = +${value};`;
      case ValType.I64:
        return `  i64[${index(8, i)}] = toBigInt64(${value});`;
      default:
        return `  i64[${index(8, i)}] = toWasmRef[${i}](${value});`;
    }
  };
  const lines = ["'use strict';", 'return function (at) {'];
  const call = `fn(${params.map((_, i) => argument(i)).join(', ')})`;
  if (results.length === 0) lines.push(`  ${call};`);
  else if (results.length === 1) lines.push(`  const r = ${call};`, store(0, 'r'));
  else {
    // Every conversion happens before the first write: a valueOf must not see half the results.
    lines.push(`  const list = toList(${call}, ${results.length});`);
    results.forEach((_, i) => lines.push(`  const r${i} = list[${i}];`));
    results.forEach((_, i) => lines.push(store(i, `r${i}`)));
  }
  lines.push('  return 0;', '};');
  return lines.join('\n');
}
