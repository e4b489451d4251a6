// Runs a parsed `.wast` script on Flint, command by command, through its JS API with bit-exact
// values, and reports one outcome per command: `pass`, `fail` (an assertion that does not hold,
// or an error nobody expected) or `skip` (what the engine reports it cannot run yet, as
// `UnsupportedError`, and what this runner cannot express). The one runner of the workspace:
// `flint wast`, the execution tests and the spec conformance harness all use it.
// Script semantics: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts

import { LinkError, RuntimeError, UnsupportedError, UnsupportedFeatureError, WebAssembly, type CompileOptions } from '@flint/runtime';
import { globalValueRaw, invokeRaw, type WasmValue } from '@flint/runtime/testing';
import { parseWat, type WastAction, type WastCommand, type WastModule, type WastScript } from '@flint/text';
import { spectest, type Exports } from './spectest.ts';
import { HostObjects, constToRaw, describeActual, describeExpected, matches } from './values.ts';

export type WastCommandType = WastCommand['type'];

export interface WastOutcome {
  readonly line: number;
  readonly command: WastCommandType;
  readonly status: 'pass' | 'fail' | 'skip';
  /** Why the command failed or was skipped; empty when it passed. */
  readonly message: string;
}

type WasmModule = InstanceType<typeof WebAssembly.Module>;

/** A command that cannot run here (or depends on one that could not); counted as skipped. */
class Skip extends Error {
  override readonly name = 'Skip';
}

/** An assertion that does not hold; its message is the whole report (expected versus actual). */
class Failure extends Error {
  override readonly name = 'Failure';
}

export class WastRunner {
  readonly #options: CompileOptions;
  readonly #hosts = new HostObjects();
  /** Registered instances by name; a skipped one makes its importers skipped too. */
  readonly #registered = new Map<string, Exports | Skip>();
  readonly #instances = new Map<string, Exports | Skip>();
  readonly #definitions = new Map<string, WasmModule | Skip>();
  /** The current instance, or why the module that should be current was skipped. */
  #current: Exports | Skip | null = null;

  /** `options` are the compile options of every module (tier, lazy compilation). */
  constructor(options: CompileOptions = {}) {
    this.#options = options;
    this.#registered.set('spectest', spectest());
  }

  run(script: WastScript): WastOutcome[] {
    return script.commands.map((command): WastOutcome => {
      const outcome = (status: WastOutcome['status'], message: string): WastOutcome => ({ line: command.line, command: command.type, status, message });
      try {
        this.runCommand(command);
        return outcome('pass', '');
      } catch (error) {
        if (error instanceof Skip || error instanceof UnsupportedError) return outcome('skip', error.message);
        if (error instanceof Failure) return outcome('fail', error.message);
        return outcome('fail', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
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
        const exports = this.instantiateRemembering(module);
        this.#current = exports;
        if (command.instance !== null) this.#instances.set(command.instance, exports);
        if (exports instanceof Skip) throw exports;
        return;
      }
      case 'register': {
        const exports = command.module === null ? this.#current : this.#instances.get(command.module);
        // Registering a skipped module registers the skip: its importers are skipped too.
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
        const results = this.perform(command.action);
        if (results.length !== command.expected.length) throw new Failure(`expected ${command.expected.length} results, got ${results.length}`);
        command.expected.forEach((expected, i) => {
          if (matches(expected, results[i]!, this.#hosts)) return;
          const problem = `expected ${describeExpected(expected)}, got ${describeActual(results[i]!, expected)}`;
          throw new Failure(command.expected.length > 1 ? `result ${i}: ${problem}` : problem);
        });
        return;
      }
      case 'assert_trap':
      case 'assert_exhaustion':
        return expectTrap(this.expectFailure(() => this.perform(command.action)), command.text);
      case 'assert_trap_module':
      case 'assert_uninstantiable': {
        const module = this.compile(command.module);
        return expectTrap(this.expectFailure(() => this.instantiate(module)), command.text);
      }
      case 'assert_unlinkable': {
        const module = this.compile(command.module);
        const error = this.expectFailure(() => this.instantiate(module));
        if (!(error instanceof LinkError)) throw new Failure(`expected a LinkError ("${command.text}"), got ${describeError(error)}`);
        return;
      }
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_invalid_custom':
      case 'assert_malformed_custom':
        return expectCompileFailure(command.module, command.text);
      case 'assert_exception':
        throw new Skip('proposal not supported: exceptions (assert_exception)');
      case 'thread':
      case 'wait':
        throw new Skip(`proposal not supported: threads (${command.type})`);
      default:
        throw new Skip(`command ${(command as { type: string }).type} not supported by the runner`);
    }
  }

  /**
   * `(module …)`: compile, and instantiate unless it is a definition. A module the engine cannot
   * run becomes a skip that later commands on it (and modules importing from it) inherit; any
   * other error fails the command and leaves the previous instance current.
   */
  private defineModule(command: WastModule): void {
    let module: WasmModule | Skip;
    try {
      module = this.compile(command);
    } catch (error) {
      if (!(error instanceof UnsupportedError || error instanceof Skip)) throw error;
      module = new Skip(error.message);
    }
    if (command.definition === true) {
      if (command.id !== undefined) this.#definitions.set(command.id, module);
      if (module instanceof Skip) throw module;
      return;
    }
    const exports = this.instantiateRemembering(module);
    this.#current = exports;
    if (command.id !== undefined) this.#instances.set(command.id, exports);
    if (exports instanceof Skip) throw exports;
  }

  /** Instantiates `module`; what the engine cannot run is returned as a skip, other errors propagate. */
  private instantiateRemembering(module: WasmModule | Skip): Exports | Skip {
    if (module instanceof Skip) return module;
    try {
      return this.instantiate(module);
    } catch (error) {
      if (error instanceof UnsupportedError || error instanceof Skip) return new Skip(error.message);
      throw error;
    }
  }

  private compile(module: WastModule): WasmModule {
    if (module.kind === 'quote' && module.bytes === undefined) return supported(() => new WebAssembly.Module(parseWat(module.source ?? ''), this.#options));
    if (module.error !== undefined) throw module.error;
    return supported(() => new WebAssembly.Module(module.bytes!, this.#options));
  }

  private instantiate(module: WasmModule): Exports {
    const imports: Record<string, Exports> = {};
    for (const { module: name } of WebAssembly.Module.imports(module)) {
      const registered = this.#registered.get(name);
      if (registered instanceof Skip) throw new Skip(registered.message);
      if (registered !== undefined) imports[name] = registered;
    }
    return new WebAssembly.Instance(module, imports).exports as Exports;
  }

  private instance(name: string | null): Exports {
    const exports = name === null ? this.#current : this.#instances.get(name);
    if (exports === null) throw new Failure('no module instantiated yet');
    if (exports === undefined) throw new Failure(`unknown module ${name}`);
    if (exports instanceof Skip) throw new Skip(exports.message);
    return exports;
  }

  private perform(action: WastAction): WasmValue[] {
    const exports = this.instance(action.module);
    const value = exports[action.name];
    if (value === undefined) throw new Failure(`unknown export "${action.name}"`);
    if (action.type === 'get') return [globalValueRaw(value)];
    return invokeRaw(
      value,
      action.args.map((arg) => constToRaw(arg, this.#hosts)),
    );
  }

  /** The error `run` throws; a skip passes through, and success is a failed assertion. */
  private expectFailure(run: () => unknown): unknown {
    let result: unknown;
    try {
      result = run();
    } catch (error) {
      if (error instanceof UnsupportedError || error instanceof Skip || error instanceof Failure) throw error;
      return error;
    }
    const results = Array.isArray(result) && result.length > 0 ? ` with ${result.map(String).join(', ')}` : '';
    throw new Failure(`expected a failure, but it succeeded${results}`);
  }
}

/** A trap is a `RuntimeError` whose message is the script's text (or begins it, for traps the spec words longer). */
function expectTrap(error: unknown, text: string): void {
  if (!(error instanceof RuntimeError)) throw new Failure(`expected a RuntimeError ("${text}"), got ${describeError(error)}`);
  if (!error.message.includes(text) && !text.startsWith(error.message)) throw new Failure(`expected trap "${text}", got "${error.message}"`);
}

/** `assert_invalid`/`assert_malformed`: the module must not compile (quoted text: not parse, or not compile once parsed). */
function expectCompileFailure(module: WastModule, text: string): void {
  if (module.kind === 'quote') {
    let bytes: Uint8Array;
    try {
      bytes = parseWat(module.source ?? '');
    } catch {
      return;
    }
    if (WebAssembly.validate(bytes)) throw new Failure(`expected "${text}", but the quoted module compiles`);
    return;
  }
  if (module.error !== undefined) return; // the text itself does not encode, as expected
  if (WebAssembly.validate(module.bytes!)) throw new Failure(`expected "${text}", but the module validates`);
}

/**
 * A valid module the engine cannot run (a feature its tiers or this CPU lack) is rejected with a
 * `CompileError` subclass, as feature detection requires; a script runner skips it, naming the feature.
 */
function supported<T>(compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof UnsupportedFeatureError) throw new UnsupportedError(`proposal not supported: ${error.feature}${error.why === '' ? '' : ` (${error.why})`}`);
    throw error;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
