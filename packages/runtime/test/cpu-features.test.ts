// CPU features in the runtime: the backend's probe run natively, the user's cap, compiles for a
// store's feature set (compile workers included), and the rejection of modules whose Wasm
// features need a CPU feature the store lacks. The fallback sequences themselves run in
// backend-conformance.test.ts, once per feature set.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuFeatureError, CpuFeatureSet, type Backend } from '@flint/backend';
import { CompileError, OPERATORS_BY_NAME } from '@flint/decoder';
import { Engine, UnsupportedFeatureError, registeredTiers } from '../src/index.ts';
import { CodeSpace } from '../src/code/code-space.ts';
import { callFunction } from '../src/instance/call.ts';
import { instantiate } from '../src/instance/instantiate.ts';
import { Store } from '../src/instance/store.ts';
import { backendForHost, registeredBackends } from '../src/native/backends.ts';
import { detectCpuFeatures } from '../src/native/cpu-features.ts';
import { F32, F64, I32, I64, buildModule } from './helpers/module-builder.ts';
import { bundleCompileWorker } from './helpers/compile-worker-bundle.ts';

const runnable = process.platform === 'linux' && registeredBackends().some((b) => b.isa.nodeArch === process.arch);
const V128 = 0x7b;

const opcode = (name: string): number => OPERATORS_BY_NAME.get(name)![0]!.code;
const unary = (name: string, type: number) => ({ type, body: [opcode('local.get'), 0, opcode(name)], export: name });

/** One exported function per operator that has a fallback on some ISA. */
const bitsAndRounding = buildModule({
  types: [
    [[I32], [I32]],
    [[I64], [I64]],
    [[F32], [F32]],
    [[F64], [F64]],
  ],
  funcs: [
    unary('i32.clz', 0),
    unary('i32.ctz', 0),
    unary('i32.popcnt', 0),
    unary('i64.clz', 1),
    unary('i64.ctz', 1),
    unary('i64.popcnt', 1),
    unary('f32.ceil', 2),
    unary('f32.nearest', 2),
    unary('f64.floor', 3),
    unary('f64.trunc', 3),
    unary('f64.nearest', 3),
  ],
});

const f32Bits = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0]!;
const f32Of = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const f64Bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!;
const f64Of = (bits: bigint): number => new Float64Array(new BigUint64Array([bits]).buffer)[0]!;

/** Runs every function of `bitsAndRounding` compiled in `store` on a few inputs, as JS values. */
function runBitsAndRounding(store: Store, engine: Engine): unknown[] {
  const instance = instantiate(store, engine.compile(bitsAndRounding), []);
  const call = (index: number, arg: number | bigint): number | bigint => callFunction(store, instance.functions[index]!, [arg])[0]!;
  const results: unknown[] = [];
  for (const x of [0, 1, -1, 0x00f0_0000, -0x8000_0000]) results.push([0, 1, 2].map((f) => call(f, x)));
  for (const x of [0n, 1n, -1n, 0x00f0_0000_0000n]) results.push([3, 4, 5].map((f) => call(f, x)));
  for (const x of [-0.5, 2.5, -2.5, 0.3, 8388607.5]) results.push([6, 7].map((f) => f32Of(call(f, f32Bits(x)) as number)));
  for (const x of [-0.5, 2.5, -2.5, -1e-300, 4503599627370495.5]) results.push([8, 9, 10].map((f) => f64Of(call(f, f64Bits(x)) as bigint)));
  return results;
}

const EXPECTED = [
  [32, 32, 0],
  [31, 0, 1],
  [0, 0, 32],
  [8, 20, 4],
  [0, 31, 1],
  [64n, 64n, 0n],
  [63n, 0n, 1n],
  [0n, 0n, 64n],
  [24n, 36n, 4n],
  [-0, -0],
  [3, 2],
  [-2, -2],
  [1, 0],
  [8388608, 8388608],
  [-1, -0, -0],
  [2, 2, 2],
  [-3, -2, -2],
  [-1, -0, -0],
  [4503599627370495, 4503599627370495, 4503599627370496],
];

describe.skipIf(!runnable)(`CPU features on this ${process.arch} host (needs Linux and a backend for its architecture)`, () => {
  const host: Backend = runnable ? backendForHost() : (undefined as never);
  const space = new CodeSpace(host.isa.instructionCache);
  afterAll(() => space.dispose());
  const detected = runnable ? detectCpuFeatures(host, space, {}) : CpuFeatureSet.NONE;

  it('runs the probe once per thread and reports only features the backend knows', () => {
    expect(detectCpuFeatures(host, space, {})).toBe(detected);
    for (const name of detected.names) expect(host.cpuFeatures.known).toContain(name);
  });

  it('limits the features to the cap variable, and rejects unknown names', () => {
    const cap = host.isa.cpuFeatureCap;
    if (cap === null) {
      expect(detected).toBe(CpuFeatureSet.NONE);
      return;
    }
    const variable = cap.variable;
    expect(detectCpuFeatures(host, space, { [variable]: cap.baseline })).toBe(CpuFeatureSet.NONE);
    expect(detectCpuFeatures(host, space, { [variable]: '' })).toBe(detected);
    expect(() => detectCpuFeatures(host, space, { [variable]: 'no-such-feature' })).toThrow(CpuFeatureError);
    expect(() => detectCpuFeatures(host, space, { [variable]: 'no-such-feature' })).toThrow(variable);
  });

  it('compiles for its store: a store without optional features runs different code with the same results', () => {
    const full = new Store(host, detected);
    const plain = new Store(host, CpuFeatureSet.NONE);
    const fullEngine = new Engine({ compileWorkers: 0 }, full);
    const plainEngine = new Engine({ compileWorkers: 0 }, plain);
    expect(runBitsAndRounding(full, fullEngine)).toEqual(EXPECTED);
    expect(runBitsAndRounding(plain, plainEngine)).toEqual(EXPECTED);
    const fullCache = fullEngine.compile(bitsAndRounding).serialize();
    const plainCache = plainEngine.compile(bitsAndRounding).serialize();
    // The code cache names the features it was compiled for, and a store with others refuses it.
    expect(plainEngine.deserialize(plainCache, bitsAndRounding).serialize()).toEqual(plainCache);
    if (detected.names.length > 0) {
      expect(plainCache).not.toEqual(fullCache);
      expect(() => plainEngine.deserialize(fullCache, bitsAndRounding)).toThrow(/code cache was compiled for CPU features/);
    }
  });

  describe('a Wasm feature whose code needs a CPU feature the store lacks', () => {
    // The hook as SIMD would use it: here the host backend says `simd` needs an imaginary feature.
    const needy: Backend = {
      ...host,
      cpuFeatures: { ...host.cpuFeatures, missingFor: (feature, available) => (feature === 'simd' ? available.missing(['imaginary']) : []) },
    };
    const simdModule = buildModule({ types: [[[], [I32]]], funcs: [{ type: 0, locals: [[1, V128]], body: [opcode('i32.const'), 0], export: 'f' }] });
    const scalarModule = buildModule({ types: [[[], [I32]]], funcs: [{ type: 0, body: [opcode('i32.const'), 7], export: 'f' }] });

    it('fails validation and compilation with a CompileError, as V8 does', () => {
      const engine = new Engine({ compileWorkers: 0 }, new Store(needy, CpuFeatureSet.NONE));
      expect(engine.validate(simdModule)).toBe(false);
      expect(() => engine.compile(simdModule)).toThrow(CompileError);
      expect(() => engine.compile(simdModule)).toThrow(UnsupportedFeatureError);
      expect(() => engine.compile(simdModule)).toThrow(/^proposal not supported: simd \(this CPU lacks imaginary; in use: /);
      expect(engine.validate(scalarModule)).toBe(true);
      expect(engine.compile(scalarModule).module.codes).toHaveLength(1);
    });

    it('is left to the tiers when the store has the feature', () => {
      const engine = new Engine({ compileWorkers: 0 }, new Store(needy, CpuFeatureSet.of(['imaginary'])));
      const tiersCompileSimd = registeredTiers().some((tier) => tier.supportsOperators('simd', needy) && tier.unsupportedDeclaration(engine.compile(scalarModule).module, needy) === null);
      if (tiersCompileSimd) {
        expect(engine.validate(simdModule)).toBe(true);
      } else {
        expect(engine.validate(simdModule)).toBe(false);
        expect(() => engine.compile(simdModule)).toThrow(/^proposal not supported: simd \(at byte/); // no CPU reason: the tiers lack it
      }
    });
  });

  describe('compile workers', () => {
    let workerUrl: URL;
    beforeAll(async () => {
      workerUrl = await bundleCompileWorker();
    }, 120_000);

    it("compile for the main thread's features, not their own", async () => {
      for (const features of [CpuFeatureSet.NONE, detected]) {
        const store = new Store(host, features);
        const pooled = new Engine({ compileWorkerUrl: workerUrl, compileWorkers: 1 }, store);
        try {
          const background = await pooled.compileAsync(bitsAndRounding);
          expect(pooled.compilePool).not.toBeNull();
          expect(background.serialize()).toEqual(new Engine({ compileWorkers: 0 }, store).compile(bitsAndRounding).serialize());
        } finally {
          await pooled.close();
        }
      }
    });
  });
});

// The probe against what Linux derived from CPUID: everything /proc/cpuinfo lists is found (the
// reverse need not hold: a hypervisor may leave a flag out of /proc/cpuinfo, issue 10).
const CPUINFO_FLAGS: Record<string, string> = {
  pni: 'sse3',
  ssse3: 'ssse3',
  sse4_1: 'sse4.1',
  sse4_2: 'sse4.2',
  popcnt: 'popcnt',
  abm: 'lzcnt',
  bmi1: 'bmi1',
  bmi2: 'bmi2',
  avx: 'avx',
  avx2: 'avx2',
};

describe.skipIf(!(runnable && process.arch === 'x64' && existsSync('/proc/cpuinfo')))('the x64 probe and /proc/cpuinfo', () => {
  it('finds every feature /proc/cpuinfo lists', () => {
    const flags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? []);
    const detected = detectCpuFeatures(backendForHost(), new CodeSpace(backendForHost().isa.instructionCache), {});
    const listed = Object.entries(CPUINFO_FLAGS).filter(([flag]) => flags.has(flag)).map(([, name]) => name);
    expect(detected.missing(listed)).toEqual([]);
  });
});
