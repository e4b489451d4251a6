// Round trip of the packed SIMD encodings through binutils: every `SimdOp` in its legacy and VEX
// forms, every `VexOp`, the immediate shifts, lane inserts and extracts, sign masks and stores,
// over register choices that exercise REX/VEX extension bits and over memory operands of every
// addressing shape. The expected text comes from the op tables' names and a small model of
// objdump's Intel syntax, written independently of the encoder.

import { describe, expect, it } from 'vitest';
import {
  Assembler,
  Gpr,
  Mem,
  MoveMaskOp,
  NO_REG,
  SimdOp,
  SimdShiftOp,
  VexOp,
  hasImm,
  hasVexForm,
  isUnary,
  memBitsOf,
  type LaneBits,
  type Scale,
} from '../src/assembler/index.ts';
import { disassemble, hasObjdump } from './helpers/objdump.ts';

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const reg = (size: 32 | 64, r: number): string => (r >= 8 ? `r${r}${size === 64 ? '' : 'd'}` : (size === 64 ? R64 : R32)[r]!);
const x = (r: number): string => `xmm${r}`;
const PTR: Record<number, string> = { 8: 'byte ptr ', 16: 'word ptr ', 32: 'dword ptr ', 64: 'qword ptr ', 128: 'xmmword ptr ' };
const hex = (v: number): string => `0x${v.toString(16)}`;

interface MemSpec {
  base: number;
  index: number;
  scale: Scale;
  disp: number;
}
function memText(m: MemSpec): string {
  let s = '[';
  if (m.base !== NO_REG) s += reg(64, m.base);
  if (m.index !== NO_REG) s += `${m.base !== NO_REG ? '+' : ''}${reg(64, m.index)}*${m.scale}`;
  const encodedZero = m.base === NO_REG || (m.base & 7) === 5;
  if (m.disp !== 0 || encodedZero) s += m.disp < 0 ? `-0x${(-m.disp).toString(16)}` : `+0x${m.disp.toString(16)}`;
  return `${s}]`;
}
const toMem = (m: MemSpec): Mem => (m.base === NO_REG ? Mem.noBase(m.index, m.scale, m.disp) : Mem.indexed(m.base, m.index, m.scale, m.disp));

const MEMS: MemSpec[] = [
  { base: Gpr.rax, index: NO_REG, scale: 1, disp: 0 },
  { base: Gpr.rsp, index: NO_REG, scale: 1, disp: 8 },
  { base: Gpr.rbp, index: NO_REG, scale: 1, disp: -0x40 },
  { base: Gpr.r12, index: NO_REG, scale: 1, disp: 0x100 },
  { base: Gpr.r13, index: NO_REG, scale: 1, disp: 0 },
  { base: Gpr.r15, index: Gpr.r9, scale: 8, disp: -8 },
  { base: Gpr.rbx, index: Gpr.rcx, scale: 2, disp: 0x7fff_ffff },
  { base: NO_REG, index: Gpr.r10, scale: 4, disp: 0x10 },
];
/** Register triples covering every REX/VEX extension bit combination. */
const TRIPLES: readonly (readonly [number, number, number])[] = [
  [0, 1, 2],
  [1, 2, 3],
  [8, 1, 2],
  [1, 9, 2],
  [1, 2, 10],
  [15, 14, 13],
  [7, 15, 0],
  [12, 4, 11],
];

const CMP_NAMES = ['eq', 'lt', 'le', 'unord', 'neq', 'nlt', 'nle', 'ord'];
// The VEX encoding has 32 predicates (SDM Table 3-1 of CMPPS); binutils' names.
const VEX_CMP_NAMES = [...CMP_NAMES, 'eq_uq', 'nge', 'ngt', 'false', 'neq_oq', 'ge', 'gt', 'true', 'eq_os', 'lt_oq', 'le_oq', 'unord_s', 'neq_us', 'nlt_uq', 'nle_uq', 'ord_s', 'eq_us', 'nge_uq', 'ngt_uq', 'false_os', 'neq_os', 'ge_oq', 'gt_oq', 'true_us'];

interface Form {
  emit: (a: Assembler) => void;
  text: string;
}

/** objdump's name for a packed op with an imm8: cmpps/cmppd with predicates 0..7 print as pseudo-ops. */
function withImm(prefix: string, name: string, imm: number): { name: string; imm: boolean } {
  const names = prefix === 'v' ? VEX_CMP_NAMES : CMP_NAMES;
  if ((name === 'cmpps' || name === 'cmppd') && imm < names.length) return { name: `${prefix}cmp${names[imm]}${name.slice(3)}`, imm: false };
  return { name: prefix + name, imm: true };
}

function generateForms(): Form[] {
  const forms: Form[] = [];
  const add = (emit: (a: Assembler) => void, text: string): void => void forms.push({ emit, text });
  for (const [name, op] of Object.entries(SimdOp)) {
    const bits = memBitsOf(op);
    // movhlps/movlhps name the register forms of 0F 12/16, whose memory forms are movlps/movhps.
    const memName = name === 'movhlps' ? 'movlps' : name === 'movlhps' ? 'movhps' : name;
    const blend = ['pblendvb', 'blendvps', 'blendvpd'].includes(name) ? ',xmm0' : '';
    const imms = hasImm(op) ? [0, 1, 5, 0x1b, 0xff] : [-1];
    for (const imm of imms) {
      for (const [d, s1, s2] of TRIPLES) {
        if (imm < 0) {
          add((a) => a.simdRR(op, d, s2), `${name} ${x(d)},${x(s2)}${blend}`);
        } else {
          const n = withImm('', name, imm);
          add((a) => a.simdRRI(op, d, s2, imm), `${n.name} ${x(d)},${x(s2)}${n.imm ? `,${hex(imm)}` : ''}`);
        }
        if (!hasVexForm(op)) continue;
        const srcs = isUnary(op) ? `${x(s2)}` : `${x(s1)},${x(s2)}`;
        if (imm < 0) {
          add((a) => (isUnary(op) ? a.vexRR(op, d, s2) : a.vexRRR(op, d, s1, s2)), `v${name} ${x(d)},${srcs}`);
        } else {
          const n = withImm('v', name, imm);
          add(
            (a) => (isUnary(op) ? a.vexRRI(op, d, s2, imm) : a.vexRRRI(op, d, s1, s2, imm)),
            `${n.name} ${x(d)},${srcs}${n.imm ? `,${hex(imm)}` : ''}`,
          );
        }
      }
      for (const m of MEMS) {
        const mem = PTR[bits] + memText(m);
        if (imm < 0) add((a) => a.simdRM(op, 11, toMem(m)), `${memName} ${x(11)},${mem}${blend}`);
        else {
          const n = withImm('', name, imm);
          add((a) => a.simdRMI(op, 11, toMem(m), imm), `${n.name} ${x(11)},${mem}${n.imm ? `,${hex(imm)}` : ''}`);
        }
        if (!hasVexForm(op)) continue;
        const vname = `v${memName}`;
        const srcs = isUnary(op) ? mem : `${x(3)},${mem}`;
        if (imm < 0) add((a) => (isUnary(op) ? a.vexRM(op, 11, toMem(m)) : a.vexRRM(op, 11, 3, toMem(m))), `${vname} ${x(11)},${srcs}`);
        else {
          const n = withImm('v', name, imm);
          add(
            (a) => (isUnary(op) ? a.vexRMI(op, 11, toMem(m), imm) : a.vexRRMI(op, 11, 3, toMem(m), imm)),
            `${n.name} ${x(11)},${srcs}${n.imm ? `,${hex(imm)}` : ''}`,
          );
        }
      }
    }
  }
  for (const [name, op] of Object.entries(VexOp)) {
    const bits = memBitsOf(op);
    const four = name.includes('blendv');
    for (const [d, s1, s2] of TRIPLES) {
      if (four) add((a) => a.vexRRRR(op, d, s1, s2, (d + 5) & 15), `${name} ${x(d)},${x(s1)},${x(s2)},${x((d + 5) & 15)}`);
      else if (isUnary(op)) add((a) => a.vexRR(op, d, s2), `${name} ${x(d)},${x(s2)}`);
      else add((a) => a.vexRRR(op, d, s1, s2), `${name} ${x(d)},${x(s1)},${x(s2)}`);
    }
    if (four) continue;
    for (const m of MEMS) {
      const mem = PTR[bits] + memText(m);
      if (isUnary(op)) add((a) => a.vexRM(op, 9, toMem(m)), `${name} ${x(9)},${mem}`);
      else add((a) => a.vexRRM(op, 9, 4, toMem(m)), `${name} ${x(9)},${x(4)},${mem}`);
    }
  }
  for (const [name, op] of Object.entries(SimdShiftOp)) {
    for (const [d, s] of [[0, 1], [9, 2], [3, 12], [15, 15]] as const) {
      for (const imm of [0, 1, 7, 63, 0xff]) {
        add((a) => a.simdShiftRI(op, d, imm), `${name} ${x(d)},${hex(imm)}`);
        add((a) => a.vexShiftRRI(op, d, s, imm), `v${name} ${x(d)},${x(s)},${hex(imm)}`);
      }
    }
  }
  const LANE_NAMES: Record<LaneBits, string> = { 8: 'b', 16: 'w', 32: 'd', 64: 'q' };
  for (const bits of [8, 16, 32, 64] as LaneBits[]) {
    const n = LANE_NAMES[bits];
    const gsize = bits === 64 ? 64 : 32;
    for (const lane of [0, 128 / bits - 1]) {
      for (const [xr, g] of [[0, Gpr.rax], [1, Gpr.r9], [10, Gpr.rdi], [15, Gpr.r15]] as const) {
        add((a) => a.pinsrRRI(bits, xr, g, lane), `pinsr${n} ${x(xr)},${reg(gsize, g)},${hex(lane)}`);
        add((a) => a.pextrRRI(bits, g, xr, lane), `pextr${n} ${reg(gsize, g)},${x(xr)},${hex(lane)}`);
        add((a) => a.vpinsrRRRI(bits, xr, (xr + 3) & 15, g, lane), `vpinsr${n} ${x(xr)},${x((xr + 3) & 15)},${reg(gsize, g)},${hex(lane)}`);
      }
      for (const m of MEMS) {
        const mem = PTR[bits] + memText(m);
        add((a) => a.pinsrRMI(bits, 6, toMem(m), lane), `pinsr${n} ${x(6)},${mem},${hex(lane)}`);
        add((a) => a.pextrMRI(bits, toMem(m), 13, lane), `pextr${n} ${mem},${x(13)},${hex(lane)}`);
        add((a) => a.vpinsrRRMI(bits, 6, 12, toMem(m), lane), `vpinsr${n} ${x(6)},${x(12)},${mem},${hex(lane)}`);
      }
    }
  }
  for (const [name, op] of Object.entries(MoveMaskOp)) {
    for (const [g, xr] of [[Gpr.rax, 1], [Gpr.r11, 0], [Gpr.rsi, 14]] as const) add((a) => a.moveMaskRR(op, g, xr), `${name} ${reg(32, g)},${x(xr)}`);
  }
  for (const m of MEMS) {
    add((a) => a.movdquMR(toMem(m), 7), `movdqu ${PTR[128]}${memText(m)},${x(7)}`);
    add((a) => a.movqMR(toMem(m), 8), `movq ${PTR[64]}${memText(m)},${x(8)}`);
    add((a) => a.movdMR(toMem(m), 2), `movd ${PTR[32]}${memText(m)},${x(2)}`);
    add((a) => a.movdRM(10, toMem(m)), `movd ${x(10)},${PTR[32]}${memText(m)}`);
  }
  return forms;
}

describe.skipIf(!hasObjdump)('x64 SIMD assembler: round trip through objdump', () => {
  // Skipped only when /usr/bin/objdump (binutils) is absent.
  it('disassembles every generated form to the expected text and length', () => {
    const forms = generateForms();
    const a = new Assembler();
    const starts: number[] = [];
    for (const form of forms) {
      starts.push(a.offset);
      form.emit(a);
    }
    // A RIP-relative constant-pool operand followed by an imm8: the displacement must count the imm.
    const pool = a.buffer.addConstant(new Uint8Array(16).fill(7), 16);
    const ripAt = a.offset;
    a.simdRMI(SimdOp.pshufd, 1, Mem.label(pool), 0x4e);
    const vexRipAt = a.offset;
    a.vexRRMI(SimdOp.shufps, 1, 2, Mem.label(pool), 0x88);
    const end = a.offset;
    const code = a.finish().code;
    const insns = disassemble(code);
    const byOffset = new Map(insns.map((i) => [i.offset, i]));
    const mismatches: string[] = [];
    forms.forEach((form, i) => {
      const start = starts[i]!;
      const next = i + 1 < starts.length ? starts[i + 1]! : ripAt;
      const got = byOffset.get(start);
      if (got === undefined || got.text !== form.text || start + got.length !== next) {
        mismatches.push(`@${start}: expected "${form.text}" (${next - start} bytes), got "${got?.text}" (${got?.length} bytes)`);
      }
    });
    expect(mismatches.slice(0, 30)).toEqual([]);
    // Where the pool constant landed: after the code, 16-byte aligned.
    const poolAt = Math.ceil(end / 16) * 16;
    const rip = byOffset.get(ripAt)!;
    expect(rip.text).toBe('pshufd xmm1,xmmword ptr [rip+0x0],0x4e'.replace('+0x0', `+${hex(poolAt - (ripAt + rip.length))}`));
    expect(rip.ripTarget).toBe(poolAt);
    const vexRip = byOffset.get(vexRipAt)!;
    expect(vexRip.ripTarget).toBe(poolAt);
    expect(vexRip.text.startsWith('vshufps xmm1,xmm2,xmmword ptr [rip')).toBe(true);
    console.log(`objdump SIMD round trip: ${forms.length + 2} instructions`);
    expect(forms.length).toBeGreaterThan(5_000);
  });
});
