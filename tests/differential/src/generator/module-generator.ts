// Generates a whole valid module from a seed: an imported host function, 1–6 generated functions
// (each exported), a `deep` function that recurses without fuel (the stack-exhaustion family),
// a funcref table with some slots left null, one memory (sometimes with a maximum) with a data
// segment, and exported mutable globals including the `fuel` counter the runner resets before
// every call.
// Spec (modules): https://webassembly.github.io/spec/core/syntax/modules.html
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { Prng } from '../prng.ts';
import { F32_EDGE_BITS, F64_EDGE_BITS, I32_EDGES, I64_EDGES } from '../values.ts';
import { f32ConstBits, f64ConstBits, i32Const, i64Const } from './encoding.ts';
import { FunctionGenerator, NUMERIC_TYPES } from './function-generator.ts';
import type { FunctionSignature, GeneratorFeatures, GlobalInfo, ModuleContext, ShrinkMask } from './module-context.ts';
import { ALL_FEATURES, NO_SHRINK } from './module-context.ts';
import { zeroConst } from './encoding.ts';

/** What the runner needs to know about a generated module besides its bytes. */
export interface GeneratedModule {
  readonly seed: number;
  /** The features it was generated with (the shrinker regenerates with the same). */
  readonly features: GeneratorFeatures;
  readonly bytes: Uint8Array;
  /** Exported functions the runner calls (`f<i>`, and `bits<i>` for those with float results). */
  readonly exports: readonly { readonly name: string; readonly signature: FunctionSignature }[];
  /** Names of the exported globals (besides `fuel`). */
  readonly globals: readonly string[];
  /** Name of the exported function that recurses `n` levels deep without fuel. */
  readonly deep: string;
  /** How many statements and expressions were generated (the shrinker's id ranges). */
  readonly statementCount: number;
  readonly expressionCount: number;
  /** Number of generated functions (function indices 1..functionCount). */
  readonly functionCount: number;
}

/** The host import every module declares: `env.observe(i32, i64) -> i32`. */
export const OBSERVE_SIGNATURE: FunctionSignature = { params: [ValType.I32, ValType.I64], results: [ValType.I32] };

function randomSignature(rng: Prng): FunctionSignature {
  const params: ValType[] = [];
  const results: ValType[] = [];
  // Up to 8 parameters: past the argument registers of the native ABIs, some go on the stack.
  const paramCount = rng.weighted([2, 3, 3, 2, 1, 0.4, 0.4, 0.4, 0.4]);
  for (let i = 0; i < paramCount; i++) params.push(rng.pick(NUMERIC_TYPES));
  const resultCount = rng.weighted([1, 5, 1.2, 0.6]);
  for (let i = 0; i < resultCount; i++) results.push(rng.pick(NUMERIC_TYPES));
  return { params, results };
}

function globalInit(rng: Prng, type: ValType): number[] {
  switch (type) {
    case ValType.I32:
      return i32Const(rng.pick(I32_EDGES));
    case ValType.I64:
      return i64Const(rng.pick(I64_EDGES));
    case ValType.F32:
      return f32ConstBits(rng.pick(F32_EDGE_BITS));
    default:
      return f64ConstBits(rng.pick(F64_EDGE_BITS));
  }
}

export function generateModule(seed: number, mask: ShrinkMask = NO_SHRINK, features: GeneratorFeatures = ALL_FEATURES): GeneratedModule {
  const rng = new Prng(seed);
  const builder = new ModuleBuilder();
  const typeIndices = new Map<string, number>();
  const typeIndexOf = (s: FunctionSignature): number => {
    const key = `${s.params.join(',')}:${s.results.join(',')}`;
    let index = typeIndices.get(key);
    if (index === undefined) {
      index = builder.addType({ params: s.params, results: s.results });
      typeIndices.set(key, index);
    }
    return index;
  };

  const functionCount = rng.range(1, 6);
  const functions: FunctionSignature[] = [OBSERVE_SIGNATURE];
  for (let i = 0; i < functionCount; i++) functions.push(randomSignature(rng));
  const deepSignature: FunctionSignature = { params: [ValType.I32], results: [ValType.I32] };
  const deepIndex = functions.length;
  functions.push(deepSignature);
  const callable = functions.map((_, i) => i).filter((i) => i !== deepIndex);

  const globals: GlobalInfo[] = [{ type: ValType.I32, mutable: true }];
  const globalCount = rng.range(1, 6);
  for (let i = 0; i < globalCount; i++) globals.push({ type: rng.pick(NUMERIC_TYPES), mutable: rng.chance(0.75) });

  const tableSize = rng.range(1, functions.length + 3);
  const memoryMaxPages = rng.chance(0.6) ? rng.range(1, 6) : undefined;
  const ids = { statements: 0, expressions: 0 };
  const tableSlots: (number | null)[] = [];
  for (let slot = 0; slot < tableSize; slot++) tableSlots.push(rng.chance(0.85) ? rng.pick(callable) : null);
  const trapRate = rng.pick([0.05, 0.2, 0.5, 1]);
  const maxExpressionDepth = rng.range(3, 8);
  const context: ModuleContext = { features, mask, ids, rng, trapRate, maxExpressionDepth, typeIndexOf, functions, callable, globals, fuelGlobal: 0, tableSize, tableSlots, memoryMaxPages };

  builder.addImport('env', 'observe', { func: typeIndexOf(OBSERVE_SIGNATURE) });
  for (let i = 1; i < deepIndex; i++) {
    const generated = new FunctionGenerator(context, functions[i]!).generate();
    const body = mask.stubbedFunctions.has(i) ? [...functions[i]!.results.flatMap(zeroConst), ...op('end')] : generated.body;
    builder.addFunction(typeIndexOf(functions[i]!), generated.locals, body);
  }
  // deep(n) = n == 0 ? 0 : deep(n - 1) + 1, with a few extra locals to vary the frame size.
  const deepLocals: ValType[] = [];
  for (let i = rng.range(0, 12); i > 0; i--) deepLocals.push(rng.pick(NUMERIC_TYPES));
  builder.addFunction(typeIndexOf(deepSignature), deepLocals, [
    ...op('local.get', 0), ...op('i32.eqz'), ...op('if', ValType.I32), ...i32Const(0), ...op('else'),
    ...op('local.get', 0), ...i32Const(1), ...op('i32.sub'), ...op('call', deepIndex), ...i32Const(1), ...op('i32.add'),
    ...op('end'), ...op('end'),
  ]);

  builder.addTable({ min: tableSize, max: tableSize });
  tableSlots.forEach((f, slot) => {
    if (f !== null) builder.addElement({ offset: i32Const(slot), funcs: [f] });
  });

  builder.addMemory(memoryMaxPages === undefined ? { min: 1 } : { min: 1, max: memoryMaxPages });
  const dataLength = rng.range(0, 64);
  const data: number[] = [];
  for (let i = 0; i < dataLength; i++) data.push(rng.below(256));
  builder.addData({ offset: i32Const(rng.below(1024)), bytes: data });

  const globalNames: string[] = [];
  globals.forEach((g, i) => {
    builder.addGlobal(g, globalInit(rng, g.type));
    const name = i === 0 ? 'fuel' : `g${i}`;
    if (i === 0 || g.mutable || rng.chance(0.5)) {
      builder.addExport(name, ExternKind.Global, i);
      if (i !== 0) globalNames.push(name);
    }
  });

  const exports: { name: string; signature: FunctionSignature }[] = [];
  for (let i = 1; i < deepIndex; i++) {
    builder.addExport(`f${i}`, ExternKind.Func, i);
    exports.push({ name: `f${i}`, signature: functions[i]! });
  }
  // Float results cross the JS boundary as numbers, which keep no NaN payload: `bits<i>` calls
  // f<i> and returns its float results reinterpreted as integers, so they compare bit for bit.
  let nextFunction = deepIndex + 1;
  for (let i = 1; i < deepIndex; i++) {
    const signature = functions[i]!;
    if (!signature.results.some((t) => t === ValType.F32 || t === ValType.F64)) continue;
    const wrapper = bitsWrapper(signature, i);
    builder.addFunction(typeIndexOf(wrapper.signature), wrapper.locals, wrapper.body);
    builder.addExport(`bits${i}`, ExternKind.Func, nextFunction++);
    exports.push({ name: `bits${i}`, signature: wrapper.signature });
  }
  builder.addExport('deep', ExternKind.Func, deepIndex);
  builder.addExport('memory', ExternKind.Memory, 0);
  builder.addExport('table', ExternKind.Table, 0);
  return {
    seed,
    features,
    bytes: builder.toBytes(),
    exports,
    globals: globalNames,
    deep: 'deep',
    statementCount: ids.statements,
    expressionCount: ids.expressions,
    functionCount,
  };
}

const BITS_OF: Readonly<Record<number, ValType>> = { [ValType.F32]: ValType.I32, [ValType.F64]: ValType.I64 };

/** `(params) -> (results with floats as integer bits)`: calls `callee`, reinterprets its float results. */
function bitsWrapper(signature: FunctionSignature, callee: number): { signature: FunctionSignature; locals: ValType[]; body: number[] } {
  const results = signature.results.map((t) => BITS_OF[t] ?? t);
  const body: number[] = [];
  signature.params.forEach((_, i) => body.push(...op('local.get', i)));
  body.push(...op('call', callee));
  // Results come off the stack last first: park them in locals, then push them back converted.
  const first = signature.params.length;
  for (let r = signature.results.length - 1; r >= 0; r--) body.push(...op('local.set', first + r));
  signature.results.forEach((t, r) => {
    body.push(...op('local.get', first + r));
    if (t === ValType.F32) body.push(...op('i32.reinterpret_f32'));
    if (t === ValType.F64) body.push(...op('i64.reinterpret_f64'));
  });
  body.push(...op('end'));
  return { signature: { params: signature.params, results }, locals: [...signature.results], body };
}
