// Reuse of one MacroAssembler for many functions (`MacroAssembler.reset`): after a reset, the
// next function must come out byte for byte as from a fresh MacroAssembler — whether the
// previous function was finished or abandoned half-way (a bailout) with unbound labels, pending
// out-of-line traps, pool constants and relocations. ISA-neutral: it compares a backend with
// itself, so it needs no execution.

import type { Backend } from '../../backend.ts';
import type { FinishedCode } from '../../code-buffer.ts';
import { Imm, IntCond, OperandSize, type MacroAssembler } from '../../masm.ts';
import { TrapReason } from '../../trap.ts';

/** A small function touching every piece of state a reset must clear. */
function emitSample(masm: MacroAssembler, backend: Backend): FinishedCode {
  const cc = backend.callingConvention;
  const n = cc.intArgs[0]!;
  const f = cc.floatArgs[0]!;
  masm.setWasmOffset(7);
  masm.prologue(16);
  const done = masm.newLabel();
  masm.branchOnZero(n, OperandSize.S32, done);
  masm.trapIf(IntCond.Eq, OperandSize.S32, n, Imm.i32(3), TrapReason.Unreachable);
  masm.loadFloatConstant(f, OperandSize.S64, 0x5555_5555, 0x3fd5_5555);
  masm.callDirect(2);
  masm.bind(done);
  masm.epilogue();
  return masm.finish();
}

/** The first half of a function given up on: open labels, a pending trap, a constant, a relocation. */
function emitAbandoned(masm: MacroAssembler, backend: Backend): void {
  const cc = backend.callingConvention;
  masm.setWasmOffset(99);
  masm.prologue(64);
  masm.newLabel();
  masm.jump(masm.newLabel());
  masm.trapIfZero(cc.intArgs[1]!, OperandSize.S64, TrapReason.IntegerDivideByZero);
  masm.loadFloatConstant(cc.floatArgs[1]!, OperandSize.S32, 0x3f80_0000, 0);
  masm.callDirect(5);
}

const describe = (code: FinishedCode): string =>
  `${Array.from(code.code, (b) => b.toString(16).padStart(2, '0')).join('')} traps ${JSON.stringify(code.trapSites)} relocs ${JSON.stringify(code.relocations)}`;

/** Problems with `reset` on `backend`'s MacroAssembler (empty = conforming). */
export function checkMacroAssemblerReset(backend: Backend): string[] {
  const problems: string[] = [];
  const expected = describe(emitSample(backend.createMacroAssembler(), backend));
  const reused = backend.createMacroAssembler();
  emitAbandoned(reused, backend);
  for (const after of ['an abandoned', 'a finished']) {
    reused.reset();
    let got: string;
    try {
      got = describe(emitSample(reused, backend));
    } catch (error) {
      got = `an exception (${String(error)})`;
    }
    if (got !== expected) problems.push(`reset() after ${after} function: got ${got}, a fresh MacroAssembler gives ${expected}`);
  }
  return problems;
}
