// The allocation checker (regalloc2's `checker.rs` idea): replays an allocated VCode symbolically
// and proves that every operand reads the value it names. The state maps each register and
// spill slot to the virtual register it holds (or "unknown"); edits copy names between
// locations, defs write names (and forget stale copies of the same value, which a loop would
// otherwise make look valid), clobbers forget, and each use must find its own name in its
// allocated register. Physical operands hold their own number as a name: the value a fixed def
// put there. Block states merge by intersection over predecessors, to a fixed point. Tests (and
// `verify: true` compiles) run it after every allocation, so an allocator bug fails at the
// function that shows it instead of as a wrong result somewhere later.

import { EditKind, FIRST_VIRTUAL_REG, OperandKind, RegClass, type Allocation, type VCode } from '@flint/backend';
import { RegisterAllocationError } from './linear-scan.ts';

const UNKNOWN = -1;
const UNSEEN = -2;
const REGS = 64;

/** Where a block parameter lives at the start of its block: a register, or `SLOT_BASE + slot`. */
export type ParamLocation = (block: number, index: number) => number;

export const CHECKER_SLOT_BASE = 1 << 16;

export function checkAllocation(code: VCode, alloc: Allocation, paramLocation: ParamLocation): void {
  const locations = REGS + alloc.spillSlots;
  const blocks = code.blockCount;
  const inStates = new Int32Array(blocks * locations).fill(UNSEEN);
  const state = new Int32Array(locations);
  for (let r = 0; r < REGS; r++) inStates[r] = r;
  for (let r = REGS; r < locations; r++) inStates[r] = UNKNOWN;
  // First edit of each instruction.
  const firstEdit = new Int32Array(code.instCount + 1);
  for (let i = 0, e = 0; i <= code.instCount; i++) {
    while (e < alloc.editCount && alloc.editInst[e]! < i) e++;
    firstEdit[i] = e;
  }
  const loc = (reg: number): number => reg;
  const slotLoc = (slot: number): number => {
    if (slot < 0 || slot >= alloc.spillSlots) throw new RegisterAllocationError(`edit names spill slot ${slot} beyond the ${alloc.spillSlots} allocated`);
    return REGS + slot;
  };
  const fail = (inst: number, message: string): never => {
    throw new RegisterAllocationError(`allocation check failed at instruction ${inst} (opcode ${code.opcode[inst]}): ${message}`);
  };
  const name = (v: number): string => (v === UNKNOWN ? 'nothing known' : v < FIRST_VIRTUAL_REG ? `physical r${v}` : `v${v}`);
  const defineName = (where: number, value: number): void => {
    if (value >= FIRST_VIRTUAL_REG) for (let l = 0; l < locations; l++) if (state[l] === value) state[l] = UNKNOWN;
    state[where] = value;
  };
  let changed = true;
  let rounds = 0;
  while (changed) {
    changed = false;
    if (++rounds > blocks + 10) throw new RegisterAllocationError('allocation check did not converge');
    for (let b = 0; b < blocks; b++) {
      const base = b * locations;
      if (inStates[base] === UNSEEN) continue;
      for (let l = 0; l < locations; l++) state[l] = inStates[base + l]!;
      const first = code.blockFirst[b]!;
      const end = code.blockEnd[b]!;
      for (let i = first; i < end; i++) {
        for (let e = firstEdit[i]!; e < alloc.editCount && alloc.editInst[e] === i; e++) {
          const from = alloc.editFrom[e]!;
          const to = alloc.editTo[e]!;
          switch (alloc.editKind[e]) {
            case EditKind.Move:
              state[loc(to)] = state[loc(from)]!;
              break;
            case EditKind.Spill:
              state[slotLoc(to)] = state[loc(from)]!;
              break;
            default:
              state[loc(to)] = state[slotLoc(from)]!;
          }
        }
        const start = code.operandStart[i]!;
        const stop = start + code.operandCount[i]!;
        for (let k = start; k < stop; k++) {
          if (code.operandKind[k] !== OperandKind.Use) continue;
          const want = code.operandReg[k]!;
          const where = alloc.operandAlloc[k]!;
          if (where < 0 || where >= REGS) fail(i, `operand ${k - start} (${name(want)}) has no register`);
          if (want >= FIRST_VIRTUAL_REG && code.vregClass[want] !== where >>> 5) fail(i, `${name(want)} is in a register of the wrong class`);
          if (state[where] !== want) fail(i, `operand ${k - start} wants ${name(want)} in r${where}, which holds ${name(state[where]!)}`);
        }
        let rest = code.clobberInt[i]! >>> 0;
        while (rest !== 0) {
          const low = rest & -rest;
          state[(RegClass.Int << 5) | (31 - Math.clz32(low))] = UNKNOWN;
          rest = (rest ^ low) >>> 0;
        }
        rest = code.clobberFloat[i]! >>> 0;
        while (rest !== 0) {
          const low = rest & -rest;
          state[(RegClass.Float << 5) | (31 - Math.clz32(low))] = UNKNOWN;
          rest = (rest ^ low) >>> 0;
        }
        for (let k = start; k < stop; k++) {
          if (code.operandKind[k] === OperandKind.Use) continue;
          const where = alloc.operandAlloc[k]!;
          if (where < 0 || where >= REGS) fail(i, `def ${k - start} has no register`);
          const value = code.operandReg[k]!;
          if (value < FIRST_VIRTUAL_REG && value !== where) fail(i, `fixed def of r${value} allocated to r${where}`);
          defineName(where, value);
        }
      }
      // Successors: the block's parameters are named from the arguments of this edge.
      for (let k = 0; k < code.succCount[b]!; k++) {
        const s = code.succ(b, k);
        const saved = state.slice();
        if (code.argCount[b]! > 0) {
          for (let a = 0; a < code.argCount[b]!; a++) {
            const arg = code.branchArg(b, a);
            const l = paramLocation(s, a);
            if (l === UNKNOWN) continue; // an unused parameter
            const where = l >= CHECKER_SLOT_BASE ? slotLoc(l - CHECKER_SLOT_BASE) : l;
            if (state[where] !== arg) fail(end - 1, `block${s} parameter ${a} expects ${name(arg)} in location ${where}, which holds ${name(state[where]!)}`);
          }
          for (let a = 0; a < code.argCount[b]!; a++) {
            const l = paramLocation(s, a);
            if (l === UNKNOWN) continue;
            defineName(l >= CHECKER_SLOT_BASE ? slotLoc(l - CHECKER_SLOT_BASE) : l, code.blockParam(s, a));
          }
        }
        const sBase = s * locations;
        for (let l = 0; l < locations; l++) {
          const old = inStates[sBase + l]!;
          const merged = old === UNSEEN ? state[l]! : old === state[l] ? old : UNKNOWN;
          if (merged !== old) {
            inStates[sBase + l] = merged;
            changed = true;
          }
        }
        state.set(saved);
      }
    }
  }
}
