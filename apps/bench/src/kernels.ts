// The execution-benchmark suite: kernels written in C (apps/bench/kernels/*.c), compiled by
// clang -O2 to freestanding wasm32 modules with no imports, and how one engine is measured on
// them. The same code measures V8 (in a child Node process started with tier flags, see
// v8-child.ts) and Flint (in the parent, through @flint/runtime's WebAssembly namespace), so the
// numbers differ only by the engine.
//
// Expected checksums: printed by kernels/build.sh, which compiles each kernel's C source with the
// host `cc` into a native program (kernels/native-main.c) and runs it; no wasm engine is involved.
// Every engine's result is compared with them before (check size) and after (timed size) timing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './measure.ts';

// @types/node 20 does not declare Node's global `WebAssembly` (TypeScript's lib.dom does, but the
// workspace compiles without the DOM); this declares the part the benchmarks use. Temporary: drop
// it when the workspace gains a declaration of the global (it would then conflict).
declare global {
  namespace WebAssembly {
    function validate(bytes: Uint8Array): boolean;
    class Module {
      constructor(bytes: Uint8Array);
    }
    class Instance {
      constructor(module: Module, imports?: object);
      readonly exports: Record<string, unknown>;
    }
  }
}

export interface Kernel {
  readonly name: string;
  /** What kind of code it is, for the README and the table. */
  readonly character: string;
  readonly result: 'i32' | 'f64';
  /** A small size every engine runs first, with its expected checksum. */
  readonly checkN: number;
  readonly checkResult: number;
  /** The timed size (each run takes 50–500 ms on V8 on the reference machine), with its checksum. */
  readonly n: number;
  readonly nResult: number;
}

// Keep `checkN`/`n` in step with the table in kernels/build.sh, which prints these checksums.
export const KERNELS: readonly Kernel[] = [
  { name: 'crc32', character: 'integer: table-driven CRC-32 over a 64 KiB buffer', result: 'i32', checkN: 3, checkResult: -48002436, n: 400, nResult: 1109322086 },
  { name: 'matmul', character: 'integer: 96×96 i32 matrix multiply', result: 'i32', checkN: 2, checkResult: 2142695927, n: 180, nResult: 415773917 },
  { name: 'nbody', character: 'f64: five-body simulation (mul, div, sqrt)', result: 'f64', checkN: 1000, checkResult: -0.169087605234606, n: 1_000_000, nResult: -0.16908618459850192 },
  { name: 'mandelbrot', character: 'f64: Mandelbrot set, data-dependent inner loop', result: 'i32', checkN: 64, checkResult: 83002, n: 1200, nResult: 29178828 },
  { name: 'stream', character: 'memory-bound: triad and strided sums over 4 MiB arrays', result: 'i32', checkN: 1, checkResult: 846135296, n: 60, nResult: -100401152 },
  { name: 'sort', character: 'memory + branches: quicksort of 64 Ki generated i32', result: 'i32', checkN: 1, checkResult: 542625342, n: 16, nResult: -1364927058 },
  { name: 'fib', character: 'calls: recursive Fibonacci (direct calls)', result: 'i32', checkN: 20, checkResult: 6765, n: 36, nResult: 14930352 },
  { name: 'dispatch', character: 'calls: call_indirect through an 8-entry function table', result: 'i32', checkN: 10_000, checkResult: -811856333, n: 6_000_000, nResult: -1930751988 },
  { name: 'interp', character: 'branchy: switch-dispatched bytecode interpreter (br_table)', result: 'i32', checkN: 1000, checkResult: 59542, n: 20_000, nResult: 1834634 },
  // SIMD, hand-written in the text format (kernels/*.wat, see wat-kernels.ts): matmul-simd is
  // matmul's product with i32x4, so its checksums are matmul's.
  { name: 'matmul-simd', character: 'SIMD: matmul with i32x4 (same product and checksum as matmul)', result: 'i32', checkN: 2, checkResult: 2142695927, n: 180, nResult: 415773917 },
  { name: 'bytescan-simd', character: 'SIMD: byte scan with i8x16.eq, 64 KiB per pass', result: 'i32', checkN: 3, checkResult: -680301282, n: 20_000, nResult: 1506002036 },
];

/** xorshift32, as kernels/kernel.h. */
function xorshift32(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/**
 * bytescan-simd's checksum, computed the scalar way: the byte histogram of crc32.c's buffer
 * answers each pass's count (the kernel counts with i8x16 compares instead).
 */
export function bytescanReference(n: number): number {
  const histogram = new Uint32Array(256);
  let seed = 0x12345678;
  for (let i = 0; i < 65536; i++) {
    seed = xorshift32(seed);
    histogram[seed & 0xff]!++;
  }
  let hash = 2166136261;
  let count = 0;
  for (let pass = 0; pass < n; pass++) {
    count = histogram[(pass * 7 + count) & 0xff]!;
    hash = Math.imul(hash ^ count, 16777619) >>> 0;
  }
  return hash | 0;
}

const kernelsDir = join(dirname(fileURLToPath(import.meta.url)), '../kernels');

export function loadKernel(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(kernelsDir, `${name}.wasm`)));
}

/**
 * The exported identity function `(func (export "id") (param i32) (result i32) local.get 0)`,
 * for the call-overhead measurement. Hand-encoded; the layout follows the binary format:
 * https://webassembly.github.io/spec/core/binary/modules.html
 */
export const ID_MODULE: Uint8Array = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type section: [(i32) -> (i32)]
  0x03, 0x02, 0x01, 0x00, // function section: [type 0]
  0x07, 0x06, 0x01, 0x02, 0x69, 0x64, 0x00, 0x00, // export section: "id" = func 0
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b, // code section: no locals; local.get 0; end
);

function readU32Leb(bytes: Uint8Array, offset: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = offset; i < bytes.length && shift < 35; i++, shift += 7) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw new Error(`malformed LEB128 at byte ${offset}`);
}

/** Size in bytes of the code section's payload (what compile throughput is measured against). */
export function codeSectionSize(bytes: Uint8Array): number {
  const CODE_SECTION = 10;
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset]!;
    const [size, payload] = readU32Leb(bytes, offset + 1);
    if (id === CODE_SECTION) return size;
    offset = payload + size;
  }
  return 0;
}

/**
 * `bytes` plus a custom section holding `nonce`. Engines cache compiled modules by their bytes
 * (V8's native module cache; Flint's engine cache), so each timed compile gets distinct bytes
 * to measure a real compilation; custom sections are not compiled.
 */
export function withNonce(bytes: Uint8Array, nonce: number): Uint8Array {
  const name = 'bench-nonce';
  const payload = new Uint8Array(1 + name.length + 4);
  payload[0] = name.length;
  for (let i = 0; i < name.length; i++) payload[1 + i] = name.charCodeAt(i);
  new DataView(payload.buffer).setUint32(1 + name.length, nonce >>> 0, true);
  const out = new Uint8Array(bytes.length + 2 + payload.length);
  out.set(bytes);
  out[bytes.length] = 0; // custom section id
  out[bytes.length + 1] = payload.length; // < 128: one LEB128 byte
  out.set(payload, bytes.length + 2);
  return out;
}

/** The part of a `WebAssembly`-shaped namespace the suite uses besides compiling (V8's or Flint's). */
export interface WasmNamespace {
  readonly Instance: new (module: never, imports?: object) => { readonly exports: Record<string, unknown> };
}

/** How a namespace compiles: V8 takes only the bytes; Flint also takes its tier. */
export type CompileModule = (bytes: Uint8Array) => object;

export interface KernelResult {
  readonly name: string;
  /** Present when the engine failed on this kernel (compile, instantiate, trap or wrong result). */
  readonly error?: string;
  readonly codeBytes?: number;
  readonly compileMs?: number;
  readonly runMs?: number;
  readonly n?: number;
  readonly runs?: number;
}

export interface SuiteOptions {
  /** Tiny sizes and one run: checks correctness and that the harness works, times nothing useful. */
  readonly quick: boolean;
  readonly only?: readonly string[];
}

export interface SuiteResult {
  readonly kernels: KernelResult[];
  /** Nanoseconds per JS → wasm call of `id`, or the reason it could not be measured. */
  readonly callNs: number | string;
}

const describeError = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = text.split('\n')[0]!;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
};

const sameResult = (expected: number, actual: unknown): boolean => typeof actual === 'number' && Object.is(actual, expected);

let nonce = 0;

function runKernel(ns: WasmNamespace, compile: CompileModule, kernel: Kernel, options: SuiteOptions): KernelResult {
  const bytes = loadKernel(kernel.name);
  const codeBytes = codeSectionSize(bytes);
  let stage = 'compile';
  try {
    const compileTiming = measure(() => compile(withNonce(bytes, ++nonce)), options.quick ? { warmup: 0, runs: 1 } : { warmup: 1, runs: 5 });
    const module = compile(bytes);
    stage = 'instantiate';
    const instance = new ns.Instance(module as never, {});
    const run = instance.exports['run'];
    if (typeof run !== 'function') return { name: kernel.name, error: 'the module exports no function "run"' };
    stage = `run(${kernel.checkN})`;
    const check = run(kernel.checkN) as unknown;
    if (!sameResult(kernel.checkResult, check)) return { name: kernel.name, error: `wrong result: run(${kernel.checkN}) = ${String(check)}, expected ${kernel.checkResult}` };
    const n = options.quick ? kernel.checkN : kernel.n;
    const expected = options.quick ? kernel.checkResult : kernel.nResult;
    stage = `run(${n})`;
    let last: unknown;
    const timing = measure(() => {
      last = run(n);
    }, options.quick ? { warmup: 0, runs: 1 } : { warmup: 1, runs: 5 });
    if (!sameResult(expected, last)) return { name: kernel.name, error: `wrong result: run(${n}) = ${String(last)}, expected ${expected}` };
    return { name: kernel.name, codeBytes, compileMs: compileTiming.medianMs, runMs: timing.medianMs, n, runs: timing.runs };
  } catch (error) {
    return { name: kernel.name, error: `${stage}: ${describeError(error)}` };
  }
}

/** Where the call benchmark leaves its results, so no call can be optimized away. */
const callSink = { value: 0 };

/** ns per call from JS of the exported identity function (median of timed batches). */
function measureCallOverhead(ns: WasmNamespace, compile: CompileModule, quick: boolean): number | string {
  try {
    const id = new ns.Instance(compile(ID_MODULE) as never, {}).exports['id'];
    if (typeof id !== 'function') return 'n/a (no export "id")';
    if (id(41) !== 41) return `n/a (id(41) returned ${String(id(41))})`;
    let sink = 0;
    const batch = (calls: number): void => {
      for (let i = 0; i < calls; i++) sink = (sink + (id(i) as number)) | 0;
    };
    // Grow the batch until it takes long enough for the clock's resolution not to matter.
    let calls = 1000;
    const targetMs = quick ? 5 : 50;
    for (;;) {
      const t0 = performance.now();
      batch(calls);
      if (performance.now() - t0 >= targetMs || calls >= 1 << 28) break;
      calls *= 2;
    }
    const timing = measure(() => batch(calls), quick ? { warmup: 0, runs: 1 } : { warmup: 1, runs: 5 });
    callSink.value = sink;
    return (timing.medianMs * 1e6) / calls;
  } catch (error) {
    return `n/a (${describeError(error)})`;
  }
}

/** Runs the suite on one engine: compile time, correctness, execution time, call overhead. */
export function runSuite(ns: WasmNamespace, compile: CompileModule, options: SuiteOptions): SuiteResult {
  const selected = KERNELS.filter((k) => options.only === undefined || options.only.includes(k.name));
  const kernels = selected.map((kernel) => runKernel(ns, compile, kernel, options));
  return { kernels, callNs: measureCallOverhead(ns, compile, options.quick) };
}

/** `--quick` and `--only=a,b` from a command line. */
export function parseSuiteOptions(argv: readonly string[]): SuiteOptions {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  return only === undefined ? { quick: argv.includes('--quick') } : { quick: argv.includes('--quick'), only };
}
