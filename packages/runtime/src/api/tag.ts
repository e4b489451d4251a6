// WebAssembly.Tag, WebAssembly.Exception and WebAssembly.JSTag. Tags and exceptions exist and
// cross module boundaries (tags are imported and exported); Wasm code cannot throw or catch
// them yet, since the compilers do not implement the exception-handling instructions.
// https://webassembly.github.io/spec/js-api/#tags
// https://webassembly.github.io/spec/js-api/#exceptions

import { EXTERNREF, ValType } from '@flint/decoder';
import { ExceptionInstance, TagInstance } from '../instance/tag.ts';
import { store } from './exported-function.ts';
import { VALUE_TYPES, VALUE_TYPE_NAMES } from './global.ts';
import { WRAP } from './internal.ts';
import { toJSValue, toWebAssemblyValue } from './js-values.ts';
import { dictionary, enforceRangeUnsignedLong, installInterface, member, requireArguments, requiredMember, toBoolean, toEnum } from './webidl.ts';

export interface TagType {
  readonly parameters: readonly string[];
}

const tagObjects = new WeakMap<TagInstance, Tag>();
let tagSlotOf: (value: unknown) => TagInstance | undefined;

export class Tag {
  readonly #tag: TagInstance;

  constructor(type: TagType) {
    if ((type as unknown) === WRAP) {
      this.#tag = arguments[1] as TagInstance;
    } else {
      requireArguments(arguments.length, 1, 'WebAssembly.Tag()');
      const what = 'WebAssembly.Tag(): Argument 0';
      const parameters = toSequence(requiredMember(dictionary(type, what), 'parameters', what), `${what}: parameters`);
      const params = parameters.map((name) => VALUE_TYPES[toEnum(name, VALUE_TYPE_NAMES, `${what}: parameters`)]);
      this.#tag = TagInstance.ofParams(store().canonicalizer, params);
    }
    tagObjects.set(this.#tag, this);
  }

  static {
    tagSlotOf = (value) => (typeof value === 'object' && value !== null && #tag in value ? value.#tag : undefined);
  }
}

installInterface(Tag, { name: 'Tag', length: 1, toStringTag: 'WebAssembly.Tag' });

export interface ExceptionOptions {
  readonly traceStack?: boolean;
}

export class Exception {
  readonly #exception: ExceptionInstance;
  readonly #stack: string | undefined;

  constructor(exceptionTag: Tag, payload: readonly unknown[], options?: ExceptionOptions) {
    requireArguments(arguments.length, 2, 'WebAssembly.Exception()');
    const tag = requireTag(exceptionTag, 'WebAssembly.Exception(): Argument 0');
    const values = toSequence(payload, 'WebAssembly.Exception(): Argument 1');
    const traceStack = toBoolean(member(dictionary(options, 'WebAssembly.Exception(): Argument 2'), 'traceStack'));
    if (tag === jsTag()) throw new TypeError('WebAssembly.Exception(): an exception of the JS tag cannot be created from JS');
    const params = tag.type.params;
    if (values.length !== params.length) throw new TypeError(`WebAssembly.Exception(): the tag takes ${params.length} values, the payload has ${values.length}`);
    const s = store();
    const converted = values.map((value, i) => {
      if (params[i] === ValType.V128) throw new TypeError('WebAssembly.Exception(): a v128 value cannot cross from JS');
      return toWebAssemblyValue(s, params[i]!, value);
    });
    this.#exception = new ExceptionInstance(tag, converted);
    this.#stack = traceStack ? (new Error().stack ?? undefined) : undefined;
  }

  getArg(exceptionTag: Tag, index: number): unknown {
    const exception = this.#exception;
    requireArguments(arguments.length, 2, 'WebAssembly.Exception.prototype.getArg()');
    const tag = requireTag(exceptionTag, 'WebAssembly.Exception.prototype.getArg(): Argument 0');
    const i = enforceRangeUnsignedLong(index, 'WebAssembly.Exception.prototype.getArg(): Argument 1');
    if (tag !== exception.tag) throw new TypeError('WebAssembly.Exception.prototype.getArg(): the exception is not of this tag');
    if (i >= exception.payload.length) throw new RangeError(`WebAssembly.Exception.prototype.getArg(): index ${i} is out of bounds (the payload has ${exception.payload.length} values)`);
    const type = tag.type.params[i]!;
    if (type === ValType.V128) throw new TypeError('WebAssembly.Exception.prototype.getArg(): a v128 value cannot cross into JS');
    return toJSValue(store(), type, exception.payload[i]!);
  }

  is(exceptionTag: Tag): boolean {
    const exception = this.#exception;
    requireArguments(arguments.length, 1, 'WebAssembly.Exception.prototype.is()');
    return requireTag(exceptionTag, 'WebAssembly.Exception.prototype.is(): Argument 0') === exception.tag;
  }

  get stack(): string | undefined {
    return this.#stack;
  }
}

installInterface(Exception, {
  name: 'Exception',
  length: 2,
  toStringTag: 'WebAssembly.Exception',
  operations: { getArg: 2, is: 1 },
  attributes: ['stack'],
});

function requireTag(value: unknown, what: string): TagInstance {
  const tag = tagSlotOf(value);
  if (tag === undefined) throw new TypeError(`${what} must be a WebAssembly.Tag`);
  return tag;
}

/** A WebIDL sequence: an iterable object, converted to a list. */
function toSequence(value: unknown, what: string): unknown[] {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what} must be a sequence (an iterable object)`);
  }
  return Array.from(value as Iterable<unknown>);
}

/** The Tag object of a tag instance (created once). */
export function tagObject(tag: TagInstance): Tag {
  return tagObjects.get(tag) ?? new (Tag as unknown as new (token: symbol, tag: TagInstance) => Tag)(WRAP, tag);
}

/** The engine's tag behind a Tag object (its [[Address]] slot), or undefined for any other value. */
export const tagOf = (value: unknown): TagInstance | undefined => tagSlotOf(value);

let jsTagInstance: TagInstance | undefined;
/** The JavaScript exception tag of this thread, `[externref] → []`, made on first use. */
function jsTag(): TagInstance {
  jsTagInstance ??= TagInstance.ofParams(store().canonicalizer, [EXTERNREF]);
  return jsTagInstance;
}

/** The getter of `WebAssembly.JSTag`. */
export function getJSTag(): Tag {
  return tagObject(jsTag());
}
