// Stack-trace scenarios, runnable on any `WebAssembly`-shaped namespace — Flint's, or Node's own
// (V8), which is the reference for the frames' shape, names and offsets. Each scenario builds a
// module, instantiates it with JS imports, calls an export that fails, and returns the error.
// The same scenarios run under qemu for arm64 (see stack-trace.test.ts).
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, nameBytes, op, uleb } from '@flint/decoder/testing';

/** The part of a `WebAssembly` namespace the scenarios use. */
export interface WasmNamespace {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export interface ScenarioModule {
  readonly bytes: Uint8Array;
  /** Function indices by name (imports first). */
  readonly index: Readonly<Record<string, number>>;
}

/** The name section: the module's name (optional) and function names. */
function nameSection(moduleName: string | null, functions: ReadonlyMap<number, string>): number[] {
  const out: number[] = [];
  if (moduleName !== null) {
    const payload = nameBytes(moduleName);
    out.push(0, ...uleb(payload.length), ...payload);
  }
  const entries = [...functions].sort((a, b) => a[0] - b[0]);
  const payload = [...uleb(entries.length), ...entries.flatMap(([index, name]) => [...uleb(index), ...nameBytes(name)])];
  out.push(1, ...uleb(payload.length), ...payload);
  return out;
}

/**
 * The scenario module. Imports `env.cb` () → () and `env.reenter` (i32) → i32; defines
 *   inner(i32) → i32      1 / x: traps for 0                           (named)
 *   (anon)(i32) → i32     calls inner                                   (no name)
 *   callsjs()             calls env.cb                                  (named)
 *   indirect(i32) → i32   call_indirect of table[0] = inner             (named)
 *   recurse(i32) → i32    calls itself for ever: stack exhaustion       (named)
 *   viajs(i32) → i32      calls env.reenter                             (named)
 *   deep(i32) → i32       x > 0 ? deep(x - 1) : inner(0)                (named)
 * and exports each under its name (the anonymous one as `anon`).
 */
export function scenarioModule(moduleName: string | null = null): ScenarioModule {
  const b = new ModuleBuilder();
  const voidType = b.addType({ params: [], results: [] });
  const unary = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  b.addImport('env', 'cb', { func: voidType });
  b.addImport('env', 'reenter', { func: unary });
  const index: Record<string, number> = { cb: 0, reenter: 1 };
  const define = (name: string, type: number, body: number[]): number => {
    const f = b.addFunction(type, [], [...body, ...op('end')]);
    index[name] = f;
    return f;
  };
  const inner = define('inner', unary, [...op('i32.const', 1), ...op('local.get', 0), ...op('i32.div_s')]);
  define('anon', unary, [...op('local.get', 0), ...op('call', inner)]);
  define('callsjs', voidType, [...op('call', 0)]);
  b.addTable({ min: 1 });
  b.addElement({ offset: op('i32.const', 0), funcs: [inner] });
  define('indirect', unary, [...op('local.get', 0), ...op('i32.const', 0), ...op('call_indirect', unary, 0)]);
  // A function calling itself needs its index before it is defined: the next one (imports included).
  const next = (): number => Object.keys(index).length;
  define('recurse', unary, [...op('local.get', 0), ...op('call', next())]);
  define('viajs', unary, [...op('local.get', 0), ...op('call', 1)]);
  const deep = next();
  define('deep', unary, [
    ...op('local.get', 0),
    ...op('if', ValType.I32),
    ...op('local.get', 0),
    ...op('i32.const', 1),
    ...op('i32.sub'),
    ...op('call', deep),
    ...op('else'),
    ...op('i32.const', 0),
    ...op('call', inner),
    ...op('end'),
  ]);
  for (const [name, f] of Object.entries(index)) if (f >= 2) b.addExport(name, ExternKind.Func, f);
  const names = new Map(Object.entries(index).filter(([name]) => name !== 'anon').map(([name, f]) => [f, name] as [number, string]));
  b.addCustomSection('name', nameSection(moduleName, names));
  return { bytes: b.toBytes(), index };
}

export interface ScenarioOutcome {
  readonly name: string;
  readonly error: unknown;
}

type Fn = (...args: unknown[]) => unknown;

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('the scenario did not fail');
}

/**
 * Runs every scenario on `wasm` and returns what each threw. `moduleName` names the module in the
 * name section. Stack exhaustion is left out when `includeExhaustion` is false (V8 reports it as
 * its own RangeError at its own depth).
 */
export function runScenarios(wasm: WasmNamespace, moduleName: string | null = null, includeExhaustion = true): ScenarioOutcome[] {
  const { bytes } = scenarioModule(moduleName);
  const module = new wasm.Module(bytes);
  let exports: Record<string, unknown> = {};
  const imports = {
    env: {
      cb: function cb(): never {
        throw new Error('thrown by a host function');
      },
      reenter: function reenter(x: number): unknown {
        return (exports['anon'] as Fn)(x);
      },
    },
  };
  exports = new wasm.Instance(module, imports).exports;
  const call = (name: string, ...args: unknown[]) => (exports[name] as Fn)(...args);
  const outcomes: ScenarioOutcome[] = [
    { name: 'trap in a callee', error: failure(() => call('anon', 0)) },
    { name: 'host exception through Wasm', error: failure(() => call('callsjs')) },
    { name: 'trap through call_indirect', error: failure(() => call('indirect', 0)) },
    { name: 'trap in a nested activation', error: failure(() => call('viajs', 0)) },
    { name: 'trap under recursion', error: failure(() => call('deep', 3)) },
  ];
  if (includeExhaustion) outcomes.push({ name: 'stack exhaustion', error: failure(() => call('recurse', 0)) });
  return outcomes;
}
