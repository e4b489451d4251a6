// The JS API: a namespace shaped like the standard `WebAssembly`, so code written for it runs on
// Flint by swapping the namespace (`import { WebAssembly } from '@flint/runtime'`, or assigning
// it to `globalThis.WebAssembly`). The interfaces live in their own files (module.ts,
// instance.ts, memory.ts, table.ts, global.ts, tag.ts); this file holds the namespace's
// operations and builds the namespace object through webidl.ts, which gives every member the
// property attributes WebIDL specifies.
// https://webassembly.github.io/spec/js-api/
//
// `compile`/`instantiate`/`compileStreaming` compile on the engine's compile pool (function
// bodies compile while the response is still arriving); `new Module` compiles synchronously on
// this thread (see engine.ts for why).

import { viewBufferSource } from '../bytes.ts';
import { CompileError, LinkError, RuntimeError } from '../errors.ts';
import { exportedFunction, functionHandleOf, jsApiEngine } from './exported-function.ts';
import { Global } from './global.ts';
import { Instance, instanceFromImports, optionalObject, readImports } from './instance.ts';
import { Memory } from './memory.ts';
import { Module, compiledModuleOf, isModuleObject, readCompileOptions, type BufferInput } from './module.ts';
import { Table } from './table.ts';
import { Exception, Tag, getJSTag } from './tag.ts';
import { createNamespace, requireArguments } from './webidl.ts';

export type { BufferInput } from './module.ts';

function validate(bytes: BufferInput, options?: object): boolean {
  requireArguments(arguments.length, 1, 'WebAssembly.validate()');
  const source = viewBufferSource(bytes, 'WebAssembly.validate(): Argument 0');
  try {
    readCompileOptions(options, 'WebAssembly.validate(): Argument 1');
  } catch (error) {
    if (error instanceof CompileError) return false;
    throw error;
  }
  return jsApiEngine().validate(source);
}

async function compile(bytes: BufferInput, options?: object): Promise<Module> {
  requireArguments(arguments.length, 1, 'WebAssembly.compile()');
  const source = viewBufferSource(bytes, 'WebAssembly.compile(): Argument 0');
  const compileOptions = readCompileOptions(options, 'WebAssembly.compile(): Argument 1');
  return Module.fromCompiled(await jsApiEngine().compileAsync(source, compileOptions));
}

/**
 * Both overloads: a Module resolves to an Instance; bytes resolve to `{ module, instance }`. The
 * imports are read before the promise settles (after compiling, for bytes), as the spec orders it.
 */
function instantiate(source: Module, importObject?: object): Promise<Instance>;
function instantiate(source: BufferInput, importObject?: object, options?: object): Promise<{ module: Module; instance: Instance }>;
async function instantiate(source: BufferInput | Module, importObject?: object, options?: object): Promise<Instance | { module: Module; instance: Instance }> {
  requireArguments(arguments.length, 1, 'WebAssembly.instantiate()');
  if (isModuleObject(source)) return instantiateObject(source as Module, importObject);
  const bytes = viewBufferSource(source, 'WebAssembly.instantiate(): Argument 0');
  const compileOptions = readCompileOptions(options, 'WebAssembly.instantiate(): Argument 2');
  const module = Module.fromCompiled(await jsApiEngine().compileAsync(bytes, compileOptions));
  return { module, instance: await instantiateObject(module, importObject) };
}

/** "Asynchronously instantiate a WebAssembly module": imports read now, instantiation in a later task. */
async function instantiateObject(module: Module, importObject: unknown): Promise<Instance> {
  const compiled = compiledModuleOf(module, 'WebAssembly.instantiate(): Argument 0');
  const imports = readImports(compiled, optionalObject(importObject, 'WebAssembly.instantiate(): Argument 1'));
  await new Promise<void>((resolve) => setImmediate(resolve));
  return instanceFromImports(compiled, imports);
}

/**
 * Compiles the response body as it arrives. As the JS API requires, the response must be OK and
 * its bytes unused; its Content-Type is not checked (local files served without one are common).
 * https://webassembly.github.io/spec/web-api/#compile-a-potential-webassembly-response
 */
async function compileStreaming(source: Response | PromiseLike<Response>): Promise<Module> {
  requireArguments(arguments.length, 1, 'WebAssembly.compileStreaming()');
  const response = await source;
  if (typeof response !== 'object' || response === null || typeof (response as Partial<Response>).arrayBuffer !== 'function') {
    throw new TypeError('WebAssembly.compileStreaming expects a Response');
  }
  if (!response.ok) throw new TypeError(`WebAssembly.compileStreaming: response status ${response.status} is not OK`);
  if (response.bodyUsed) throw new TypeError('WebAssembly.compileStreaming: the response body was already used');
  const body = response.body;
  // The response's URL names the module in stack traces, as in V8.
  const options = { url: response.url };
  const compiled = body === null ? await jsApiEngine().compileAsync(new Uint8Array(0), options) : await jsApiEngine().compileStreaming(body, options);
  return Module.fromCompiled(compiled);
}

async function instantiateStreaming(source: Response | PromiseLike<Response>, importObject?: object): Promise<{ module: Module; instance: Instance }> {
  requireArguments(arguments.length, 1, 'WebAssembly.instantiateStreaming()');
  const module = await compileStreaming(source);
  return { module, instance: await instantiateObject(module, importObject) };
}

// The error constructors implement the NativeError structure; WebIDL's namespace installs them
// like interfaces (not enumerable) and their prototypes carry no toStringTag.
for (const error of [CompileError, LinkError, RuntimeError]) {
  Object.defineProperty(error, 'name', { value: error.name, writable: false, enumerable: false, configurable: true });
}

interface WebAssemblyNamespace {
  readonly Module: typeof Module;
  readonly Instance: typeof Instance;
  readonly Memory: typeof Memory;
  readonly Table: typeof Table;
  readonly Global: typeof Global;
  readonly Tag: typeof Tag;
  readonly Exception: typeof Exception;
  readonly CompileError: typeof CompileError;
  readonly LinkError: typeof LinkError;
  readonly RuntimeError: typeof RuntimeError;
  readonly JSTag: Tag;
  readonly validate: typeof validate;
  readonly compile: typeof compile;
  readonly instantiate: typeof instantiate;
  readonly compileStreaming: typeof compileStreaming;
  readonly instantiateStreaming: typeof instantiateStreaming;
}

/** The namespace, shaped like the standard `WebAssembly` (WebIDL's namespace object). */
export const WebAssembly = createNamespace({
  toStringTag: 'WebAssembly',
  interfaces: { Module, Instance, Memory, Table, Global, Tag, Exception, CompileError, LinkError, RuntimeError },
  operations: {
    validate: [validate, 1],
    compile: [compile, 1],
    instantiate: [instantiate, 1],
    compileStreaming: [compileStreaming, 1],
    instantiateStreaming: [instantiateStreaming, 1],
  },
  attributes: { JSTag: getJSTag },
}) as WebAssemblyNamespace;

export { Exception, Global, Instance, Memory, Module, Table, Tag };
export { exportedFunction, functionHandleOf, jsApiEngine };
