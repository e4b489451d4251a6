// The engine: validates and compiles modules. Compiling decodes, validates against the store's
// type canonicalizer (canonical ids then compare across modules), compiles every function with
// the baseline compiler and places all code in one region. Compiled modules are cached by a
// hash of the bytes and the options, so compiling the same bytes twice returns the same module.
//
// Three ways in, one way out (`#place`): `compile` works on the calling thread; `compileAsync`
// and `compileStreaming` decode on the calling thread and compile and validate on the compile
// pool's workers (streaming-compile.ts); `deserialize` loads a code cache (serialize.ts).
//
// Why `compile` stays single-threaded: a synchronous call could only use the pool by blocking
// this thread in `Atomics.wait` until the workers finish, which stalls the event loop for the
// whole compile just the same, and would make every `new WebAssembly.Module` pay for starting
// workers. Large modules belong on `compileAsync`/`compileStreaming`, as on the web, where
// synchronous compilation of large modules is refused on the main thread.

import { BackendBailout, RelocTarget, withCpuFeatures, type BailoutReason, type Backend, type CpuFeatureSet, type FinishedCode } from '@flint/backend';
import { CompileError, OPERATORS_BY_NAME, decodeModule, validateModule, type FunctionBody, type Module, type ModuleFeature, type ValidationResult } from '@flint/decoder';
import { HOST_EXCEPTION_STATUS, builtinAddress } from '../instance/builtins.ts';
import { unpackFinishedCode } from '../code/code-pack.ts';
import type { CodeRegion } from '../code/code-space.ts';
import { CompilePool, defaultCompileWorkerCount, defaultCompileWorkerUrl } from './compile-pool.ts';
import type { WorkerFailure } from './compile-protocol.ts';
import { LazyCode, lazyCompilerAddress } from './lazy.ts';
import { UnsupportedError } from '../errors.ts';
import { CompiledModule, type CompileOptions, type ResolvedCompileOptions } from '../code/module.ts';
import { CodeCacheError, ENGINE_VERSION, moduleBytesHash, readCodeCache } from '../code/serialize.ts';
import { abortReason, compileStreamingOnPool, type ByteSource, type StreamingCompileHost } from './streaming-compile.ts';
import { currentStore, type Store } from '../instance/store.ts';
import { copyBufferSource, viewBufferSource } from '../bytes.ts';
import { checkFeatures, findUnsupportedUse } from './features.ts';
import { DEFAULT_TIER, TierCompilers, requireTier, type FunctionCompileInput } from './tiers.ts';

/** One function, compiled for `backend` (a hand-written compiler replacing the tiers, for tests). */
export type FunctionCompiler = (input: FunctionCompileInput, backend: Backend) => FinishedCode;

export interface EngineOptions {
  /** Replaces the tier's compiler (tests that hand-assemble functions use this; it runs on the calling thread). */
  readonly compiler?: FunctionCompiler;
  /**
   * Worker threads for `compileAsync`/`compileStreaming` (started on first use); 0 compiles
   * on the calling thread. Default: one per core, at most 8.
   */
  readonly compileWorkers?: number;
  /**
   * The compile worker's entry. Default: `compile-worker.js` next to the runtime build
   * (`dist/`); when running from TypeScript sources there is none and compilation stays on the
   * calling thread (see compile-pool.ts).
   */
  readonly compileWorkerUrl?: URL;
}

/** Options of the asynchronous compiles. */
export interface AsyncCompileOptions extends CompileOptions {
  /** Aborting rejects the compile with the signal's reason and cancels its background work. */
  readonly signal?: AbortSignal;
}

type ResolvedOptions = ResolvedCompileOptions;

/** `done, total` after each compiled function (see `CompileOptions.onProgress`). */
type ProgressListener = (done: number, total: number) => void;

function resolveOptions(options: CompileOptions): ResolvedOptions {
  const tier = requireTier(options.tier ?? DEFAULT_TIER).name;
  return { tier, lazy: options.lazy ?? false };
}

const cacheKey = (hash: string, options: ResolvedOptions, cpuFeatures: CpuFeatureSet): string => `${hash}:${options.tier}:${options.lazy}:${cpuFeatures.key}`;

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}


export class Engine {
  readonly store: Store;
  readonly #compiler: FunctionCompiler | undefined;
  /** This thread's compilers, one per tier, reused across functions: they keep their grown buffers. */
  #tiers: TierCompilers | undefined;
  /**
   * Compiled modules by bytes hash and options, held weakly: compiling the same bytes again while
   * the module lives returns it, and the cache never keeps code alive on its own.
   */
  readonly #cache = new Map<string, WeakRef<CompiledModule>>();
  readonly #cacheRegistry = new FinalizationRegistry<string>((key) => {
    if (this.#cache.get(key)?.deref() === undefined) this.#cache.delete(key);
  });
  readonly #workerCount: number;
  readonly #workerUrl: URL | null;
  #pool: CompilePool | null = null;

  constructor(options: EngineOptions = {}, store: Store = currentStore()) {
    this.store = store;
    this.#compiler = options.compiler;
    this.#workerCount = options.compileWorkers ?? defaultCompileWorkerCount();
    this.#workerUrl = options.compileWorkerUrl ?? defaultCompileWorkerUrl();
  }

  /** The compile pool, once an asynchronous compile started it (null before, or when compiling in-thread). */
  get compilePool(): CompilePool | null {
    return this.#pool;
  }

  /** Whether asynchronous compiles run on worker threads (else on the calling thread, after yielding). */
  get compilesInBackground(): boolean {
    return this.#workerUrl !== null && this.#workerCount > 0 && this.#compiler === undefined;
  }

  /** Stops the compile workers (a later asynchronous compile starts new ones). */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    await pool?.terminate();
  }

  /**
   * True when `bytes` is a valid module (decodes and validates) whose features this CPU can run.
   * The bytes are only read.
   */
  validate(bytes: Uint8Array): boolean {
    try {
      const module = decodeModule(viewBufferSource(bytes));
      const validation = validateModule(module, { canonicalizer: this.store.canonicalizer });
      return findUnsupportedUse(module, validation.features, DEFAULT_TIER, this.store.backend, this.store.cpuFeatures) === null;
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
    return this.#compileOwned(copyBufferSource(bytes), options);
  }

  /** `compile` of bytes the engine owns (copied at the boundary). */
  #compileOwned(bytes: Uint8Array, options: CompileOptions): CompiledModule {
    const resolved = resolveOptions(options);
    const hash = moduleBytesHash(bytes);
    const key = cacheKey(hash, resolved, this.store.cpuFeatures);
    const cached = this.#cache.get(key)?.deref();
    if (cached !== undefined) return cached;

    const module = decodeModule(bytes);
    const validation = validateModule(module, { canonicalizer: this.store.canonicalizer });
    checkFeatures(module, validation.features, resolved.tier, this.store.backend, this.store.cpuFeatures);
    return this.#remember(key, this.compileValidated(module, validation, resolved, hash, options.onProgress));
  }

  /**
   * Compiles `bytes` without blocking the event loop for long: decoding runs here in slices,
   * validation and function compilation on the compile pool (or, without workers, on this
   * thread after yielding). The bytes are copied before this returns, so the caller may reuse them.
   */
  async compileAsync(bytes: Uint8Array, options: AsyncCompileOptions = {}): Promise<CompiledModule> {
    const resolved = resolveOptions(options);
    const signal = options.signal;
    if (signal?.aborted === true) throw abortReason(signal);
    const copy = copyBufferSource(bytes);
    const hash = moduleBytesHash(copy);
    const key = cacheKey(hash, resolved, this.store.cpuFeatures);
    const cached = this.#cache.get(key)?.deref();
    if (cached !== undefined) return cached;
    const pool = this.#poolFor(resolved);
    if (pool === null) return this.#compileInThread(copy, options, signal);
    return this.#remember(key, await compileStreamingOnPool(this.#streamingHost(pool, resolved, options.onProgress), oneChunk(copy), signal, true));
  }

  /**
   * Compiles a module whose bytes arrive over time (a `Response.body`, a file stream): function
   * bodies compile on the compile pool while later bytes are still arriving. Rejects with the
   * `CompileError` of the first problem found, or the signal's reason when aborted; either way
   * outstanding background work is cancelled. Each chunk is copied as it arrives.
   */
  async compileStreaming(source: ByteSource, options: AsyncCompileOptions = {}): Promise<CompiledModule> {
    const resolved = resolveOptions(options);
    const signal = options.signal;
    if (signal?.aborted === true) throw abortReason(signal);
    const pool = this.#poolFor(resolved);
    if (pool !== null) return compileStreamingOnPool(this.#streamingHost(pool, resolved, options.onProgress), source, signal);
    // In-thread: gather copies of the chunks, then compile as compileAsync does.
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      signal?.throwIfAborted();
      chunks.push(copyBufferSource(chunk, 'a compileStreaming chunk'));
      length += chunk.byteLength;
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return this.#compileInThread(bytes, options, signal);
  }

  /**
   * Loads a code cache written by `CompiledModule.serialize()` for these exact module bytes,
   * without compiling. Throws `CodeCacheError` when the cache is corrupt or was made for other
   * bytes, options, backend or engine version.
   */
  deserialize(cache: Uint8Array, bytes: Uint8Array): CompiledModule {
    const moduleBytes = copyBufferSource(bytes);
    const hash = moduleBytesHash(moduleBytes);
    const contents = readCodeCache(cache, { engine: ENGINE_VERSION, backend: this.store.backend.name, cpuFeatures: this.store.cpuFeatures.key, module: hash });
    const options: ResolvedOptions = { tier: contents.key.tier, lazy: contents.key.lazy };
    const module = decodeModule(moduleBytes);
    const validation: ValidationResult = {
      features: new Set(contents.features as ModuleFeature[]),
      canonicalTypeIds: this.store.canonicalizer.canonicalize(module.types),
      canonicalizer: this.store.canonicalizer,
      declaredFunctions: contents.declaredFunctions,
    };
    let pieces: FinishedCode[];
    try {
      pieces = unpackFinishedCode(contents.code);
    } catch (error) {
      throw new CodeCacheError(`code cache is corrupt: ${(error as Error).message}`);
    }
    if (pieces.length !== module.codes.length) throw new CodeCacheError(`code cache holds ${pieces.length} functions, the module defines ${module.codes.length}`);
    checkFeatures(module, validation.features, options.tier, this.store.backend, this.store.cpuFeatures);
    return this.#place(module, validation, pieces, options, hash);
  }

  /** The CompileError for a module whose Wasm features this store's CPU features cannot compile. */
  #remember(key: string, compiled: CompiledModule): CompiledModule {
    this.#cache.set(key, new WeakRef(compiled));
    this.#cacheRegistry.register(compiled, key);
    return compiled;
  }

  /** The pool for an asynchronous compile with `options`, or null to compile on this thread. */
  #poolFor(options: ResolvedOptions): CompilePool | null {
    // Lazy compilation compiles on first call, on this thread: nothing to do in the background.
    if (!this.compilesInBackground || options.lazy) return null;
    if (this.#pool === null || this.#pool.broken !== null) this.#pool = new CompilePool(this.#workerUrl!, this.#workerCount, this.store.cpuFeatures);
    return this.#pool;
  }

  #streamingHost(pool: CompilePool, options: ResolvedOptions, onProgress: ProgressListener | undefined): StreamingCompileHost {
    return {
      pool,
      tier: options.tier,
      checkFeatures: (module, features) => checkFeatures(module, features, options.tier, this.store.backend, this.store.cpuFeatures),
      canonicalizer: this.store.canonicalizer,
      // Temporary: the pool reports no per-function completions to this thread, so progress
      // arrives once, when every piece is back (a per-batch count would replace it).
      place: (module, validation, pieces, hash) => {
        onProgress?.(pieces.length, pieces.length);
        return this.#place(module, validation, pieces, options, hash);
      },
      compileFailure: (failure, validation) => workerFailureError(failure, validation),
    };
  }

  #compileInThread(bytes: Uint8Array, options: CompileOptions, signal: AbortSignal | undefined): Promise<CompiledModule> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          signal?.throwIfAborted();
          resolve(this.#compileOwned(bytes, options));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** The one placement path: checks, places every function in one region, builds the module. */
  #place(module: Module, validation: ValidationResult, pieces: FinishedCode[], options: ResolvedOptions, bytesHash: string): CompiledModule {
    for (const code of pieces) checkRelocations(code, module);
    const cacheSource = { pieces, bytesHash, backend: this.store.backend.name, cpuFeatures: this.store.cpuFeatures.key };
    if (pieces.length === 0) return new CompiledModule(module, validation, null, options, null, cacheSource);
    const region = this.store.codeSpace.place(pieces, this.#resolver(module));
    return new CompiledModule(module, validation, region, options, null, cacheSource);
  }

  #resolver(module: Module): { firstFunctionIndex: number; resolveBuiltin: (id: number) => bigint; trapExit: () => bigint } {
    return {
      firstFunctionIndex: module.numImportedFunctions,
      resolveBuiltin: (id: number) => builtinAddress(this.store, id),
      trapExit: () => this.store.invoker.trapExitAddress,
    };
  }

  private compileValidated(module: Module, validation: ValidationResult, options: ResolvedOptions, bytesHash: string, onProgress: ProgressListener | undefined): CompiledModule {
    if (module.codes.length === 0) return this.#place(module, validation, [], options, bytesHash);
    const backend = withCpuFeatures(this.store.backend, this.store.cpuFeatures);
    const tiers = (this.#tiers ??= new TierCompilers(backend));
    const compiler: FunctionCompiler = this.#compiler ?? ((input) => tiers.compile(options.tier, input));
    const compileOne = (body: FunctionBody): FinishedCode => {
      let code: FinishedCode;
      try {
        code = compiler({ module, validation, funcIndex: body.funcIndex, body }, backend);
      } catch (error) {
        if (error instanceof BackendBailout) throw new UnsupportedError(bailoutMessage(error, validation, body.funcIndex));
        throw error;
      }
      checkRelocations(code, module);
      return code;
    };
    const resolver = this.#resolver(module);
    if (!options.lazy) {
      const total = module.codes.length;
      const pieces = module.codes.map((body, i) => {
        const code = compileOne(body);
        onProgress?.(i + 1, total);
        return code;
      });
      return this.#place(module, validation, pieces, options, bytesHash);
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

function checkRelocations(code: FinishedCode, module: Module): void {
  for (const reloc of code.relocations) {
    if (reloc.target === RelocTarget.Function && reloc.index < module.numImportedFunctions) {
      throw new UnsupportedError(`direct relocation to imported function ${reloc.index}: imports must be called through the VM context`);
    }
  }
}

/** The main thread's error for a function a worker could not compile (the module being valid). */
function workerFailureError(failure: WorkerFailure, validation: ValidationResult): Error {
  const funcIndex = failure.funcIndex ?? -1;
  if (failure.name === 'BackendBailout') {
    return new UnsupportedError(bailoutMessage(new BackendBailout(failure.reason as BailoutReason, failure.detail ?? ''), validation, funcIndex));
  }
  return new Error(`compiling function #${funcIndex} failed in a compile worker: ${failure.name}: ${failure.message}`);
}

/** `proposal not supported: <feature>` when the module uses a proposal, else the bailout itself. */
export function bailoutMessage(bailout: BackendBailout, validation: ValidationResult, funcIndex: number): string {
  const operator = OPERATORS_BY_NAME.get(bailout.detail)?.[0];
  if (operator !== undefined && operator.feature !== 'mvp') return `proposal not supported: ${operator.feature}`;
  if (bailout.detail.includes('v128') && validation.features.has('simd')) return 'proposal not supported: simd';
  if (bailout.detail.includes('exception') && validation.features.has('exceptions')) return 'proposal not supported: exceptions';
  const proposals = [...validation.features].filter((f) => f !== 'mvp');
  const named = proposals.find((f) => bailout.detail.includes(f));
  if (named !== undefined) return `proposal not supported: ${named}`;
  return `not supported by the baseline tier: ${bailout.message} (function #${funcIndex})`;
}
