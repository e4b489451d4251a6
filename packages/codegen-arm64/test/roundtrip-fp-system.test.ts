// Scalar floating point, FP<->integer conversions, the popcount SIMD pair and system instructions,
// round-tripped through objdump over every register.
import { describe, it } from 'vitest';
import { Barrier } from '../src/assembler/index.ts';
import { hasObjdump } from './support/objdump.ts';
import { CONDS, Rng, ZR, gp, hex, roundTrip } from './support/syntax.ts';
import type { Case } from './support/syntax.ts';

const rng = new Rng(0x5eed);
const FP_SIZES = [32, 64] as const;
const fp = (size: 32 | 64, r: number) => `${size === 32 ? 's' : 'd'}${r}`;

/** objdump prints FP immediates as C's `%.18e`: JS `toExponential` differs only in the exponent's width. */
function fpImmText(value: number): string {
  return `#${value.toExponential(18).replace(/e([+-])(\d)$/, 'e$10$2')}`;
}

/** The 256 FP immediates from their definition: ±(16 + m)/16 × 2^e, m in 0..15, e in -3..4. */
function allFpImmediates(): number[] {
  const values: number[] = [];
  for (const sign of [1, -1]) for (let e = -3; e <= 4; e++) for (let m = 0; m < 16; m++) values.push((sign * (16 + m) * 2 ** e) / 16);
  return values;
}

function fpCases(): Case[] {
  const cases: Case[] = [];
  for (const size of FP_SIZES) {
    for (let i = 0; i < 32; i++) {
      const [d, n, m] = [i, (i + 13) % 32, (i + 27) % 32];
      const [D, N, M] = [fp(size, d), fp(size, n), fp(size, m)];
      cases.push({ emit: (a) => a.faddRRR(size, d, n, m), text: `fadd ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fsubRRR(size, d, n, m), text: `fsub ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fmulRRR(size, d, n, m), text: `fmul ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fdivRRR(size, d, n, m), text: `fdiv ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fminRRR(size, d, n, m), text: `fmin ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fmaxRRR(size, d, n, m), text: `fmax ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fminnmRRR(size, d, n, m), text: `fminnm ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fmaxnmRRR(size, d, n, m), text: `fmaxnm ${D}, ${N}, ${M}` });
      cases.push({ emit: (a) => a.fmovRR(size, d, n), text: `fmov ${D}, ${N}` });
      cases.push({ emit: (a) => a.fabsRR(size, d, n), text: `fabs ${D}, ${N}` });
      cases.push({ emit: (a) => a.fnegRR(size, d, n), text: `fneg ${D}, ${N}` });
      cases.push({ emit: (a) => a.fsqrtRR(size, d, n), text: `fsqrt ${D}, ${N}` });
      cases.push({ emit: (a) => a.frintnRR(size, d, n), text: `frintn ${D}, ${N}` });
      cases.push({ emit: (a) => a.frintmRR(size, d, n), text: `frintm ${D}, ${N}` });
      cases.push({ emit: (a) => a.frintpRR(size, d, n), text: `frintp ${D}, ${N}` });
      cases.push({ emit: (a) => a.frintzRR(size, d, n), text: `frintz ${D}, ${N}` });
      const other = size === 32 ? 64 : 32;
      cases.push({ emit: (a) => a.fcvtRR(other, size, d, n), text: `fcvt ${fp(other, d)}, ${N}` });
      cases.push({ emit: (a) => a.fcmpRR(size, n, m), text: `fcmp ${N}, ${M}` });
      cases.push({ emit: (a) => a.fcmpRZero(size, n), text: `fcmp ${N}, #0.0` });
      const cond = rng.int(0, 15);
      cases.push({ emit: (a) => a.fcselRRR(size, d, n, m, cond as never), text: `fcsel ${D}, ${N}, ${M}, ${CONDS[cond]}` });
      for (const intSize of [32, 64] as const) {
        const r = (i + 5) % 32;
        const R = gp(intSize, r);
        cases.push({ emit: (a) => a.scvtfRR(size, intSize, d, r), text: `scvtf ${D}, ${R}` });
        cases.push({ emit: (a) => a.ucvtfRR(size, intSize, d, r), text: `ucvtf ${D}, ${R}` });
        cases.push({ emit: (a) => a.fcvtzsRR(intSize, size, r, n), text: `fcvtzs ${R}, ${N}` });
        cases.push({ emit: (a) => a.fcvtzuRR(intSize, size, r, n), text: `fcvtzu ${R}, ${N}` });
      }
      const r = (i + 9) % 32;
      cases.push({ emit: (a) => a.fmovToGprRR(size, r, n), text: `fmov ${gp(size, r)}, ${N}` });
      cases.push({ emit: (a) => a.fmovFromGprRR(size, d, r), text: `fmov ${D}, ${gp(size, r)}` });
    }
    allFpImmediates().forEach((v, i) => {
      cases.push({ emit: (a) => a.fmovRI(size, i % 32, v), text: `fmov ${fp(size, i % 32)}, ${fpImmText(v)}` });
    });
  }
  for (let i = 0; i < 32; i++) {
    const n = (i + 17) % 32;
    cases.push({ emit: (a) => a.cnt8BRR(i, n), text: `cnt v${i}.8b, v${n}.8b` });
    cases.push({ emit: (a) => a.addv8BRR(i, n), text: `addv b${i}, v${n}.8b` });
  }
  return cases;
}

const BARRIERS: ReadonlyArray<[Barrier, string]> = [
  [Barrier.oshld, 'oshld'],
  [Barrier.oshst, 'oshst'],
  [Barrier.osh, 'osh'],
  [Barrier.nshld, 'nshld'],
  [Barrier.nshst, 'nshst'],
  [Barrier.nsh, 'nsh'],
  [Barrier.ishld, 'ishld'],
  [Barrier.ishst, 'ishst'],
  [Barrier.ish, 'ish'],
  [Barrier.ld, 'ld'],
  [Barrier.st, 'st'],
  [Barrier.sy, 'sy'],
];

function systemCases(): Case[] {
  const cases: Case[] = [];
  cases.push({ emit: (a) => a.nop(), text: 'nop' });
  cases.push({ emit: (a) => a.isb(), text: 'isb' });
  cases.push({ emit: (a) => a.dmb(), text: 'dmb ish' });
  for (const [barrier, name] of BARRIERS) cases.push({ emit: (a) => a.dmb(barrier), text: `dmb ${name}` });
  for (const imm of [0, 1, 0xf000, 0xffff, rng.int(0, 0xffff)]) {
    cases.push({ emit: (a) => a.brk(imm), text: `brk ${hex(imm)}` });
    cases.push({ emit: (a) => a.udf(imm), text: `udf #${imm}` });
  }
  for (let r = 0; r < 32; r++) {
    cases.push({ emit: (a) => a.br(r), text: `br ${gp(64, r)}` });
    cases.push({ emit: (a) => a.blr(r), text: `blr ${gp(64, r)}` });
    cases.push({ emit: (a) => a.ret(r), text: r === 30 ? 'ret' : `ret ${gp(64, r)}` });
  }
  cases.push({ emit: (a) => a.ret(), text: 'ret' });
  return cases;
}

/** adr/adrp print their absolute target, computed here from each instruction's own offset. */
function pcRelativeCases(): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < 64; i++) {
    const pc = cases.length * 4;
    const rd = i % 32 === ZR ? 7 : i % 32;
    const off = rng.pick([0, 1, 2 ** 20 - 1, rng.int(0, 2 ** 20 - 1), -pc]);
    cases.push({ emit: (a) => a.adrRI(rd, off), text: `adr ${gp(64, rd)}, 0x${(pc + off).toString(16)}` });
    const pc2 = cases.length * 4;
    const pages = rng.pick([0, 1, 2 ** 20 - 1, rng.int(0, 2 ** 20 - 1)]);
    const target = Math.floor(pc2 / 4096) * 4096 + pages * 4096;
    cases.push({ emit: (a) => a.adrpRI(rd, pages), text: `adrp ${gp(64, rd)}, 0x${target.toString(16)}` });
  }
  return cases;
}

describe.skipIf(!hasObjdump)('FP, SIMD and system encodings round-trip through objdump', () => {
  it('scalar FP arithmetic, rounding, compare, select, conversions, fmov and all 256 FP immediates', () => void roundTrip(fpCases()));
  it('system and register branches', () => void roundTrip(systemCases()));
  it('adr and adrp with immediates', () => void roundTrip(pcRelativeCases()));
});
