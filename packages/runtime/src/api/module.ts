// WebAssembly.Module: a compiled module. The [[Module]] slot is the engine's CompiledModule,
// held in a WeakMap so that a Module object has no own properties.
// https://webassembly.github.io/spec/js-api/#modules
//
// Modules across threads (ADR 0017): a Module object is itself a SharedArrayBuffer — holding the
// module's code-cache container (module bytes and unrelocated code, code/serialize.ts) — whose
// prototype is Module.prototype. Structured clone (`postMessage`) keeps no prototype and no
// private state, but it does share a SharedArrayBuffer's memory, so a posted module arrives in
// the other thread as a plain SharedArrayBuffer over the same container, without a copy. Flint's
// API recognises such a buffer wherever a Module is expected (`new Instance`, `instantiate`,
// `Module.exports`…, and `new Module(received)`) and loads its code into the receiving thread's
// own store without compiling (once per buffer). Node's own WebAssembly does the same through
// V8's serializer; this is the only channel structured clone leaves to a library.

import { isSharedArrayBuffer } from 'node:util/types';
import { copyBufferSource, viewBufferSource } from '../bytes.ts';
import { CodeCacheError, isCodeCache, readCodeCache } from '../code/serialize.ts';
import type { CompiledModule, CompileOptions } from '../code/module.ts';
import { UnsupportedFeatureError } from '../compile/features.ts';
import { CompileError } from '../errors.ts';
import { jsApiEngine } from './exported-function.ts';
import { dictionary, installInterface, member, requireArguments, toBoolean, toDOMString } from './webidl.ts';

/** Bytes as the JS API accepts them (a `BufferSource`). */
export type BufferInput = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/**
 * The standard `WebAssemblyCompileOptions` and Flint's own members (`tier`, `lazy`), which
 * standard code never passes.
 */
export interface ModuleCompileOptions extends CompileOptions {
  readonly builtins?: readonly string[];
  readonly importedStringConstants?: string | null;
}

const moduleSlots = new WeakMap<object, CompiledModule>();

/**
 * Reads a `WebAssemblyCompileOptions` dictionary (members in lexicographic order) into the
 * engine's compile options. JS String Builtins are a proposal Flint does not implement: asking
 * for them is a CompileError naming the feature (as for any feature the engine cannot run, see
 * compile/features.ts), so `validate` answers false, rather than silently compiling a module
 * whose imports would then not link.
 */
export function readCompileOptions(value: unknown, what: string): CompileOptions {
  const dict = dictionary(value, what);
  const builtins = member(dict, 'builtins');
  if (builtins !== undefined) {
    const names = sequenceOfStrings(builtins, `${what}: builtins`);
    if (new Set(names).size !== names.length) throw new CompileError(`${what}: builtins lists a builtin set twice`, 0);
    if (names.length > 0) throw new UnsupportedFeatureError('js-string-builtins', 0);
  }
  const importedStringConstants = member(dict, 'importedStringConstants');
  if (importedStringConstants !== undefined && importedStringConstants !== null) {
    toDOMString(importedStringConstants);
    throw new UnsupportedFeatureError('js-string-builtins', 0);
  }
  const lazy = member(dict, 'lazy');
  const tier = member(dict, 'tier');
  return { ...(lazy !== undefined ? { lazy: toBoolean(lazy) } : {}), ...(tier !== undefined ? { tier: toDOMString(tier) } : {}) };
}

function sequenceOfStrings(value: unknown, what: string): string[] {
  if (typeof value !== 'object' || value === null || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what} must be a sequence`);
  }
  return Array.from(value as Iterable<unknown>, toDOMString);
}

export class Module {
  /** Type-level only: makes Module nominal, so that arbitrary objects do not type-check as one. */
  declare private readonly moduleBrand: never;

  /**
   * `options` may carry Flint's `tier` and `lazy`; standard code passes only the bytes. A module
   * posted from another thread (a SharedArrayBuffer, see above) is loaded instead of compiled.
   */
  constructor(bytes: BufferInput, options?: ModuleCompileOptions) {
    requireArguments(arguments.length, 1, 'WebAssembly.Module()');
    const received = transferredModule(bytes);
    let compiled: CompiledModule;
    if (received !== null) {
      compiled = received;
    } else {
      const source = viewBufferSource(bytes, 'WebAssembly.Module(): Argument 0');
      compiled = jsApiEngine().compile(source, readCompileOptions(options, 'WebAssembly.Module(): Argument 1'));
    }
    return moduleObject(compiled, new.target);
  }

  /** A Module object for a module the engine compiled (Flint's own entry; not enumerable). */
  static fromCompiled(compiled: CompiledModule): Module {
    return moduleObject(compiled, Module);
  }

  static exports(moduleObject: Module): { name: string; kind: string }[] {
    requireArguments(arguments.length, 1, 'WebAssembly.Module.exports()');
    return compiledModuleOf(moduleObject, 'WebAssembly.Module.exports(): Argument 0').exportDescriptors();
  }

  static imports(moduleObject: Module): { module: string; name: string; kind: string }[] {
    requireArguments(arguments.length, 1, 'WebAssembly.Module.imports()');
    return compiledModuleOf(moduleObject, 'WebAssembly.Module.imports(): Argument 0').importDescriptors();
  }

  static customSections(moduleObject: Module, sectionName: string): ArrayBuffer[] {
    requireArguments(arguments.length, 2, 'WebAssembly.Module.customSections()');
    const compiled = compiledModuleOf(moduleObject, 'WebAssembly.Module.customSections(): Argument 0');
    return compiled.customSections(toDOMString(sectionName));
  }
}

installInterface(Module, {
  name: 'Module',
  length: 1,
  toStringTag: 'WebAssembly.Module',
  statics: { exports: 1, imports: 1, customSections: 2 },
});

/**
 * A Module object: a new SharedArrayBuffer object over the compiled module's container (made
 * once per compiled module; each object shares its memory), with `newTarget`'s prototype.
 */
function moduleObject(compiled: CompiledModule, newTarget: Function): Module {
  const object = structuredClone(compiled.transferable()) as object;
  Object.setPrototypeOf(object, (newTarget as { prototype: object }).prototype);
  moduleSlots.set(object, compiled);
  return object as Module;
}

/** Modules received from other threads, loaded once per buffer object of this thread. */
const received = new WeakMap<SharedArrayBuffer, CompiledModule>();

/**
 * The compiled module of a module posted from another thread (a SharedArrayBuffer holding a
 * code-cache container), loaded into this thread's store; null for any other value. Its code is
 * placed without compiling; when it cannot be used here (a lazily compiled module carries none,
 * or another engine configuration), its module bytes are compiled.
 */
export function transferredModule(value: unknown): CompiledModule | null {
  if (!isSharedArrayBuffer(value) || moduleSlots.has(value)) return null;
  const known = received.get(value);
  if (known !== undefined) return known;
  const container = new Uint8Array(value);
  if (!isCodeCache(container)) return null;
  const engine = jsApiEngine();
  let compiled: CompiledModule;
  try {
    compiled = engine.deserialize(container);
    compiled.adoptTransferable(value);
  } catch (error) {
    if (!(error instanceof CodeCacheError)) throw error;
    const moduleBytes = readCodeCache(copyBufferSource(container)).moduleBytes;
    if (moduleBytes === null) throw error;
    compiled = engine.compile(moduleBytes);
  }
  received.set(value, compiled);
  return compiled;
}

/** The compiled module behind a Module object (or a module posted from another thread), or a TypeError naming `what`. */
export function compiledModuleOf(value: unknown, what: string): CompiledModule {
  const compiled = (typeof value === 'object' && value !== null ? moduleSlots.get(value) : undefined) ?? transferredModule(value);
  if (compiled === null || compiled === undefined) throw new TypeError(`${what} must be a WebAssembly.Module`);
  return compiled;
}

/** True when `value` is a Module object (has the [[Module]] slot) or a module posted from another thread. */
export function isModuleObject(value: unknown): boolean {
  return (typeof value === 'object' && value !== null && moduleSlots.has(value)) || transferredModule(value) !== null;
}
