// A synthetic module with many functions for the compile-pool tests: function k (k ≥ 1) calls
// function k-1 and adds k and `padding` ones, so f_k(x) = x + Σ_{j=0..k} padding + Σ_{j=1..k} j:
// every function has real code and a relocated call, and any result can be computed without
// Wasm. Every tenth function calls through the table (`call_indirect`, whose signature check
// uses canonical type ids), so the code of both call kinds is compared across threads. Written here, not with module-builder.ts, because its array spreads overflow the stack
// for megabyte-sized sections. Binary format: https://webassembly.github.io/spec/core/binary/modules.html

import { uleb, sleb } from './module-builder.ts';

const I32 = 0x7f;
const LOCAL_GET = 0x20;
const CALL = 0x10;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I64_CONST = 0x42;
const CALL_INDIRECT = 0x11;
const FUNCREF = 0x70;
const END = 0x0b;

export interface ChainModuleOptions {
  readonly functions: number;
  /** `i32.const 1; i32.add` pairs per function: the knob for code size and compile time. */
  readonly padding: number;
  /** Makes this function's body invalid (an i64 operand to i32.add). */
  readonly invalidFunction?: number;
  /** Appends this (valid, stack-neutral) code to function 0, e.g. an operator the baseline tier lacks. */
  readonly extraInFirst?: readonly number[];
}

function pushAll(out: number[], items: readonly number[]): void {
  for (const item of items) out.push(item);
}

export function chainModule({ functions, padding, invalidFunction, extraInFirst }: ChainModuleOptions): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, payload: number[]): void => {
    out.push(id);
    pushAll(out, uleb(payload.length));
    pushAll(out, payload);
  };
  section(1, [1, 0x60, 1, I32, 1, I32]);
  const funcSection = uleb(functions);
  for (let k = 0; k < functions; k++) funcSection.push(0);
  section(3, funcSection);
  section(4, [1, FUNCREF, 0x00, ...uleb(functions)]);
  const exports = uleb(functions);
  for (let k = 0; k < functions; k++) {
    const name = [...new TextEncoder().encode(`f${k}`)];
    pushAll(exports, uleb(name.length));
    pushAll(exports, name);
    exports.push(0);
    pushAll(exports, uleb(k));
  }
  section(7, exports);
  const elements = [1, 0x00, I32_CONST, 0, END, ...uleb(functions)];
  for (let k = 0; k < functions; k++) pushAll(elements, uleb(k));
  section(9, elements);
  const code = uleb(functions);
  for (let k = 0; k < functions; k++) {
    const body: number[] = [0, LOCAL_GET, 0];
    if (k > 0) {
      if (k % 10 === 0) {
        body.push(I32_CONST);
        pushAll(body, sleb(k - 1));
        body.push(CALL_INDIRECT, 0, 0);
      } else {
        body.push(CALL);
        pushAll(body, uleb(k - 1));
      }
      body.push(I32_CONST);
      pushAll(body, sleb(k));
      body.push(I32_ADD);
    }
    for (let p = 0; p < padding; p++) body.push(I32_CONST, 1, I32_ADD);
    if (k === invalidFunction) body.push(I64_CONST, 0, I32_ADD);
    if (k === 0 && extraInFirst !== undefined) pushAll(body, extraInFirst);
    body.push(END);
    pushAll(code, uleb(body.length));
    pushAll(code, body);
  }
  section(10, code);
  return new Uint8Array(out);
}

/** f_k(x) by the formula, as an i32. */
export function chainResult(k: number, x: number, padding: number): number {
  return (x + (k * (k + 1)) / 2 + (k + 1) * padding) | 0;
}
