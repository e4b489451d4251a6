// A synthetic module with many functions for the compile-pool tests: function k (k ≥ 1) calls
// function k-1 and adds k and `padding` ones, so f_k(x) = x + Σ_{j=1..k} (j + padding): every
// function has real code and a relocated call, and any result can be computed without Wasm.

import { I32, I64, buildModule, op, sleb, uleb } from './module-builder.ts';

export interface ChainModuleOptions {
  readonly functions: number;
  /** `i32.const 1; i32.add` pairs per function: the knob for code size and compile time. */
  readonly padding: number;
  /** Makes this function's body invalid (an i64 operand to i32.add). */
  readonly invalidFunction?: number;
}

export function chainModule({ functions, padding, invalidFunction }: ChainModuleOptions): Uint8Array {
  const funcs = [];
  for (let k = 0; k < functions; k++) {
    const body: number[] = [op.localGet, 0];
    if (k > 0) body.push(op.call, ...uleb(k - 1), op.i32Const, ...sleb(k), op.i32Add);
    for (let p = 0; p < padding; p++) body.push(op.i32Const, 1, op.i32Add);
    if (k === invalidFunction) body.push(op.i64Const, 0, op.i32Add);
    funcs.push({ type: 0, body, export: `f${k}` });
  }
  void I64;
  return buildModule({ types: [[[I32], [I32]]], funcs });
}

/** f_k(x) by the formula, as an i32. */
export function chainResult(k: number, x: number, padding: number): number {
  return (x + (k * (k + 1)) / 2 + k * padding + padding) | 0;
}
