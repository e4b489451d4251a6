// Loads and stores round-tripped through objdump: every MemOp in every addressing mode, every base
// register including sp, offsets at the edges of each form; pairs; literal loads.
import { describe, expect, it } from 'vitest';
import { Arm64Assembler, Extend, LiteralOp, MemOp, PairMode, PairOp } from '../src/assembler/index.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';
import { Rng, SP, ZR, gp, roundTrip } from './support/syntax.ts';
import type { Case } from './support/syntax.ts';

const rng = new Rng(0xabcdef1);

/** Per MemOp: mnemonic, the unscaled mnemonic, transfer register prefix, log2 access size. */
const OPS: ReadonlyArray<[MemOp, string, string, string, number]> = [
  [MemOp.strb, 'strb', 'sturb', 'w', 0],
  [MemOp.ldrb, 'ldrb', 'ldurb', 'w', 0],
  [MemOp.ldrsbX, 'ldrsb', 'ldursb', 'x', 0],
  [MemOp.ldrsbW, 'ldrsb', 'ldursb', 'w', 0],
  [MemOp.strh, 'strh', 'sturh', 'w', 1],
  [MemOp.ldrh, 'ldrh', 'ldurh', 'w', 1],
  [MemOp.ldrshX, 'ldrsh', 'ldursh', 'x', 1],
  [MemOp.ldrshW, 'ldrsh', 'ldursh', 'w', 1],
  [MemOp.str32, 'str', 'stur', 'w', 2],
  [MemOp.ldr32, 'ldr', 'ldur', 'w', 2],
  [MemOp.ldrsw, 'ldrsw', 'ldursw', 'x', 2],
  [MemOp.str64, 'str', 'stur', 'x', 3],
  [MemOp.ldr64, 'ldr', 'ldur', 'x', 3],
  [MemOp.strV8, 'str', 'stur', 'b', 0],
  [MemOp.ldrV8, 'ldr', 'ldur', 'b', 0],
  [MemOp.strV16, 'str', 'stur', 'h', 1],
  [MemOp.ldrV16, 'ldr', 'ldur', 'h', 1],
  [MemOp.strV32, 'str', 'stur', 's', 2],
  [MemOp.ldrV32, 'ldr', 'ldur', 's', 2],
  [MemOp.strV64, 'str', 'stur', 'd', 3],
  [MemOp.ldrV64, 'ldr', 'ldur', 'd', 3],
  [MemOp.strV128, 'str', 'stur', 'q', 4],
  [MemOp.ldrV128, 'ldr', 'ldur', 'q', 4],
];

function treg(prefix: string, r: number): string {
  if (prefix === 'w') return gp(32, r);
  if (prefix === 'x') return gp(64, r);
  return `${prefix}${r}`;
}

const base = (r: number) => gp(64, r);
const EXT = ['', '', 'uxtw', 'lsl', '', '', 'sxtw', 'sxtx'];

function memoryCases(): Case[] {
  const cases: Case[] = [];
  for (const [op, name, uname, prefix, scale] of OPS) {
    const vector = !'wx'.includes(prefix);
    for (let i = 0; i < 32; i++) {
      // The transfer register sweeps 0..31 (zr for integers), the base 0..30 and sp.
      const rt = i;
      const rn = i === 0 ? SP : (i * 7 + 3) % 32 === 31 ? SP : (i * 7 + 3) % 32;
      const t = treg(prefix, rt);
      const b = base(rn);
      const unit = 1 << scale;
      // Unsigned scaled offset (chosen by loadStoreRI when it fits).
      const scaled = rng.pick([0, unit, 4095 * unit, rng.int(0, 4095) * unit]);
      cases.push({ emit: (a) => a.loadStoreRI(op, rt, rn, scaled), text: `${name} ${t}, [${b}${scaled === 0 ? '' : `, #${scaled}`}]` });
      // Offsets the scaled form cannot take fall back to the unscaled form.
      const unscaled = rng.pick([-256, -1, 255, unit > 1 ? 1 : -17, rng.int(-256, -1)]);
      const fitsScaled = unscaled >= 0 && unscaled % unit === 0;
      cases.push({ emit: (a) => a.loadStoreRI(op, rt, rn, unscaled), text: `${fitsScaled ? name : uname} ${t}, [${b}, #${unscaled}]` });
      const forced = rng.int(-256, 255);
      cases.push({ emit: (a) => a.loadStoreUnscaledRI(op, rt, rn, forced), text: `${uname} ${t}, [${b}${forced === 0 ? '' : `, #${forced}`}]` });
      // Writeback into the transfer register is unpredictable for integer loads and stores.
      const wb = !vector && rt === rn ? (rn + 1) % 31 : rn;
      const idx = rng.pick([-256, 255, 0, rng.int(-256, 255)]);
      cases.push({ emit: (a) => a.loadStorePreRI(op, rt, wb, idx), text: `${name} ${t}, [${base(wb)}, #${idx}]!` });
      cases.push({ emit: (a) => a.loadStorePostRI(op, rt, wb, idx), text: `${name} ${t}, [${base(wb)}], #${idx}` });
      // Register offset.
      const rm = (i * 5 + 1) % 32;
      const extend = rng.pick([Extend.uxtw, Extend.uxtx, Extend.sxtw, Extend.sxtx]);
      const shifted = rng.next() % 2 === 0;
      const s = shifted && scale > 0;
      const index = gp(extend === Extend.uxtw || extend === Extend.sxtw ? 32 : 64, rm);
      const ext = extend === Extend.uxtx ? (s ? `, lsl #${scale}` : '') : `, ${EXT[extend]}${s ? ` #${scale}` : ''}`;
      cases.push({ emit: (a) => a.loadStoreRR(op, rt, rn, rm, extend, shifted), text: `${name} ${t}, [${b}, ${index}${ext}]` });
    }
  }
  return cases;
}

function namedMemoryCases(): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < 32; i++) {
    const rn = i === 31 ? SP : i;
    const rt = (i + 9) % 32;
    const b = base(rn);
    for (const size of [32, 64] as const) {
      const t = gp(size, rt);
      const u = size / 8;
      cases.push({ emit: (a) => a.ldrRI(size, rt, rn, u * 3), text: `ldr ${t}, [${b}, #${u * 3}]` });
      cases.push({ emit: (a) => a.strRI(size, rt, rn, -u), text: `stur ${t}, [${b}, #${-u}]` });
      cases.push({ emit: (a) => a.ldurRI(size, rt, rn, u), text: `ldur ${t}, [${b}, #${u}]` });
      cases.push({ emit: (a) => a.sturRI(size, rt, rn, 0), text: `stur ${t}, [${b}]` });
      cases.push({ emit: (a) => a.ldrsbRI(size, rt, rn, 5), text: `ldrsb ${t}, [${b}, #5]` });
      cases.push({ emit: (a) => a.ldrshRI(size, rt, rn, 6), text: `ldrsh ${t}, [${b}, #6]` });
      cases.push({ emit: (a) => a.ldrRR(size, rt, rn, 3, Extend.uxtx, true), text: `ldr ${t}, [${b}, x3, lsl #${size === 64 ? 3 : 2}]` });
      cases.push({ emit: (a) => a.strRR(size, rt, rn, 4, Extend.sxtw, false), text: `str ${t}, [${b}, w4, sxtw]` });
      if (rt !== rn) {
        cases.push({ emit: (a) => a.ldrPreRI(size, rt, rn, -u), text: `ldr ${t}, [${b}, #${-u}]!` });
        cases.push({ emit: (a) => a.ldrPostRI(size, rt, rn, u), text: `ldr ${t}, [${b}], #${u}` });
        cases.push({ emit: (a) => a.strPreRI(size, rt, rn, -16), text: `str ${t}, [${b}, #-16]!` });
        cases.push({ emit: (a) => a.strPostRI(size, rt, rn, 16), text: `str ${t}, [${b}], #16` });
      }
    }
    cases.push({ emit: (a) => a.ldrbRI(rt, rn, 4095), text: `ldrb ${gp(32, rt)}, [${b}, #4095]` });
    cases.push({ emit: (a) => a.ldrhRI(rt, rn, 8190), text: `ldrh ${gp(32, rt)}, [${b}, #8190]` });
    cases.push({ emit: (a) => a.ldrswRI(rt, rn, 16380), text: `ldrsw ${gp(64, rt)}, [${b}, #16380]` });
    cases.push({ emit: (a) => a.strbRI(rt, rn, 1), text: `strb ${gp(32, rt)}, [${b}, #1]` });
    cases.push({ emit: (a) => a.strhRI(rt, rn, 3), text: `sturh ${gp(32, rt)}, [${b}, #3]` });
    for (const [bits, p] of [[8, 'b'], [16, 'h'], [32, 's'], [64, 'd'], [128, 'q']] as const) {
      const off = bits / 8;
      cases.push({ emit: (a) => a.ldrFpRI(bits, i, rn, off), text: `ldr ${p}${i}, [${b}, #${off}]` });
      cases.push({ emit: (a) => a.strFpRI(bits, i, rn, -off), text: `stur ${p}${i}, [${b}, #${-off}]` });
      cases.push({ emit: (a) => a.ldrFpRR(bits, i, rn, 7), text: `ldr ${p}${i}, [${b}, x7]` });
      cases.push({ emit: (a) => a.strFpRR(bits, i, rn, 7, Extend.uxtw, true), text: `str ${p}${i}, [${b}, w7, uxtw${bits > 8 ? ` #${Math.log2(off)}` : ''}]` });
    }
  }
  return cases;
}

/** Per PairOp: mnemonic, register prefix, log2 of one register's size, is a load. */
const PAIRS: ReadonlyArray<[PairOp, string, string, number, boolean]> = [
  [PairOp.stp32, 'stp', 'w', 2, false],
  [PairOp.ldp32, 'ldp', 'w', 2, true],
  [PairOp.ldpsw, 'ldpsw', 'x', 2, true],
  [PairOp.stp64, 'stp', 'x', 3, false],
  [PairOp.ldp64, 'ldp', 'x', 3, true],
  [PairOp.stpV32, 'stp', 's', 2, false],
  [PairOp.ldpV32, 'ldp', 's', 2, true],
  [PairOp.stpV64, 'stp', 'd', 3, false],
  [PairOp.ldpV64, 'ldp', 'd', 3, true],
  [PairOp.stpV128, 'stp', 'q', 4, false],
  [PairOp.ldpV128, 'ldp', 'q', 4, true],
];

function pairCases(): Case[] {
  const cases: Case[] = [];
  for (const [op, name, prefix, scale, load] of PAIRS) {
    const vector = !'wx'.includes(prefix);
    for (let i = 0; i < 32; i++) {
      const rt = i;
      let rt2 = (i + 1) % 32;
      if (load && rt2 === rt) rt2 = (rt2 + 1) % 32;
      const rn = i % 3 === 0 ? SP : (i * 11 + 2) % 31;
      const unit = 1 << scale;
      const off = rng.pick([-64 * unit, 63 * unit, 0, rng.int(-64, 63) * unit]);
      const t = `${treg(prefix, rt)}, ${treg(prefix, rt2)}`;
      const b = base(rn);
      cases.push({ emit: (a) => a.loadStorePair(op, PairMode.offset, rt, rt2, rn, off), text: `${name} ${t}, [${b}${off === 0 ? '' : `, #${off}`}]` });
      const clash = !vector && rn !== SP && (rn === rt || rn === rt2);
      const wb = clash ? SP : rn;
      cases.push({ emit: (a) => a.loadStorePair(op, PairMode.pre, rt, rt2, wb, off), text: `${name} ${t}, [${base(wb)}, #${off}]!` });
      cases.push({ emit: (a) => a.loadStorePair(op, PairMode.post, rt, rt2, wb, off), text: `${name} ${t}, [${base(wb)}], #${off}` });
    }
  }
  for (const size of [32, 64] as const) {
    const u = size / 8;
    cases.push({ emit: (a) => a.stpPreRRI(size, 29, 30, SP, -2 * u), text: `stp ${gp(size, 29)}, ${gp(size, 30)}, [sp, #${-2 * u}]!` });
    cases.push({ emit: (a) => a.ldpPostRRI(size, 29, 30, SP, 2 * u), text: `ldp ${gp(size, 29)}, ${gp(size, 30)}, [sp], #${2 * u}` });
    cases.push({ emit: (a) => a.stpRRI(size, 0, ZR, 1, u), text: `stp ${gp(size, 0)}, ${gp(size, ZR)}, [x1, #${u}]` });
    cases.push({ emit: (a) => a.ldpRRI(size, 2, 3, SP, 0), text: `ldp ${gp(size, 2)}, ${gp(size, 3)}, [sp]` });
    cases.push({ emit: (a) => a.ldpPreRRI(size, 2, 3, 4, u), text: `ldp ${gp(size, 2)}, ${gp(size, 3)}, [x4, #${u}]!` });
    cases.push({ emit: (a) => a.stpPostRRI(size, 2, 3, 4, -u), text: `stp ${gp(size, 2)}, ${gp(size, 3)}, [x4], #${-u}` });
  }
  return cases;
}

describe.skipIf(!hasObjdump)('load/store encodings round-trip through objdump', () => {
  it('every MemOp in scaled, unscaled, pre-index, post-index and register-offset forms', () => void roundTrip(memoryCases()));
  it('the named load/store shorthands', () => void roundTrip(namedMemoryCases()));
  it('load/store pair in every mode', () => void roundTrip(pairCases()));

  it('literal loads reach their constant-pool entries', () => {
    const asm = new Arm64Assembler();
    // op, expected mnemonic and register, constant size
    const ops: Array<[LiteralOp, string, number]> = [
      [LiteralOp.ldr32, 'ldr w1', 4],
      [LiteralOp.ldr64, 'ldr x2', 8],
      [LiteralOp.ldrsw, 'ldrsw x3', 4],
      [LiteralOp.ldrV32, 'ldr s4', 4],
      [LiteralOp.ldrV64, 'ldr d5', 8],
      [LiteralOp.ldrV128, 'ldr q6', 16],
    ];
    const constant = (i: number, size: number) => Array.from({ length: size }, (_, k) => 0x10 * (i + 1) + k);
    ops.forEach(([op, , size], i) => asm.ldrConstant(op, i + 1, constant(i, size)));
    const { code } = asm.finish();
    const texts = disassemble(code);
    // The pool follows the code in order of first use, each entry aligned to its own size.
    let offset = ops.length * 4;
    ops.forEach(([, text, size], i) => {
      offset = Math.ceil(offset / size) * size;
      expect(texts[i]).toBe(`${text}, 0x${offset.toString(16)}`);
      expect(Array.from(code.subarray(offset, offset + size))).toEqual(constant(i, size));
      offset += size;
    });
    expect(code.length).toBe(offset);
  });
});
