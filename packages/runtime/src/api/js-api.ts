// The JS API: a namespace shaped like the standard `WebAssembly`, so code written for it runs on
// Flint by swapping the namespace (`import { WebAssembly } from '@flint/runtime'`).
// https://webassembly.github.io/spec/js-api/
//
// `compile`/`instantiate`/`compileStreaming` compile on the engine's compile pool (function
// bodies compile while the response is still arriving); `new Module` compiles synchronously on
// this thread (see engine.ts for why). Temporary choice: a grown memory's old ArrayBuffer is not
// detached (native buffers cannot be).

import { ExternKind, FUNCREF, EXTERNREF, ValType, type GlobalType, type Limits, type TableType } from '@flint/decoder';
import { CompileError, LinkError, RuntimeError } from '../errors.ts';
import type { ExternValue } from '../instance/extern.ts';
import { GlobalInstance } from '../instance/global.ts';
import { hostFunctionHandle } from '../instance/host-functions.ts';
import type { Instance as EngineInstance } from '../instance/instance.ts';
import { instantiate as instantiateModule } from '../instance/instantiate.ts';
import { toJSValue, toStoredWebAssemblyValue } from './js-values.ts';
import { viewBufferSource } from '../bytes.ts';
import { exportedFunction, functionHandleOf, jsApiEngine, store } from './exported-function.ts';
import { linkError } from '../instance/link.ts';
import { MemoryInstance } from '../instance/memory.ts';
import type { CompiledModule, CompileOptions } from '../code/module.ts';
import { TableInstance } from '../instance/table.ts';
import { defaultValue } from '../instance/values.ts';

/** Bytes as the JS API accepts them (a `BufferSource`). */
export type BufferInput = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

// JS objects and the engine objects behind them; each engine object has one JS object.
const memoryObjects = new WeakMap<MemoryInstance, Memory>();
const tableObjects = new WeakMap<TableInstance, Table>();
const globalObjects = new WeakMap<GlobalInstance, Global>();


export class Module {
  /** @internal */ readonly compiled: CompiledModule;

  /** `options` is a Flint extension (tier, lazy); standard code passes only the bytes. */
  constructor(bytes: BufferInput, options?: CompileOptions) {
    this.compiled = jsApiEngine().compile(viewBufferSource(bytes, 'WebAssembly.Module(): Argument 0'), options);
  }

  /** @internal */
  static fromCompiled(compiled: CompiledModule): Module {
    const module = Object.create(Module.prototype) as Module;
    (module as { compiled: CompiledModule }).compiled = compiled;
    return module;
  }

  static imports(module: Module): { module: string; name: string; kind: string }[] {
    return module.compiled.importDescriptors();
  }

  static exports(module: Module): { name: string; kind: string }[] {
    return module.compiled.exportDescriptors();
  }

  static customSections(module: Module, sectionName: string): ArrayBuffer[] {
    return module.compiled.customSections(String(sectionName));
  }
}

export class Instance {
  readonly exports: Record<string, unknown>;
  /** @internal */ readonly engineInstance: EngineInstance;

  constructor(module: Module, importObject?: object) {
    if (!(module instanceof Module)) throw new TypeError('WebAssembly.Instance expects a WebAssembly.Module');
    const compiled = module.compiled;
    const imports = readImports(compiled, importObject);
    this.engineInstance = instantiateModule(store(), compiled, imports);
    this.exports = exportsObject(this.engineInstance);
  }
}

/** The JS API's "read the imports": one external value per import, or a TypeError / LinkError. */
function readImports(compiled: CompiledModule, importObject: object | undefined): ExternValue[] {
  const imports = compiled.module.imports;
  if (imports.length > 0 && (importObject === undefined || importObject === null || typeof importObject !== 'object')) {
    throw new TypeError('the module has imports, but no import object was given');
  }
  const s = store();
  return imports.map((imp, index): ExternValue => {
    const namespace = (importObject as Record<string, unknown>)[imp.module];
    if (namespace === null || (typeof namespace !== 'object' && typeof namespace !== 'function')) {
      throw new TypeError(`import #${index} "${imp.module}" "${imp.name}": module "${imp.module}" is not an object`);
    }
    const value = (namespace as Record<string, unknown>)[imp.name];
    const desc = imp.desc;
    switch (desc.kind) {
      case ExternKind.Func: {
        if (typeof value !== 'function') throw linkError(index, imp, 'function import requires a callable');
        const handle = functionHandleOf(value) ?? hostFunctionHandle(s, value as (...args: unknown[]) => unknown, compiled.funcType(desc.typeIndex), compiled.canonicalTypeId(desc.typeIndex));
        return { kind: 'function', handle };
      }
      case ExternKind.Global: {
        if (value instanceof Global) return { kind: 'global', global: value.global };
        const type = desc.type;
        if (typeof value === 'number' || typeof value === 'bigint') {
          if (type.type === ValType.I64 && typeof value !== 'bigint') throw linkError(index, imp, 'global import of type i64 requires a BigInt');
          if (type.type !== ValType.I64 && typeof value === 'bigint') throw linkError(index, imp, 'global import requires a Number');
        } else if (!(type.type !== ValType.I32 && type.type !== ValType.I64 && type.type !== ValType.F32 && type.type !== ValType.F64 && type.type !== ValType.V128)) {
          throw linkError(index, imp, 'global import must be a Number, BigInt or WebAssembly.Global object');
        }
        if (type.mutable) throw linkError(index, imp, 'imported mutable global must be a WebAssembly.Global object');
        const global = new GlobalInstance(type, s.cells.allocate(16));
        global.value = toStoredWebAssemblyValue(s, type.type, value, global);
        return { kind: 'global', global };
      }
      case ExternKind.Memory:
        if (!(value instanceof Memory)) throw linkError(index, imp, 'memory import must be a WebAssembly.Memory object');
        return { kind: 'memory', memory: value.memory };
      case ExternKind.Table:
        if (!(value instanceof Table)) throw linkError(index, imp, 'table import requires a WebAssembly.Table');
        return { kind: 'table', table: value.table };
      default:
        throw linkError(index, imp, 'tag imports are not supported yet');
    }
  });
}

function exportsObject(instance: EngineInstance): Record<string, unknown> {
  const exports: Record<string, unknown> = Object.create(null);
  for (const [name, value] of instance.exports) exports[name] = toJSExtern(value);
  return Object.freeze(exports);
}

export function toJSExtern(value: ExternValue): unknown {
  switch (value.kind) {
    case 'function':
      return exportedFunction(value.handle);
    case 'memory':
      return Memory.wrap(value.memory);
    case 'table':
      return Table.wrap(value.table);
    case 'global':
      return Global.wrap(value.global);
  }
}

const toIndexValue = (value: unknown, what: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new TypeError(`${what} must be an integer in [0, 2^32)`);
  return n;
};

function limitsOf(descriptor: { initial?: unknown; minimum?: unknown; maximum?: unknown; address?: unknown }, what: string): Limits {
  const initial = descriptor.initial ?? descriptor.minimum;
  if (initial === undefined) throw new TypeError(`${what} descriptor needs "initial"`);
  const min = toIndexValue(initial, `${what} initial`);
  const max = descriptor.maximum === undefined ? null : toIndexValue(descriptor.maximum, `${what} maximum`);
  if (max !== null && max < min) throw new RangeError(`${what} maximum ${max} is below the initial ${min}`);
  return { min: BigInt(min), max: max === null ? null : BigInt(max), shared: false, address: descriptor.address === 'i64' ? 'i64' : 'i32', pageSizeLog2: 16 };
}

export class Memory {
  /** @internal */ readonly memory: MemoryInstance;

  constructor(descriptor: { initial?: number; minimum?: number; maximum?: number; address?: 'i32' | 'i64' }, internal?: MemoryInstance) {
    if (internal !== undefined) {
      this.memory = internal;
    } else {
      const limits = limitsOf(descriptor, 'memory');
      if (limits.min > 65536n || (limits.max !== null && limits.max > 65536n)) throw new RangeError('memory size exceeds 65536 pages');
      this.memory = new MemoryInstance(limits);
    }
    memoryObjects.set(this.memory, this);
  }

  /** @internal */
  static wrap(memory: MemoryInstance): Memory {
    return memoryObjects.get(memory) ?? new Memory({ initial: 0 }, memory);
  }

  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.memory.buffer;
  }

  grow(delta: number): number {
    const previous = this.memory.grow(toIndexValue(delta, 'delta'));
    if (previous < 0) throw new RangeError('WebAssembly.Memory.grow(): maximum memory size exceeded');
    return previous;
  }
}

const ELEMENT_TYPES: Record<string, number> = { anyfunc: FUNCREF, funcref: FUNCREF, externref: EXTERNREF };

export class Table {
  /** @internal */ readonly table: TableInstance;

  constructor(descriptor: { element: string; initial?: number; minimum?: number; maximum?: number; address?: 'i32' | 'i64' }, value?: unknown, internal?: TableInstance) {
    if (internal !== undefined) {
      this.table = internal;
    } else {
      const element = ELEMENT_TYPES[String(descriptor.element)];
      if (element === undefined) throw new TypeError(`unknown table element type "${String(descriptor.element)}"`);
      const type: TableType = { element, limits: limitsOf(descriptor, 'table') };
      const owners = new Set<object>();
      const initial = value === undefined ? 0n : BigInt(toStoredWebAssemblyValue(store(), element, value, { retain: (o) => owners.add(o) }));
      this.table = new TableInstance(type, initial);
      for (const owner of owners) this.table.retain(owner);
    }
    tableObjects.set(this.table, this);
  }

  /** @internal */
  static wrap(table: TableInstance): Table {
    return tableObjects.get(table) ?? new Table({ element: 'funcref', initial: 0 }, undefined, table);
  }

  get length(): number {
    return this.table.length;
  }

  get(index: number): unknown {
    const i = toIndexValue(index, 'index');
    if (i >= this.table.length) throw new RangeError(`table index ${i} out of bounds (length ${this.table.length})`);
    return toJSValue(store(), this.table.type.element, this.table.get(i));
  }

  set(index: number, value?: unknown): void {
    const i = toIndexValue(index, 'index');
    if (i >= this.table.length) throw new RangeError(`table index ${i} out of bounds (length ${this.table.length})`);
    const element = this.table.type.element;
    this.table.set(i, value === undefined ? 0n : BigInt(toStoredWebAssemblyValue(store(), element, value, this.table)));
  }

  grow(delta: number, value?: unknown): number {
    const element = this.table.type.element;
    const initial = value === undefined ? 0n : BigInt(toStoredWebAssemblyValue(store(), element, value, this.table));
    const previous = this.table.grow(toIndexValue(delta, 'delta'), initial);
    if (previous < 0) throw new RangeError('WebAssembly.Table.grow(): maximum table size exceeded');
    return previous;
  }
}

const VALUE_TYPES: Record<string, number> = { i32: ValType.I32, i64: ValType.I64, f32: ValType.F32, f64: ValType.F64, anyfunc: FUNCREF, funcref: FUNCREF, externref: EXTERNREF };

export class Global {
  /** @internal */ readonly global: GlobalInstance;

  constructor(descriptor: { value: string; mutable?: boolean }, value?: unknown, internal?: GlobalInstance) {
    if (internal !== undefined) {
      this.global = internal;
    } else {
      const valueType = VALUE_TYPES[String(descriptor.value)];
      if (valueType === undefined) throw new TypeError(`unknown global value type "${String(descriptor.value)}"`);
      const type: GlobalType = { type: valueType, mutable: Boolean(descriptor.mutable) };
      const s = store();
      this.global = new GlobalInstance(type, s.cells.allocate(16));
      this.global.value = value === undefined ? defaultValue(valueType) : toStoredWebAssemblyValue(s, valueType, value, this.global);
    }
    globalObjects.set(this.global, this);
  }

  /** @internal */
  static wrap(global: GlobalInstance): Global {
    return globalObjects.get(global) ?? new Global({ value: 'i32' }, undefined, global);
  }

  get value(): unknown {
    return toJSValue(store(), this.global.type.type, this.global.value);
  }

  set value(value: unknown) {
    if (!this.global.type.mutable) throw new TypeError('cannot set the value of an immutable global');
    this.global.value = toStoredWebAssemblyValue(store(), this.global.type.type, value, this.global);
  }

  valueOf(): unknown {
    return this.value;
  }
}

function validate(bytes: BufferInput): boolean {
  return jsApiEngine().validate(viewBufferSource(bytes, 'WebAssembly.validate(): Argument 0'));
}

async function compile(bytes: BufferInput): Promise<Module> {
  const compiled = await jsApiEngine().compileAsync(viewBufferSource(bytes, 'WebAssembly.compile(): Argument 0'));
  return Module.fromCompiled(compiled);
}

function instantiate(source: Module, importObject?: object): Promise<Instance>;
function instantiate(source: BufferInput, importObject?: object): Promise<{ module: Module; instance: Instance }>;
async function instantiate(source: BufferInput | Module, importObject?: object): Promise<Instance | { module: Module; instance: Instance }> {
  if (source instanceof Module) return new Instance(source, importObject);
  const module = await compile(source);
  return { module, instance: new Instance(module, importObject) };
}

/**
 * Compiles the response body as it arrives. As the JS API requires, the response must be OK and
 * its bytes unused; its Content-Type is not checked (local files served without one are common).
 * https://webassembly.github.io/spec/web-api/#compile-a-potential-webassembly-response
 */
async function compileStreaming(source: Response | PromiseLike<Response>): Promise<Module> {
  const response = await source;
  if (typeof response !== 'object' || response === null || typeof (response as Partial<Response>).arrayBuffer !== 'function') {
    throw new TypeError('WebAssembly.compileStreaming expects a Response');
  }
  if (!response.ok) throw new TypeError(`WebAssembly.compileStreaming: response status ${response.status} is not OK`);
  if (response.bodyUsed) throw new TypeError('WebAssembly.compileStreaming: the response body was already used');
  const body = response.body;
  const compiled = body === null ? await jsApiEngine().compileAsync(new Uint8Array(0)) : await jsApiEngine().compileStreaming(body);
  return Module.fromCompiled(compiled);
}

async function instantiateStreaming(source: Response | PromiseLike<Response>, importObject?: object): Promise<{ module: Module; instance: Instance }> {
  const module = await compileStreaming(source);
  return { module, instance: new Instance(module, importObject) };
}

/** The namespace, shaped like the standard `WebAssembly`. */
export const WebAssembly = {
  Module,
  Instance,
  Memory,
  Table,
  Global,
  validate,
  compile,
  instantiate,
  compileStreaming,
  instantiateStreaming,
  CompileError,
  LinkError,
  RuntimeError,
} as const;


export { exportedFunction, functionHandleOf, jsApiEngine };
