import { RegClass, ValueKind, makeReg } from '@flint/backend';
import { describe, expect, it } from 'vitest';
import { RegAllocator } from '../src/regalloc.ts';
import { Loc, ValueStack, sizeOfKind } from '../src/value-stack.ts';
import { recordingRegisters } from './recording-masm.ts';

describe('RegAllocator', () => {
  it('hands out the allocatable registers of a class lowest first, then reports exhaustion', () => {
    const regs = new RegAllocator(recordingRegisters(3, 2));
    expect([regs.take(RegClass.Int), regs.take(RegClass.Int), regs.take(RegClass.Int)]).toEqual([0, 1, 2].map((n) => makeReg(RegClass.Int, n)));
    expect(regs.take(RegClass.Int)).toBe(-1);
    expect(regs.freeCount(RegClass.Float)).toBe(2);
    regs.free(makeReg(RegClass.Int, 1));
    expect(regs.take(RegClass.Int)).toBe(makeReg(RegClass.Int, 1));
  });

  it('never frees a register outside the allocatable set (scratch, VM context)', () => {
    const regs = new RegAllocator(recordingRegisters(2, 1));
    regs.free(makeReg(RegClass.Int, 13));
    expect(regs.freeCount(RegClass.Int)).toBe(2);
    expect(regs.isAllocatable(makeReg(RegClass.Int, 14))).toBe(false);
  });

  it('claims a specific register and resets to all free', () => {
    const regs = new RegAllocator(recordingRegisters(3, 2));
    regs.claim(makeReg(RegClass.Int, 0));
    expect(regs.isFree(makeReg(RegClass.Int, 0))).toBe(false);
    expect(regs.take(RegClass.Int)).toBe(makeReg(RegClass.Int, 1));
    regs.reset();
    expect(regs.freeCount(RegClass.Int)).toBe(3);
  });
});

describe('ValueStack', () => {
  it('keeps entries in parallel arrays and grows past its initial capacity without losing any', () => {
    const s = new ValueStack();
    for (let i = 0; i < 200; i++) s.push(i % 2 === 0 ? Loc.Const : Loc.Local, ValueKind.I64, i, i * 3, -i);
    expect(s.height).toBe(200);
    expect(s.maxHeight).toBe(200);
    expect([s.loc[0], s.payload[150], s.lo[199], s.hi[199]]).toEqual([Loc.Const, 150, 597, -199]);
    s.height = 10;
    s.push(Loc.Reg, ValueKind.F32, 5, 0, 0);
    expect(s.maxHeight).toBe(200);
    expect(s.top()).toBe(10);
    s.reset();
    expect([s.height, s.maxHeight]).toEqual([0, 0]);
  });

  it('sizes: 32 bits for i32/f32, 64 for i64/f64/references', () => {
    expect([ValueKind.I32, ValueKind.I64, ValueKind.F32, ValueKind.F64, ValueKind.Ref].map(sizeOfKind)).toEqual([32, 64, 32, 64, 64]);
  });
});
