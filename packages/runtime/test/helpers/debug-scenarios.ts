// Debugging scenarios on one module, runnable in this process and (bundled) under qemu for arm64:
// breakpoints in a loop and in recursion, stepping over, into and out of calls, clearing. Each
// returns a trace of what the pause callback saw, so two runs can be compared exactly.
import { ExternKind, OPERATORS_BY_NAME, ValType } from '@flint/decoder';
import { ModuleBuilder, nameBytes, op, uleb } from '@flint/decoder/testing';
import type { CompiledModule, Engine, PausedState, ResumeAction, WebAssembly as WebAssemblyNamespace } from '../../src/index.ts';

export interface DebugModule {
  readonly bytes: Uint8Array;
  /** Function indices by name. */
  readonly index: Readonly<Record<string, number>>;
}

/**
 *   sum(n: i32) → i32          Σ i for i in [0, n), in a loop: acc = acc + i
 *   fact(n: i64) → i64         n == 0 ? 1 : n * fact(n - 1)
 *   main(n: i32) → i32         sum(n) + 1
 *   mix(a: f64, b: i64, c: f32) → f64   a + b + c, with a local f64 d = a * 2
 */
export function debugModule(): DebugModule {
  const b = new ModuleBuilder();
  const i32ToI32 = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  const i64ToI64 = b.addType({ params: [ValType.I64], results: [ValType.I64] });
  const mixType = b.addType({ params: [ValType.F64, ValType.I64, ValType.F32], results: [ValType.F64] });
  const sum = b.addFunction(i32ToI32, [ValType.I32, ValType.I32], [
    ...op('loop', undefined),
    ...op('local.get', 2),
    ...op('local.get', 1),
    ...op('i32.add'),
    ...op('local.set', 2),
    ...op('local.get', 1),
    ...op('i32.const', 1),
    ...op('i32.add'),
    ...op('local.tee', 1),
    ...op('local.get', 0),
    ...op('i32.lt_s'),
    ...op('br_if', 0),
    ...op('end'),
    ...op('local.get', 2),
    ...op('end'),
  ]);
  const fact = b.addFunction(i64ToI64, [], [
    ...op('local.get', 0),
    ...op('i64.eqz'),
    ...op('if', ValType.I64),
    ...op('i64.const', 1n),
    ...op('else'),
    ...op('local.get', 0),
    ...op('local.get', 0),
    ...op('i64.const', 1n),
    ...op('i64.sub'),
    ...op('call', 1),
    ...op('i64.mul'),
    ...op('end'),
    ...op('end'),
  ]);
  const main = b.addFunction(i32ToI32, [], [...op('local.get', 0), ...op('call', sum), ...op('i32.const', 1), ...op('i32.add'), ...op('end')]);
  const mix = b.addFunction(mixType, [ValType.F64], [
    ...op('local.get', 0),
    ...op('f64.const', 2),
    ...op('f64.mul'),
    ...op('local.set', 3),
    ...op('local.get', 0),
    ...op('local.get', 1),
    ...op('f64.convert_i64_s'),
    ...op('f64.add'),
    ...op('local.get', 2),
    ...op('f64.promote_f32'),
    ...op('f64.add'),
    ...op('end'),
  ]);
  const index = { sum, fact, main, mix };
  for (const [name, f] of Object.entries(index)) b.addExport(name, ExternKind.Func, f);
  const entries = Object.entries(index).map(([name, f]) => [...uleb(f), ...nameBytes(name)]);
  const functionNames = [...uleb(entries.length), ...entries.flat()];
  b.addCustomSection('name', [1, ...uleb(functionNames.length), ...functionNames]);
  return { bytes: b.toBytes(), index };
}

/**
 * A module that uses SIMD, so its baseline frames have 16-byte slots:
 *   lanes(a: i32, x: f64) → i32   v = i32x4.splat(a); i32x4.extract_lane 3 (v + v)
 */
export function simdDebugModule(): DebugModule {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [ValType.I32, ValType.F64], results: [ValType.I32] });
  const lanes = b.addFunction(type, [ValType.V128], [
    ...op('local.get', 0),
    ...op('i32x4.splat'),
    ...op('local.set', 2),
    ...op('local.get', 2),
    ...op('local.get', 2),
    ...op('i32x4.add'),
    ...op('i32x4.extract_lane', 3),
    ...op('end'),
  ]);
  b.addExport('lanes', ExternKind.Func, lanes);
  return { bytes: b.toBytes(), index: { lanes } };
}

/** The module offset of the `nth` (0-based) operator named `name` in function `funcIndex`. */
export function offsetOf(engine: Engine, module: CompiledModule, funcIndex: number, name: string, nth = 0): number {
  const offsets = engine.debugger().operatorOffsets(module, funcIndex);
  const body = module.module.codes[funcIndex - module.module.numImportedFunctions]!.code;
  const { prefix, code } = OPERATORS_BY_NAME.get(name)![0]!;
  const opcodeBytes = prefix === 0 ? [code] : [prefix, ...uleb(code)];
  const matching = offsets.filter((at) => opcodeBytes.every((byte, i) => body.bytes[at - body.offset + i] === byte));
  const found = matching[nth];
  if (found === undefined) throw new Error(`no ${name} #${nth} in function ${funcIndex}`);
  return found;
}

/** What one pause showed, in a form that compares across runs. */
export interface PauseRecord {
  readonly reason: PausedState['reason'];
  readonly frames: readonly { readonly fn: string | null; readonly offset: number; readonly locals: readonly string[] | null; readonly stack: readonly string[] | null }[];
}

function record(state: PausedState): PauseRecord {
  const show = (values: readonly { type: string; value: number | bigint }[] | null) => (values === null ? null : values.map((v) => `${v.type}:${String(v.value)}`));
  return { reason: state.reason, frames: state.frames.map((f) => ({ fn: f.functionName, offset: f.offset, locals: show(f.locals), stack: show(f.stack) })) };
}

export interface ScenarioTrace {
  readonly name: string;
  readonly pauses: readonly PauseRecord[];
  readonly result: string;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Runs every scenario with `engine` (compiling with `options`; `wasm` is the runtime's
 * `WebAssembly` namespace of the same thread) and returns what each saw.
 */
export function runDebugScenarios(engine: Engine, wasm: typeof WebAssemblyNamespace, options: { tier?: string; lazy?: boolean } = {}): ScenarioTrace[] {
  const { bytes, index } = debugModule();
  const traces: ScenarioTrace[] = [];
  const scenario = (name: string, run: (module: CompiledModule, exports: Record<string, Fn>, pauses: PauseRecord[]) => unknown, onPause: (state: PausedState, count: number) => ResumeAction, moduleBytes = bytes): void => {
    // A module per scenario: breakpoints and stepping state stay with it.
    const module = engine.compile(moduleBytes, { ...options, url: `debug-scenario:${name}` });
    const exports = new wasm.Instance(wasm.Module.fromCompiled(module), {}).exports as Record<string, Fn>;
    const pauses: PauseRecord[] = [];
    engine.debugger({
      onPause: (state) => {
        pauses.push(record(state));
        return onPause(state, pauses.length);
      },
    });
    const result = run(module, exports, pauses);
    for (const breakpoint of engine.debugger().breakpoints()) if (breakpoint.module === module) engine.debugger().clearBreakpoint(breakpoint);
    traces.push({ name, pauses, result: String(result) });
  };
  const dbg = engine.debugger();

  scenario(
    'breakpoint in a loop, then cleared',
    (module, exports) => {
      const breakpoint = dbg.setBreakpoint(module, index.sum, offsetOf(engine, module, index.sum, 'i32.add'));
      const first = exports['sum']!(4);
      dbg.clearBreakpoint(breakpoint);
      const second = exports['sum']!(4);
      return `${String(first)} ${String(second)}`;
    },
    () => 'continue',
  );
  scenario(
    'breakpoint in recursion',
    (module, exports) => {
      dbg.setBreakpoint(module, index.fact, offsetOf(engine, module, index.fact, 'i64.const'));
      return exports['fact']!(5n);
    },
    () => 'continue',
  );
  scenario(
    'step over through a loop iteration',
    (module, exports) => {
      dbg.setBreakpoint(module, index.sum, offsetOf(engine, module, index.sum, 'local.set'));
      return exports['sum']!(3);
    },
    (_state, count) => (count < 12 ? 'stepOver' : 'continue'),
  );
  scenario(
    'step into a call and out of it',
    (module, exports) => {
      dbg.setBreakpoint(module, index.main, offsetOf(engine, module, index.main, 'call'));
      return exports['main']!(2);
    },
    // At the call: into sum; two steps in sum; out to main after the call; then go on.
    (_state, count) => (['stepInto', 'stepOver', 'stepOver', 'stepOut'] as const)[count - 1] ?? 'continue',
  );
  scenario(
    'step over a call',
    (module, exports) => {
      dbg.setBreakpoint(module, index.main, offsetOf(engine, module, index.main, 'call'));
      return exports['main']!(3);
    },
    (_state, count) => (count < 3 ? 'stepOver' : 'continue'),
  );
  scenario(
    'locals of every type',
    (module, exports) => {
      dbg.setBreakpoint(module, index.mix, offsetOf(engine, module, index.mix, 'f64.add', 1));
      return exports['mix']!(1.5, -7n, 0.25);
    },
    () => 'continue',
  );
  const simd = simdDebugModule();
  // A CPU without what SIMD code needs (x64 capped by FLINT_X64_FEATURES=sse2) rejects the module
  // (feature truth): no trace then, and the tests that read it say why they skip.
  if (wasm.validate(simd.bytes)) scenario(
    'v128 locals and operands (16-byte slots)',
    (module, exports) => {
      dbg.setBreakpoint(module, simd.index['lanes']!, offsetOf(engine, module, simd.index['lanes']!, 'i32x4.add'));
      return exports['lanes']!(5, 2.5);
    },
    () => 'continue',
    simd.bytes,
  );
  return traces;
}
