// Plain read/write native memory (VM contexts, value buffers, tables) that generated code can
// address, released by `dispose()` or when the object is garbage collected.

import { mapReadWrite, roundUpToPages, unmap, viewOf, type NativePointer } from './libc.ts';

interface Mapping {
  readonly pointer: NativePointer;
  readonly length: number;
  released: boolean;
}

const registry = new FinalizationRegistry<Mapping>((mapping) => {
  if (!mapping.released) {
    mapping.released = true;
    unmap(mapping.pointer, mapping.length);
  }
});

export class NativeMemory {
  readonly #mapping: Mapping;
  /** Address of the first byte. */
  readonly address: bigint;
  /** Little-endian accessors over the whole block (`byteLength` bytes). */
  readonly view: DataView;
  readonly bytes: Uint8Array;

  constructor(byteLength: number) {
    const length = roundUpToPages(byteLength);
    const pointer = mapReadWrite(length);
    this.#mapping = { pointer, length, released: false };
    this.address = pointer;
    const buffer = viewOf(pointer, length);
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
    registry.register(this, this.#mapping, this);
  }

  get byteLength(): number {
    return this.#mapping.length;
  }

  dispose(): void {
    if (this.#mapping.released) return;
    this.#mapping.released = true;
    registry.unregister(this);
    unmap(this.#mapping.pointer, this.#mapping.length);
  }
}
