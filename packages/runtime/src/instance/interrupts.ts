// Stopping running code. Generated code polls at every function entry, loop header and tail call
// by decrementing its VM context's countdown (`VMCTX_POLL_COUNTDOWN`); when it runs out, the
// `Poll` builtin lands here, answers whether to go on, and resets the countdown. So a spinning
// `(loop (br 0))` calls into the runtime about once per POLL_INTERVAL iterations (a millisecond or
// so), which is what lets it be stopped:
//
//  - `interrupt(handle)` from any thread (the handle is a SharedArrayBuffer, so it can be posted to
//    another worker) stops the thread's Wasm at its next poll;
//  - a deadline (`setDeadline`, `flint run --timeout`) stops it once wall-clock time has passed;
//  - an epoch deadline (`Epoch`, as in Wasmtime) stops it once another thread has advanced a shared
//    counter far enough;
//  - a terminating worker (`worker.terminate()`, `process.exit()`) cannot run the poll's JS at all:
//    koffi then answers the callback with 0, which generated code treats as "stop" too, so the
//    Wasm frames unwind and the thread ends.
//
// A stopped call traps with TrapReason.Interrupted; the RuntimeError says why.

import { VMCTX_POLL_COUNTDOWN } from '@flint/backend';

/** Polls between calls into the runtime: ~1 ms of a tight loop; the runtime's share stays below 0.1%. */
export const POLL_INTERVAL = 1 << 20;

/** A thread's interrupt flag, shareable with other threads (structured clone keeps the memory shared). */
export interface InterruptHandle {
  readonly buffer: SharedArrayBuffer;
}

/** A counter other threads advance; code stops once it reaches the thread's epoch deadline. */
export class Epoch {
  readonly buffer: SharedArrayBuffer;
  readonly #words: Int32Array;

  /** A new counter at 0, or the counter behind `buffer` (an `Epoch` posted from another thread). */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.buffer = buffer;
    this.#words = new Int32Array(buffer);
  }

  get value(): number {
    return Atomics.load(this.#words, 0);
  }

  /** Advances the counter (any thread). */
  increment(by = 1): number {
    return Atomics.add(this.#words, 0, by) + by;
  }
}

const REQUESTED = 0;

/** The interrupt state of one thread's store. */
export class InterruptState {
  readonly handle: InterruptHandle = { buffer: new SharedArrayBuffer(4) };
  readonly #flag = new Int32Array(this.handle.buffer);
  /** `performance.now()` after which Wasm code stops, or null. */
  deadline: number | null = null;
  epochDeadline: { readonly epoch: Epoch; readonly at: number } | null = null;
  /** Why the last poll answered "stop" (for the RuntimeError), reset when read. */
  #reason: string | null = null;

  /** The `Poll` builtin: 1 to go on, 0 to stop. Resets the calling VM context's countdown. */
  poll(vmContext: DataView | undefined): number {
    vmContext?.setUint32(VMCTX_POLL_COUNTDOWN, POLL_INTERVAL, true);
    if (Atomics.exchange(this.#flag, REQUESTED, 0) !== 0) return this.#stop('interrupted by the host');
    if (this.deadline !== null && performance.now() >= this.deadline) return this.#stop('deadline exceeded');
    const epoch = this.epochDeadline;
    if (epoch !== null && epoch.epoch.value >= epoch.at) return this.#stop(`epoch deadline ${epoch.at} reached`);
    return 1;
  }

  #stop(reason: string): number {
    this.#reason = reason;
    return 0;
  }

  /** Why code was stopped: what `poll` recorded, or (nothing recorded) the host could not run the poll. */
  takeReason(): string {
    const reason = this.#reason ?? 'the host is shutting down this thread';
    this.#reason = null;
    return reason;
  }
}

/** Stops the Wasm code of the thread whose handle this is, at its next poll (callable from any thread). */
export function interrupt(handle: InterruptHandle): void {
  Atomics.store(new Int32Array(handle.buffer), REQUESTED, 1);
}
