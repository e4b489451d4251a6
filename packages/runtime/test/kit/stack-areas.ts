// Parameters and results beyond the argument and result registers, through the entry trampoline
// and the host-call trampoline (`hostFunctionHandle`). The signature has one parameter of each
// width more than each class has argument registers (so an i64, an i32, an f64 and an f32 go on
// the stack) and five results (those beyond the result registers go to the stack result area).
// `direct` folds every parameter into two results and copies the stack ones into the others;
// `viaHost` forwards its parameters to a host function of the same type (import 0) and returns
// what it returns, so the host-call trampoline must read the caller's outgoing area and fill its
// stack result area.

import { ConvertKind, FloatBinaryKind, Imm, IntBinaryKind, OperandSize, RegClass, StackArea, computeCallLayout, type Reg } from '@flint/backend';
import { ValType, type FuncType } from '@flint/decoder';
import { callFunction } from '../../src/instance/call.ts';
import { hostFunctionHandle } from '../../src/instance/host-functions.ts';
import type { Store } from '../../src/instance/store.ts';
import { signatureOf, type WasmValue } from '../../src/instance/values.ts';
import { KitInstance } from './kit-instance.ts';
import { Group, buildFunction, describeValues, f32Raw, f64Raw, freeRegisters, type GroupReport } from './support.ts';

const { S32, S64 } = OperandSize;
const INT_BASE = 31;
const FLOAT_BASE = 3;

export function runStackAreas(store: Store): GroupReport {
  const backend = store.backend;
  const group = new Group('stack-areas');
  const cc = backend.callingConvention;
  // One i64 and one f64 more than their classes have argument registers, then an i32 and an f32.
  const i64s = cc.intArgs.length + 1;
  const f64s = cc.floatArgs.length + 1;
  const type: FuncType = {
    kind: 'func',
    params: [...Array<ValType>(i64s).fill(ValType.I64), ValType.I32, ...Array<ValType>(f64s).fill(ValType.F64), ValType.F32],
    results: [ValType.I64, ValType.F64, ValType.I64, ValType.I32, ValType.F32],
  };
  const layout = computeCallLayout(cc, signatureOf(type));
  const lastI64 = i64s - 1;
  const i32At = i64s;
  const f32At = type.params.length - 1;
  for (const i of [lastI64, i32At, f32At - 1, f32At]) {
    if (layout.params[i]!.kind !== 'stack') throw new Error(`stack-areas: parameter ${i} should be on the stack`);
  }

  // JS values of the arguments: i64s 1, 2, …, the last one with high bits set; f64s j + 0.25.
  const jsArgs: (number | bigint)[] = type.params.map((t, i) => {
    if (t === ValType.I64) return i === lastI64 ? -(1n << 40n) + 5n : BigInt(i + 1);
    if (t === ValType.I32) return 0x7fff_fff3;
    if (t === ValType.F32) return -3.75;
    return i - i32At + 0.25;
  });
  let intHash = 0n;
  let floatHash = 0;
  type.params.forEach((t, i) => {
    const v = jsArgs[i]!;
    if (t === ValType.I64 || t === ValType.I32) intHash = BigInt.asIntN(64, intHash * BigInt(INT_BASE) + BigInt.asUintN(t === ValType.I32 ? 32 : 64, BigInt(v)));
    else floatHash = floatHash * FLOAT_BASE + (v as number);
  });
  const jsResults: (number | bigint)[] = [intHash, floatHash, jsArgs[lastI64]!, jsArgs[i32At]!, jsArgs[f32At]!];
  const raw = (t: ValType, v: number | bigint): WasmValue => (t === ValType.F64 ? f64Raw(v as number) : t === ValType.F32 ? f32Raw(v as number) : v);
  const rawArgs = type.params.map((t, i) => raw(t, jsArgs[i]!));
  const rawResults = type.results.map((t, i) => raw(t, jsResults[i]!));
  const sizeOf = (t: ValType) => (t === ValType.I32 || t === ValType.F32 ? S32 : S64);

  const direct = buildFunction(backend, (m) => {
    const [intHashReg, t, lastI64Copy, i32Copy] = freeRegisters(backend, RegClass.Int, 4) as Reg[];
    const [floatHashReg, f, base, f32Copy] = freeRegisters(backend, RegClass.Float, 4) as Reg[];
    m.move(intHashReg!, Imm.i32(0), S64);
    m.loadFloatConstant(floatHashReg!, S64, 0, 0);
    const baseBits = f64Raw(FLOAT_BASE);
    m.loadFloatConstant(base!, S64, Number(baseBits & 0xffff_ffffn), Number(baseBits >> 32n));
    type.params.forEach((kind, i) => {
      const loc = layout.params[i]!;
      const isInt = kind === ValType.I64 || kind === ValType.I32;
      const value = isInt ? t! : f!;
      if (loc.kind === 'stack') m.loadStackArea(StackArea.Incoming, value, loc.offset, sizeOf(kind));
      else m.move(value, loc.reg, sizeOf(kind));
      if (isInt) {
        m.intBinary(IntBinaryKind.Mul, S64, intHashReg!, intHashReg!, Imm.i32(INT_BASE));
        m.intBinary(IntBinaryKind.Add, S64, intHashReg!, intHashReg!, value);
      } else {
        if (kind === ValType.F32) m.convert(ConvertKind.F64PromoteF32, value, value);
        m.floatBinary(FloatBinaryKind.Mul, S64, floatHashReg!, floatHashReg!, base!);
        m.floatBinary(FloatBinaryKind.Add, S64, floatHashReg!, floatHashReg!, value);
      }
    });
    const copy = (into: Reg, i: number) => {
      const loc = layout.params[i]!;
      if (loc.kind === 'stack') m.loadStackArea(StackArea.Incoming, into, loc.offset, sizeOf(type.params[i]!));
      else m.move(into, loc.reg, sizeOf(type.params[i]!));
    };
    copy(lastI64Copy!, lastI64);
    copy(i32Copy!, i32At);
    copy(f32Copy!, f32At);
    const sources = [intHashReg!, floatHashReg!, lastI64Copy!, i32Copy!, f32Copy!];
    type.results.forEach((kind, k) => {
      const loc = layout.results[k]!;
      if (loc.kind === 'stack') m.storeStackArea(StackArea.Incoming, sources[k]!, layout.stackArgBytes + loc.offset, sizeOf(kind));
      else m.move(loc.reg, sources[k]!, sizeOf(kind));
    });
  });

  const outgoing = layout.stackArgBytes + layout.stackResultBytes;
  const viaHost = buildFunction(backend, (m) => {
    const [t] = freeRegisters(backend, RegClass.Int, 1) as Reg[];
    const [f] = freeRegisters(backend, RegClass.Float, 1) as Reg[];
    const slotTemp = (kind: ValType) => (kind === ValType.I64 || kind === ValType.I32 ? t! : f!);
    m.reserveStack(outgoing);
    type.params.forEach((kind, i) => {
      const loc = layout.params[i]!;
      if (loc.kind !== 'stack') return;
      m.loadStackArea(StackArea.Incoming, slotTemp(kind), loc.offset, S64);
      m.storeStackArea(StackArea.Outgoing, slotTemp(kind), loc.offset, S64);
    });
    m.callImport(0);
    type.results.forEach((kind, k) => {
      const loc = layout.results[k]!;
      if (loc.kind !== 'stack') return;
      const at = layout.stackArgBytes + loc.offset;
      m.loadStackArea(StackArea.Outgoing, slotTemp(kind), at, S64);
      m.storeStackArea(StackArea.Incoming, slotTemp(kind), at, S64);
    });
    m.freeStack(outgoing);
  });

  const region = store.codeSpace.place([direct, viaHost]);
  const vm = new KitInstance(store);
  let seen: unknown[] = [];
  const host = hostFunctionHandle(
    store,
    (...args: unknown[]) => {
      seen = args;
      return jsResults;
    },
    type,
    0,
  );
  vm.setImport(0, host.code, host.vmContext);
  const call = (index: number, name: string): string[] => {
    const handle = store.allocateFuncRef(region.addressOf(index), vm.address, 0, type, name, { region, vm });
    const results = callFunction(store, handle, rawArgs);
    const problems = results.every((value, k) => value === rawResults[k]) ? [] : [`results ${describeValues(results)}, expected ${describeValues(rawResults)}`];
    if (store.invoker.valueStack.top !== 0) problems.push(`value stack top is ${store.invoker.valueStack.top} after the call, not 0`);
    return problems;
  };

  try {
    group.check('the entry trampoline passes stack parameters and collects stack results', () => call(0, 'direct'));
    group.check('the host-call trampoline reads stack parameters and fills stack results', () => {
      const problems = call(1, 'viaHost');
      if (!(seen.length === jsArgs.length && seen.every((value, i) => Object.is(value, jsArgs[i])))) {
        problems.push(`the host function saw ${describeValues(seen)}, expected ${describeValues(jsArgs)}`);
      }
      return problems;
    });
  } finally {
    vm.dispose();
    region.dispose();
  }
  return group.report();
}
