// The conformance kit's own checks must be able to fail: they are run here against a register
// description written for the test, once consistent and then broken in each way the kit guards.
import { describe, expect, it } from 'vitest';
import { RegClass, ValueKind, computeCallLayout, makeReg, regSetOf, type CallingConvention, type MachineRegisters } from '@flint/backend';
import { EXECUTABLE_CASES, checkCallingConvention, checkMachineRegisters } from '@flint/backend/testing';

const int = (n: number) => makeReg(RegClass.Int, n);
const flt = (n: number) => makeReg(RegClass.Float, n);

const good: MachineRegisters = {
  int: {
    cls: RegClass.Int,
    count: 4,
    names: ['a', 'b', 'sp', 'vm'],
    allocatable: [int(0)],
    excluded: [
      { reg: int(1), reason: 'scratch' },
      { reg: int(2), reason: 'stack pointer' },
      { reg: int(3), reason: 'pinned: VM context' },
    ],
  },
  float: {
    cls: RegClass.Float,
    count: 2,
    names: ['f0', 'f1'],
    allocatable: [flt(0)],
    excluded: [{ reg: flt(1), reason: 'scratch' }],
  },
  stackPointer: int(2),
  framePointer: int(2),
  vmContext: int(3),
  scratch: { int: int(1), float: flt(1) },
};

const cc: CallingConvention = {
  name: 'toy',
  intArgs: [int(0)],
  floatArgs: [flt(0)],
  intResults: [int(0)],
  floatResults: [flt(0)],
  calleeSavedInt: regSetOf([int(3)]),
  calleeSavedFloat: 0,
  stackAlignment: 16,
  redZone: 0,
  shadowSpace: 0,
  stackSlotSize: 8,
  sharedArgCounter: false,
};

describe('structural checks', () => {
  it('accept a consistent description', () => {
    expect(checkMachineRegisters(good)).toEqual([]);
    expect(checkCallingConvention(cc, good)).toEqual([]);
  });

  it('report a register that is neither allocatable nor excluded', () => {
    const broken = { ...good, int: { ...good.int, allocatable: [] } };
    expect(checkMachineRegisters(broken)).toEqual(['int: a is neither allocatable nor excluded with a reason']);
  });

  it('report an excluded register without a reason, and one listed twice', () => {
    const noReason = { ...good, float: { ...good.float, excluded: [{ reg: flt(1), reason: ' ' }] } };
    expect(checkMachineRegisters(noReason)).toEqual(['float: excluded f1 has no reason']);
    const twice = { ...good, int: { ...good.int, allocatable: [int(0), int(3)] } };
    expect(checkMachineRegisters(twice)).toContain('int: vm is both allocatable and excluded');
  });

  it('report a VM-context register that is allocatable instead of excluded', () => {
    const leaky: MachineRegisters = {
      ...good,
      int: { ...good.int, allocatable: [int(0), int(3)], excluded: good.int.excluded.slice(0, 2) },
    };
    expect(checkMachineRegisters(leaky)).toEqual(['VM-context register (reg 3) must be listed as excluded, with its reason']);
  });

  it('report ABI registers of the wrong class or reserved', () => {
    const wrong = { ...cc, intArgs: [flt(0)], floatResults: [int(0)] };
    const problems = checkCallingConvention(wrong, good);
    expect(problems).toContain('toy: int argument register 32 is not an int register');
    expect(problems).toContain('toy: float result register 0 is not a float register');
    expect(checkCallingConvention({ ...cc, intArgs: [int(3)] }, good)).toContain('toy: int argument uses a reserved register 3');
    expect(checkCallingConvention({ ...cc, stackAlignment: 12 }, good)).toEqual(['toy: stack alignment 12 is not a power of two ≥ 8']);
  });
});

describe('executable cases', () => {
  it('have unique names, arguments matching their signatures, and at most one result', () => {
    const names = new Set(EXECUTABLE_CASES.map((c) => c.name));
    expect(names.size).toBe(EXECUTABLE_CASES.length);
    for (const c of EXECUTABLE_CASES) {
      expect(c.signature.results.length, c.name).toBe(1);
      for (const run of c.runs) {
        expect(run.args.length, c.name).toBe(c.signature.params.length);
        run.args.forEach((arg, i) => {
          const kind = c.signature.params[i];
          expect(typeof arg, `${c.name} arg ${i}`).toBe(kind === ValueKind.I64 ? 'bigint' : 'number');
        });
      }
    }
  });

  it('ask for memories of whole Wasm pages, and give every table entry a type id', () => {
    for (const c of EXECUTABLE_CASES) {
      const setup = c.setup ?? {};
      if (setup.memoryLength !== undefined) expect(setup.memoryLength % 65536, c.name).toBe(0);
      for (const entry of setup.calls?.table ?? []) if (entry !== null) expect(Number.isInteger(entry.typeId), c.name).toBe(true);
    }
  });

  it('fit in argument registers under a System V-like convention', () => {
    const sysvLike: CallingConvention = { ...cc, intArgs: [0, 1, 2, 3, 4, 5].map(int), floatArgs: [0, 1, 2, 3].map(flt) };
    for (const c of EXECUTABLE_CASES) {
      const layout = computeCallLayout(sysvLike, c.signature);
      expect(layout.params.every((p) => p.kind === 'reg'), c.name).toBe(true);
    }
  });
});
