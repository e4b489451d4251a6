// Dynamic tiering, as V8 does it for Wasm: a module compiled with a tier that tiers up (the
// `tiered` row) starts on baseline code that spends a per-function budget at entry and on loop
// back-edges (`MacroAssembler.tierUpCheck`). A function whose budget runs out reaches the
// `TierUp` builtin, which queues it here; it is recompiled with the row's `tierUpTo` tier in the
// background and its new code is installed for every caller (docs/adr/0023):
//
//     baseline code ── budget < 0 ──► TierUp builtin ──► request() ──► queue
//        ▲                                                              │
//        │ frames already running it finish in it           compile pool (a worker), or this
//        │                                                  thread at a quiet point (no pool)
//     every holder of the function's code ◄── install() ◄── placed optimized code
//
// Where compiles run: on the engine's compile pool when it has one (a built runtime), else on
// this thread from `setImmediate`, one function per turn of the event loop, so running code is
// never blocked by a compile. A pool's answers are read synchronously at the interrupt poll
// (`drain`, about every millisecond of running code) as well as from the event loop, so a long
// call (a program's `main`) picks up its optimized callees while it runs.
//
// Budgets are per module, shared by its instances (one i32 per function index, pointed to by
// `VMCTX_TIERING_BUDGETS`): hotness is a property of the code, whichever instance runs it.
// Nothing is freed: baseline code stays mapped with its module, so frames may return into it.

import type { FinishedCode } from '@flint/backend';
import type { Module } from '@flint/decoder';
import type { CompiledModule } from '../code/module.ts';
import type { CodeRegion } from '../code/code-space.ts';
import { NativeMemory } from '../native/native-memory.ts';
import { unpackFinishedCode } from '../code/code-pack.ts';
import type { CompileJob, CompilePool } from './compile-pool.ts';
import { BATCH_BODY_STRIDE, workerModuleContext, type BodyBatch } from './compile-protocol.ts';
import { registeredTiers } from './tiers.ts';
import type { CompileCounters } from '../observe/compile-stats.ts';

/**
 * Wasm bytes a function's baseline code runs over before it is queued for the optimizing tier
 * (each call spends the body's size, each loop iteration the loop's; see `tierUpCost`). V8 began
 * with 1.8M for Liftoff and later raised it; Flint's baseline code is slower relative to its
 * optimizing tier, so it tiers up at about V8's first value.
 */
export const DEFAULT_TIER_UP_BUDGET = 2_000_000;

/** A budget no run of code spends before its owner notices: what a queued function's budget is set to. */
const NEVER = 0x7fff_ffff;

/** Where each defined function is on its way up. */
const enum FunctionTier {
  Baseline = 0,
  Queued = 1,
  Optimized = 2,
  /** The compile failed (reported by the tier's counters); the function stays on baseline code. */
  Failed = 3,
}

/** The tiering state of one compiled module. */
export class ModuleTiering {
  /** i32 per function index: what its baseline code may still run before it tiers up. */
  readonly budgets: NativeMemory;
  readonly #words: Int32Array;
  readonly #state: Uint8Array;
  readonly #numImported: number;
  /** The tier hot functions are recompiled with. */
  readonly tierUpTo: string;
  /** Optimized code placed for this module: kept as long as the module, like its baseline code. */
  readonly regions: CodeRegion[] = [];
  /** The pool job carrying this module's tier-up compiles while any is outstanding. */
  job: CompileJob | null = null;
  /** Functions sent to the pool and not answered yet. */
  readonly onPool = new Set<number>();

  readonly #request: (funcIndex: number) => void;

  /** `request`: what the TierUp builtin calls for a function of this module (the engine's queue). */
  constructor(module: Module, tierUpTo: string, budget: number, request: (funcIndex: number) => void) {
    this.#request = request;
    if (!(Number.isInteger(budget) && budget >= 0 && budget < NEVER)) throw new RangeError(`tier-up budget must be an integer in [0, ${NEVER}), got ${budget}`);
    this.tierUpTo = tierUpTo;
    this.#numImported = module.numImportedFunctions;
    this.budgets = new NativeMemory(Math.max(1, module.functions.length) * 4);
    this.#words = new Int32Array(this.budgets.view.buffer, this.budgets.view.byteOffset, module.functions.length);
    this.#words.fill(budget);
    this.#state = new Uint8Array(module.functions.length - module.numImportedFunctions);
  }

  /** The TierUp builtin: `funcIndex` ran out of budget. */
  request(funcIndex: number): void {
    this.#request(funcIndex);
  }

  /** What function `funcIndex`'s baseline code may still run before it tiers up (tests read it). */
  budget(funcIndex: number): number {
    return this.#words[funcIndex]!;
  }

  /** Whether function `funcIndex` runs optimized code now. */
  isOptimized(funcIndex: number): boolean {
    return this.#state[funcIndex - this.#numImported] === FunctionTier.Optimized;
  }

  /** Marks `funcIndex` queued; false when it already is, or is past that. */
  queue(funcIndex: number): boolean {
    // Its baseline code must not come back here while the compile is under way.
    this.#words[funcIndex] = NEVER;
    const at = funcIndex - this.#numImported;
    if (this.#state[at] !== FunctionTier.Baseline) return false;
    this.#state[at] = FunctionTier.Queued;
    return true;
  }

  /** @internal */
  settle(funcIndex: number, optimized: boolean): void {
    this.#state[funcIndex - this.#numImported] = optimized ? FunctionTier.Optimized : FunctionTier.Failed;
  }
}

/** What the tier-up service needs from its engine. */
export interface TierUpHost {
  /** The compile pool to compile on, or null to compile on this thread. */
  pool(): CompilePool | null;
  /** Compiles `funcIndex` of `compiled` with `tier` on this thread (fallbacks applied); returns the code and the tier that made it. */
  compileHere(compiled: CompiledModule, funcIndex: number, tier: string): { code: FinishedCode; tier: string };
  /** Places `code` as function `funcIndex` of `compiled`, made by `tier`. */
  place(compiled: CompiledModule, funcIndex: number, code: FinishedCode, tier: string): CodeRegion;
  /** Makes every holder of `funcIndex`'s code (every instance, importer, handle, later instance) use `code`. */
  install(compiled: CompiledModule, funcIndex: number, code: bigint): void;
  readonly counters: CompileCounters;
  /** Called with the service while it has pool answers to read at polls, and with null once it has none. */
  setPollHook(service: TierUpService, active: boolean): void;
  /**
   * Testing mode: compile and install inside the TierUp builtin, while the function that ran out
   * of budget waits (as lazy compilation does on a first call), so every tier-up happens at a known
   * point. Conformance runs the `tiered` engines so, with a budget of 0.
   */
  readonly synchronous: boolean;
}

/** One engine's tier-up queue: requests from the TierUp builtin, compiles, installs. */
export class TierUpService {
  readonly #host: TierUpHost;
  /** Requests waiting for this thread (no pool), in order. */
  readonly #here: { compiled: CompiledModule; funcIndex: number }[] = [];
  #scheduled = false;
  /** Modules with a pool job outstanding. */
  readonly #onPool = new Set<CompiledModule>();
  #idleWaiters: (() => void)[] = [];

  constructor(host: TierUpHost) {
    this.#host = host;
  }

  /** Functions queued or compiling. */
  get pending(): number {
    let sum = this.#here.length;
    for (const compiled of this.#onPool) sum += compiled.tiering!.onPool.size;
    return sum;
  }

  /** The TierUp builtin: queues `funcIndex` of `compiled` unless it is queued or done already. Never compiles here. */
  request(compiled: CompiledModule, funcIndex: number): void {
    const tiering = compiled.tiering;
    if (tiering === null || !tiering.queue(funcIndex)) return;
    if (this.#host.synchronous) {
      this.#compileHere(compiled, funcIndex);
      return;
    }
    const pool = this.#host.pool();
    if (pool === null || pool.broken !== null) {
      this.#here.push({ compiled, funcIndex });
      this.#schedule();
      return;
    }
    this.#sendToPool(pool, compiled, funcIndex);
  }

  /** Compiles and installs `funcIndex` of `compiled` now, on this thread (tests; V8's TierUpNowForTesting). */
  tierUpNow(compiled: CompiledModule, funcIndex: number): void {
    const tiering = compiled.tiering;
    if (tiering === null) throw new RangeError('this module was not compiled with a tier that tiers up');
    if (tiering.isOptimized(funcIndex)) return;
    tiering.queue(funcIndex);
    const index = this.#here.findIndex((request) => request.compiled === compiled && request.funcIndex === funcIndex);
    if (index >= 0) this.#here.splice(index, 1);
    this.#compileHere(compiled, funcIndex);
  }

  /** Resolves once no tier-up is queued or compiling (every requested function is installed or failed). */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops every queued and outstanding tier-up (engine teardown): those functions stay on baseline code. */
  cancel(): void {
    this.#here.length = 0;
    for (const compiled of this.#onPool) {
      const tiering = compiled.tiering!;
      tiering.job?.cancel();
      tiering.job = null;
      tiering.onPool.clear();
    }
    if (this.#onPool.size > 0) this.#host.setPollHook(this, false);
    this.#onPool.clear();
    this.#notifyIfIdle();
  }

  /** Reads the pool's answers that arrived (the interrupt poll calls this; cheap when there are none). */
  drain(): void {
    this.#host.pool()?.receiveBackgroundAnswers();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const next = this.#here.shift();
      if (next !== undefined) this.#compileHere(next.compiled, next.funcIndex);
      if (this.#here.length > 0) this.#schedule();
      else this.#notifyIfIdle();
    });
  }

  #compileHere(compiled: CompiledModule, funcIndex: number): void {
    const tiering = compiled.tiering!;
    try {
      const made = this.#host.compileHere(compiled, funcIndex, tiering.tierUpTo);
      this.#installCode(compiled, funcIndex, made.code, made.tier);
    } catch {
      // A function the top tier (and its fallbacks) cannot compile, or whose code cannot be
      // placed, keeps its baseline code; a bailout is in the tier's counters. Nothing may throw
      // here: this can run inside the TierUp builtin, which has no way to report an error.
      tiering.settle(funcIndex, false);
    }
  }

  #installCode(compiled: CompiledModule, funcIndex: number, code: FinishedCode, tier: string): void {
    const tiering = compiled.tiering!;
    const region = this.#host.place(compiled, funcIndex, code, tier);
    tiering.regions.push(region);
    this.#host.install(compiled, funcIndex, region.addressOf(0));
    tiering.settle(funcIndex, true);
    this.#host.counters.add(tier, 'tierUps');
  }

  #sendToPool(pool: CompilePool, compiled: CompiledModule, funcIndex: number): void {
    const tiering = compiled.tiering!;
    if (tiering.job === null) {
      tiering.job = pool.startJob(tiering.tierUpTo, this.#listener(compiled), { background: true });
      // With the bodies: the optimizing tier inlines small callees, so its workers read other
      // functions' bodies (they share the module's one buffer, cloned once per worker and job).
      tiering.job.sendModule({ ...workerModuleContext(compiled.module), codes: compiled.module.codes });
      if (this.#onPool.size === 0) this.#host.setPollHook(this, true);
      this.#onPool.add(compiled);
    }
    tiering.onPool.add(funcIndex);
    tiering.job.sendBodies(oneBody(compiled.module, funcIndex));
  }

  #listener(compiled: CompiledModule): Parameters<CompilePool['startJob']>[1] {
    const tiering = compiled.tiering!;
    const done = (): void => {
      if (tiering.onPool.size > 0) return;
      tiering.job?.end();
      tiering.job = null;
      this.#onPool.delete(compiled);
      if (this.#onPool.size === 0) this.#host.setPollHook(this, false);
      this.#notifyIfIdle();
    };
    return {
      onCompiled: (funcIndices, tiers, packed, stats) => {
        this.#host.counters.merge(stats);
        const pieces = unpackFinishedCode(packed);
        for (let i = 0; i < funcIndices.length; i++) {
          tiering.onPool.delete(funcIndices[i]!);
          this.#installCode(compiled, funcIndices[i]!, pieces[i]!, registeredTiers()[tiers[i]!]!.name);
        }
      },
      onCompileFailed: (failure) => {
        if (failure.funcIndex === undefined) return;
        tiering.onPool.delete(failure.funcIndex);
        tiering.settle(failure.funcIndex, false);
        // The worker skips the job's later batches after a failure: those compile here.
        for (const funcIndex of tiering.onPool) this.#here.push({ compiled, funcIndex });
        tiering.onPool.clear();
        if (this.#here.length > 0) this.#schedule();
      },
      onValidated: () => {},
      onInvalid: () => {},
      onBatchDone: done,
      onWorkerError: () => {
        // The pool is gone: what was outstanding compiles on this thread instead.
        tiering.job = null;
        for (const funcIndex of tiering.onPool) this.#here.push({ compiled, funcIndex });
        tiering.onPool.clear();
        this.#onPool.delete(compiled);
        if (this.#onPool.size === 0) this.#host.setPollHook(this, false);
        if (this.#here.length > 0) this.#schedule();
        else this.#notifyIfIdle();
      },
    };
  }

  #notifyIfIdle(): void {
    if (this.pending !== 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The batch of one function body (see compile-protocol.ts). */
function oneBody(module: Module, funcIndex: number): BodyBatch {
  const body = module.codes[funcIndex - module.numImportedFunctions]!;
  const bodies = new Int32Array(BATCH_BODY_STRIDE);
  const locals = new Int32Array(body.locals.length * 2);
  body.locals.forEach((decl, i) => {
    locals[i * 2] = decl.count;
    locals[i * 2 + 1] = decl.type;
  });
  bodies.set([funcIndex, body.offset, body.code.offset, 0, body.code.bytes.length, 0, body.locals.length]);
  return { bodies, code: body.code.bytes.slice(), locals };
}
