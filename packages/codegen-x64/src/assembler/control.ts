// Control flow and miscellany: jcc/jmp (short or near, chosen from the distance), call (rel32 to a
// label or a relocation, indirect, absolute), ret, nop padding, ud2, int3, mfence, cpuid, xgetbv.
// Intel SDM Vol. 2A/2B, instruction pages Jcc, JMP, CALL, RET, NOP (Table 4-12, recommended
// multi-byte NOP sequences), UD, INT3, MFENCE.

import { RelocKind, type Label, type RelocTarget } from '@flint/backend';
import { AssemblerError, X64Fixup } from './encoding.ts';
import { MoveAssembler } from './moves.ts';
import type { Cond, Mem } from './operands.ts';
import type { Gpr } from './registers.ts';

// Recommended multi-byte NOPs of 1..9 bytes (0x0f 0x1f /0 with growing ModRM/SIB/disp, 0x66 prefix).
const NOPS: readonly (readonly number[])[] = [
  [],
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

export class ControlAssembler extends MoveAssembler {
  /** A fresh unbound label of this assembler's code buffer. */
  newLabel(): Label {
    return this.buffer.newLabel();
  }

  /** Binds `label` here; pending forward branches to it are patched. */
  bind(label: Label): void {
    this.buffer.bind(label);
  }

  /**
   * `jcc label`. A bound label (backward branch) in reach of a rel8 gets the 2-byte short form;
   * everything else the 6-byte near form (forward branches are not relaxed: use `jccShort` when
   * the distance is known to be small).
   */
  jcc(cond: Cond, label: Label): void {
    const buf = this.buffer;
    if (buf.isBound(label)) {
      const shortRel = buf.offsetOf(label) - (buf.length + 2);
      if (shortRel >= -128) {
        buf.emit8(0x70 | cond);
        buf.emit8(shortRel);
        return;
      }
    }
    buf.emit8(0x0f);
    buf.emit8(0x80 | cond);
    this.rel32(label);
  }

  /** `jcc rel8` to a label that must end up within 127 bytes (checked when patched). */
  jccShort(cond: Cond, label: Label): void {
    this.buffer.emit8(0x70 | cond);
    this.rel8(label);
  }

  /** `jmp label`, short or near as for `jcc`. */
  jmp(label: Label): void {
    const buf = this.buffer;
    if (buf.isBound(label)) {
      const shortRel = buf.offsetOf(label) - (buf.length + 2);
      if (shortRel >= -128) {
        buf.emit8(0xeb);
        buf.emit8(shortRel);
        return;
      }
    }
    buf.emit8(0xe9);
    this.rel32(label);
  }

  /** `jmp rel8` to a label that must end up within 127 bytes. */
  jmpShort(label: Label): void {
    this.buffer.emit8(0xeb);
    this.rel8(label);
  }

  /** `jmp reg` (0xff /4). */
  jmpR(reg: Gpr): void {
    this.encodeRR(0, 0xff, false, 4, reg);
  }

  /** `jmp [mem]` (0xff /4), e.g. through a jump table. */
  jmpM(mem: Mem): void {
    this.encodeRM(0, 0xff, false, 4, mem);
  }

  /** `call label` (0xe8 rel32). */
  callLabel(label: Label): void {
    this.buffer.emit8(0xe8);
    this.rel32(label);
  }

  /** `call rel32` to a function or builtin placed later, left as a `PcRel32` relocation. */
  callReloc(target: RelocTarget, index: number): void {
    this.buffer.emit8(0xe8);
    this.buffer.addRelocation(this.buffer.length, RelocKind.PcRel32, target, index, 0);
    this.buffer.emit32(0);
  }

  /** `call reg` (0xff /2). */
  callR(reg: Gpr): void {
    this.encodeRR(0, 0xff, false, 2, reg);
  }

  /** `call [mem]` (0xff /2), e.g. through a function table. */
  callM(mem: Mem): void {
    this.encodeRM(0, 0xff, false, 2, mem);
  }

  /** Call an absolute 64-bit address: `movabs scratch, address; call scratch`. */
  callAbs(lo: number, hi: number, scratch: Gpr): void {
    this.movabsRI(scratch, lo, hi);
    this.callR(scratch);
  }

  ret(): void {
    this.buffer.emit8(0xc3);
  }

  /** One `nop` (0x90). */
  nop(): void {
    this.buffer.emit8(0x90);
  }

  /** `length` bytes of padding made of the fewest recommended multi-byte NOPs. */
  nops(length: number): void {
    if (!(Number.isInteger(length) && length >= 0)) throw new AssemblerError(`nop length ${length} is invalid`);
    while (length > 0) {
      const n = Math.min(length, NOPS.length - 1);
      this.buffer.emitBytes(NOPS[n]!);
      length -= n;
    }
  }

  /** Pads with multi-byte NOPs until the offset is a multiple of `alignment` (a power of two). */
  align(alignment: number): void {
    if (!(Number.isInteger(alignment) && alignment > 0 && (alignment & (alignment - 1)) === 0)) {
      throw new AssemblerError(`alignment must be a power of two, got ${alignment}`);
    }
    this.nops((alignment - (this.buffer.length & (alignment - 1))) & (alignment - 1));
  }

  /** `ud2` (0x0f 0x0b): a guaranteed invalid-opcode fault. */
  ud2(): void {
    this.buffer.emit8(0x0f);
    this.buffer.emit8(0x0b);
  }

  /** `int3` (0xcc): a breakpoint. */
  int3(): void {
    this.buffer.emit8(0xcc);
  }

  /** `mfence` (0x0f 0xae 0xf0): orders all earlier loads and stores before later ones. */
  mfence(): void {
    this.buffer.emit8(0x0f);
    this.buffer.emit8(0xae);
    this.buffer.emit8(0xf0);
  }

  /**
   * `cpuid` (0x0f 0xa2): processor identification for leaf eax, sub-leaf ecx, into eax, ebx, ecx
   * and edx (each zero-extended). Clobbers rbx, which System V callers expect preserved.
   */
  cpuid(): void {
    this.buffer.emit8(0x0f);
    this.buffer.emit8(0xa2);
  }

  /**
   * `xgetbv` (0x0f 0x01 0xd0): extended control register ecx into edx:eax. Faults (#UD) unless
   * the OS enabled XSAVE (CPUID.1:ECX.OSXSAVE), so check that first.
   */
  xgetbv(): void {
    this.buffer.emit8(0x0f);
    this.buffer.emit8(0x01);
    this.buffer.emit8(0xd0);
  }

  private rel32(label: Label): void {
    const at = this.buffer.length;
    this.buffer.emit32(0);
    this.buffer.addFixup(label, at, X64Fixup.Rel32);
  }

  private rel8(label: Label): void {
    const at = this.buffer.length;
    this.buffer.emit8(0);
    this.buffer.addFixup(label, at, X64Fixup.Rel8);
  }
}
