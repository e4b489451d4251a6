// WebAssembly.Global: a JS object for a global instance (one per global: the Global object cache).
// https://webassembly.github.io/spec/js-api/#globals

import { EXTERNREF, FUNCREF, ValType } from '@flint/decoder';
import { GlobalInstance } from '../instance/global.ts';
import { defaultValue, type WasmValue } from '../instance/values.ts';
import { store } from './exported-function.ts';
import { WRAP } from './internal.ts';
import { toJSValue, toStoredWebAssemblyValue } from './js-values.ts';
import { dictionary, installInterface, member, requireArguments, requiredMember, toBoolean, toEnum } from './webidl.ts';

/** The ValueType enumeration and the type each names. */
export const VALUE_TYPE_NAMES = ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc'] as const;
export type ValueTypeName = (typeof VALUE_TYPE_NAMES)[number];
export const VALUE_TYPES: Readonly<Record<ValueTypeName, ValType>> = {
  i32: ValType.I32,
  i64: ValType.I64,
  f32: ValType.F32,
  f64: ValType.F64,
  v128: ValType.V128,
  externref: EXTERNREF,
  anyfunc: FUNCREF,
};

export interface GlobalDescriptor {
  readonly value: ValueTypeName;
  readonly mutable?: boolean;
}

const globalObjects = new WeakMap<GlobalInstance, Global>();
let slotOf: (value: unknown) => GlobalInstance | undefined;

export class Global {
  readonly #global: GlobalInstance;

  constructor(descriptor: GlobalDescriptor, value?: unknown) {
    if ((descriptor as unknown) === WRAP) {
      this.#global = arguments[1] as GlobalInstance;
    } else {
      requireArguments(arguments.length, 1, 'WebAssembly.Global()');
      this.#global = allocateGlobal(descriptor, value);
    }
    globalObjects.set(this.#global, this);
  }

  valueOf(): unknown {
    return globalValue(this.#global);
  }

  get value(): unknown {
    return globalValue(this.#global);
  }

  set value(value: unknown) {
    const global = this.#global;
    if (global.type.type === ValType.V128) throw new TypeError('a v128 global cannot be set from JS');
    if (!global.type.mutable) throw new TypeError('cannot set the value of an immutable global');
    global.value = toStoredWebAssemblyValue(store(), global.type.type, value, global);
  }

  static {
    slotOf = (value) => (typeof value === 'object' && value !== null && #global in value ? value.#global : undefined);
  }
}

installInterface(Global, {
  name: 'Global',
  length: 1,
  toStringTag: 'WebAssembly.Global',
  operations: { valueOf: 0 },
  attributes: ['value'],
});

function allocateGlobal(descriptor: unknown, value: unknown): GlobalInstance {
  const what = 'WebAssembly.Global(): Argument 0';
  const dict = dictionary(descriptor, what);
  // GlobalDescriptor's members in lexicographic order (the order the spec's tests check).
  const mutable = toBoolean(member(dict, 'mutable'));
  const type = VALUE_TYPES[toEnum(requiredMember(dict, 'value', what), VALUE_TYPE_NAMES, `${what}: value`)];
  if (type === ValType.V128) throw new TypeError(`${what}: a v128 global cannot be created from JS`);
  const s = store();
  const global = new GlobalInstance({ type, mutable }, s.cells.allocate(16));
  // An undefined value is a missing one: DefaultValue of the type (undefined for externref).
  const initial: WasmValue = value === undefined ? (type === EXTERNREF ? s.externToHandle(undefined) : defaultValue(type)) : toStoredWebAssemblyValue(s, type, value, global);
  global.value = initial;
  return global;
}

/** GetGlobalValue. */
function globalValue(global: GlobalInstance): unknown {
  if (global.type.type === ValType.V128) throw new TypeError('a v128 global cannot be read from JS');
  return toJSValue(store(), global.type.type, global.value);
}

/** The Global object of a global instance (created once). */
export function globalObject(global: GlobalInstance): Global {
  return globalObjects.get(global) ?? new (Global as unknown as new (token: symbol, global: GlobalInstance) => Global)(WRAP, global);
}

/** The engine's global behind a Global object (its [[Global]] slot), or undefined for any other value. */
export const globalOf = (value: unknown): GlobalInstance | undefined => slotOf(value);
