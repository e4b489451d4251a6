// Branch, PC-relative address and system-instruction encodings, and the fix-up patcher that writes
// a label's distance into a branch once the label is bound.
// Arm ARM (DDI 0487) C4.1.93 "Branches, Exception Generating and System instructions" and
// C6.2 "ADR", "ADRP", "B.cond", "CBZ", "TBZ", "DMB", "ISB", "BRK", "UDF", "NOP".
// https://developer.arm.com/documentation/ddi0487

import type { CodeBuffer, FixupPatcher, LabelUses } from '@flint/backend';
import { AssemblerError, AssemblerErrorCode, invalidOperand } from './errors.ts';
import { rz, sf, uimm } from './fields.ts';
import type { Cond, Gpr, RegSize } from './registers.ts';

/**
 * Label fix-up kinds: which field of the word at the fix-up offset receives the distance to the
 * label. Distances are measured from the instruction itself (A64 has no pipeline offset).
 */
export const FixupKind = {
  /** b, bl: imm26 (bits 0-25), in words: ±128 MiB. */
  Branch26: 0,
  /** b.cond, cbz, cbnz: imm19 (bits 5-23), in words: ±1 MiB. */
  Branch19: 1,
  /** tbz, tbnz: imm14 (bits 5-18), in words: ±32 KiB. */
  Branch14: 2,
  /** adr: immhi:immlo (bits 5-23, 29-30), in bytes: ±1 MiB. */
  Adr21: 3,
  /** ldr (literal): the same field as Branch19, but a load, which no veneer can extend. */
  Literal19: 4,
} as const;
export type FixupKind = (typeof FixupKind)[keyof typeof FixupKind];

/** Largest forward distance in bytes for each fix-up kind (the backward limit is one more step). */
const RANGE_BITS = [28, 21, 16, 21, 21];
const FIXUP_NAMES = ['b/bl (±128 MiB)', 'b.cond/cbz/cbnz (±1 MiB)', 'tbz/tbnz (±32 KiB)', 'adr (±1 MiB)', 'ldr literal (±1 MiB)'];

/** True when a branch of `kind` at `from` can reach `to`. */
export function isInBranchRange(kind: FixupKind, from: number, to: number): boolean {
  const delta = to - from;
  const half = 2 ** (RANGE_BITS[kind]! - 1);
  return delta >= -half && delta < half && (kind === FixupKind.Adr21 || (delta & 3) === 0);
}

/** Returns `word` with the distance `delta` (bytes) written into the field of `kind`. */
export function withBranchOffset(word: number, kind: FixupKind, delta: number): number {
  switch (kind) {
    case FixupKind.Branch26:
      return ((word & 0xfc000000) | ((delta >> 2) & 0x03ffffff)) >>> 0;
    case FixupKind.Branch19:
    case FixupKind.Literal19:
      return ((word & 0xff00001f) | (((delta >> 2) & 0x7ffff) << 5)) >>> 0;
    case FixupKind.Branch14:
      return ((word & 0xfff8001f) | (((delta >> 2) & 0x3fff) << 5)) >>> 0;
    case FixupKind.Adr21:
      return ((word & 0x9f00001f) | ((delta & 3) << 29) | (((delta >> 2) & 0x7ffff) << 5)) >>> 0;
    default:
      throw invalidOperand(`unknown arm64 fix-up kind ${String(kind)}`);
  }
}

/**
 * The `FixupPatcher` for A64 code buffers. Throws `BranchOutOfRange` when a target is too far:
 * with `ARM64_LABEL_USES` that only happens to a use no island can serve (an `adr` or a literal
 * load of a code label out of range, or code beyond a `b`'s ±128 MiB).
 */
export const patchArm64Fixup: FixupPatcher = (buffer: CodeBuffer, kind: number, at: number, target: number) => {
  const k = kind as FixupKind;
  if (!isInBranchRange(k, at, target)) {
    throw new AssemblerError(
      AssemblerErrorCode.BranchOutOfRange,
      `${FIXUP_NAMES[k] ?? `fix-up kind ${kind}`} at code offset ${at} cannot reach offset ${target} (distance ${target - at})`,
    );
  }
  buffer.patch32(at, withBranchOffset(buffer.readU32(at), k, target - at));
};

export const B = 0x14000000;

/** Largest forward and backward byte distances of a fix-up kind (word-scaled kinds stay word-aligned). */
const reach = (kind: FixupKind) => {
  const half = 2 ** (RANGE_BITS[kind]! - 1);
  return { maxForward: kind === FixupKind.Adr21 ? half - 1 : half - 4, maxBackward: half };
};

/**
 * The A64 label uses for `CodeBuffer` islands: conditional branches and tbz/tbnz reach far labels
 * through a veneer (`b label`, ±128 MiB); literal loads are served by emitting their constants in
 * the island; `adr` only ever points a few instructions ahead (jump tables).
 */
export const ARM64_LABEL_USES: LabelUses = {
  kinds: [
    { ...reach(FixupKind.Branch26), veneerable: true },
    { ...reach(FixupKind.Branch19), veneerable: true },
    { ...reach(FixupKind.Branch14), veneerable: true },
    { ...reach(FixupKind.Adr21), veneerable: false },
    { ...reach(FixupKind.Literal19), veneerable: false },
  ],
  patch: patchArm64Fixup,
  veneerKind: FixupKind.Branch26,
  veneerSize: 4,
  codeAlignment: 4,
  emitVeneer(buffer) {
    const at = buffer.length;
    buffer.emit32(B);
    return at;
  },
};
export const BL = 0x94000000;

export function encBCond(cond: Cond): number {
  return 0x54000000 | uimm(cond, 15, 'b.cond condition');
}

/** CBZ (`nonzero` false) or CBNZ with a zero offset. */
export function encCompareBranch(nonzero: boolean, size: RegSize, rt: Gpr): number {
  return (sf(size, 'cbz/cbnz') | (nonzero ? 0x35000000 : 0x34000000) | rz(rt, 'cbz/cbnz register')) >>> 0;
}

/** TBZ (`nonzero` false) or TBNZ testing bit `bit` (0..63; below 32 prints as a w register). */
export function encTestBranch(nonzero: boolean, rt: Gpr, bit: number): number {
  const b = uimm(bit, 63, 'tbz/tbnz bit number');
  return (((b >>> 5) << 31) | (nonzero ? 0x37000000 : 0x36000000) | ((b & 31) << 19) | rz(rt, 'tbz/tbnz register')) >>> 0;
}

/** BR/BLR/RET: opc at bits 21-22. */
export const BranchReg = { br: 0xd61f0000, blr: 0xd63f0000, ret: 0xd65f0000 } as const;
export type BranchReg = (typeof BranchReg)[keyof typeof BranchReg];

export function encBranchReg(op: BranchReg, rn: Gpr): number {
  return (op | (rz(rn, 'branch target register') << 5)) >>> 0;
}

/** ADR (`page` false: byte offset ±1 MiB) or ADRP (`page` true: 4 KiB pages ±4 GiB) with an immediate. */
export function encAdr(page: boolean, rd: Gpr, imm: number): number {
  const limit = 2 ** 20;
  if (!Number.isInteger(imm) || imm < -limit || imm >= limit) {
    throw invalidOperand(`${page ? 'adrp page' : 'adr byte'} offset ${String(imm)} is outside ${-limit}..${limit - 1}`);
  }
  const base = (page ? 0x90000000 : 0x10000000) | rz(rd, 'adr destination');
  return withBranchOffset(base, FixupKind.Adr21, imm);
}

/** Barrier domains and types for `dmb` (the CRm field). */
export const Barrier = { oshld: 1, oshst: 2, osh: 3, nshld: 5, nshst: 6, nsh: 7, ishld: 9, ishst: 10, ish: 11, ld: 13, st: 14, sy: 15 } as const;
export type Barrier = (typeof Barrier)[keyof typeof Barrier];

export const NOP = 0xd503201f;
export const ISB = 0xd5033fdf;

export function encDmb(barrier: Barrier): number {
  return (0xd50330bf | (uimm(barrier, 15, 'dmb option') << 8)) >>> 0;
}

/** BRK #imm16: a breakpoint, reported as SIGTRAP. */
export function encBrk(imm16: number): number {
  return (0xd4200000 | (uimm(imm16, 0xffff, 'brk immediate') << 5)) >>> 0;
}

/** UDF #imm16: a permanently undefined instruction, reported as SIGILL. */
export function encUdf(imm16: number): number {
  return uimm(imm16, 0xffff, 'udf immediate');
}
