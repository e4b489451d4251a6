// WebAssembly.Instance, "read the imports" and the exports object.
// https://webassembly.github.io/spec/js-api/#instances
// https://webassembly.github.io/spec/js-api/#read-the-imports

import { ExternKind, ValType, isRefType } from '@flint/decoder';
import type { CompiledModule } from '../code/module.ts';
import type { ExternValue } from '../instance/extern.ts';
import { GlobalInstance } from '../instance/global.ts';
import { hostFunctionHandle } from '../instance/host-functions.ts';
import type { Instance as EngineInstance } from '../instance/instance.ts';
import { instantiate as instantiateModule } from '../instance/instantiate.ts';
import { linkError } from '../instance/link.ts';
import { exportedFunction, functionHandleOf, store } from './exported-function.ts';
import { globalObject, globalOf } from './global.ts';
import { toStoredWebAssemblyValue } from './js-values.ts';
import { memoryObject, memoryOf } from './memory.ts';
import { compiledModuleOf, type Module } from './module.ts';
import { tableObject, tableOf } from './table.ts';
import { tagObject, tagOf } from './tag.ts';
import { WRAP } from './internal.ts';
import { installInterface, requireArguments } from './webidl.ts';

export class Instance {
  readonly #instance: EngineInstance;
  readonly #exports: object;

  constructor(module: Module, importObject?: object) {
    let compiled: CompiledModule;
    let imports: ExternValue[];
    if ((module as unknown) === WRAP) {
      compiled = arguments[1] as CompiledModule;
      imports = arguments[2] as ExternValue[];
    } else {
      requireArguments(arguments.length, 1, 'WebAssembly.Instance()');
      compiled = compiledModuleOf(module, 'WebAssembly.Instance(): Argument 0');
      imports = readImports(compiled, optionalObject(importObject, 'WebAssembly.Instance(): Argument 1'));
    }
    this.#instance = instantiateModule(store(), compiled, imports);
    this.#exports = exportsObject(this.#instance);
  }

  get exports(): Record<string, unknown> {
    return this.#exports as Record<string, unknown>;
  }
}

installInterface(Instance, { name: 'Instance', length: 1, toStringTag: 'WebAssembly.Instance', attributes: ['exports'] });

/** Instantiates with imports already read (the asynchronous `instantiate`'s second half). */
export function instanceFromImports(compiled: CompiledModule, imports: ExternValue[]): Instance {
  return new (Instance as unknown as new (token: symbol, compiled: CompiledModule, imports: ExternValue[]) => Instance)(WRAP, compiled, imports);
}

/** WebIDL `optional object`: undefined is "not passed", anything else must be an object. */
export function optionalObject(value: unknown, what: string): object | undefined {
  if (value === undefined) return undefined;
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) throw new TypeError(`${what} must be an object`);
  return value;
}

/** The JS API's "read the imports": one external value per import, or a TypeError / LinkError. */
export function readImports(compiled: CompiledModule, importObject: object | undefined): ExternValue[] {
  const imports = compiled.module.imports;
  if (imports.length > 0 && importObject === undefined) throw new TypeError('the module has imports, but no import object was given');
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
        const global = globalOf(value);
        if (global !== undefined) return { kind: 'global', global };
        const type = desc.type.type;
        if (type === ValType.I64 && typeof value !== 'bigint') throw linkError(index, imp, 'global import of type i64 requires a BigInt or a WebAssembly.Global');
        if ((type === ValType.I32 || type === ValType.F32 || type === ValType.F64) && typeof value !== 'number') {
          throw linkError(index, imp, 'global import of a number type requires a Number or a WebAssembly.Global');
        }
        if (!isRefType(type) && type !== ValType.I32 && type !== ValType.I64 && type !== ValType.F32 && type !== ValType.F64) {
          throw linkError(index, imp, 'a global import of this type requires a WebAssembly.Global');
        }
        // The spec would create an immutable global that then fails import matching; say why directly.
        if (desc.type.mutable) throw linkError(index, imp, 'imported mutable global must be a WebAssembly.Global object');
        const created = new GlobalInstance({ type, mutable: false }, s.cells.allocate(16));
        try {
          created.value = toStoredWebAssemblyValue(s, type, value, created);
        } catch (error) {
          if (error instanceof TypeError) throw linkError(index, imp, `global import value does not convert: ${error.message}`);
          throw error;
        }
        return { kind: 'global', global: created };
      }
      case ExternKind.Memory: {
        const memory = memoryOf(value);
        if (memory === undefined) throw linkError(index, imp, 'memory import must be a WebAssembly.Memory object');
        return { kind: 'memory', memory };
      }
      case ExternKind.Table: {
        const table = tableOf(value);
        if (table === undefined) throw linkError(index, imp, 'table import must be a WebAssembly.Table object');
        return { kind: 'table', table };
      }
      case ExternKind.Tag: {
        const tag = tagOf(value);
        if (tag === undefined) throw linkError(index, imp, 'tag import must be a WebAssembly.Tag object');
        return { kind: 'tag', tag };
      }
    }
  });
}

/** The frozen, null-prototype exports object of an instance. */
function exportsObject(instance: EngineInstance): object {
  const exports: Record<string, unknown> = Object.create(null);
  for (const [name, value] of instance.exports) exports[name] = toJSExtern(value);
  return Object.freeze(exports);
}

/** The JS object of an external value (one object per engine object). */
export function toJSExtern(value: ExternValue): unknown {
  switch (value.kind) {
    case 'function':
      return exportedFunction(value.handle);
    case 'memory':
      return memoryObject(value.memory);
    case 'table':
      return tableObject(value.table);
    case 'global':
      return globalObject(value.global);
    case 'tag':
      return tagObject(value.tag);
  }
}
