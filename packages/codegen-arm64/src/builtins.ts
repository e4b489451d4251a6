// Runtime builtins in machine code (see `Backend.emitBuiltin`): the bulk-memory builtins that
// need only the VM context and the C library. Each is an AAPCS64 function with the builtins' one
// signature, `int64_t builtin(vmctx /* x0 */, a /* x1 */, b /* x2 */, c /* x3 */, d /* x4 */)`:
// it checks bounds against the memory records (traps by storing the reason in the VM context and
// returning, as the runtime's builtins do) and tail-calls memmove/memset, so the copy itself is
// the C library's. Operands are i32 values of 32-bit memories (the tiers reject memory64 until
// they compile it): only their low 32 bits count.
// https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions

import { Builtin, MemoryRecord, TrapReason, VMCTX_MEMORIES, VMCTX_TRAP_REASON, type FinishedCode, type NativeRoutines } from '@flint/backend';
import { Arm64Assembler, Cond, Gpr, Shift } from './assembler/index.ts';

/** log2(MemoryRecord.size): memory records are indexed by shifting the memory index. */
const MEMORY_RECORD_SHIFT = Math.log2(MemoryRecord.size);

type Label = ReturnType<Arm64Assembler['newLabel']>;

export function emitBuiltin(id: Builtin, routines: NativeRoutines): FinishedCode | null {
  switch (id) {
    case Builtin.MemoryCopy:
      return emitMemoryCopy(routines.memmove);
    case Builtin.MemoryFill:
      return emitMemoryFill(routines.memset);
    case Builtin.MemorySize:
      return emitMemorySize();
    default:
      return null;
  }
}

/** `record` ← the address of the memory record of memory `index` (x11 holds the records array). */
function memoryRecord(a: Arm64Assembler, record: Gpr, index: Gpr): void {
  a.addRRShifted(64, record, Gpr.x11, index, Shift.lsl, MEMORY_RECORD_SHIFT);
}

/** Traps `out of bounds memory access` unless `start + length <= record.length` (64-bit sums of 32-bit values: no wrap-around). */
function boundsCheck(a: Arm64Assembler, start: Gpr, length: Gpr, record: Gpr, outOfBounds: Label): void {
  a.addRRR(64, Gpr.x12, start, length);
  a.ldrRI(64, Gpr.x13, record, MemoryRecord.length);
  a.cmpRR(64, Gpr.x12, Gpr.x13);
  a.bCond(Cond.hi, outOfBounds);
}

function trapOutOfBounds(a: Arm64Assembler): void {
  a.movRI(32, Gpr.x9, TrapReason.OutOfBoundsMemoryAccess);
  a.strRI(32, Gpr.x9, Gpr.x0, VMCTX_TRAP_REASON);
  a.movRI(64, Gpr.x0, 0n);
  a.ret();
}

/** (destinationMemory << 32 | sourceMemory, destination, source, length). */
function emitMemoryCopy(memmove: bigint): FinishedCode {
  const a = new Arm64Assembler();
  const outOfBounds = a.newLabel();
  a.lsrRRI(64, Gpr.x9, Gpr.x1, 32); // destination memory
  a.movRR(32, Gpr.x10, Gpr.x1); // source memory (zero-extended)
  a.movRR(32, Gpr.x2, Gpr.x2); // zero-extend the i32 operands
  a.movRR(32, Gpr.x3, Gpr.x3);
  a.movRR(32, Gpr.x4, Gpr.x4);
  a.ldrRI(64, Gpr.x11, Gpr.x0, VMCTX_MEMORIES);
  memoryRecord(a, Gpr.x9, Gpr.x9);
  memoryRecord(a, Gpr.x10, Gpr.x10);
  boundsCheck(a, Gpr.x3, Gpr.x4, Gpr.x10, outOfBounds);
  boundsCheck(a, Gpr.x2, Gpr.x4, Gpr.x9, outOfBounds);
  a.ldrRI(64, Gpr.x13, Gpr.x9, MemoryRecord.base);
  a.addRRR(64, Gpr.x0, Gpr.x13, Gpr.x2);
  a.ldrRI(64, Gpr.x13, Gpr.x10, MemoryRecord.base);
  a.addRRR(64, Gpr.x1, Gpr.x13, Gpr.x3);
  a.movRR(64, Gpr.x2, Gpr.x4);
  a.movRI(64, Gpr.x16, memmove);
  a.br(Gpr.x16);
  a.bind(outOfBounds);
  trapOutOfBounds(a);
  return a.finish();
}

/** (memory, destination, byte value, length). */
function emitMemoryFill(memset: bigint): FinishedCode {
  const a = new Arm64Assembler();
  const outOfBounds = a.newLabel();
  a.movRR(32, Gpr.x10, Gpr.x1);
  a.movRR(32, Gpr.x2, Gpr.x2);
  a.movRR(32, Gpr.x4, Gpr.x4);
  a.ldrRI(64, Gpr.x11, Gpr.x0, VMCTX_MEMORIES);
  memoryRecord(a, Gpr.x10, Gpr.x10);
  boundsCheck(a, Gpr.x2, Gpr.x4, Gpr.x10, outOfBounds);
  a.ldrRI(64, Gpr.x13, Gpr.x10, MemoryRecord.base);
  a.addRRR(64, Gpr.x0, Gpr.x13, Gpr.x2);
  a.movRR(32, Gpr.x1, Gpr.x3);
  a.movRR(64, Gpr.x2, Gpr.x4);
  a.movRI(64, Gpr.x16, memset);
  a.br(Gpr.x16);
  a.bind(outOfBounds);
  trapOutOfBounds(a);
  return a.finish();
}

/** (memory) → pages of 64 KiB (custom page sizes are rejected until a tier compiles them). */
function emitMemorySize(): FinishedCode {
  const a = new Arm64Assembler();
  a.movRR(32, Gpr.x10, Gpr.x1);
  a.ldrRI(64, Gpr.x11, Gpr.x0, VMCTX_MEMORIES);
  memoryRecord(a, Gpr.x10, Gpr.x10);
  a.ldrRI(64, Gpr.x0, Gpr.x10, MemoryRecord.length);
  a.lsrRRI(64, Gpr.x0, Gpr.x0, 16);
  a.ret();
  return a.finish();
}
