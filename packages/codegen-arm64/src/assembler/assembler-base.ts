// The state every A64 assembler layer shares: the code buffer, labels and raw word emission.
// The assembler is split by instruction family into a chain of classes (base -> arithmetic ->
// bit manipulation -> memory -> simd -> Arm64Assembler, the only one exported) so that each file holds one
// family; the chain has no behaviour of its own.

import { CodeBuffer } from '@flint/backend';
import type { FinishedCode, Label } from '@flint/backend';
import { ARM64_LABEL_USES, patchArm64Fixup } from './encode-branch.ts';

export interface Arm64AssemblerOptions {
  /** The buffer to emit into; by default a new one with the A64 label uses (islands, veneers). */
  readonly buffer?: CodeBuffer;
}

export class AssemblerBase {
  readonly buffer: CodeBuffer;

  constructor(options: Arm64AssemblerOptions = {}) {
    this.buffer = options.buffer ?? new CodeBuffer({ labelUses: ARM64_LABEL_USES });
  }

  /** Offset of the next instruction. */
  get offset(): number {
    return this.buffer.length;
  }

  newLabel(): Label {
    return this.buffer.newLabel();
  }

  bind(label: Label): void {
    this.buffer.bind(label);
  }

  /** Emits the constant pool, resolves the remaining fix-ups and returns the code. */
  finish(): FinishedCode {
    return this.buffer.finish(patchArm64Fixup);
  }

  /**
   * Where an instruction (or a sequence of `bytes` that must stay contiguous) starts: the code
   * buffer emits an island here first if one is due. Instructions that record their own offset
   * (label and relocation references) take it from here, before emitting.
   */
  startInstruction(bytes = 4): number {
    return this.buffer.islandPoint(bytes);
  }

  /** Emits one raw instruction word. */
  emit(word: number): void {
    this.buffer.islandPoint(4);
    this.buffer.emit32(word);
  }
}
