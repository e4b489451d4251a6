// Host functions through the runtime's own machinery (`hostFunctionHandle`: the backend's
// host-call trampoline and the store's dispatcher), called from Wasm code as import 0: results
// come back, a JS exception leaves the Wasm code and reaches the outermost caller unchanged,
// calls nest host → Wasm → host, and a trap in a nested entry unwinds only that entry. After
// every outermost call the thread is back outside Wasm: saved host SP 0, value stack empty, no
// pending exception.

import { HostState, Imm, IntBinaryKind, OperandSize, TrapReason } from '@flint/backend';
import { ValType, type FuncType } from '@flint/decoder';
import { RuntimeError } from '../../src/errors.ts';
import { callFunction } from '../../src/instance/call.ts';
import { hostFunctionHandle } from '../../src/instance/host-functions.ts';
import type { Store } from '../../src/instance/store.ts';
import { KitInstance } from './kit-instance.ts';
import { Group, buildFunction, describeValues, type GroupReport } from './support.ts';

const I64_TO_I64: FuncType = { kind: 'func', params: [ValType.I64], results: [ValType.I64] };

export function runHostCalls(store: Store): GroupReport {
  const backend = store.backend;
  const group = new Group('host-calls');
  const result = backend.callingConvention.intResults[0]!;
  // viaImport(x) = import0(x) - 1; traps(x) = unreachable.
  const region = store.codeSpace.place([
    buildFunction(backend, (m) => {
      m.callImport(0);
      m.intBinary(IntBinaryKind.Sub, OperandSize.S64, result, result, Imm.i32(1));
    }),
    buildFunction(backend, (m) => m.trap(TrapReason.Unreachable)),
  ]);
  const vm = new KitInstance(store);
  const viaImport = store.allocateFuncRef(region.addressOf(0), vm.address, 0, I64_TO_I64, 'viaImport', { region, vm });
  const traps = store.allocateFuncRef(region.addressOf(1), vm.address, 0, I64_TO_I64, 'traps', { region, vm });
  const hostLongs = new BigUint64Array(store.invoker.hostStateBuffer);
  const savedHostSp = (): bigint => hostLongs[HostState.savedHostSp >> 3]!;
  const stack = store.invoker.valueStack;

  const importHost = (fn: (x: bigint) => bigint): void => {
    const handle = hostFunctionHandle(store, fn as (...args: unknown[]) => unknown, I64_TO_I64, 0);
    vm.setImport(0, handle.code, handle.vmContext);
  };
  /** Calls viaImport(x) from the host; problems with its results or with the thread's state after it. */
  const callOutermost = (x: bigint, expect: (results: readonly unknown[] | null, thrown: unknown) => string[]): string[] => {
    let results: unknown[] | null = null;
    let thrown: unknown = null;
    try {
      results = callFunction(store, viaImport, [x]);
    } catch (error) {
      thrown = error;
    }
    const problems = expect(results, thrown);
    if (savedHostSp() !== 0n) problems.push(`saved host SP is ${savedHostSp()} after the outermost call, not 0`);
    if (stack.top !== 0) problems.push(`value stack top is ${stack.top} after the outermost call, not 0`);
    if (store.pendingException !== null) problems.push('an exception is still pending after the outermost call');
    return problems;
  };
  const returns = (want: bigint) => (results: readonly unknown[] | null, thrown: unknown): string[] =>
    thrown !== null ? [`threw ${String(thrown)}, expected ${want}`] : results?.[0] === want ? [] : [`returned ${describeValues(results ?? [])}, expected ${want}`];

  try {
    group.check('a host function returns its result through the host-call trampoline (3x - 1)', () => {
      importHost((x) => 3n * x);
      return callOutermost(14n, returns(41n));
    });

    group.check('a host function exception leaves the Wasm code and is rethrown unchanged', () => {
      const failure = new Error('host failure');
      importHost(() => {
        throw failure;
      });
      return callOutermost(14n, (_results, thrown) => (thrown === failure ? [] : [`got ${String(thrown)}, expected the host function's own error`]));
    });

    group.check('calls nest host → Wasm → host three deep (each level x + 10, then x - 1 on the way out)', () => {
      let depth = 0;
      importHost((x) => (depth++ < 3 ? (callFunction(store, viaImport, [x + 10n])[0] as bigint) : x));
      return callOutermost(0n, returns(3n * 10n - 4n));
    });

    group.check('a trap in a nested entry unwinds only that entry (the outer host call continues)', () => {
      const seen: string[] = [];
      importHost((x) => {
        const outerSp = savedHostSp();
        const outerTop = stack.top;
        try {
          callFunction(store, traps, [x]);
          seen.push('the nested call returned instead of trapping');
        } catch (error) {
          if (!(error instanceof RuntimeError) || error.reason !== TrapReason.Unreachable) seen.push(`nested call threw ${String(error)}, expected the unreachable trap`);
        }
        if (outerSp === 0n || savedHostSp() !== outerSp) seen.push(`saved host SP after the nested trap is ${savedHostSp()}, expected the outer entry's ${outerSp}`);
        if (stack.top !== outerTop) seen.push(`value stack top after the nested trap is ${stack.top}, expected ${outerTop}`);
        return 100n;
      });
      return [...callOutermost(14n, returns(99n)), ...seen];
    });

    group.check('host calls keep working after a nested trap', () => {
      importHost((x) => 3n * x);
      return callOutermost(-2n, returns(-7n));
    });
  } finally {
    vm.dispose();
    region.dispose();
  }
  return group.report();
}
