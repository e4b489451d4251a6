// A caller's bytes are the caller's (issue 10, items 4 and 5): every way in copies the input
// once, accepts every BufferSource container (Buffer pooled or not, views with an offset,
// ArrayBuffer, SharedArrayBuffer, DataView), never detaches or keeps it, and later mutation of the
// input changes nothing — in eager and lazy mode, through the worker pool and the module cache.
import { mkdtempSync, readFileSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, WebAssembly } from '../../src/index.ts';
import { bundleCompileWorker } from '../helpers/compile-worker-bundle.ts';
import { I64, buildModule, op, sleb } from '../helpers/module-builder.ts';

const onHost = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');
const ANSWER = 0x1234n;

/** `f() -> i64` returning ANSWER, plus a data segment that makes the module larger than `size`. */
function moduleOf(dataBytes: number): Uint8Array {
  return buildModule({
    types: [[[], [I64]]],
    funcs: [{ type: 0, body: [op.i64Const, ...sleb(Number(ANSWER))], export: 'f' }],
    memory: [1],
    datas: [{ offset: 0, bytes: Array.from({ length: dataBytes }, (_, i) => (i * 7) & 0xff) }],
  });
}
const large = moduleOf(6000); // over Node's 4 KiB pool threshold
const small = moduleOf(16); // pooled when made with Buffer.from

/** Where the i64.const immediate of `f` sits in the module (its first byte). */
function constOffset(bytes: Uint8Array): number {
  const pattern = [op.i64Const, ...sleb(Number(ANSWER))];
  for (let at = 0; at < bytes.length; at++) if (pattern.every((b, k) => bytes[at + k] === b)) return at + 1;
  throw new Error('constant not found');
}

const dir = mkdtempSync(join(tmpdir(), 'flint-bytes-'));
const file = join(dir, 'large.wasm');
writeFileSync(file, large);

/** Every BufferSource container of `bytes`, each a fresh one. */
function containers(bytes: Uint8Array): [string, () => ArrayBuffer | SharedArrayBuffer | ArrayBufferView][] {
  return [
    ['fs.readFileSync Buffer', () => (bytes === large ? readFileSync(file) : Buffer.from(bytes))],
    ['pooled Buffer', () => Buffer.from(bytes)],
    ['Uint8Array view at an offset', () => {
      const backing = new Uint8Array(bytes.length + 64);
      backing.set(bytes, 32);
      return new Uint8Array(backing.buffer, 32, bytes.length);
    }],
    ['ArrayBuffer', () => bytes.slice().buffer],
    ['SharedArrayBuffer', () => {
      const shared = new SharedArrayBuffer(bytes.length);
      new Uint8Array(shared).set(bytes);
      return shared;
    }],
    ['DataView at an offset', () => {
      const backing = new Uint8Array(bytes.length + 8);
      backing.set(bytes, 8);
      return new DataView(backing.buffer, 8, bytes.length);
    }],
  ];
}

function bytesOf(source: ArrayBuffer | SharedArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
}

const callF = (instance: { exports: Record<string, unknown> }): bigint => (instance.exports['f'] as () => bigint)();

describe.skipIf(!onHost)('the caller keeps its bytes', () => {
  for (const bytes of [large, small]) {
    for (const [name, make] of containers(bytes)) {
      it(`${bytes.length}-byte module from a ${name}: validate, Module, compile and instantiate work and leave it intact`, async () => {
        const source = make();
        const before = bytesOf(source).slice();
        expect(WebAssembly.validate(source)).toBe(true);
        expect(callF(new WebAssembly.Instance(new WebAssembly.Module(source), {}))).toBe(ANSWER);
        expect(callF(new WebAssembly.Instance(await WebAssembly.compile(source), {}))).toBe(ANSWER);
        expect(callF((await WebAssembly.instantiate(source, {})).instance)).toBe(ANSWER);
        expect(bytesOf(source)).toEqual(before); // not detached, not emptied, not changed
      });
    }
  }

  for (const lazy of [false, true]) {
    it(`mutating the input after compiling has no effect (${lazy ? 'lazy' : 'eager'}), and the module cache keys the bytes compiled`, () => {
      const input = Buffer.from(large);
      const at = constOffset(input);
      const module = new WebAssembly.Module(input, { lazy });
      input[at]! ^= 1; // now i64.const ANSWER ^ 1 (the low LEB128 bit): the function was validated with ANSWER
      expect(callF(new WebAssembly.Instance(module, {}))).toBe(ANSWER); // lazily compiled at this first call
      // The mutated bytes are another module, not the cached one.
      expect(callF(new WebAssembly.Instance(new WebAssembly.Module(input, { lazy }), {}))).toBe(ANSWER ^ 1n);
      expect(callF(new WebAssembly.Instance(new WebAssembly.Module(large, { lazy }), {}))).toBe(ANSWER);
    });
  }
});

describe.skipIf(!onHost)('the caller keeps its bytes through the compile pool', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = new Engine({ compileWorkerUrl: await bundleCompileWorker(), compileWorkers: 2 });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });
  const run = (compiled: Parameters<typeof WebAssembly.Module.fromCompiled>[0]) => callF(new WebAssembly.Instance(WebAssembly.Module.fromCompiled(compiled), {}));

  it('compileAsync of a file Buffer compiles on workers and leaves the Buffer whole', async () => {
    const buffer = readFileSync(file);
    const promise = engine.compileAsync(buffer);
    const at = constOffset(buffer);
    buffer[at]! ^= 1; // mutated after the call returned: the copy was taken before
    expect(run(await promise)).toBe(ANSWER);
    expect(buffer.length).toBe(large.length);
    expect(buffer.buffer.byteLength).toBeGreaterThanOrEqual(large.length);
  });

  it('compileStreaming of a file stream (pooled Buffer chunks) leaves every chunk whole', async () => {
    const chunks: Buffer[] = [];
    const stream = createReadStream(file, { highWaterMark: 1024 }).on('data', (chunk) => chunks.push(chunk as Buffer));
    const compiled = await engine.compileStreaming(Readable.toWeb(stream) as ReadableStream<Uint8Array>);
    expect(run(compiled)).toBe(ANSWER);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(large));
    for (const chunk of chunks) expect(chunk.buffer.byteLength).toBeGreaterThan(0);
  });

  it('WebAssembly.compileStreaming of a Response over a file stream works (the bug that broke sql.js)', async () => {
    const response = new Response(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, { headers: { 'content-type': 'application/wasm' } });
    expect(callF(new WebAssembly.Instance(await WebAssembly.compileStreaming(response), {}))).toBe(ANSWER);
  });
});
