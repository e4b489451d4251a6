// Bulk memory operators through runtime builtins: memory.init, data.drop, memory.copy and
// memory.fill. The builtins check bounds and store the trap reason; the compiler checks it after
// the call.
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions

import { Builtin, TrapReason } from '@flint/backend';
import { Op, type Immediates } from '@flint/decoder';
import type { BaselineCompiler } from '../compiler.ts';
import { checkMemory } from './memory.ts';

const OOB = TrapReason.OutOfBoundsMemoryAccess;

export function visitBulk(c: BaselineCompiler, id: number, imm: Immediates): boolean {
  switch (id) {
    case Op.MemoryInit: // data memory: [d s n] → []; a = memory << 32 | data
      checkMemory(c, imm.index2);
      c.callBuiltin(Builtin.MemoryInit, imm.index, imm.index2, 3, null, OOB);
      return true;
    case Op.DataDrop:
      c.callBuiltin(Builtin.DataDrop, imm.index, 0, 0, null, null);
      return true;
    case Op.MemoryCopy: // dst src: [d s n] → []; a = dst << 32 | src
      checkMemory(c, imm.index);
      checkMemory(c, imm.index2);
      c.callBuiltin(Builtin.MemoryCopy, imm.index2, imm.index, 3, null, OOB);
      return true;
    case Op.MemoryFill: // [d value n] → []
      checkMemory(c, imm.index);
      c.callBuiltin(Builtin.MemoryFill, imm.index, 0, 3, null, OOB);
      return true;
    default:
      return false;
  }
}
