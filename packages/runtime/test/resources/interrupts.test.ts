// What runs can be stopped (issue 12): a spinning `(loop (br 0))` stops when its worker is
// terminated, when the process exits, when another thread interrupts it, at a deadline and at an
// epoch deadline — each within well under a second — and the thread keeps working afterwards.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValType } from '@flint/decoder';
import { ModuleBuilder, op as wasm } from '@flint/decoder/testing';
import { Engine, Epoch, WebAssembly, registeredTiers } from '../../src/index.ts';
import { I32, buildModule, op, uleb } from '../helpers/module-builder.ts';
import { bundleRuntimeScript } from '../helpers/runtime-bundle.ts';

const onLinux = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');

// (func (export "spin") (loop (br 0))) and (func (export "recurse") (result i32) ... tail-free infinite mutual calls would overflow; a tail-call loop:)
// (func (export "tailSpin") (param i32) (return_call 1 (local.get 0)))
const SPIN = buildModule({
  types: [[[], []], [[I32], []]],
  funcs: [
    { type: 0, body: [0x03, 0x40, 0x0c, ...uleb(0), op.end], export: 'spin' },
    { type: 1, body: [op.localGet, ...uleb(0), 0x12, ...uleb(1)], export: 'tailSpin' },
    { type: 1, body: [], export: 'noop' },
  ],
});

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
import { WebAssembly, interrupt, Epoch } from '@flint/runtime';
if (workerData.mode === 'spin') {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(workerData.bytes), {});
  parentPort.postMessage('spinning');
  exports[workerData.entry](1);
} else if (workerData.mode === 'interrupt') {
  setTimeout(() => interrupt(workerData.handle), workerData.after);
} else if (workerData.mode === 'tick') {
  setTimeout(() => new Epoch(workerData.epoch).increment(), workerData.after);
}
`;

describe.skipIf(!onLinux)('stopping running code', () => {
  let worker: URL;
  beforeAll(async () => {
    worker = await bundleRuntimeScript('interrupt-worker', WORKER);
  }, 120_000);

  for (const entry of ['spin', 'tailSpin']) {
    it(`worker.terminate() stops a worker spinning in Wasm (${entry}) within a second`, async () => {
      const w = new Worker(worker, { workerData: { mode: 'spin', bytes: SPIN, entry } });
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, 100)); // it is in the loop now
      const started = performance.now();
      await w.terminate();
      expect(performance.now() - started).toBeLessThan(1000);
    }, 60_000);
  }

  it('process.exit() ends a process whose worker spins in Wasm', async () => {
    const script = await bundleRuntimeScript(
      'exit-child',
      `
import { Worker } from 'node:worker_threads';
const w = new Worker(new URL(${JSON.stringify(worker.href)}), { workerData: { mode: 'spin', bytes: new Uint8Array(${JSON.stringify([...SPIN])}), entry: 'spin' } });
w.once('message', () => setTimeout(() => process.exit(7), 100));
`,
    );
    const started = performance.now();
    const child = spawnSync(process.execPath, [fileURLToPath(script)], { timeout: 20_000, encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(7);
    expect(performance.now() - started).toBeLessThan(15_000); // includes Node's start-up and the bundle's load
  }, 60_000);

  it('another thread interrupts this thread through its handle; the engine keeps working', async () => {
    const engine = new Engine();
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(SPIN), {});
    const helper = new Worker(worker, { workerData: { mode: 'interrupt', handle: engine.interruptHandle, after: 200 } });
    await new Promise<void>((resolve) => helper.once('online', () => resolve()));
    engine.setDeadline(20_000); // a safety net: a test that spins forever would block vitest itself
    const started = performance.now();
    try {
      expect(() => (exports['spin'] as () => void)()).toThrow(/^interrupted: interrupted by the host$/);
    } finally {
      engine.setDeadline(null);
    }
    expect(performance.now() - started).toBeLessThan(5_000);
    await helper.terminate();
    (exports['noop'] as (x: number) => void)(1); // the thread runs Wasm again afterwards
  }, 60_000);

  it('a deadline stops the code, with the reason in the message', () => {
    const engine = new Engine();
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(SPIN), {});
    engine.setDeadline(100);
    const started = performance.now();
    try {
      expect(() => (exports['spin'] as () => void)()).toThrow(/^interrupted: deadline exceeded$/);
    } finally {
      engine.setDeadline(null);
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(performance.now() - started).toBeLessThan(2_000);
    (exports['noop'] as (x: number) => void)(1); // the thread runs Wasm again afterwards
  });

  it('an epoch deadline stops the code once another thread advanced the epoch', async () => {
    const engine = new Engine();
    const epoch = new Epoch();
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(SPIN), {});
    engine.setEpochDeadline(epoch, 1);
    const ticker = new Worker(worker, { workerData: { mode: 'tick', epoch: epoch.buffer, after: 150 } });
    await new Promise<void>((resolve) => ticker.once('online', () => resolve()));
    engine.setDeadline(20_000); // safety net, as above
    try {
      expect(() => (exports['spin'] as () => void)()).toThrow(/^interrupted: epoch deadline 1 reached$/);
    } finally {
      engine.setDeadline(null);
      engine.setEpochDeadline(null);
      await ticker.terminate();
    }
  }, 60_000);
});

// (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $a i64) (local $f f64)
//   (loop (a += extend_u(i) * 3) (f += 0.5) (i += 1) (br_if 0 (i <u n))) (a + trunc_s(f)))
// With n = 3,000,000 the countdown (2^20) runs out twice: the slow path runs with i, a, f and n live.
const SUM = (() => {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [ValType.I32], results: [ValType.I64] });
  const [n, i, a, f] = [0, 1, 2, 3];
  const f64Half = wasm('f64.const', 0.5);
  const body = [
    ...wasm('loop'),
    ...wasm('local.get', a), ...wasm('local.get', i), ...wasm('i64.extend_i32_u'), ...wasm('i64.const', 3n), ...wasm('i64.mul'), ...wasm('i64.add'), ...wasm('local.set', a),
    ...wasm('local.get', f), ...f64Half, ...wasm('f64.add'), ...wasm('local.set', f),
    ...wasm('local.get', i), ...wasm('i32.const', 1), ...wasm('i32.add'), ...wasm('local.tee', i),
    ...wasm('local.get', n), ...wasm('i32.lt_u'), ...wasm('br_if', 0),
    ...wasm('end'),
    ...wasm('local.get', a), ...wasm('local.get', f), ...wasm('i64.trunc_f64_s'), ...wasm('i64.add'),
    ...wasm('end'),
  ];
  const fn = b.addFunction(type, [{ count: 1, type: ValType.I32 }, { count: 1, type: ValType.I64 }, { count: 1, type: ValType.F64 }], body);
  b.addExport('sum', 0, fn);
  return b.toBytes();
})();

describe.skipIf(!onLinux)('interrupt polls in every tier', () => {
  for (const { name: tier } of registeredTiers()) {
    it(`${tier}: a deadline stops a spinning loop`, () => {
      const engine = new Engine();
      const { exports } = new WebAssembly.Instance(new WebAssembly.Module(SPIN, { tier }), {});
      engine.setDeadline(100);
      try {
        expect(() => (exports['spin'] as () => void)()).toThrow(/^interrupted: deadline exceeded$/);
      } finally {
        engine.setDeadline(null);
      }
    });

    it(`${tier}: a poll that lets the code go on keeps every value it holds`, () => {
      const engine = new Engine();
      engine.setDeadline(60_000); // armed, so every poll asks the runtime (and is answered "go on")
      try {
        const { exports } = new WebAssembly.Instance(new WebAssembly.Module(SUM, { tier }), {});
        const count = 3_000_000;
        const expected = (3n * BigInt(count) * BigInt(count - 1)) / 2n + BigInt(Math.floor(count / 2));
        expect((exports['sum'] as (n: number) => bigint)(count)).toBe(expected);
      } finally {
        engine.setDeadline(null);
      }
    });
  }
});
