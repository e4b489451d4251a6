// Runs a parsed `.wast` script on Flint through its JS API (bit-exact values through
// `@flint/runtime/testing`), command by command, and reports one outcome per command. Used by
// the execution tests (every configuration) and usable by other harnesses.
// Script semantics: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts

import { WebAssembly, RuntimeError, LinkError, UnsupportedError, UnsupportedFeatureError, type CompileOptions } from '@flint/runtime';
import { externToRaw, globalValueRaw, invokeRaw, isRawFuncRef, rawToExtern, type WasmValue } from '@flint/runtime/testing';
import type { WastAction, WastCommand, WastConst, WastExpected, WastModule, WastScript } from '@flint/text';
import { parseWat } from '@flint/text';

export interface CommandOutcome {
  readonly line: number;
  readonly command: WastCommand['type'];
  readonly status: 'pass' | 'fail' | 'skip';
  readonly message: string;
}

/** One engine configuration every execution test runs on. */
export interface EngineConfig {
  readonly name: string;
  readonly options: CompileOptions;
}

type Exports = Record<string, unknown>;

/** Host objects standing for `ref.extern n` / `ref.host n`, stable per n. */
const externObjects = new Map<string, object>();
function externObject(kind: string, n: number): object {
  const key = `${kind}:${n}`;
  let value = externObjects.get(key);
  if (value === undefined) {
    value = { [kind]: n };
    externObjects.set(key, value);
  }
  return value;
}

/** The `spectest` module every script may import from. */
function spectest(): Exports {
  const print = (): void => {};
  return {
    print,
    print_i32: print,
    print_i64: print,
    print_f32: print,
    print_f64: print,
    print_i32_f32: print,
    print_f64_f64: print,
    global_i32: 666,
    global_i64: 666n,
    global_f32: 666.6,
    global_f64: 666.6,
    table: new WebAssembly.Table({ element: 'anyfunc', initial: 10, maximum: 20 }),
    table64: new WebAssembly.Table({ element: 'anyfunc', initial: 10, maximum: 20, address: 'i64' }),
    memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
  };
}

class Skip extends Error {}

export class WastRunner {
  readonly #config: EngineConfig;
  readonly #registered = new Map<string, Exports | Skip>();
  readonly #instances = new Map<string, Exports | Skip>();
  readonly #definitions = new Map<string, InstanceType<typeof WebAssembly.Module> | Skip>();
  /** The current instance, or why the module that should be current was skipped. */
  #current: Exports | Skip | null = null;

  constructor(config: EngineConfig) {
    this.#config = config;
    this.#registered.set('spectest', spectest());
  }

  run(script: WastScript): CommandOutcome[] {
    return script.commands.map((command) => {
      try {
        this.runCommand(command);
        return { line: command.line, command: command.type, status: 'pass', message: '' };
      } catch (error) {
        if (error instanceof Skip) return { line: command.line, command: command.type, status: 'skip', message: error.message };
        if (error instanceof UnsupportedError) return { line: command.line, command: command.type, status: 'skip', message: error.message };
        return { line: command.line, command: command.type, status: 'fail', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    });
  }

  private runCommand(command: WastCommand): void {
    switch (command.type) {
      case 'module': {
        let module: InstanceType<typeof WebAssembly.Module>;
        let exports: Exports;
        try {
          module = this.compile(command);
          if (command.definition === true) {
            if (command.id !== undefined) this.#definitions.set(command.id, module);
            return;
          }
          exports = this.instantiate(module);
        } catch (error) {
          // Later commands on a module the engine cannot run are skipped for the same reason.
          if (error instanceof UnsupportedError || error instanceof Skip) {
            const skip = new Skip(error.message);
            if (command.definition === true) {
              if (command.id !== undefined) this.#definitions.set(command.id, skip);
            } else {
              this.#current = skip;
              if (command.id !== undefined) this.#instances.set(command.id, skip);
            }
          }
          throw error;
        }
        this.#current = exports;
        if (command.id !== undefined) this.#instances.set(command.id, exports);
        return;
      }
      case 'module_instance': {
        const module = this.#definitions.get(command.module ?? '');
        if (module === undefined) throw new Error(`unknown module definition ${command.module}`);
        if (module instanceof Skip) {
          if (command.instance !== null) this.#instances.set(command.instance, module);
          this.#current = module;
          throw new Skip(module.message);
        }
        let exports: Exports;
        try {
          exports = this.instantiate(module);
        } catch (error) {
          if (error instanceof UnsupportedError || error instanceof Skip) {
            const skip = new Skip(error.message);
            this.#current = skip;
            if (command.instance !== null) this.#instances.set(command.instance, skip);
          }
          throw error;
        }
        this.#current = exports;
        if (command.instance !== null) this.#instances.set(command.instance, exports);
        return;
      }
      case 'register': {
        const exports = command.module === null ? this.#current : this.#instances.get(command.module);
        // Registering a skipped module registers the skip: its importers are skipped too.
        if (exports instanceof Skip) {
          this.#registered.set(command.name, exports);
          throw new Skip(exports.message);
        }
        this.#registered.set(command.name, this.instanceOf(command.module));
        return;
      }
      case 'action':
        this.perform(command.action);
        return;
      case 'assert_return': {
        const results = this.perform(command.action);
        if (results.length !== command.expected.length) throw new Error(`expected ${command.expected.length} results, got ${results.length}`);
        command.expected.forEach((expected, i) => {
          if (!matches(expected, results[i]!)) throw new Error(`result ${i}: expected ${describeExpected(expected)}, got ${describeRaw(results[i]!)}`);
        });
        return;
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        const error = this.expectFailure(() => this.perform(command.action));
        expectRuntimeError(error, command.text);
        return;
      }
      case 'assert_trap_module':
      case 'assert_uninstantiable': {
        const module = this.compile(command.module);
        const error = this.expectFailure(() => this.instantiate(module));
        expectRuntimeError(error, command.text);
        return;
      }
      case 'assert_unlinkable': {
        const module = this.compile(command.module);
        const error = this.expectFailure(() => this.instantiate(module));
        if (!(error instanceof LinkError)) throw new Error(`expected a LinkError (${command.text}), got ${String(error)}`);
        return;
      }
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_invalid_custom':
      case 'assert_malformed_custom': {
        const module = command.module;
        if (module.kind === 'quote') {
          // Quoted text must fail to parse, or fail to compile once parsed.
          let bytes: Uint8Array;
          try {
            bytes = parseWat(module.source ?? '');
          } catch {
            return;
          }
          if (WebAssembly.validate(bytes)) throw new Error(`quoted module compiled, expected failure: ${command.text}`);
          return;
        }
        if (module.error !== undefined) return;
        if (WebAssembly.validate(module.bytes!)) throw new Error(`module validated, expected failure: ${command.text}`);
        return;
      }
      case 'assert_exception':
        throw new Skip('proposal not supported: exceptions (assert_exception)');
      case 'thread':
      case 'wait':
        throw new Skip(`proposal not supported: threads (${command.type})`);
      default:
        throw new Skip(`command ${(command as { type: string }).type} not supported by the runner`);
    }
  }

  private compile(module: WastModule): InstanceType<typeof WebAssembly.Module> {
    if (module.kind === 'quote' && module.bytes === undefined) {
      return supported(() => new WebAssembly.Module(parseWat(module.source ?? ''), this.#config.options));
    }
    if (module.error !== undefined) throw module.error;
    return supported(() => new WebAssembly.Module(module.bytes!, this.#config.options));
  }

  private instantiate(module: InstanceType<typeof WebAssembly.Module>): Exports {
    const imports: Record<string, Exports> = {};
    for (const [name, exports] of this.#registered) if (!(exports instanceof Skip)) imports[name] = exports;
    for (const { module: name, name: field } of WebAssembly.Module.imports(module)) {
      const registered = this.#registered.get(name);
      if (registered instanceof Skip) throw new Skip(registered.message);
      // The runtime has no shared memories, so `spectest` offers none: its importers are skipped.
      if (name === 'spectest' && field === 'shared_memory') throw new Skip('proposal not supported: threads (shared memory)');
    }
    return new WebAssembly.Instance(module, imports).exports as Exports;
  }

  private instanceOf(name: string | null): Exports {
    const exports = name === null ? this.#current : this.#instances.get(name);
    if (exports === null) throw new Error('no module instantiated yet');
    if (exports === undefined) throw new Error(`unknown module ${name}`);
    if (exports instanceof Skip) throw new Skip(exports.message);
    return exports;
  }

  private perform(action: WastAction): WasmValue[] {
    const exports = this.instanceOf(action.module);
    const value = exports[action.name];
    if (value === undefined) throw new Error(`unknown export "${action.name}"`);
    if (action.type === 'get') return [globalValueRaw(value)];
    return invokeRaw(value, action.args.map(constToRaw));
  }

  private expectFailure(run: () => unknown): unknown {
    try {
      run();
    } catch (error) {
      if (error instanceof UnsupportedError || error instanceof Skip) throw error;
      return error;
    }
    throw new Error('expected a failure, but it succeeded');
  }
}

function expectRuntimeError(error: unknown, text: string): void {
  if (!(error instanceof RuntimeError)) throw new Error(`expected RuntimeError "${text}", got ${String(error)}`);
  if (!error.message.includes(text) && !text.startsWith(error.message)) throw new Error(`expected trap "${text}", got "${error.message}"`);
}

function constToRaw(value: WastConst): WasmValue {
  switch (value.type) {
    case 'i32':
      return value.value | 0;
    case 'i64':
      return BigInt.asIntN(64, value.value);
    case 'f32':
      return value.bits >>> 0;
    case 'f64':
      return BigInt.asUintN(64, value.bits);
    case 'v128':
      throw new UnsupportedError('proposal not supported: simd (v128 argument)');
    case 'ref.null':
      return 0n;
    case 'ref.extern':
    case 'ref.host':
      return externToRaw(externObject(value.type, value.value ?? 0));
    default:
      throw new UnsupportedError(`proposal not supported: gc (${value.type} argument)`);
  }
}

const F32_EXP = 0x7f80_0000;
const F32_QUIET = 0x0040_0000;
const F64_EXP = 0x7ff0_0000_0000_0000n;
const F64_QUIET = 0x0008_0000_0000_0000n;

function matches(expected: WastExpected, actual: WasmValue): boolean {
  switch (expected.type) {
    case 'i32':
      return (Number(actual) | 0) === (expected.value | 0);
    case 'i64':
      return BigInt.asIntN(64, BigInt(actual)) === BigInt.asIntN(64, expected.value);
    case 'f32': {
      const bits = Number(actual) >>> 0;
      if ('nan' in expected) {
        if ((bits & F32_EXP) !== F32_EXP || (bits & 0x007f_ffff) === 0) return false;
        return expected.nan === 'nan:canonical' ? (bits & 0x7fff_ffff) === (F32_EXP | F32_QUIET) : (bits & F32_QUIET) !== 0;
      }
      return bits === expected.bits >>> 0;
    }
    case 'f64': {
      const bits = BigInt.asUintN(64, BigInt(actual));
      if ('nan' in expected) {
        if ((bits & F64_EXP) !== F64_EXP || (bits & 0x000f_ffff_ffff_ffffn) === 0n) return false;
        return expected.nan === 'nan:canonical' ? (bits & 0x7fff_ffff_ffff_ffffn) === (F64_EXP | F64_QUIET) : (bits & F64_QUIET) !== 0n;
      }
      return bits === BigInt.asUintN(64, expected.bits);
    }
    case 'either':
      return expected.options.some((option) => matches(option, actual));
    case 'ref.null':
      return BigInt(actual) === 0n;
    case 'ref.extern':
    case 'ref.host':
      return expected.value === undefined ? BigInt(actual) !== 0n : rawToExtern(actual) === externObject(expected.type, expected.value);
    case 'ref.func':
      return BigInt(actual) !== 0n && isRawFuncRef(actual);
    case 'v128':
      throw new UnsupportedError('proposal not supported: simd (v128 result)');
    default:
      throw new UnsupportedError(`proposal not supported: gc (${expected.type} result)`);
  }
}

function describeExpected(expected: WastExpected): string {
  if ('nan' in expected) return `${expected.type} ${expected.nan}`;
  if ('bits' in expected) return `${expected.type} bits 0x${expected.bits.toString(16)}`;
  if ('value' in expected) return `${expected.type} ${String(expected.value)}`;
  return expected.type;
}

function describeRaw(value: WasmValue): string {
  return typeof value === 'bigint' ? `0x${BigInt.asUintN(64, value).toString(16)} (${value})` : `${value} (0x${(value >>> 0).toString(16)})`;
}

/**
 * A valid module the engine cannot run (a feature its tiers or this CPU lack) is rejected with
 * a CompileError subclass, as feature detection requires; a test runner skips it with the feature.
 */
function supported<T>(compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof UnsupportedFeatureError) throw new UnsupportedError(`proposal not supported: ${error.feature}`);
    throw error;
  }
}
