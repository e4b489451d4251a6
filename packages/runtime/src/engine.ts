// The engine: validates and compiles modules. Compiling decodes, validates against the store's
// type canonicalizer (canonical ids then compare across modules), compiles every function with
// the baseline compiler and places all code in one region. Compiled modules are cached by a
// hash of the bytes and the options, so compiling the same bytes twice returns the same module.

import { BackendBailout, RelocTarget, type Backend, type FinishedCode } from '@flint/backend';
import * as baseline from '@flint/compiler-baseline';
import { CompileError, OPERATORS_BY_NAME, decodeModule, validateModule, type FunctionBody, type Module, type ValidationResult } from '@flint/decoder';
import { createHash } from 'node:crypto';
import { HOST_EXCEPTION_STATUS, builtinAddress } from './builtins.ts';
import type { CodeRegion } from './code-space.ts';
import { LazyCode, lazyCompilerAddress } from './lazy.ts';
import { UnsupportedError } from './errors.ts';
import { CompiledModule, type CompileOptions } from './module.ts';
import { currentStore, type Store } from './store.ts';

/** What a compiler tier receives for one function (the baseline compiler's `compileFunction` input). */
export interface FunctionCompileInput {
  readonly module: Module;
  readonly validation: ValidationResult;
  readonly funcIndex: number;
  readonly body: FunctionBody;
}

/** One function, compiled for `backend`. */
export type FunctionCompiler = (input: FunctionCompileInput, backend: Backend) => FinishedCode;

/**
 * The baseline tier, looked up at run time: the runtime is written against the compiler's
 * announced `compileFunction(input, backend)` and reports clearly while it is absent.
 */
function baselineCompiler(): FunctionCompiler {
  const compile = (baseline as Record<string, unknown>)['compileFunction'];
  if (typeof compile !== 'function') throw new UnsupportedError('tier not supported: baseline (the baseline compiler exports no compileFunction yet)');
  return compile as FunctionCompiler;
}

/** Whether the baseline compiler is available in this build. */
export function hasBaselineCompiler(): boolean {
  return typeof (baseline as Record<string, unknown>)['compileFunction'] === 'function';
}

export interface EngineOptions {
  /** Replaces the tier's compiler (tests that hand-assemble functions use this). */
  readonly compiler?: FunctionCompiler;
}

const CACHE_LIMIT = 256;

export class Engine {
  readonly store: Store;
  readonly #compiler: FunctionCompiler | undefined;
  readonly #cache = new Map<string, CompiledModule>();

  constructor(options: EngineOptions = {}, store: Store = currentStore()) {
    this.store = store;
    this.#compiler = options.compiler;
  }

  /** True when `bytes` is a valid module (decodes and validates). */
  validate(bytes: Uint8Array): boolean {
    try {
      validateModule(decodeModule(bytes), { canonicalizer: this.store.canonicalizer });
      return true;
    } catch (error) {
      if (error instanceof CompileError) return false;
      throw error;
    }
  }

  /**
   * Decodes, validates and compiles `bytes`. Throws `CompileError` for malformed or invalid
   * modules and `UnsupportedError` (`proposal not supported: …`) when the tier bails out.
   */
  compile(bytes: Uint8Array, options: CompileOptions = {}): CompiledModule {
    const resolved = { tier: options.tier ?? 'baseline', lazy: options.lazy ?? false } as const;
    if (resolved.tier !== 'baseline') throw new UnsupportedError(`tier not supported: ${String(resolved.tier)}`);
    const key = `${createHash('sha256').update(bytes).digest('hex')}:${resolved.tier}:${resolved.lazy}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;

    const module = decodeModule(bytes);
    const validation = validateModule(module, { canonicalizer: this.store.canonicalizer });
    const compiled = this.compileValidated(module, validation, resolved);
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, compiled);
    return compiled;
  }

  /**
   * `compile` off the caller's critical path: it starts after the current task (no worker pool
   * yet, so the compilation itself still runs on this thread).
   */
  compileAsync(bytes: Uint8Array, options: CompileOptions = {}): Promise<CompiledModule> {
    const copy = bytes.slice();
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(this.compile(copy, options));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  private compileValidated(module: Module, validation: ValidationResult, options: Required<CompileOptions>): CompiledModule {
    if (module.codes.length === 0) return new CompiledModule(module, validation, null, options);
    const compiler = this.#compiler ?? baselineCompiler();
    const backend = this.store.backend;
    const compileOne = (body: FunctionBody): FinishedCode => {
      let code: FinishedCode;
      try {
        code = compiler({ module, validation, funcIndex: body.funcIndex, body }, backend);
      } catch (error) {
        if (error instanceof BackendBailout) throw new UnsupportedError(bailoutMessage(error, validation, body.funcIndex));
        throw error;
      }
      for (const reloc of code.relocations) {
        if (reloc.target === RelocTarget.Function && reloc.index < module.numImportedFunctions) {
          throw new UnsupportedError(`direct relocation to imported function ${reloc.index}: imports must be called through the VM context`);
        }
      }
      return code;
    };
    const resolver = {
      firstFunctionIndex: module.numImportedFunctions,
      resolveBuiltin: (id: number) => builtinAddress(this.store, id),
      trapExit: () => this.store.invoker.trapExitAddress,
    };
    if (!options.lazy) {
      const region = this.store.codeSpace.place(module.codes.map(compileOne), resolver);
      return new CompiledModule(module, validation, region, options);
    }
    // Lazy: stubs now; each function compiles on its first call (relocations to other functions
    // resolve to their stubs).
    let stubs: CodeRegion | null = null;
    const lazy = new LazyCode(
      module.codes.length,
      module.numImportedFunctions,
      (funcIndex) => compileOne(module.codes[funcIndex - module.numImportedFunctions]!),
      (code) => this.store.codeSpace.place([code], { ...resolver, resolveFunction: (index) => stubs!.addressOf(index - module.numImportedFunctions) }),
    );
    const compilerAddress = lazyCompilerAddress(this.store);
    stubs = this.store.codeSpace.place(
      module.codes.map((body) => backend.emitLazyCompileStub(body.funcIndex, lazy.slotAddress(body.funcIndex), compilerAddress, HOST_EXCEPTION_STATUS)),
    );
    return new CompiledModule(module, validation, stubs, options, lazy);
  }
}

/** `proposal not supported: <feature>` when the module uses a proposal, else the bailout itself. */
function bailoutMessage(bailout: BackendBailout, validation: ValidationResult, funcIndex: number): string {
  const operator = OPERATORS_BY_NAME.get(bailout.detail)?.[0];
  if (operator !== undefined && operator.feature !== 'mvp') return `proposal not supported: ${operator.feature}`;
  if (bailout.detail.includes('v128') && validation.features.has('simd')) return 'proposal not supported: simd';
  const proposals = [...validation.features].filter((f) => f !== 'mvp');
  const named = proposals.find((f) => bailout.detail.includes(f));
  if (named !== undefined) return `proposal not supported: ${named}`;
  return `not supported by the baseline tier: ${bailout.message} (function #${funcIndex})`;
}
