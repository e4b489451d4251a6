// WebAssembly.Module: a compiled module. The [[Module]] slot is the engine's CompiledModule,
// held in a WeakMap so that a Module object has no own properties.
// https://webassembly.github.io/spec/js-api/#modules

import { viewBufferSource } from '../bytes.ts';
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

  /** `options` may carry Flint's `tier` and `lazy`; standard code passes only the bytes. */
  constructor(bytes: BufferInput, options?: ModuleCompileOptions) {
    requireArguments(arguments.length, 1, 'WebAssembly.Module()');
    const source = viewBufferSource(bytes, 'WebAssembly.Module(): Argument 0');
    const compileOptions = readCompileOptions(options, 'WebAssembly.Module(): Argument 1');
    moduleSlots.set(this, jsApiEngine().compile(source, compileOptions));
  }

  /** A Module object for a module the engine compiled (Flint's own entry; not enumerable). */
  static fromCompiled(compiled: CompiledModule): Module {
    const module = Object.create(Module.prototype) as Module;
    moduleSlots.set(module, compiled);
    return module;
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

/** The compiled module behind a Module object, or a TypeError naming `what`. */
export function compiledModuleOf(value: unknown, what: string): CompiledModule {
  const compiled = typeof value === 'object' && value !== null ? moduleSlots.get(value) : undefined;
  if (compiled === undefined) throw new TypeError(`${what} must be a WebAssembly.Module`);
  return compiled;
}

/** True when `value` is a Module object (has the [[Module]] slot). */
export function isModuleObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && moduleSlots.has(value);
}
