// Label branches: fix-ups patched at bind time and at finish, every branch kind round-tripped
// through objdump against the bound offsets, and out-of-range targets both ways: a backward branch
// takes the long form by itself, a forward one reaches through a veneer in an island.
import { describe, expect, it } from 'vitest';
import { CodeBufferError, RelocKind, RelocTarget } from '@flint/backend';
import { Arm64Assembler, AssemblerError, AssemblerErrorCode, Cond, LiteralOp } from '../src/assembler/index.ts';
import type { Cond as CondType } from '../src/assembler/index.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';
import { CONDS, Rng, ZR, gp } from './support/syntax.ts';

const at = (n: number) => `0x${n.toString(16)}`;

function word(code: Uint8Array, offset: number): number {
  return (code[offset]! | (code[offset + 1]! << 8) | (code[offset + 2]! << 16) | (code[offset + 3]! << 24)) >>> 0;
}

describe('label fix-ups', () => {
  it('patches forward and backward references with the word offset (b = 0x14000000 | imm26)', () => {
    const asm = new Arm64Assembler();
    const top = asm.newLabel();
    const end = asm.newLabel();
    asm.bind(top);
    asm.b(end); // offset 0, forward by 3 words
    asm.nop();
    asm.b(top); // offset 8, backward by 2 words
    asm.bind(end);
    asm.ret();
    const { code } = asm.finish();
    expect(word(code, 0)).toBe(0x14000003);
    expect(word(code, 8)).toBe(0x17fffffe);
  });

  it('b.al is an unconditional branch and b.nv is rejected', () => {
    const asm = new Arm64Assembler();
    const l = asm.newLabel();
    asm.bind(l);
    asm.bCond(Cond.al, l);
    expect(() => asm.bCond(Cond.nv, l)).toThrow(AssemblerError);
    expect(word(asm.finish().code, 0)).toBe(0x14000000);
  });

  it('an unbound label is an error at finish, not silent garbage', () => {
    const asm = new Arm64Assembler();
    asm.cbz(64, 0, asm.newLabel());
    expect(() => asm.finish()).toThrow(CodeBufferError);
  });

  it('bl to another function is a relocation, not a fix-up', () => {
    const asm = new Arm64Assembler();
    asm.nop();
    asm.blRelocated(RelocTarget.Function, 7);
    const { code, relocations } = asm.finish();
    expect(relocations).toEqual([{ at: 4, kind: RelocKind.Arm64Call26, target: RelocTarget.Function, index: 7, addend: 0 }]);
    expect(word(code, 4)).toBe(0x94000000);
  });
});

describe.skipIf(!hasObjdump)('branches round-trip through objdump', () => {
  it('every label-branch kind, to labels bound before and after, over every register', () => {
    const rng = new Rng(0xb4a4c4);
    const asm = new Arm64Assembler();
    const labels = Array.from({ length: 64 }, () => asm.newLabel());
    const bound = new Set<number>();
    const expected: Array<[number, number, (target: string) => string]> = [];
    for (let step = 0; step < 4000; step++) {
      if (rng.int(0, 40) === 0) {
        const l = rng.int(0, labels.length - 1);
        if (!bound.has(l)) {
          asm.bind(labels[l]!);
          bound.add(l);
          continue;
        }
      }
      const l = rng.int(0, labels.length - 1);
      const label = labels[l]!;
      const offset = asm.offset;
      const rt = step % 32;
      const size = rng.pick([32, 64] as const);
      const cond = rng.int(0, 13) as CondType;
      const bit = rng.int(0, 63);
      const bitReg = gp(bit < 32 ? 32 : 64, rt);
      switch (rng.int(0, 7)) {
        case 0:
          asm.b(label);
          expected.push([offset, l, (t) => `b ${t}`]);
          break;
        case 1:
          asm.bl(label);
          expected.push([offset, l, (t) => `bl ${t}`]);
          break;
        case 2:
          asm.bCond(cond, label);
          expected.push([offset, l, (t) => `b.${CONDS[cond]} ${t}`]);
          break;
        case 3:
          asm.cbz(size, rt, label);
          expected.push([offset, l, (t) => `cbz ${gp(size, rt)}, ${t}`]);
          break;
        case 4:
          asm.cbnz(size, rt, label);
          expected.push([offset, l, (t) => `cbnz ${gp(size, rt)}, ${t}`]);
          break;
        case 5:
          asm.tbz(rt, bit, label);
          expected.push([offset, l, (t) => `tbz ${bitReg}, #${bit}, ${t}`]);
          break;
        case 6:
          asm.tbnz(rt, bit, label);
          expected.push([offset, l, (t) => `tbnz ${bitReg}, #${bit}, ${t}`]);
          break;
        default: {
          const rd = rt === ZR ? 0 : rt;
          asm.adr(rd, label);
          expected.push([offset, l, (t) => `adr ${gp(64, rd)}, ${t}`]);
        }
      }
    }
    labels.forEach((label, l) => bound.has(l) || asm.bind(label));
    const { code } = asm.finish();
    const texts = disassemble(code);
    const mismatches = expected
      .map(([offset, l, text]) => [offset, text(at(asm.buffer.offsetOf(labels[l]!)))] as const)
      .filter(([offset, text]) => texts[offset / 4] !== text)
      .map(([offset, text]) => `@${offset}: expected "${text}", objdump "${texts[offset / 4]}"`);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(expected.length).toBeGreaterThan(3500);
  });

  it('a backward tbz beyond ±32 KiB becomes tbnz over b, by itself', () => {
    const asm = new Arm64Assembler();
    const top = asm.newLabel();
    asm.bind(top);
    asm.tbz(3, 5, top); // in range: short form
    for (let i = 0; i < 8192; i++) asm.nop();
    const far = asm.offset;
    asm.tbz(3, 5, top);
    asm.cbz(64, 4, top); // ±1 MiB still reaches
    const texts = disassemble(asm.finish().code);
    expect(texts[0]).toBe('tbz w3, #5, 0x0');
    expect(texts[far / 4]).toBe(`tbnz w3, #5, ${at(far + 8)}`);
    expect(texts[far / 4 + 1]).toBe('b 0x0');
    expect(texts[far / 4 + 2]).toBe('cbz x4, 0x0');
  });

  it('a backward b.cond/cbnz beyond ±1 MiB becomes the inverted branch over b', () => {
    const asm = new Arm64Assembler();
    const top = asm.newLabel();
    asm.bind(top);
    for (let i = 0; i < (1 << 18) + 4; i++) asm.nop();
    const far = asm.offset;
    asm.bCond(Cond.hs, top);
    asm.cbnz(32, 9, top);
    const texts = disassemble(asm.finish().code);
    expect(texts.slice(far / 4, far / 4 + 4)).toEqual([`b.cc ${at(far + 8)}`, 'b 0x0', `cbz w9, ${at(far + 16)}`, 'b 0x0']);
  });

  it('forward branches beyond their reach go through veneers in an island, which straight-line code jumps over', () => {
    const asm = new Arm64Assembler();
    const target = asm.newLabel();
    asm.tbnz(1, 40, target);
    asm.bCond(Cond.gt, target);
    asm.cbz(32, ZR, target);
    for (let i = 0; i < 8192; i++) asm.nop(); // 32 KiB: beyond tbnz's ±32 KiB
    asm.bind(target);
    const end = asm.offset;
    asm.ret();
    const { code } = asm.finish();
    expect(asm.buffer.islands).toBe(1);
    const texts = disassemble(code);
    const targetOf = (text: string): number => Number.parseInt(/0x([0-9a-f]+)$/.exec(text)![1]!, 16);
    // Each short branch points at its own veneer, `b <target>`, inside tbnz's reach.
    const veneers = texts.slice(0, 3).map(targetOf);
    expect(new Set(veneers).size).toBe(3);
    for (const veneer of veneers) {
      expect(veneer).toBeLessThan(32768);
      expect(texts[veneer / 4]).toBe(`b ${at(end)}`);
    }
    expect(texts[0]).toMatch(/^tbnz x1, #40, /);
    expect(texts[1]).toMatch(/^b\.gt /);
    expect(texts[2]).toMatch(/^cbz wzr, /);
    // The island starts with a jump over itself to the next nop.
    const island = Math.min(...veneers) - 4;
    expect(texts[island / 4]).toBe(`b ${at(Math.max(...veneers) + 4)}`);
    expect(texts[(Math.max(...veneers) + 4) / 4]).toBe('nop');
    // 3 branches, 8192 nops, the island (jump and 3 veneers), ret.
    expect(code.length).toBe((3 + 8192 + 4 + 1) * 4);
  });

  it('a literal load or adr of a code label beyond ±1 MiB throws BranchOutOfRange (no veneer can extend them)', () => {
    for (const use of ['ldr', 'adr'] as const) {
      const asm = new Arm64Assembler();
      const target = asm.newLabel();
      if (use === 'ldr') asm.ldrLiteral(LiteralOp.ldr64, 1, target);
      else asm.adr(1, target);
      for (let i = 0; i < (1 << 18) + 1; i++) asm.nop();
      let error: unknown;
      try {
        asm.bind(target);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AssemblerError);
      expect((error as AssemblerError).code).toBe(AssemblerErrorCode.BranchOutOfRange);
      expect((error as AssemblerError).message).toMatch(use === 'ldr' ? /ldr literal .* at code offset 0 cannot reach/ : /adr .* at code offset 0 cannot reach/);
    }
  });
});
