// Executable cases: calls that leave the function's own code — imports and `call_indirect`
// switching to the callee's instance and back, the three `call_indirect` traps,
// `return_call_indirect` within and across instances — and runtime builtins (C functions reached
// through the VM context's builtin table), which must find the VM context in the first argument
// and leave it in its register. Instances and markers: see `CallSetup`.

import { Builtin } from '../../builtins.ts';
import { Imm, IntBinaryKind, IntCond, LoadKind, type MacroAssembler } from '../../masm.ts';
import { RegClass } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import { VMCTX_GLOBALS, VMCTX_TRAP_REASON } from '../../vmcontext.ts';
import { I32, I64, INSTANCE_MARKERS, S32, S64, ok, sig, trap, type CaseEnv, type ExecutableCase } from './types.ts';

const THIS = BigInt(INSTANCE_MARKERS.this);
const OTHER = BigInt(INSTANCE_MARKERS.other);
const PAGE = 65536;

/** result += this function's own marker: proves its VM context is back after a call. */
function addOwnMarker(m: MacroAssembler, e: CaseEnv): void {
  const t = e.temp(RegClass.Int);
  m.loadPtr(t, m.registers.vmContext, VMCTX_GLOBALS);
  m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, t);
}

/**
 * Calls builtin `id` with the VM context and up to four integer arguments already in
 * `intArgs[1..]`, then leaves through the trap exit if the builtin reported a trap — the sequence
 * the baseline compiler emits. The check must not use the result register (the first argument
 * register on some ISAs), so it uses the second argument register.
 */
function callBuiltin(m: MacroAssembler, id: Builtin, trapReason: TrapReason): void {
  const cc = m.callingConvention;
  m.move(cc.intArgs[0]!, m.registers.vmContext, S64);
  m.callBuiltin(id);
  const check = cc.intArgs[1]!;
  m.loadPtr(check, m.registers.vmContext, VMCTX_TRAP_REASON);
  m.trapIf(IntCond.Ne, S32, check, Imm.i32(0), trapReason);
}

export const CALL_CASES: readonly ExecutableCase[] = [
  {
    name: 'callImport switches to the callee instance and back',
    signature: sig([I64], [I64]),
    setup: { calls: {} },
    body: (m, e) => {
      m.callImport(0);
      addOwnMarker(m, e);
    },
    runs: [{ args: [5n], expect: ok(5n + OTHER + THIS) }],
  },
  {
    name: 'callIndirect: bounds, null and signature checks, instance switch',
    signature: sig([I64, I32], [I64]),
    setup: {
      calls: {
        signatureIds: [42, 43],
        table: [{ typeId: 42, instance: 'other' }, null, { typeId: 43, instance: 'other' }, { typeId: 42, instance: 'this' }],
      },
    },
    body: (m, e) => {
      m.callIndirect(0, 0, e.params[1]!);
      addOwnMarker(m, e);
    },
    runs: [
      { args: [5n, 0], expect: ok(5n + OTHER + THIS) },
      { args: [5n, 3], expect: ok(5n + THIS + THIS) },
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
      calls: {
        signatureIds: [9, 42],
        table: [{ typeId: 42, instance: 'this' }, { typeId: 42, instance: 'other' }, { typeId: 9, instance: 'this' }],
      },
    },
    body: (m, e) => {
      m.returnCallIndirect(0, 1, e.params[1]!);
      m.trap(TrapReason.Unreachable);
    },
    runs: [
      { args: [5n, 0], expect: ok(5n + THIS) },
      { args: [5n, 1], expect: ok(5n + OTHER) },
      { args: [5n, 2], expect: trap(TrapReason.IndirectCallTypeMismatch) },
    ],
  },
  {
    // memory.size of memory 0 (2 pages), then this function's marker through its VM context.
    name: 'callBuiltin: memory.size finds the instance through the VM context and keeps it',
    signature: sig([I64], [I64]),
    setup: { memoryLength: 2 * PAGE, builtins: true, calls: {} },
    body: (m, e) => {
      const cc = m.callingConvention;
      m.spill(8, e.params[0]!, S64);
      m.move(cc.intArgs[1]!, Imm.i32(0), S64);
      callBuiltin(m, Builtin.MemorySize, TrapReason.Unreachable);
      m.move(e.result, cc.intResults[0]!, S64);
      const x = e.temp(RegClass.Int);
      m.fill(x, 8, S64);
      m.intBinary(IntBinaryKind.Add, S64, e.result, e.result, x);
      addOwnMarker(m, e);
    },
    runs: [{ args: [100n], expect: ok(2n + 100n + THIS) }],
  },
  {
    // memory.fill(memory 0, at, 0x5a, 3) through the builtin, then the bytes around it read back.
    name: 'callBuiltin: memory.fill with four arguments, and its trap out of bounds',
    signature: sig([I32], [I32]),
    setup: { memoryLength: PAGE, memoryInit: [1, 2, 3, 4, 5, 6, 7, 8], builtins: true },
    body: (m, e) => {
      const cc = m.callingConvention;
      m.move(cc.intArgs[2]!, e.params[0]!, S64);
      m.move(cc.intArgs[1]!, Imm.i32(0), S64);
      m.move(cc.intArgs[3]!, Imm.i32(0x5a), S64);
      m.move(cc.intArgs[4]!, Imm.i32(3), S64);
      callBuiltin(m, Builtin.MemoryFill, TrapReason.OutOfBoundsMemoryAccess);
      const index = e.temp(RegClass.Int);
      const address = e.temp(RegClass.Int);
      m.move(index, Imm.i32(0), S32);
      m.boundsCheck(0, index, S32, 0, 8);
      m.heapAddress(address, 0, index, S32);
      m.load(LoadKind.I32, e.result, address, 2);
    },
    runs: [
      // Memory starts 01 02 03 04 05 06 07 08 in every run; bytes 2..5 after filling 1..3: 5a 5a 05 06.
      { args: [1], expect: ok(0x0605_5a5a) },
      { args: [3], expect: ok(0x5a5a_5a03) },
      { args: [PAGE - 3], expect: ok(0x0605_0403) },
      { args: [PAGE - 2], expect: trap(TrapReason.OutOfBoundsMemoryAccess) },
    ],
  },
];
