// A module's script: its URL (from the response it was fetched with, or the caller) and its
// source-map URL (the `sourceMappingURL` custom section), as V8 keeps them for stack traces and
// debuggers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, nameBytes, op } from '@flint/decoder/testing';
import { Engine, WebAssembly, wasmFramesOf } from '../../src/index.ts';
import { sourceMappingUrl } from '../../src/observe/script.ts';
import { decodeModule } from '@flint/decoder';

/** A module whose export `trap` traps, with a `sourceMappingURL` section when `sourceMap` is given. */
function module(sourceMap?: string): Uint8Array {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [], results: [ValType.I32] });
  const f = b.addFunction(type, [], [...op('unreachable'), ...op('end')]);
  b.addExport('trap', ExternKind.Func, f);
  if (sourceMap !== undefined) b.addCustomSection('sourceMappingURL', nameBytes(sourceMap));
  return b.toBytes();
}

describe('scripts', () => {
  const engine = new Engine({ compileWorkers: 0 });
  afterAll(() => engine.close());

  it('expose the sourceMappingURL custom section', () => {
    expect(engine.compile(module('app.wasm.map')).script.sourceMapUrl).toBe('app.wasm.map');
    expect(engine.compile(module('https://cdn.example/ünï.map')).script.sourceMapUrl).toBe('https://cdn.example/ünï.map');
    expect(engine.compile(module()).script.sourceMapUrl).toBeNull();
  });

  it('ignore a malformed sourceMappingURL section instead of failing the module', () => {
    const b = new ModuleBuilder();
    b.addCustomSection('sourceMappingURL', [0x05, 0x61]); // says 5 bytes, has 1
    expect(sourceMappingUrl(decodeModule(b.toBytes()))).toBeNull();
    const invalidUtf8 = new ModuleBuilder();
    invalidUtf8.addCustomSection('sourceMappingURL', [0x01, 0xff]);
    expect(sourceMappingUrl(decodeModule(invalidUtf8.toBytes()))).toBeNull();
  });

  it('are named wasm://wasm/<hash> without a URL, and by the URL given when compiling', () => {
    const bytes = module();
    const anonymous = engine.compile(bytes).script;
    expect(anonymous.url).toMatch(/^wasm:\/\/wasm\/[0-9a-f]{8}$/);
    expect(anonymous.sourceUrl).toBeNull();
    const named = engine.compile(bytes, { url: 'file:///srv/app.wasm' }).script;
    expect([named.url, named.sourceUrl]).toEqual(['file:///srv/app.wasm', 'file:///srv/app.wasm']);
    expect(named.id).not.toBe(anonymous.id);
  });

  describe('WebAssembly.compileStreaming', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/wasm' });
        response.end(module(request.url === '/mapped.wasm' ? 'mapped.wasm.map' : undefined));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('names the module by the response URL, which stack traces then show', async () => {
      const url = `${base}/mapped.wasm`;
      const compiled = await WebAssembly.compileStreaming(fetch(url));
      const instance = await WebAssembly.instantiate(compiled);
      let error: unknown;
      try {
        (instance.exports['trap'] as () => number)();
      } catch (e) {
        error = e;
      }
      const [frame] = wasmFramesOf(error);
      expect(frame!.script.url).toBe(url);
      expect(frame!.script.sourceMapUrl).toBe('mapped.wasm.map');
      expect(String((error as Error).stack).split('\n')[1]).toBe(`    at ${url}:wasm-function[0]:0x${frame!.offset.toString(16)}`);
    });

    it('keeps the wasm:// name for a Response made in JS (its URL is empty)', async () => {
      const compiled = await WebAssembly.compileStreaming(new Response(module(), { headers: { 'content-type': 'application/wasm' } }));
      const instance = await WebAssembly.instantiate(compiled);
      let error: unknown;
      try {
        (instance.exports['trap'] as () => number)();
      } catch (e) {
        error = e;
      }
      expect(wasmFramesOf(error)[0]!.script.url).toMatch(/^wasm:\/\/wasm\/[0-9a-f]{8}$/);
    });
  });
});
