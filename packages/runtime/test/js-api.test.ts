// The JS API on native code: host functions (values, exceptions, re-entrancy), memories (growth
// keeps the base, the ArrayBuffer view), traps as RuntimeError, stack exhaustion, the cache.
import { describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { Engine, WebAssembly } from '../src/index.ts';
import { F32, F64, I32, I64, buildModule, op, sleb } from './helpers/module-builder.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();
type Fn = (...args: unknown[]) => unknown;

/** Module: import env.f (type 0), export "call" (type 0) that calls it, plus extra funcs. */
function callerOf(params: number[], results: number[]): Uint8Array {
  const body: number[] = [];
  params.forEach((_, i) => body.push(op.localGet, i));
  body.push(op.call, 0);
  return buildModule({ types: [[params, results]], imports: [{ module: 'env', name: 'f', func: 0 }], funcs: [{ type: 0, body, export: 'call' }] });
}

describe.skipIf(!isX64)('JS API on native code (needs an x86-64 Linux host)', () => {
  it('passes values to a host function and back, as the JS API converts them', () => {
    const seen: unknown[][] = [];
    const instance = new WebAssembly.Instance(new WebAssembly.Module(callerOf([I32, I64, F32, F64], [F64])), {
      env: { f: (...args: unknown[]) => { seen.push(args); return 2.5; } },
    });
    const call = instance.exports['call'] as Fn;
    expect(call(-7, 1n << 40n, 1.1, 3.25)).toBe(2.5);
    // f32 arguments are rounded with Math.fround; i64 crosses as a BigInt.
    expect(seen).toEqual([[-7, 1n << 40n, Math.fround(1.1), 3.25]]);
    expect(call.length).toBe(4);
    expect(call.name).toBe('1');
    expect(() => call(1, 2, 3, 4)).toThrow(TypeError);
  });

  it('passes stack parameters and multiple results both ways (entry and host-call trampolines)', () => {
    const params = [I64, I64, I64, I64, I64, I64, I64, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64];
    const seen: unknown[][] = [];
    const instance = new WebAssembly.Instance(new WebAssembly.Module(callerOf(params, [I32, I64, F64, I32])), {
      env: {
        f: (...args: unknown[]) => {
          seen.push(args);
          return [args[7], (args[0] as bigint) + (args[6] as bigint), (args[8] as number) + (args[16] as number), -1];
        },
      },
    });
    const args = [1n, 2n, 3n, 4n, 5n, 6n, 1n << 50n, 77, 0.5, 1, 2, 3, 4, 5, 6, 7, 8.25];
    expect((instance.exports['call'] as Fn)(...args)).toEqual([77, 1n + (1n << 50n), 8.75, -1]);
    expect(seen).toEqual([args]);
  });

  it('rethrows a host exception unchanged from the outermost call, and keeps working afterwards', () => {
    const failure = new Error('from the host');
    let fail = true;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(callerOf([I32], [I32])), {
      env: { f: (x: unknown) => { if (fail) throw failure; return (x as number) + 1; } },
    });
    const call = instance.exports['call'] as Fn;
    let caught: unknown;
    try {
      call(1);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(failure);
    fail = false;
    expect(call(41)).toBe(42);
  });

  it('supports re-entrancy: JS → Wasm → JS → Wasm, with an exception from the innermost level', () => {
    let inner: Fn | undefined;
    const depths: number[] = [];
    const instance = new WebAssembly.Instance(new WebAssembly.Module(callerOf([I32], [I32])), {
      env: {
        f: (n: unknown) => {
          const depth = n as number;
          depths.push(depth);
          if (depth === 0) return 100;
          if (depth === -1) throw new RangeError('innermost');
          return (inner!(depth - 1) as number) + 1;
        },
      },
    });
    inner = instance.exports['call'] as Fn;
    expect(inner(5)).toBe(105);
    expect(depths).toEqual([5, 4, 3, 2, 1, 0]);
    expect(() => inner!(-1)).toThrow(new RangeError('innermost'));
    // The saved host state was restored at every level: calls keep working.
    expect(inner(2)).toBe(102);
  });

  it('calls another instance\'s function as an import, and a trap there surfaces as RuntimeError', () => {
    const provider = new WebAssembly.Instance(new WebAssembly.Module(buildModule({
      types: [[[I32, I32], [I32]]],
      funcs: [{ type: 0, body: [op.localGet, 0, op.localGet, 1, op.i32DivS], export: 'div' }],
    })));
    const consumer = new WebAssembly.Instance(new WebAssembly.Module(callerOf([I32, I32], [I32])), { env: { f: provider.exports['div'] } });
    const call = consumer.exports['call'] as Fn;
    expect(call(84, 2)).toBe(42);
    expect(() => call(1, 0)).toThrow(WebAssembly.RuntimeError);
    expect(() => call(1, 0)).toThrow('integer divide by zero');
    expect(call(-9, 3)).toBe(-3);
  });

  it('reports traps as RuntimeError with the spec message', () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(buildModule({
      types: [[[], []]],
      funcs: [{ type: 0, body: [op.unreachable], export: 'boom' }],
    })));
    expect(() => (instance.exports['boom'] as Fn)()).toThrow(WebAssembly.RuntimeError);
    expect(() => (instance.exports['boom'] as Fn)()).toThrow('unreachable');
  });

  it('turns unbounded recursion into RuntimeError: call stack exhausted, repeatedly', () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(buildModule({
      types: [[[I32], [I32]]],
      funcs: [{ type: 0, body: [op.localGet, 0, op.i32Const, 1, op.i32Add, op.call, 0], export: 'rec' }],
    })));
    for (let i = 0; i < 3; i++) expect(() => (instance.exports['rec'] as Fn)(0)).toThrow('call stack exhausted');
  });

  it('grows memory in place: the base stays, the buffer is refreshed, the maximum holds', () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(buildModule({
      types: [[[I32], [I32]], [[I32, I32], []]],
      memory: [1, 3],
      funcs: [
        { type: 0, body: [op.localGet, 0, ...op.memoryGrow], export: 'grow' },
        { type: 1, body: [op.localGet, 0, op.localGet, 1, op.i32Store, 2, 0], export: 'store' },
        { type: 0, body: [op.localGet, 0, op.i32Load, 2, 0], export: 'load' },
      ],
      exports: [{ name: 'memory', kind: 2, index: 0 }],
    })));
    const memory = instance.exports['memory'] as InstanceType<typeof WebAssembly.Memory>;
    const store = instance.exports['store'] as Fn;
    const load = instance.exports['load'] as Fn;
    const before = memory.buffer;
    expect(before.byteLength).toBe(65536);
    store(100, 0x1234_5678);
    expect(new DataView(memory.buffer).getUint32(100, true)).toBe(0x1234_5678);
    new DataView(memory.buffer).setUint32(200, 77, true);
    expect(load(200)).toBe(77);
    expect((instance.exports['grow'] as Fn)(1)).toBe(1);
    expect(memory.buffer.byteLength).toBe(2 * 65536);
    expect(memory.buffer).not.toBe(before);
    // Same bytes, same place: data written before growth is still there, new pages are zero.
    expect(new DataView(memory.buffer).getUint32(100, true)).toBe(0x1234_5678);
    store(65536 + 4, 9);
    expect(new DataView(memory.buffer).getUint32(65536 + 4, true)).toBe(9);
    expect(memory.grow(1)).toBe(2);
    expect(load(2 * 65536)).toBe(0);
    expect(() => memory.grow(1)).toThrow(RangeError);
    expect((instance.exports['grow'] as Fn)(1)).toBe(-1);
    expect(() => load(3 * 65536)).toThrow('out of bounds memory access');
  });

  it('shares a mutable global between JS and two instances (aliasing storage)', () => {
    const global = new WebAssembly.Global({ value: 'i32', mutable: true }, 5);
    const bytes = buildModule({
      types: [[[], [I32]], [[I32], []]],
      imports: [{ module: 'env', name: 'g', global: [I32, true] }],
      funcs: [
        { type: 0, body: [op.globalGet, 0], export: 'get' },
        { type: 1, body: [op.localGet, 0, op.globalSet, 0], export: 'set' },
      ],
    });
    const module = new WebAssembly.Module(bytes);
    const a = new WebAssembly.Instance(module, { env: { g: global } });
    const b = new WebAssembly.Instance(module, { env: { g: global } });
    (a.exports['set'] as Fn)(42);
    expect((b.exports['get'] as Fn)()).toBe(42);
    expect(global.value).toBe(42);
    global.value = -3;
    expect((a.exports['get'] as Fn)()).toBe(-3);
  });

  it('compiles lazily: a function compiles on its first call, through stubs and the jump table', () => {
    const engine = new Engine();
    // f0(x) = f1(x) + 1 (a direct call), f1(x) = x * 2 via x + x; f2 never called.
    const bytes = buildModule({
      types: [[[I32], [I32]]],
      funcs: [
        { type: 0, body: [op.localGet, 0, op.call, 1, op.i32Const, 1, op.i32Add], export: 'outer' },
        { type: 0, body: [op.localGet, 0, op.localGet, 0, op.i32Add], export: 'inner' },
        { type: 0, body: [op.unreachable], export: 'never' },
      ],
    });
    const separate = engine.compile(bytes, { lazy: true });
    expect(engine.compile(bytes, { lazy: true })).toBe(separate);
    expect(engine.compile(bytes)).not.toBe(separate);
    expect(engine.compile(bytes).lazy).toBeNull();
    const compiled = engine.compile(bytes, { lazy: true });
    const module = WebAssembly.Module.fromCompiled(compiled);
    expect(compiled.lazy!.compiledCount).toBe(0);
    const instance = new WebAssembly.Instance(module, {});
    expect((instance.exports['outer'] as Fn)(20)).toBe(41);
    expect(compiled.lazy!.compiledCount).toBe(2);
    expect((instance.exports['outer'] as Fn)(1)).toBe(3);
    expect((instance.exports['inner'] as Fn)(5)).toBe(10);
    expect(compiled.lazy!.compiledCount).toBe(2);
    expect(() => (instance.exports['never'] as Fn)()).toThrow('unreachable');
    expect(compiled.lazy!.compiledCount).toBe(3);
  });

  it('caches compiled modules by bytes and options', () => {
    const engine = new Engine();
    const bytes = buildModule({ types: [[[], [I32]]], funcs: [{ type: 0, body: [op.i32Const, ...sleb(3)], export: 'three' }] });
    const first = engine.compile(bytes);
    expect(engine.compile(bytes.slice())).toBe(first);
    const other = buildModule({ types: [[[], [I32]]], funcs: [{ type: 0, body: [op.i32Const, ...sleb(4)], export: 'three' }] });
    expect(engine.compile(other)).not.toBe(first);
  });

  it('exposes Module.imports, exports and customSections; validate; the promise API', async () => {
    const bytes = callerOf([I32], [I32]);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'f', kind: 'function' }]);
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: 'call', kind: 'function' }]);
    expect(WebAssembly.Module.customSections(module, 'x')).toEqual([]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(WebAssembly.validate(bytes.subarray(0, 10))).toBe(false);
    expect(() => new WebAssembly.Module(bytes.subarray(0, 10))).toThrow(WebAssembly.CompileError);
    const result = await WebAssembly.instantiate(bytes, { env: { f: (x: unknown) => (x as number) * 2 } });
    expect((result.instance.exports['call'] as Fn)(21)).toBe(42);
    const again = await WebAssembly.instantiate(result.module, { env: { f: (x: unknown) => (x as number) + 1 } });
    expect((again.exports['call'] as Fn)(1)).toBe(2);
  });
});
