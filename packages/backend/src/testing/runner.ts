// Running the executable conformance cases: build each with a backend's MacroAssembler (between
// the kit's own prologue and epilogue), run it through the runtime-supplied `execute`, and report
// every mismatch.

import { computeCallLayout, ValueKind } from '../abi.ts';
import type { Backend } from '../backend.ts';
import type { FinishedCode } from '../code-buffer.ts';
import { IntBinaryKind, OperandSize } from '../masm.ts';
import { VMCTX_GLOBALS } from '../vmcontext.ts';
import { CALL_CASES } from './cases/calls.ts';
import { CONTROL_CASES } from './cases/control.ts';
import { CONVERT_CASES } from './cases/convert.ts';
import { FLOAT_CASES } from './cases/float.ts';
import { INTEGER_CASES } from './cases/integer.ts';
import { MEMORY_CASES } from './cases/memory.ts';
import { SWEEP_CASES } from './cases/sweeps.ts';
import { VMCONTEXT_LAYOUT_CASES } from './cases/vmcontext-layout.ts';
import type { BuiltCase, CaseEnv, ExecutableCase, ExecuteFn, ExecutionOutcome, WasmValue } from './cases/types.ts';
import { RegisterValueStack } from './value-stack.ts';

/** Frame bytes every case gets (spill slots 8 and 16). */
const FRAME_SIZE = 16;

export const EXECUTABLE_CASES: readonly ExecutableCase[] = [
  ...INTEGER_CASES,
  ...FLOAT_CASES,
  ...CONVERT_CASES,
  ...MEMORY_CASES,
  ...CONTROL_CASES,
  ...CALL_CASES,
  ...VMCONTEXT_LAYOUT_CASES,
  ...SWEEP_CASES,
];

/** Builds the complete function for `c` with `backend`'s MacroAssembler. */
export function buildCase(backend: Backend, c: ExecutableCase): FinishedCode {
  const masm = backend.createMacroAssembler();
  const cc = backend.callingConvention;
  const layout = computeCallLayout(cc, c.signature);
  const params = layout.params.map((loc, i) => {
    if (loc.kind !== 'reg') throw new Error(`case "${c.name}": parameter ${i} is not in a register`);
    return loc.reg;
  });
  const resultLoc = layout.results[0];
  if (resultLoc === undefined || resultLoc.kind !== 'reg') throw new Error(`case "${c.name}": needs one register result`);
  const stack = new RegisterValueStack(masm, backend.registers);
  for (const reg of params) stack.reserve(reg);
  for (const reg of [...cc.intResults, ...cc.floatResults]) stack.reserve(reg);
  const env: CaseEnv = {
    params,
    result: resultLoc.reg,
    stack,
    temp: (cls) => stack.allocate(cls),
  };
  masm.prologue(FRAME_SIZE);
  c.body(masm, env);
  masm.epilogue();
  return masm.finish();
}

/** The callee of cases with `calls` (see `CallSetup`): `(i64 x) → x + [vmctx + VMCTX_GLOBALS]`. */
function buildCallee(backend: Backend): FinishedCode {
  const masm = backend.createMacroAssembler();
  const cc = backend.callingConvention;
  const marker = cc.intArgs[1]!;
  masm.prologue(FRAME_SIZE);
  masm.loadPtr(marker, masm.registers.vmContext, VMCTX_GLOBALS);
  masm.intBinary(IntBinaryKind.Add, OperandSize.S64, cc.intResults[0]!, cc.intArgs[0]!, marker);
  masm.epilogue();
  return masm.finish();
}

/** Builds `c` (and the callee it calls, if any) for `backend`. */
function buildExecutableCase(backend: Backend, c: ExecutableCase): BuiltCase {
  const setup = c.setup ?? {};
  return { name: c.name, code: buildCase(backend, c), signature: c.signature, setup, callee: setup.calls === undefined ? null : buildCallee(backend) };
}

function sameValue(kind: ValueKind, actual: WasmValue | undefined, expected: WasmValue): boolean {
  if (kind === ValueKind.I64) return typeof actual === 'bigint' && BigInt.asIntN(64, actual) === BigInt.asIntN(64, expected as bigint);
  if (kind === ValueKind.I32) return typeof actual === 'number' && (actual | 0) === (expected as number | 0);
  // Floats: bit-level identity for -0, any NaN equals any NaN (Wasm leaves NaN payloads open here).
  return typeof actual === 'number' && (Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected as number)));
}

/** Builds and runs every run of `c`; returns the mismatches (empty when the backend conforms). */
export function runExecutableCase(backend: Backend, c: ExecutableCase, execute: ExecuteFn): string[] {
  const problems: string[] = [];
  const outcomes = execute(buildExecutableCase(backend, c), c.runs.map((run) => run.args));
  c.runs.forEach((run, i) => {
    const outcome = outcomes[i];
    const label = `${c.name} (${run.args.map(String).join(', ')})`;
    if (outcome === undefined) {
      problems.push(`${label}: execute returned no outcome`);
      return;
    }
    if ('trap' in run.expect) {
      if (outcome.kind !== 'trap' || outcome.reason !== run.expect.trap) {
        problems.push(`${label}: expected trap ${run.expect.trap}, got ${describe(outcome)}`);
      }
      return;
    }
    const expected = run.expect.results;
    if (outcome.kind !== 'return' || !expected.every((v, i) => sameValue(c.signature.results[i]!, outcome.results[i], v))) {
      problems.push(`${label}: expected ${expected.map(String).join(', ')}, got ${describe(outcome)}`);
    }
  });
  return problems;
}

function describe(outcome: ExecutionOutcome): string {
  return outcome.kind === 'trap' ? `trap ${outcome.reason}` : `return ${outcome.results.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(', ')}`;
}
