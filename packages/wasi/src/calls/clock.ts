// clock_res_get, clock_time_get.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#clock_res_get
import { performance } from 'node:perf_hooks';
import { Errno, WasiErrnoError } from '../errno.ts';
import { ClockId } from '../layout.ts';
import type { WasiContext } from '../context.ts';

// Node offers a nanosecond monotonic clock (hrtime), a wall clock anchored to the same time
// origin as `performance.now()` (sub-millisecond, reported at microsecond resolution), and
// process CPU time in microseconds. It has no per-thread CPU clock: the thread clock reads the
// process clock, which is exact for a single-threaded guest.
const REALTIME_RESOLUTION_NS = 1000n;
const MONOTONIC_RESOLUTION_NS = 1n;
const CPUTIME_RESOLUTION_NS = 1000n;

/** The current value of a WASI clock in nanoseconds; errno `inval` for an unknown clock. */
export function now(clockId: number): bigint {
  switch (clockId) {
    case ClockId.REALTIME:
      return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
    case ClockId.MONOTONIC:
      return process.hrtime.bigint();
    case ClockId.PROCESS_CPUTIME_ID:
    case ClockId.THREAD_CPUTIME_ID: {
      const usage = process.cpuUsage();
      return BigInt(usage.user + usage.system) * 1000n;
    }
    default:
      throw new WasiErrnoError(Errno.INVAL, `unknown clock id ${clockId}`);
  }
}

export function resolution(clockId: number): bigint {
  switch (clockId) {
    case ClockId.REALTIME:
      return REALTIME_RESOLUTION_NS;
    case ClockId.MONOTONIC:
      return MONOTONIC_RESOLUTION_NS;
    case ClockId.PROCESS_CPUTIME_ID:
    case ClockId.THREAD_CPUTIME_ID:
      return CPUTIME_RESOLUTION_NS;
    default:
      throw new WasiErrnoError(Errno.INVAL, `unknown clock id ${clockId}`);
  }
}

export function clockResGet(ctx: WasiContext, clockId: number, resultPtr: number): number {
  ctx.memory.setU64(resultPtr, resolution(clockId));
  return Errno.SUCCESS;
}

// The precision argument is a hint the spec lets us ignore: every clock is read at its best.
export function clockTimeGet(ctx: WasiContext, clockId: number, _precision: bigint, resultPtr: number): number {
  ctx.memory.setU64(resultPtr, now(clockId));
  return Errno.SUCCESS;
}
