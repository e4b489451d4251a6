// v128 at the JS boundary, as the JS API specifies: v128 flows freely between Wasm functions, but
// calling a function whose signature has v128 from JS, reading a v128 global from JS and calling
// a host function with v128 in its type throw a TypeError; a v128 global cannot be imported
// from a JS number (LinkError).
// https://webassembly.github.io/spec/js-api/#exported-function-exotic-objects
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { describe, expect, it } from 'vitest';
import { WebAssembly } from '../src/index.ts';

const isX64 = process.arch === 'x64' && process.platform === 'linux';
const { I32, V128 } = ValType;
type Fn = (...args: unknown[]) => unknown;

/** f: v128 → v128 (i32x4.add to itself); g: () → i32 calls f and extracts lane 3; a v128 global. */
function simdModule(withHostImport: boolean): Uint8Array {
  const b = new ModuleBuilder();
  const vv = b.addType({ params: [V128], results: [V128] });
  const toI32 = b.addType({ params: [], results: [I32] });
  if (withHostImport) b.addImport('env', 'h', { func: vv });
  const base = withHostImport ? 1 : 0;
  const lanes = [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0x40, 0, 0, 0];
  const f = b.addFunction(vv, [], [...op('local.get', 0), ...op('local.get', 0), ...op('i32x4.add'), ...op('end')]);
  const callee = withHostImport ? 0 : f;
  const g = b.addFunction(toI32, [], [...op('v128.const', lanes), ...op('call', callee), ...op('i32x4.extract_lane', 3), ...op('end')]);
  const global = b.addGlobal({ type: V128, mutable: false }, op('v128.const', lanes));
  b.addExport('f', ExternKind.Func, base + 0);
  b.addExport('g', ExternKind.Func, g);
  b.addExport('v', ExternKind.Global, global);
  return b.toBytes();
}

/** Whether this CPU runs SIMD code (not x64 capped by FLINT_X64_FEATURES=sse2, which lacks SSE4.1). */
const cpuRunsSimd = (): boolean => {
  const b = new ModuleBuilder();
  b.addFunction(b.addType({ params: [], results: [] }), [], [...op('v128.const', new Array(16).fill(0)), ...op('drop'), ...op('end')]);
  return WebAssembly.validate(b.toBytes());
};

describe.skipIf(!isX64 || !cpuRunsSimd())('v128 at the JS boundary (needs an x86-64 Linux host whose CPU runs SIMD code: skipped under FLINT_X64_FEATURES=sse2)', () => {
  for (const lazy of [false, true]) {
    it(`passes v128 between Wasm functions, refuses it at the JS boundary${lazy ? ' (lazy)' : ''}`, () => {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(simdModule(false), { lazy }), {});
      const exports = instance.exports as Record<string, unknown>;
      expect((exports['g'] as Fn)()).toBe(0x80);
      expect(() => (exports['f'] as Fn)()).toThrow(TypeError);
      expect(() => (exports['f'] as Fn)(1)).toThrow(TypeError);
      expect(() => (exports['v'] as { value: unknown }).value).toThrow(TypeError);
    });
  }

  it('a host function with v128 in its type throws a TypeError when Wasm calls it', () => {
    let called = false;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(simdModule(true)), { env: { h: () => (called = true) } });
    expect(() => ((instance.exports as Record<string, unknown>)['g'] as Fn)()).toThrow(TypeError);
    expect(called).toBe(false);
  });

  it('a v128 global cannot be imported from a JS number', () => {
    const b = new ModuleBuilder();
    b.addImport('env', 'g', { global: { type: V128, mutable: false } });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(b.toBytes()), { env: { g: 1 } })).toThrow(WebAssembly.LinkError);
  });
});
