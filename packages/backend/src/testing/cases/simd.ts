// Executable cases: v128. The sequences a backend builds from several instructions (i64x2.mul,
// Wasm's float min/max, byte shifts, unsigned saturating truncation, bitmasks, two-source
// shuffles, the ternary operators that may pin registers) and the v128 moves, spills, selects,
// lane accesses and memory forms. Expected values come from the spec's lane-wise definitions,
// computed here on bigints; NaN results are made observable as a fixed pattern (see `nanLanesAs`).
//
// The runtime's kit run repeats every case with each optional CPU feature switched off and with
// none: a backend whose SIMD needs a feature (x64: SSE4.1) emits its floor then too, because the
// runtime, not the MacroAssembler, refuses SIMD modules on a CPU without it — so these runs check
// the floor sequences and each optional path (x64: SSE4.2, AVX, AVX2, FMA3) on real hardware.

import { FloatCond, Imm, IntBinaryKind, IntCond, LoadKind, ShiftKind, StoreKind, ValueSize, type MacroAssembler } from '../../masm.ts';
import { RegClass, type Reg } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import { LaneShape, V128BinaryKind, V128LoadKind, V128ReduceKind, V128TernaryKind, V128UnaryKind } from '../../v128.ts';
import { VMCTX_MEMORY0_BASE } from '../../vmcontext.ts';
import { I32, S32, V128, ok, sig, trap, type CaseEnv, type ExecutableCase } from './types.ts';

const S128 = ValueSize.S128;
const PAGE = 65536;

/** A v128 from lanes of `bits` bits (lane 0 first), as the bigint the kit passes. */
function lanes(bits: number, values: readonly (number | bigint)[]): bigint {
  let v = 0n;
  values.forEach((x, i) => {
    v |= BigInt.asUintN(bits, BigInt(x)) << BigInt(i * bits);
  });
  return v;
}
const i8x16 = (...x: number[]) => lanes(8, x);
const i16x8 = (...x: number[]) => lanes(16, x);
const i32x4 = (...x: (number | bigint)[]) => lanes(32, x);
const i64x2 = (...x: bigint[]) => lanes(64, x);
const view = new DataView(new ArrayBuffer(8));
const f32 = (x: number): number => {
  view.setFloat32(0, x, true);
  return view.getUint32(0, true);
};
const f64 = (x: number): bigint => {
  view.setFloat64(0, x, true);
  return view.getBigUint64(0, true);
};
const f32x4 = (...x: number[]) => lanes(32, x.map(f32));
const f64x2 = (...x: number[]) => lanes(64, x.map(f64));
/** The lane-wise product of two i64x2 values, modulo 2^64. */
const mul64 = (a: readonly bigint[], b: readonly bigint[]) => i64x2(...a.map((x, i) => BigInt.asUintN(64, x * b[i]!)));

/** The bytes of a v128 constant (for `loadV128Constant`). */
function bytesOf(value: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return out;
}

const QUIET_NAN_F32 = 0x7fc0_0000;

/**
 * dst ← src with every NaN lane (f32x4) replaced by 0x7fc00000, so cases can expect exact bits
 * where Wasm allows any NaN: NaN lanes are those not equal to themselves.
 */
function nanLanesAs(m: MacroAssembler, e: CaseEnv, dst: Reg, src: Reg): void {
  const mask = e.temp(RegClass.Float);
  const nan = e.temp(RegClass.Float);
  m.v128FloatCompare(LaneShape.F32x4, FloatCond.Ne, mask, src, src);
  m.loadV128Constant(nan, bytesOf(i32x4(QUIET_NAN_F32, QUIET_NAN_F32, QUIET_NAN_F32, QUIET_NAN_F32)), 0);
  m.v128Binary(V128BinaryKind.And, nan, nan, mask);
  m.v128Binary(V128BinaryKind.AndNot, dst, src, mask);
  m.v128Binary(V128BinaryKind.Or, dst, dst, nan);
}

/**
 * Runs a ternary kind through the kit's value stack (where a backend may pin registers) on copies
 * of the three parameters, which the pinning could otherwise overwrite, and moves the result out.
 */
function ternary(m: MacroAssembler, e: CaseEnv, kind: V128TernaryKind): void {
  const copies = e.params.map((p) => {
    const t = e.temp(RegClass.Float);
    m.move(t, p, S128);
    return t;
  });
  for (const reg of copies) e.stack.pushReg(reg, S128);
  m.v128Ternary(e.stack, kind);
  const out = e.stack.popToAnyReg(RegClass.Float);
  m.move(e.result, out, S128);
  e.stack.freeReg(out);
}

/** A case applying one binary kind to two v128 parameters. */
const binary = (name: string, kind: V128BinaryKind, runs: ExecutableCase['runs']): ExecutableCase => ({
  name,
  signature: sig([V128, V128], [V128]),
  body: (m, e) => m.v128Binary(kind, e.result, e.params[0]!, e.params[1]!),
  runs,
});

const byteShift = (kind: ShiftKind, shift: (x: number, n: number) => number): ExecutableCase => {
  const x = [0x81, 0x7f, 0x01, 0xff, 0x40, 0x80, 0x00, 0x33, 0xc3, 0x3c, 0x55, 0xaa, 0x10, 0xf0, 0x0f, 0xfe];
  const name = ['shl', 'shr_s', 'shr_u'][kind]!;
  return {
    name: `i8x16.${name} by a register count taken modulo 8`,
    signature: sig([V128, I32], [V128]),
    body: (m, e) => m.v128Shift(LaneShape.I8x16, kind, e.result, e.params[0]!, e.params[1]!),
    runs: [1, 3, 7, 8, 11, 0].map((n) => ({ args: [i8x16(...x), n], expect: ok(i8x16(...x.map((b) => shift(b, n & 7)))) })),
  };
};

export const SIMD_CASES: readonly ExecutableCase[] = [
  {
    name: 'v128: spill to a 16-byte frame slot, fill back and move',
    signature: sig([V128], [V128]),
    body: (m, e) => {
      const t = e.temp(RegClass.Float);
      m.spill(16, e.params[0]!, S128);
      m.loadV128Constant(e.params[0]!, bytesOf(0n), 0);
      m.fill(t, 16, S128);
      m.move(e.result, t, S128);
    },
    runs: [{ args: [i32x4(0x0102_0304, -1, 0x8000_0000, 0x7fff_fffe)], expect: ok(i32x4(0x0102_0304, -1, 0x8000_0000, 0x7fff_fffe)) }],
  },
  {
    name: 'v128 select picks a whole register',
    signature: sig([V128, V128, I32], [V128]),
    body: (m, e) => m.select(S128, e.result, e.params[2]!, e.params[0]!, e.params[1]!),
    runs: [
      { args: [i64x2(1n, 2n), i64x2(3n, 4n), 1], expect: ok(i64x2(1n, 2n)) },
      { args: [i64x2(1n, 2n), i64x2(3n, 4n), 0], expect: ok(i64x2(3n, 4n)) },
    ],
  },
  {
    name: 'splat, replace_lane and extract_lane_s',
    signature: sig([I32, I32], [I32]),
    body: (m, e) => {
      const v = e.temp(RegClass.Float);
      m.v128Splat(LaneShape.I16x8, v, e.params[0]!);
      m.v128ReplaceLane(LaneShape.I16x8, v, v, e.params[1]!, 5);
      const a = e.temp(RegClass.Int);
      m.v128ExtractLane(LaneShape.I16x8, true, a, v, 5);
      m.v128ExtractLane(LaneShape.I16x8, false, e.result, v, 4);
      m.intBinary(IntBinaryKind.Add, S32, e.result, e.result, a);
    },
    // lane 5 = param 1 sign-extended from 16 bits, lane 4 = param 0 zero-extended from 16 bits.
    runs: [
      { args: [0x1_8001, 0xfffe], expect: ok(0x8001 - 2) },
      { args: [7, 0x7fff], expect: ok(7 + 0x7fff) },
    ],
  },
  binary('i64x2.mul keeps the low 64 bits of each product', V128BinaryKind.I64x2Mul, [
    { args: [i64x2(3n, -1n), i64x2(0x1_0000_0001n, 0x7fff_ffff_ffff_ffffn)], expect: ok(mul64([3n, -1n], [0x1_0000_0001n, 0x7fff_ffff_ffff_ffffn])) },
    {
      args: [i64x2(0x1234_5678_9abc_def0n, -0x8000_0000_0000_0000n), i64x2(0x0fed_cba9_8765_4321n, -1n)],
      expect: ok(mul64([0x1234_5678_9abc_def0n, -0x8000_0000_0000_0000n], [0x0fed_cba9_8765_4321n, -1n])),
    },
  ]),
  {
    name: 'f32x4.min and max follow Wasm: NaN in either operand, -0 below +0',
    signature: sig([V128, V128], [V128]),
    body: (m, e) => {
      const min = e.temp(RegClass.Float);
      m.v128Binary(V128BinaryKind.F32x4Min, min, e.params[0]!, e.params[1]!);
      m.v128Binary(V128BinaryKind.F32x4Max, e.params[1]!, e.params[0]!, e.params[1]!);
      nanLanesAs(m, e, min, min);
      nanLanesAs(m, e, e.params[1]!, e.params[1]!);
      // The min's lanes 0 and 1 with the max's lanes 0 and 1 (as lanes 2 and 3).
      m.v128Shuffle(e.result, min, e.params[1]!, bytesOf(i8x16(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23)), 0);
    },
    runs: [
      { args: [f32x4(0, NaN, 0, 0), f32x4(-0, 1, 0, 0)], expect: ok(lanes(32, [f32(-0), QUIET_NAN_F32, f32(0), QUIET_NAN_F32])) },
      { args: [f32x4(-0, 5, 0, 0), f32x4(0, NaN, 0, 0)], expect: ok(lanes(32, [f32(-0), QUIET_NAN_F32, f32(0), QUIET_NAN_F32])) },
      { args: [f32x4(-3, 2.5, 0, 0), f32x4(1, -Infinity, 0, 0)], expect: ok(f32x4(-3, -Infinity, 1, 2.5)) },
    ],
  },
  byteShift(ShiftKind.Shl, (b, n) => (b << n) & 0xff),
  byteShift(ShiftKind.ShrS, (b, n) => ((b << 24) >> (24 + n)) & 0xff),
  byteShift(ShiftKind.ShrU, (b, n) => b >> n),
  {
    name: 'i64x2.shr_s by a constant and by a register',
    signature: sig([V128, I32], [V128]),
    body: (m, e) => {
      const t = e.temp(RegClass.Float);
      m.v128Shift(LaneShape.I64x2, ShiftKind.ShrS, t, e.params[0]!, Imm.i32(65)); // 65 mod 64 = 1
      m.v128Shift(LaneShape.I64x2, ShiftKind.ShrS, e.result, e.params[0]!, e.params[1]!);
      m.v128Binary(V128BinaryKind.I64x2Add, e.result, e.result, t);
    },
    runs: [
      { args: [i64x2(-0x100n, 0x100n), 4], expect: ok(i64x2(-0x10n - 0x80n, 0x10n + 0x80n)) },
      { args: [i64x2(-1n, -0x8000_0000_0000_0000n), 63], expect: ok(i64x2(-1n - 1n, -1n - 0x4000_0000_0000_0000n)) },
    ],
  },
  {
    name: 'i32x4.trunc_sat_f32x4_u saturates both ways and maps NaN to 0',
    signature: sig([V128], [V128]),
    body: (m, e) => m.v128Unary(V128UnaryKind.I32x4TruncSatF32x4U, e.result, e.params[0]!),
    runs: [
      { args: [f32x4(1.9, -1, 4294967296, NaN)], expect: ok(i32x4(1, 0, 0xffff_ffff, 0)) },
      { args: [f32x4(2147483648, 3000000000, -0, Infinity)], expect: ok(i32x4(0x8000_0000, 3000000000, 0, 0xffff_ffff)) },
    ],
  },
  {
    name: 'i32x4.trunc_sat_f64x2_s_zero saturates and zeroes the upper lanes',
    signature: sig([V128], [V128]),
    body: (m, e) => m.v128Unary(V128UnaryKind.I32x4TruncSatF64x2SZero, e.result, e.params[0]!),
    runs: [
      { args: [f64x2(-1e10, 2147483647.9)], expect: ok(i32x4(-0x8000_0000, 0x7fff_ffff, 0, 0)) },
      { args: [f64x2(NaN, -2.5)], expect: ok(i32x4(0, -2, 0, 0)) },
    ],
  },
  {
    name: 'f32x4.convert_i32x4_u rounds once',
    signature: sig([V128], [V128]),
    body: (m, e) => m.v128Unary(V128UnaryKind.F32x4ConvertI32x4U, e.result, e.params[0]!),
    runs: [{ args: [i32x4(0xffff_ffff, 0x8000_0001, 16777217, 1)], expect: ok(f32x4(4294967296, 2147483648, 16777216, 1)) }],
  },
  {
    name: 'i8x16.popcnt',
    signature: sig([V128], [V128]),
    body: (m, e) => m.v128Unary(V128UnaryKind.I8x16Popcnt, e.result, e.params[0]!),
    runs: [{ args: [i8x16(0, 1, 3, 7, 0xf, 0x1f, 0x3f, 0x7f, 0xff, 0x80, 0xaa, 0x55, 0x11, 0xf0, 0x0f, 0x81)], expect: ok(i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 4, 4, 2, 4, 4, 2)) }],
  },
  {
    name: 'i8x16.bitmask plus i16x8.all_true',
    signature: sig([V128], [I32]),
    body: (m, e) => {
      const t = e.temp(RegClass.Int);
      m.v128Reduce(V128ReduceKind.I8x16Bitmask, e.result, e.params[0]!);
      m.v128Reduce(V128ReduceKind.I16x8AllTrue, t, e.params[0]!);
      m.intBinary(IntBinaryKind.Add, S32, e.result, e.result, t);
    },
    runs: [
      { args: [i8x16(0x80, 1, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x90)], expect: ok(0x8005) },
      { args: [i8x16(1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0x80)], expect: ok(0x8000 + 1) },
    ],
  },
  binary('i8x16.swizzle: indices past 15 give 0', V128BinaryKind.I8x16Swizzle, [
    { args: [i8x16(...Array.from({ length: 16 }, (_, i) => 0x10 + i)), i8x16(15, 0, 16, 0x80, 1, 2, 255, 17, 3, 3, 3, 3, 14, 13, 12, 11)], expect: ok(i8x16(0x1f, 0x10, 0, 0, 0x11, 0x12, 0, 0, 0x13, 0x13, 0x13, 0x13, 0x1e, 0x1d, 0x1c, 0x1b)) },
  ]),
  binary('i16x8.q15mulr_sat_s saturates -1 * -1 to 0x7fff', V128BinaryKind.I16x8Q15mulrSatS, [
    { args: [i16x8(-0x8000, 0x4000, -0x8000, 0x7fff, 0, 1, 2, 3), i16x8(-0x8000, 0x4000, 0x7fff, 0x7fff, 5, 1, 2, 3)], expect: ok(i16x8(0x7fff, 0x2000, -0x7fff, 0x7ffe, 0, 0, 0, 0)) },
  ]),
  binary('i32x4.extmul_high_i16x8_u', V128BinaryKind.I32x4ExtmulHighI16x8U, [
    { args: [i16x8(1, 2, 3, 4, 0xffff, 2, 0x8000, 7), i16x8(9, 9, 9, 9, 0xffff, 3, 2, 0x1000)], expect: ok(i32x4(0xfffe_0001, 6, 0x1_0000, 0x7000)) },
  ]),
  {
    name: 'i64x2.gt_s and i32x4.le_u compare lanes',
    signature: sig([V128, V128], [V128]),
    body: (m, e) => {
      const t = e.temp(RegClass.Float);
      m.v128IntCompare(LaneShape.I64x2, IntCond.GtS, t, e.params[0]!, e.params[1]!);
      m.v128IntCompare(LaneShape.I32x4, IntCond.LeU, e.result, e.params[0]!, e.params[1]!);
      m.v128Binary(V128BinaryKind.Xor, e.result, e.result, t);
    },
    // gt_s as i64 lanes: (-1 > 1) = 0, (2^32 > 2^32 - 1) = all ones → u32 lanes [0, 0, ~0, ~0];
    // le_u as u32 lanes: [~0 ≤ 1, ~0 ≤ 0, 0 ≤ ~0, 1 ≤ 0] → [0, 0, ~0, 0]; their xor: [0, 0, 0, ~0].
    runs: [
      {
        args: [i64x2(-1n, 0x1_0000_0000n), i64x2(1n, 0xffff_ffffn)],
        expect: ok(lanes(32, [0, 0, 0, 0xffff_ffff])),
      },
    ],
  },
  {
    name: 'two-source shuffle',
    signature: sig([V128, V128], [V128]),
    body: (m, e) => m.v128Shuffle(e.result, e.params[0]!, e.params[1]!, bytesOf(i8x16(31, 0, 16, 15, 1, 17, 2, 18, 3, 19, 30, 14, 5, 5, 20, 21)), 0),
    runs: [
      {
        args: [i8x16(...Array.from({ length: 16 }, (_, i) => i)), i8x16(...Array.from({ length: 16 }, (_, i) => 0x40 + i))],
        expect: ok(i8x16(0x4f, 0, 0x40, 15, 1, 0x41, 2, 0x42, 3, 0x43, 0x4e, 14, 5, 5, 0x44, 0x45)),
      },
    ],
  },
  {
    name: 'v128.bitselect takes each bit from the first operand where the mask bit is set',
    signature: sig([V128, V128, V128], [V128]),
    body: (m, e) => ternary(m, e, V128TernaryKind.Bitselect),
    runs: [{ args: [i32x4(0x1111_1111, 0, -1, 0x0f0f_0f0f), i32x4(0x2222_2222, -1, 0, 0xf0f0_f0f0), i32x4(0xffff_0000, 0x1234_5678, 0x8765_4321, -1)], expect: ok(i32x4(0x1111_2222, 0xedcb_a987, 0x8765_4321, 0x0f0f_0f0f)) }],
  },
  {
    name: 'i8x16.relaxed_laneselect with whole-byte masks (where every allowed result agrees)',
    signature: sig([V128, V128, V128], [V128]),
    body: (m, e) => ternary(m, e, V128TernaryKind.I8x16RelaxedLaneselect),
    runs: [
      {
        args: [i8x16(...Array<number>(16).fill(0x11)), i8x16(...Array<number>(16).fill(0x22)), i8x16(0xff, 0, 0xff, 0, 0, 0, 0xff, 0xff, 0, 0xff, 0, 0, 0, 0, 0, 0xff)],
        expect: ok(i8x16(0x11, 0x22, 0x11, 0x22, 0x22, 0x22, 0x11, 0x11, 0x22, 0x11, 0x22, 0x22, 0x22, 0x22, 0x22, 0x11)),
      },
    ],
  },
  {
    name: 'v128 loads: splat, lane and zero-extending, with their bounds checks',
    signature: sig([I32], [V128]),
    setup: { memoryLength: PAGE, memoryInit: Array.from({ length: 16 }, (_, i) => 0xa0 + i) },
    body: (m, e) => {
      const address = e.temp(RegClass.Int);
      m.boundsCheck(0, e.params[0]!, S32, 2, 4);
      m.heapAddress(address, 0, e.params[0]!, S32);
      m.v128Load(V128LoadKind.Load32Splat, e.result, address, 2);
      m.v128LoadLane(8, e.result, address, 0, 13);
    },
    runs: [
      { args: [0], expect: ok(i8x16(0xa2, 0xa3, 0xa4, 0xa5, 0xa2, 0xa3, 0xa4, 0xa5, 0xa2, 0xa3, 0xa4, 0xa5, 0xa2, 0xa0, 0xa4, 0xa5)) },
      { args: [PAGE - 5], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
    ],
  },
  {
    name: 'v128.load8x8_u and load64_zero',
    signature: sig([I32], [V128]),
    setup: { memoryLength: PAGE, memoryInit: Array.from({ length: 16 }, (_, i) => 0xa0 + i) },
    body: (m, e) => {
      const address = e.temp(RegClass.Int);
      const zero = e.temp(RegClass.Float);
      m.heapAddress(address, 0, e.params[0]!, S32);
      m.v128Load(V128LoadKind.Load8x8U, e.result, address, 8);
      m.v128Load(V128LoadKind.Load64Zero, zero, address, 0);
      m.v128Binary(V128BinaryKind.Xor, e.result, e.result, zero);
    },
    runs: [{ args: [0], expect: ok(i16x8(0xa8 ^ 0xa1a0, 0xa9 ^ 0xa3a2, 0xaa ^ 0xa5a4, 0xab ^ 0xa7a6, 0xac, 0xad, 0xae, 0xaf)) }],
  },
  {
    name: 'v128.store and store64_lane, read back with v128.load',
    signature: sig([V128], [V128]),
    setup: { memoryLength: PAGE },
    body: (m, e) => {
      const base = e.temp(RegClass.Int);
      m.loadPtr(base, m.registers.vmContext, VMCTX_MEMORY0_BASE);
      m.store(StoreKind.V128, e.params[0]!, base, 32);
      m.v128StoreLane(64, e.params[0]!, base, 40, 0);
      m.load(LoadKind.V128, e.result, base, 32);
    },
    runs: [{ args: [i64x2(0x1111_2222_3333_4444n, 0x5555_6666_7777_8888n)], expect: ok(i64x2(0x1111_2222_3333_4444n, 0x1111_2222_3333_4444n)) }],
  },
];

