// The register allocator on generated VCode: structured programs (straight code, diamonds with
// joins, loops with parameters) under heavy register pressure — three or four registers per
// class, fixed-register operands, early defs, calls that clobber everything — each allocation
// proved by the checker. And the checker itself: a corrupted allocation must be rejected.
import { EditKind, FIRST_VIRTUAL_REG } from '@flint/backend';
import { describe, expect, it } from 'vitest';
import { checkAllocation } from '../src/regalloc/checker.ts';
import { LinearScanAllocator, RegisterAllocationError } from '../src/regalloc/linear-scan.ts';
import { env, generate } from './vcode-generator.ts';

describe('linear-scan allocator', () => {
  it.each([
    [3, 2],
    [4, 3],
    [6, 4],
  ])('allocates generated programs with %i int and %i float registers, proved by the checker', (ints, floats) => {
    const machine = env(ints, floats);
    const allocator = new LinearScanAllocator();
    let spills = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const code = generate(seed * 7919 + ints, machine);
      let alloc;
      try {
        alloc = allocator.allocate(code, machine);
        checkAllocation(code, alloc, (b, k) => allocator.paramLocation(b, k));
      } catch (error) {
        throw new Error(`seed ${seed * 7919 + ints}: ${(error as Error).message}`);
      }
      for (let e = 0; e < alloc.editCount; e++) if (alloc.editKind[e] === EditKind.Spill) spills++;
    }
    // The pressure is real: the allocator had to spill.
    expect(spills).toBeGreaterThan(0);
  });

  it('the checker rejects an allocation that reads the wrong register', () => {
    const machine = env(3, 2);
    const allocator = new LinearScanAllocator();
    let rejected = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const code = generate(seed, machine);
      const alloc = allocator.allocate(code, machine);
      // Point the first virtual use somewhere else.
      for (let k = 0; k < code.operandTotal; k++) {
        if (code.operandKind[k] !== 0 || code.operandReg[k]! < FIRST_VIRTUAL_REG) continue;
        const cls = code.vregClass[code.operandReg[k]!]!;
        const regs = machine.allocatable[cls]!;
        alloc.operandAlloc[k] = regs[(regs.indexOf(alloc.operandAlloc[k]!) + 1) % regs.length]!;
        break;
      }
      try {
        checkAllocation(code, alloc, (b, k) => allocator.paramLocation(b, k));
      } catch (error) {
        expect(error).toBeInstanceOf(RegisterAllocationError);
        rejected++;
      }
    }
    // A corrupted operand can by chance name a register holding a copy of the same value; nearly all must fail.
    expect(rejected).toBeGreaterThanOrEqual(36);
  });
});
