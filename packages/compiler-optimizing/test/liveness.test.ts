// Liveness by path exploration against the textbook definition, iterative dataflow to a fixed
// point (live-in = upward-exposed uses ∪ (live-out − defs), live-out = ∪ live-in of successors),
// on the allocator's generated programs: loops, joins with parameters, calls.
import { FIRST_VIRTUAL_REG, OperandKind, type VCode } from '@flint/backend';
import { describe, expect, it } from 'vitest';
import { Liveness } from '../src/regalloc/liveness.ts';
import { env, generate } from './vcode-generator.ts';

function dataflow(code: VCode): { liveIn: Set<number>[]; liveOut: Set<number>[] } {
  const gen: Set<number>[] = [];
  const kill: Set<number>[] = [];
  for (let b = 0; b < code.blockCount; b++) {
    const g = new Set<number>();
    const k = new Set<number>();
    for (let p = 0; p < code.paramCount[b]!; p++) k.add(code.blockParam(b, p));
    for (let i = code.blockFirst[b]!; i < code.blockEnd[b]!; i++) {
      for (let o = code.operandStart[i]!; o < code.operandStart[i]! + code.operandCount[i]!; o++) {
        const v = code.operandReg[o]!;
        if (v >= FIRST_VIRTUAL_REG && code.operandKind[o] === OperandKind.Use && !k.has(v)) g.add(v);
      }
      for (let o = code.operandStart[i]!; o < code.operandStart[i]! + code.operandCount[i]!; o++) {
        const v = code.operandReg[o]!;
        if (v >= FIRST_VIRTUAL_REG && code.operandKind[o] !== OperandKind.Use) k.add(v);
      }
    }
    for (let a = 0; a < code.argCount[b]!; a++) if (!k.has(code.branchArg(b, a))) g.add(code.branchArg(b, a));
    gen.push(g);
    kill.push(k);
  }
  const liveIn = gen.map(() => new Set<number>());
  const liveOut = gen.map(() => new Set<number>());
  for (let changed = true; changed; ) {
    changed = false;
    for (let b = code.blockCount - 1; b >= 0; b--) {
      for (let s = 0; s < code.succCount[b]!; s++) for (const v of liveIn[code.succ(b, s)]!) liveOut[b]!.add(v);
      const next = new Set(gen[b]);
      for (const v of liveOut[b]!) if (!kill[b]!.has(v)) next.add(v);
      if (next.size !== liveIn[b]!.size) changed = true;
      liveIn[b] = next;
    }
  }
  return { liveIn, liveOut };
}

describe('liveness', () => {
  it('equals iterative dataflow on generated programs', () => {
    const liveness = new Liveness();
    for (let seed = 1; seed <= 150; seed++) {
      const code = generate(seed * 104729, env(4, 3));
      liveness.compute(code);
      const expected = dataflow(code);
      for (let b = 0; b < code.blockCount; b++) {
        const liveIn = [...liveness.liveIn.subarray(liveness.liveInStart[b]!, liveness.liveInStart[b + 1]!)];
        const liveOut = [...liveness.liveOut.subarray(liveness.liveOutStart[b]!, liveness.liveOutStart[b + 1]!)];
        expect(liveIn, `seed ${seed} block${b} live-in`).toEqual([...expected.liveIn[b]!].sort((x, y) => x - y));
        expect(liveOut, `seed ${seed} block${b} live-out`).toEqual([...expected.liveOut[b]!].sort((x, y) => x - y));
        for (const v of liveIn) expect(liveness.isLiveIn(b, v)).toBe(true);
        for (const v of liveOut) expect(liveness.isLiveOut(b, v)).toBe(true);
      }
    }
  });
});
