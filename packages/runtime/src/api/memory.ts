// WebAssembly.Memory: a JS object for a memory instance (one per memory: the Memory object cache).
// https://webassembly.github.io/spec/js-api/#memories

import { MemoryInstance } from '../instance/memory.ts';
import { store } from './exported-function.ts';
import { addressValueToU64, toAddressType, u64ToAddressValue, type AddressType } from './address.ts';
import { WRAP } from './internal.ts';
import { dictionary, installInterface, member, requireArguments, requiredMember, toBoolean } from './webidl.ts';

/** Pages a 32-bit memory may declare (4 GiB) and the JS API's bound for 64-bit ones. */
const MAX_PAGES: Readonly<Record<AddressType, bigint>> = { i32: 65536n, i64: (1n << 37n) - 1n };

export interface MemoryDescriptor {
  readonly initial: number | bigint;
  readonly maximum?: number | bigint;
  readonly address?: AddressType;
  readonly shared?: boolean;
}

const memoryObjects = new WeakMap<MemoryInstance, Memory>();
let slotOf: (value: unknown) => MemoryInstance | undefined;

export class Memory {
  readonly #memory: MemoryInstance;

  constructor(descriptor: MemoryDescriptor) {
    if ((descriptor as unknown) === WRAP) {
      this.#memory = arguments[1] as MemoryInstance;
    } else {
      requireArguments(arguments.length, 1, 'WebAssembly.Memory()');
      this.#memory = allocateMemory(descriptor);
    }
    memoryObjects.set(this.#memory, this);
  }

  grow(delta: number | bigint): number | bigint {
    const memory = this.#memory;
    requireArguments(arguments.length, 1, 'WebAssembly.Memory.prototype.grow()');
    const address = memory.type.address;
    const pages = addressValueToU64(delta, address, 'WebAssembly.Memory.prototype.grow(): Argument 0');
    const previous = pages > BigInt(memory.maxPages) ? -1 : memory.grow(Number(pages));
    if (previous < 0) throw new RangeError('WebAssembly.Memory.prototype.grow(): the maximum memory size would be exceeded');
    return u64ToAddressValue(previous, address);
  }

  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.#memory.buffer;
  }

  static {
    slotOf = (value) => (typeof value === 'object' && value !== null && #memory in value ? value.#memory : undefined);
  }
}

installInterface(Memory, { name: 'Memory', length: 1, toStringTag: 'WebAssembly.Memory', operations: { grow: 1 }, attributes: ['buffer'] });

/** The Memory constructor's steps after the brand: read the descriptor, allocate. */
function allocateMemory(descriptor: unknown): MemoryInstance {
  const what = 'WebAssembly.Memory(): Argument 0';
  const dict = dictionary(descriptor, what);
  // Members are read and converted in the order of the constructor's steps (the spec's tests
  // check it): address first, since it decides how initial and maximum convert.
  const address = toAddressType(member(dict, 'address'), `${what}: address`);
  const initial = addressValueToU64(requiredMember(dict, 'initial', what), address, `${what}: initial`);
  const maximumValue = member(dict, 'maximum');
  const maximum = maximumValue === undefined ? null : addressValueToU64(maximumValue, address, `${what}: maximum`);
  const shared = toBoolean(member(dict, 'shared'));
  if (initial > MAX_PAGES[address] || (maximum !== null && maximum > MAX_PAGES[address])) {
    throw new RangeError(`${what}: a ${address} memory has at most ${MAX_PAGES[address]} pages`);
  }
  if (maximum !== null && maximum < initial) throw new RangeError(`${what}: maximum ${maximum} is below initial ${initial}`);
  if (shared && maximum === null) throw new TypeError(`${what}: a shared memory needs a maximum`);
  try {
    return new MemoryInstance({ min: initial, max: maximum, shared, address, pageSizeLog2: 16 }, undefined, store().limits.maxMemoryBytes);
  } catch (error) {
    throw new RangeError(`${what}: cannot allocate the memory: ${(error as Error).message}`);
  }
}

/** The Memory object of a memory instance (created once). */
export function memoryObject(memory: MemoryInstance): Memory {
  return memoryObjects.get(memory) ?? new (Memory as unknown as new (token: symbol, memory: MemoryInstance) => Memory)(WRAP, memory);
}

/** The engine's memory behind a Memory object (its [[Memory]] slot), or undefined for any other value. */
export const memoryOf = (value: unknown): MemoryInstance | undefined => slotOf(value);
