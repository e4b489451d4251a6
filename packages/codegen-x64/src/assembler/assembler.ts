// The x86-64 assembler: one method per instruction form, named for its operand shape (`addRR`,
// `addRI`, `movRM`, `movMR`, …), emitting into a `CodeBuffer`. Used by the baseline
// MacroAssembler and by the optimizing tier's emitter alike.
//
// The families live in a chain of classes, one file each, so no file holds the whole ISA:
//   encoding (prefixes, REX, ModRM/SIB) → integer → moves → control → sse (scalar float) →
//   simd (packed, legacy SSE encodings) → avx (VEX encodings) → Assembler.

import type { FinishedCode } from '@flint/backend';
import { x64FixupPatcher } from './encoding.ts';
import { AvxAssembler } from './avx.ts';

export class Assembler extends AvxAssembler {
  /** Emits the constant pool, resolves label fix-ups with the x64 patcher and returns the code. */
  finish(): FinishedCode {
    return this.buffer.finish(x64FixupPatcher);
  }
}
