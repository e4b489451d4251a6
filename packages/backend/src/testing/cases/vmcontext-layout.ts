// Executable cases: the VM-context layout against real memory, on every backend. The memory holds
// a VM context's bytes — each field a distinct value at its declared offset and width, a filler
// everywhere else — and generated code reads each field back the way compiled code reads the VM
// context: `loadPtr(dst, base, offset)` for pointer-sized fields, a 32-bit load for the others. A
// wrong offset, width or alignment, or an ISA whose load encoding mangles an offset inside the
// VM context, reads something recognisably different.

import { Imm, LoadKind } from '../../masm.ts';
import { RegClass } from '../../regs.ts';
import { VMContextFieldSize, VMContextLayout } from '../../vmcontext.ts';
import { I32, I64, S32, ok, sig, type ExecutableCase, type WasmValue } from './types.ts';

type Field = keyof typeof VMContextFieldSize;

const FIELDS = (Object.keys(VMContextFieldSize) as Field[]).map((name, i) => ({ name, index: i, offset: VMContextLayout[name], width: VMContextFieldSize[name] }));

/** The value the pattern puts in field `index`: distinct per field, with high bits set in 64-bit fields. */
function fieldValue(index: number, offset: number, width: 4 | 8): WasmValue {
  return width === 8 ? BigInt.asIntN(64, 0x1000_0000_0000_0001n * BigInt(index + 1) + BigInt(offset)) : (0x1234_0000 + index) | 0;
}

/** A VM context's bytes: 0xa5 filler, every field's value little-endian at its offset. */
function layoutPattern(): number[] {
  const bytes = new Uint8Array(VMContextLayout.size).fill(0xa5);
  const view = new DataView(bytes.buffer);
  for (const f of FIELDS) {
    const value = fieldValue(f.index, f.offset, f.width);
    if (f.width === 8) view.setBigInt64(f.offset, value as bigint, true);
    else view.setInt32(f.offset, value as number, true);
  }
  return [...bytes];
}

const PATTERN = layoutPattern();

export const VMCONTEXT_LAYOUT_CASES: readonly ExecutableCase[] = FIELDS.map((f) => ({
  name: `VM-context layout: ${f.name} (${f.width} bytes at ${f.offset}) reads back from real memory`,
  signature: sig([], [f.width === 8 ? I64 : I32]),
  setup: { memoryLength: 65536, memoryInit: PATTERN },
  body: (m, e) => {
    // base = the start of memory 0, where the pattern is.
    const index = e.temp(RegClass.Int);
    const base = e.temp(RegClass.Int);
    m.move(index, Imm.i32(0), S32);
    m.heapAddress(base, 0, index, S32);
    if (f.width === 8) m.loadPtr(e.result, base, f.offset);
    else m.load(LoadKind.I32, e.result, base, f.offset);
  },
  runs: [{ args: [], expect: ok(fieldValue(f.index, f.offset, f.width)) }],
}));
