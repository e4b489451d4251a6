// WebAssembly.Table: a JS object for a table instance (one per table: the Table object cache).
// https://webassembly.github.io/spec/js-api/#tables

import { EXTERNREF, FUNCREF, type ValType } from '@flint/decoder';
import { TableInstance } from '../instance/table.ts';
import { addressValueToU64, toAddressType, u64ToAddressValue, type AddressType } from './address.ts';
import { store } from './exported-function.ts';
import { WRAP } from './internal.ts';
import { toJSValue, toStoredWebAssemblyValue } from './js-values.ts';
import { dictionary, installInterface, member, requireArguments, requiredMember, toEnum } from './webidl.ts';

/** The TableKind enumeration and the reference type each names. */
const TABLE_KINDS = ['externref', 'anyfunc'] as const;
const ELEMENT_TYPES: Readonly<Record<(typeof TABLE_KINDS)[number], ValType>> = { externref: EXTERNREF, anyfunc: FUNCREF };

export interface TableDescriptor {
  readonly element: 'anyfunc' | 'externref';
  readonly initial: number | bigint;
  readonly maximum?: number | bigint;
  readonly address?: AddressType;
}

const tableObjects = new WeakMap<TableInstance, Table>();
let slotOf: (value: unknown) => TableInstance | undefined;

export class Table {
  readonly #table: TableInstance;

  constructor(descriptor: TableDescriptor, value?: unknown) {
    if ((descriptor as unknown) === WRAP) {
      this.#table = arguments[1] as TableInstance;
    } else {
      requireArguments(arguments.length, 1, 'WebAssembly.Table()');
      this.#table = allocateTable(descriptor, arguments.length >= 2, value);
    }
    tableObjects.set(this.#table, this);
  }

  grow(delta: number | bigint, value?: unknown): number | bigint {
    const table = this.#table;
    requireArguments(arguments.length, 1, 'WebAssembly.Table.prototype.grow()');
    const address = table.type.limits.address;
    const count = addressValueToU64(delta, address, 'WebAssembly.Table.prototype.grow(): Argument 0');
    const ref = elementValue(table, table.type.element, arguments.length >= 2, value);
    const previous = count > BigInt(table.maxLength) ? -1 : table.grow(Number(count), ref);
    if (previous < 0) throw new RangeError('WebAssembly.Table.prototype.grow(): the maximum table size would be exceeded');
    return u64ToAddressValue(previous, address);
  }

  get(index: number | bigint): unknown {
    const table = this.#table;
    requireArguments(arguments.length, 1, 'WebAssembly.Table.prototype.get()');
    const i = elementIndex(table, index, 'WebAssembly.Table.prototype.get(): Argument 0');
    return toJSValue(store(), table.type.element, table.get(i));
  }

  set(index: number | bigint, value?: unknown): void {
    const table = this.#table;
    requireArguments(arguments.length, 1, 'WebAssembly.Table.prototype.set()');
    const i = elementIndex(table, index, 'WebAssembly.Table.prototype.set(): Argument 0');
    table.set(i, elementValue(table, table.type.element, arguments.length >= 2, value));
  }

  get length(): number | bigint {
    const table = this.#table;
    return u64ToAddressValue(table.length, table.type.limits.address);
  }

  static {
    slotOf = (value) => (typeof value === 'object' && value !== null && #table in value ? value.#table : undefined);
  }
}

installInterface(Table, {
  name: 'Table',
  length: 1,
  toStringTag: 'WebAssembly.Table',
  operations: { grow: 1, get: 1, set: 1 },
  attributes: ['length'],
});

function allocateTable(descriptor: unknown, hasValue: boolean, value: unknown): TableInstance {
  const what = 'WebAssembly.Table(): Argument 0';
  const dict = dictionary(descriptor, what);
  // Members are read and converted in the order of the constructor's steps (the spec's tests
  // check it): the element type, then the address type, which decides how the sizes convert.
  const element = ELEMENT_TYPES[toEnum(requiredMember(dict, 'element', what), TABLE_KINDS, `${what}: element`)];
  const address = toAddressType(member(dict, 'address'), `${what}: address`);
  const initial = addressValueToU64(requiredMember(dict, 'initial', what), address, `${what}: initial`);
  const maximumValue = member(dict, 'maximum');
  const maximum = maximumValue === undefined ? null : addressValueToU64(maximumValue, address, `${what}: maximum`);
  if (maximum !== null && maximum < initial) throw new RangeError(`${what}: maximum ${maximum} is below initial ${initial}`);
  const owners = new Set<object>();
  const ref = elementValue({ retain: (owner) => owners.add(owner) }, element, hasValue, value);
  const table = new TableInstance({ element, limits: { min: initial, max: maximum, shared: false, address, pageSizeLog2: 16 } }, ref, store().limits.maxTableElements);
  for (const owner of owners) table.retain(owner);
  return table;
}

/** An index argument, checked against the table's length (RangeError past the end). */
function elementIndex(table: TableInstance, value: unknown, what: string): number {
  const index = addressValueToU64(value, table.type.limits.address, what);
  if (index >= BigInt(table.length)) throw new RangeError(`${what}: index ${index} is out of bounds (the table has ${table.length} elements)`);
  return Number(index);
}

/**
 * An element argument: DefaultValue of the type when it was not passed, else ToWebAssemblyValue
 * (a function's owner then retained by `holder`, the table the reference is stored in).
 */
function elementValue(holder: { retain(owner: object): void }, element: ValType, passed: boolean, value: unknown): bigint {
  if (!passed) return element === EXTERNREF ? store().externToHandle(undefined) : 0n;
  return BigInt(toStoredWebAssemblyValue(store(), element, value, holder));
}

/** The Table object of a table instance (created once). */
export function tableObject(table: TableInstance): Table {
  return tableObjects.get(table) ?? new (Table as unknown as new (token: symbol, table: TableInstance) => Table)(WRAP, table);
}

/** The engine's table behind a Table object (its [[Table]] slot), or undefined for any other value. */
export const tableOf = (value: unknown): TableInstance | undefined => slotOf(value);
