// A compact `.wast` runner on Flint's JS API: modules, registrations, actions and the
// assertions whose outcome the JS API can observe. One outcome per command; a command the
// engine cannot run (`UnsupportedError`) or the JS API cannot check is skipped with a reason.
// Script semantics: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import { LinkError, RuntimeError, UnsupportedError, UnsupportedFeatureError, WebAssembly } from '@flint/runtime';
import { parseWat } from '@flint/text';
import type { WastAction, WastCommand, WastModule, WastScript } from '@flint/text';
import { HostObjects, Skip, mismatch, toJSArgument } from './values.ts';

export type WastCommandKind = WastCommand['type'];

export interface WastOutcome {
  readonly line: number;
  readonly kind: WastCommandKind;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly message: string;
}

export interface WastRunOptions {
  readonly tier: string;
  readonly lazy: boolean;
}

type Exports = Record<string, unknown>;
type WasmModule = InstanceType<typeof WebAssembly.Module>;

class Failure extends Error {}

/** The `spectest` module scripts import from (print functions do nothing). */
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
    memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
  };
}

export class WastRunner {
  readonly #options: WastRunOptions;
  readonly #hosts = new HostObjects();
  /** Registered instances; a skipped one makes the modules importing from it skipped too. */
  readonly #registered = new Map<string, Exports | Skip>();
  readonly #instances = new Map<string, Exports | Skip>();
  readonly #definitions = new Map<string, WasmModule | Skip>();
  #current: Exports | Skip | null = null;

  constructor(options: WastRunOptions) {
    this.#options = options;
  }

  run(script: WastScript): WastOutcome[] {
    this.#registered.set('spectest', spectest());
    return script.commands.map((command) => {
      const outcome = (status: WastOutcome['status'], message: string): WastOutcome => ({ line: command.line, kind: command.type, status, message });
      try {
        this.runCommand(command);
        return outcome('pass', '');
      } catch (error) {
        if (error instanceof Skip || error instanceof UnsupportedError) return outcome('skip', error.message);
        if (error instanceof Failure) return outcome('fail', error.message);
        return outcome('fail', `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
    });
  }

  private runCommand(command: WastCommand): void {
    switch (command.type) {
      case 'module':
        return this.defineModule(command);
      case 'module_instance': {
        const module = this.#definitions.get(command.module ?? '');
        if (module === undefined) throw new Failure(`unknown module definition ${command.module}`);
        const exports = module instanceof Skip ? module : this.instantiate(module);
        this.#current = exports;
        if (command.instance !== null) this.#instances.set(command.instance, exports);
        return;
      }
      case 'register': {
        const exports = command.module === null ? this.#current : this.#instances.get(command.module);
        if (exports instanceof Skip) {
          this.#registered.set(command.name, exports);
          throw exports;
        }
        this.#registered.set(command.name, this.instance(command.module));
        return;
      }
      case 'action':
        this.perform(command.action);
        return;
      case 'assert_return': {
        const actual = this.perform(command.action);
        const values = command.expected.length === 1 ? [actual] : command.expected.length === 0 ? [] : (actual as unknown[]);
        command.expected.forEach((expected, i) => {
          const problem = mismatch(values[i], expected, this.#hosts);
          if (problem !== null) throw new Failure(command.expected.length > 1 ? `result ${i}: ${problem}` : problem);
        });
        return;
      }
      case 'assert_trap':
      case 'assert_exhaustion':
        return this.expectThrow(() => this.perform(command.action), command.text, (e) => e instanceof RuntimeError || isStackOverflow(e));
      case 'assert_trap_module':
      case 'assert_uninstantiable':
        return this.expectThrow(() => this.instantiate(this.compile(command.module)), command.text, (e) => e instanceof RuntimeError);
      case 'assert_unlinkable':
        return this.expectThrow(() => this.instantiate(this.compile(command.module)), command.text, (e) => e instanceof LinkError || e instanceof TypeError);
      case 'assert_invalid':
      case 'assert_malformed':
        return this.expectCompileFailure(command.module, command.text);
      default:
        throw new Skip(`${command.type} is not supported by the CLI runner`);
    }
  }

  private defineModule(command: WastModule): void {
    let result: WasmModule | Skip;
    try {
      result = this.compile(command);
    } catch (error) {
      if (!(error instanceof UnsupportedError || error instanceof Skip)) throw error;
      result = new Skip(error.message);
    }
    if (command.definition === true) {
      if (command.id !== undefined) this.#definitions.set(command.id, result);
      if (result instanceof Skip) throw result;
      return;
    }
    let exports: Exports | Skip;
    try {
      exports = result instanceof Skip ? result : this.instantiate(result);
    } catch (error) {
      if (!(error instanceof UnsupportedError || error instanceof Skip)) throw error;
      exports = new Skip(error.message);
    }
    // Later commands on a module that could not run are skipped for the same reason.
    this.#current = exports;
    if (command.id !== undefined) this.#instances.set(command.id, exports);
    if (exports instanceof Skip) throw exports;
  }

  private compile(module: WastModule): WasmModule {
    if (module.error !== undefined) throw new Failure(`the script's module does not assemble: ${module.error.message}`);
    const bytes = module.kind === 'quote' ? parseWat(module.source ?? '') : module.bytes!;
    return supported(() => new WebAssembly.Module(bytes, this.#options));
  }

  private instantiate(module: WasmModule): Exports {
    const imports: Record<string, Exports> = {};
    for (const imp of WebAssembly.Module.imports(module)) {
      const exports = this.#registered.get(imp.module);
      if (exports instanceof Skip) throw new Skip(`imports from "${imp.module}", which was skipped: ${exports.message}`);
      if (exports !== undefined) imports[imp.module] = exports;
    }
    return new WebAssembly.Instance(module, imports).exports;
  }

  private instance(name: string | null): Exports {
    const exports = name === null ? this.#current : this.#instances.get(name);
    if (exports === undefined || exports === null) throw new Failure(name === null ? 'no module instantiated yet' : `unknown module ${name}`);
    if (exports instanceof Skip) throw exports;
    return exports;
  }

  private perform(action: WastAction): unknown {
    const exports = this.instance(action.module);
    const value = exports[action.name];
    if (action.type === 'get') {
      if (!(value instanceof WebAssembly.Global)) throw new Failure(`no exported global "${action.name}"`);
      return value.value;
    }
    if (typeof value !== 'function') throw new Failure(`no exported function "${action.name}"`);
    const args = action.args.map((arg) => toJSArgument(arg, this.#hosts));
    return (value as (...a: unknown[]) => unknown)(...args);
  }

  private expectThrow(run: () => unknown, text: string, accepts: (error: unknown) => boolean): void {
    let result: unknown;
    try {
      result = run();
    } catch (error) {
      if (error instanceof Skip || error instanceof UnsupportedError || error instanceof Failure) throw error;
      if (accepts(error)) return;
      throw new Failure(`expected "${text}", got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    throw new Failure(`expected "${text}", but it succeeded${result === undefined ? '' : ` with ${String(result)}`}`);
  }

  private expectCompileFailure(module: WastModule, text: string): void {
    if (module.error !== undefined) return; // the text itself is malformed, as expected
    let bytes: Uint8Array;
    try {
      bytes = module.kind === 'quote' ? parseWat(module.source ?? '') : module.bytes!;
    } catch {
      return; // quoted text that does not parse
    }
    if (!WebAssembly.validate(bytes)) return;
    throw new Failure(`expected "${text}", but the module is valid`);
  }
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
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
