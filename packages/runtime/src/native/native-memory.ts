// Plain read/write native memory (VM contexts, tables, value stacks, small cells) that generated
// code can address, released by `dispose()` or when the object is garbage collected. It comes
// from the C heap (calloc/free), not from mmap: an engine that creates and drops thousands of
// instances must not spend a kernel mapping (limited to vm.max_map_count, 65,530 by default) or a
// page on every small block.

import { allocateZeroed, freeAllocation, viewOf, type NativePointer } from './libc.ts';

interface Allocation {
  readonly pointer: NativePointer;
  released: boolean;
}

const registry = new FinalizationRegistry<Allocation>((allocation) => {
  if (!allocation.released) {
    allocation.released = true;
    freeAllocation(allocation.pointer);
  }
});

/** Blocks are rounded to this many bytes (and aligned to it by the C heap on 64-bit hosts). */
const GRANULE = 16;

export class NativeMemory {
  readonly #allocation: Allocation;
  readonly #length: number;
  /** Address of the first byte (16-byte aligned). */
  readonly address: bigint;
  /** Little-endian accessors over the whole block (`byteLength` bytes). */
  readonly view: DataView;
  readonly bytes: Uint8Array;

  constructor(byteLength: number) {
    const length = Math.max(GRANULE, Math.ceil(byteLength / GRANULE) * GRANULE);
    const pointer = allocateZeroed(length);
    this.#allocation = { pointer, released: false };
    this.#length = length;
    this.address = pointer;
    const buffer = viewOf(pointer, length);
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
    registry.register(this, this.#allocation, this);
  }

  get byteLength(): number {
    return this.#length;
  }

  dispose(): void {
    if (this.#allocation.released) return;
    this.#allocation.released = true;
    registry.unregister(this);
    freeAllocation(this.#allocation.pointer);
  }
}
