// poll_oneoff: waits for clock deadlines and fd readiness.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#poll_oneoff
//
// WASI preview 1 is synchronous and Node has no synchronous poll(2), so readiness is decided
// without waiting: regular files and directories are always ready (as poll(2) says), and so are
// streams — a stdin read may then block, which is what a synchronous host does anyway. Only
// clocks make the call sleep, on Atomics.wait, until the earliest deadline.
import { fstatSync } from 'node:fs';
import { Errno, WasiErrnoError, errnoFromThrown } from '../errno.ts';
import { FdKind } from '../fd-table.ts';
import { ClockId, Event, EventType, Rights, SubclockFlags, Subscription } from '../layout.ts';
import type { WasiContext } from '../context.ts';
import { now } from './clock.ts';

let sleeper: Int32Array | null = null;

function sleepUntil(deadline: bigint): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const remaining = deadline - process.hrtime.bigint();
    if (remaining <= 0n) return;
    // Atomics.wait takes milliseconds as a double; round up so we never wake early.
    Atomics.wait(sleeper, 0, 0, Number((remaining + 999_999n) / 1_000_000n));
  }
}

// The monotonic deadline of a clock subscription, or throws the errno the event should carry.
function deadlineOf(ctx: WasiContext, sub: number, monotonicNow: bigint): bigint {
  const memory = ctx.memory;
  const clockId = memory.u32(sub + Subscription.CLOCK_ID);
  const timeout = memory.u64(sub + Subscription.CLOCK_TIMEOUT);
  const absolute = (memory.u16(sub + Subscription.CLOCK_FLAGS) & SubclockFlags.ABSTIME) !== 0;
  switch (clockId) {
    case ClockId.MONOTONIC:
      return absolute ? timeout : monotonicNow + timeout;
    case ClockId.REALTIME:
      return absolute ? monotonicNow + (timeout - now(ClockId.REALTIME)) : monotonicNow + timeout;
    case ClockId.PROCESS_CPUTIME_ID:
    case ClockId.THREAD_CPUTIME_ID:
      // A CPU clock advances only while this thread runs, and we are about to sleep.
      throw new WasiErrnoError(Errno.NOTSUP, 'poll_oneoff cannot wait on a CPU-time clock');
    default:
      throw new WasiErrnoError(Errno.INVAL, `unknown clock id ${clockId}`);
  }
}

// Bytes ready to read on an fd, for the event's `nbytes` (0 when unknown).
function readableBytes(ctx: WasiContext, fd: number): bigint {
  const entry = ctx.fds.get(fd);
  if (entry.source !== null) return BigInt(entry.source.length - entry.sourceOffset);
  if (entry.kind === FdKind.FILE) {
    const size = fstatSync(entry.hostFd, { bigint: true }).size;
    return size > entry.position ? size - entry.position : 0n;
  }
  return 0n;
}

function writeEvent(ctx: WasiContext, out: number, userdata: bigint, error: number, type: number, nbytes: bigint): void {
  const memory = ctx.memory;
  memory.zero(out, Event.SIZE);
  memory.setU64(out + Event.USERDATA, userdata);
  memory.setU16(out + Event.ERROR, error);
  memory.setU8(out + Event.TYPE, type);
  memory.setU64(out + Event.NBYTES, nbytes);
}

export function pollOneoff(ctx: WasiContext, inPtr: number, outPtr: number, count: number, resultPtr: number): number {
  const memory = ctx.memory;
  if (count === 0) throw new WasiErrnoError(Errno.INVAL, 'poll_oneoff needs at least one subscription');
  memory.check(inPtr, count * Subscription.SIZE);
  memory.check(outPtr, count * Event.SIZE);
  memory.check(resultPtr, 4);

  const start = process.hrtime.bigint();
  let events = 0;
  let hasClock = false;
  let earliest = 0n;
  // Pass 1: fd subscriptions and clock errors are answered at once; clocks give deadlines.
  for (let i = 0; i < count; i++) {
    const sub = inPtr + i * Subscription.SIZE;
    const userdata = memory.u64(sub + Subscription.USERDATA);
    const type = memory.u8(sub + Subscription.TAG);
    if (type === EventType.CLOCK) {
      try {
        const deadline = deadlineOf(ctx, sub, start);
        if (!hasClock || deadline < earliest) earliest = deadline;
        hasClock = true;
      } catch (thrown) {
        writeEvent(ctx, outPtr + events++ * Event.SIZE, userdata, errnoFromThrown(thrown), type, 0n);
      }
    } else if (type === EventType.FD_READ || type === EventType.FD_WRITE) {
      const fd = memory.u32(sub + Subscription.FD);
      let error: number = Errno.SUCCESS;
      let nbytes = 0n;
      try {
        ctx.fds.withRights(fd, Rights.POLL_FD_READWRITE);
        if (type === EventType.FD_READ) nbytes = readableBytes(ctx, fd);
      } catch (thrown) {
        error = errnoFromThrown(thrown);
      }
      writeEvent(ctx, outPtr + events++ * Event.SIZE, userdata, error, type, nbytes);
    } else {
      throw new WasiErrnoError(Errno.INVAL, `unknown subscription type ${type}`);
    }
  }
  // Sleep only when nothing is ready yet; then report every clock whose deadline has passed.
  if (events === 0 && hasClock) sleepUntil(earliest);
  if (hasClock) {
    const current = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const sub = inPtr + i * Subscription.SIZE;
      if (memory.u8(sub + Subscription.TAG) !== EventType.CLOCK) continue;
      let deadline: bigint;
      try {
        deadline = deadlineOf(ctx, sub, start);
      } catch {
        continue; // already reported in pass 1
      }
      if (deadline <= current) {
        writeEvent(ctx, outPtr + events++ * Event.SIZE, memory.u64(sub + Subscription.USERDATA), Errno.SUCCESS, EventType.CLOCK, 0n);
      }
    }
  }
  memory.setU32(resultPtr, events);
  return Errno.SUCCESS;
}
