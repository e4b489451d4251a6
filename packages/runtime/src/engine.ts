// The engine: validates and compiles modules. Compiling decodes, validates against the store's
// type canonicalizer (canonical ids then compare across modules), compiles every function with
// the baseline compiler and places all code in one region. Compiled modules are cached by a
// hash of the bytes and the options, so compiling the same bytes twice returns the same module.

import { BackendBailout, RelocTarget, type Backend, type FinishedCode } from '@flint/backend';
import * as baseline from '@flint/compiler-baseline';
import { CompileError, decodeModule, validateModule, type FunctionBody, type Module, type ValidationResult } from '@flint/decoder';
import { createHash } from 'node:crypto';
import { builtinAddress } from './builtins.ts';
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
    if (resolved.lazy) throw new UnsupportedError('lazy compilation is not implemented yet');
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

  private compileValidated(module: Module, validation: ValidationResult, options: Required<CompileOptions>): CompiledModule {
    if (module.codes.length === 0) return new CompiledModule(module, validation, null, options);
    const compiler = this.#compiler ?? baselineCompiler();
    const backend = this.store.backend;
    const pieces: FinishedCode[] = [];
    for (const body of module.codes) {
      try {
        pieces.push(compiler({ module, validation, funcIndex: body.funcIndex, body }, backend));
      } catch (error) {
        if (error instanceof BackendBailout) throw new UnsupportedError(`${bailoutMessage(error, validation)} (function #${body.funcIndex})`);
        throw error;
      }
    }
    for (const piece of pieces) {
      for (const reloc of piece.relocations) {
        if (reloc.target === RelocTarget.Function && reloc.index < module.numImportedFunctions) {
          throw new UnsupportedError(`direct relocation to imported function ${reloc.index}: imports must be called through the VM context`);
        }
      }
    }
    const region = this.store.codeSpace.place(pieces, {
      firstFunctionIndex: module.numImportedFunctions,
      resolveBuiltin: (id) => builtinAddress(this.store, id),
      trapExit: () => this.store.invoker.trapExitAddress,
    });
    return new CompiledModule(module, validation, region, options);
  }
}

/** `proposal not supported: <feature>` when the module uses a proposal, else the bailout itself. */
function bailoutMessage(bailout: BackendBailout, validation: ValidationResult): string {
  const proposals = [...validation.features].filter((f) => f !== 'mvp');
  const named = proposals.find((f) => bailout.detail.includes(f));
  if (named !== undefined) return `proposal not supported: ${named}`;
  return `not supported by the baseline tier: ${bailout.message}`;
}
