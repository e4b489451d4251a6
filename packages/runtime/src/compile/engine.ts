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
import { DEFAULT_TIER_UP_BUDGET, ModuleTiering, TierUpService } from './tier-up.ts';
import { redirectFunction } from '../observe/code-swap.ts';
import { UnsupportedError } from '../errors.ts';
import { CompiledModule, type CacheSource, type CompileOptions, type ResolvedCompileOptions } from '../code/module.ts';
import { CodeCacheError, ENGINE_VERSION, keyMismatch, moduleBytesHash, readCodeCache, type CodeCacheContents, type CodeCacheKey } from '../code/serialize.ts';
import { DiskCodeCache, type DiskCacheStats } from '../code/disk-cache.ts';
import { abortReason, compileStreamingOnPool, type ByteSource, type StreamingCompileHost } from './streaming-compile.ts';
import { currentStore, type Store } from '../instance/store.ts';
import type { ResourceLimits } from '../instance/limits.ts';
import type { Epoch, InterruptHandle } from '../instance/interrupts.ts';
import { copyBufferSource, viewBufferSource } from '../bytes.ts';
import { checkFeatures, findUnsupportedUse } from './features.ts';
import { DEFAULT_TIER, TierCompilers, fuelMeteringTier, requireTier, type FunctionCompileInput, type TierName } from './tiers.ts';
import { CompileCounters, type CompileStatistics } from '../observe/compile-stats.ts';
import type { CodeEvent, CodeLabel, CodeObject } from '../observe/code-map.ts';
import { perfMapPath, writePerfMap } from '../observe/perf-map.ts';
import { Debugger, type DebuggerOptions } from '../observe/debugger.ts';
import { WasmScript, type ScriptOrigin } from '../observe/script.ts';

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
  /**
   * Write the Linux perf map (`/tmp/perf-<pid>.map`, or this path) for every code object of
   * this engine's thread, so `perf report` names Wasm frames (observe/perf-map.ts).
   */
  readonly perfMap?: boolean | string;
  /**
   * Called for each code object of this engine's thread as it is created, moved or freed —
   * Wasm functions, lazy stubs, trampolines — starting with `create` events for the code that
   * already exists. Code is per thread (the store), not per engine: another engine's code on the
   * same thread is reported too. `close()` stops the calls.
   */
  readonly onCode?: (event: CodeEvent) => void;
  /**
   * A directory for an on-disk code cache (opt-in): eagerly compiled modules are stored there in
   * the code-cache container and loaded instead of compiled when their key (engine build,
   * backend, CPU features, tier, module bytes) matches (see code/disk-cache.ts).
   */
  readonly codeCacheDirectory?: string;
  /**
   * Dynamic tiering (modules compiled with `tier: 'tiered'`): the Wasm bytes a function's baseline
   * code may run over before it is recompiled by the optimizing tier — each call spends the
   * function's body size, each loop iteration the loop's, at most 4095 per check (V8's measure).
   * 0 tiers a function up on its first call. Default `DEFAULT_TIER_UP_BUDGET` (compile/tier-up.ts).
   */
  readonly tierUpBudget?: number;
  /**
   * For tests: compile and install a tier-up inside the TierUp builtin, while the function whose
   * budget ran out waits, instead of in the background; every tier-up then happens at a known
   * point. Default false. (`FLINT_TIER_UP_SYNC=1` and `FLINT_TIER_UP_BUDGET=<n>` in the environment
   * set this and `tierUpBudget` for engines that do not: how conformance runs its `tiered` engines.)
   */
  readonly tierUpSynchronously?: boolean;
  /** Compile fuel metering into every module of this engine (`CompileOptions.fuel` overrides); see `setFuel`. */
  readonly fuel?: boolean;
  /** Limits on what the code of this thread may take (see `ResourceLimits`); they apply to the thread's store. */
  readonly limits?: ResourceLimits;
  /** The tier of compiles whose options name none (default `DEFAULT_TIER`); must be registered. */
  readonly defaultTier?: TierName;
}

/** Options of the asynchronous compiles. */
export interface AsyncCompileOptions extends CompileOptions {
  /** Aborting rejects the compile with the signal's reason and cancels its background work. */
  readonly signal?: AbortSignal;
}

/** The options a compile is keyed by: the module's options, and the URL its script is named by. */
type ResolvedOptions = ResolvedCompileOptions & { readonly url?: string };

/** `done, total` after each compiled function (see `CompileOptions.onProgress`). */
type ProgressListener = (done: number, total: number) => void;

function resolveOptions(options: CompileOptions, defaultTier: TierName, fuelByDefault: boolean): ResolvedOptions {
  const fuel = options.fuel ?? fuelByDefault;
  const selected = requireTier(options.tier ?? defaultTier).name;
  const tier = fuel ? fuelMeteringTier(selected) : selected;
  return { tier, lazy: options.lazy ?? false, fuel, ...(options.url === undefined ? {} : { url: String(options.url) }) };
}

// The URL is part of the key: the same bytes from two URLs are two scripts, as in V8.
const cacheKey = (hash: string, options: ResolvedOptions, cpuFeatures: CpuFeatureSet): string =>
  `${hash}:${options.tier}:${options.lazy}:${options.fuel}:${cpuFeatures.key}:${options.url ?? ''}`;

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
  #stopCodeEvents: (() => void) | null = null;
  readonly #counters = new CompileCounters();
  readonly #diskCache: DiskCodeCache | null;
  /** What this engine's code is keyed by, besides the tier and the module bytes. */
  readonly #target: Pick<CodeCacheKey, 'engine' | 'backend' | 'cpuFeatures'>;
  readonly #tierUpBudget: number;
  readonly #tierUps: TierUpService;
  readonly #drainTierUps = (): void => this.#tierUps.drain();
  readonly #fuelByDefault: boolean;
  readonly #defaultTier: TierName;

  constructor(options: EngineOptions = {}, store: Store = currentStore()) {
    this.store = store;
    this.#compiler = options.compiler;
    this.#fuelByDefault = options.fuel ?? false;
    this.#defaultTier = requireTier(options.defaultTier ?? DEFAULT_TIER).name;
    if (options.limits !== undefined) store.setLimits(options.limits);
    this.#diskCache = options.codeCacheDirectory === undefined ? null : new DiskCodeCache(options.codeCacheDirectory);
    this.#target = { engine: ENGINE_VERSION, backend: store.backend.name, cpuFeatures: store.cpuFeatures.key };
    this.#workerCount = options.compileWorkers ?? defaultCompileWorkerCount();
    this.#workerUrl = options.compileWorkerUrl ?? defaultCompileWorkerUrl();
    this.#tierUpBudget = options.tierUpBudget ?? environmentNumber('FLINT_TIER_UP_BUDGET') ?? DEFAULT_TIER_UP_BUDGET;
    if (!(Number.isInteger(this.#tierUpBudget) && this.#tierUpBudget >= 0 && this.#tierUpBudget < 0x7fff_ffff)) {
      throw new RangeError(`tierUpBudget must be an integer in [0, 2147483647), got ${options.tierUpBudget}`);
    }
    this.#tierUps = new TierUpService({
      pool: () => (this.compilesInBackground ? this.#startPool() : null),
      compileHere: (compiled, funcIndex, tier) => {
        const module = compiled.module;
        const tiers = (this.#tiers ??= new TierCompilers(withCpuFeatures(this.store.backend, this.store.cpuFeatures)));
        const code = tiers.compile(tier, { module, body: module.codes[funcIndex - module.numImportedFunctions]! }, this.#counters);
        return { code, tier: tiers.lastTier };
      },
      place: (compiled, funcIndex, code, tier) => {
        checkRelocations(code, compiled.module);
        return this.store.codeSpace.place([code], { ...this.#resolver(compiled.module), resolveFunction: (index) => compiled.codeAddress(index) }, [
          { kind: 'wasm-function', funcIndex, tier, script: compiled.script },
        ]);
      },
      install: (compiled, funcIndex, code) => {
        // Debug code swapped in stays until the debugger swaps it out, to this code.
        const debugging = compiled.codeAddress(funcIndex) !== compiled.originalCodeAddress(funcIndex);
        compiled.installTieredCode(funcIndex, code);
        if (debugging) return;
        compiled.lazy?.setCode(funcIndex, code);
        redirectFunction(compiled, funcIndex, code);
      },
      counters: this.#counters,
      synchronous: options.tierUpSynchronously ?? environmentNumber('FLINT_TIER_UP_SYNC') === 1,
      setPollHook: (_service, active) => {
        if (active) this.store.pollHooks.add(this.#drainTierUps);
        else this.store.pollHooks.delete(this.#drainTierUps);
      },
    });
    if (options.perfMap !== undefined && options.perfMap !== false) {
      writePerfMap(store.codeSpace.codeMap, typeof options.perfMap === 'string' ? options.perfMap : perfMapPath());
    }
    const onCode = options.onCode;
    if (onCode !== undefined) this.#stopCodeEvents = store.codeSpace.codeMap.listen((events) => events.forEach((event) => onCode(event)));
  }

  /**
   * The debugger of this engine's thread (observe/debugger.ts): breakpoints at (function, module
   * offset) of compiled modules, a pause callback with the frames' locals and operand stack, and
   * stepping. `options` set its callbacks.
   */
  debugger(options: DebuggerOptions = {}): Debugger {
    return Debugger.of(this.store, options);
  }

  /** Every live code object of this engine's thread, ascending by address. */
  codeObjects(): CodeObject[] {
    return [...this.store.codeSpace.codeMap.entries()].map(({ trapSites: _t, callSites: _c, ...code }) => code);
  }

  /**
   * This thread's interrupt handle: post it to another thread and call `interrupt(handle)` there
   * to stop the Wasm code running here at its next poll (a `RuntimeError`, "interrupted").
   */
  get interruptHandle(): InterruptHandle {
    return this.store.interrupts.handle;
  }

  /**
   * Stops Wasm code on this thread once `milliseconds` have passed from now (null: no deadline).
   * The check runs at polls, about every millisecond of running code.
   */
  setDeadline(milliseconds: number | null): void {
    this.store.interrupts.deadline = milliseconds === null ? null : performance.now() + milliseconds;
  }

  /** Stops Wasm code on this thread once `epoch` has advanced `ticks` past its value now (null: none), as Wasmtime's epoch deadlines. */
  setEpochDeadline(epoch: Epoch | null, ticks = 1): void {
    this.store.interrupts.epochDeadline = epoch === null ? null : { epoch, at: epoch.value + ticks };
  }

  /**
   * Sets the fuel of this thread: code compiled with fuel metering (`EngineOptions.fuel`,
   * `CompileOptions.fuel`) subtracts each operator's cost from it and stops with a `RuntimeError`
   * ("fuel exhausted") once more was spent than there was. Fuel starts at 0 on every thread.
   */
  setFuel(fuel: number | bigint): void {
    const value = typeof fuel === 'bigint' ? fuel : Number.isSafeInteger(fuel) ? BigInt(fuel) : null;
    if (value === null || value < 0n || value >= 1n << 62n) throw new RangeError(`fuel must be an integer from 0 to 2^62 - 1, got ${String(fuel)}`);
    this.store.invoker.fuel = value;
  }

  /** The fuel left on this thread (0 once exhausted). */
  fuelRemaining(): number {
    const fuel = this.store.invoker.fuel;
    return fuel <= 0n ? 0 : Number(fuel);
  }

  /** The limits the code of this thread runs under. */
  get limits(): Readonly<Required<ResourceLimits>> {
    return this.store.limits;
  }

  /**
   * Why code keyed `key` cannot run in this engine (another build, backend or CPU features, fuel
   * metering or not; with `tier`, another tier), or null when it can.
   */
  codeCacheMismatch(key: CodeCacheKey, tier?: string): string | null {
    const fuel = key.fuel === true;
    if (fuel !== this.#fuelByDefault) return fuel ? 'code cache holds code that meters fuel, this engine compiles without' : 'code cache holds code without fuel metering, this engine meters fuel';
    return keyMismatch(key, tier === undefined ? this.#target : { ...this.#target, tier: this.#fuelByDefault ? fuelMeteringTier(tier) : tier });
  }

  /** Lookups and stores of the on-disk code cache, or null without one. */
  get diskCacheStats(): Readonly<DiskCacheStats> | null {
    return this.#diskCache?.stats ?? null;
  }

  /** The compile pool, once an asynchronous compile started it (null before, or when compiling in-thread). */
  get compilePool(): CompilePool | null {
    return this.#pool;
  }

  /** Whether asynchronous compiles run on worker threads (else on the calling thread, after yielding). */
  get compilesInBackground(): boolean {
    return this.#workerUrl !== null && this.#workerCount > 0 && this.#compiler === undefined;
  }

  /**
   * Dynamic tiering, for tests (V8's TierUpNowForTesting): compiles function `funcIndex` of
   * `compiled` (a module compiled with `tier: 'tiered'`) with the optimizing tier on this thread
   * now, and installs it for every caller. Frames running its baseline code finish in it.
   */
  tierUpNow(compiled: CompiledModule, funcIndex: number): void {
    const module = compiled.module;
    if (!(Number.isInteger(funcIndex) && funcIndex >= module.numImportedFunctions && funcIndex < module.functions.length)) {
      throw new RangeError(`function #${funcIndex} is not defined in the module`);
    }
    this.#tierUps.tierUpNow(compiled, funcIndex);
  }

  /** Resolves once no function is queued or compiling for dynamic tiering: what was requested is installed. */
  whenTierUpsIdle(): Promise<void> {
    return this.#tierUps.whenIdle();
  }

  /** Functions queued or compiling for dynamic tiering now. */
  get pendingTierUps(): number {
    return this.#tierUps.pending;
  }

  /**
   * Stops the compile workers (a later asynchronous compile starts new ones) and the `onCode`
   * calls, and drops queued tier-ups (those functions stay on baseline code).
   */
  async close(): Promise<void> {
    this.#tierUps.cancel();
    this.#stopCodeEvents?.();
    this.#stopCodeEvents = null;
    const pool = this.#pool;
    this.#pool = null;
    await pool?.terminate();
  }

  /**
   * What this engine's tiers compiled so far, per tier: functions, bytes in and out, time,
   * bailouts and fallbacks, lazy compiles, functions loaded from code caches (and the tiering
   * counters, reserved). Counts from compile workers are included once their batches are back.
   */
  compileStats(): CompileStatistics {
    return this.#counters.snapshot();
  }

  /** Sets every compile statistic back to zero. */
  resetCompileStats(): void {
    this.#counters.reset();
  }

  /** Counts one module compile and its wall time since `started` (a `performance.now()`). */
  #countModule(started: number): void {
    this.#counters.modules++;
    this.#counters.wallMilliseconds += performance.now() - started;
  }

  /**
   * True when `bytes` is a valid module (decodes and validates) whose features this CPU can run.
   * The bytes are only read.
   */
  validate(bytes: Uint8Array): boolean {
    try {
      this.#checkModuleSize(bytes.byteLength);
      const module = decodeModule(viewBufferSource(bytes));
      const validation = validateModule(module, { canonicalizer: this.store.canonicalizer });
      return findUnsupportedUse(module, validation.features, this.#defaultTier, this.store.backend, this.store.cpuFeatures) === null;
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
    this.#checkModuleSize(bytes.byteLength);
    return this.#compileOwned(copyBufferSource(bytes), options);
  }

  /** `compile` of bytes the engine owns (copied at the boundary). */
  #compileOwned(bytes: Uint8Array, options: CompileOptions): CompiledModule {
    const resolved = resolveOptions(options, this.#defaultTier, this.#fuelByDefault);
    const hash = moduleBytesHash(bytes);
    const key = cacheKey(hash, resolved, this.store.cpuFeatures);
    const cached = this.#cache.get(key)?.deref();
    if (cached !== undefined) return cached;

    const fromDisk = this.#loadFromDisk(bytes, hash, resolved);
    if (fromDisk !== null) return this.#remember(key, fromDisk);

    const started = performance.now();
    const module = decodeModule(bytes);
    const validation = validateModule(module, { canonicalizer: this.store.canonicalizer });
    checkFeatures(module, validation.features, resolved.tier, this.store.backend, this.store.cpuFeatures);
    const compiled = this.compileValidated(module, validation, resolved, hash, bytes, options.onProgress);
    this.#countModule(started);
    return this.#remember(key, this.#storeOnDisk(compiled));
  }

  /**
   * Compiles `bytes` without blocking the event loop for long: decoding runs here in slices,
   * validation and function compilation on the compile pool (or, without workers, on this
   * thread after yielding). The bytes are copied before this returns, so the caller may reuse them.
   */
  async compileAsync(bytes: Uint8Array, options: AsyncCompileOptions = {}): Promise<CompiledModule> {
    const resolved = resolveOptions(options, this.#defaultTier, this.#fuelByDefault);
    const signal = options.signal;
    if (signal?.aborted === true) throw abortReason(signal);
    this.#checkModuleSize(bytes.byteLength);
    const copy = copyBufferSource(bytes);
    const hash = moduleBytesHash(copy);
    const key = cacheKey(hash, resolved, this.store.cpuFeatures);
    const cached = this.#cache.get(key)?.deref();
    if (cached !== undefined) return cached;
    const pool = this.#poolFor(resolved);
    if (pool === null) return this.#compileInThread(copy, options, signal);
    const fromDisk = this.#loadFromDisk(copy, hash, resolved);
    if (fromDisk !== null) return this.#remember(key, fromDisk);
    const started = performance.now();
    const compiled = await compileStreamingOnPool(this.#streamingHost(pool, resolved, options.onProgress), oneChunk(copy), signal, true);
    this.#countModule(started);
    return this.#remember(key, this.#storeOnDisk(compiled));
  }

  /**
   * Compiles a module whose bytes arrive over time (a `Response.body`, a file stream): function
   * bodies compile on the compile pool while later bytes are still arriving. Rejects with the
   * `CompileError` of the first problem found, or the signal's reason when aborted; either way
   * outstanding background work is cancelled. Each chunk is copied as it arrives.
   */
  async compileStreaming(source: ByteSource, options: AsyncCompileOptions = {}): Promise<CompiledModule> {
    const resolved = resolveOptions(options, this.#defaultTier, this.#fuelByDefault);
    const signal = options.signal;
    if (signal?.aborted === true) throw abortReason(signal);
    const pool = this.#poolFor(resolved);
    if (pool !== null) {
      const started = performance.now();
      const compiled = await compileStreamingOnPool(this.#streamingHost(pool, resolved, options.onProgress), source, signal);
      this.#countModule(started);
      return this.#storeOnDisk(compiled);
    }
    // In-thread: gather copies of the chunks, then compile as compileAsync does.
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      signal?.throwIfAborted();
      chunks.push(copyBufferSource(chunk, 'a compileStreaming chunk'));
      length += chunk.byteLength;
      this.#checkModuleSize(length);
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
   * Loads a code cache (a `CompiledModule.serialize()` container, a `flint compile` file, a
   * transferred module) without compiling. The module bytes come from the container or, for a
   * container written without them, from `bytes`. Throws `CodeCacheError` when the container is
   * corrupt or was made for other bytes, another engine build, backend or CPU features. A
   * container of a lazily compiled module carries no code: its module compiles lazily here.
   * `origin.url` names the module as `CompileOptions.url` does.
   */
  deserialize(cache: Uint8Array, bytes?: Uint8Array, origin: ScriptOrigin = {}): CompiledModule {
    // A container in shared memory could change while it is read: read a private copy.
    const contents = readCodeCache(cache.buffer instanceof SharedArrayBuffer ? copyBufferSource(cache) : cache);
    const moduleBytes = bytes !== undefined ? copyBufferSource(bytes) : contents.moduleBytes;
    if (moduleBytes === null) throw new CodeCacheError('the code cache does not carry its module bytes: pass them to deserialize');
    this.#checkModuleSize(moduleBytes.byteLength);
    const hash = bytes !== undefined ? moduleBytesHash(moduleBytes) : contents.key.module;
    const mismatch = keyMismatch(contents.key, { ...this.#target, module: hash });
    if (mismatch !== null) throw new CodeCacheError(mismatch);
    const options: ResolvedOptions = { tier: contents.key.tier, lazy: contents.key.lazy, fuel: contents.key.fuel === true, ...(origin.url === undefined ? {} : { url: origin.url }) };
    const key = cacheKey(hash, options, this.store.cpuFeatures);
    const cached = this.#cache.get(key)?.deref();
    if (cached !== undefined) return cached;
    if (options.lazy) return this.#compileOwned(moduleBytes, options);
    return this.#remember(key, this.#placeCache(contents, moduleBytes, hash, options));
  }

  /** A CompileError when a module of `length` bytes is longer than `ResourceLimits.maxModuleBytes`. */
  #checkModuleSize(length: number): void {
    const most = this.store.limits.maxModuleBytes;
    if (length > most) throw new CompileError(`module too large: ${length} bytes, more than the limit of ${most} (at byte 0x${most.toString(16)})`, most);
  }

  /** Places the code of a checked container (the module bytes match `hash`). */
  #placeCache(contents: CodeCacheContents, moduleBytes: Uint8Array, hash: string, options: ResolvedOptions): CompiledModule {
    const started = performance.now();
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
    const compiled = this.#place(module, validation, pieces, options, hash, moduleBytes);
    this.#counters.add(options.tier, 'cacheLoads', pieces.length);
    this.#countModule(started);
    return compiled;
  }

  /** The module from the on-disk cache, or null (no cache, no file, or a file that does not fit). */
  #loadFromDisk(bytes: Uint8Array, hash: string, options: ResolvedOptions): CompiledModule | null {
    const disk = this.#diskCache;
    if (disk === null || options.lazy || options.fuel || this.#compiler !== undefined) return null;
    const file = disk.fileFor(hash, this.#target.backend, options.tier);
    const data = disk.read(file);
    if (data === null) return null;
    try {
      const contents = readCodeCache(data);
      const mismatch = keyMismatch(contents.key, { ...this.#target, tier: options.tier, module: hash });
      if (mismatch !== null || contents.key.lazy) throw new CodeCacheError(mismatch ?? 'a lazy container');
      const compiled = this.#placeCache(contents, bytes, hash, options);
      disk.stats.hits++;
      return compiled;
    } catch (error) {
      if (!(error instanceof CodeCacheError)) throw error;
      disk.stats.refused++;
      return null;
    }
  }

  /** Writes an eagerly compiled module to the on-disk cache (when there is one); returns it. */
  #storeOnDisk(compiled: CompiledModule): CompiledModule {
    const disk = this.#diskCache;
    if (disk === null || compiled.options.lazy || compiled.options.fuel || this.#compiler !== undefined) return compiled;
    disk.write(disk.fileFor(compiled.bytesHash, this.#target.backend, compiled.options.tier), compiled.serialize({ moduleBytes: false }));
    return compiled;
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
    // Temporary: the compile protocol carries no fuel option; metered modules compile here.
    if (!this.compilesInBackground || options.lazy || options.fuel) return null;
    return this.#startPool();
  }

  /** The compile pool, started (or restarted after a worker died) now if need be. */
  #startPool(): CompilePool {
    if (this.#pool === null || this.#pool.broken !== null) this.#pool = new CompilePool(this.#workerUrl!, this.#workerCount, this.store.cpuFeatures);
    return this.#pool;
  }

  /** `compiled`, with dynamic tiering's state when its tier tiers up. */
  #withTiering(compiled: CompiledModule): CompiledModule {
    const tierUpTo = requireTier(compiled.options.tier).tierUpTo;
    // Whatever compiled it (a test's own compiler, a code cache of this tier), code of a tier that
    // tiers up may carry tier-up checks, which read the budgets: every such module has them.
    // Metered code has no checks and must stay metered: the optimizing tier does not meter fuel.
    if (tierUpTo === undefined || compiled.options.fuel) return compiled;
    compiled.attachTiering(new ModuleTiering(compiled.module, tierUpTo, this.#tierUpBudget, (funcIndex) => this.#tierUps.request(compiled, funcIndex)));
    return compiled;
  }

  #streamingHost(pool: CompilePool, options: ResolvedOptions, onProgress: ProgressListener | undefined): StreamingCompileHost {
    return {
      pool,
      tier: options.tier,
      checkFeatures: (module, features) => checkFeatures(module, features, options.tier, this.store.backend, this.store.cpuFeatures),
      canonicalizer: this.store.canonicalizer,
      counters: this.#counters,
      // Temporary: the pool reports no per-function completions to this thread, so progress
      // arrives once, when every piece is back (a per-batch count would replace it).
      place: (module, validation, pieces, hash, tiers, bytes) => {
        onProgress?.(pieces.length, pieces.length);
        return this.#place(module, validation, pieces, options, hash, bytes, tiers);
      },
      compileFailure: (failure, validation) => workerFailureError(failure, validation),
      checkLength: (length) => this.#checkModuleSize(length),
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

  /**
   * The one placement path: checks, places every function in one region, builds the module.
   * `tiers[i]`: the tier that compiled piece i (default: the module's tier).
   */
  #place(module: Module, validation: ValidationResult, pieces: FinishedCode[], options: ResolvedOptions, bytesHash: string, moduleBytes: Uint8Array, tiers: readonly string[] = []): CompiledModule {
    for (const code of pieces) checkRelocations(code, module);
    const cacheSource: CacheSource = { pieces, bytesHash, moduleBytes, target: this.#target };
    const script = new WasmScript(module, bytesHash, options);
    if (pieces.length === 0) return this.#withTiering(new CompiledModule(module, validation, null, options, script, null, cacheSource));
    const labels = pieces.map((_piece, i): CodeLabel => ({ kind: 'wasm-function', funcIndex: module.numImportedFunctions + i, tier: tiers[i] ?? options.tier, script }));
    const region = this.store.codeSpace.place(pieces, this.#resolver(module), labels);
    return this.#withTiering(new CompiledModule(module, validation, region, options, script, null, cacheSource));
  }

  #resolver(module: Module): { firstFunctionIndex: number; resolveBuiltin: (id: number) => bigint; trapExit: () => bigint } {
    return {
      firstFunctionIndex: module.numImportedFunctions,
      resolveBuiltin: (id: number) => builtinAddress(this.store, id),
      trapExit: () => this.store.invoker.trapExitAddress,
    };
  }

  private compileValidated(module: Module, validation: ValidationResult, options: ResolvedOptions, bytesHash: string, bytes: Uint8Array, onProgress: ProgressListener | undefined): CompiledModule {
    if (module.codes.length === 0) return this.#place(module, validation, [], options, bytesHash, bytes);
    const script = new WasmScript(module, bytesHash, options);
    // The tier that compiled each function: a fallback when the selected tier bailed out.
    const tierOf: string[] = [];
    const backend = withCpuFeatures(this.store.backend, this.store.cpuFeatures);
    const tiers = (this.#tiers ??= new TierCompilers(backend));
    const counters = this.#counters;
    const compiler: FunctionCompiler = this.#compiler ?? ((input) => tiers.compile(options.tier, input, counters, options.fuel));
    const compileOne = (body: FunctionBody): FinishedCode => {
      let code: FinishedCode;
      try {
        code = compiler({ module, body }, backend);
        tierOf[body.funcIndex - module.numImportedFunctions] = this.#compiler === undefined ? tiers.lastTier : options.tier;
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
      return this.#place(module, validation, pieces, options, bytesHash, bytes, tierOf);
    }
    // Lazy: stubs now; each function compiles on its first call (relocations to other functions
    // resolve to their stubs).
    let stubs: CodeRegion | null = null;
    const lazy = new LazyCode(
      module.codes.length,
      module.numImportedFunctions,
      (funcIndex) => {
        const code = compileOne(module.codes[funcIndex - module.numImportedFunctions]!);
        counters.add(options.tier, 'lazyCompiles');
        return code;
      },
      (code, funcIndex) =>
        this.store.codeSpace.place([code], { ...resolver, resolveFunction: (index) => stubs!.addressOf(index - module.numImportedFunctions) }, [
          { kind: 'wasm-function', funcIndex, tier: tierOf[funcIndex - module.numImportedFunctions] ?? options.tier, script },
        ]),
    );
    const compilerAddress = lazyCompilerAddress(this.store);
    stubs = this.store.codeSpace.place(
      module.codes.map((body) => backend.emitLazyCompileStub(body.funcIndex, lazy.slotAddress(body.funcIndex), compilerAddress, HOST_EXCEPTION_STATUS)),
      {},
      module.codes.map((body): CodeLabel => ({ kind: 'lazy-stub', funcIndex: body.funcIndex, script })),
    );
    return this.#withTiering(new CompiledModule(module, validation, stubs, options, script, lazy, { pieces: null, bytesHash, moduleBytes: bytes, target: this.#target }));
  }
}

/** The integer value of environment variable `name`, or undefined (unset, or not a Node process). */
function environmentNumber(name: string): number | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
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
