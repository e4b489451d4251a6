// A worker thread of the module-transfer tests (bundled from sources with the runtime, see
// compile-worker-bundle.ts). It receives WebAssembly.Module objects posted by the main thread —
// which arrive as SharedArrayBuffers — uses them through Flint's API, and reports back. Compiling
// a module (Engine#compile, #compileAsync) is made to fail, so a reply proves the module was
// loaded without being compiled again.

import { parentPort } from 'node:worker_threads';
import { Engine, WebAssembly } from '../../src/index.ts';

export type TransferRequest =
  | { readonly kind: 'call'; readonly module: unknown; readonly name: string; readonly args: number[]; readonly times: number }
  | { readonly kind: 'instantiate-async'; readonly module: unknown; readonly name: string; readonly args: number[] }
  | { readonly kind: 'post-back'; readonly module: unknown };

export type TransferReply =
  | { readonly ok: true; readonly received: string; readonly exports: string[]; readonly results: number[]; readonly module?: unknown }
  | { readonly ok: false; readonly error: string };

Engine.prototype.compile = () => {
  throw new Error('the worker compiled the module again');
};
Engine.prototype.compileAsync = () => Promise.reject(new Error('the worker compiled the module again'));

type Fn = (...args: number[]) => number;

parentPort!.on('message', async (request: TransferRequest) => {
  try {
    const received = Object.prototype.toString.call(request.module);
    const exports = WebAssembly.Module.exports(request.module as InstanceType<typeof WebAssembly.Module>).map((e) => e.name);
    let reply: TransferReply;
    switch (request.kind) {
      case 'call': {
        const instance = new WebAssembly.Instance(request.module as InstanceType<typeof WebAssembly.Module>, {});
        const fn = instance.exports[request.name] as Fn;
        const results = Array.from({ length: request.times }, () => fn(...request.args));
        reply = { ok: true, received, exports, results };
        break;
      }
      case 'instantiate-async': {
        const instance = await WebAssembly.instantiate(request.module as InstanceType<typeof WebAssembly.Module>, {});
        reply = { ok: true, received, exports, results: [(instance.exports[request.name] as Fn)(...request.args)] };
        break;
      }
      case 'post-back': {
        // A Module object made here from the received buffer, posted on.
        reply = { ok: true, received, exports, results: [], module: new WebAssembly.Module(request.module as SharedArrayBuffer) };
        break;
      }
    }
    parentPort!.postMessage(reply);
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: `${(error as Error).name}: ${(error as Error).message}` } satisfies TransferReply);
  }
});
