// The lazy-compilation stub through the runtime's own machinery (`LazyCode` and the store's
// compile callback): the first call compiles and jumps on with every argument intact — each
// argument register of both classes and a stack argument — filling the module's code slot and
// the instance's jump-table slot;
// later calls go straight through the slot; a compile that fails leaves through the trap exit
// and its error reaches the caller unchanged.

import { ConvertKind, Imm, IntBinaryKind, OperandSize, RegClass, StackArea, computeCallLayout, type FinishedCode, type Reg } from '@flint/backend';
import { ValType, type FuncType } from '@flint/decoder';
import { HOST_EXCEPTION_STATUS } from '../../src/instance/builtins.ts';
import { LazyCode, lazyCompilerAddress } from '../../src/compile/lazy.ts';
import { callFunction } from '../../src/instance/call.ts';
import { signatureOf } from '../../src/instance/values.ts';
import type { Store } from '../../src/instance/store.ts';
import { KitInstance } from './kit-instance.ts';
import { Group, buildFunction, describeValues, f64Raw, freeRegisters, type GroupReport } from './support.ts';

const { S64 } = OperandSize;
const FUNC_INDEX = 0;
/** The target folds its arguments in order, acc = acc * 31 + argument: a lost or swapped one shows. */
const HASH_BASE = 31;

export function runLazyStub(store: Store): GroupReport {
  const backend = store.backend;
  const group = new Group('lazy-stub');
  const cc = backend.callingConvention;
  // Every argument register of both classes, then one more integer argument, which goes on the stack.
  const type: FuncType = {
    kind: 'func',
    params: [...Array<ValType>(cc.intArgs.length).fill(ValType.I64), ...Array<ValType>(cc.floatArgs.length).fill(ValType.F64), ValType.I64],
    results: [ValType.I64],
  };
  const layout = computeCallLayout(cc, signatureOf(type));
  if (layout.params.at(-1)?.kind !== 'stack') throw new Error('lazy-stub: the last argument should be on the stack');
  // Argument i is i + 1 (an f64 one plus 0.5, which the truncation drops).
  const args = type.params.map((t, i) => (t === ValType.F64 ? f64Raw(i + 1.5) : BigInt(i + 1)));
  const expected = type.params.reduce((acc, _t, i) => BigInt.asIntN(64, acc * BigInt(HASH_BASE) + BigInt(i + 1)), 0n);

  const target = buildFunction(backend, (m) => {
    const [acc, t] = freeRegisters(backend, RegClass.Int, 2) as [Reg, Reg];
    const [f] = freeRegisters(backend, RegClass.Float, 1) as [Reg];
    m.move(acc, Imm.i32(0), S64);
    type.params.forEach((kind, i) => {
      const loc = layout.params[i]!;
      const value = kind === ValType.F64 ? f : t;
      if (loc.kind === 'stack') m.loadStackArea(StackArea.Incoming, value, loc.offset, S64);
      else m.move(value, loc.reg, S64);
      if (kind === ValType.F64) m.convert(ConvertKind.I64TruncSatF64S, t, f);
      m.intBinary(IntBinaryKind.Mul, S64, acc, acc, Imm.i32(HASH_BASE));
      m.intBinary(IntBinaryKind.Add, S64, acc, acc, t);
    });
    m.move(cc.intResults[0]!, acc, S64);
  });

  let compiles = 0;
  let failure: Error | null = null;
  const lazy = new LazyCode(1, 0, (): FinishedCode => {
    compiles++;
    if (failure !== null) throw failure;
    return target;
  }, (code) => store.codeSpace.place([code]));
  const stubs = store.codeSpace.place([backend.emitLazyCompileStub(FUNC_INDEX, lazy.slotAddress(FUNC_INDEX), lazyCompilerAddress(store), HOST_EXCEPTION_STATUS)]);
  const vm = new KitInstance(store);
  vm.lazy = lazy;
  vm.setJumpTableSlot(FUNC_INDEX, stubs.addressOf(0));
  const handle = store.allocateFuncRef(stubs.addressOf(0), vm.address, 0, type, 'lazy', { stubs, vm });
  const codeSlot = (): bigint => lazy.codeTable.view.getBigUint64(0, true);

  const call = (): { results: unknown[] | null; thrown: unknown } => {
    try {
      return { results: callFunction(store, handle, args), thrown: null };
    } catch (error) {
      return { results: null, thrown: error };
    }
  };

  try {
    group.check('a failed compile leaves through the trap exit; its error reaches the caller unchanged', () => {
      failure = new Error('compile failed');
      const { thrown } = call();
      const problems: string[] = [];
      if (thrown !== failure) problems.push(`got ${String(thrown)}, expected the compiler's own error`);
      if (compiles !== 1) problems.push(`${compiles} compiles, expected 1`);
      if (codeSlot() !== 0n) problems.push('the code slot was filled by a failed compile');
      failure = null;
      return problems;
    });

    group.check(`the first call compiles and keeps all ${type.params.length} arguments (every argument register and a stack one)`, () => {
      const { results, thrown } = call();
      const problems: string[] = [];
      if (thrown !== null) problems.push(`threw ${String(thrown)}`);
      else if (results?.[0] !== expected) problems.push(`returned ${describeValues(results ?? [])}, expected ${expected}`);
      if (compiles !== 2) problems.push(`${compiles} compiles, expected 2`);
      if (codeSlot() === 0n) problems.push('the code slot is empty after the compile');
      if (vm.jumpTableSlot(FUNC_INDEX) !== codeSlot()) problems.push("the instance's jump-table slot does not point at the compiled code");
      return problems;
    });

    group.check('later calls jump through the filled slot without compiling', () => {
      const { results, thrown } = call();
      const problems: string[] = [];
      if (thrown !== null) problems.push(`threw ${String(thrown)}`);
      else if (results?.[0] !== expected) problems.push(`returned ${describeValues(results ?? [])}, expected ${expected}`);
      if (compiles !== 2) problems.push(`${compiles} compiles, expected 2`);
      return problems;
    });
  } finally {
    vm.dispose();
    stubs.dispose();
  }
  return group.report();
}
