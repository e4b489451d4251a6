// The state every A64 assembler layer shares: the code buffer, labels and raw word emission.
// The assembler is split by instruction family into a chain of classes (base -> arithmetic ->
// bit manipulation -> memory -> simd -> Arm64Assembler, the only one exported) so that each file holds one
// family; the chain has no behaviour of its own.

import { CodeBuffer } from '@flint/backend';
import type { FinishedCode, Label } from '@flint/backend';
import { patchArm64Fixup } from './encode-branch.ts';

export interface Arm64AssemblerOptions {
  /** The buffer to emit into; by default a new one patched with `patchArm64Fixup`. */
  readonly buffer?: CodeBuffer;
  /** Reserve the long form for every forward conditional branch (see the top of assembler.ts). */
  readonly farBranches?: boolean;
}

export class AssemblerBase {
  readonly buffer: CodeBuffer;
  readonly farBranches: boolean;

  constructor(options: Arm64AssemblerOptions = {}) {
    this.buffer = options.buffer ?? new CodeBuffer({ patcher: patchArm64Fixup });
    this.farBranches = options.farBranches ?? false;
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

  /** Emits one raw instruction word. */
  emit(word: number): void {
    this.buffer.emit32(word);
  }
}
