// The debugger: breakpoints at (function, module offset), a pause callback that sees the paused
// frame's locals and operand stack and the Wasm call stack, and stepping (over, into, out) — V8's
// Wasm debugging through Liftoff debug code, on Flint's baseline tier.
//
//   setBreakpoint(f, o) ──▶ f recompiled as debug code breaking at f's breakpoints ──▶ swapped in
//                           (observe/code-swap.ts); the module's other functions keep their code
//   a break site runs ──▶ DebugBreak builtin ──▶ handle(): pause? ──▶ onPause(state) ──▶ action
//   step requested ──▶ every function of the module gets "flooded" debug code (a break site at
//                      every operator) for new calls; the paused frame moves to the flooded code
//                      at the same operator, and callers running debug code have their return
//                      addresses moved there too (all debug codes of a function agree on the frame
//                      at every operator boundary and call return: compiler-baseline debug.ts)
//   continue ──▶ functions back to their breakpoint code, or their compiled code
//
// A step ends at the next operator executed by: any function of the module (step into); the
// paused frame or a frame it returns to (step over); a frame it returns to (step out). Frames are
// told apart by their frame pointers: callers' lie above callees' on the stack.
//
// Limits, stated: frames that were running before their function got debug code cannot stop
// (they finish in the code they started in), so stepping out into such a caller ends at the next
// operator of debug code instead; a step that leaves Wasm for the host stops at the next operator
// the module runs; functions of other modules are not stepped into. The pause callback runs
// synchronously on the paused thread; what it throws is reported to `onError` and the program
// goes on (a debugger's failure never becomes the program's).

import { HostState, ValueKind, valueKindOf, withCpuFeatures, type Backend, type FinishedCode } from '@flint/backend';
import { baselineSlotSize, localSlot, operandSlot, type DebugCodeRequest, type DebugSite } from '@flint/compiler-baseline';
import { OperatorReader, type Immediates, type OperatorInfo, type OperatorVisitor } from '@flint/decoder';
import type { CompiledModule } from '../code/module.ts';
import { registeredTiers, tierNamed, type FunctionCompileInput, type TierCompiler } from '../compile/tiers.ts';
import type { RelocationResolver } from '../code/code-space.ts';
import { UnsupportedError } from '../errors.ts';
import { builtinAddress, setDebugBreakHandler } from '../instance/builtins.ts';
import type { Instance } from '../instance/instance.ts';
import type { Store } from '../instance/store.ts';
import { viewOf } from '../native/libc.ts';
import { swapFunctionCode } from './code-swap.ts';
import type { WasmScript } from './script.ts';

/** A value in a paused frame. i64 as bigint; references as their raw address (0 = null). */
export interface DebugValue {
  readonly type: 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'ref';
  /** A v128 is its 16 bytes as an unsigned little-endian bigint (lane 0 in the low bits). */
  readonly value: number | bigint;
}

/** One Wasm frame of a paused program, innermost first. */
export interface DebugFrame {
  readonly script: WasmScript;
  readonly funcIndex: number;
  readonly functionName: string | null;
  /** Module offset: the operator about to run (top frame) or the call in progress (callers). */
  readonly offset: number;
  /** Parameters, then declared locals; null for frames of a tier that keeps no locals in its frame. */
  readonly locals: readonly DebugValue[] | null;
  /** The operand stack, bottom first: the top frame only (callers' values are not all in memory). */
  readonly stack: readonly DebugValue[] | null;
}

export interface PausedState {
  /** Why the program stopped: a breakpoint, or the end of a step. */
  readonly reason: 'breakpoint' | 'step';
  /** The breakpoints at the position (several may share it). */
  readonly breakpoints: readonly Breakpoint[];
  /** The Wasm call stack of the paused activation, innermost first. */
  readonly frames: readonly DebugFrame[];
}

export type ResumeAction = 'continue' | 'stepOver' | 'stepInto' | 'stepOut';

export interface Breakpoint {
  readonly id: number;
  readonly module: CompiledModule;
  readonly funcIndex: number;
  /** The module offset of the operator it stops before (the requested offset, moved to an operator start). */
  readonly offset: number;
}

export interface DebuggerOptions {
  /** Called when the program stops; its answer says how to go on (default: continue). */
  readonly onPause?: (state: PausedState) => ResumeAction | void;
  /** What the pause callback threw (default: printed to stderr). */
  readonly onError?: (error: unknown) => void;
}

/** One debug code of one function, placed. */
interface DebugCode {
  readonly funcIndex: number;
  readonly address: bigint;
  readonly sites: readonly DebugSite[];
  /** Code offsets of the function's own calls (its call sites other than DebugBreak calls), with their Wasm offsets. */
  readonly calls: readonly { readonly codeOffset: number; readonly wasmOffset: number }[];
}

/** Debugging state of one module. */
interface ModuleDebugState {
  readonly breakpoints: Map<number, Breakpoint[]>;
  /** Per function: its breakpoint code (rebuilt when its breakpoints change) and flooded code (built once). */
  readonly breakpointCode: Map<number, DebugCode>;
  readonly floodedCode: Map<number, DebugCode>;
  /** Per function: local kinds, and operand-stack kinds by operator offset (the same in every debug code). */
  readonly localKinds: Map<number, readonly ValueKind[]>;
  readonly stackKinds: Map<number, Map<number, readonly ValueKind[]>>;
  flooded: boolean;
}

interface Step {
  readonly action: Exclude<ResumeAction, 'continue'>;
  readonly module: CompiledModule;
  /** The frame pointer of the frame the step started in. */
  readonly framePointer: bigint;
}

let nextBreakpointId = 1;
/** The debugger of each store: the DebugBreak builtin is per thread. */
const debuggers = new WeakMap<Store, Debugger>();
let handlerInstalled = false;

export class Debugger {
  readonly #store: Store;
  readonly #backend: Backend;
  readonly #modules = new Map<CompiledModule, ModuleDebugState>();
  #step: Step | null = null;
  onPause: ((state: PausedState) => ResumeAction | void) | undefined;
  onError: (error: unknown) => void;

  /** The debugger of `store`'s thread (one per store; options replace the callbacks). */
  static of(store: Store, options: DebuggerOptions = {}): Debugger {
    let existing = debuggers.get(store);
    if (existing === undefined) {
      existing = new Debugger(store);
      debuggers.set(store, existing);
    }
    if (options.onPause !== undefined) existing.onPause = options.onPause;
    if (options.onError !== undefined) existing.onError = options.onError;
    if (!handlerInstalled) {
      handlerInstalled = true;
      setDebugBreakHandler((target, funcIndex, offset, framePointer) => {
        const instance = target as Instance;
        const owner = debuggers.get(instance.store);
        return owner === undefined ? 0n : owner.#handle(instance, funcIndex, offset, framePointer);
      });
    }
    return existing;
  }

  private constructor(store: Store) {
    this.#store = store;
    // Debug code runs on this CPU: compiled for the store's CPU features, as the module's code is.
    this.#backend = withCpuFeatures(store.backend, store.cpuFeatures);
    this.onError = (error) => process.stderr.write(`flint debugger: the pause callback threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }

  /**
   * A breakpoint before the operator at module offset `offset` of function `funcIndex` (a
   * defined function of `module`); an offset inside an operator or its immediates moves to the
   * next operator, as in V8. The function gets debug code at once.
   */
  setBreakpoint(module: CompiledModule, funcIndex: number, offset: number): Breakpoint {
    const operators = operatorOffsets(module, funcIndex);
    const at = operators.find((start) => start >= offset);
    if (at === undefined) throw new RangeError(`function #${funcIndex} has no operator at or after offset 0x${offset.toString(16)} (its operators: 0x${operators[0]!.toString(16)}..0x${operators.at(-1)!.toString(16)})`);
    const state = this.#state(module);
    const breakpoint: Breakpoint = { id: nextBreakpointId++, module, funcIndex, offset: at };
    const list = state.breakpoints.get(funcIndex) ?? [];
    list.push(breakpoint);
    state.breakpoints.set(funcIndex, list);
    this.#rebuildBreakpointCode(module, state, funcIndex);
    return breakpoint;
  }

  /** Removes a breakpoint; a function left without any returns to its compiled code. */
  clearBreakpoint(breakpoint: Breakpoint): void {
    const state = this.#modules.get(breakpoint.module);
    const list = state?.breakpoints.get(breakpoint.funcIndex);
    if (state === undefined || list === undefined) return;
    const index = list.indexOf(breakpoint);
    if (index < 0) return;
    list.splice(index, 1);
    if (list.length === 0) state.breakpoints.delete(breakpoint.funcIndex);
    this.#rebuildBreakpointCode(breakpoint.module, state, breakpoint.funcIndex);
  }

  /** Every breakpoint set. */
  breakpoints(): Breakpoint[] {
    return [...this.#modules.values()].flatMap((state) => [...state.breakpoints.values()].flat());
  }

  /** Module offsets of the operators of function `funcIndex` (where breakpoints can be). */
  operatorOffsets(module: CompiledModule, funcIndex: number): readonly number[] {
    return operatorOffsets(module, funcIndex);
  }

  #state(module: CompiledModule): ModuleDebugState {
    let state = this.#modules.get(module);
    if (state === undefined) {
      state = { breakpoints: new Map(), breakpointCode: new Map(), floodedCode: new Map(), localKinds: new Map(), stackKinds: new Map(), flooded: false };
      this.#modules.set(module, state);
    }
    return state;
  }

  /** New breakpoint code for `funcIndex` (or its compiled code, without breakpoints), swapped in unless the module is flooded. */
  #rebuildBreakpointCode(module: CompiledModule, state: ModuleDebugState, funcIndex: number): void {
    const offsets = new Set((state.breakpoints.get(funcIndex) ?? []).map((b) => b.offset));
    if (offsets.size === 0) state.breakpointCode.delete(funcIndex);
    else state.breakpointCode.set(funcIndex, this.#compileDebugCode(module, state, funcIndex, offsets));
    if (!state.flooded) swapFunctionCode(module, funcIndex, state.breakpointCode.get(funcIndex)?.address ?? null);
  }

  /** Compiles and places debug code of `funcIndex` breaking at `breakAt`. */
  #compileDebugCode(module: CompiledModule, state: ModuleDebugState, funcIndex: number, breakAt: ReadonlySet<number> | 'all'): DebugCode {
    const compiler = debugTierCompiler(this.#backend);
    const m = module.module;
    const body = m.codes[funcIndex - m.numImportedFunctions];
    if (body === undefined) throw new RangeError(`function #${funcIndex} is not defined in the module`);
    const request: DebugCodeRequest = { breakAt, sites: [], localKinds: [] };
    const code: FinishedCode = compiler.compile({ module: m, body }, request);
    const region = this.#store.codeSpace.place([code], debugCodeResolver(this.#store), [
      { kind: 'wasm-function', funcIndex, tier: `${compiler.tier} debug`, script: module.script },
    ]);
    keepAlive(module, region);
    state.localKinds.set(funcIndex, [...request.localKinds]);
    let kinds = state.stackKinds.get(funcIndex);
    if (kinds === undefined) state.stackKinds.set(funcIndex, (kinds = new Map()));
    for (const site of request.sites) kinds.set(site.wasmOffset, site.stackKinds);
    const breakCalls = new Set(request.sites.map((site) => site.callReturnOffset));
    const calls = (code.callSites ?? []).filter((site) => !breakCalls.has(site.codeOffset));
    return { funcIndex, address: region.addressOf(0), sites: request.sites, calls };
  }

  /** The flooded code of every defined function of `module`, swapped in for new calls. */
  #flood(module: CompiledModule, state: ModuleDebugState): void {
    if (state.flooded) return;
    const m = module.module;
    for (let f = m.numImportedFunctions; f < m.functions.length; f++) {
      let code = state.floodedCode.get(f);
      if (code === undefined) state.floodedCode.set(f, (code = this.#compileDebugCode(module, state, f, 'all')));
      swapFunctionCode(module, f, code.address);
    }
    state.flooded = true;
  }

  /** Back from flooded code: breakpoint code where there are breakpoints, compiled code elsewhere. */
  #unflood(module: CompiledModule, state: ModuleDebugState): void {
    if (!state.flooded) return;
    const m = module.module;
    for (let f = m.numImportedFunctions; f < m.functions.length; f++) swapFunctionCode(module, f, state.breakpointCode.get(f)?.address ?? null);
    state.flooded = false;
  }

  /** The DebugBreak builtin: decides whether to pause, pauses, and applies the answer. Never throws. */
  #handle(instance: Instance, funcIndex: number, offset: number, framePointer: bigint): bigint {
    try {
      const module = instance.compiled;
      const state = this.#modules.get(module);
      if (state === undefined) return 0n;
      const here = (state.breakpoints.get(funcIndex) ?? []).filter((b) => b.offset === offset);
      const step = this.#step;
      let reason: PausedState['reason'] | null = null;
      if (step !== null && step.module === module && stepEnds(step, framePointer)) reason = 'step';
      else if (here.length > 0) reason = 'breakpoint';
      if (reason === null) return 0n;
      this.#step = null;
      const frames = this.#frames(instance, state, funcIndex, offset, framePointer);
      let action: ResumeAction = 'continue';
      try {
        action = this.onPause?.({ reason, breakpoints: here, frames }) ?? 'continue';
      } catch (error) {
        this.onError(error);
      }
      if (action === 'continue') {
        this.#unflood(module, state);
        return 0n;
      }
      this.#step = { action, module, framePointer };
      this.#flood(module, state);
      this.#moveCallersToFloodedCode(state, framePointer);
      // The paused frame goes on in the flooded code, just after its break site for this operator
      // (when it already runs that code, this is where it goes on anyway).
      const flooded = state.floodedCode.get(funcIndex)!;
      const site = flooded.sites.find((s) => s.wasmOffset === offset);
      return site === undefined ? 0n : flooded.address + BigInt(site.resumeOffset);
    } catch (error) {
      this.onError(error);
      return 0n;
    }
  }

  /**
   * Callers of the paused frame that run breakpoint code go on in flooded code when their callee
   * returns: their return addresses (in each callee's frame record, one word above its frame
   * pointer) move to the same call in the flooded code.
   */
  #moveCallersToFloodedCode(state: ModuleDebugState, framePointer: bigint): void {
    const byAddress = new Map<bigint, DebugCode>();
    for (const code of state.breakpointCode.values()) byAddress.set(code.address, code);
    let fp = framePointer;
    const limit = this.#entryFramePointer();
    for (let depth = 0; depth < 100_000; depth++) {
      const record = new DataView(viewOf(fp, 16));
      const returnAddress = record.getBigUint64(8, true);
      const callerFp = record.getBigUint64(0, true);
      const caller = this.#store.codeSpace.codeMap.lookup(returnAddress - 1n);
      if (caller === undefined || caller.kind !== 'wasm-function') return;
      const from = byAddress.get(caller.address);
      if (from !== undefined) {
        const to = state.floodedCode.get(from.funcIndex)!;
        const moved = sameCall(from, to, Number(returnAddress - caller.address));
        if (moved !== undefined) record.setBigUint64(8, to.address + BigInt(moved), true);
      }
      if (callerFp <= fp || callerFp >= limit) return;
      fp = callerFp;
    }
  }

  /** The innermost entry frame's stack pointer: Wasm frames lie below it. */
  #entryFramePointer(): bigint {
    return this.#store.invoker.hostStateView.getBigUint64(HostState.savedHostSp, true);
  }

  /** The paused activation's frames, innermost first. */
  #frames(instance: Instance, state: ModuleDebugState, funcIndex: number, offset: number, framePointer: bigint): DebugFrame[] {
    const module = instance.compiled;
    const frames: DebugFrame[] = [];
    const stackKinds = state.stackKinds.get(funcIndex)?.get(offset) ?? [];
    frames.push({
      script: module.script,
      funcIndex,
      functionName: module.script.functionName(funcIndex),
      offset,
      locals: this.#readLocals(framePointer, module, funcIndex),
      stack: stackKinds.map((kind, p) => readValue(this.#slotAddress(framePointer, operandSlot(localKindsOf(module, funcIndex).length, p, slotSizeOf(module, funcIndex))), kind)),
    });
    const limit = this.#entryFramePointer();
    let fp = framePointer;
    for (let depth = 0; depth < 100_000; depth++) {
      const record = new DataView(viewOf(fp, 16));
      const returnAddress = record.getBigUint64(8, true);
      const callerFp = record.getBigUint64(0, true);
      const code = this.#store.codeSpace.codeMap.lookup(returnAddress - 1n);
      if (code === undefined || code.kind !== 'wasm-function' || code.script === undefined || code.funcIndex === undefined || callerFp <= fp || callerFp >= limit) break;
      const callOffset = code.callSites.find((site) => site.codeOffset === Number(returnAddress - code.address))?.wasmOffset ?? -1;
      // Baseline code, debug or not, keeps every local in its frame slot at calls.
      const baseline = code.tier !== undefined && tierNamed(code.tier.replace(/ debug$/, ''))?.baselineFrames === true;
      // Locals are read for the paused module's functions, whose local types are known here.
      const owner = code.script === module.script ? module : null;
      frames.push({
        script: code.script,
        funcIndex: code.funcIndex,
        functionName: code.script.functionName(code.funcIndex),
        offset: callOffset,
        locals: baseline && owner !== null ? this.#readLocals(callerFp, owner, code.funcIndex) : null,
        stack: null,
      });
      fp = callerFp;
    }
    return frames;
  }

  #readLocals(framePointer: bigint, module: CompiledModule, funcIndex: number): DebugValue[] {
    const kinds = localKindsOf(module, funcIndex);
    const slotSize = slotSizeOf(module, funcIndex);
    return kinds.map((kind, i) => readValue(this.#slotAddress(framePointer, localSlot(i, slotSize)), kind));
  }

  #slotAddress(framePointer: bigint, slot: number): bigint {
    return framePointer + BigInt(this.#backend.frameTopOffset - slot);
  }
}

/** Whether a break at a frame with `framePointer` ends `step` (see the header). */
function stepEnds(step: Step, framePointer: bigint): boolean {
  switch (step.action) {
    case 'stepInto':
      return true;
    case 'stepOver':
      return framePointer >= step.framePointer;
    case 'stepOut':
      return framePointer > step.framePointer;
  }
}

/** The code offset in `to` of the call at `codeOffset` in `from`: the same Wasm call, by its rank among calls at that offset. */
function sameCall(from: DebugCode, to: DebugCode, codeOffset: number): number | undefined {
  const call = from.calls.find((site) => site.codeOffset === codeOffset);
  if (call === undefined) return undefined;
  const rank = from.calls.filter((site) => site.wasmOffset === call.wasmOffset && site.codeOffset < codeOffset).length;
  return to.calls.filter((site) => site.wasmOffset === call.wasmOffset)[rank]?.codeOffset;
}

/** Value kinds of the locals of defined function `funcIndex` (parameters first). */
/** The frame slot size of the function's baseline code. */
function slotSizeOf(module: CompiledModule, funcIndex: number): number {
  const m = module.module;
  return baselineSlotSize(m, m.codes[funcIndex - m.numImportedFunctions]!);
}

function localKindsOf(module: CompiledModule, funcIndex: number): ValueKind[] {
  const m = module.module;
  const body = m.codes[funcIndex - m.numImportedFunctions]!;
  const kinds = module.functionType(funcIndex).params.map(valueKindOf);
  for (const decl of body.locals) for (let i = 0; i < decl.count; i++) kinds.push(valueKindOf(decl.type));
  return kinds;
}

const TYPE_NAMES: Readonly<Record<number, DebugValue['type']>> = {
  [ValueKind.I32]: 'i32',
  [ValueKind.I64]: 'i64',
  [ValueKind.F32]: 'f32',
  [ValueKind.F64]: 'f64',
  [ValueKind.V128]: 'v128',
  [ValueKind.Ref]: 'ref',
};

/** A value of `kind` from the low bytes of the slot at `address` (8 bytes, or 16 for a v128). */
function readValue(address: bigint, kind: ValueKind): DebugValue {
  const view = new DataView(viewOf(address, kind === ValueKind.V128 ? 16 : 8));
  const type = TYPE_NAMES[kind];
  switch (kind) {
    case ValueKind.I32:
      return { type: 'i32', value: view.getInt32(0, true) };
    case ValueKind.I64:
      return { type: 'i64', value: view.getBigInt64(0, true) };
    case ValueKind.F32:
      return { type: 'f32', value: view.getFloat32(0, true) };
    case ValueKind.F64:
      return { type: 'f64', value: view.getFloat64(0, true) };
    case ValueKind.V128:
      return { type: 'v128', value: view.getBigUint64(0, true) | (view.getBigUint64(8, true) << 64n) };
    default:
      if (type === undefined) throw new UnsupportedError(`debugger: values of kind ${kind} cannot be read`);
      return { type, value: view.getBigUint64(0, true) };
  }
}

/** Module offsets of the operators of defined function `funcIndex`, in order. */
function operatorOffsets(module: CompiledModule, funcIndex: number): number[] {
  const m = module.module;
  const body = m.codes[funcIndex - m.numImportedFunctions];
  if (body === undefined || !Number.isInteger(funcIndex)) {
    throw new RangeError(`function #${funcIndex} is not defined in the module (defined: #${m.numImportedFunctions}..#${m.functions.length - 1})`);
  }
  const offsets: number[] = [];
  const visitor: OperatorVisitor = {
    visit(_op: OperatorInfo, _imm: Immediates, offset: number): void {
      offsets.push(offset);
    },
  };
  new OperatorReader().read(body.code, 0, visitor, true, `function #${funcIndex}`);
  return offsets;
}

/** The tier that makes debug code (the first registered one that can), one compiler per backend. */
const debugCompilers = new WeakMap<Backend, { tier: string; compiler: TierCompiler }>();
function debugTierCompiler(backend: Backend): { tier: string; compile(input: FunctionCompileInput, request: DebugCodeRequest): FinishedCode } {
  let found = debugCompilers.get(backend);
  if (found === undefined) {
    for (const row of registeredTiers()) {
      const compiler = row.createCompiler(backend);
      if (compiler.compileForDebugging !== undefined) {
        found = { tier: row.name, compiler };
        break;
      }
    }
    if (found === undefined) throw new UnsupportedError('no registered tier compiles debug code');
    debugCompilers.set(backend, found);
  }
  const { tier, compiler } = found;
  return { tier, compile: (input, request) => compiler.compileForDebugging!(input, request) };
}

/** Relocations of debug code resolve as the module's own code's do. */
function debugCodeResolver(store: Store): RelocationResolver {
  return { resolveBuiltin: (id: number) => builtinAddress(store, id), trapExit: () => store.invoker.trapExitAddress };
}

/** Debug code lives as long as its module: frames may still run any version of it. */
const retained = new WeakMap<CompiledModule, unknown[]>();
function keepAlive(module: CompiledModule, region: unknown): void {
  const list = retained.get(module) ?? [];
  list.push(region);
  retained.set(module, list);
}
