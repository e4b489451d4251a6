// JS-to-Wasm wrappers: the body of every exported function, generated per signature (V8's
// JS-to-Wasm wrapper cache). A wrapper converts each argument with ToWebAssemblyValue, in order
// and before anything is written (a `valueOf` may call back into Wasm), writes a value frame —
// the callee's FuncRefRecord and the arguments — at the top of the thread's value stack, calls
// the signature's entry trampoline (which takes no arguments: it finds the frame there) and
// converts the results, left in the frame, with ToJSValue. Everything it touches exists before
// the first call — typed arrays over the value stack and HostState, the bound entry function,
// the record's address as two 32-bit words — so a call of an i32/f64 signature allocates nothing
// (i64 results are BigInts by definition).
//
// The source of each wrapper is generated once per signature; it names only slot offsets and
// conversion helpers, never anything that comes from a module, so no input reaches the code.
// https://webassembly.github.io/spec/js-api/#call-an-exported-function

import { ENTRY_VALUE_SLOT_SIZE, HostState, VALUE_FRAME_HEADER, valueFrameBytes } from '@flint/backend';
import { ValType, type FuncType } from '@flint/decoder';
import type { EntryFunction, ValueStack } from '../native/invoker.ts';
import { valueStackExhausted } from '../native/invoker.ts';
import { toBigInt64 } from './js-values.ts';

/** What a wrapper closes over: the callee and the thread's call machinery. */
export interface WrapperContext {
  readonly entry: EntryFunction;
  /** Address of the callee's FuncRefRecord. */
  readonly record: bigint;
  readonly stack: ValueStack;
  /** ToWebAssemblyValue of parameter `i` when it is a reference (else unused). */
  readonly toWasmRef: readonly ((value: unknown) => bigint)[];
  /** ToJSValue of result `i` when it is a reference (else unused). */
  readonly toJSRef: readonly ((raw: bigint) => unknown)[];
  /** The error for a non-zero entry status (a trap, or the exception a host function threw). */
  failure(status: number): unknown;
}

type WrapperFactory = (
  entry: EntryFunction, recordLow: number, recordHigh: number, hs: Uint32Array, size: number,
  u32: Uint32Array, i32: Int32Array, f32: Float32Array, f64: Float64Array, i64: BigInt64Array,
  toBigInt64: (value: unknown) => bigint, toWasmRef: readonly ((value: unknown) => bigint)[],
  toJSRef: readonly ((raw: bigint) => unknown)[], failure: (status: number) => unknown,
  exhausted: () => RangeError, v128: () => TypeError,
) => (...args: unknown[]) => unknown;

const factories = new Map<string, WrapperFactory>();

const v128Error = (): TypeError => new TypeError('v128 values cannot cross between JS and Wasm');

/** The exported-function body for `type`, bound to `context`. */
export function makeWrapper(type: FuncType, context: WrapperContext): (...args: unknown[]) => unknown {
  const key = `${type.params.join(',')}:${type.results.join(',')}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    factory = new Function(
      'entry', 'recordLow', 'recordHigh', 'hs', 'size', 'u32', 'i32', 'f32', 'f64', 'i64', 'toBigInt64', 'toWasmRef', 'toJSRef', 'failure', 'exhausted', 'v128',
      wrapperSource(type),
    ) as WrapperFactory;
    factories.set(key, factory);
  }
  const stack = context.stack;
  const record = context.record;
  return factory(
    context.entry, Number(record & 0xffff_ffffn), Number(record >> 32n), stack.hostWords, stack.size, stack.u32, stack.i32, stack.f32, stack.f64, stack.i64,
    toBigInt64, context.toWasmRef, context.toJSRef, (status) => context.failure(status), valueStackExhausted, v128Error,
  );
}

/** Index of value slot `slot` of the frame at `at` in a typed array of `bytes`-sized elements. */
const index = (bytes: 4 | 8, slot: number): string => `(at >> ${bytes === 4 ? 2 : 3}) + ${(VALUE_FRAME_HEADER + slot * ENTRY_VALUE_SLOT_SIZE) / bytes}`;

function wrapperSource(type: FuncType): string {
  const { params, results } = type;
  const lines: string[] = ["'use strict';", `return function (${params.map((_, i) => `a${i}`).join(', ')}) {`];
  // ToWebAssemblyValue of every argument first, in order.
  params.forEach((param, i) => {
    switch (param) {
      case ValType.I32:
        lines.push(`  const v${i} = a${i} | 0;`);
        break;
      case ValType.F32:
      case ValType.F64:
        lines.push(`  const v${i} = +a${i};`);
        break;
      case ValType.I64:
        lines.push(`  const v${i} = toBigInt64(a${i});`);
        break;
      case ValType.V128:
        lines.push('  throw v128();');
        break;
      default:
        lines.push(`  const v${i} = toWasmRef[${i}](a${i});`);
    }
  });
  if (results.includes(ValType.V128)) lines.push('  throw v128();');
  const bytes = valueFrameBytes(params.length, results.length);
  lines.push(`  const at = hs[${HostState.valueStackTop >> 2}];`);
  lines.push(`  if (at + ${bytes} > size) throw exhausted();`);
  lines.push('  u32[at >> 2] = recordLow;', '  u32[(at >> 2) + 1] = recordHigh;');
  params.forEach((param, i) => {
    switch (param) {
      case ValType.I32:
        lines.push(`  i32[${index(4, i)}] = v${i};`);
        break;
      case ValType.F32:
        lines.push(`  f32[${index(4, i)}] = v${i};`);
        break;
      case ValType.F64:
        lines.push(`  f64[${index(8, i)}] = v${i};`);
        break;
      case ValType.V128:
        break;
      default:
        lines.push(`  i64[${index(8, i)}] = v${i};`);
    }
  });
  lines.push('  const status = entry();');
  lines.push('  if (status !== 0) throw failure(status);');
  const result = (i: number): string => {
    switch (results[i]) {
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
  if (results.length === 1) lines.push(`  return ${result(0)};`);
  else if (results.length > 1) lines.push(`  return [${results.map((_, i) => result(i)).join(', ')}];`);
  lines.push('};');
  return lines.join('\n');
}
