// Advanced SIMD (NEON): a table of instruction words worked out by hand from the Arm ARM field
// layouts (C4.1.96), each also checked against objdump's text; then every operation of every
// class table, over every arrangement it accepts and registers across the file, round-tripped
// through objdump. Expected texts are written from the instruction pages' syntax and aliases
// (`mov` for orr/ins/umov/dup scalar, `mvn` for not, `sxtl`/`uxtl` for shift-0 sshll/ushll).
import { describe, expect, it } from 'vitest';
import {
  Arm64Assembler,
  Arrangement,
  AssemblerError,
  Gpr,
  VecAcrossOp,
  VecLongOp,
  VecMiscOp,
  VecNarrowOp,
  VecOp,
  VecPermuteOp,
  VecShiftOp,
  VecWidenOp,
  arrangementName,
  isBitwiseOp,
  isFloatOp,
  type LaneBits,
} from '../src/assembler/index.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';
import { Rng, gp, roundTrip, type Case } from './support/syntax.ts';

const A = Arrangement;
const TABLE: ReadonlyArray<[number, string, (a: Arm64Assembler) => void]> = [
  [0x4e228420, 'add v0.16b, v1.16b, v2.16b', (a) => a.vecRRR(VecOp.add, A.B16, 0, 1, 2)],
  [0x6ea58483, 'sub v3.4s, v4.4s, v5.4s', (a) => a.vecRRR(VecOp.sub, A.S4, 3, 4, 5)],
  [0x4e629c20, 'mul v0.8h, v1.8h, v2.8h', (a) => a.vecRRR(VecOp.mul, A.H8, 0, 1, 2)],
  [0x4e221c20, 'and v0.16b, v1.16b, v2.16b', (a) => a.vecRRR(VecOp.and, A.B16, 0, 1, 2)],
  [0x6e621c20, 'bsl v0.16b, v1.16b, v2.16b', (a) => a.vecRRR(VecOp.bsl, A.B16, 0, 1, 2)],
  [0x4ea11c20, 'mov v0.16b, v1.16b', (a) => a.vecMovRR(0, 1)],
  [0x4e22d420, 'fadd v0.4s, v1.4s, v2.4s', (a) => a.vecRRR(VecOp.fadd, A.S4, 0, 1, 2)],
  [0x4ee2f420, 'fmin v0.2d, v1.2d, v2.2d', (a) => a.vecRRR(VecOp.fmin, A.D2, 0, 1, 2)],
  [0x6ea2e420, 'fcmgt v0.4s, v1.4s, v2.4s', (a) => a.vecRRR(VecOp.fcmgt, A.S4, 0, 1, 2)],
  [0x4e62cc20, 'fmla v0.2d, v1.2d, v2.2d', (a) => a.vecRRR(VecOp.fmla, A.D2, 0, 1, 2)],
  [0x6e62b420, 'sqrdmulh v0.8h, v1.8h, v2.8h', (a) => a.vecRRR(VecOp.sqrdmulh, A.H8, 0, 1, 2)],
  [0x4e205820, 'cnt v0.16b, v1.16b', (a) => a.vecRR(VecMiscOp.cnt, A.B16, 0, 1)],
  [0x6e205820, 'mvn v0.16b, v1.16b', (a) => a.vecRR(VecMiscOp.not, A.B16, 0, 1)],
  [0x4ee0b820, 'abs v0.2d, v1.2d', (a) => a.vecRR(VecMiscOp.abs, A.D2, 0, 1)],
  [0x4ea1b820, 'fcvtzs v0.4s, v1.4s', (a) => a.vecRR(VecMiscOp.fcvtzs, A.S4, 0, 1)],
  [0x4ea18820, 'frintp v0.4s, v1.4s', (a) => a.vecRR(VecMiscOp.frintp, A.S4, 0, 1)],
  [0x4ea09820, 'cmeq v0.4s, v1.4s, #0', (a) => a.vecRR(VecMiscOp.cmeq0, A.S4, 0, 1)],
  [0x0e212820, 'xtn v0.8b, v1.8h', (a) => a.vecNarrowRR(VecNarrowOp.xtn, A.B8, 0, 1)],
  [0x6e212820, 'sqxtun2 v0.16b, v1.8h', (a) => a.vecNarrowRR(VecNarrowOp.sqxtun, A.B16, 0, 1)],
  [0x4e202820, 'saddlp v0.8h, v1.16b', (a) => a.vecWidenRR(VecWidenOp.saddlp, A.B16, 0, 1)],
  [0x2ea13820, 'shll v0.2d, v1.2s, #32', (a) => a.vecWidenRR(VecWidenOp.shll, A.S2, 0, 1)],
  [0x0e616820, 'fcvtn v0.2s, v1.2d', (a) => a.fcvtnRR(false, 0, 1)],
  [0x0e617820, 'fcvtl v0.2d, v1.2s', (a) => a.fcvtlRR(false, 0, 1)],
  [0x4e31b820, 'addv b0, v1.16b', (a) => a.vecAcrossRR(VecAcrossOp.addv, A.B16, 0, 1)],
  [0x6eb1a820, 'uminv s0, v1.4s', (a) => a.vecAcrossRR(VecAcrossOp.uminv, A.S4, 0, 1)],
  [0x4f210420, 'sshr v0.4s, v1.4s, #31', (a) => a.vecShiftRRI(VecShiftOp.sshr, A.S4, 0, 1, 31)],
  [0x4f415420, 'shl v0.2d, v1.2d, #1', (a) => a.vecShiftRRI(VecShiftOp.shl, A.D2, 0, 1, 1)],
  [0x0f08a420, 'sxtl v0.8h, v1.8b', (a) => a.vecShiftRRI(VecShiftOp.sshll, A.B8, 0, 1, 0)],
  [0x4f00e4a0, 'movi v0.16b, #0x5', (a) => a.moviRI(true, 0, 5)],
  [0x6f07e7e0, 'movi v0.2d, #0xffffffffffffffff', (a) => a.movi2DRI(0, 0xff)],
  [0x4e140420, 'dup v0.4s, v1.s[2]', (a) => a.dupElementRR(A.S4, 0, 1, 2)],
  [0x4e010c20, 'dup v0.16b, w1', (a) => a.dupGeneralRR(A.B16, 0, 1)],
  [0x4e181c40, 'mov v0.d[1], x2', (a) => a.insGeneralRR(64, 0, 1, 2)],
  [0x6e0c6440, 'mov v0.s[1], v2.s[3]', (a) => a.insElementRR(32, 0, 1, 2, 3)],
  [0x0e073c20, 'umov w0, v1.b[3]', (a) => a.umovRR(8, 0, 1, 3)],
  [0x4e183c20, 'mov x0, v1.d[1]', (a) => a.umovRR(64, 0, 1, 1)],
  [0x0e0a2c20, 'smov w0, v1.h[2]', (a) => a.smovRR(32, 16, 0, 1, 2)],
  [0x5e0c0420, 'mov s0, v1.s[1]', (a) => a.dupScalarRR(32, 0, 1, 1)],
  [0x4e023820, 'zip1 v0.16b, v1.16b, v2.16b', (a) => a.vecPermuteRRR(VecPermuteOp.zip1, A.B16, 0, 1, 2)],
  [0x6e024020, 'ext v0.16b, v1.16b, v2.16b, #8', (a) => a.extRRRI(0, 1, 2, 8)],
  [0x4e0223c0, 'tbl v0.16b, {v30.16b, v31.16b}, v2.16b', (a) => a.tblRRR(0, 30, 2, 2)],
  [0x5ef1b820, 'addp d0, v1.2d', (a) => a.addpScalarRR(0, 1)],
  [0x0d400c20, 'ld1 {v0.b}[3], [x1]', (a) => a.ld1LaneR(8, 0, 3, 1)],
  [0x4d408420, 'ld1 {v0.d}[1], [x1]', (a) => a.ld1LaneR(64, 0, 1, 1)],
  [0x4d009020, 'st1 {v0.s}[3], [x1]', (a) => a.st1LaneR(32, 0, 3, 1)],
  [0x4d40c820, 'ld1r {v0.4s}, [x1]', (a) => a.ld1rR(A.S4, 0, 1)],
  [0x4e62c020, 'smull2 v0.4s, v1.8h, v2.8h', (a) => a.vecLongRRR(VecLongOp.smull, A.H8, 0, 1, 2)],
  [0x2ea28020, 'umlal v0.2d, v1.2s, v2.2s', (a) => a.vecLongRRR(VecLongOp.umlal, A.S2, 0, 1, 2)],
];

function word(code: Uint8Array, i: number): number {
  return (code[i * 4]! | (code[i * 4 + 1]! << 8) | (code[i * 4 + 2]! << 16) | (code[i * 4 + 3]! << 24)) >>> 0;
}

describe('arm64 NEON encodings: hand-derived words', () => {
  it.each(TABLE.map(([w, text, emit]) => [text, w, emit] as const))('%s', (_text, expected, emit) => {
    const a = new Arm64Assembler();
    emit(a);
    expect(word(a.finish().code, 0).toString(16).padStart(8, '0')).toBe(expected.toString(16).padStart(8, '0'));
  });

  it.skipIf(!hasObjdump)('every word disassembles to its text', () => {
    const a = new Arm64Assembler();
    for (const [, , emit] of TABLE) emit(a);
    expect(disassemble(a.finish().code)).toEqual(TABLE.map(([, text]) => text));
  });

  it('rejects operands the class cannot encode', () => {
    const a = new Arm64Assembler();
    expect(() => a.vecRRR(VecOp.and, A.S4, 0, 1, 2)).toThrow(AssemblerError);
    expect(() => a.vecRRR(VecOp.fadd, A.H8, 0, 1, 2)).toThrow(AssemblerError);
    expect(() => a.vecRRR(VecOp.add, A.D1, 0, 1, 2)).toThrow(AssemblerError);
    expect(() => a.vecShiftRRI(VecShiftOp.sshr, A.S4, 0, 1, 0)).toThrow(AssemblerError);
    expect(() => a.vecShiftRRI(VecShiftOp.shl, A.B16, 0, 1, 8)).toThrow(AssemblerError);
    expect(() => a.umovRR(8, 0, 1, 16)).toThrow(AssemblerError);
    expect(() => a.smovRR(32, 32, 0, 1, 0)).toThrow(AssemblerError);
    expect(() => a.tblRRR(0, 1, 5, 2)).toThrow(AssemblerError);
    expect(() => a.ld1LaneR(16, 0, 1, Gpr.zr)).toThrow(AssemblerError);
    expect(() => a.vecRRR(VecOp.add, A.B16, 32, 1, 2)).toThrow(AssemblerError);
  });
});

// --- generated round trip ------------------------------------------------------------------------

const rng = new Rng(0x51d);
const ALL_ARR = [A.B8, A.B16, A.H4, A.H8, A.S2, A.S4, A.D2] as const;
const FLOAT_ARR = [A.S2, A.S4, A.D2] as const;
const BYTE_ARR = [A.B8, A.B16] as const;
const v = (r: number, arr: Arrangement): string => `v${r}.${arrangementName(arr)}`;
/** Register triples spread over the file, including v31 and repeated registers. */
function triples(): [number, number, number][] {
  const out: [number, number, number][] = [[0, 0, 0], [31, 30, 29], [1, 31, 0]];
  for (let i = 0; i < 5; i++) out.push([rng.int(0, 31), rng.int(0, 31), rng.int(0, 31)]);
  return out;
}

/** Arrangements each three-same operation accepts. */
function sameArrangements(name: string, op: number): readonly Arrangement[] {
  if (isBitwiseOp(op)) return BYTE_ARR;
  if (isFloatOp(op)) return FLOAT_ARR;
  if (name === 'sqrdmulh') return [A.H4, A.H8, A.S2, A.S4];
  if (['mul', 'smax', 'umax', 'smin', 'umin', 'urhadd', 'umaxp', 'uminp'].includes(name)) return ALL_ARR.filter((a) => a !== A.D2);
  return ALL_ARR;
}

function miscArrangements(name: string, op: number): readonly Arrangement[] {
  if (name === 'cnt' || name === 'not') return BYTE_ARR;
  if (isFloatOp(op)) return FLOAT_ARR;
  if (name === 'rev64') return ALL_ARR.filter((a) => a !== A.D2);
  return ALL_ARR;
}

const WIDER: Record<number, Arrangement> = { [A.B8]: A.H8, [A.B16]: A.H8, [A.H4]: A.S4, [A.H8]: A.S4, [A.S2]: A.D2, [A.S4]: A.D2 };
const LANE_LETTER: Record<LaneBits, string> = { 8: 'b', 16: 'h', 32: 's', 64: 'd' };
const LANE_ARR: Record<LaneBits, Arrangement> = { 8: A.B16, 16: A.H8, 32: A.S4, 64: A.D2 };
const SCALAR: Record<number, string> = { 0: 'b', 1: 'h', 2: 's', 3: 'd' };

function simdCases(): Case[] {
  const cases: Case[] = [];
  const add = (emit: (a: Arm64Assembler) => void, text: string): void => void cases.push({ emit, text });
  for (const [name, op] of Object.entries(VecOp)) {
    for (const arr of sameArrangements(name, op)) {
      for (const [d, n, m] of triples()) {
        const text = name === 'orr' && n === m ? `mov ${v(d, arr)}, ${v(n, arr)}` : `${name} ${v(d, arr)}, ${v(n, arr)}, ${v(m, arr)}`;
        add((a) => a.vecRRR(op, arr, d, n, m), text);
      }
    }
  }
  for (const [name, op] of Object.entries(VecMiscOp)) {
    for (const arr of miscArrangements(name, op)) {
      for (const [d, n] of triples()) {
        const zero = name.endsWith('0');
        const mnemonic = name === 'not' ? 'mvn' : zero ? name.slice(0, -1) : name;
        add((a) => a.vecRR(op, arr, d, n), `${mnemonic} ${v(d, arr)}, ${v(n, arr)}${zero ? ', #0' : ''}`);
      }
    }
  }
  for (const [name, op] of Object.entries(VecNarrowOp)) {
    for (const dst of [A.B8, A.B16, A.H4, A.H8, A.S2, A.S4] as const) {
      const two = (dst & 1) === 1 ? '2' : '';
      for (const [d, n] of triples()) add((a) => a.vecNarrowRR(op, dst, d, n), `${name}${two} ${v(d, dst)}, ${v(n, WIDER[dst]!)}`);
    }
  }
  for (const [name, op] of Object.entries(VecWidenOp)) {
    for (const src of [A.B8, A.B16, A.H4, A.H8, A.S2, A.S4] as const) {
      const bits = 8 << (src >> 1);
      for (const [d, n] of triples()) {
        if (name === 'shll') {
          add((a) => a.vecWidenRR(op, src, d, n), `shll${(src & 1) === 1 ? '2' : ''} ${v(d, WIDER[src]!)}, ${v(n, src)}, #${bits}`);
        } else {
          // saddlp/uaddlp: the destination has half as many lanes, each twice as wide.
          const dst = [A.H4, A.H8, A.S2, A.S4, A.D1, A.D2][src]!;
          add((a) => a.vecWidenRR(op, src, d, n), `${name} ${v(d, dst)}, ${v(n, src)}`);
        }
      }
    }
  }
  for (const [d, n] of triples()) {
    add((a) => a.fcvtnRR(false, d, n), `fcvtn ${v(d, A.S2)}, ${v(n, A.D2)}`);
    add((a) => a.fcvtnRR(true, d, n), `fcvtn2 ${v(d, A.S4)}, ${v(n, A.D2)}`);
    add((a) => a.fcvtlRR(false, d, n), `fcvtl ${v(d, A.D2)}, ${v(n, A.S2)}`);
    add((a) => a.fcvtlRR(true, d, n), `fcvtl2 ${v(d, A.D2)}, ${v(n, A.S4)}`);
    add((a) => a.addpScalarRR(d, n), `addp d${d}, ${v(n, A.D2)}`);
    add((a) => a.vecMovRR(d, n), `mov ${v(d, A.B16)}, ${v(n, A.B16)}`);
  }
  for (const [name, op] of Object.entries(VecAcrossOp)) {
    for (const arr of [A.B8, A.B16, A.H4, A.H8, A.S4] as const) {
      const long = name.endsWith('lv') ? 1 : 0;
      for (const [d, n] of triples()) add((a) => a.vecAcrossRR(op, arr, d, n), `${name} ${SCALAR[(arr >> 1) + long]}${d}, ${v(n, arr)}`);
    }
  }
  for (const [name, op] of Object.entries(VecLongOp)) {
    for (const src of [A.B8, A.B16, A.H4, A.H8, A.S2, A.S4] as const) {
      const two = (src & 1) === 1 ? '2' : '';
      for (const [d, n, m] of triples()) add((a) => a.vecLongRRR(op, src, d, n, m), `${name}${two} ${v(d, WIDER[src]!)}, ${v(n, src)}, ${v(m, src)}`);
    }
  }
  for (const [name, op] of Object.entries(VecShiftOp)) {
    const widen = name.endsWith('ll');
    for (const arr of widen ? ([A.B8, A.B16, A.H4, A.H8, A.S2, A.S4] as const) : ALL_ARR) {
      const esize = 8 << (arr >> 1);
      const shifts = name === 'shl' || widen ? [0, 1, esize - 1] : [1, 2, esize];
      for (const shift of shifts) {
        const [d, n] = [rng.int(0, 31), rng.int(0, 31)];
        if (widen) {
          const two = (arr & 1) === 1 ? '2' : '';
          const text = shift === 0 ? `${name[0]}xtl${two} ${v(d, WIDER[arr]!)}, ${v(n, arr)}` : `${name}${two} ${v(d, WIDER[arr]!)}, ${v(n, arr)}, #${shift}`;
          add((a) => a.vecShiftRRI(op, arr, d, n, shift), text);
        } else {
          add((a) => a.vecShiftRRI(op, arr, d, n, shift), `${name} ${v(d, arr)}, ${v(n, arr)}, #${shift}`);
        }
      }
    }
  }
  for (const imm of [0, 1, 0x80, 0xff]) {
    add((a) => a.moviRI(true, 7, imm), `movi ${v(7, A.B16)}, #0x${imm.toString(16)}`);
    add((a) => a.moviRI(false, 31, imm), `movi ${v(31, A.B8)}, #0x${imm.toString(16)}`);
  }
  for (const mask of [0, 1, 0x81, 0xf0, 0xff]) {
    let bytes = 0n;
    for (let i = 0; i < 8; i++) if ((mask >> i) & 1) bytes |= 0xffn << BigInt(8 * i);
    add((a) => a.movi2DRI(12, mask), `movi ${v(12, A.D2)}, #0x${bytes.toString(16)}`);
  }
  for (const bits of [8, 16, 32, 64] as LaneBits[]) {
    const L = LANE_LETTER[bits];
    const lanes = 128 / bits;
    for (const index of [0, lanes - 1, lanes >> 1]) {
      const [d, n, r] = [rng.int(0, 31), rng.int(0, 31), rng.int(0, 30)];
      const g = bits === 64 ? 'x' : 'w';
      const full = LANE_ARR[bits];
      const half = (full & ~1) as Arrangement;
      add((a) => a.dupElementRR(full, d, n, index), `dup ${v(d, full)}, v${n}.${L}[${index}]`);
      if (bits !== 64) add((a) => a.dupElementRR(half, d, n, index), `dup ${v(d, half)}, v${n}.${L}[${index}]`);
      add((a) => a.dupGeneralRR(full, d, r), `dup ${v(d, full)}, ${g}${r}`);
      add((a) => a.insGeneralRR(bits, d, index, r), `mov v${d}.${L}[${index}], ${g}${r}`);
      const other = (index + 1) % lanes;
      add((a) => a.insElementRR(bits, d, index, n, other), `mov v${d}.${L}[${index}], v${n}.${L}[${other}]`);
      add((a) => a.umovRR(bits, r, n, index), `${bits >= 32 ? 'mov' : 'umov'} ${g}${r}, v${n}.${L}[${index}]`);
      if (bits <= 16) add((a) => a.smovRR(32, bits, r, n, index), `smov w${r}, v${n}.${L}[${index}]`);
      if (bits <= 32) add((a) => a.smovRR(64, bits, r, n, index), `smov x${r}, v${n}.${L}[${index}]`);
      add((a) => a.dupScalarRR(bits, d, n, index), `mov ${L}${d}, v${n}.${L}[${index}]`);
      const base = index % 2 === 0 ? Gpr.sp : r;
      add((a) => a.ld1LaneR(bits, d, index, base), `ld1 {v${d}.${L}}[${index}], [${gp(64, base)}]`);
      add((a) => a.st1LaneR(bits, d, index, base), `st1 {v${d}.${L}}[${index}], [${gp(64, base)}]`);
    }
  }
  for (const arr of [A.B8, A.B16, A.H4, A.H8, A.S2, A.S4, A.D1, A.D2] as const) {
    const r = rng.int(0, 30);
    add((a) => a.ld1rR(arr, 5, r), `ld1r {${v(5, arr)}}, [x${r}]`);
  }
  for (const [name, op] of Object.entries(VecPermuteOp)) {
    for (const arr of ALL_ARR) for (const [d, n, m] of triples().slice(0, 3)) add((a) => a.vecPermuteRRR(op, arr, d, n, m), `${name} ${v(d, arr)}, ${v(n, arr)}, ${v(m, arr)}`);
  }
  for (const index of [0, 1, 8, 15]) for (const [d, n, m] of triples().slice(0, 3)) add((a) => a.extRRRI(d, n, m, index), `ext ${v(d, A.B16)}, ${v(n, A.B16)}, ${v(m, A.B16)}, #${index}`);
  for (const count of [1, 2, 3, 4]) {
    for (const first of [0, 30, 31, 17]) {
      // objdump writes three or more registers that do not wrap past v31 as a range.
      const table =
        count >= 3 && first + count - 1 <= 31
          ? `v${first}.16b-v${first + count - 1}.16b`
          : Array.from({ length: count }, (_, k) => `v${(first + k) % 32}.16b`).join(', ');
      add((a) => a.tblRRR(3, first, count, 9), `tbl ${v(3, A.B16)}, {${table}}, ${v(9, A.B16)}`);
    }
  }
  return cases;
}

describe.skipIf(!hasObjdump)('arm64 NEON encodings: round trip through objdump', () => {
  it('disassembles every generated form to the expected text', () => {
    const n = roundTrip(simdCases());
    console.log(`objdump NEON round trip: ${n} instructions`);
    expect(n).toBeGreaterThan(2_000);
  });
});
