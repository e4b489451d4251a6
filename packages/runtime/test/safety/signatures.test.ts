// Every valid signature can be called, in both directions (issue 10, item 3): exported functions
// and host functions with up to 1,000 parameters or results (the validator's limit) — past the
// 256 values that once overflowed a fixed 4 KiB buffer — give what V8 gives for the same bytes,
// on every tier. And a short fuzz target at the JS API boundary: seeded random signatures, random
// BufferSource containers, the input mutated after compiling; Flint must agree with Node's own
// WebAssembly on every call.
import { ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { describe, expect, it } from 'vitest';
import { WebAssembly as Flint, registeredTiers } from '../../src/index.ts';

const onHost = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');

interface Namespace {
  Module: new (bytes: Uint8Array, options?: object) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const V8 = (globalThis as unknown as { WebAssembly: Namespace }).WebAssembly;
const FLINT = Flint as unknown as Namespace;

const TYPES = [ValType.I32, ValType.I64, ValType.F32, ValType.F64] as const;

/** A small deterministic PRNG (mulberry32), so every run tests the same signatures. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The parameter "echo" returns as result `j` (of type `t`): the last of that type scanning from `j` round, or -1 (a constant). */
function echoSource(params: readonly ValType[], t: ValType, j: number): number {
  let source = -1;
  for (let k = 0; k < params.length; k++) if (params[(j + k) % params.length] === t) source = (j + k) % params.length;
  return source;
}

/**
 * A module for signature params → results:
 * - "echo": result j is the last parameter of the same type before position j (wrapping), or a
 *   constant j when no parameter has its type;
 * - "viaHost": calls the import env.host (same signature) with its parameters and returns its results.
 */
function signatureModule(params: readonly ValType[], results: readonly ValType[]): Uint8Array {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [...params], results: [...results] });
  const host = b.addImport('env', 'host', { func: type });
  const echo: number[] = [];
  results.forEach((t, j) => {
    const source = echoSource(params, t, j);
    if (source >= 0) echo.push(...op('local.get', source));
    else if (t === ValType.I32) echo.push(...op('i32.const', j));
    else if (t === ValType.I64) echo.push(...op('i64.const', BigInt(j)));
    else if (t === ValType.F32) echo.push(...op('f32.const', j + 0.5));
    else echo.push(...op('f64.const', j + 0.25));
  });
  const viaHost = [...params.flatMap((_, k) => op('local.get', k)), ...op('call', host)];
  b.addExport('echo', 0, b.addFunction(type, [], [...echo, ...op('end')]));
  b.addExport('viaHost', 0, b.addFunction(type, [], [...viaHost, ...op('end')]));
  return b.toBytes();
}

/** A JS argument of type `t` (i64 as BigInt), including edge values. */
function argumentOf(t: ValType, random: () => number): number | bigint {
  const pick = random();
  switch (t) {
    case ValType.I32:
      return pick < 0.2 ? -1 : pick < 0.3 ? 2 ** 31 - 1 : Math.floor(random() * 2 ** 32) - 2 ** 31;
    case ValType.I64:
      return pick < 0.2 ? -(2n ** 63n) : BigInt.asIntN(64, BigInt(Math.floor(random() * 2 ** 53)) * 4099n);
    case ValType.F32:
      return pick < 0.1 ? NaN : pick < 0.2 ? -0 : Math.fround((random() - 0.5) * 1e6);
    default:
      return pick < 0.1 ? Infinity : pick < 0.2 ? -0 : (random() - 0.5) * 1e300;
  }
}

/** The host function both engines import: it returns, for "viaHost", what "echo" computes. */
function hostFor(params: readonly ValType[], results: readonly ValType[]): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const out = results.map((t, j) => {
      const source = echoSource(params, t, j);
      if (source >= 0) return args[source];
      return t === ValType.I32 ? j : t === ValType.I64 ? BigInt(j) : t === ValType.F32 ? j + 0.5 : j + 0.25;
    });
    return results.length === 1 ? out[0] : out;
  };
}

function run(ns: Namespace, bytes: Uint8Array, options: object | undefined, params: readonly ValType[], results: readonly ValType[], args: readonly unknown[]): unknown[] {
  const module = options === undefined ? new ns.Module(bytes) : new ns.Module(bytes, options);
  const { exports } = new ns.Instance(module, { env: { host: hostFor(params, results) } });
  return ['echo', 'viaHost'].map((name) => {
    try {
      return (exports[name] as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      return `${(error as Error).constructor.name}: ${(error as Error).message.split(':')[0]}`;
    }
  });
}

/** The same BufferSource container kinds a caller may pass. */
const CONTAINERS: readonly [string, (bytes: Uint8Array) => ArrayBufferView | ArrayBuffer][] = [
  ['Uint8Array view with an offset', (bytes) => new Uint8Array(new Uint8Array([9, 9, 9, ...bytes]).buffer, 3, bytes.length)],
  ['pooled Buffer', (bytes) => Buffer.from(bytes)],
  ['ArrayBuffer', (bytes) => bytes.slice().buffer],
  ['DataView', (bytes) => new DataView(bytes.slice().buffer)],
];

describe.skipIf(!onHost)('every valid signature, both directions, as V8', () => {
  const wide: readonly [string, ValType[], ValType[]][] = [
    ['1,000 results', [ValType.I64, ValType.F64, ValType.I32], Array.from({ length: 1000 }, (_, i) => TYPES[i % 4]!)],
    ['1,000 parameters', Array.from({ length: 1000 }, (_, i) => TYPES[(i * 3) % 4]!), [ValType.F32, ValType.I64]],
    ['257 parameters and 257 results', Array.from({ length: 257 }, (_, i) => TYPES[i % 4]!), Array.from({ length: 257 }, (_, i) => TYPES[(i + 1) % 4]!)],
  ];
  for (const { name: tier } of registeredTiers()) {
    for (const [name, params, results] of wide) {
      it(`${tier}: ${name}`, () => {
        const bytes = signatureModule(params, results);
        const random = prng(params.length * 31 + results.length);
        const args = params.map((t) => argumentOf(t, random));
        const expected = run(V8, bytes, undefined, params, results, args);
        expect(Array.isArray(expected[0]) || results.length === 1).toBe(true); // V8 called it, no error
        expect(run(FLINT, bytes, { tier }, params, results, args)).toEqual(expected);
      });
    }
  }

  it('fuzz: 60 seeded signatures, every container, input mutated after compiling, every tier', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = prng(seed);
      const length = (max: number): number => (random() < 0.15 ? Math.floor(random() * 300) : Math.floor(random() * max));
      const params = Array.from({ length: length(12) }, () => TYPES[Math.floor(random() * 4)]!);
      const results = Array.from({ length: length(6) }, () => TYPES[Math.floor(random() * 4)]!);
      const bytes = signatureModule(params, results);
      const args = params.map((t) => argumentOf(t, random));
      const expected = run(V8, bytes, undefined, params, results, args);
      const [containerName, contain] = CONTAINERS[seed % CONTAINERS.length]!;
      const tier = registeredTiers()[seed % registeredTiers().length]!.name;
      const input = contain(bytes);
      const module = new FLINT.Module(input as Uint8Array, { tier });
      // Scribble over the caller's bytes: what was compiled must not change.
      const view = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      view.fill(0x41);
      const { exports } = new FLINT.Instance(module, { env: { host: hostFor(params, results) } });
      const got = ['echo', 'viaHost'].map((name) => (exports[name] as (...a: unknown[]) => unknown)(...args));
      expect(got, `seed ${seed} (${params.length} → ${results.length}, ${containerName}, ${tier})`).toEqual(expected);
    }
  });
});
