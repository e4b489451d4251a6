// Integer data processing, round-tripped through objdump: every register in every position (with sp
// where the form takes it), both sizes, immediates and shift amounts at their edges.
import { describe, it } from 'vitest';
import { Extend, LogicalOp, Shift } from '../src/assembler/index.ts';
import type { Arm64Assembler } from '../src/assembler/index.ts';
import { hasObjdump } from './support/objdump.ts';
import { CONDS, Rng, SP, ZR, allBitmaskValues, gp, hex, roundTrip } from './support/syntax.ts';
import type { Case } from './support/syntax.ts';

const SIZES = [32, 64] as const;
type Size = 32 | 64;
const rng = new Rng(0x1234567);

/** Register triples where every position sweeps 0..31, then random triples. `spAt` lists the
 * positions where register 31 is sp (the others use zr). */
function triples(spAt: readonly number[], extra = 24): number[][] {
  const out: number[][] = [];
  const fix = (r: number, pos: number) => (r === 31 && spAt.includes(pos) ? SP : r);
  for (let i = 0; i < 32; i++) out.push([fix(i, 0), fix((i + 11) % 32, 1), fix((i + 23) % 32, 2), fix((i + 5) % 32, 3)]);
  for (let i = 0; i < extra; i++) out.push([0, 1, 2, 3].map((p) => fix(rng.int(0, 31), p)));
  return out;
}

const ADD_SUB = ['add', 'adds', 'sub', 'subs'] as const;

function addSubImmCases(): Case[] {
  const cases: Case[] = [];
  const imms = [0, 1, 0xfff, 0x1000, 0xfff000, 0x7ff, 0x123000];
  for (const op of ADD_SUB) {
    const flags = op.endsWith('s');
    for (const size of SIZES) {
      for (const [rd0, rn] of triples(flags ? [1] : [0, 1])) {
        const rd = rd0!;
        const imm = rng.pick(imms.concat([rng.int(0, 0xfff), rng.int(1, 0xfff) << 12]));
        const immText = imm > 0xfff ? `${hex(imm >>> 12)}, lsl #12` : hex(imm);
        let text: string;
        if (op === 'add' && imm === 0 && (rd === SP || rn === SP)) text = `mov ${gp(size, rd)}, ${gp(size, rn!)}`;
        else if (flags && rd === ZR) text = `${op === 'adds' ? 'cmn' : 'cmp'} ${gp(size, rn!)}, ${immText}`;
        else text = `${op} ${gp(size, rd)}, ${gp(size, rn!)}, ${immText}`;
        const method = `${op}RRI` as const;
        cases.push({ emit: (a) => a[method](size, rd, rn!, imm), text });
      }
    }
  }
  return cases;
}

const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'];

function addSubShiftedCases(): Case[] {
  const cases: Case[] = [];
  for (const op of ADD_SUB) {
    for (const size of SIZES) {
      for (const [rd, rn0, rm] of triples([])) {
        // subs with both rd and rn zero has two aliases (cmp, negs); keep rn a real register then.
        const rn = op === 'subs' && rd === ZR && rn0 === ZR ? 7 : rn0!;
        const shift = rng.int(0, 2) as Shift;
        const amount = rng.pick([0, 1, size - 1, rng.int(0, size - 1)]);
        const suffix = shift === Shift.lsl && amount === 0 ? '' : `, ${SHIFTS[shift]} #${amount}`;
        let text: string;
        if ((op === 'adds' || op === 'subs') && rd === ZR) text = `${op === 'adds' ? 'cmn' : 'cmp'} ${gp(size, rn)}, ${gp(size, rm!)}${suffix}`;
        else if ((op === 'sub' || op === 'subs') && rn === ZR) text = `${op === 'sub' ? 'neg' : 'negs'} ${gp(size, rd!)}, ${gp(size, rm!)}${suffix}`;
        else text = `${op} ${gp(size, rd!)}, ${gp(size, rn)}, ${gp(size, rm!)}${suffix}`;
        const method = `${op}RRShifted` as const;
        cases.push({ emit: (a) => a[method](size, rd!, rn, rm!, shift, amount), text });
      }
    }
  }
  return cases;
}

const EXTENDS = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];

function addSubExtendedCases(): Case[] {
  const cases: Case[] = [];
  for (const op of ADD_SUB) {
    const flags = op.endsWith('s');
    for (const size of SIZES) {
      for (const [rd, rn, rm] of triples(flags ? [1] : [0, 1])) {
        const extend = rng.int(0, 7) as Extend;
        const amount = rng.int(0, 4);
        const rmIs64 = size === 64 && (extend === Extend.uxtx || extend === Extend.sxtx);
        const spForm = flags ? rn === SP : rd === SP || rn === SP;
        const lslForm = spForm && extend === (size === 64 ? Extend.uxtx : Extend.uxtw);
        const suffix = lslForm ? (amount === 0 ? '' : `, lsl #${amount}`) : `, ${EXTENDS[extend]}${amount === 0 ? '' : ` #${amount}`}`;
        const rmText = gp(rmIs64 ? 64 : 32, rm!);
        const text =
          flags && rd === ZR
            ? `${op === 'adds' ? 'cmn' : 'cmp'} ${gp(size, rn!)}, ${rmText}${suffix}`
            : `${op} ${gp(size, rd!)}, ${gp(size, rn!)}, ${rmText}${suffix}`;
        const method = `${op}RRExtended` as const;
        cases.push({ emit: (a) => a[method](size, rd!, rn!, rm!, extend, amount), text });
      }
    }
  }
  return cases;
}

/** The three-register shorthand forms, including the sp cases that switch to the extended form. */
function addSubRRRCases(): Case[] {
  const cases: Case[] = [];
  for (const size of SIZES) {
    for (const [rd, rn, rm] of triples([])) {
      cases.push({ emit: (a) => a.addRRR(size, rd!, rn!, rm!), text: `add ${gp(size, rd!)}, ${gp(size, rn!)}, ${gp(size, rm!)}` });
      // With sp as rd or rn the shorthand switches to the extended form; zr is then not encodable.
      const sm = rm === ZR ? 3 : rm!;
      const sn = rn === ZR ? SP : rn!;
      cases.push({ emit: (a) => a.addRRR(size, SP, sn, sm), text: `add ${gp(size, SP)}, ${gp(size, sn)}, ${gp(size, sm)}` });
      cases.push({ emit: (a) => a.subRRR(size, rd === ZR ? SP : rd!, SP, sm), text: `sub ${gp(size, rd === ZR ? SP : rd!)}, ${gp(size, SP)}, ${gp(size, sm)}` });
      cases.push({ emit: (a) => a.subsRRR(size, rd!, SP, sm), text: rd === ZR ? `cmp ${gp(size, SP)}, ${gp(size, sm)}` : `subs ${gp(size, rd!)}, ${gp(size, SP)}, ${gp(size, sm)}` });
      cases.push({ emit: (a) => a.cmpRR(size, rn!, rm!), text: rn === ZR ? `cmp ${gp(size, ZR)}, ${gp(size, rm!)}` : `cmp ${gp(size, rn!)}, ${gp(size, rm!)}` });
      cases.push({ emit: (a) => a.cmpRR(size, SP, sm), text: `cmp ${gp(size, SP)}, ${gp(size, sm)}` });
      cases.push({ emit: (a) => a.cmnRR(size, rn!, rm!), text: `cmn ${gp(size, rn!)}, ${gp(size, rm!)}` });
      cases.push({ emit: (a) => a.negRR(size, rd!, rm!), text: `neg ${gp(size, rd!)}, ${gp(size, rm!)}` });
      if (rd !== ZR) cases.push({ emit: (a) => a.negsRR(size, rd!, rm!), text: `negs ${gp(size, rd!)}, ${gp(size, rm!)}` });
    }
  }
  return cases;
}

const LOGICAL: ReadonlyArray<[string, LogicalOp]> = [
  ['and', LogicalOp.and],
  ['bic', LogicalOp.bic],
  ['orr', LogicalOp.orr],
  ['orn', LogicalOp.orn],
  ['eor', LogicalOp.eor],
  ['eon', LogicalOp.eon],
  ['ands', LogicalOp.ands],
  ['bics', LogicalOp.bics],
];

function logicalShiftedCases(): Case[] {
  const cases: Case[] = [];
  for (const [name, op] of LOGICAL) {
    for (const size of SIZES) {
      for (const [rd, rn, rm] of triples([])) {
        const shift = rng.int(0, 3) as Shift;
        const amount = rng.pick([0, size - 1, rng.int(0, size - 1)]);
        const suffix = shift === Shift.lsl && amount === 0 ? '' : `, ${SHIFTS[shift]} #${amount}`;
        let text = `${name} ${gp(size, rd!)}, ${gp(size, rn!)}, ${gp(size, rm!)}${suffix}`;
        if (name === 'orr' && rn === ZR && suffix === '') text = `mov ${gp(size, rd!)}, ${gp(size, rm!)}`;
        else if (name === 'orn' && rn === ZR) text = `mvn ${gp(size, rd!)}, ${gp(size, rm!)}${suffix}`;
        else if (name === 'ands' && rd === ZR) text = `tst ${gp(size, rn!)}, ${gp(size, rm!)}${suffix}`;
        cases.push({ emit: (a) => a.logicalRRShifted(op, size, rd!, rn!, rm!, shift, amount), text });
      }
    }
  }
  // The named shorthands.
  for (const size of SIZES) {
    for (const [rd, rn, rm] of triples([], 0)) {
      if (rn === ZR) continue;
      const r = (s: number) => gp(size, s);
      cases.push({ emit: (a) => a.andRRR(size, rd!, rn!, rm!), text: `and ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.orrRRR(size, rd!, rn!, rm!), text: `orr ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.eorRRR(size, rd!, rn!, rm!), text: `eor ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.bicRRR(size, rd!, rn!, rm!), text: `bic ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.ornRRR(size, rd!, rn!, rm!), text: `orn ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.eonRRR(size, rd!, rn!, rm!), text: `eon ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.bicsRRR(size, rd!, rn!, rm!), text: `bics ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.tstRR(size, rn!, rm!), text: `tst ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.mvnRR(size, rd!, rm!), text: `mvn ${r(rd!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.andRRShifted(size, rd!, rn!, rm!, Shift.ror, 3), text: `and ${r(rd!)}, ${r(rn!)}, ${r(rm!)}, ror #3` });
      cases.push({ emit: (a) => a.orrRRShifted(size, rd!, rn!, rm!, Shift.lsr, 1), text: `orr ${r(rd!)}, ${r(rn!)}, ${r(rm!)}, lsr #1` });
      cases.push({ emit: (a) => a.eorRRShifted(size, rd!, rn!, rm!, Shift.asr, size - 1), text: `eor ${r(rd!)}, ${r(rn!)}, ${r(rm!)}, asr #${size - 1}` });
      if (rd !== ZR) cases.push({ emit: (a) => a.andsRRR(size, rd!, rn!, rm!), text: `ands ${r(rd!)}, ${r(rn!)}, ${r(rm!)}` });
      cases.push({ emit: (a) => a.movRR(size, rd!, rm!), text: `mov ${r(rd!)}, ${r(rm!)}` });
    }
    for (let i = 0; i < 31; i++) {
      cases.push({ emit: (a) => a.movRR(size, SP, i), text: `mov ${gp(size, SP)}, ${gp(size, i)}` });
      cases.push({ emit: (a) => a.movRR(size, i, SP), text: `mov ${gp(size, i)}, ${gp(size, SP)}` });
    }
  }
  return cases;
}

function logicalImmCases(): Case[] {
  const cases: Case[] = [];
  const ops = [
    ['and', (a: Arm64Assembler, s: Size, d: number, n: number, v: bigint) => a.andRRI(s, d, n, v)],
    ['orr', (a: Arm64Assembler, s: Size, d: number, n: number, v: bigint) => a.orrRRI(s, d, n, v)],
    ['eor', (a: Arm64Assembler, s: Size, d: number, n: number, v: bigint) => a.eorRRI(s, d, n, v)],
    ['ands', (a: Arm64Assembler, s: Size, d: number, n: number, v: bigint) => a.andsRRI(s, d, n, v)],
  ] as const;
  for (const size of SIZES) {
    const values = allBitmaskValues(size);
    // Every value once, spread over the operations and registers.
    values.forEach((v, i) => {
      const [name, emit] = ops[i % 4]!;
      let rd = (i * 7) % 32;
      let rn = (i * 13) % 32;
      if (rn === ZR) rn = 4;
      if (name !== 'ands' && rd === ZR) rd = SP;
      const text = name === 'ands' && rd === ZR ? `tst ${gp(size, rn)}, ${hex(v)}` : `${name} ${gp(size, rd)}, ${gp(size, rn)}, ${hex(v)}`;
      cases.push({ emit: (a) => emit(a, size, rd, rn, v), text });
    });
    cases.push({ emit: (a) => a.tstRI(size, 5, 1), text: `tst ${gp(size, 5)}, #0x1` });
  }
  return cases;
}

function moveWideCases(): Case[] {
  const cases: Case[] = [];
  for (const size of SIZES) {
    const mask = size === 64 ? (1n << 64n) - 1n : 0xffffffffn;
    for (let i = 0; i < 96; i++) {
      const rd = i % 32;
      const shift = rng.int(0, size / 16 - 1) * 16;
      const imm = rng.pick([0, 1, 0xffff, 0x8000, rng.int(0, 0xffff)]);
      const placed = BigInt(imm) << BigInt(shift);
      const shiftText = shift === 0 ? '' : `, lsl #${shift}`;
      cases.push({
        emit: (a) => a.movzRI(size, rd, imm, shift),
        text: imm === 0 && shift !== 0 ? `movz ${gp(size, rd)}, #0x0${shiftText}` : `mov ${gp(size, rd)}, ${hex(placed)}`,
      });
      const movnLiteral = (imm === 0 && shift !== 0) || (size === 32 && imm === 0xffff);
      cases.push({
        emit: (a) => a.movnRI(size, rd, imm, shift),
        text: movnLiteral ? `movn ${gp(size, rd)}, ${hex(imm)}${shiftText}` : `mov ${gp(size, rd)}, ${hex(~placed & mask)}`,
      });
      cases.push({ emit: (a) => a.movkRI(size, rd, imm, shift), text: `movk ${gp(size, rd)}, ${hex(imm)}${shiftText}` });
    }
  }
  return cases;
}

/** The preferred disassembly of SBFM/BFM/UBFM (Arm ARM C6.2, the alias conditions of each). */
function bitfieldText(kind: 'sbfm' | 'bfm' | 'ubfm', size: Size, rd: number, rn: number, immr: number, imms: number): string {
  const d = gp(size, rd);
  const n = gp(size, rn);
  if (kind === 'ubfm') {
    if (imms === size - 1) return `lsr ${d}, ${n}, #${immr}`;
    if (imms + 1 === immr) return `lsl ${d}, ${n}, #${size - 1 - imms}`;
    if (size === 32 && immr === 0 && imms === 7) return `uxtb ${d}, ${n}`;
    if (size === 32 && immr === 0 && imms === 15) return `uxth ${d}, ${n}`;
    if (imms < immr) return `ubfiz ${d}, ${n}, #${size - immr}, #${imms + 1}`;
    return `ubfx ${d}, ${n}, #${immr}, #${imms - immr + 1}`;
  }
  if (kind === 'sbfm') {
    if (imms === size - 1) return `asr ${d}, ${n}, #${immr}`;
    if (immr === 0 && imms === 7) return `sxtb ${d}, ${gp(32, rn)}`;
    if (immr === 0 && imms === 15) return `sxth ${d}, ${gp(32, rn)}`;
    if (immr === 0 && imms === 31) return `sxtw ${d}, ${gp(32, rn)}`;
    if (imms < immr) return `sbfiz ${d}, ${n}, #${size - immr}, #${imms + 1}`;
    return `sbfx ${d}, ${n}, #${immr}, #${imms - immr + 1}`;
  }
  if (imms < immr) return `bfi ${d}, ${n}, #${size - immr}, #${imms + 1}`;
  return `bfxil ${d}, ${n}, #${immr}, #${imms - immr + 1}`;
}

function bitfieldCases(): Case[] {
  const cases: Case[] = [];
  for (const size of SIZES) {
    for (const [rd, rn0] of triples([], 64)) {
      const rn = rn0 === ZR ? 9 : rn0!; // bfm from zr is bfc, a v8.2 alias
      const immr = rng.pick([0, size - 1, rng.int(0, size - 1)]);
      const imms = rng.pick([0, 7, 15, size - 1, rng.int(0, size - 1)]);
      cases.push({ emit: (a) => a.ubfmRRII(size, rd!, rn, immr, imms), text: bitfieldText('ubfm', size, rd!, rn, immr, imms) });
      cases.push({ emit: (a) => a.sbfmRRII(size, rd!, rn, immr, imms), text: bitfieldText('sbfm', size, rd!, rn, immr, imms) });
      cases.push({ emit: (a) => a.bfmRRII(size, rd!, rn, immr, imms), text: bitfieldText('bfm', size, rd!, rn, immr, imms) });
      const d = gp(size, rd!);
      const n = gp(size, rn);
      const shift = rng.int(0, size - 1);
      cases.push({ emit: (a) => a.lslRRI(size, rd!, rn, shift), text: shift === 0 ? `lsr ${d}, ${n}, #0` : `lsl ${d}, ${n}, #${shift}` }); // lsl #0 is ubfm #0, #size-1: lsr #0
      cases.push({ emit: (a) => a.lsrRRI(size, rd!, rn, shift), text: `lsr ${d}, ${n}, #${shift}` });
      cases.push({ emit: (a) => a.asrRRI(size, rd!, rn, shift), text: `asr ${d}, ${n}, #${shift}` });
      cases.push({ emit: (a) => a.rorRRI(size, rd!, rn, shift), text: `ror ${d}, ${n}, #${shift}` });
      const m = gp(size, rn0!);
      cases.push({ emit: (a) => a.extrRRRI(size, rd!, rn, rn0!, shift), text: rn === rn0 ? `ror ${d}, ${n}, #${shift}` : `extr ${d}, ${n}, ${m}, #${shift}` });
      const lsb = rng.int(0, size - 1);
      const width = rng.int(1, size - lsb);
      cases.push({ emit: (a) => a.ubfxRRII(size, rd!, rn, lsb, width), text: bitfieldText('ubfm', size, rd!, rn, lsb, lsb + width - 1) });
      cases.push({ emit: (a) => a.sbfxRRII(size, rd!, rn, lsb, width), text: bitfieldText('sbfm', size, rd!, rn, lsb, lsb + width - 1) });
      cases.push({ emit: (a) => a.bfxilRRII(size, rd!, rn, lsb, width), text: `bfxil ${d}, ${n}, #${lsb}, #${width}` });
      const insWidth = rng.int(1, size - lsb);
      const insText = (k: 'ubfm' | 'sbfm' | 'bfm') => bitfieldText(k, size, rd!, rn, (size - lsb) % size, insWidth - 1);
      cases.push({ emit: (a) => a.ubfizRRII(size, rd!, rn, lsb, insWidth), text: insText('ubfm') });
      cases.push({ emit: (a) => a.sbfizRRII(size, rd!, rn, lsb, insWidth), text: insText('sbfm') });
      cases.push({ emit: (a) => a.bfiRRII(size, rd!, rn, lsb, insWidth), text: insText('bfm') });
      cases.push({ emit: (a) => a.sxtbRR(size, rd!, rn), text: `sxtb ${d}, ${gp(32, rn)}` });
      cases.push({ emit: (a) => a.sxthRR(size, rd!, rn), text: `sxth ${d}, ${gp(32, rn)}` });
    }
  }
  for (let r = 0; r < 32; r++) {
    const s = (r + 3) % 32;
    cases.push({ emit: (a) => a.uxtbRR(r, s), text: `uxtb ${gp(32, r)}, ${gp(32, s)}` });
    cases.push({ emit: (a) => a.uxthRR(r, s), text: `uxth ${gp(32, r)}, ${gp(32, s)}` });
    cases.push({ emit: (a) => a.sxtwRR(r, s), text: `sxtw ${gp(64, r)}, ${gp(32, s)}` });
  }
  return cases;
}

function registerOpCases(): Case[] {
  const cases: Case[] = [];
  for (const size of SIZES) {
    for (const [rd, rn, rm, ra] of triples([])) {
      const [d, n, m, acc] = [rd!, rn!, rm!, ra!].map((r) => gp(size, r)) as [string, string, string, string];
      cases.push({ emit: (a) => a.lslRRR(size, rd!, rn!, rm!), text: `lsl ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.lsrRRR(size, rd!, rn!, rm!), text: `lsr ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.asrRRR(size, rd!, rn!, rm!), text: `asr ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.rorRRR(size, rd!, rn!, rm!), text: `ror ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.sdivRRR(size, rd!, rn!, rm!), text: `sdiv ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.udivRRR(size, rd!, rn!, rm!), text: `udiv ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.clzRR(size, rd!, rn!), text: `clz ${d}, ${n}` });
      cases.push({ emit: (a) => a.clsRR(size, rd!, rn!), text: `cls ${d}, ${n}` });
      cases.push({ emit: (a) => a.rbitRR(size, rd!, rn!), text: `rbit ${d}, ${n}` });
      cases.push({ emit: (a) => a.revRR(size, rd!, rn!), text: `rev ${d}, ${n}` });
      cases.push({ emit: (a) => a.rev16RR(size, rd!, rn!), text: `rev16 ${d}, ${n}` });
      cases.push({ emit: (a) => a.mulRRR(size, rd!, rn!, rm!), text: `mul ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.mnegRRR(size, rd!, rn!, rm!), text: `mneg ${d}, ${n}, ${m}` });
      cases.push({ emit: (a) => a.maddRRRR(size, rd!, rn!, rm!, ra!), text: ra === ZR ? `mul ${d}, ${n}, ${m}` : `madd ${d}, ${n}, ${m}, ${acc}` });
      cases.push({ emit: (a) => a.msubRRRR(size, rd!, rn!, rm!, ra!), text: ra === ZR ? `mneg ${d}, ${n}, ${m}` : `msub ${d}, ${n}, ${m}, ${acc}` });
      const cond = rng.int(0, 15);
      const c = CONDS[cond]!;
      const inv = CONDS[cond ^ 1]!;
      const usual = cond < 14;
      cases.push({ emit: (a) => a.cselRRR(size, rd!, rn!, rm!, cond as never), text: `csel ${d}, ${n}, ${m}, ${c}` });
      const sameRn = rn === rm;
      cases.push({
        emit: (a) => a.csincRRR(size, rd!, rn!, rm!, cond as never),
        text: usual && sameRn ? (rn === ZR ? `cset ${d}, ${inv}` : `cinc ${d}, ${n}, ${inv}`) : `csinc ${d}, ${n}, ${m}, ${c}`,
      });
      cases.push({
        emit: (a) => a.csinvRRR(size, rd!, rn!, rm!, cond as never),
        text: usual && sameRn ? (rn === ZR ? `csetm ${d}, ${inv}` : `cinv ${d}, ${n}, ${inv}`) : `csinv ${d}, ${n}, ${m}, ${c}`,
      });
      cases.push({
        emit: (a) => a.csnegRRR(size, rd!, rn!, rm!, cond as never),
        text: usual && sameRn ? `cneg ${d}, ${n}, ${inv}` : `csneg ${d}, ${n}, ${m}, ${c}`,
      });
      if (usual) {
        cases.push({ emit: (a) => a.csetR(size, rd!, cond as never), text: `cset ${d}, ${c}` });
        cases.push({ emit: (a) => a.csetmR(size, rd!, cond as never), text: `csetm ${d}, ${c}` });
        if (rn !== ZR) cases.push({ emit: (a) => a.cincRR(size, rd!, rn!, cond as never), text: `cinc ${d}, ${n}, ${c}` });
        cases.push({ emit: (a) => a.cnegRR(size, rd!, rn!, cond as never), text: `cneg ${d}, ${n}, ${c}` });
      }
      const nzcv = rng.int(0, 15);
      const imm5 = rng.pick([0, 31, rng.int(0, 31)]);
      cases.push({ emit: (a) => a.ccmpRR(size, rn!, rm!, nzcv, cond as never), text: `ccmp ${n}, ${m}, ${hex(nzcv)}, ${c}` });
      cases.push({ emit: (a) => a.ccmnRR(size, rn!, rm!, nzcv, cond as never), text: `ccmn ${n}, ${m}, ${hex(nzcv)}, ${c}` });
      cases.push({ emit: (a) => a.ccmpRI(size, rn!, imm5, nzcv, cond as never), text: `ccmp ${n}, ${hex(imm5)}, ${hex(nzcv)}, ${c}` });
      cases.push({ emit: (a) => a.ccmnRI(size, rn!, imm5, nzcv, cond as never), text: `ccmn ${n}, ${hex(imm5)}, ${hex(nzcv)}, ${c}` });
    }
  }
  for (const [rd, rn, rm, ra] of triples([])) {
    const [d, n, m] = [gp(64, rd!), gp(64, rn!), gp(64, rm!)];
    cases.push({ emit: (a) => a.rev32RR(rd!, rn!), text: `rev32 ${d}, ${n}` });
    cases.push({ emit: (a) => a.smulhRRR(rd!, rn!, rm!), text: `smulh ${d}, ${n}, ${m}` });
    cases.push({ emit: (a) => a.umulhRRR(rd!, rn!, rm!), text: `umulh ${d}, ${n}, ${m}` });
    cases.push({ emit: (a) => a.smullRRR(rd!, rn!, rm!), text: `smull ${d}, ${gp(32, rn!)}, ${gp(32, rm!)}` });
    cases.push({ emit: (a) => a.umullRRR(rd!, rn!, rm!), text: `umull ${d}, ${gp(32, rn!)}, ${gp(32, rm!)}` });
    void ra;
  }
  return cases;
}

describe.skipIf(!hasObjdump)('integer encodings round-trip through objdump', () => {
  it('add/sub immediate', () => void roundTrip(addSubImmCases()));
  it('add/sub shifted register', () => void roundTrip(addSubShiftedCases()));
  it('add/sub extended register', () => void roundTrip(addSubExtendedCases()));
  it('add/sub/cmp/neg three-register shorthands, with sp', () => void roundTrip(addSubRRRCases()));
  it('logical shifted register and mov/mvn/tst', () => void roundTrip(logicalShiftedCases()));
  it('logical immediate: every bitmask immediate of both sizes', () => void roundTrip(logicalImmCases()));
  it('movz/movn/movk', () => void roundTrip(moveWideCases()));
  it('bitfield moves and their aliases, extr/ror', () => void roundTrip(bitfieldCases()));
  it('shifts by register, division, bit counting, multiply, conditional select and compare', () => void roundTrip(registerOpCases()));
});
