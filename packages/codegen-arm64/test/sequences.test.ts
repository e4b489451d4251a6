// Multi-instruction forms: movRI's shortest constant materialisation (checked by running the
// disassembled sequence on a tiny interpreter and against the minimal length from the definition)
// and popcountRR.
import { describe, expect, it } from 'vitest';
import { Arm64Assembler, Gpr } from '../src/assembler/index.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';
import { Rng, allBitmaskValues } from './support/syntax.ts';

const MASK64 = (1n << 64n) - 1n;

/** Executes mov/movz/movn/movk/orr-immediate texts on one register and returns its final value. */
function run(texts: readonly string[]): bigint {
  let reg = 0n;
  for (const text of texts) {
    const m = /^(mov|movz|movn|movk|orr) ([wx])(\d+|zr), (?:[wx]zr, )?#0x([0-9a-f]+)(?:, lsl #(\d+))?$/.exec(text);
    if (!m) throw new Error(`unexpected instruction "${text}"`);
    const [, op, width, , hexValue, shiftText] = m;
    const mask = width === 'w' ? 0xffffffffn : MASK64;
    const shift = BigInt(shiftText ?? '0');
    const imm = BigInt(`0x${hexValue}`);
    if (op === 'mov' || op === 'orr') reg = imm & mask;
    else if (op === 'movz') reg = (imm << shift) & mask;
    else if (op === 'movn') reg = ~(imm << shift) & mask;
    else reg = ((reg & ~(0xffffn << shift)) | (imm << shift)) & mask;
  }
  return reg;
}

const bitmask64 = new Set(allBitmaskValues(64));
const bitmask32 = new Set(allBitmaskValues(32));

/** The fewest instructions any movz/movn/movk/orr sequence needs, from the instructions' definitions. */
function minimalLength(value: bigint, size: 32 | 64): number {
  const candidates: number[] = [];
  const consider = (v: bigint, width: 32 | 64) => {
    let zeros = 0;
    let ones = 0;
    for (let i = 0; i < width / 16; i++) {
      const h = (v >> BigInt(16 * i)) & 0xffffn;
      if (h === 0n) zeros++;
      if (h === 0xffffn) ones++;
    }
    candidates.push(Math.max(1, width / 16 - zeros), Math.max(1, width / 16 - ones));
    if ((width === 64 ? bitmask64 : bitmask32).has(v)) candidates.push(1);
  };
  consider(value, size);
  if (size === 64 && value >> 32n === 0n) consider(value, 32); // w forms zero-extend
  return Math.min(...candidates);
}

describe.skipIf(!hasObjdump)('movRI', () => {
  it('materialises every kind of constant in the fewest instructions', () => {
    const rng = new Rng(0x600d);
    const values: Array<[32 | 64, bigint]> = [];
    const edges = [0n, 1n, 0xffffn, 0x10000n, 0xffffffffn, 0x80000000n, 0x7fffffffn, 0xff00ff00n, 0xfffffffen, MASK64, MASK64 - 1n];
    edges.push(0x8000000000000000n, 0x7fffffffffffffffn, 0x0000ffff0000ffffn, 0x123456789abcdef0n, 0xffff1234ffff5678n);
    for (const v of edges) {
      values.push([64, v]);
      values.push([32, v & 0xffffffffn]);
    }
    for (let i = 0; i < 1500; i++) {
      // Random halfwords biased towards 0 and 0xffff so every sequence shape appears.
      let v = 0n;
      for (let h = 0; h < 4; h++) {
        const kind = rng.int(0, 3);
        const half = kind === 0 ? 0n : kind === 1 ? 0xffffn : BigInt(rng.int(0, 0xffff));
        v |= half << BigInt(16 * h);
      }
      values.push([64, v]);
      values.push([32, v & 0xffffffffn]);
    }
    for (const v of [...bitmask64].filter((_, i) => i % 7 === 0)) values.push([64, v]);
    for (const v of [...bitmask32].filter((_, i) => i % 3 === 0)) values.push([32, v]);

    const asm = new Arm64Assembler();
    const spans: Array<[number, number]> = [];
    values.forEach(([size, v], i) => {
      const start = asm.offset;
      asm.movRI(size, i % 31, v);
      spans.push([start / 4, (asm.offset - start) / 4]);
    });
    const texts = disassemble(asm.finish().code);
    const failures: string[] = [];
    values.forEach(([size, v], i) => {
      const [first, count] = spans[i]!;
      const seq = texts.slice(first, first + count);
      const got = run(seq);
      const want = minimalLength(v, size);
      if (got !== v || count !== want) failures.push(`${size}-bit 0x${v.toString(16)}: [${seq.join('; ')}] gives 0x${got.toString(16)}, ${count} vs minimal ${want}`);
    });
    expect(failures.slice(0, 20)).toEqual([]);
    expect(values.length).toBeGreaterThan(3000);
  });

  it('accepts negative numbers as two’s complement and rejects sp', () => {
    const asm = new Arm64Assembler();
    asm.movRI(64, 0, -1);
    asm.movRI(32, 1, -2);
    asm.movRI(64, 2, -0x12345);
    // -0x12345 is 0xffff_ffff_fffe_dcbb: movn for the low halfword, movk for 0xfffe.
    expect(disassemble(asm.finish().code)).toEqual([
      'mov x0, #0xffffffffffffffff',
      'mov w1, #0xfffffffe',
      'mov x2, #0xffffffffffffdcbb',
      'movk x2, #0xfffe, lsl #16',
    ]);
    expect(() => new Arm64Assembler().movRI(64, Gpr.sp, 1)).toThrow(/sp is not allowed/);
  });
});

describe.skipIf(!hasObjdump)('popcountRR', () => {
  it('goes through the vector scratch register: fmov, cnt, addv, fmov', () => {
    const asm = new Arm64Assembler();
    asm.popcountRR(64, 0, 1, 31);
    asm.popcountRR(32, 2, 3, 7);
    expect(disassemble(asm.finish().code)).toEqual([
      'fmov d31, x1',
      'cnt v31.8b, v31.8b',
      'addv b31, v31.8b',
      'fmov w0, s31',
      'fmov s7, w3',
      'cnt v7.8b, v7.8b',
      'addv b7, v7.8b',
      'fmov w2, s7',
    ]);
  });
});
