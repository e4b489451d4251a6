// Executable cases: linear-memory loads and stores of every width with explicit bounds checks,
// offsets beyond the short immediate forms (and negative displacements), and frame slots.

import { ConvertKind, FloatBinaryKind, Imm, IntBinaryKind, LoadKind, StoreKind } from '../../masm.ts';
import { RegClass } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import { f32Bits } from './numerics.ts';
import { F32, F64, I32, I64, S32, S64, ok, sig, trap, type ExecutableCase } from './types.ts';

const PAGE = 65536;
/** Bytes 0x10, 0x11, … 0x1f at the start of memory. */
const MEMORY_PATTERN = Array.from({ length: 16 }, (_, i) => 0x10 + i);

export const MEMORY_CASES: readonly ExecutableCase[] = [
  {
    name: 'spill to a frame slot and fill back',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      m.spill(8, e.params[0]!, S64);
      m.move(e.params[0]!, Imm.i32(0), S64);
      m.fill(e.result, 8, S64);
    },
    runs: [{ args: [-0x1234_5678_9abcn], expect: ok(-0x1234_5678_9abcn) }],
  },
  {
    name: 'i32.load with an offset is bounds-checked against the memory length',
    signature: sig([I32], [I32]),
    setup: { memoryLength: PAGE, memoryInit: MEMORY_PATTERN },
    body: (m, e) => {
      const address = e.temp(RegClass.Int);
      m.boundsCheck(0, e.params[0]!, S32, 4, 4);
      m.heapAddress(address, 0, e.params[0]!, S32);
      m.load(LoadKind.I32, e.result, address, 4);
    },
    runs: [
      { args: [0], expect: ok(0x17161514) },
      { args: [2], expect: ok(0x19181716) },
      { args: [PAGE - 8], expect: ok(0) },
      { args: [PAGE - 7], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
      // 0xffffffff + 4 must not wrap around to a small address.
      { args: [-1], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
    ],
  },
  {
    name: 'i32.store16 then i32.load16_u and i32.load8_s',
    signature: sig([I32, I32], [I32]),
    setup: { memoryLength: PAGE },
    body: (m, e) => {
      const address = e.temp(RegClass.Int);
      const unsigned = e.temp(RegClass.Int);
      const signed = e.temp(RegClass.Int);
      m.boundsCheck(0, e.params[0]!, S32, 0, 2);
      m.heapAddress(address, 0, e.params[0]!, S32);
      m.store(StoreKind.Store16, e.params[1]!, address, 0);
      m.load(LoadKind.I32Load16U, unsigned, address, 0);
      m.load(LoadKind.I32Load8S, signed, address, 1);
      m.intBinary(IntBinaryKind.Add, S32, e.result, unsigned, signed);
    },
    runs: [
      // Stored 0x1280: load16_u = 0x1280, the high byte 0x12 sign-extends to 18.
      { args: [100, 0x1280], expect: ok(0x1280 + 0x12) },
      // Stored 0xff80: the high byte 0xff sign-extends to -1.
      { args: [PAGE - 2, 0xff80], expect: ok(0xff80 - 1) },
      // Only the low 16 bits (0x5678) are stored.
      { args: [7, 0x1234_5678], expect: ok(0x5678 + 0x56) },
      { args: [PAGE - 1, 1], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
    ],
  },
  {
    name: 'i64.store and i64.load round trip at the last 8 bytes of memory',
    signature: sig([I64], [I64]),
    setup: { memoryLength: PAGE },
    body: (m, e) => {
      const index = e.temp(RegClass.Int);
      const address = e.temp(RegClass.Int);
      m.move(index, Imm.i32(PAGE - 8), S32);
      m.boundsCheck(0, index, S32, 0, 8);
      m.heapAddress(address, 0, index, S32);
      m.store(StoreKind.I64, e.params[0]!, address, 0);
      m.load(LoadKind.I64, e.result, address, 0);
    },
    runs: [
      { args: [-2n], expect: ok(-2n) },
      { args: [0x0102_0304_0506_0708n], expect: ok(0x0102_0304_0506_0708n) },
    ],
  },
  {
    name: 'f32/f64 stores and loads, i64 narrow loads, an offset beyond 16 bits and a negative displacement',
    signature: sig([F64, I64], [I64]),
    setup: { memoryLength: 2 * PAGE },
    body: (m, e) => {
      const index = e.temp(RegClass.Int);
      const address = e.temp(RegClass.Int);
      const t = e.temp(RegClass.Int);
      const f = e.temp(RegClass.Float);
      m.move(index, Imm.i32(8), S32);
      m.boundsCheck(0, index, S32, 70000, 16);
      m.heapAddress(address, 0, index, S32);
      m.store(StoreKind.F64, e.params[0]!, address, 70000);
      m.load(LoadKind.F64, f, address, 70000);
      m.convert(ConvertKind.F32DemoteF64, f, f);
      m.store(StoreKind.F32, f, address, 70008);
      m.store(StoreKind.I64, e.params[1]!, address, -3); // at 8 - 3 = 5
      m.load(LoadKind.I64Load8S, e.result, address, -3);
      m.load(LoadKind.I64Load16S, t, address, -2);
      m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
      m.load(LoadKind.I64Load32S, t, address, 1);
      m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
      m.load(LoadKind.I64Load32U, t, address, 1);
      m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
      m.load(LoadKind.I32, t, address, 70008); // the f32's bits
      m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
    },
    runs: (
      [
        [1.1, 0x8081_8283_8485_8687n - (1n << 64n)],
        [-0, 0x0102_0304_0506_0708n],
      ] as const
    ).map(([d, x]) => {
      const memory = new DataView(new ArrayBuffer(16));
      memory.setBigInt64(5, x, true);
      const sum = BigInt(memory.getInt8(5)) + BigInt(memory.getInt16(6, true)) + BigInt(memory.getInt32(9, true)) + BigInt(memory.getUint32(9, true)) + BigInt(f32Bits(d));
      return { args: [d, x], expect: ok(BigInt.asIntN(64, sum)) };
    }),
  },
  {
    name: 'bounds check of an i64 index with an offset beyond 12 bits',
    signature: sig([I64], [I32]),
    setup: { memoryLength: PAGE, memoryInit: [1, 2, 3, 4] },
    body: (m, e) => {
      m.boundsCheck(0, e.params[0]!, S64, 0x1_0000, 1);
      m.move(e.result, Imm.i32(1), S32);
    },
    runs: [
      { args: [0n], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
      { args: [-1n], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
      { args: [-(1n << 63n)], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
    ],
  },
  {
    name: 'float spill and fill, 32-bit integer slots',
    signature: sig([F32, I32], [F32]),
    body: (m, e) => {
      m.spill(4, e.params[0]!, S32);
      m.spill(16, e.params[1]!, S32);
      m.loadFloatConstant(e.params[0]!, S32, 0, 0);
      m.fill(e.result, 4, S32);
      const t = e.temp(RegClass.Int);
      m.fill(t, 16, S32);
      const f = e.temp(RegClass.Float);
      m.convert(ConvertKind.F32ConvertI32S, f, t);
      m.floatBinary(FloatBinaryKind.Add, S32, e.result, e.result, f);
    },
    runs: [
      { args: [1.5, 3], expect: ok(4.5) },
      { args: [-0.25, -7], expect: ok(-7.25) },
    ],
  },
];
