// The WebIDL rules the JS API's objects follow, in one place: how interface objects, their
// prototypes, operations and attributes are installed as properties, and how arguments are
// converted (in argument order, dictionary members in lexicographic order, [EnforceRange]).
// Every interface and the namespace are installed through these helpers, so that a new member
// cannot get the property attributes wrong.
// https://webidl.spec.whatwg.org/#es-interfaces
// https://webidl.spec.whatwg.org/#es-namespaces
// https://webidl.spec.whatwg.org/#es-type-mapping

/** An interface member and the `length` of its function (WebIDL: the count of required arguments). */
export type Operations = Readonly<Record<string, number>>;

export interface InterfaceShape {
  /** The interface's name (`Module`); what `name` of the interface object says, whatever the bundler did to the class. */
  readonly name: string;
  /** The constructor's required-argument count. */
  readonly length: number;
  /** The prototype's `Symbol.toStringTag` (`WebAssembly.Module`). */
  readonly toStringTag: string;
  /** Regular operations on the prototype. */
  readonly operations?: Operations;
  /** Attributes on the prototype (accessor pairs the class defines; readonly ones have no setter). */
  readonly attributes?: readonly string[];
  /** Static operations on the interface object. */
  readonly statics?: Operations;
}

/**
 * Gives a class the property attributes of a WebIDL interface: operations, attributes and static
 * operations become enumerable (a class makes them non-enumerable), each function gets its
 * WebIDL `name` and `length`, the interface object its `name` and `length`, and the prototype its
 * `Symbol.toStringTag`. `prototype` (not writable, enumerable or configurable) and
 * `prototype.constructor` already have WebIDL's attributes in a class.
 */
export function installInterface(ctor: abstract new (...args: never[]) => unknown, shape: InterfaceShape): void {
  defineFunctionName(ctor, shape.name);
  defineFunctionLength(ctor, shape.length);
  const proto = ctor.prototype as object;
  for (const [name, length] of Object.entries(shape.operations ?? {})) installOperation(proto, name, length);
  for (const name of shape.attributes ?? []) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor?.get === undefined) throw new Error(`${shape.name}.prototype.${name} is not an accessor`);
    defineFunctionName(descriptor.get, `get ${name}`);
    defineFunctionLength(descriptor.get, 0);
    if (descriptor.set !== undefined) {
      defineFunctionName(descriptor.set, `set ${name}`);
      defineFunctionLength(descriptor.set, 1);
    }
    Object.defineProperty(proto, name, { get: descriptor.get, set: descriptor.set, enumerable: true, configurable: true });
  }
  for (const [name, length] of Object.entries(shape.statics ?? {})) installOperation(ctor, name, length);
  Object.defineProperty(proto, Symbol.toStringTag, { value: shape.toStringTag, writable: false, enumerable: false, configurable: true });
}

function installOperation(target: object, name: string, length: number): void {
  const fn = (target as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`operation ${name} is not a function`);
  defineFunctionName(fn, name);
  defineFunctionLength(fn, length);
  Object.defineProperty(target, name, { value: fn, writable: true, enumerable: true, configurable: true });
}

export interface NamespaceShape {
  readonly toStringTag: string;
  /** Interface objects and the NativeError-like error constructors: not enumerable. */
  readonly interfaces: Readonly<Record<string, Function>>;
  /** Operations: enumerable, with their WebIDL `length`. */
  readonly operations: Readonly<Record<string, readonly [Function, number]>>;
  /** Readonly attributes: enumerable getters. */
  readonly attributes?: Readonly<Record<string, () => unknown>>;
}

/** A namespace object: a plain object (not callable) holding interfaces, operations and attributes. */
export function createNamespace(shape: NamespaceShape): object {
  const namespace = {};
  for (const [name, ctor] of Object.entries(shape.interfaces)) {
    Object.defineProperty(namespace, name, { value: ctor, writable: true, enumerable: false, configurable: true });
  }
  for (const [name, [fn, length]] of Object.entries(shape.operations)) {
    defineFunctionName(fn, name);
    defineFunctionLength(fn, length);
    Object.defineProperty(namespace, name, { value: fn, writable: true, enumerable: true, configurable: true });
  }
  for (const [name, get] of Object.entries(shape.attributes ?? {})) {
    defineFunctionName(get, `get ${name}`);
    defineFunctionLength(get, 0);
    Object.defineProperty(namespace, name, { get, enumerable: true, configurable: true });
  }
  Object.defineProperty(namespace, Symbol.toStringTag, { value: shape.toStringTag, writable: false, enumerable: false, configurable: true });
  return namespace;
}

function defineFunctionName(fn: Function, name: string): void {
  Object.defineProperty(fn, 'name', { value: name, writable: false, enumerable: false, configurable: true });
}

function defineFunctionLength(fn: Function, length: number): void {
  Object.defineProperty(fn, 'length', { value: length, writable: false, enumerable: false, configurable: true });
}

// Conversions

/** WebIDL's "not enough arguments": an operation called with fewer than its required arguments. */
export function requireArguments(count: number, required: number, what: string): void {
  if (count < required) throw new TypeError(`${what}: ${required} argument${required === 1 ? '' : 's'} required, but only ${count} present`);
}

/**
 * A dictionary argument: undefined and null are an empty dictionary, any other non-object is a
 * TypeError. The caller then reads members with `member` in lexicographic order (WebIDL reads and
 * converts each member in turn, so conversions' side effects interleave with the reads).
 */
export function dictionary(value: unknown, what: string): object | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError(`${what} must be an object`);
  return value as object;
}

/** Get(dictionary, key), undefined for an absent dictionary. */
export function member(dict: object | null, key: string): unknown {
  return dict === null ? undefined : (dict as Record<string, unknown>)[key];
}

/** A required dictionary member. */
export function requiredMember(dict: object | null, key: string, what: string): unknown {
  const value = member(dict, key);
  if (value === undefined) throw new TypeError(`${what}: the required member "${key}" is missing`);
  return value;
}

/** WebIDL `boolean`. */
export function toBoolean(value: unknown): boolean {
  return Boolean(value);
}

/** WebIDL DOMString / USVString's first step: ToString (a Symbol throws a TypeError). */
export function toDOMString(value: unknown): string {
  if (typeof value === 'symbol') throw new TypeError('cannot convert a Symbol to a string');
  return String(value);
}

/** A WebIDL enumeration: ToString, then one of `values` or a TypeError. */
export function toEnum<T extends string>(value: unknown, values: readonly T[], what: string): T {
  const text = toDOMString(value);
  if (!(values as readonly string[]).includes(text)) throw new TypeError(`${what}: "${text}" is not one of ${values.map((v) => `"${v}"`).join(', ')}`);
  return text as T;
}

/** ToNumber: a BigInt (or an object converting to one) throws a TypeError, as ToNumber does. */
export function toNumber(value: unknown): number {
  // Unary plus is ToNumber itself: it throws for BigInt and Symbol and runs valueOf/toString.
  return +(value as number);
}

/** `[EnforceRange] unsigned long`: an integer in [0, 2^32) or a TypeError (NaN and ±∞ included). */
export function enforceRangeUnsignedLong(value: unknown, what: string): number {
  return enforceRange(value, 0, 0xffff_ffff, what);
}

/** `[EnforceRange] unsigned long long`, as a Number (callers bound it further). */
export function enforceRange(value: unknown, min: number, max: number, what: string): number {
  const n = toNumber(value);
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number, got ${String(n)}`);
  const integer = Math.trunc(n) + 0; // + 0 turns -0 into 0
  if (integer < min || integer > max) throw new TypeError(`${what} ${integer} is outside [${min}, ${max}]`);
  return integer;
}

/**
 * ToBigInt (ECMA-262): BigInts as they are, booleans and numeric strings converted, and a Number
 * — also one an object converts to — a TypeError. `BigInt.asIntN` applies exactly ToBigInt to its
 * argument; with 2^53 − 1 bits it never wraps a value that fits in memory.
 */
export function toBigInt(value: unknown): bigint {
  return BigInt.asIntN(Number.MAX_SAFE_INTEGER, value as bigint);
}

/** ToBigInt64: ToBigInt, then wrapped to a signed 64-bit value. */
export function toBigInt64(value: unknown): bigint {
  return BigInt.asIntN(64, value as bigint);
}
