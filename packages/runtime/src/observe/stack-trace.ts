// Wasm frames in stack traces, in V8's shape:
//
//     RuntimeError: integer divide by zero
//         at fib (wasm://wasm/1a2b3c4d:wasm-function[1]:0x4a)      ← name-section name
//         at wasm://wasm/1a2b3c4d:wasm-function[2]:0x50            ← no name
//         at main (file:///app/main.js:7:3)                        ← the JS caller
//
// How: generated code keeps a frame-pointer chain, and the trap exit records the program counters
// of the frames it drops (`HostState.trapFrames`; see `Backend.emitTrapExit`) — for a trap, and
// for a JS exception leaving Wasm through a host-call trampoline, which unwinds through the trap
// exit too. When the entry returns that status, `attachWasmFrames` maps each counter to its code
// object (the code map) and, for a Wasm function, to the module offset of the trapping operator
// (trap sites) or of the call the frame is suspended in (call sites). The error's `stack` then
// gets these frames where the runtime's own frames were: the first run of consecutive runtime
// frames in it (the JS API's call path and, for an exception from a host function, the host-call
// dispatcher) stands for the Wasm activation that just unwound. An exception crossing several
// activations (JS → Wasm → JS → Wasm) is handled at each one in turn, innermost first, so each
// activation's frames land in its own place among the JS frames.
//
// Frames are resolved when the activation unwinds (the code may be freed later), and the stack
// string is rebuilt once per activation: the trap path pays for it, calls that return do not.

import { HostState, TRAP_FRAME_CAPACITY } from '@flint/backend';
import { fileURLToPath } from 'node:url';
import type { CodeEntry, CodeMap } from './code-map.ts';
import type { WasmScript } from './script.ts';

/** One Wasm frame of a stack trace. */
export interface WasmFrame {
  /** The module (its URL names the frame). */
  readonly script: WasmScript;
  readonly funcIndex: number;
  /** The name-section name of the function, or null. */
  readonly functionName: string | null;
  /** Module byte offset of the operator executing in this frame: the trap, or the call in progress. */
  readonly offset: number;
  /** The tier whose code the frame ran. */
  readonly tier: string | undefined;
}

/**
 * Where the runtime's own code lives: frames from files under it are the runtime's. From the
 * sources, `src/` (this file is `src/observe/stack-trace.ts`); from a build, the directory of the
 * bundle (`dist/`).
 */
const RUNTIME_ROOT = fileURLToPath(new URL(import.meta.url.includes('/src/observe/') ? '..' : '.', import.meta.url));

/**
 * The Wasm frames the trap exit recorded for the activation that just unwound, innermost first.
 * `hostState` is the thread's `HostState` block, `codeMap` its code.
 */
export function recordedWasmFrames(hostState: DataView, codeMap: CodeMap): WasmFrame[] {
  const count = Math.min(Number(hostState.getBigUint64(HostState.trapFrameCount, true)), TRAP_FRAME_CAPACITY);
  const frames: WasmFrame[] = [];
  for (let i = 0; i < count; i++) {
    const pc = hostState.getBigUint64(HostState.trapFrames + i * 8, true);
    // Every recorded counter is a return address: the call it returns from ends just before
    // it, and may be the last instruction of its code object (a trap stub at the end).
    const code = codeMap.lookup(pc - 1n);
    if (code === undefined || code.kind === 'entry-trampoline') break;
    // Trampolines and stubs between Wasm frames (a host call, a lazy compile) are not frames of
    // the Wasm program.
    if (code.kind !== 'wasm-function' || code.script === undefined || code.funcIndex === undefined) continue;
    // Entry 0 is the trap PC (a trap site), the others return addresses (call sites).
    framesAtSite(code, Number(pc - code.address), i === 0 ? code.trapSites : code.callSites, frames);
  }
  return frames;
}

/**
 * The frames of one machine frame suspended at `codeOffset` of `code`: one per Wasm function
 * executing there. One today; when the optimizing tier inlines, a site will carry the chain of
 * enclosing calls and this expands it, innermost first (see the backend's lowering.ts).
 */
function framesAtSite(code: CodeEntry, codeOffset: number, sites: readonly { readonly codeOffset: number; readonly wasmOffset: number }[], out: WasmFrame[]): void {
  const script = code.script!;
  const funcIndex = code.funcIndex!;
  let offset = siteOffset(sites, codeOffset);
  // The prologue's stack check traps before any operator: V8 names the function body then.
  if (offset < 0) offset = script.functionOffset(funcIndex);
  out.push({ script, funcIndex, functionName: script.functionName(funcIndex), offset, tier: code.tier });
}

/** The Wasm offset of the site at `codeOffset` (sites sorted by code offset), or -1. */
function siteOffset(sites: readonly { readonly codeOffset: number; readonly wasmOffset: number }[], codeOffset: number): number {
  let lo = 0;
  let hi = sites.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sites[mid]!.codeOffset;
    if (at === codeOffset) return sites[mid]!.wasmOffset;
    if (at < codeOffset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A frame as V8 prints it: `    at name (url:wasm-function[i]:0xoffset)`. */
export function formatWasmFrame(frame: WasmFrame): string {
  const location = `${frame.script.url}:wasm-function[${frame.funcIndex}]:0x${frame.offset.toString(16)}`;
  const moduleName = frame.script.moduleName;
  const name = moduleName === null ? frame.functionName : frame.functionName === null ? moduleName : `${moduleName}.${frame.functionName}`;
  return name === null ? `    at ${location}` : `    at ${name} (${location})`;
}

/** Every error's Wasm frames, all activations, innermost first. */
const wasmFramesByError = new WeakMap<object, WasmFrame[]>();

/** The Wasm frames a trap or an exception passed through, innermost first (empty for other values). */
export function wasmFramesOf(error: unknown): readonly WasmFrame[] {
  return (typeof error === 'object' && error !== null && wasmFramesByError.get(error)) || [];
}

/**
 * Adds the frames of the activation that just unwound to `error` (a trap the runtime made, or
 * whatever a host function threw): kept for `wasmFramesOf`, and spliced into `error.stack`.
 * Values that are not objects carry no stack.
 */
export function attachWasmFrames(error: unknown, frames: readonly WasmFrame[]): void {
  if (typeof error !== 'object' || error === null) return;
  const all = wasmFramesByError.get(error) ?? [];
  all.push(...frames);
  wasmFramesByError.set(error, all);
  let stack: unknown;
  try {
    stack = (error as { stack?: unknown }).stack;
  } catch {
    return; // a hostile getter: leave the error alone
  }
  if (typeof stack !== 'string') return;
  const rewritten = spliceWasmFrames(stack, frames.map(formatWasmFrame));
  if (rewritten === stack) return;
  try {
    Object.defineProperty(error, 'stack', { value: rewritten, writable: true, configurable: true, enumerable: false });
  } catch {
    // A frozen error keeps its stack.
  }
}

/**
 * `stack` with its first run of runtime frames replaced by `wasmLines`, cut to
 * `Error.stackTraceLimit` frames. Without a run of runtime frames (the trace was cut before
 * reaching them) it is returned unchanged: the Wasm frames lay beyond the limit.
 *
 * The cut counts only frames that are not the runtime's: runtime frames still in the stack stand
 * for outer activations whose Wasm frames are spliced in later, when the exception leaves them.
 */
export function spliceWasmFrames(stack: string, wasmLines: readonly string[]): string {
  const lines = stack.split('\n');
  let start = -1;
  let end = -1;
  for (let i = 0; i < lines.length; i++) {
    const internal = isRuntimeFrame(lines[i]!);
    if (internal && start < 0) start = i;
    if (!internal && start >= 0) {
      end = i;
      break;
    }
  }
  if (start < 0) return stack;
  if (end < 0) end = lines.length;
  const out = [...lines.slice(0, start), ...wasmLines, ...lines.slice(end)];
  const limit = Error.stackTraceLimit;
  if (typeof limit !== 'number' || !Number.isFinite(limit)) return out.join('\n');
  let kept = 0;
  for (let i = 0; i < out.length; i++) {
    if (!FRAME_LINE.test(out[i]!) || isRuntimeFrame(out[i]!)) continue;
    if (++kept > limit) return out.slice(0, i).join('\n');
  }
  return out.join('\n');
}

const FRAME_LINE = /^\s+at /;

/** Whether a stack line is a frame of the runtime's own code. */
function isRuntimeFrame(line: string): boolean {
  if (!FRAME_LINE.test(line)) return false;
  const file = frameFile(line);
  return file !== null && file.startsWith(RUNTIME_ROOT);
}

/** The file path of a V8 stack frame line (`at f (file:///x.js:1:2)`, `at /x.js:1:2`), or null. */
function frameFile(line: string): string | null {
  const trimmed = line.trim();
  let location = trimmed.endsWith(')') ? trimmed.slice(trimmed.lastIndexOf('(') + 1, -1) : trimmed.slice(3);
  location = location.replace(/:\d+:\d+$/, '');
  if (location.startsWith('file://')) {
    try {
      return fileURLToPath(location);
    } catch {
      return null;
    }
  }
  return location.startsWith('/') ? location : null;
}

/**
 * Runs `make` with room for the runtime's own frames on top of `Error.stackTraceLimit`, so an
 * error the runtime creates still shows as many frames of the program as the limit allows once
 * `spliceWasmFrames` has removed the runtime's and cut the trace to the limit.
 */
export function withRuntimeFrameRoom<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  if (typeof limit !== 'number') return make();
  Error.stackTraceLimit = limit + RUNTIME_FRAME_ROOM;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** More frames than the runtime ever has between a program's call and the error it creates. */
const RUNTIME_FRAME_ROOM = 16;
