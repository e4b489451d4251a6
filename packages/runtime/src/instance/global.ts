// Globals: one 16-byte native cell each (GLOBAL_SLOT_SIZE). A defined global's cell is its slot
// in the instance's globals area; a global created from JS gets a cell from the store. An
// instance that imports a global stores the address of the exporter's cell in its own slot, so
// an imported mutable global aliases the exporter's storage (generated code loads the pointer
// first for imported globals — see the runtime README, "Globals").

import type { GlobalType } from '@flint/decoder';
import type { NativeCell } from './store.ts';
import { loadValue, storeValue, type WasmValue } from './values.ts';

export class GlobalInstance {
  readonly type: GlobalType;
  readonly cell: NativeCell;

  constructor(type: GlobalType, cell: NativeCell) {
    this.type = type;
    this.cell = cell;
  }

  get value(): WasmValue {
    return loadValue(this.cell.view, this.cell.offset, this.type.type);
  }

  set value(value: WasmValue) {
    storeValue(this.cell.view, this.cell.offset, this.type.type, value);
  }
}
