// Executable cases: labels, branches, br_table, select, direct calls through the jump table,
// the prologue's stack-limit check, and traps.

import { Imm, IntBinaryKind, IntCond, StackArea } from '../../masm.ts';
import { RegClass } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import { F64, I32, I64, S32, S64, ok, sig, trap, type ExecutableCase } from './types.ts';
import { HostState } from '../../backend.ts';
import { VMCTX_HOST_STATE } from '../../vmcontext.ts';

/** Targets of the wide br_table: a count beyond 12-bit immediates, with an index beyond them too. */
const WIDE_TABLE = 5000;

export const CONTROL_CASES: readonly ExecutableCase[] = [
  {
    name: 'loop: sum of 1..n with labels and branches',
    signature: sig([I32], [I32]),
    body: (m, e) => {
      const n = e.params[0]!;
      const acc = e.temp(RegClass.Int);
      const top = m.newLabel();
      const done = m.newLabel();
      m.move(acc, Imm.i32(0), S32);
      m.bind(top);
      m.branchOnZero(n, S32, done);
      m.intBinary(IntBinaryKind.Add, S32, acc, acc, n);
      m.intBinary(IntBinaryKind.Sub, S32, n, n, Imm.i32(1));
      m.jump(top);
      m.bind(done);
      m.move(e.result, acc, S32);
    },
    runs: [
      { args: [10], expect: ok(55) },
      { args: [0], expect: ok(0) },
      { args: [1000], expect: ok(500500) },
    ],
  },
  {
    name: 'br_table through a jump table',
    signature: sig([I32], [I32]),
    body: (m, e) => {
      const targets = [m.newLabel(), m.newLabel(), m.newLabel()];
      const fallback = m.newLabel();
      const done = m.newLabel();
      m.jumpTable(e.params[0]!, targets, fallback);
      targets.forEach((label, i) => {
        m.bind(label);
        m.move(e.result, Imm.i32((i + 1) * 10), S32);
        m.jump(done);
      });
      m.bind(fallback);
      m.move(e.result, Imm.i32(99), S32);
      m.bind(done);
    },
    runs: [
      { args: [0], expect: ok(10) },
      { args: [2], expect: ok(30) },
      { args: [3], expect: ok(99) },
      { args: [-1], expect: ok(99) },
    ],
  },
  {
    name: `br_table with ${WIDE_TABLE} targets`,
    signature: sig([I32], [I32]),
    body: (m, e) => {
      const targets = Array.from({ length: WIDE_TABLE }, () => m.newLabel());
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
    runs: [0, 1, 4095, 4096, WIDE_TABLE - 1, WIDE_TABLE, -1].map((i) => ({ args: [i], expect: ok(i >= 0 && i < WIDE_TABLE ? i * 3 : -1) })),
  },
  {
    name: 'select picks by an i32 condition',
    signature: sig([I32, I32, I32], [I32]),
    body: (m, e) => m.select(S32, e.result, e.params[2]!, e.params[0]!, e.params[1]!),
    runs: [
      { args: [1, 2, 1], expect: ok(1) },
      { args: [1, 2, 0], expect: ok(2) },
      { args: [1, 2, -5], expect: ok(1) },
    ],
  },
  {
    name: 'recursive factorial through the jump table, keeping n in a frame slot',
    signature: sig([I32], [I32]),
    setup: { selfInJumpTable: true },
    body: (m, e) => {
      const n = e.params[0]!;
      const base = m.newLabel();
      const done = m.newLabel();
      m.branchIf(IntCond.LeS, S32, n, Imm.i32(1), base);
      m.spill(8, n, S64);
      m.intBinary(IntBinaryKind.Sub, S32, n, n, Imm.i32(1));
      m.callDirect(0);
      const saved = e.temp(RegClass.Int);
      m.fill(saved, 8, S64);
      m.intBinary(IntBinaryKind.Mul, S32, e.result, e.result, saved);
      m.jump(done);
      m.bind(base);
      m.move(e.result, Imm.i32(1), S32);
      m.bind(done);
    },
    runs: [
      { args: [1], expect: ok(1) },
      { args: [5], expect: ok(120) },
      { args: [10], expect: ok(3_628_800) },
    ],
  },
  {
    name: 'runaway recursion traps with call stack exhausted',
    signature: sig([], [I32]),
    setup: { selfInJumpTable: true },
    body: (m) => m.callDirect(0),
    runs: [{ args: [], expect: trap(TrapReason.CallStackExhausted) }],
  },
  {
    // 200000 plain calls would need far more than the 512 KiB stack budget; tail calls run in one frame.
    name: 'returnCallDirect runs in constant stack: sum 1..n by 200000 self tail calls',
    signature: sig([I32, I32], [I32]),
    setup: { selfInJumpTable: true },
    body: (m, e) => {
      const [n, acc] = [e.params[0]!, e.params[1]!];
      const done = m.newLabel();
      m.branchOnZero(n, S32, done);
      m.intBinary(IntBinaryKind.Add, S32, acc, acc, n);
      m.intBinary(IntBinaryKind.Sub, S32, n, n, Imm.i32(1));
      m.returnCallDirect(0);
      m.bind(done);
      m.move(e.result, acc, S32);
    },
    runs: [
      { args: [0, 7], expect: ok(7) },
      { args: [10, 0], expect: ok(55) },
      // 200000 * 200001 / 2 = 20000100000, which is 2820230816 modulo 2^32: -1474736480 as an i32.
      { args: [200_000, 0], expect: ok(-1_474_736_480) },
    ],
  },
  {
    // The caller passes x in its outgoing area and reads a stack result back; the callee (mode 1)
    // reads the caller's x from its incoming area and writes x + 5 as the stack result.
    name: 'stack areas: outgoing argument and stack result through a call',
    signature: sig([I32, I32], [I32]),
    setup: { selfInJumpTable: true },
    body: (m, e) => {
      const [x, mode] = [e.params[0]!, e.params[1]!];
      const caller = m.newLabel();
      const done = m.newLabel();
      m.branchOnZero(mode, S32, caller);
      const incoming = e.temp(RegClass.Int);
      m.loadStackArea(StackArea.Incoming, incoming, 0, S32);
      m.intBinary(IntBinaryKind.Add, S32, incoming, incoming, x);
      m.storeStackArea(StackArea.Incoming, incoming, 8, S32);
      m.move(e.result, Imm.i32(1), S32);
      m.jump(done);
      m.bind(caller);
      m.reserveStack(16);
      m.storeStackArea(StackArea.Outgoing, x, 0, S32);
      m.move(x, Imm.i32(5), S32);
      m.move(mode, Imm.i32(1), S32);
      m.callDirect(0);
      const stackResult = incoming;
      m.loadStackArea(StackArea.Outgoing, stackResult, 8, S32);
      m.freeStack(16);
      m.intBinary(IntBinaryKind.Add, S32, e.result, e.result, stackResult);
      m.bind(done);
    },
    runs: [
      { args: [10, 0], expect: ok(16) },
      { args: [-6, 0], expect: ok(0) },
    ],
  },
  {
    name: 'stack areas: f64 round trip through the outgoing area',
    signature: sig([F64], [F64]),
    body: (m, e) => {
      m.reserveStack(16);
      m.storeStackArea(StackArea.Outgoing, e.params[0]!, 8, S64);
      m.loadStackArea(StackArea.Outgoing, e.result, 8, S64);
      m.freeStack(16);
    },
    runs: [
      { args: [-2.5], expect: ok(-2.5) },
      { args: [-0], expect: ok(-0) },
    ],
  },
  {
    name: 'unreachable traps',
    signature: sig([], [I32]),
    body: (m, e) => {
      m.trap(TrapReason.Unreachable);
      m.move(e.result, Imm.i32(1), S32);
    },
    runs: [{ args: [], expect: trap(TrapReason.Unreachable) }],
  },
  {
    name: 'consumeFuel subtracts from HostState.fuel, keeps other registers, traps once fuel is negative',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      const hostState = e.temp(RegClass.Int);
      m.loadPtr(hostState, m.registers.vmContext, VMCTX_HOST_STATE);
      m.storePtr(e.params[0]!, hostState, HostState.fuel);
      m.consumeFuel(5);
      m.consumeFuel(5000); // more than one 12-bit immediate on arm64
      m.loadPtr(e.result, hostState, HostState.fuel);
    },
    runs: [
      { args: [5005n], expect: ok(0n) },
      { args: [1_000_000n], expect: ok(994_995n) },
      { args: [5004n], expect: trap(TrapReason.FuelExhausted) },
      { args: [3n], expect: trap(TrapReason.FuelExhausted) },
    ],
  },
  {
    name: 'trapIfZero traps only on zero',
    signature: sig([I32], [I32]),
    body: (m, e) => {
      m.trapIfZero(e.params[0]!, S32, TrapReason.IntegerDivideByZero);
      m.move(e.result, e.params[0]!, S32);
    },
    runs: [
      { args: [5], expect: ok(5) },
      { args: [0], expect: trap(TrapReason.IntegerDivideByZero) },
    ],
  },
];
