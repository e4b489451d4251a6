// The messages between the compile pool (main thread) and its workers, and the module-level
// context a worker needs. Shared by both sides so the two cannot drift apart.
//
// Per module ("job"), a worker receives the context once, then batches of function bodies; it
// answers each batch with the batch's packed code (buffers transferred), or with the first
// failure. One worker per job also receives a copy of every chunk of the module and validates
// the whole module when told the bytes are complete, so validation (seconds for a 14 MB module)
// never runs on the main thread.

import type { MessagePort } from 'node:worker_threads';
import type { Module } from '@flint/decoder';
import type { PackedCode } from '../code/code-pack.ts';

/**
 * The part of a `Module` that compiling a function reads, without the spans that point into the
 * module bytes (those would drag whole chunks through structured clone). The baseline compiler
 * reads types, functions, globals, memories and the import counts; tables and imports are small
 * and kept so that a compiler reading them later still sees the truth.
 */
export function workerModuleContext(module: Module): Module {
  return {
    types: module.types,
    imports: module.imports,
    functions: module.functions,
    numImportedFunctions: module.numImportedFunctions,
    tables: module.tables,
    tableInits: [],
    numImportedTables: module.numImportedTables,
    memories: module.memories,
    numImportedMemories: module.numImportedMemories,
    globals: module.globals,
    globalInits: [],
    numImportedGlobals: module.numImportedGlobals,
    tags: module.tags,
    numImportedTags: module.numImportedTags,
    exports: [],
    start: module.start,
    startOffset: module.startOffset,
    elements: [],
    dataCount: module.dataCount,
    codes: [],
    datas: [],
    customSections: [],
    names: null,
  };
}

/** What every worker is started with (`workerData`). */
export interface WorkerStartData {
  /** The CPU features to compile for: the main thread's, so that both compile the same code. */
  readonly cpuFeatures: readonly string[];
}

/** Per body in a batch: function index, body offset, code offset, code start, code length, first local decl, local decl count. */
export const BATCH_BODY_STRIDE = 7;

/** Function bodies, flattened: `bodies` indexes into `code` and `locals` (count, type pairs). */
export interface BodyBatch {
  readonly bodies: Int32Array;
  readonly code: Uint8Array;
  readonly locals: Int32Array;
}

/** Slots of a job's shared cancel flags: everything (abort, decode error), or compiling only (a compile failure; validation goes on to tell which error to report). */
export const CANCEL_ALL = 0;
export const STOP_COMPILING = 1;
export const CANCEL_FLAG_COUNT = 2;

export type ToWorker =
  /**
   * Starts a job compiled with tier `tier`; `cancelFlag` holds `CANCEL_FLAG_COUNT` Int32 flags. A
   * background job's batch answers go to the worker's answer port (see 'answer-port').
   */
  | { readonly kind: 'job'; readonly job: number; readonly tier: string; readonly cancelFlag: SharedArrayBuffer; readonly background?: boolean }
  /**
   * Where to post background jobs' batch answers, each followed by adding 1 to the Int32 in
   * `pending`, so that the main thread can tell cheaply that there is something to receive.
   */
  | { readonly kind: 'answer-port'; readonly port: MessagePort; readonly pending: SharedArrayBuffer }
  | { readonly kind: 'module'; readonly job: number; readonly module: Module }
  | { readonly kind: 'bodies'; readonly job: number; readonly batch: number; readonly bodies: BodyBatch }
  | { readonly kind: 'validate-chunk'; readonly job: number; readonly bytes: Uint8Array }
  | { readonly kind: 'validate-finish'; readonly job: number }
  | { readonly kind: 'end'; readonly job: number };

/** A failure in a worker, rebuilt on the main thread as the matching error type. */
export interface WorkerFailure {
  readonly name: string;
  readonly message: string;
  /** CompileError: module offset. */
  readonly offset?: number;
  /** BackendBailout: reason and detail. */
  readonly reason?: string;
  readonly detail?: string;
  readonly funcIndex?: number;
}

export type FromWorker =
  /**
   * `tiers`: per function, the registry index of the tier that compiled it (a fallback may
   * differ from the job's tier); `stats`: the batch's compile counters (observe/compile-stats.ts).
   */
  | { readonly kind: 'compiled'; readonly job: number; readonly batch: number; readonly funcIndices: Int32Array; readonly tiers: Uint8Array; readonly packed: PackedCode; readonly stats: Float64Array }
  | { readonly kind: 'skipped'; readonly job: number; readonly batch: number }
  | { readonly kind: 'failed'; readonly job: number; readonly batch: number; readonly failure: WorkerFailure }
  | { readonly kind: 'validated'; readonly job: number; readonly features: string[]; readonly declaredFunctions: Uint8Array }
  | { readonly kind: 'invalid'; readonly job: number; readonly failure: WorkerFailure };
