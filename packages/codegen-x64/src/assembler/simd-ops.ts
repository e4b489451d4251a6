// The packed (SIMD) instructions on xmm registers, as one table: each entry packs what both of an
// instruction's encodings need — the legacy SSE form (`66 0F 38 00 /r`) and its VEX.128 form
// (`VEX.128.66.0F38 00 /r`) share the mandatory prefix, the opcode map and the opcode byte — plus
// what the tests and the MacroAssembler need to know about it (immediate, operand count, memory
// operand width, the ISA extension of its legacy form).
// Intel SDM Vol. 2A §2.3 "Intel AVX and Intel AVX-512 Instruction Encoding" (VEX pp/mmmmm fields),
// and the instruction pages of Vol. 2A-2D for every opcode below.

/** The ISA extension that introduced an instruction's legacy (non-VEX) form. */
export const IsaExtension = { Sse: 0, Sse2: 1, Sse3: 2, Ssse3: 3, Sse41: 4, Sse42: 5, Avx: 6, Avx2: 7, Fma: 8 } as const;
export type IsaExtension = (typeof IsaExtension)[keyof typeof IsaExtension];

// Field layout of an op: opcode byte | map << 8 | pp << 10 | W << 12 | imm8 << 13 | unary << 14
// | log2(memory bytes) << 15 | extension << 18 | legacy-only << 22.
const MAP_0F = 1;
const MAP_0F38 = 2;
const MAP_0F3A = 3;
/** VEX `pp` values; the legacy forms use the same prefixes as mandatory prefix bytes. */
const NP = 0;
const P66 = 1;
const PF3 = 2;
const PF2 = 3;

const HAS_IMM = 1 << 13;
const UNARY = 1 << 14;
const W1 = 1 << 12;
/** Has no VEX form with the same operands (`pblendvb`: the VEX blend takes four operands). */
const LEGACY_ONLY = 1 << 22;

/** log2 of the bytes a memory operand covers. */
const M8 = 0;
const M16 = 1;
const M32 = 2;
const M64 = 3;
const M128 = 4;

function op(pp: number, map: number, opcode: number, ext: IsaExtension, flags = 0, mem = M128): number {
  return opcode | (map << 8) | (pp << 10) | flags | (mem << 15) | (ext << 18);
}

const { Sse, Sse2, Sse3, Ssse3, Sse41, Sse42, Avx, Avx2, Fma } = IsaExtension;

/**
 * Packed instructions with a legacy SSE form `op xmm1, xmm2/mem` (the destination is also the
 * first source) and a VEX form `vop xmm1, xmm2, xmm3/mem` (or `vop xmm1, xmm2/mem` for the
 * unary ones). Keys are the mnemonics objdump prints for the legacy form; the VEX form is `v` +
 * the key.
 */
export const SimdOp = {
  // SSE: packed single precision.
  movups: op(NP, MAP_0F, 0x10, Sse, UNARY),
  movaps: op(NP, MAP_0F, 0x28, Sse, UNARY),
  addps: op(NP, MAP_0F, 0x58, Sse),
  subps: op(NP, MAP_0F, 0x5c, Sse),
  mulps: op(NP, MAP_0F, 0x59, Sse),
  divps: op(NP, MAP_0F, 0x5e, Sse),
  minps: op(NP, MAP_0F, 0x5d, Sse),
  maxps: op(NP, MAP_0F, 0x5f, Sse),
  sqrtps: op(NP, MAP_0F, 0x51, Sse, UNARY),
  andps: op(NP, MAP_0F, 0x54, Sse),
  andnps: op(NP, MAP_0F, 0x55, Sse),
  orps: op(NP, MAP_0F, 0x56, Sse),
  xorps: op(NP, MAP_0F, 0x57, Sse),
  unpcklps: op(NP, MAP_0F, 0x14, Sse),
  unpckhps: op(NP, MAP_0F, 0x15, Sse),
  /**
   * `movhlps x1, x2`: x2's high 64 bits to x1's low 64 bits. The memory form of the same opcode
   * is `movlps x1, m64` (a load into the low 64 bits, the high ones kept).
   */
  movhlps: op(NP, MAP_0F, 0x12, Sse, 0, M64),
  /**
   * `movlhps x1, x2`: x2's low 64 bits to x1's high 64 bits. The memory form of the same opcode
   * is `movhps x1, m64` (a load into the high 64 bits, the low ones kept).
   */
  movlhps: op(NP, MAP_0F, 0x16, Sse, 0, M64),
  shufps: op(NP, MAP_0F, 0xc6, Sse, HAS_IMM),
  /** `cmpps x1, x2, pred`: predicate 0 eq, 1 lt, 2 le, 3 unord, 4 neq, 5 nlt, 6 nle, 7 ord. */
  cmpps: op(NP, MAP_0F, 0xc2, Sse, HAS_IMM),
  cvtdq2ps: op(NP, MAP_0F, 0x5b, Sse2, UNARY),
  cvtps2pd: op(NP, MAP_0F, 0x5a, Sse2, UNARY, M64),

  // SSE2: packed double precision.
  movapd: op(P66, MAP_0F, 0x28, Sse2, UNARY),
  addpd: op(P66, MAP_0F, 0x58, Sse2),
  subpd: op(P66, MAP_0F, 0x5c, Sse2),
  mulpd: op(P66, MAP_0F, 0x59, Sse2),
  divpd: op(P66, MAP_0F, 0x5e, Sse2),
  minpd: op(P66, MAP_0F, 0x5d, Sse2),
  maxpd: op(P66, MAP_0F, 0x5f, Sse2),
  sqrtpd: op(P66, MAP_0F, 0x51, Sse2, UNARY),
  andpd: op(P66, MAP_0F, 0x54, Sse2),
  andnpd: op(P66, MAP_0F, 0x55, Sse2),
  orpd: op(P66, MAP_0F, 0x56, Sse2),
  xorpd: op(P66, MAP_0F, 0x57, Sse2),
  unpcklpd: op(P66, MAP_0F, 0x14, Sse2),
  unpckhpd: op(P66, MAP_0F, 0x15, Sse2),
  shufpd: op(P66, MAP_0F, 0xc6, Sse2, HAS_IMM),
  cmppd: op(P66, MAP_0F, 0xc2, Sse2, HAS_IMM),
  cvtpd2ps: op(P66, MAP_0F, 0x5a, Sse2, UNARY),
  cvttpd2dq: op(P66, MAP_0F, 0xe6, Sse2, UNARY),
  cvttps2dq: op(PF3, MAP_0F, 0x5b, Sse2, UNARY),
  cvtdq2pd: op(PF3, MAP_0F, 0xe6, Sse2, UNARY, M64),

  // SSE2: integer.
  movdqa: op(P66, MAP_0F, 0x6f, Sse2, UNARY),
  movdqu: op(PF3, MAP_0F, 0x6f, Sse2, UNARY),
  /** `movq xmm1, xmm2/m64`: the low 64 bits, upper 64 bits zeroed. */
  movq: op(PF3, MAP_0F, 0x7e, Sse2, UNARY, M64),
  paddb: op(P66, MAP_0F, 0xfc, Sse2),
  paddw: op(P66, MAP_0F, 0xfd, Sse2),
  paddd: op(P66, MAP_0F, 0xfe, Sse2),
  paddq: op(P66, MAP_0F, 0xd4, Sse2),
  psubb: op(P66, MAP_0F, 0xf8, Sse2),
  psubw: op(P66, MAP_0F, 0xf9, Sse2),
  psubd: op(P66, MAP_0F, 0xfa, Sse2),
  psubq: op(P66, MAP_0F, 0xfb, Sse2),
  paddsb: op(P66, MAP_0F, 0xec, Sse2),
  paddsw: op(P66, MAP_0F, 0xed, Sse2),
  paddusb: op(P66, MAP_0F, 0xdc, Sse2),
  paddusw: op(P66, MAP_0F, 0xdd, Sse2),
  psubsb: op(P66, MAP_0F, 0xe8, Sse2),
  psubsw: op(P66, MAP_0F, 0xe9, Sse2),
  psubusb: op(P66, MAP_0F, 0xd8, Sse2),
  psubusw: op(P66, MAP_0F, 0xd9, Sse2),
  pmullw: op(P66, MAP_0F, 0xd5, Sse2),
  pmulhw: op(P66, MAP_0F, 0xe5, Sse2),
  pmulhuw: op(P66, MAP_0F, 0xe4, Sse2),
  pmuludq: op(P66, MAP_0F, 0xf4, Sse2),
  pmaddwd: op(P66, MAP_0F, 0xf5, Sse2),
  pavgb: op(P66, MAP_0F, 0xe0, Sse2),
  pavgw: op(P66, MAP_0F, 0xe3, Sse2),
  pminub: op(P66, MAP_0F, 0xda, Sse2),
  pmaxub: op(P66, MAP_0F, 0xde, Sse2),
  pminsw: op(P66, MAP_0F, 0xea, Sse2),
  pmaxsw: op(P66, MAP_0F, 0xee, Sse2),
  pand: op(P66, MAP_0F, 0xdb, Sse2),
  pandn: op(P66, MAP_0F, 0xdf, Sse2),
  por: op(P66, MAP_0F, 0xeb, Sse2),
  pxor: op(P66, MAP_0F, 0xef, Sse2),
  pcmpeqb: op(P66, MAP_0F, 0x74, Sse2),
  pcmpeqw: op(P66, MAP_0F, 0x75, Sse2),
  pcmpeqd: op(P66, MAP_0F, 0x76, Sse2),
  pcmpgtb: op(P66, MAP_0F, 0x64, Sse2),
  pcmpgtw: op(P66, MAP_0F, 0x65, Sse2),
  pcmpgtd: op(P66, MAP_0F, 0x66, Sse2),
  packsswb: op(P66, MAP_0F, 0x63, Sse2),
  packuswb: op(P66, MAP_0F, 0x67, Sse2),
  packssdw: op(P66, MAP_0F, 0x6b, Sse2),
  punpcklbw: op(P66, MAP_0F, 0x60, Sse2),
  punpcklwd: op(P66, MAP_0F, 0x61, Sse2),
  punpckldq: op(P66, MAP_0F, 0x62, Sse2),
  punpcklqdq: op(P66, MAP_0F, 0x6c, Sse2),
  punpckhbw: op(P66, MAP_0F, 0x68, Sse2),
  punpckhwd: op(P66, MAP_0F, 0x69, Sse2),
  punpckhdq: op(P66, MAP_0F, 0x6a, Sse2),
  punpckhqdq: op(P66, MAP_0F, 0x6d, Sse2),
  /** Shifts by the count in the low 64 bits of the source (counts ≥ the lane width give 0, or the sign). */
  psllw: op(P66, MAP_0F, 0xf1, Sse2),
  pslld: op(P66, MAP_0F, 0xf2, Sse2),
  psllq: op(P66, MAP_0F, 0xf3, Sse2),
  psrlw: op(P66, MAP_0F, 0xd1, Sse2),
  psrld: op(P66, MAP_0F, 0xd2, Sse2),
  psrlq: op(P66, MAP_0F, 0xd3, Sse2),
  psraw: op(P66, MAP_0F, 0xe1, Sse2),
  psrad: op(P66, MAP_0F, 0xe2, Sse2),
  pshufd: op(P66, MAP_0F, 0x70, Sse2, HAS_IMM | UNARY),
  pshuflw: op(PF2, MAP_0F, 0x70, Sse2, HAS_IMM | UNARY),
  pshufhw: op(PF3, MAP_0F, 0x70, Sse2, HAS_IMM | UNARY),

  // SSE3.
  movddup: op(PF2, MAP_0F, 0x12, Sse3, UNARY, M64),
  movshdup: op(PF3, MAP_0F, 0x16, Sse3, UNARY),
  movsldup: op(PF3, MAP_0F, 0x12, Sse3, UNARY),

  // SSSE3.
  pshufb: op(P66, MAP_0F38, 0x00, Ssse3),
  pmaddubsw: op(P66, MAP_0F38, 0x04, Ssse3),
  pmulhrsw: op(P66, MAP_0F38, 0x0b, Ssse3),
  pabsb: op(P66, MAP_0F38, 0x1c, Ssse3, UNARY),
  pabsw: op(P66, MAP_0F38, 0x1d, Ssse3, UNARY),
  pabsd: op(P66, MAP_0F38, 0x1e, Ssse3, UNARY),
  palignr: op(P66, MAP_0F3A, 0x0f, Ssse3, HAS_IMM),

  // SSE4.1.
  ptest: op(P66, MAP_0F38, 0x17, Sse41, UNARY),
  pmovsxbw: op(P66, MAP_0F38, 0x20, Sse41, UNARY, M64),
  pmovsxwd: op(P66, MAP_0F38, 0x23, Sse41, UNARY, M64),
  pmovsxdq: op(P66, MAP_0F38, 0x25, Sse41, UNARY, M64),
  pmovzxbw: op(P66, MAP_0F38, 0x30, Sse41, UNARY, M64),
  pmovzxwd: op(P66, MAP_0F38, 0x33, Sse41, UNARY, M64),
  pmovzxdq: op(P66, MAP_0F38, 0x35, Sse41, UNARY, M64),
  pmuldq: op(P66, MAP_0F38, 0x28, Sse41),
  pcmpeqq: op(P66, MAP_0F38, 0x29, Sse41),
  packusdw: op(P66, MAP_0F38, 0x2b, Sse41),
  pminsb: op(P66, MAP_0F38, 0x38, Sse41),
  pminsd: op(P66, MAP_0F38, 0x39, Sse41),
  pminuw: op(P66, MAP_0F38, 0x3a, Sse41),
  pminud: op(P66, MAP_0F38, 0x3b, Sse41),
  pmaxsb: op(P66, MAP_0F38, 0x3c, Sse41),
  pmaxsd: op(P66, MAP_0F38, 0x3d, Sse41),
  pmaxuw: op(P66, MAP_0F38, 0x3e, Sse41),
  pmaxud: op(P66, MAP_0F38, 0x3f, Sse41),
  pmulld: op(P66, MAP_0F38, 0x40, Sse41),
  /** Legacy forms only (their VEX forms have four operands, see `VexOp.vpblendvb`): the mask is xmm0. */
  pblendvb: op(P66, MAP_0F38, 0x10, Sse41, LEGACY_ONLY),
  blendvps: op(P66, MAP_0F38, 0x14, Sse41, LEGACY_ONLY),
  blendvpd: op(P66, MAP_0F38, 0x15, Sse41, LEGACY_ONLY),
  roundps: op(P66, MAP_0F3A, 0x08, Sse41, HAS_IMM | UNARY),
  roundpd: op(P66, MAP_0F3A, 0x09, Sse41, HAS_IMM | UNARY),
  blendps: op(P66, MAP_0F3A, 0x0c, Sse41, HAS_IMM),
  blendpd: op(P66, MAP_0F3A, 0x0d, Sse41, HAS_IMM),
  pblendw: op(P66, MAP_0F3A, 0x0e, Sse41, HAS_IMM),
  /** `insertps x1, x2/m32, imm`: imm[7:6] source lane (register form), [5:4] destination lane, [3:0] zero mask. */
  insertps: op(P66, MAP_0F3A, 0x21, Sse41, HAS_IMM, M32),

  // SSE4.2.
  pcmpgtq: op(P66, MAP_0F38, 0x37, Sse42),
} as const;
export type SimdOp = (typeof SimdOp)[keyof typeof SimdOp];

/** Instructions that only have a VEX encoding. Keys are objdump's mnemonics. */
export const VexOp = {
  /** AVX2: broadcast the low element of xmm2/mem to every lane. */
  vpbroadcastb: op(P66, MAP_0F38, 0x78, Avx2, UNARY, M8),
  vpbroadcastw: op(P66, MAP_0F38, 0x79, Avx2, UNARY, M16),
  vpbroadcastd: op(P66, MAP_0F38, 0x58, Avx2, UNARY, M32),
  vpbroadcastq: op(P66, MAP_0F38, 0x59, Avx2, UNARY, M64),
  /** AVX with a memory source; the register source form is AVX2. */
  vbroadcastss: op(P66, MAP_0F38, 0x18, Avx, UNARY, M32),
  /** FMA3: x1 = x2 * x3 + x1 (one rounding). */
  vfmadd231ps: op(P66, MAP_0F38, 0xb8, Fma),
  vfmadd231pd: op(P66, MAP_0F38, 0xb8, Fma, W1),
  /** FMA3: x1 = -(x2 * x3) + x1 (one rounding). */
  vfnmadd231ps: op(P66, MAP_0F38, 0xbc, Fma),
  vfnmadd231pd: op(P66, MAP_0F38, 0xbc, Fma, W1),
  /** Four operands (`is4`): x1 = per byte, the top bit of x4 selects x3 over x2. */
  vpblendvb: op(P66, MAP_0F3A, 0x4c, Avx),
  vblendvps: op(P66, MAP_0F3A, 0x4a, Avx),
  vblendvpd: op(P66, MAP_0F3A, 0x4b, Avx),
} as const;
export type VexOp = (typeof VexOp)[keyof typeof VexOp];

/** The immediate-count shifts (`66 0F 71/72/73 /digit ib`): opcode byte | ModRM.reg digit << 8. */
export const SimdShiftOp = {
  psrlw: 0x71 | (2 << 8),
  psraw: 0x71 | (4 << 8),
  psllw: 0x71 | (6 << 8),
  psrld: 0x72 | (2 << 8),
  psrad: 0x72 | (4 << 8),
  pslld: 0x72 | (6 << 8),
  psrlq: 0x73 | (2 << 8),
  /** Whole-register byte shifts. */
  psrldq: 0x73 | (3 << 8),
  psllq: 0x73 | (6 << 8),
  pslldq: 0x73 | (7 << 8),
} as const;
export type SimdShiftOp = (typeof SimdShiftOp)[keyof typeof SimdShiftOp];

/**
 * `cmpps`/`cmppd` predicates: the eight of the legacy encoding (ordered except `Neq`, `Nlt`,
 * `Nle`, which are true on NaN), then two of the 24 more that only the VEX encoding has.
 */
export const FloatPredicate = { Eq: 0, Lt: 1, Le: 2, Unord: 3, Neq: 4, Nlt: 5, Nle: 6, Ord: 7, GeOs: 13, GtOs: 14 } as const;
export type FloatPredicate = (typeof FloatPredicate)[keyof typeof FloatPredicate];

// --- field access --------------------------------------------------------------------------------

export const opcodeOf = (op: number): number => op & 0xff;
export const mapOf = (op: number): number => (op >>> 8) & 3;
export const ppOf = (op: number): number => (op >>> 10) & 3;
export const wOf = (op: number): boolean => (op & W1) !== 0;
export const hasImm = (op: number): boolean => (op & HAS_IMM) !== 0;
export const isUnary = (op: number): boolean => (op & UNARY) !== 0;
/** Bits read from or written to memory by the instruction's memory form. */
export const memBitsOf = (op: number): number => 8 << ((op >>> 15) & 7);
export const hasVexForm = (op: number): boolean => (op & LEGACY_ONLY) === 0;
export const extensionOf = (op: number): IsaExtension => ((op >>> 18) & 15) as IsaExtension;

const PP_PREFIX = [0, 0x66, 0xf3, 0xf2];
const MAP_ESCAPE = [0, 0x0f00, 0x0f3800, 0x0f3a00];

/** The legacy mandatory prefix byte (0 for none). */
export const legacyPrefixOf = (op: number): number => PP_PREFIX[ppOf(op)]!;
/** The legacy opcode bytes packed big-endian (`0x0f3800 | byte`), as `Encoder.opcode` takes them. */
export const legacyOpcodeOf = (op: number): number => MAP_ESCAPE[mapOf(op)]! | opcodeOf(op);

/** The packed fields (pp = 66, map 0F) of an immediate-count shift, for its VEX form. */
export const shiftOpFields = (shift: SimdShiftOp): number => op(P66, MAP_0F, shift & 0xff, Sse2);
/** The ModRM.reg digit of an immediate-count shift. */
export const shiftOpDigit = (shift: SimdShiftOp): number => shift >>> 8;

/** The packed fields of `pinsrb/w/d/q` (`66 0F3A 20`, `66 0F C4`, `66 0F3A 22`, W1 for q). */
export function insertOpFields(bits: 8 | 16 | 32 | 64): number {
  if (bits === 16) return op(P66, MAP_0F, 0xc4, Sse2, HAS_IMM);
  return op(P66, MAP_0F3A, bits === 8 ? 0x20 : 0x22, Sse41, HAS_IMM | (bits === 64 ? W1 : 0));
}
