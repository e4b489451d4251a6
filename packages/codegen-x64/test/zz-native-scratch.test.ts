// TEMPORARY local verification (not to be committed): runs masm sequences natively via the runtime.
import { describe, expect, it } from 'vitest';
import { VMContextLayout, type Backend } from '@flint/backend';
import { EXECUTABLE_CASES, runExecutableCase, type ExecuteFn } from '@flint/backend/testing';
import { CodeSpace } from '../../runtime/src/code-space.ts';
import { NativeInvoker } from '../../runtime/src/native/invoker.ts';
import { NativeMemory } from '../../runtime/src/native/native-memory.ts';
import { x64Backend } from '../src/backend.ts';
import { X64MacroAssembler } from '../src/masm/macro-assembler.ts';

const backend: Backend = { ...x64Backend, createMacroAssembler: (o) => new X64MacroAssembler(o) };
const space = new CodeSpace();
const invoker = new NativeInvoker(backend, space);
const vm = new NativeMemory(VMContextLayout.size);
const heap = new NativeMemory(65536);
const execute: ExecuteFn = (code, signature, args, setup) => {
  const region = space.place([code], { trapExit: () => invoker.trapExitAddress });
  const owned: NativeMemory[] = [];
  try {
    if (setup?.memoryLength !== undefined) {
      const memory = new NativeMemory(setup.memoryLength);
      owned.push(memory);
      memory.bytes.set(setup.memoryInit ?? []);
      vm.view.setBigUint64(0, memory.address, true);
      vm.view.setBigUint64(8, BigInt(setup.memoryLength), true);
    }
    if (setup?.selfInJumpTable === true) {
      const table = new NativeMemory(8);
      owned.push(table);
      table.view.setBigUint64(0, region.addressOf(0), true);
      vm.view.setBigUint64(56, table.address, true);
    }
    return invoker.invoke(vm, region.pointerOf(0), signature, args);
  } finally {
    if (setup?.memoryLength !== undefined) { vm.view.setBigUint64(0, heap.address, true); vm.view.setBigUint64(8, 65536n, true); }
    for (const m of owned) m.dispose();
    region.dispose();
  }
};
describe('kit', () => {
  for (const c of EXECUTABLE_CASES) it(c.name, () => expect(runExecutableCase(backend, c, execute)).toEqual([]));
});

import {
  ConvertKind, DivKind, FloatBinaryKind, FloatCond, FloatUnaryKind, Imm, IntBinaryKind, IntCond, ShiftKind, TrapReason, ValueKind, OperandSize,
  type MacroAssembler,
} from '@flint/backend';
import type { CaseEnv, CaseRun, ExecutableCase, WasmValue } from '@flint/backend/testing';

const { I32, I64, F32, F64 } = ValueKind;
const f32 = Math.fround;
const F32_EDGES = [0, -0, 1.5, -1.5, 2.5, -2.5, 0.5, -0.5, 3.7, -3.7, NaN, Infinity, -Infinity, f32(2147483648), f32(-2147483648), f32(4294967296), f32(2147483520), f32(-2147483904), f32(9223372036854775808), f32(-9223372036854775808), f32(18446744073709551616), f32(9223371487098961920), f32(18446742974197923840), -0.99, -1, f32(1e-40), 1e30, 123456.78].map(Math.fround);
const F64_EDGES = [0, -0, 1.5, -1.5, 2.5, -2.5, 0.5, -0.5, 3.7, -3.7, NaN, Infinity, -Infinity, 2147483647.9, 2147483648, -2147483648.9, -2147483649, 4294967295.9, 4294967296, 9223372036854775808, -9223372036854775808, 9223372036854774784, -9223372036854777856, 18446744073709551616, 18446744073709549568, -0.99, -1, 5e-324, 1e300, 1234567.89];

function truncExpect(x: number, bits: 32 | 64, signed: boolean, sat: boolean): CaseRun['expect'] {
  const lo = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const hi = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  const wrap = (v: number | bigint): WasmValue => bits === 32 ? Number(BigInt.asIntN(32, BigInt(v))) : BigInt.asIntN(64, BigInt(v));
  if (Number.isNaN(x)) return sat ? { results: [wrap(0)] } : { trap: TrapReason.InvalidConversionToInteger };
  if (!Number.isFinite(x) || BigInt(Math.trunc(x)) < lo || BigInt(Math.trunc(x)) > hi) {
    if (!sat) return { trap: TrapReason.IntegerOverflow };
    return { results: [x < 0 ? wrap(lo) : wrap(hi)] };
  }
  return { results: [wrap(BigInt(Math.trunc(x)))] };
}

function roundBigToFloat(v: bigint, mant: number): number {
  // exact round-half-even of an integer to a float with `mant` significand bits
  const neg = v < 0n; let a = neg ? -v : v;
  if (a === 0n) return 0;
  const len = a.toString(2).length;
  if (len > mant) {
    const shift = BigInt(len - mant);
    const q = a >> shift; const r = a - (q << shift); const half = 1n << (shift - 1n);
    let m = q;
    if (r > half || (r === half && (q & 1n) === 1n)) m += 1n;
    a = m << shift;
  }
  const n = Number(a);
  return neg ? -n : n;
}

const cases: ExecutableCase[] = [];
const sig = (params: ValueKind[], results: ValueKind[]) => ({ params, results });
const truncKinds: [ConvertKind, boolean, 32 | 64, boolean, boolean][] = [
  [ConvertKind.I32TruncF32S, false, 32, true, false], [ConvertKind.I32TruncF32U, false, 32, false, false],
  [ConvertKind.I32TruncF64S, true, 32, true, false], [ConvertKind.I32TruncF64U, true, 32, false, false],
  [ConvertKind.I64TruncF32S, false, 64, true, false], [ConvertKind.I64TruncF32U, false, 64, false, false],
  [ConvertKind.I64TruncF64S, true, 64, true, false], [ConvertKind.I64TruncF64U, true, 64, false, false],
  [ConvertKind.I32TruncSatF32S, false, 32, true, true], [ConvertKind.I32TruncSatF32U, false, 32, false, true],
  [ConvertKind.I32TruncSatF64S, true, 32, true, true], [ConvertKind.I32TruncSatF64U, true, 32, false, true],
  [ConvertKind.I64TruncSatF32S, false, 64, true, true], [ConvertKind.I64TruncSatF32U, false, 64, false, true],
  [ConvertKind.I64TruncSatF64S, true, 64, true, true], [ConvertKind.I64TruncSatF64U, true, 64, false, true],
];
for (const [kind, fromF64, bits, signed, sat] of truncKinds) {
  const edges = fromF64 ? F64_EDGES : F32_EDGES;
  cases.push({
    name: `convert ${kind}`,
    signature: sig([fromF64 ? F64 : F32], [bits === 32 ? I32 : I64]),
    body: (m, e) => m.convert(kind, e.result, e.params[0]!),
    runs: edges.map((x) => ({ args: [x], expect: truncExpect(x, bits, signed, sat) })),
  });
}
const INTS32 = [0, 1, -1, 2147483647, -2147483648, 16777217, 123456789, -123456789, 0x7fffff80 | 0];
const INTS64 = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n, (1n << 53n) + 1n, 0x8000_0000_0000_0401n - 2n ** 64n, 0xffff_ffff_ffff_fbffn - 2n ** 64n, 0x1234_5678_9abc_def1n, 0x7fff_ff80_0000_0001n];
const i2f: [ConvertKind, boolean, boolean, boolean][] = [
  [ConvertKind.F32ConvertI32S, false, false, true], [ConvertKind.F32ConvertI32U, false, false, false],
  [ConvertKind.F32ConvertI64S, false, true, true], [ConvertKind.F32ConvertI64U, false, true, false],
  [ConvertKind.F64ConvertI32S, true, false, true], [ConvertKind.F64ConvertI32U, true, false, false],
  [ConvertKind.F64ConvertI64S, true, true, true], [ConvertKind.F64ConvertI64U, true, true, false],
];
for (const [kind, toF64, from64, signed] of i2f) {
  const inputs: WasmValue[] = from64 ? INTS64 : INTS32;
  cases.push({
    name: `convert ${kind}`,
    signature: sig([from64 ? I64 : I32], [toF64 ? F64 : F32]),
    body: (m, e) => m.convert(kind, e.result, e.params[0]!),
    runs: inputs.map((x) => {
      let big = BigInt(x);
      if (!signed) big = BigInt.asUintN(from64 ? 64 : 32, big);
      return { args: [x], expect: { results: [roundBigToFloat(big, toF64 ? 53 : 24)] } };
    }),
  });
}
cases.push({ name: 'demote', signature: sig([F64], [F32]), body: (m, e) => m.convert(ConvertKind.F32DemoteF64, e.result, e.params[0]!), runs: F64_EDGES.map((x) => ({ args: [x], expect: { results: [f32(x)] } })) });
cases.push({ name: 'promote', signature: sig([F32], [F64]), body: (m, e) => m.convert(ConvertKind.F64PromoteF32, e.result, e.params[0]!), runs: F32_EDGES.map((x) => ({ args: [x], expect: { results: [x] } })) });
cases.push({ name: 'wrap', signature: sig([I64], [I32]), body: (m, e) => m.convert(ConvertKind.I32WrapI64, e.result, e.params[0]!), runs: INTS64.map((x) => ({ args: [x], expect: { results: [Number(BigInt.asIntN(32, x))] } })) });
const bitsOf64 = (x: number) => { const d = new DataView(new ArrayBuffer(8)); d.setFloat64(0, x, true); return d.getBigInt64(0, true); };
const bitsOf32 = (x: number) => { const d = new DataView(new ArrayBuffer(4)); d.setFloat32(0, x, true); return d.getInt32(0, true); };
cases.push({ name: 'reinterpret f64->i64', signature: sig([F64], [I64]), body: (m, e) => m.convert(ConvertKind.I64ReinterpretF64, e.result, e.params[0]!), runs: F64_EDGES.filter((x) => !Number.isNaN(x)).map((x) => ({ args: [x], expect: { results: [bitsOf64(x)] } })) });
cases.push({ name: 'reinterpret f32->i32', signature: sig([F32], [I32]), body: (m, e) => m.convert(ConvertKind.I32ReinterpretF32, e.result, e.params[0]!), runs: F32_EDGES.filter((x) => !Number.isNaN(x)).map((x) => ({ args: [x], expect: { results: [bitsOf32(x)] } })) });
cases.push({ name: 'reinterpret i64->f64', signature: sig([I64], [F64]), body: (m, e) => m.convert(ConvertKind.F64ReinterpretI64, e.result, e.params[0]!), runs: F64_EDGES.filter((x) => !Number.isNaN(x)).map((x) => ({ args: [bitsOf64(x)], expect: { results: [x] } })) });
cases.push({ name: 'reinterpret i32->f32', signature: sig([I32], [F32]), body: (m, e) => m.convert(ConvertKind.F32ReinterpretI32, e.result, e.params[0]!), runs: F32_EDGES.filter((x) => !Number.isNaN(x)).map((x) => ({ args: [bitsOf32(x)], expect: { results: [x] } })) });

// float binary / unary / compare
const PAIRS64: [number, number][] = [];
const VALS = [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 3, 1e-310, 7.1];
for (const a of VALS) for (const b of VALS) PAIRS64.push([a, b]);
const copysign = (a: number, b: number) => { const sb = Object.is(b, -0) || b < 0 || (Number.isNaN(b) && false); return Number.isNaN(a) ? a : (sb ? -Math.abs(a) : Math.abs(a)); };
const fb: [FloatBinaryKind, (a: number, b: number) => number][] = [
  [FloatBinaryKind.Add, (a, b) => a + b], [FloatBinaryKind.Sub, (a, b) => a - b], [FloatBinaryKind.Mul, (a, b) => a * b],
  [FloatBinaryKind.Div, (a, b) => a / b], [FloatBinaryKind.Min, Math.min], [FloatBinaryKind.Max, Math.max], [FloatBinaryKind.Copysign, copysign],
];
for (const size of [32, 64] as const) {
  const K = size === 32 ? F32 : F64;
  const r = size === 32 ? f32 : (x: number) => x;
  for (const [kind, fn] of fb) {
    for (const alias of ['none', 'lhs', 'rhs']) {
      cases.push({
        name: `floatBinary ${kind} f${size} alias=${alias}`,
        signature: sig([K, K], [K]),
        body: (m, e) => {
          const d = alias === 'lhs' ? e.params[0]! : alias === 'rhs' ? e.params[1]! : e.result;
          m.floatBinary(kind, size, d, e.params[0]!, e.params[1]!);
          m.move(e.result, d, size);
        },
        runs: PAIRS64.filter(([, b]) => !(kind === FloatBinaryKind.Copysign && Number.isNaN(b))).map(([a, b]) => ({ args: [r(a), r(b)], expect: { results: [r(fn(r(a), r(b)))] } })),
      });
    }
  }
  const roundEven = (x: number) => { if (!Number.isFinite(x)) return x; const f = Math.floor(x); const d = x - f; let v = d < 0.5 ? f : d > 0.5 ? f + 1 : (f % 2 === 0 ? f : f + 1); if (v === 0 && (x < 0 || Object.is(x, -0))) v = -0; return v; };
  const fu: [FloatUnaryKind, (x: number) => number][] = [
    [FloatUnaryKind.Abs, Math.abs], [FloatUnaryKind.Neg, (x) => -x], [FloatUnaryKind.Sqrt, Math.sqrt], [FloatUnaryKind.Ceil, Math.ceil],
    [FloatUnaryKind.Floor, Math.floor], [FloatUnaryKind.Trunc, Math.trunc], [FloatUnaryKind.Nearest, roundEven],
  ];
  const UN = [0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, -0.4, 0.4, 4503599627370497, -7.7, NaN, Infinity, -Infinity, 1e-310, 2];
  for (const [kind, fn] of fu) {
    cases.push({ name: `floatUnary ${kind} f${size}`, signature: sig([K], [K]), body: (m, e) => m.floatUnary(kind, size, e.result, e.params[0]!),
      runs: UN.map((x) => ({ args: [r(x)], expect: { results: [r(fn(r(x)))] } })) });
  }
  const fc: [FloatCond, (a: number, b: number) => boolean][] = [
    [FloatCond.Eq, (a, b) => a === b], [FloatCond.Ne, (a, b) => a !== b], [FloatCond.Lt, (a, b) => a < b], [FloatCond.Gt, (a, b) => a > b], [FloatCond.Le, (a, b) => a <= b], [FloatCond.Ge, (a, b) => a >= b],
  ];
  for (const [cond, fn] of fc) {
    cases.push({ name: `floatCompare ${cond} f${size}`, signature: sig([K, K], [I32]), body: (m, e) => m.floatCompare(cond, size, e.result, e.params[0]!, e.params[1]!),
      runs: PAIRS64.map(([a, b]) => ({ args: [r(a), r(b)], expect: { results: [fn(r(a), r(b)) ? 1 : 0] } })) });
  }
  cases.push({ name: `loadFloatConstant f${size}`, signature: sig([], [K]), body: (m, e) => { if (size === 32) m.loadFloatConstant(e.result, 32, bitsOf32(-1.25), 0); else { const b = bitsOf64(-1.25e10); m.loadFloatConstant(e.result, 64, Number(BigInt.asIntN(32, b)), Number(b >> 32n)); } }, runs: [{ args: [], expect: { results: [size === 32 ? -1.25 : -1.25e10] } }] });
  cases.push({ name: `select float f${size}`, signature: sig([K, K, I32], [K]), body: (m, e) => m.select(size, e.result, e.params[2]!, e.params[0]!, e.params[1]!), runs: [{ args: [1.5, 2.5, 1], expect: { results: [1.5] } }, { args: [1.5, 2.5, 0], expect: { results: [2.5] } }] });
}

// integer ops
const M64 = (x: bigint) => BigInt.asIntN(64, x);
const I64V = [0n, 1n, -1n, 7n, -7n, 2n ** 63n - 1n, -(2n ** 63n), 0x1234_5678_9abc_def0n, 3n];
const intOps: [IntBinaryKind, (a: bigint, b: bigint) => bigint][] = [
  [IntBinaryKind.Add, (a, b) => a + b], [IntBinaryKind.Sub, (a, b) => a - b], [IntBinaryKind.Mul, (a, b) => a * b],
  [IntBinaryKind.And, (a, b) => a & b], [IntBinaryKind.Or, (a, b) => a | b], [IntBinaryKind.Xor, (a, b) => a ^ b],
];
for (const size of [32, 64] as const) {
  const K = size === 32 ? I32 : I64;
  const norm = (x: bigint): WasmValue => size === 32 ? Number(BigInt.asIntN(32, x)) : M64(x);
  const arg = (x: bigint): WasmValue => size === 32 ? Number(BigInt.asIntN(32, x)) : x;
  for (const [kind, fn] of intOps) {
    for (const alias of ['none', 'lhs', 'rhs']) {
      cases.push({ name: `intBinary ${kind} i${size} ${alias}`, signature: sig([K, K], [K]),
        body: (m, e) => { const d = alias === 'lhs' ? e.params[0]! : alias === 'rhs' ? e.params[1]! : e.result; m.intBinary(kind, size, d, e.params[0]!, e.params[1]!); m.move(e.result, d, size); },
        runs: I64V.flatMap((a) => I64V.map((b) => ({ args: [arg(a), arg(b)], expect: { results: [norm(fn(BigInt(arg(a)), BigInt(arg(b))))] } }))) });
    }
    for (const [lo, hi] of [[5, 0], [-3, -1], [0, 1], [-0x8000_0000, -1], [0x1234, 0x7fff_0000]] as const) {
      const immVal = size === 32 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo >>> 0);
      cases.push({ name: `intBinary ${kind} i${size} imm ${lo},${hi}`, signature: sig([K], [K]),
        body: (m, e) => m.intBinary(kind, size, e.result, e.params[0]!, Imm.i64(lo, hi)),
        runs: I64V.map((a) => ({ args: [arg(a)], expect: { results: [norm(fn(BigInt(arg(a)), size === 32 ? BigInt(lo | 0) : M64(immVal)))] } })) });
    }
  }
  const intConds: [IntCond, (a: bigint, b: bigint, ua: bigint, ub: bigint) => boolean][] = [
    [IntCond.Eq, (a, b) => a === b], [IntCond.Ne, (a, b) => a !== b], [IntCond.LtS, (a, b) => a < b], [IntCond.LtU, (_a, _b, x, y) => x < y],
    [IntCond.GtS, (a, b) => a > b], [IntCond.GtU, (_a, _b, x, y) => x > y], [IntCond.LeS, (a, b) => a <= b], [IntCond.LeU, (_a, _b, x, y) => x <= y],
    [IntCond.GeS, (a, b) => a >= b], [IntCond.GeU, (_a, _b, x, y) => x >= y],
  ];
  for (const [cond, fn] of intConds) {
    cases.push({ name: `intCompare ${cond} i${size}`, signature: sig([K, K], [I32]), body: (m, e) => m.intCompare(cond, size, e.result, e.params[0]!, e.params[1]!),
      runs: I64V.flatMap((a) => I64V.map((b) => { const A = BigInt(arg(a)); const B = BigInt(arg(b)); return { args: [arg(a), arg(b)], expect: { results: [fn(A, B, BigInt.asUintN(size, A), BigInt.asUintN(size, B)) ? 1 : 0] } }; })) });
  }
  const divs: [DivKind, (a: bigint, b: bigint) => bigint | 'ovf'][] = [
    [DivKind.SignedDiv, (a, b) => (a === -(2n ** BigInt(size - 1)) && b === -1n ? 'ovf' : a / b)],
    [DivKind.SignedRem, (a, b) => a % b],
    [DivKind.UnsignedDiv, (a, b) => BigInt.asUintN(size, a) / BigInt.asUintN(size, b)],
    [DivKind.UnsignedRem, (a, b) => BigInt.asUintN(size, a) % BigInt.asUintN(size, b)],
  ];
  for (const [kind, fn] of divs) {
    cases.push({ name: `div ${kind} i${size}`, signature: sig([K, K], [K]),
      body: (m, e) => { e.stack.pushReg(e.params[0]!, size); e.stack.pushReg(e.params[1]!, size); m.div(e.stack, kind, size); e.stack.popToReg(e.result, size); },
      runs: I64V.flatMap((a) => I64V.map((b) => { const A = BigInt(arg(a)); const B = BigInt(arg(b)); if (B === 0n) return { args: [arg(a), arg(b)], expect: { trap: TrapReason.IntegerDivideByZero } }; const v = fn(A, B); return { args: [arg(a), arg(b)], expect: v === 'ovf' ? { trap: TrapReason.IntegerOverflow } : { results: [norm(v)] } }; })) });
  }
  const shifts: [ShiftKind, (a: bigint, n: bigint) => bigint][] = [
    [ShiftKind.Shl, (a, n) => a << n], [ShiftKind.ShrS, (a, n) => BigInt.asIntN(size, a) >> n], [ShiftKind.ShrU, (a, n) => BigInt.asUintN(size, a) >> n],
    [ShiftKind.Rotl, (a, n) => { const u = BigInt.asUintN(size, a); return (u << n) | (u >> ((BigInt(size) - n) % BigInt(size))); }],
    [ShiftKind.Rotr, (a, n) => { const u = BigInt.asUintN(size, a); return (u >> n) | (u << ((BigInt(size) - n) % BigInt(size))); }],
  ];
  for (const [kind, fn] of shifts) {
    const amounts = [0n, 1n, 5n, BigInt(size - 1), BigInt(size), BigInt(size + 3), -1n];
    cases.push({ name: `shift ${kind} i${size}`, signature: sig([K, K], [K]),
      body: (m, e) => { e.stack.pushReg(e.params[0]!, size); e.stack.pushReg(e.params[1]!, size); m.shift(e.stack, kind, size); e.stack.popToReg(e.result, size); },
      runs: I64V.flatMap((a) => amounts.map((n) => ({ args: [arg(a), arg(n)], expect: { results: [norm(fn(BigInt(arg(a)), BigInt.asUintN(size, n) % BigInt(size)))] } }))) });
  }
}

// memory
vm.view.setBigUint64(VMContextLayout.memory0Base, heap.address, true);
vm.view.setBigUint64(VMContextLayout.memory0Length, 65536n, true);
cases.push({
  name: 'store/load with bounds checks', signature: sig([I32, I64], [I64]),
  body: (m: MacroAssembler, e: CaseEnv) => {
    const addr = e.temp(0);
    m.boundsCheck(0, e.params[0]!, 32, 16, 8);
    m.heapAddress(addr, 0, e.params[0]!, 32);
    m.store(6 /* Store32 */, e.params[1]!, addr, 16);
    m.store(4 /* Store8 */, e.params[1]!, addr, 20);
    m.load(12 /* I64Load32S */, e.result, addr, 16);
  },
  runs: [
    { args: [0, -2n], expect: { results: [-2n] } },
    { args: [65536 - 24, 0x1_8000_0001n], expect: { results: [-(2n ** 31n) + 1n] } },
    { args: [65536 - 23, 1n], expect: { trap: TrapReason.OutOfBoundsMemoryAccess } },
    { args: [-1, 1n], expect: { trap: TrapReason.OutOfBoundsMemoryAccess } },
  ],
});
cases.push({
  name: 'bounds check with a huge offset', signature: sig([I32], [I32]),
  body: (m, e) => { m.boundsCheck(0, e.params[0]!, 32, 0xffff_fff0, 4); m.move(e.result, Imm.i32(7), 32); },
  runs: [{ args: [0], expect: { trap: TrapReason.OutOfBoundsMemoryAccess } }],
});

describe('extra native checks', () => {
  for (const c of cases) it(c.name, () => expect(runExecutableCase(backend, c, execute)).toEqual([]));
});
void OperandSize;
