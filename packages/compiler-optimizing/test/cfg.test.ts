// Dominators and natural loops on small graphs written as IR.
import { describe, expect, it } from 'vitest';
import { Cfg } from '../src/analysis/cfg.ts';
import { parseFunction } from '../src/ir/parser.ts';

// block0 → block1 (outer header) → block2 (inner header) ⇄ block3; block3 → block1; block1 → block4.
const NEST = `function (i32) -> () {
block0(v0:i32):
  jump block1
block1:
  brif v0, block2, block4
block2:
  jump block3
block3:
  brif v0, block2, block5
block5:
  jump block1
block4:
  return
}`;

describe('Cfg', () => {
  const cfg = new Cfg();
  cfg.compute(parseFunction(NEST));

  it('computes immediate dominators', () => {
    expect([...cfg.idom.subarray(0, 6)]).toEqual([0, 0, 1, 2, 1, 3]);
    expect(cfg.dominates(1, 5)).toBe(true);
    expect(cfg.dominates(2, 4)).toBe(false);
  });

  it('finds nested loops, innermost first, with their depth', () => {
    expect([...cfg.isLoopHeader.subarray(0, 6)]).toEqual([0, 1, 1, 0, 0, 0]);
    expect([...cfg.loopHeader.subarray(0, 6)]).toEqual([-1, 1, 2, 2, -1, 1]);
    expect(cfg.loopParent[2]).toBe(1);
    expect([...cfg.loopDepth.subarray(0, 6)]).toEqual([0, 1, 2, 2, 0, 1]);
    expect(cfg.inLoop(3, 1)).toBe(true);
    expect(cfg.inLoop(4, 1)).toBe(false);
  });

  it('orders blocks in reverse postorder and knows the unreachable ones', () => {
    const c = new Cfg();
    c.compute(parseFunction('function () -> () {\nblock0:\n  return\nblock1:\n  jump block0\n}'.replace('jump block0', 'return')));
    expect(c.rpoCount).toBe(1);
    expect(c.isReachable(1)).toBe(false);
  });
});
