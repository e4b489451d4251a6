// x86-64 register numbers: the 4-bit hardware encodings that go into ModRM/SIB fields, with the
// fourth bit carried by REX.R/X/B.
// Intel SDM Vol. 2A, §2.2.1 "REX Prefixes", Table 3-1 "Register Codes Associated With +rb, +rw, +rd, +ro".

/** General-purpose registers by hardware encoding. */
export const Gpr = {
  rax: 0,
  rcx: 1,
  rdx: 2,
  rbx: 3,
  rsp: 4,
  rbp: 5,
  rsi: 6,
  rdi: 7,
  r8: 8,
  r9: 9,
  r10: 10,
  r11: 11,
  r12: 12,
  r13: 13,
  r14: 14,
  r15: 15,
} as const;
export type Gpr = number;

/** SSE registers by hardware encoding. */
export const Xmm = {
  xmm0: 0,
  xmm1: 1,
  xmm2: 2,
  xmm3: 3,
  xmm4: 4,
  xmm5: 5,
  xmm6: 6,
  xmm7: 7,
  xmm8: 8,
  xmm9: 9,
  xmm10: 10,
  xmm11: 11,
  xmm12: 12,
  xmm13: 13,
  xmm14: 14,
  xmm15: 15,
} as const;
export type Xmm = number;

const GPR64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const GPR16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
// With any REX prefix present, encodings 4-7 at byte size name spl/bpl/sil/dil rather than ah/ch/dh/bh;
// the assembler always emits REX for them, so ah..bh are never produced.
const GPR8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'];

/** The Intel-syntax name of `reg` at operand size `bits` (8, 16, 32 or 64), e.g. `r9d`, `sil`. */
export function gprName(reg: Gpr, bits: number): string {
  if (reg >= 8) {
    const suffix = bits === 64 ? '' : bits === 32 ? 'd' : bits === 16 ? 'w' : 'b';
    return `r${reg}${suffix}`;
  }
  const table = bits === 64 ? GPR64 : bits === 32 ? GPR32 : bits === 16 ? GPR16 : GPR8;
  return table[reg]!;
}

/** The name of an SSE register, e.g. `xmm12`. */
export function xmmName(reg: Xmm): string {
  return `xmm${reg}`;
}
