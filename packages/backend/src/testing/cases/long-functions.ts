// Executable cases: functions longer than a short branch reaches (A64's b.cond: ±1 MiB), built
// with the MacroAssembler the way the baseline compiler builds code, so on an ISA with short
// branch fields they only work if the code buffer's islands give every far forward branch a
// veneer and straight-line code jumps over each island: forward branches and trap checks across
// them, a br_table whose default and targets are far away, memory accesses between islands, and a
// loop whose body is longer than a backward branch reaches. Each filler instruction adds 1 to a
// counter, so the results also show that every instruction between islands ran. Expected values
// follow from each case's construction (N increments per pass). Kept apart from
// `EXECUTABLE_CASES`: each builds about a megabyte of code, so kits run them once, not once per
// CPU feature set.

import { Imm, IntBinaryKind, IntCond, LoadKind } from '../../masm.ts';
import { RegClass, type Reg } from '../../regs.ts';
import { TrapReason } from '../../trap.ts';
import type { MacroAssembler } from '../../masm.ts';
import { I32, I64, ok, sig, type CaseEnv, type ExecutableCase } from './types.ts';

/** Increments per filler: 300 000 words, 1.2 MB of code (beyond b.cond's ±1 MiB). */
export const FILLER = 300_000;

function filler(m: MacroAssembler, counter: Reg, count = FILLER): void {
  for (let i = 0; i < count; i++) m.intBinary(IntBinaryKind.Add, 64, counter, counter, Imm.i32(1));
}

/** The first parameter, copied out of the result register it may share (x0 on arm64). */
function argument(m: MacroAssembler, e: CaseEnv): Reg {
  const reg = e.temp(RegClass.Int);
  m.move(reg, e.params[0]!, 64);
  return reg;
}

export const LONG_FUNCTION_CASES: readonly ExecutableCase[] = [
  {
    name: 'a forward cbz over 1.2 MB of code reaches its label through a veneer',
    signature: sig([I32], [I64]),
    body: (m, e) => {
      const skip = m.newLabel();
      const x = argument(m, e);
      m.move(e.result, Imm.i32(0), 64);
      m.branchOnZero(x, 32, skip);
      filler(m, e.result);
      m.bind(skip);
    },
    runs: [
      { args: [0], expect: ok(0n) },
      { args: [1], expect: ok(BigInt(FILLER)) },
    ],
  },
  {
    name: 'trap checks at the start of a 1.2 MB function reach their out-of-line stubs after it',
    signature: sig([I32], [I64]),
    body: (m, e) => {
      const x = argument(m, e);
      m.trapIf(IntCond.Eq, 32, x, Imm.i32(7), TrapReason.Unreachable);
      m.trapIfZero(x, 32, TrapReason.IntegerDivideByZero);
      m.move(e.result, Imm.i32(0), 64);
      filler(m, e.result);
    },
    runs: [
      { args: [7], expect: { trap: TrapReason.Unreachable } },
      { args: [0], expect: { trap: TrapReason.IntegerDivideByZero } },
      { args: [3], expect: ok(BigInt(FILLER)) },
    ],
  },
  {
    name: 'a br_table whose default and targets lie 1.2 MB ahead',
    signature: sig([I32], [I64]),
    body: (m, e) => {
      const [zero, one, other, done] = [m.newLabel(), m.newLabel(), m.newLabel(), m.newLabel()];
      const x = argument(m, e);
      m.move(e.result, Imm.i32(0), 64);
      m.jumpTable(x, [zero, one], other);
      filler(m, e.result); // never runs
      m.bind(zero);
      m.move(e.result, Imm.i32(10), 64);
      m.jump(done);
      m.bind(one);
      m.move(e.result, Imm.i32(11), 64);
      m.jump(done);
      m.bind(other);
      m.move(e.result, Imm.i32(12), 64);
      m.bind(done);
    },
    runs: [
      { args: [0], expect: ok(10n) },
      { args: [1], expect: ok(11n) },
      { args: [9], expect: ok(12n) },
    ],
  },
  {
    name: 'a loop whose body is longer than a backward b.cond reaches',
    signature: sig([I64], [I64]),
    body: (m, e) => {
      const top = m.newLabel();
      const n = argument(m, e);
      m.move(e.result, Imm.i32(0), 64);
      m.bind(top);
      filler(m, e.result);
      m.intBinary(IntBinaryKind.Sub, 64, n, n, Imm.i32(1));
      m.branchIf(IntCond.Ne, 64, n, Imm.i32(0), top);
    },
    runs: [{ args: [3n], expect: ok(BigInt(3 * FILLER)) }],
  },
  {
    name: 'loads from memory between islands read what they should',
    signature: sig([I32], [I64]),
    setup: { memoryLength: 65536, memoryInit: [0x2a, 0, 0, 0, 0, 0, 0, 0] },
    body: (m, e) => {
      const x = argument(m, e);
      const base = e.temp(RegClass.Int);
      const value = e.temp(RegClass.Int);
      const skip = m.newLabel();
      m.move(e.result, Imm.i32(0), 64);
      m.boundsCheck(0, x, 32, 0, 8);
      m.heapAddress(base, 0, x, 32);
      m.branchOnZero(x, 32, skip, true); // only index 0 reads the 42
      filler(m, e.result, FILLER / 2);
      m.load(LoadKind.I64, value, base, 0);
      m.intBinary(IntBinaryKind.Add, 64, e.result, e.result, value);
      filler(m, e.result, FILLER / 2);
      m.bind(skip);
    },
    runs: [
      { args: [0], expect: ok(BigInt(FILLER + 42)) },
      { args: [8], expect: ok(0n) },
      { args: [65535], expect: { trap: TrapReason.OutOfBoundsMemoryAccess } },
    ],
  },
];
