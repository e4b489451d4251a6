// Fuel metering (opt-in, `CompileOptions.fuel`): a deterministic cost per operator, charged to the
// thread's fuel counter (`HostState.fuel`) by `MacroAssembler.consumeFuel`. The compiler adds up
// the costs of a straight-line run of operators and charges the sum where the run ends: before an
// operator that transfers control or binds a label (`loop`, `if`, `else`, `end`, branches, calls,
// `return`). Every loop iteration passes a branch and every recursion a call, so code cannot run
// on without being charged; a run that traps part-way is not charged. The sums depend only on the
// operators the compiler reaches, never on the ISA, so the same module and input consume the same
// fuel on every backend.
//
// Costs follow Wasmtime's: 1 per operator, 0 for those that do no work of their own.

import { OPERATOR_ID_LIMIT, Op } from '@flint/decoder';

/** Fuel each operator costs, by dense operator id. */
export const FUEL_COST = new Uint8Array(OPERATOR_ID_LIMIT).fill(1);
for (const id of [Op.Nop, Op.Drop, Op.Block, Op.Loop, Op.Else, Op.End, Op.Unreachable, Op.Return]) FUEL_COST[id] = 0;

/** 1 for the operators before which the pending run is charged (see above), by dense operator id. */
export const ENDS_FUEL_RUN = new Uint8Array(OPERATOR_ID_LIMIT);
for (const id of [Op.Loop, Op.If, Op.Else, Op.End, Op.Br, Op.BrIf, Op.BrTable, Op.Return, Op.Call, Op.CallIndirect, Op.ReturnCall, Op.ReturnCallIndirect, Op.CallRef, Op.ReturnCallRef, Op.BrOnNull, Op.BrOnNonNull, Op.BrOnCast, Op.BrOnCastFail,
  Op.Try, Op.Catch, Op.CatchAll, Op.Delegate, Op.Throw, Op.Rethrow, Op.ThrowRef, Op.TryTable]) {
  ENDS_FUEL_RUN[id] = 1;
}
