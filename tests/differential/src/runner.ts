// Runs one module on two engines side by side — Node's own `WebAssembly` (V8) as the reference,
// Flint as the engine under test — with the same imports and the same calls, and reports the
// first point where they disagree: compilation, instantiation, a call's outcome (values, or trap
// kind), the memory bytes, an exported global, or the calls made to the host import.
import type { ValType } from '@flint/decoder';
import type { GeneratedModule } from './generator/module-generator.ts';
import { formatValue } from './js-values.ts';
import { Prng } from './prng.ts';
import type { CallOutcome } from './traps.ts';
import { describeOutcome, outcomeOfError, outcomesAgree } from './traps.ts';
import { randomArgument } from './values.ts';

/** The part of a `WebAssembly` namespace the runner uses; both engines provide it. */
export interface WasmNamespaceLike {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: object };
}

/** Node's built-in namespace (not in the TypeScript libs this workspace compiles against). */
export const NODE_WEBASSEMBLY: WasmNamespaceLike = (globalThis as unknown as { WebAssembly: WasmNamespaceLike }).WebAssembly;

/** One call of an export, with the fuel the `fuel` global is reset to before it. */
export interface PlannedCall {
  readonly name: string;
  readonly args: readonly (number | bigint)[];
  readonly fuel: number;
}

export type MismatchAspect = 'compile' | 'instantiate' | 'outcome' | 'memory' | 'global' | 'host-calls';

export interface Mismatch {
  readonly aspect: MismatchAspect;
  /** Index in the call plan, or -1 before any call. */
  readonly callIndex: number;
  readonly call: PlannedCall | null;
  readonly v8: string;
  readonly flint: string;
}

/**
 * Fuel per call: usually enough for a few loop iterations and some recursion, small enough to
 * run fast; 0 and 1 take the out-of-fuel paths at the first function entry or loop.
 */
const CALL_FUELS: readonly number[] = [60, 60, 60, 300, 1, 0];
const CALL_FUEL = 60;
const ARGUMENT_VECTORS = 4;
/** The `bits<i>` wrappers repeat f<i> with exact float results; fewer vectors suffice. */
const BITS_ARGUMENT_VECTORS = 2;
/** Depths of `deep`: shallow ones must return n on both engines, the last must exhaust the stack. */
const DEEP_DEPTHS = [0, 3, 1000, 5_000_000];

/** The calls made on a module: each export with several argument vectors, then `deep`. */
export function planCalls(module: GeneratedModule): PlannedCall[] {
  const rng = new Prng(module.seed ^ 0x5eed_ca11);
  const calls: PlannedCall[] = [];
  for (const { name, signature } of module.exports) {
    const vectors = name.startsWith('bits') ? BITS_ARGUMENT_VECTORS : ARGUMENT_VECTORS;
    for (let v = 0; v < vectors; v++) {
      const fuel = rng.pick(CALL_FUELS);
      calls.push({ name, args: signature.params.map((t: ValType) => randomArgument(rng, t)), fuel });
    }
  }
  for (const depth of DEEP_DEPTHS) calls.push({ name: module.deep, args: [depth], fuel: CALL_FUEL });
  return calls;
}

interface EngineRun {
  readonly exports: Record<string, unknown>;
  readonly hostCalls: string[];
}

function instantiate(ns: WasmNamespaceLike, bytes: Uint8Array, stage: { failed: 'compile' | 'instantiate' | null }): EngineRun | string {
  const hostCalls: string[] = [];
  const imports = {
    env: {
      // Deterministic in its arguments and the call count, so both engines see the same results.
      observe: (a: number, b: bigint) => {
        hostCalls.push(`${a}:${b}`);
        return (a ^ hostCalls.length) | 0;
      },
    },
  };
  let module: object;
  try {
    module = new ns.Module(bytes);
  } catch (error) {
    stage.failed = 'compile';
    return describeError(error);
  }
  try {
    const instance = new ns.Instance(module, imports);
    return { exports: instance.exports as Record<string, unknown>, hostCalls };
  } catch (error) {
    stage.failed = 'instantiate';
    return describeError(error);
  }
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

function call(run: EngineRun, planned: PlannedCall): CallOutcome {
  (run.exports['fuel'] as { value: number }).value = planned.fuel;
  const fn = run.exports[planned.name] as (...args: unknown[]) => unknown;
  try {
    return { kind: 'return', values: formatValue(fn(...planned.args)) };
  } catch (error) {
    return outcomeOfError(error);
  }
}

function memoryBytes(run: EngineRun): Uint8Array {
  return new Uint8Array((run.exports['memory'] as { buffer: ArrayBuffer }).buffer);
}

/** The first differing byte of two memories, or null when they are equal. */
function compareMemories(v8: Uint8Array, flint: Uint8Array): string | null {
  if (v8.length !== flint.length) return `length ${v8.length} vs ${flint.length}`;
  if (Buffer.compare(v8, flint) === 0) return null;
  for (let i = 0; i < v8.length; i++) if (v8[i] !== flint[i]) return `byte 0x${i.toString(16)}: ${v8[i]} vs ${flint[i]}`;
  return null;
}

function globalValue(run: EngineRun, name: string): string {
  return formatValue((run.exports[name] as { value: unknown }).value);
}

/**
 * Runs `calls` on both engines, comparing after each; returns the first mismatch or null.
 * `globals` are the exported globals compared after every call.
 */
export function runDifferential(
  bytes: Uint8Array,
  calls: readonly PlannedCall[],
  globals: readonly string[],
  flintNamespace: WasmNamespaceLike,
  v8Namespace: WasmNamespaceLike = NODE_WEBASSEMBLY,
  onOutcome?: (call: PlannedCall, outcome: CallOutcome) => void,
): Mismatch | null {
  const v8Stage = { failed: null as 'compile' | 'instantiate' | null };
  const flintStage = { failed: null as 'compile' | 'instantiate' | null };
  const v8 = instantiate(v8Namespace, bytes, v8Stage);
  const flint = instantiate(flintNamespace, bytes, flintStage);
  if (typeof v8 === 'string' || typeof flint === 'string') {
    const aspect = v8Stage.failed ?? flintStage.failed ?? 'compile';
    const v8Text = typeof v8 === 'string' ? v8 : 'ok';
    const flintText = typeof flint === 'string' ? flint : 'ok';
    return { aspect, callIndex: -1, call: null, v8: v8Text, flint: flintText };
  }
  for (let i = 0; i < calls.length; i++) {
    const planned = calls[i]!;
    const v8Outcome = call(v8, planned);
    const flintOutcome = call(flint, planned);
    onOutcome?.(planned, v8Outcome);
    const at = { callIndex: i, call: planned };
    if (!outcomesAgree(v8Outcome, flintOutcome)) {
      return { aspect: 'outcome', ...at, v8: describeOutcome(v8Outcome), flint: describeOutcome(flintOutcome) };
    }
    const memory = compareMemories(memoryBytes(v8), memoryBytes(flint));
    if (memory !== null) return { aspect: 'memory', ...at, v8: memory, flint: memory };
    for (const name of globals) {
      const a = globalValue(v8, name);
      const b = globalValue(flint, name);
      if (a !== b) return { aspect: 'global', ...at, v8: `${name} = ${a}`, flint: `${name} = ${b}` };
    }
    const hostA = v8.hostCalls.join(' ');
    const hostB = flint.hostCalls.join(' ');
    if (hostA !== hostB) return { aspect: 'host-calls', ...at, v8: hostA, flint: hostB };
  }
  return null;
}
