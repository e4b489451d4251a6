// Invariants of the one opcode table: every consumer (operator loop, validator, compilers,
// text format) trusts these, so they are checked here once.
import { describe, expect, it } from 'vitest';
import { TESTSUITE, hasTestsuite } from '@flint/test-support';
import { Imm, OPERATORS, OPERATORS_BY_NAME, OPERATOR_BY_ID, OPERATOR_ID_LIMIT, Op, operatorId } from '../src/opcodes.ts';

const isMemoryAccess = (imm: number): boolean => imm === Imm.MemArg || imm === Imm.MemArgLane;

/** The access width a memory operator's mnemonic spells out, derived from the name alone. */
function widthFromName(name: string): number {
  const explicit = /(?:load|store|rmw|wait)(8|16|32|64)(?:x\d+)?(?:_|\.|$)/.exec(name);
  if (explicit !== null && !/load(8x8|16x4|32x2)/.test(name)) return Number(explicit[1]) / 8;
  if (/load(8x8|16x4|32x2)/.test(name)) return 8;
  if (name.startsWith('v128.')) return 16;
  if (name === 'memory.atomic.notify') return 4;
  return name.startsWith('i32.') || name.startsWith('f32.') ? 4 : 8;
}

describe('opcode table', () => {
  it('gives every operator a unique dense id derived from its prefix and code', () => {
    const ids = new Set<number>();
    for (const op of OPERATORS) {
      expect(op.id, op.name).toBe(operatorId(op.prefix, op.code));
      expect(op.id).toBeLessThan(OPERATOR_ID_LIMIT);
      expect(ids.has(op.id), `${op.name} reuses id ${op.id}`).toBe(false);
      ids.add(op.id);
      expect(OPERATOR_BY_ID[op.id]).toBe(op);
    }
  });

  it('keeps codes inside each prefix range', () => {
    for (const op of OPERATORS) {
      if (op.prefix === 0) expect(op.code).toBeLessThan(0x100);
      else expect([0xfb, 0xfc, 0xfd, 0xfe]).toContain(op.prefix);
      // Ids of one prefix must not run into the next prefix's base.
      if (op.prefix !== 0) expect(op.code).toBeLessThan(0x400);
    }
  });

  it('spells names as text-format mnemonics', () => {
    for (const op of OPERATORS) expect(op.name).toMatch(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/);
  });

  it('only lets the documented mnemonics name two encodings', () => {
    const shared = [...OPERATORS_BY_NAME].filter(([, ops]) => ops.length > 1).map(([name]) => name);
    expect(shared.sort()).toEqual(['ref.cast', 'ref.test', 'select']);
  });

  it('writes signatures in the params:results alphabet, addresses only on memory operators', () => {
    for (const op of OPERATORS) {
      if (op.signature === null) continue;
      expect(op.signature, op.name).toMatch(/^a?[ilfdv]*:[ilfdv]*$/);
      expect(op.signature.startsWith('a'), op.name).toBe(isMemoryAccess(op.immediate));
    }
  });

  it('gives every memory access a power-of-two size matching its mnemonic, and no other operator one', () => {
    for (const op of OPERATORS) {
      if (isMemoryAccess(op.immediate)) {
        expect([1, 2, 4, 8, 16], op.name).toContain(op.memSize);
        expect(op.memSize, op.name).toBe(widthFromName(op.name));
        expect(op.signature, op.name).not.toBeNull();
      } else {
        expect(op.memSize, op.name).toBe(0);
      }
    }
  });

  it('gives lane operators a lane immediate', () => {
    for (const op of OPERATORS) {
      if (/_lane(_[su])?$/.test(op.name)) {
        const expected = /load|store/.test(op.name) ? Imm.MemArgLane : Imm.Lane;
        expect(op.immediate, op.name).toBe(expected);
      }
    }
  });

  it('covers the whole SIMD, relaxed-SIMD and threads sets', () => {
    const count = (feature: string) => OPERATORS.filter((op) => op.feature === feature).length;
    // Counts from the specifications: 236 SIMD instructions, 20 relaxed-SIMD, and for threads
    // notify/wait32/wait64/fence, 7 loads, 7 stores, 7 read-modify-write families of 7.
    expect(count('simd')).toBe(236);
    expect(count('relaxed-simd')).toBe(20);
    expect(count('threads')).toBe(4 + 7 + 7 + 7 * 7);
    for (const op of OPERATORS) {
      if (op.prefix === 0xfd) expect(op.feature).toBe(op.code >= 0x100 ? 'relaxed-simd' : 'simd');
      if (op.prefix === 0xfe) expect(op.feature).toBe('threads');
    }
  });

  it('names every operator once in Op: its mnemonic in PascalCase, or the documented name of a second encoding', () => {
    const secondEncodings: Record<string, number> = { SelectT: 0x1c, RefTestNull: operatorId(0xfb, 0x15), RefCastNull: operatorId(0xfb, 0x17) };
    const names = Object.keys(Op);
    expect(names).toHaveLength(OPERATORS.length);
    const pascal = (mnemonic: string): string => mnemonic.split(/[._]/).map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
    for (const [name, id] of Object.entries(Op)) {
      const op = OPERATOR_BY_ID[id]!;
      expect(op, name).toBeDefined();
      if (name in secondEncodings) expect(id, name).toBe(secondEncodings[name]);
      else expect(name).toBe(pascal(op.name));
    }
    expect(new Set(Object.values(Op)).size).toBe(OPERATORS.length);
    // Spot checks against the spec's binary format.
    expect(Op.Unreachable).toBe(0x00);
    expect(Op.I32Add).toBe(0x6a);
    expect(Op.I32TruncSatF64U).toBe(operatorId(0xfc, 0x03));
    expect(Op.I8x16Shuffle).toBe(operatorId(0xfd, 0x0d));
    expect(Op.I64AtomicRmw32CmpxchgU).toBe(operatorId(0xfe, 0x4e));
    expect(Object.isFrozen(Op)).toBe(true);
  });

  it('places spot-checked operators at the codes the spec lists', () => {
    const at = (prefix: number, code: number) => OPERATOR_BY_ID[operatorId(prefix, code)]?.name;
    // Values from the binary-format pages of the core spec and the threads overview.
    expect(at(0xfd, 0x0c)).toBe('v128.const');
    expect(at(0xfd, 0x0d)).toBe('i8x16.shuffle');
    expect(at(0xfd, 0x53)).toBe('v128.any_true');
    expect(at(0xfd, 0x5e)).toBe('f32x4.demote_f64x2_zero');
    expect(at(0xfd, 0x5f)).toBe('f64x2.promote_low_f32x4');
    expect(at(0xfd, 0x7a)).toBe('f64x2.trunc');
    expect(at(0xfd, 0x94)).toBe('f64x2.nearest');
    expect(at(0xfd, 0xba)).toBe('i32x4.dot_i16x8_s');
    expect(at(0xfd, 0xff)).toBe('f64x2.convert_low_i32x4_u');
    expect(at(0xfd, 0x113)).toBe('i32x4.relaxed_dot_i8x16_i7x16_add_s');
    expect(at(0xfd, 0x9a)).toBeUndefined();
    expect(at(0xfe, 0x03)).toBe('atomic.fence');
    expect(at(0xfe, 0x41)).toBe('i32.atomic.rmw.xchg');
    expect(at(0xfe, 0x4e)).toBe('i64.atomic.rmw32.cmpxchg_u');
    expect(at(0xfe, 0x4f)).toBeUndefined();
  });
});

describe.skipIf(!hasTestsuite())('opcode table against the spec testsuite', () => {
  it('knows every SIMD and atomic mnemonic the testsuite uses', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = TESTSUITE;
    const files = [
      ...readdirSync(root).filter((f) => f.startsWith('simd') || f.startsWith('relaxed')).map((f) => join(root, f)),
      ...readdirSync(join(root, 'proposals/threads')).map((f) => join(root, 'proposals/threads', f)),
    ].filter((f) => f.endsWith('.wast'));
    const used = new Set<string>();
    const mnemonic = /\b(?:(?:i8x16|i16x8|i32x4|i64x2|f32x4|f64x2|v128)\.[a-z0-9_]+|(?:i32|i64)\.atomic\.[a-z0-9_.]+|memory\.atomic\.[a-z0-9]+|atomic\.fence)\b/g;
    for (const file of files) {
      // Strip comments and strings (names of exports often spell mnemonics with variations).
      const text = readFileSync(file, 'utf8').replace(/;;[^\n]*/g, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
      for (const m of text.matchAll(mnemonic)) used.add(m[0]);
    }
    expect(used.size).toBeGreaterThan(200);
    const unknown = [...used].filter((name) => !OPERATORS_BY_NAME.has(name)).sort();
    expect(unknown).toEqual([]);
  });
});
