// WebAssembly.Module objects posted to worker threads (structured clone): usable there through
// Flint's API, loaded without compiling again, each thread with its own store and instances.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, WebAssembly } from '../src/index.ts';
import { chainModule, chainResult } from './helpers/chain-module.ts';
import { bundleWorker } from './helpers/compile-worker-bundle.ts';
import { I32, buildModule, op, sleb } from './helpers/module-builder.ts';
import type { TransferReply, TransferRequest } from './helpers/module-transfer-worker.ts';

const isX64 = process.arch === 'x64' && process.platform === 'linux';
type Module = InstanceType<typeof WebAssembly.Module>;
type Fn = (...args: number[]) => number;

/** `bump()` adds 1 to a mutable global and returns it: state that must stay per instance. */
const counterBytes = buildModule({
  types: [[[], [I32]]],
  globals: [{ type: I32, mutable: true, init: [op.i32Const, ...sleb(100)] }],
  funcs: [{ type: 0, body: [op.globalGet, 0, op.i32Const, 1, op.i32Add, op.globalSet, 0, op.globalGet, 0], export: 'bump' }],
});

describe.skipIf(!isX64)('modules across threads (needs an x86-64 Linux host)', () => {
  let workerUrl: URL;
  const workers: Worker[] = [];
  beforeAll(async () => {
    workerUrl = await bundleWorker(new URL('./helpers/module-transfer-worker.ts', import.meta.url), 'module-transfer-worker');
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.terminate()));
    rmSync(dirname(fileURLToPath(workerUrl)), { recursive: true, force: true });
  });

  const startWorker = (): ((request: TransferRequest) => Promise<TransferReply>) => {
    const worker = new Worker(workerUrl);
    workers.push(worker);
    return (request) =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(request);
      });
  };

  it('a posted Module arrives as a SharedArrayBuffer and runs in several workers without being compiled again', async () => {
    const bytes = chainModule({ functions: 40, padding: 5 });
    const module = new WebAssembly.Module(bytes);
    expect(Object.prototype.toString.call(module)).toBe('[object WebAssembly.Module]');
    expect(Object.keys(module)).toEqual([]);
    const calls = Array.from({ length: 3 }, startWorker);
    const replies = await Promise.all(calls.map((call, i) => call({ kind: 'call', module, name: 'f39', args: [i], times: 1 })));
    replies.forEach((reply, i) => {
      expect(reply).toEqual({ ok: true, received: '[object SharedArrayBuffer]', exports: expect.arrayContaining(['f0', 'f39']), results: [chainResult(39, i, 5)] });
    });
  });

  it('each thread instantiates with its own state', async () => {
    const module = new WebAssembly.Module(counterBytes);
    const [a, b] = [startWorker(), startWorker()];
    const local = new WebAssembly.Instance(module, {}).exports['bump'] as Fn;
    expect([local(), local()]).toEqual([101, 102]);
    const [ra, rb] = await Promise.all([a({ kind: 'call', module, name: 'bump', args: [], times: 3 }), b({ kind: 'call', module, name: 'bump', args: [], times: 2 })]);
    expect(ra).toMatchObject({ ok: true, results: [101, 102, 103] });
    expect(rb).toMatchObject({ ok: true, results: [101, 102] });
    expect(local()).toBe(103);
  });

  it('instantiate(received) resolves to an Instance, as for a Module', async () => {
    const reply = await startWorker()({ kind: 'instantiate-async', module: WebAssembly.Module.fromCompiled(new Engine().compile(counterBytes)), name: 'bump', args: [] });
    expect(reply).toMatchObject({ ok: true, results: [101] });
  });

  it('a module posted back from a worker is the module this thread already has', async () => {
    const module = new WebAssembly.Module(counterBytes);
    const reply = await startWorker()({ kind: 'post-back', module });
    expect(reply.ok).toBe(true);
    const returned = (reply as { module: unknown }).module;
    expect(Object.prototype.toString.call(returned)).toBe('[object SharedArrayBuffer]');
    const revived = new WebAssembly.Module(returned as SharedArrayBuffer);
    expect(revived).not.toBe(module);
    expect(((new WebAssembly.Instance(revived).exports['bump']) as Fn)()).toBe(101);
    expect(WebAssembly.Module.exports(returned as Module)).toEqual([{ name: 'bump', kind: 'function' }]);
  });

  it('a lazily compiled module carries no code: the receiver makes its own stubs, functions compile on first call', async () => {
    const module = new WebAssembly.Module(chainModule({ functions: 5, padding: 1 }), { lazy: true } as never);
    const reply = await startWorker()({ kind: 'call', module, name: 'f4', args: [3], times: 2 });
    expect(reply).toMatchObject({ ok: true, results: [chainResult(4, 3, 1), chainResult(4, 3, 1)] });
  });

  it('structuredClone in the same thread gives a buffer that works as the module', () => {
    const module = new WebAssembly.Module(counterBytes);
    const clone = structuredClone(module) as unknown as Module;
    expect(clone).not.toBeInstanceOf(WebAssembly.Module);
    expect(((new WebAssembly.Instance(clone).exports['bump']) as Fn)()).toBe(101);
  });

  it('other SharedArrayBuffers stay module bytes or TypeErrors, never modules', () => {
    const plain = new SharedArrayBuffer(counterBytes.length);
    new Uint8Array(plain).set(counterBytes);
    expect(WebAssembly.Module.exports(new WebAssembly.Module(plain))).toEqual([{ name: 'bump', kind: 'function' }]);
    expect(() => new WebAssembly.Instance(plain as never)).toThrow(TypeError);
    const forged = new SharedArrayBuffer(64);
    new Uint8Array(forged).set([...'FLNTCODE'].map((c) => c.charCodeAt(0)));
    expect(() => new WebAssembly.Instance(forged as never)).toThrow(/^code cache format 0 is not this engine's format/);
  });
});
