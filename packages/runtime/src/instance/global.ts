// Globals: one 16-byte native cell each (GLOBAL_SLOT_SIZE). A defined global's cell is its slot
// in the instance's globals area; a global created from JS gets a cell from the store. An
// instance that imports a global stores the address of the exporter's cell in its own slot, so
// an imported mutable global aliases the exporter's storage (generated code loads the pointer
// first for imported globals — see the runtime README, "Globals").

import type { GlobalType } from '@flint/decoder';
import type { NativeCell } from './store.ts';
import { holdsExternHandles, registerExternHolder, type ExternHolder } from './extern-holders.ts';
import { loadValue, storeValue, type WasmValue } from './values.ts';

export class GlobalInstance implements ExternHolder {
  readonly type: GlobalType;
  /** Holding the cell holds what keeps it allocated (its own block, or its instance's). */
  readonly cell: NativeCell;
  /** The owners of function references this global may hold (see `TableInstance.retain`). */
  readonly #retained = new Set<object>();

  constructor(type: GlobalType, cell: NativeCell) {
    this.type = type;
    this.cell = cell;
    if (holdsExternHandles(type.type)) registerExternHolder(this);
  }

  /** Keeps `owner` alive as long as this global: something it owns may be the global's value. */
  retain(owner: object): void {
    this.#retained.add(owner);
  }

  forEachExternHandle(visit: (handle: bigint) => void): void {
    visit(BigInt(this.value));
  }

  get value(): WasmValue {
    return loadValue(this.cell.view, this.cell.offset, this.type.type);
  }

  set value(value: WasmValue) {
    storeValue(this.cell.view, this.cell.offset, this.type.type, value);
  }
}
