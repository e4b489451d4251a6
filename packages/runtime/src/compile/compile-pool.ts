// Background compilation on `worker_threads`. The pool owns N workers (each with one reusable
// baseline compiler); a job is one module being compiled: the streaming compiler hands it the
// module context once, then batches of function bodies, each sent to the least loaded worker,
// and every chunk of the module for the job's validator worker. Cancelling sets a shared flag
// that workers check before each function, so queued work is dropped at once.
//
// Where the worker comes from: `compile-worker.js` next to this file, i.e. `dist/compile-worker.js`
// in a build (tsup entry). Running from TypeScript sources (vitest) there is no such file, and
// `defaultCompileWorkerUrl()` returns null: the engine then compiles on the calling thread. The
// pool tests bundle `src/compile/compile-worker.ts` from sources into a temporary file and pass its URL,
// so CI exercises the real worker path without depending on a prior build.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { CpuFeatureSet } from '@flint/backend';
import type { Module } from '@flint/decoder';
import type { PackedCode } from '../code/code-pack.ts';
import { CANCEL_ALL, CANCEL_FLAG_COUNT, STOP_COMPILING, type BodyBatch, type FromWorker, type ToWorker, type WorkerFailure, type WorkerStartData } from './compile-protocol.ts';

/** The built worker next to this module, or null when running from sources. */
export function defaultCompileWorkerUrl(): URL | null {
  const url = new URL('./compile-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/** Workers to start by default: one per core, at most 8 (the main thread mostly waits meanwhile). */
export function defaultCompileWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** What a job reports; every callback runs on the main thread. */
export interface CompileJobListener {
  /** `tiers`: registry index of each function's tier; `stats`: the batch's compile counters (observe/compile-stats.ts layout). */
  onCompiled(funcIndices: Int32Array, tiers: Uint8Array, packed: PackedCode, stats: Float64Array): void;
  /** A function failed to compile (the job's other compiling stops; validation goes on). */
  onCompileFailed(failure: WorkerFailure): void;
  onValidated(features: string[], declaredFunctions: Uint8Array): void;
  onInvalid(failure: WorkerFailure): void;
  /** A batch was answered (compiled, skipped or failed). */
  onBatchDone(): void;
  /** A worker died: the job cannot complete. */
  onWorkerError(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  /** Batches sent and not yet answered. */
  outstanding: number;
  /** Where the worker answers background jobs' batches (opened by the first background job). */
  answers: MessagePort | null;
}

/** Options of a job. */
export interface CompileJobOptions {
  /**
   * The job's batch answers can also be read synchronously, by `receiveBackgroundAnswers`, while
   * this thread runs code and its event loop does not turn (dynamic tiering's compiles).
   */
  readonly background?: boolean;
}

export class CompilePool {
  readonly size: number;
  readonly #workers: PoolWorker[] = [];
  readonly #jobs = new Map<number, CompileJob>();
  #nextJob = 1;
  #referenced = false;
  #broken: Error | null = null;
  #idleWaiters: (() => void)[] = [];
  /** Background answers posted by workers and not received yet (workers add, this thread subtracts). */
  readonly #backgroundAnswers = new Int32Array(new SharedArrayBuffer(4));

  /** Workers compile for `cpuFeatures`, the features of the main thread's store, so their code is the same. */
  constructor(workerUrl: URL, size: number, cpuFeatures: CpuFeatureSet) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`compile pool size must be a positive integer, got ${size}`);
    this.size = size;
    for (let i = 0; i < size; i++) {
      const workerData: WorkerStartData = { cpuFeatures: cpuFeatures.names };
      const entry: PoolWorker = { worker: new Worker(workerUrl, { workerData }), outstanding: 0, answers: null };
      entry.worker.on('message', (message: FromWorker) => this.#receive(entry, message));
      entry.worker.on('error', (error: Error) => this.#fail(error));
      entry.worker.on('exit', (code) => {
        if (code !== 0) this.#fail(new Error(`compile worker exited with code ${code}`));
      });
      entry.worker.unref();
      this.#workers.push(entry);
    }
  }

  /** Set when a worker died; the pool then takes no more jobs. */
  get broken(): Error | null {
    return this.#broken;
  }

  /** Batches sent to workers and not answered yet, over all jobs (cancelled ones included). */
  get outstandingBatches(): number {
    let sum = 0;
    for (const entry of this.#workers) sum += entry.outstanding;
    return sum;
  }

  /** Resolves once no batch is outstanding. */
  whenIdle(): Promise<void> {
    if (this.outstandingBatches === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Starts compiling one module with tier `tier` (a registered tier's name). */
  startJob(tier: string, listener: CompileJobListener, options: CompileJobOptions = {}): CompileJob {
    if (this.#broken !== null) throw this.#broken;
    const background = options.background === true;
    if (background) this.#openAnswerPorts();
    const id = this.#nextJob++;
    const job = new CompileJob(this, id, listener, this.#workers[id % this.size]!.worker);
    this.#jobs.set(id, job);
    this.#updateReference();
    const message: ToWorker = { kind: 'job', job: id, tier, cancelFlag: job.cancelFlag, background };
    for (const entry of this.#workers) entry.worker.postMessage(message);
    return job;
  }

  /**
   * Hands the background answers that arrived to their jobs now, without waiting for the event
   * loop (the interrupt poll calls this while code runs). Cheap when none arrived: one atomic load.
   */
  receiveBackgroundAnswers(): void {
    if (Atomics.load(this.#backgroundAnswers, 0) === 0) return;
    for (const entry of this.#workers) {
      const port = entry.answers;
      if (port === null) continue;
      for (let got = receiveMessageOnPort(port); got !== undefined; got = receiveMessageOnPort(port)) {
        Atomics.sub(this.#backgroundAnswers, 0, 1);
        this.#receive(entry, got.message as FromWorker);
      }
    }
  }

  /** One channel per worker for background answers; the event loop reads them too when it turns. */
  #openAnswerPorts(): void {
    for (const entry of this.#workers) {
      if (entry.answers !== null) continue;
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (message: FromWorker) => {
        Atomics.sub(this.#backgroundAnswers, 0, 1);
        this.#receive(entry, message);
      });
      // The workers keep the process alive while a job needs them; this port never does.
      port1.unref();
      entry.answers = port1;
      entry.worker.postMessage({ kind: 'answer-port', port: port2, pending: this.#backgroundAnswers.buffer as SharedArrayBuffer } satisfies ToWorker, [port2]);
    }
  }

  /** Stops every worker. */
  async terminate(): Promise<void> {
    this.#broken ??= new Error('compile pool terminated');
    for (const job of this.#jobs.values()) job.cancel();
    for (const entry of this.#workers) entry.answers?.close();
    await Promise.all(this.#workers.map((entry) => entry.worker.terminate()));
  }

  /** @internal */
  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    for (const entry of this.#workers) entry.worker.postMessage(message, transfer);
  }

  /** @internal Sends a batch to the worker with the fewest outstanding batches. */
  postBatch(message: ToWorker, transfer: ArrayBuffer[]): void {
    let best = this.#workers[0]!;
    for (const entry of this.#workers) if (entry.outstanding < best.outstanding) best = entry;
    best.outstanding++;
    best.worker.postMessage(message, transfer);
  }

  /** @internal */
  endJob(job: CompileJob): void {
    this.#jobs.delete(job.id);
    this.post({ kind: 'end', job: job.id });
    this.#updateReference();
  }

  #receive(entry: PoolWorker, message: FromWorker): void {
    const batchAnswer = message.kind === 'compiled' || message.kind === 'skipped' || message.kind === 'failed';
    if (batchAnswer) entry.outstanding--;
    const job = this.#jobs.get(message.job);
    if (job !== undefined) job.receive(message);
    if (batchAnswer && this.outstandingBatches === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    this.#updateReference();
  }

  #fail(error: Error): void {
    if (this.#broken !== null) return;
    this.#broken = error;
    for (const entry of this.#workers) entry.outstanding = 0;
    for (const job of [...this.#jobs.values()]) job.workerError(error);
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // Workers keep the process alive only while some job or batch needs them; an idle pool never
  // holds the event loop open.
  #updateReference(): void {
    const busy = this.#jobs.size > 0 || this.outstandingBatches > 0;
    if (busy === this.#referenced) return;
    this.#referenced = busy;
    for (const entry of this.#workers) {
      if (busy) entry.worker.ref();
      else entry.worker.unref();
    }
  }
}

/** One module being compiled by the pool. */
export class CompileJob {
  readonly id: number;
  readonly cancelFlag = new SharedArrayBuffer(CANCEL_FLAG_COUNT * 4);
  readonly #flags = new Int32Array(this.cancelFlag);
  readonly #pool: CompilePool;
  readonly #listener: CompileJobListener;
  readonly #validator: Worker;
  #batches = 0;
  #ended = false;

  constructor(pool: CompilePool, id: number, listener: CompileJobListener, validator: Worker) {
    this.#pool = pool;
    this.id = id;
    this.#listener = listener;
    this.#validator = validator;
  }

  sendModule(module: Module): void {
    this.#pool.post({ kind: 'module', job: this.id, module });
  }

  /** Sends a batch; its buffers are transferred (the batch must not be used afterwards). */
  sendBodies(bodies: BodyBatch): void {
    this.#pool.postBatch({ kind: 'bodies', job: this.id, batch: this.#batches++, bodies }, [bodies.bodies.buffer, bodies.code.buffer, bodies.locals.buffer] as ArrayBuffer[]);
  }

  /** Sends a copy of the next module bytes (the engine's own, never a caller's) to the validator. */
  sendChunk(bytes: Uint8Array): void {
    // Uint8Array's slice, not a subclass's (Buffer#slice is a view): the copy's buffer is transferred.
    const copy = Uint8Array.prototype.slice.call(bytes);
    this.#validator.postMessage({ kind: 'validate-chunk', job: this.id, bytes: copy } satisfies ToWorker, [copy.buffer]);
  }

  /** All bytes were sent: the validator validates the module. */
  finishValidation(): void {
    this.#validator.postMessage({ kind: 'validate-finish', job: this.id } satisfies ToWorker);
  }

  /** Stops compiling (validation goes on). */
  stopCompiling(): void {
    Atomics.store(this.#flags, STOP_COMPILING, 1);
  }

  /** Drops all work of this job, queued or running; later answers are ignored. */
  cancel(): void {
    Atomics.store(this.#flags, CANCEL_ALL, 1);
    this.end();
  }

  /** The job is over (done or cancelled): workers forget it. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#pool.endJob(this);
  }

  /** @internal */
  receive(message: FromWorker): void {
    const listener = this.#listener;
    switch (message.kind) {
      case 'compiled':
        listener.onCompiled(message.funcIndices, message.tiers, message.packed, message.stats);
        listener.onBatchDone();
        return;
      case 'skipped':
        listener.onBatchDone();
        return;
      case 'failed':
        listener.onCompileFailed(message.failure);
        listener.onBatchDone();
        return;
      case 'validated':
        listener.onValidated(message.features, message.declaredFunctions);
        return;
      case 'invalid':
        listener.onInvalid(message.failure);
        return;
    }
  }

  /** @internal */
  workerError(error: Error): void {
    this.#ended = true;
    this.#listener.onWorkerError(error);
  }
}
