// Streaming compilation: bytes arrive in chunks; the streaming decoder cuts them into sections
// and function bodies on this thread, bodies go to the compile pool in batches while later
// bytes are still arriving, and a copy of every chunk goes to the job's validator worker. The
// module is ready when the last byte is in, the last batch is compiled and the validator has
// accepted the module; the engine then places the code exactly as a synchronous compile does.
//
//   chunks ─▶ StreamingDecoder ─ bodies ─▶ BatchBuilder ─▶ pool workers ─ packed code ─┐
//      └────────────── copies ──────────────────────────▶ validator worker ── result ──┴▶ place
//
// Failure order: a decode error on this thread, an `invalid` from the validator or an abort
// rejects at once and cancels the job; a compile failure (a bailout) waits for validation, which
// decides whether the module was invalid (CompileError) or unsupported (UnsupportedError).
// https://webassembly.github.io/spec/js-api/#dom-webassembly-compilestreaming

import type { FinishedCode } from '@flint/backend';
import { CompileError, StreamingDecoder, type FunctionBody, type Module, type ModuleFeature, type TypeCanonicalizer, type ValidationResult } from '@flint/decoder';
import { createHash } from 'node:crypto';
import { unpackFinishedCode } from '../code/code-pack.ts';
import { copyBufferSource } from '../bytes.ts';
import type { CompileJob, CompilePool } from './compile-pool.ts';
import { BATCH_BODY_STRIDE, workerModuleContext, type BodyBatch, type WorkerFailure } from './compile-protocol.ts';
import type { CompiledModule } from '../code/module.ts';
import type { CompileCounters } from '../observe/compile-stats.ts';
import { registeredTiers } from './tiers.ts';

/** Module bytes as they arrive: a web `ReadableStream` (a `Response.body`) or any async iterable. */
export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** What streaming compilation needs from the engine. */
export interface StreamingCompileHost {
  readonly pool: CompilePool;
  /** The tier the workers compile with (a registered tier's name). */
  readonly tier: string;
  /** Throws the `UnsupportedFeatureError` when the valid module uses a feature the engine cannot run. */
  checkFeatures(module: Module, features: Iterable<ModuleFeature>): void;
  readonly canonicalizer: TypeCanonicalizer;
  /** The engine's compile statistics, to which every batch's counts are added. */
  readonly counters: CompileCounters;
  /** The engine's one placement path (the synchronous compile uses it too); `bytes` are the whole module. */
  place(module: Module, validation: ValidationResult, pieces: FinishedCode[], bytesHash: string, tiers: readonly string[], bytes: Uint8Array): CompiledModule;
  /** The error for a function the worker could not compile, once the module is known valid. */
  compileFailure(failure: WorkerFailure, validation: ValidationResult): Error;
  /** Throws the CompileError when a module of `length` bytes (so far) passes the engine's size limit. */
  checkLength(length: number): void;
}

/** A batch is sent once its bodies hold this many bytes (and at the end of the code section). */
const BATCH_BYTES = 64 * 1024;
/** Large chunks are decoded in slices of this size, yielding to the event loop between them. */
const DECODE_SLICE = 128 * 1024;

/** Collects function bodies into flat, growable arrays (doubling), sent as one `BodyBatch`. */
class BatchBuilder {
  #bodies: Int32Array = new Int32Array(64 * BATCH_BODY_STRIDE);
  #code = new Uint8Array(BATCH_BYTES * 2);
  #locals: Int32Array = new Int32Array(256);
  #count = 0;
  #codeLength = 0;
  #localCount = 0;

  get codeBytes(): number {
    return this.#codeLength;
  }

  get count(): number {
    return this.#count;
  }

  add(body: FunctionBody): void {
    const bytes = body.code.bytes;
    if ((this.#count + 1) * BATCH_BODY_STRIDE > this.#bodies.length) this.#bodies = grow(this.#bodies, (this.#count + 1) * BATCH_BODY_STRIDE);
    if (this.#codeLength + bytes.length > this.#code.length) {
      const code = new Uint8Array(Math.max(this.#code.length * 2, this.#codeLength + bytes.length));
      code.set(this.#code.subarray(0, this.#codeLength));
      this.#code = code;
    }
    if ((this.#localCount + body.locals.length) * 2 > this.#locals.length) this.#locals = grow(this.#locals, (this.#localCount + body.locals.length) * 2);
    const b = this.#count * BATCH_BODY_STRIDE;
    this.#bodies[b] = body.funcIndex;
    this.#bodies[b + 1] = body.offset;
    this.#bodies[b + 2] = body.code.offset;
    this.#bodies[b + 3] = this.#codeLength;
    this.#bodies[b + 4] = bytes.length;
    this.#bodies[b + 5] = this.#localCount;
    this.#bodies[b + 6] = body.locals.length;
    this.#code.set(bytes, this.#codeLength);
    this.#codeLength += bytes.length;
    for (const decl of body.locals) {
      this.#locals[this.#localCount * 2] = decl.count;
      this.#locals[this.#localCount * 2 + 1] = decl.type;
      this.#localCount++;
    }
    this.#count++;
  }

  /** The batch so far, in fresh buffers of exactly its size (they are transferred); resets. */
  take(): BodyBatch {
    const batch = {
      bodies: this.#bodies.slice(0, this.#count * BATCH_BODY_STRIDE),
      code: this.#code.slice(0, this.#codeLength),
      locals: this.#locals.slice(0, this.#localCount * 2),
    };
    this.#count = 0;
    this.#codeLength = 0;
    this.#localCount = 0;
    return batch;
  }
}

function grow(array: Int32Array, needed: number): Int32Array {
  const next = new Int32Array(Math.max(array.length * 2, needed));
  next.set(array);
  return next;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The reason an aborted signal rejects with (`signal.reason`, else an `AbortError`). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function rebuildError(failure: WorkerFailure): Error {
  if (failure.name === 'CompileError') return new CompileError(failure.message, failure.offset ?? 0);
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}

interface ChunkReader {
  next(): Promise<IteratorResult<Uint8Array>>;
  /** Stops the producer; not awaited, since it may wait for a read that never completes. */
  stop(reason: unknown): void;
}

// A ReadableStream is read through its reader, whose cancel() works while a read is pending
// (an async iterator's return() would wait for that read first).
function chunkReader(source: ByteSource): ChunkReader {
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      stop: (reason) => void reader.cancel(reason).catch(() => {}),
    };
  }
  const iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    stop: () => void iterator.return?.().catch(() => {}),
  };
}

/**
 * Compiles the module whose bytes `source` yields, on the host's pool. Chunks are the caller's
 * and copied as they arrive, unless `owned` says they are already the engine's own copy.
 */
export async function compileStreamingOnPool(host: StreamingCompileHost, source: ByteSource, signal?: AbortSignal, owned = false): Promise<CompiledModule> {
  if (signal?.aborted === true) throw abortReason(signal);

  // Settled by the job's callbacks or by an abort; the reading loop below races against it.
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => {}); // observed below; this only keeps an early rejection from being "unhandled"
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    job.cancel();
    settle.reject(error);
  };

  // Written by the job's callbacks (a record, so that reads after the awaits are not narrowed away).
  const progress = {
    numImportedFunctions: 0,
    pieces: [] as (FinishedCode | undefined)[],
    /** The tier that compiled each piece. */
    tiers: [] as string[],
    batchesSent: 0,
    batchesDone: 0,
    bytesComplete: false,
    validated: null as { features: string[]; declaredFunctions: Uint8Array } | null,
    compileFailure: null as WorkerFailure | null,
  };
  const checkComplete = (): void => {
    if (failed || !progress.bytesComplete || progress.validated === null || progress.batchesDone !== progress.batchesSent) return;
    settle.resolve();
  };

  const job: CompileJob = host.pool.startJob(host.tier, {
    onCompiled(funcIndices, tiers, packed, stats) {
      if (failed) return;
      host.counters.merge(stats);
      const compiled = unpackFinishedCode(packed);
      for (let i = 0; i < funcIndices.length; i++) {
        const piece = funcIndices[i]! - progress.numImportedFunctions;
        progress.pieces[piece] = compiled[i];
        progress.tiers[piece] = registeredTiers()[tiers[i]!]!.name;
      }
    },
    onCompileFailed(failure) {
      // The lowest function index wins, so the report does not depend on worker timing.
      const first = progress.compileFailure;
      if (first === null || (failure.funcIndex ?? 0) < (first.funcIndex ?? 0)) progress.compileFailure = failure;
      job.stopCompiling();
    },
    onValidated(features, declaredFunctions) {
      progress.validated = { features, declaredFunctions };
      checkComplete();
    },
    onInvalid(failure) {
      fail(rebuildError(failure));
    },
    onBatchDone() {
      progress.batchesDone++;
      checkComplete();
    },
    onWorkerError(error) {
      fail(new Error(`compile worker failed: ${error.message}`, { cause: error }));
    },
  });

  const onAbort = (): void => fail(abortReason(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });

  const batch = new BatchBuilder();
  const sendBatch = (): void => {
    if (batch.count === 0) return;
    progress.batchesSent++;
    job.sendBodies(batch.take());
  };
  const decoder = new StreamingDecoder({
    onCodeSectionStart(count, decoded) {
      progress.pieces = new Array<FinishedCode | undefined>(count);
      progress.numImportedFunctions = decoded.numImportedFunctions;
      job.sendModule(workerModuleContext(decoded));
    },
    onFunctionBody(body) {
      batch.add(body);
      if (batch.codeBytes >= BATCH_BYTES) sendBatch();
    },
    onSection() {
      sendBatch();
    },
  });

  const hash = createHash('sha256');
  // The chunks, kept for the compiled module's code cache and cross-thread form (the decoded
  // module keeps views of them anyway).
  const kept: Uint8Array[] = [];
  const chunks = chunkReader(source);
  let module: Module | null = null;
  let received = 0;
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), done.then(() => null)]);
      if (next === null || failed) break;
      if (next.done === true) break;
      if (!(next.value instanceof Uint8Array)) throw new TypeError('compileStreaming: the byte source yielded something other than a Uint8Array');
      received += next.value.byteLength;
      host.checkLength(received);
      // The one copy of the caller's bytes: the decoder, the validator's copy and the module
      // keep slices of this, never of the caller's chunk.
      const chunk = owned ? next.value : copyBufferSource(next.value);
      kept.push(chunk);
      for (let at = 0; at < chunk.length && !failed; at += DECODE_SLICE) {
        const slice = chunk.subarray(at, Math.min(chunk.length, at + DECODE_SLICE));
        job.sendChunk(slice);
        hash.update(slice);
        decoder.push(slice);
        if (chunk.length > DECODE_SLICE) await yieldToEventLoop();
      }
    }
    if (!failed) {
      module = decoder.finish();
      sendBatch();
      job.finishValidation();
      progress.bytesComplete = true;
      checkComplete();
    }
    await done;
  } catch (error) {
    fail(error);
    chunks.stop(error);
    decoder.abort();
    throw await done.then(() => error, (reason: unknown) => reason);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  job.end();

  const result = module!;
  const validated = progress.validated!;
  const validation: ValidationResult = {
    features: new Set(validated.features as ModuleFeature[]),
    canonicalTypeIds: host.canonicalizer.canonicalize(result.types),
    canonicalizer: host.canonicalizer,
    declaredFunctions: validated.declaredFunctions,
  };
  host.checkFeatures(result, validation.features);
  if (progress.compileFailure !== null) throw host.compileFailure(progress.compileFailure, validation);
  const pieces = progress.pieces;
  const missing = pieces.findIndex((piece) => piece === undefined);
  if (missing >= 0 || pieces.length !== result.codes.length) {
    throw new Error(`streaming compile: function #${result.numImportedFunctions + Math.max(0, missing)} has no code (internal error)`);
  }
  return host.place(result, validation, pieces as FinishedCode[], hash.digest('hex'), progress.tiers, kept.length === 1 ? kept[0]! : concatenate(kept));
}

function concatenate(chunks: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
