// The entry of a compile worker (built to dist/compile-worker.js; see compile-pool.ts). Each
// worker owns one reusable compiler per tier (with the tiers' fallbacks) and compiles the batches of function bodies it is
// sent for the host backend, answering with packed, unrelocated code; the worker chosen as a
// job's validator also decodes and validates the whole module. The protocol is in
// compile-protocol.ts.

import { BackendBailout, CpuFeatureSet, withCpuFeatures } from '@flint/backend';
import { CompileError, StreamingDecoder, validateModule, type FunctionBody, type LocalDecl, type Module } from '@flint/decoder';
import type { FinishedCode } from '@flint/backend';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { packFinishedCode, packedBuffers } from '../code/code-pack.ts';
import { BATCH_BODY_STRIDE, CANCEL_ALL, STOP_COMPILING, type BodyBatch, type FromWorker, type ToWorker, type WorkerFailure, type WorkerStartData } from './compile-protocol.ts';
import { backendForHost } from '../native/backends.ts';
import { TierCompilers, tierIndex } from './tiers.ts';
import { CompileCounters } from '../observe/compile-stats.ts';

interface CompileState {
  /**
   * Compilers take the decoded module and a body (`FunctionCompileInput`), nothing from
   * validation, so bodies compile while the job's validator is still at work;
   * compile-pool.test.ts checks that worker code is byte-identical to the main thread's.
   */
  readonly module: Module;
  failed: boolean;
}

interface JobState {
  readonly tier: string;
  /** Batch answers go to the answer port (dynamic tiering's compiles). */
  readonly background: boolean;
  readonly cancelled: Int32Array;
  compile: CompileState | null;
  /** Set on the job's validator while its bytes arrive. */
  validator: StreamingDecoder | null;
  /** Validation finished or failed: later chunks are ignored. */
  validationOver: boolean;
}

const port = parentPort;
if (port === null) throw new Error('compile-worker.ts is a worker_threads entry and must not be imported');

const { cpuFeatures } = workerData as WorkerStartData;
const compilers = new TierCompilers(withCpuFeatures(backendForHost(), CpuFeatureSet.of(cpuFeatures)));
const jobs = new Map<number, JobState>();

/** The job's state, or undefined when it ended or was cancelled (its messages are then ignored). */
function liveJob(job: number): JobState | undefined {
  const state = jobs.get(job);
  return state === undefined || Atomics.load(state.cancelled, CANCEL_ALL) !== 0 ? undefined : state;
}

/** Whether compiling for `state` should stop (cancelled, or another worker's compile failed). */
const compileStopped = (state: JobState): boolean => Atomics.load(state.cancelled, CANCEL_ALL) !== 0 || Atomics.load(state.cancelled, STOP_COMPILING) !== 0;

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

/** The main thread's port for background jobs' answers, and its count of answers waiting there. */
let answers: { readonly port: MessagePort; readonly pending: Int32Array } | null = null;

/** Posts a batch answer of `job`: a background job's to the answer port, counted, others as any message. */
function answer(job: number, message: FromWorker, transfer: ArrayBuffer[] = []): void {
  if (answers === null || jobs.get(job)?.background !== true) {
    post(message, transfer);
    return;
  }
  answers.port.postMessage(message, transfer);
  Atomics.add(answers.pending, 0, 1);
}

function describe(error: unknown, funcIndex?: number): WorkerFailure {
  if (error instanceof CompileError) return { name: 'CompileError', message: error.message, offset: error.offset };
  if (error instanceof BackendBailout) return { name: 'BackendBailout', message: error.message, reason: error.reason, detail: error.detail, ...(funcIndex === undefined ? {} : { funcIndex }) };
  if (error instanceof Error) return { name: error.name, message: error.message, ...(funcIndex === undefined ? {} : { funcIndex }) };
  return { name: 'Error', message: String(error) };
}

function compileBatch(job: number, batchId: number, batch: BodyBatch): void {
  const live = liveJob(job);
  const state = live?.compile;
  if (live === undefined || state == null || state.failed || compileStopped(live)) {
    answer(job, { kind: 'skipped', job, batch: batchId });
    return;
  }
  const { bodies, code, locals } = batch;
  const count = bodies.length / BATCH_BODY_STRIDE;
  const funcIndices = new Int32Array(count);
  const tiers = new Uint8Array(count);
  const pieces: FinishedCode[] = [];
  const counters = new CompileCounters();
  for (let i = 0; i < count; i++) {
    // Checked per function, so cancelling skips the rest of a batch already being compiled.
    if (compileStopped(live)) {
      answer(job, { kind: 'skipped', job, batch: batchId });
      return;
    }
    const b = i * BATCH_BODY_STRIDE;
    const funcIndex = bodies[b]!;
    const codeStart = bodies[b + 3]!;
    const localDecls: LocalDecl[] = [];
    for (let l = bodies[b + 5]!, end = l + bodies[b + 6]!; l < end; l++) localDecls.push({ count: locals[l * 2]!, type: locals[l * 2 + 1]! });
    const body: FunctionBody = {
      funcIndex,
      locals: localDecls,
      code: { bytes: code.subarray(codeStart, codeStart + bodies[b + 4]!), offset: bodies[b + 2]! },
      offset: bodies[b + 1]!,
    };
    try {
      pieces.push(compilers.compile(live.tier, { module: state.module, body }, counters));
    } catch (error) {
      state.failed = true;
      answer(job, { kind: 'failed', job, batch: batchId, failure: describe(error, funcIndex) });
      return;
    }
    funcIndices[i] = funcIndex;
    tiers[i] = tierIndex(compilers.lastTier);
  }
  const packed = packFinishedCode(pieces);
  const stats = counters.values;
  answer(job, { kind: 'compiled', job, batch: batchId, funcIndices, tiers, packed, stats }, [funcIndices.buffer, tiers.buffer, stats.buffer as ArrayBuffer, ...packedBuffers(packed)]);
}

function validateChunk(job: number, bytes: Uint8Array): void {
  const state = liveJob(job);
  if (state === undefined || state.validationOver) return;
  state.validator ??= new StreamingDecoder();
  try {
    state.validator.push(bytes);
  } catch (error) {
    state.validator = null;
    state.validationOver = true;
    post({ kind: 'invalid', job, failure: describe(error) });
  }
}

function validateFinish(job: number): void {
  const state = liveJob(job);
  if (state === undefined || state.validationOver) return; // cancelled, or its failure was reported
  // No chunk at all is an empty module: finish() reports it.
  const decoder = state.validator ?? new StreamingDecoder();
  state.validator = null;
  state.validationOver = true;
  try {
    const result = validateModule(decoder.finish());
    const declared = result.declaredFunctions.slice();
    post({ kind: 'validated', job, features: [...result.features], declaredFunctions: declared }, [declared.buffer as ArrayBuffer]);
  } catch (error) {
    post({ kind: 'invalid', job, failure: describe(error) });
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'job':
      jobs.set(message.job, { tier: message.tier, background: message.background === true, cancelled: new Int32Array(message.cancelFlag), compile: null, validator: null, validationOver: false });
      return;
    case 'module': {
      const state = jobs.get(message.job);
      if (state === undefined) return;
      state.compile = { module: message.module, failed: false };
      return;
    }
    case 'bodies':
      compileBatch(message.job, message.batch, message.bodies);
      return;
    case 'validate-chunk':
      validateChunk(message.job, message.bytes);
      return;
    case 'validate-finish':
      validateFinish(message.job);
      return;
    case 'end':
      jobs.delete(message.job);
      return;
    case 'answer-port':
      answers = { port: message.port, pending: new Int32Array(message.pending) };
      return;
  }
});
