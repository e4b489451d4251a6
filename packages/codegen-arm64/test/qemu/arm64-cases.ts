// Executable cases beyond the shared kit, for the operations the kit does not reach yet: every
// conversion (trapping, saturating, int→float), float rounding and comparisons, copysign, all
// shift and division kinds, immediates that need materializing, wide loads and offsets, and the
// calls that switch VM contexts (imports, call_indirect with its three traps, return_call_indirect,
// builtins). Same format as @flint/backend/testing's cases, so `runExecutableCase` drives them.
//
// Expected values come from JavaScript references written from the Wasm spec's definitions
// (https://webassembly.github.io/spec/core/exec/numerics.html), never from this backend's output.
// Inputs to float→int and int→float cases are chosen exactly representable in the source type,
// so JavaScript's own rounding (to f64, then Math.fround) is a single correct rounding.

import {
  ConvertKind,
  DivKind,
  FloatBinaryKind,
  FloatCond,
  FloatUnaryKind,
  Imm,
  IntBinaryKind,
  IntCond,
  IntUnaryKind,
  LoadKind,
  RegClass,
  ShiftKind,
  StoreKind,
  TrapReason,
  VMCTX_GLOBALS,
  ValueKind,
  type MacroAssembler,
  type OperandSize,
  type Signature,
} from '@flint/backend';
import type { CaseEnv, CaseRun, CaseSetup, ExecutableCase, WasmValue } from '@flint/backend/testing';

const { I32, I64, F32, F64 } = ValueKind;
const S32: OperandSize = 32;
const S64: OperandSize = 64;
const sig = (params: ValueKind[], results: ValueKind[]): Signature => ({ params, results });
const ok = (...results: WasmValue[]) => ({ results });
const trap = (reason: TrapReason) => ({ trap: reason });

/** What the arm64 runner provides beyond the kit's `CaseSetup`. */
export interface Arm64CaseSetup extends CaseSetup {
  /**
   * Build the callee (`calleeBody`) and give the case: one import record and 8 builtin slots
   * calling it in a second instance / this instance, table 0 with `table` entries (a canonical
   * type id and whether the funcref belongs to this instance; null = null entry), and the
   * module's canonical type ids `signatureIds`. This VM context's VMCTX_GLOBALS field holds
   * THIS_MARKER, the second instance's OTHER_MARKER, so results show whose context code ran in.
   */
  readonly callee?: boolean;
  readonly table?: readonly ({ readonly typeId: number; readonly sameInstance: boolean } | null)[];
  readonly signatureIds?: readonly number[];
}

export const THIS_MARKER = 7;
export const OTHER_MARKER = 1000;

/** The callee of the call cases: (i64 x) → x + [vmctx + VMCTX_GLOBALS] (its instance's marker). */
export function calleeBody(m: MacroAssembler): void {
  const x0 = m.callingConvention.intArgs[0]!;
  const x1 = m.callingConvention.intArgs[1]!;
  m.prologue(16);
  m.loadPtr(x1, m.registers.vmContext, VMCTX_GLOBALS);
  m.intBinary(IntBinaryKind.Add, S64, x0, x0, x1);
  m.epilogue();
}

// --- references ---------------------------------------------------------------------------------

const f32 = Math.fround;
const isF32 = (x: number) => Number.isNaN(x) || Object.is(f32(x), x);
const bits = new DataView(new ArrayBuffer(8));

function truncRef(x: number, intBits: 32 | 64, signed: boolean): { ok: WasmValue } | { trap: TrapReason } {
  if (Number.isNaN(x)) return { trap: TrapReason.InvalidConversionToInteger };
  if (!Number.isFinite(x)) return { trap: TrapReason.IntegerOverflow };
  // Exact integer arithmetic: as doubles, 2^63 - 1 would round up to 2^63.
  const t = BigInt(Math.trunc(x));
  const min = signed ? -(2n ** BigInt(intBits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(intBits - 1) - 1n : 2n ** BigInt(intBits) - 1n;
  if (t < min || t > max) return { trap: TrapReason.IntegerOverflow };
  return { ok: intBits === 64 ? BigInt.asIntN(64, t) : Number(BigInt.asIntN(32, t)) };
}

function truncSatRef(x: number, intBits: 32 | 64, signed: boolean): WasmValue {
  const min = signed ? -(2n ** BigInt(intBits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(intBits - 1) - 1n : 2n ** BigInt(intBits) - 1n;
  let v: bigint;
  if (Number.isNaN(x)) v = 0n;
  else if (x === Infinity) v = max;
  else if (x === -Infinity) v = min;
  else {
    v = BigInt(Math.trunc(x));
    if (v < min) v = min;
    if (v > max) v = max;
  }
  return intBits === 64 ? BigInt.asIntN(64, v) : Number(BigInt.asIntN(32, v));
}

function nearestRef(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  const r = diff < 0.5 ? floor : diff > 0.5 ? floor + 1 : floor % 2 === 0 ? floor : floor + 1;
  return r === 0 && x < 0 ? -0 : r;
}

const TRUNC_INPUTS = [
  NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, -0.9, -1, -1.5, 1.9, 100.7, -100.7,
  2 ** 31 - 1, 2 ** 31 - 128, 2 ** 31 - 0.5, 2 ** 31, -(2 ** 31), -(2 ** 31) - 0.5, -(2 ** 31) - 1, -(2 ** 31) - 256,
  2 ** 32 - 1, 2 ** 32 - 256, 2 ** 32 - 0.5, 2 ** 32, 2 ** 53, 2 ** 63 - 1024, 2 ** 63 - 2 ** 39, 2 ** 63, -(2 ** 63), -(2 ** 63) - 2048,
  -(2 ** 63) - 2 ** 40, 2 ** 64 - 2048, 2 ** 64 - 2 ** 40, 2 ** 64, 1e30, -1e30,
];

// [kind, source, result bits, signed]
const TRUNCATIONS: readonly [ConvertKind, ValueKind, 32 | 64, boolean, string][] = [
  [ConvertKind.I32TruncF32S, F32, 32, true, 'i32.trunc_f32_s'],
  [ConvertKind.I32TruncF32U, F32, 32, false, 'i32.trunc_f32_u'],
  [ConvertKind.I32TruncF64S, F64, 32, true, 'i32.trunc_f64_s'],
  [ConvertKind.I32TruncF64U, F64, 32, false, 'i32.trunc_f64_u'],
  [ConvertKind.I64TruncF32S, F32, 64, true, 'i64.trunc_f32_s'],
  [ConvertKind.I64TruncF32U, F32, 64, false, 'i64.trunc_f32_u'],
  [ConvertKind.I64TruncF64S, F64, 64, true, 'i64.trunc_f64_s'],
  [ConvertKind.I64TruncF64U, F64, 64, false, 'i64.trunc_f64_u'],
];

function conversionCases(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  for (const [kind, source, intBits, signed, name] of TRUNCATIONS) {
    const inputs = TRUNC_INPUTS.filter((x) => source === F64 || isF32(x));
    const result = intBits === 64 ? I64 : I32;
    cases.push({
      name: `${name} traps on NaN and out of range`,
      signature: sig([source], [result]),
      body: (m, e) => m.convert(kind, e.result, e.params[0]!),
      runs: inputs.map((x): CaseRun => {
        const r = truncRef(x, intBits, signed);
        return { args: [x], expect: 'trap' in r ? trap(r.trap) : ok(r.ok) };
      }),
    });
    const satKind = (kind - ConvertKind.I32TruncF32S + ConvertKind.I32TruncSatF32S) as ConvertKind;
    cases.push({
      name: `${name.replace('trunc', 'trunc_sat')} saturates`,
      signature: sig([source], [result]),
      body: (m, e) => m.convert(satKind, e.result, e.params[0]!),
      runs: inputs.map((x) => ({ args: [x], expect: ok(truncSatRef(x, intBits, signed)) })),
    });
  }
  const intToFloat: [ConvertKind, ValueKind, ValueKind, boolean, string][] = [
    [ConvertKind.F32ConvertI32S, I32, F32, true, 'f32.convert_i32_s'],
    [ConvertKind.F32ConvertI32U, I32, F32, false, 'f32.convert_i32_u'],
    [ConvertKind.F32ConvertI64S, I64, F32, true, 'f32.convert_i64_s'],
    [ConvertKind.F32ConvertI64U, I64, F32, false, 'f32.convert_i64_u'],
    [ConvertKind.F64ConvertI32S, I32, F64, true, 'f64.convert_i32_s'],
    [ConvertKind.F64ConvertI32U, I32, F64, false, 'f64.convert_i32_u'],
    [ConvertKind.F64ConvertI64S, I64, F64, true, 'f64.convert_i64_s'],
    [ConvertKind.F64ConvertI64U, I64, F64, false, 'f64.convert_i64_u'],
  ];
  // Few significant bits, so that the value is exact in f64 and Math.fround rounds once.
  const i32Inputs = [0, 1, -1, 0x7fff_ffff, -0x8000_0000, 0x0100_0001, -0x0100_0003, 123456789];
  const i64Inputs = [0n, 1n, -1n, (1n << 63n) - (1n << 10n), -(1n << 63n), (1n << 62n) + (1n << 30n), -(1n << 40n) - 1n, (1n << 24n) + 1n, (1n << 53n) + (1n << 29n)];
  for (const [kind, from, to, signed, name] of intToFloat) {
    const inputs: WasmValue[] = from === I32 ? i32Inputs : i64Inputs;
    cases.push({
      name,
      signature: sig([from], [to]),
      body: (m, e) => m.convert(kind, e.result, e.params[0]!),
      runs: inputs.map((x) => {
        const exact = from === I32 ? (signed ? (x as number) : (x as number) >>> 0) : Number(signed ? BigInt.asIntN(64, x as bigint) : BigInt.asUintN(64, x as bigint));
        return { args: [x], expect: ok(to === F32 ? f32(exact) : exact) };
      }),
    });
  }
  cases.push({
    name: 'f32.demote_f64 and f64.promote_f32 round trip',
    signature: sig([F64], [F64]),
    body: (m, e) => {
      const t = e.temp(RegClass.Float);
      m.convert(ConvertKind.F32DemoteF64, t, e.params[0]!);
      m.convert(ConvertKind.F64PromoteF32, e.result, t);
    },
    runs: [Math.PI, -0, 1e300, -1e-300, 16777217, Infinity].map((x) => ({ args: [x], expect: ok(f32(x)) })),
  });
  cases.push({
    name: 'reinterpretations keep the bits',
    signature: sig([F32, I64], [I64]),
    body: (m, e) => {
      const i = e.temp(RegClass.Int);
      const d = e.temp(RegClass.Float);
      const j = e.temp(RegClass.Int);
      m.convert(ConvertKind.I32ReinterpretF32, i, e.params[0]!); // f32 bits, zero-extended
      m.convert(ConvertKind.F64ReinterpretI64, d, e.params[1]!);
      m.convert(ConvertKind.I64ReinterpretF64, j, d);
      m.intBinary(IntBinaryKind.Xor, S64, e.result, i, j);
    },
    runs: [
      [1.5, 0x1234_5678_9abc_def0n],
      [-0, -1n],
    ].map(([x, y]) => {
      bits.setFloat32(0, x as number, true);
      return { args: [x as number, y as bigint], expect: ok(BigInt.asIntN(64, BigInt(bits.getUint32(0, true)) ^ (y as bigint))) };
    }),
  });
  cases.push({
    name: 'i64.extend_i32_s, extend8_s, extend16_s and i32.wrap_i64',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      const p = e.params[0]!;
      const a = e.temp(RegClass.Int);
      const b = e.temp(RegClass.Int);
      m.convert(ConvertKind.I32WrapI64, a, p);
      m.intUnary(IntUnaryKind.Extend8S, S64, b, a); // sign of bit 7
      m.intUnary(IntUnaryKind.Extend16S, S32, a, a); // i32, zero-extended
      m.intBinary(IntBinaryKind.Add, S64, a, a, b);
      m.intUnary(IntUnaryKind.Extend32S, S64, b, p);
      m.intBinary(IntBinaryKind.Xor, S64, e.result, a, b);
    },
    runs: [0x1234_5678_8081n, -1n, 0x7fn, 0xffff_ff80n].map((x) => {
      const wrapped = BigInt.asUintN(32, x);
      const e8 = BigInt.asIntN(8, wrapped);
      const e16 = BigInt.asUintN(32, BigInt.asIntN(16, wrapped));
      const e32 = BigInt.asIntN(32, x);
      return { args: [x], expect: ok(BigInt.asIntN(64, BigInt.asIntN(64, e16 + e8) ^ e32)) };
    }),
  });
  return cases;
}

function floatCases(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  const inputs = [0.5, -0.5, 1.5, 2.5, -2.5, 3.7, -3.7, -0, 0, NaN, Infinity, -Infinity, 4503599627370497, 1e300, 0.49999999999999994];
  const unary: [FloatUnaryKind, string, (x: number) => number][] = [
    [FloatUnaryKind.Ceil, 'ceil', Math.ceil],
    [FloatUnaryKind.Floor, 'floor', Math.floor],
    [FloatUnaryKind.Trunc, 'trunc', Math.trunc],
    [FloatUnaryKind.Nearest, 'nearest', nearestRef],
    [FloatUnaryKind.Abs, 'abs', Math.abs],
    [FloatUnaryKind.Neg, 'neg', (x) => -x],
    [FloatUnaryKind.Sqrt, 'sqrt', Math.sqrt],
  ];
  for (const [kind, name, ref] of unary) {
    for (const [size, type] of [
      [S32, F32],
      [S64, F64],
    ] as const) {
      const xs = type === F32 ? inputs.filter(isF32) : inputs;
      cases.push({
        name: `${type === F32 ? 'f32' : 'f64'}.${name}`,
        signature: sig([type], [type]),
        body: (m, e) => m.floatUnary(kind, size, e.result, e.params[0]!),
        runs: xs.map((x) => ({ args: [x], expect: ok(type === F32 ? f32(ref(x)) : ref(x)) })),
      });
    }
  }
  const pairs: [number, number][] = [
    [1, 2], [2, 1], [1, 1], [NaN, 1], [1, NaN], [-0, 0], [0, -0], [-Infinity, 3], [1.5, -0], [-2, 3],
  ];
  const binary: [FloatBinaryKind, string, (x: number, y: number) => number][] = [
    [FloatBinaryKind.Copysign, 'copysign', (x, y) => (Math.sign(y) === -1 || Object.is(y, -0) || (Number.isNaN(y) && false) ? -Math.abs(x) : Math.abs(x))],
    [FloatBinaryKind.Max, 'max', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y))],
    [FloatBinaryKind.Min, 'min', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y))],
    [FloatBinaryKind.Sub, 'sub', (x, y) => x - y],
    [FloatBinaryKind.Div, 'div', (x, y) => x / y],
  ];
  for (const [kind, name, ref] of binary) {
    for (const [size, type] of [
      [S32, F32],
      [S64, F64],
    ] as const) {
      // copysign with a NaN sign source depends on the NaN's sign bit: left out.
      const ps = kind === FloatBinaryKind.Copysign ? pairs.filter(([, y]) => !Number.isNaN(y)) : pairs;
      cases.push({
        name: `${type === F32 ? 'f32' : 'f64'}.${name}`,
        signature: sig([type, type], [type]),
        body: (m, e) => m.floatBinary(kind, size, e.result, e.params[0]!, e.params[1]!),
        runs: ps.map(([x, y]) => ({ args: [x, y], expect: ok(type === F32 ? f32(ref(x, y)) : ref(x, y)) })),
      });
    }
  }
  const compares: [FloatCond, string, (x: number, y: number) => boolean][] = [
    [FloatCond.Eq, 'eq', (x, y) => x === y],
    [FloatCond.Ne, 'ne', (x, y) => x !== y],
    [FloatCond.Lt, 'lt', (x, y) => x < y],
    [FloatCond.Gt, 'gt', (x, y) => x > y],
    [FloatCond.Le, 'le', (x, y) => x <= y],
    [FloatCond.Ge, 'ge', (x, y) => x >= y],
  ];
  for (const [cond, name, ref] of compares) {
    for (const [size, type] of [
      [S32, F32],
      [S64, F64],
    ] as const) {
      cases.push({
        name: `${type === F32 ? 'f32' : 'f64'}.${name}`,
        signature: sig([type, type], [I32]),
        body: (m, e) => m.floatCompare(cond, size, e.result, e.params[0]!, e.params[1]!),
        runs: pairs.map(([x, y]) => ({ args: [x, y], expect: ok(ref(x, y) ? 1 : 0) })),
      });
    }
  }
  cases.push({
    name: 'loadFloatConstant: f64 pi, f32 -1.25 and +0 without a pool',
    signature: sig([F64], [F64]),
    body: (m, e) => {
      const a = e.temp(RegClass.Float);
      const b = e.temp(RegClass.Float);
      const z = e.temp(RegClass.Float);
      bits.setFloat64(0, Math.PI, true);
      m.loadFloatConstant(a, S64, bits.getUint32(0, true), bits.getUint32(4, true));
      bits.setFloat32(0, -1.25, true);
      m.loadFloatConstant(b, S32, bits.getUint32(0, true), 0);
      m.convert(ConvertKind.F64PromoteF32, b, b);
      m.loadFloatConstant(z, S64, 0, 0);
      m.floatBinary(FloatBinaryKind.Add, S64, a, a, b);
      m.floatBinary(FloatBinaryKind.Mul, S64, z, z, e.params[0]!);
      m.floatBinary(FloatBinaryKind.Add, S64, e.result, a, z);
    },
    runs: [
      { args: [3], expect: ok(Math.PI - 1.25 + 0 * 3) },
      { args: [-1], expect: ok(Math.PI - 1.25 + 0 * -1) },
    ],
  });
  cases.push({
    name: 'select on f64 and i64',
    signature: sig([F64, F64, I32], [F64]),
    body: (m, e) => m.select(S64, e.result, e.params[2]!, e.params[0]!, e.params[1]!),
    runs: [
      { args: [1.5, -2.5, 1], expect: ok(1.5) },
      { args: [1.5, -2.5, 0], expect: ok(-2.5) },
      { args: [1.5, -2.5, -0x8000_0000], expect: ok(1.5) },
    ],
  });
  return cases;
}

function viaStack(op: (m: MacroAssembler, e: CaseEnv) => void, size: OperandSize) {
  return (m: MacroAssembler, e: CaseEnv) => {
    e.stack.pushReg(e.params[0]!, size);
    e.stack.pushReg(e.params[1]!, size);
    op(m, e);
    e.stack.popToReg(e.result, size);
  };
}

function integerCases(): ExecutableCase[] {
  const cases: ExecutableCase[] = [];
  const u32 = (x: number) => x >>> 0;
  const i32Pairs: [number, number][] = [
    [7, 3], [-7, 3], [7, -3], [-0x8000_0000, -1], [-0x8000_0000, 1], [0x7fff_ffff, -1], [5, 0], [0, 5], [-1, 33], [0x1234_5678, 36], [-2, 2],
  ];
  const div32: [DivKind, string, (x: number, y: number) => number | TrapReason | null][] = [
    [DivKind.SignedDiv, 'div_s', (x, y) => (y === 0 ? null : x === -0x8000_0000 && y === -1 ? TrapReason.IntegerOverflow : Math.trunc(x / y) | 0)],
    [DivKind.UnsignedDiv, 'div_u', (x, y) => (y === 0 ? null : Math.floor(u32(x) / u32(y)) | 0)],
    [DivKind.SignedRem, 'rem_s', (x, y) => (y === 0 ? null : y === -1 ? 0 : (x % y) | 0)],
    [DivKind.UnsignedRem, 'rem_u', (x, y) => (y === 0 ? null : u32(x) % u32(y) | 0)],
  ];
  for (const [kind, name, ref] of div32) {
    cases.push({
      name: `i32.${name} (all operand signs, zero divisor)`,
      signature: sig([I32, I32], [I32]),
      body: viaStack((m, e) => m.div(e.stack, kind, S32), S32),
      runs: i32Pairs.map(([x, y]) => {
        const r = ref(x, y);
        if (r === null) return { args: [x, y], expect: trap(TrapReason.IntegerDivideByZero) };
        if (kind === DivKind.SignedDiv && x === -0x8000_0000 && y === -1) return { args: [x, y], expect: trap(TrapReason.IntegerOverflow) };
        return { args: [x, y], expect: ok(r) };
      }),
    });
  }
  const MIN64 = -(1n << 63n);
  const i64Pairs: [bigint, bigint][] = [
    [7n, 3n], [-7n, 3n], [MIN64, -1n], [MIN64, 1n], [-1n, 2n], [5n, 0n], [(1n << 40n) + 5n, -(1n << 20n)], [-1n, -1n],
  ];
  const div64: [DivKind, string, (x: bigint, y: bigint) => bigint | 'overflow' | null][] = [
    [DivKind.SignedDiv, 'div_s', (x, y) => (y === 0n ? null : x === MIN64 && y === -1n ? 'overflow' : x / y)],
    [DivKind.UnsignedDiv, 'div_u', (x, y) => (y === 0n ? null : BigInt.asIntN(64, BigInt.asUintN(64, x) / BigInt.asUintN(64, y)))],
    [DivKind.SignedRem, 'rem_s', (x, y) => (y === 0n ? null : x % y)],
    [DivKind.UnsignedRem, 'rem_u', (x, y) => (y === 0n ? null : BigInt.asIntN(64, BigInt.asUintN(64, x) % BigInt.asUintN(64, y)))],
  ];
  for (const [kind, name, ref] of div64) {
    cases.push({
      name: `i64.${name} (all operand signs, zero divisor)`,
      signature: sig([I64, I64], [I64]),
      body: viaStack((m, e) => m.div(e.stack, kind, S64), S64),
      runs: i64Pairs.map(([x, y]) => {
        const r = ref(x, y);
        if (r === null) return { args: [x, y], expect: trap(TrapReason.IntegerDivideByZero) };
        if (r === 'overflow') return { args: [x, y], expect: trap(TrapReason.IntegerOverflow) };
        return { args: [x, y], expect: ok(BigInt.asIntN(64, r)) };
      }),
    });
  }
  const rot32 = (x: number, n: number) => ((x << (n & 31)) | (x >>> ((32 - (n & 31)) & 31))) | 0;
  const shifts32: [ShiftKind, string, (x: number, n: number) => number][] = [
    [ShiftKind.Shl, 'shl', (x, n) => x << n],
    [ShiftKind.ShrS, 'shr_s', (x, n) => x >> n],
    [ShiftKind.ShrU, 'shr_u', (x, n) => (x >>> n) | 0],
    [ShiftKind.Rotl, 'rotl', (x, n) => ((n & 31) === 0 ? x : rot32(x, n))],
    [ShiftKind.Rotr, 'rotr', (x, n) => ((n & 31) === 0 ? x : rot32(x, 32 - (n & 31)))],
  ];
  const shiftInputs: [number, number][] = [[0x8000_0001 | 0, 1], [0x1234_5678, 0], [0x1234_5678, 36], [-1, 31], [0x0f0f_0000, 68], [-8, 35]];
  for (const [kind, name, ref] of shifts32) {
    cases.push({
      name: `i32.${name} by a register and by an immediate`,
      signature: sig([I32, I32], [I32]),
      body: viaStack((m, e) => m.shift(e.stack, kind, S32), S32),
      runs: shiftInputs.map(([x, n]) => ({ args: [x, n], expect: ok(ref(x, n)) })),
    });
    for (const n of [0, 1, 13, 31, 33]) {
      cases.push({
        name: `i32.${name} by immediate ${n}`,
        signature: sig([I32], [I32]),
        body: (m, e) => m.shiftImm(kind, S32, e.result, e.params[0]!, n),
        runs: [0x8000_0001 | 0, 0x1234_5678, -1].map((x) => ({ args: [x], expect: ok(ref(x, n)) })),
      });
    }
  }
  const rot64 = (x: bigint, n: bigint) => {
    const k = n & 63n;
    const u = BigInt.asUintN(64, x);
    return BigInt.asIntN(64, k === 0n ? u : (u << k) | (u >> (64n - k)));
  };
  const shifts64: [ShiftKind, string, (x: bigint, n: bigint) => bigint][] = [
    [ShiftKind.Shl, 'shl', (x, n) => BigInt.asIntN(64, x << (n & 63n))],
    [ShiftKind.ShrS, 'shr_s', (x, n) => x >> (n & 63n)],
    [ShiftKind.ShrU, 'shr_u', (x, n) => BigInt.asIntN(64, BigInt.asUintN(64, x) >> (n & 63n))],
    [ShiftKind.Rotl, 'rotl', rot64],
    [ShiftKind.Rotr, 'rotr', (x, n) => rot64(x, (64n - (n & 63n)) & 63n)],
  ];
  for (const [kind, name, ref] of shifts64) {
    cases.push({
      name: `i64.${name} by a register`,
      signature: sig([I64, I64], [I64]),
      body: viaStack((m, e) => m.shift(e.stack, kind, S64), S64),
      runs: (
        [
          [-0x7fff_ffff_ffff_ffffn, 1n],
          [0x0123_4567_89ab_cdefn, 68n],
          [-1n, 63n],
          [0x0123_4567_89ab_cdefn, 0n],
          [0x0123_4567_89ab_cdefn, -4n],
        ] as [bigint, bigint][]
      ).map(([x, n]) => ({ args: [x, n], expect: ok(ref(x, n)) })),
    });
    cases.push({
      name: `i64.${name} by immediate 40`,
      signature: sig([I64], [I64]),
      body: (m, e) => m.shiftImm(kind, S64, e.result, e.params[0]!, 40),
      runs: [0x0123_4567_89ab_cdefn, -2n].map((x) => ({ args: [x], expect: ok(ref(x, 40n)) })),
    });
  }
  // Immediates: encodable as add/sub or bitmask immediates, and ones that need materializing.
  const imm32 = [0, 1, 4095, 4096, 4097, 0xfff000, -1, -4095, -4097, 0x00ff_00ff, 0x1234_5678, -0x8000_0000, 0x7fff_ffff];
  const binary32: [IntBinaryKind, string, (x: number, y: number) => number][] = [
    [IntBinaryKind.Add, 'add', (x, y) => (x + y) | 0],
    [IntBinaryKind.Sub, 'sub', (x, y) => (x - y) | 0],
    [IntBinaryKind.Mul, 'mul', (x, y) => Math.imul(x, y)],
    [IntBinaryKind.And, 'and', (x, y) => x & y],
    [IntBinaryKind.Or, 'or', (x, y) => x | y],
    [IntBinaryKind.Xor, 'xor', (x, y) => x ^ y],
  ];
  for (const [kind, name, ref] of binary32) {
    for (const value of imm32) {
      cases.push({
        name: `i32.${name} with immediate ${value}`,
        signature: sig([I32], [I32]),
        body: (m, e) => m.intBinary(kind, S32, e.result, e.params[0]!, Imm.i32(value)),
        runs: [0, 0x7654_3210, -5].map((x) => ({ args: [x], expect: ok(ref(x, value)) })),
      });
    }
  }
  const imm64: [number, number][] = [
    [1, 0], [-1, -1], [4096, 0], [0xffff_f000 | 0, -1], [0x00ff_00ff, 0x00ff_00ff], [0, 1], [0x1234_5678, 0x9abc_def0 | 0], [0, -0x8000_0000],
  ];
  const binary64: [IntBinaryKind, string, (x: bigint, y: bigint) => bigint][] = [
    [IntBinaryKind.Add, 'add', (x, y) => x + y],
    [IntBinaryKind.Sub, 'sub', (x, y) => x - y],
    [IntBinaryKind.Mul, 'mul', (x, y) => x * y],
    [IntBinaryKind.And, 'and', (x, y) => x & y],
    [IntBinaryKind.Or, 'or', (x, y) => x | y],
    [IntBinaryKind.Xor, 'xor', (x, y) => x ^ y],
  ];
  for (const [kind, name, ref] of binary64) {
    cases.push({
      name: `i64.${name} with immediates`,
      signature: sig([I64], [I64]),
      body: (m, e) => {
        // Chains every immediate: r = (((x op i0) op i1) ...).
        m.move(e.result, e.params[0]!, S64);
        for (const [lo, hi] of imm64) m.intBinary(kind, S64, e.result, e.result, Imm.i64(lo, hi));
      },
      runs: [0n, 0x0123_4567_89ab_cdefn, -3n].map((x) => {
        let r = x;
        for (const [lo, hi] of imm64) r = BigInt.asIntN(64, ref(r, (BigInt(hi) << 32n) | BigInt(lo >>> 0)));
        return { args: [x], expect: ok(r) };
      }),
    });
  }
  const conds: [IntCond, string, (x: bigint, y: bigint) => boolean][] = [
    [IntCond.Eq, 'eq', (x, y) => x === y],
    [IntCond.Ne, 'ne', (x, y) => x !== y],
    [IntCond.LtS, 'lt_s', (x, y) => x < y],
    [IntCond.LtU, 'lt_u', (x, y) => BigInt.asUintN(64, x) < BigInt.asUintN(64, y)],
    [IntCond.GtS, 'gt_s', (x, y) => x > y],
    [IntCond.GtU, 'gt_u', (x, y) => BigInt.asUintN(64, x) > BigInt.asUintN(64, y)],
    [IntCond.LeS, 'le_s', (x, y) => x <= y],
    [IntCond.LeU, 'le_u', (x, y) => BigInt.asUintN(64, x) <= BigInt.asUintN(64, y)],
    [IntCond.GeS, 'ge_s', (x, y) => x >= y],
    [IntCond.GeU, 'ge_u', (x, y) => BigInt.asUintN(64, x) >= BigInt.asUintN(64, y)],
  ];
  const cmpPairs: [bigint, bigint][] = [[1n, 2n], [2n, 1n], [5n, 5n], [-1n, 1n], [1n, -1n], [MIN64, -MIN64 - 1n]];
  for (const [cond, name, ref] of conds) {
    cases.push({
      name: `i64.${name}, and with immediates -5 and 2^40 via trapIf/branchIf`,
      signature: sig([I64, I64], [I32]),
      body: (m, e) => {
        // The result register is also the first parameter's: accumulate in r, move at the end.
        const r = e.temp(RegClass.Int);
        const t = e.temp(RegClass.Int);
        const skip = m.newLabel();
        m.intCompare(cond, S64, r, e.params[0]!, e.params[1]!);
        // bit 1: x cond -5; bit 2: not (x cond 2^40), through a branch rather than a compare
        m.intCompare(cond, S64, t, e.params[0]!, Imm.i32(-5));
        m.shiftImm(ShiftKind.Shl, S32, t, t, 1);
        m.intBinary(IntBinaryKind.Or, S32, r, r, t);
        m.branchIf(cond, S64, e.params[0]!, Imm.i64(0, 0x100), skip);
        m.intBinary(IntBinaryKind.Or, S32, r, r, Imm.i32(4));
        m.bind(skip);
        m.move(e.result, r, S32);
      },
      runs: cmpPairs.map(([x, y]) => ({
        args: [x, y],
        expect: ok((ref(x, y) ? 1 : 0) | (ref(x, -5n) ? 2 : 0) | (ref(x, 1n << 40n) ? 0 : 4)),
      })),
    });
  }
  cases.push({
    name: 'i32.lt_u / ge_s with immediates and trapIf',
    signature: sig([I32], [I32]),
    body: (m, e) => {
      m.trapIf(IntCond.Eq, S32, e.params[0]!, Imm.i32(-4097), TrapReason.Unreachable);
      m.intCompare(IntCond.LtU, S32, e.result, e.params[0]!, Imm.i32(-2));
    },
    runs: [
      { args: [-4097], expect: trap(TrapReason.Unreachable) },
      { args: [-2], expect: ok(0) },
      { args: [-3], expect: ok(1) },
      { args: [5], expect: ok(1) },
    ],
  });
  cases.push({
    name: 'i64 clz, ctz and popcnt',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      const a = e.temp(RegClass.Int);
      const b = e.temp(RegClass.Int);
      m.intUnary(IntUnaryKind.Clz, S64, a, e.params[0]!);
      m.intUnary(IntUnaryKind.Ctz, S64, b, e.params[0]!);
      m.shiftImm(ShiftKind.Shl, S64, b, b, 8);
      m.intBinary(IntBinaryKind.Or, S64, a, a, b);
      m.intUnary(IntUnaryKind.Popcnt, S64, b, e.params[0]!);
      m.shiftImm(ShiftKind.Shl, S64, b, b, 16);
      m.intBinary(IntBinaryKind.Or, S64, e.result, a, b);
    },
    runs: [0n, 1n, -1n, 0x00f0_0000_0000_0100n, MIN64].map((x) => {
      const u = BigInt.asUintN(64, x);
      const s = u.toString(2);
      const clz = u === 0n ? 64 : 64 - s.length;
      const ctz = u === 0n ? 64 : s.length - 1 - s.lastIndexOf('1');
      const pop = s.replaceAll('0', '').length;
      return { args: [x], expect: ok(BigInt(clz | (ctz << 8) | (pop << 16))) };
    }),
  });
  return cases;
}

const PAGE = 65536;

function memoryCases(): ExecutableCase[] {
  return [
    {
      name: 'f32/f64 stores and loads, i64 narrow loads, and offsets beyond the immediate forms',
      signature: sig([F64, I64], [I64]),
      setup: { memoryLength: 2 * PAGE },
      body: (m, e) => {
        const idx = e.temp(RegClass.Int);
        const adr = e.temp(RegClass.Int);
        const t = e.temp(RegClass.Int);
        const f = e.temp(RegClass.Float);
        m.move(idx, Imm.i32(8), S32);
        m.boundsCheck(0, idx, S32, 70000, 16);
        m.heapAddress(adr, 0, idx, S32);
        m.store(StoreKind.F64, e.params[0]!, adr, 70000); // offset beyond scaled/unscaled forms
        m.load(LoadKind.F64, f, adr, 70000);
        m.convert(ConvertKind.F32DemoteF64, f, f);
        m.store(StoreKind.F32, f, adr, 70008);
        m.store(StoreKind.I64, e.params[1]!, adr, -3); // unscaled negative offset (from base + 8)
        m.load(LoadKind.I64Load8S, e.result, adr, -3);
        m.load(LoadKind.I64Load16S, t, adr, -2);
        m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
        m.load(LoadKind.I64Load32S, t, adr, 1);
        m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
        m.load(LoadKind.I64Load32U, t, adr, 1);
        m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
        m.load(LoadKind.I32, t, adr, 70008); // f32 bits
        m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
      },
      runs: [
        [1.1, 0x8081_8283_8485_8687n - (1n << 64n)],
        [-0, 0x0102_0304_0506_0708n],
      ].map(([d, x]) => {
        const mem = new DataView(new ArrayBuffer(16));
        mem.setBigInt64(5, x as bigint, true); // stored at address 8 - 3 = 5
        bits.setFloat32(0, d as number, true);
        const r = BigInt(mem.getInt8(5)) + BigInt(mem.getInt16(6, true)) + BigInt(mem.getInt32(9, true)) + BigInt(mem.getUint32(9, true)) + BigInt(bits.getUint32(0, true));
        return { args: [d as number, x as bigint], expect: ok(BigInt.asIntN(64, r)) };
      }),
    },
    {
      name: 'bounds check with an offset beyond 12 bits and an i64 index',
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
      name: 'float spill and fill, 32- and 64-bit integer slots',
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
}

function controlCases(): ExecutableCase[] {
  const wide = 5000;
  return [
    {
      name: `br_table with ${wide} targets (count beyond an add/sub immediate)`,
      signature: sig([I32], [I32]),
      body: (m, e) => {
        const targets = Array.from({ length: wide }, () => m.newLabel());
        const fallback = m.newLabel();
        const done = m.newLabel();
        m.jumpTable(e.params[0]!, targets, fallback);
        targets.forEach((label, i) => {
          m.bind(label);
          m.move(e.result, Imm.i32(i * 3), S32);
          m.jump(done);
        });
        m.bind(fallback);
        m.move(e.result, Imm.i32(-1), S32);
        m.bind(done);
      },
      runs: [0, 1, 4095, 4096, wide - 1, wide, -1].map((i) => ({ args: [i], expect: ok(i >= 0 && i < wide ? i * 3 : -1) })),
    },
    {
      name: 'callImport switches to the callee instance and back',
      signature: sig([I64], [I64]),
      setup: { callee: true } as Arm64CaseSetup,
      body: (m, e) => {
        m.callImport(0);
        const t = e.temp(RegClass.Int);
        m.loadPtr(t, m.registers.vmContext, VMCTX_GLOBALS);
        m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
      },
      runs: [{ args: [5n], expect: ok(5n + BigInt(OTHER_MARKER + THIS_MARKER)) }],
    },
    {
      name: 'callIndirect: bounds, null and signature checks, instance switch',
      signature: sig([I64, I32], [I64]),
      setup: {
        callee: true,
        signatureIds: [42, 43],
        table: [{ typeId: 42, sameInstance: false }, null, { typeId: 43, sameInstance: false }, { typeId: 42, sameInstance: true }],
      } as Arm64CaseSetup,
      body: (m, e) => {
        m.callIndirect(0, 0, e.params[1]!);
        const t = e.temp(RegClass.Int);
        m.loadPtr(t, m.registers.vmContext, VMCTX_GLOBALS);
        m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
      },
      runs: [
        { args: [5n, 0], expect: ok(5n + BigInt(OTHER_MARKER + THIS_MARKER)) },
        { args: [5n, 3], expect: ok(5n + BigInt(THIS_MARKER + THIS_MARKER)) },
        { args: [5n, 1], expect: trap(TrapReason.UninitializedElement) },
        { args: [5n, 2], expect: trap(TrapReason.IndirectCallTypeMismatch) },
        { args: [5n, 4], expect: trap(TrapReason.UndefinedElement) },
        { args: [5n, -1], expect: trap(TrapReason.UndefinedElement) },
      ],
    },
    {
      name: 'returnCallIndirect: a tail call in this instance, a call and return across instances',
      signature: sig([I64, I32], [I64]),
      setup: {
        callee: true,
        signatureIds: [9, 42],
        table: [{ typeId: 42, sameInstance: true }, { typeId: 42, sameInstance: false }, { typeId: 9, sameInstance: true }],
      } as Arm64CaseSetup,
      body: (m, e) => {
        m.returnCallIndirect(0, 1, e.params[1]!);
        m.trap(TrapReason.Unreachable);
      },
      runs: [
        { args: [5n, 0], expect: ok(5n + BigInt(THIS_MARKER)) },
        { args: [5n, 1], expect: ok(5n + BigInt(OTHER_MARKER)) },
        { args: [5n, 2], expect: trap(TrapReason.IndirectCallTypeMismatch) },
      ],
    },
    {
      name: 'callBuiltin calls through the builtin table without switching instance',
      signature: sig([I64], [I64]),
      setup: { callee: true } as Arm64CaseSetup,
      body: (m) => m.callBuiltin(5),
      runs: [{ args: [-8n], expect: ok(-8n + BigInt(THIS_MARKER)) }],
    },
  ];
}

export const ARM64_CASES: readonly ExecutableCase[] = [...conversionCases(), ...floatCases(), ...integerCases(), ...memoryCases(), ...controlCases()];
