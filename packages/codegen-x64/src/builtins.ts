// Runtime builtins in machine code (see `Backend.emitBuiltin`): the bulk-memory builtins that
// need only the VM context and the C library. Each is a System V function with the builtins' one
// signature, `int64_t builtin(vmctx /* rdi */, a /* rsi */, b /* rdx */, c /* rcx */, d /* r8 */)`:
// it checks bounds against the memory records (traps by storing the reason in the VM context and
// returning, as the runtime's builtins do) and tail-calls memmove/memset, so the copy itself is
// the C library's. Operands are i32 values of 32-bit memories (the tiers reject memory64 until
// they compile it): only their low 32 bits count.
// https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions

import { Builtin, MemoryRecord, TrapReason, VMCTX_MEMORIES, VMCTX_TRAP_REASON, type FinishedCode, type NativeRoutines } from '@flint/backend';
import { Assembler, Cond, Gpr, Mem } from './assembler/index.ts';

const mem = new Mem();

/** log2(MemoryRecord.size): memory records are indexed by shifting the memory index. */
const MEMORY_RECORD_SHIFT = Math.log2(MemoryRecord.size);

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

/** r9 ← the memory records array; `reg` ← byte offset of record `reg` (a memory index). */
function memoryRecord(a: Assembler, reg: Gpr): void {
  a.movRM(64, Gpr.r9, mem.setBase(Gpr.rdi, VMCTX_MEMORIES));
  a.shlRI(64, reg, MEMORY_RECORD_SHIFT);
}

/** Traps `out of bounds memory access` unless `start + length <= [r9 + record + length]`, without wrap-around (64-bit sums of 32-bit values). */
function boundsCheck(a: Assembler, start: Gpr, length: Gpr, record: Gpr, outOfBounds: ReturnType<Assembler['newLabel']>): void {
  a.leaRM(64, Gpr.r10, Mem.indexed(start, length, 1));
  a.cmpRM(64, Gpr.r10, mem.setIndexed(Gpr.r9, record, 1, MemoryRecord.length));
  a.jcc(Cond.A, outOfBounds);
}

function trapOutOfBounds(a: Assembler): void {
  a.movMI(32, mem.setBase(Gpr.rdi, VMCTX_TRAP_REASON), TrapReason.OutOfBoundsMemoryAccess);
  a.xorRR(32, Gpr.rax, Gpr.rax);
  a.ret();
}

/** (destinationMemory << 32 | sourceMemory, destination, source, length). */
function emitMemoryCopy(memmove: bigint): FinishedCode {
  const a = new Assembler();
  const outOfBounds = a.newLabel();
  a.movRR(32, Gpr.rax, Gpr.rsi); // source memory
  a.shrRI(64, Gpr.rsi, 32); // destination memory
  a.movRR(32, Gpr.rdx, Gpr.rdx); // zero-extend the i32 operands
  a.movRR(32, Gpr.rcx, Gpr.rcx);
  a.movRR(32, Gpr.r8, Gpr.r8);
  memoryRecord(a, Gpr.rax);
  a.shlRI(64, Gpr.rsi, MEMORY_RECORD_SHIFT);
  boundsCheck(a, Gpr.rcx, Gpr.r8, Gpr.rax, outOfBounds);
  boundsCheck(a, Gpr.rdx, Gpr.r8, Gpr.rsi, outOfBounds);
  a.movRM(64, Gpr.r10, mem.setIndexed(Gpr.r9, Gpr.rsi, 1, MemoryRecord.base));
  a.movRM(64, Gpr.r11, mem.setIndexed(Gpr.r9, Gpr.rax, 1, MemoryRecord.base));
  a.leaRM(64, Gpr.rdi, Mem.indexed(Gpr.r10, Gpr.rdx, 1));
  a.leaRM(64, Gpr.rsi, Mem.indexed(Gpr.r11, Gpr.rcx, 1));
  a.movRR(64, Gpr.rdx, Gpr.r8);
  a.movRI(64, Gpr.rax, memmove);
  a.jmpR(Gpr.rax);
  a.bind(outOfBounds);
  trapOutOfBounds(a);
  return a.finish();
}

/** (memory, destination, byte value, length). */
function emitMemoryFill(memset: bigint): FinishedCode {
  const a = new Assembler();
  const outOfBounds = a.newLabel();
  a.movRR(32, Gpr.rax, Gpr.rsi);
  a.movRR(32, Gpr.rdx, Gpr.rdx);
  a.movRR(32, Gpr.r8, Gpr.r8);
  memoryRecord(a, Gpr.rax);
  boundsCheck(a, Gpr.rdx, Gpr.r8, Gpr.rax, outOfBounds);
  a.movRM(64, Gpr.r10, mem.setIndexed(Gpr.r9, Gpr.rax, 1, MemoryRecord.base));
  a.leaRM(64, Gpr.rdi, Mem.indexed(Gpr.r10, Gpr.rdx, 1));
  a.movRR(32, Gpr.rsi, Gpr.rcx);
  a.movRR(64, Gpr.rdx, Gpr.r8);
  a.movRI(64, Gpr.rax, memset);
  a.jmpR(Gpr.rax);
  a.bind(outOfBounds);
  trapOutOfBounds(a);
  return a.finish();
}

/** (memory) → pages of 64 KiB (custom page sizes are rejected until a tier compiles them). */
function emitMemorySize(): FinishedCode {
  const a = new Assembler();
  a.movRR(32, Gpr.rax, Gpr.rsi);
  memoryRecord(a, Gpr.rax);
  a.movRM(64, Gpr.rax, mem.setIndexed(Gpr.r9, Gpr.rax, 1, MemoryRecord.length));
  a.shrRI(64, Gpr.rax, 16);
  a.ret();
  return a.finish();
}
