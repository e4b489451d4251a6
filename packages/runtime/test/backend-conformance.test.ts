// The shared backend conformance kit, for every backend the runtime knows: structural checks
// everywhere, and the kit runner (test/kit/: the executable cases, host calls and nested entries,
// the lazy-compilation stub, stack parameters and results) wherever the backend's code can run —
// in this process for the host's backend, in the backend's own Node under its emulator for an
// ISA this host emulates (`findIsaNode`), skipped with the reason otherwise.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXECUTABLE_CASES, checkCallingConvention, checkIsaDescriptor, checkLabelResolution, checkMachineRegisters } from '@flint/backend/testing';
import { registeredBackends } from '../src/native/backends.ts';
import { findIsaNode } from '../src/testing/isa-node.ts';
import { runKitIn } from './kit/emulated.ts';
import { KIT_GROUPS, runKit, type KitReport } from './kit/run-kit.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** An emulated Node starts in 5-10 s on a loaded 2-core machine and runs the kit in tens of seconds. */
const EMULATED_KIT_MS = 400_000;

describe.each(registeredBackends().map((b) => [b.name, b] as const))('backend %s: structure', (_name, backend) => {
  it('describes its registers consistently, with a reason for every excluded register', () => {
    expect(checkMachineRegisters(backend.registers)).toEqual([]);
  });

  it('has calling conventions whose registers belong to their classes', () => {
    expect(checkCallingConvention(backend.callingConvention, backend.registers)).toEqual([]);
    expect(checkCallingConvention(backend.hostCallingConvention, backend.registers)).toEqual([]);
  });

  it('resolves MacroAssembler labels and rejects unbound ones', () => {
    expect(checkLabelResolution(backend)).toEqual([]);
  });

  it('describes its ISA completely (isa.json)', () => {
    expect(checkIsaDescriptor(backend)).toEqual([]);
  });
});

for (const backend of registeredBackends()) {
  const lookup = findIsaNode(backend, REPO);
  const where = !lookup.available ? `skipped: ${lookup.reason}` : lookup.node.emulated ? `under ${lookup.node.command}` : 'natively, in this process';
  describe.skipIf(!lookup.available)(`backend ${backend.name}: the conformance kit runs its code (${where})`, () => {
    let report: KitReport;
    beforeAll(async () => {
      report = lookup.available && lookup.node.emulated ? await runKitIn(lookup.node, backend, EMULATED_KIT_MS) : runKit(backend);
    }, EMULATED_KIT_MS + 30_000);

    it(`ran on a ${backend.isa.nodeArch} CPU and reported every group`, () => {
      expect(report.backend).toBe(backend.name);
      expect(report.arch).toBe(backend.isa.nodeArch);
      expect(report.groups.map((g) => g.group)).toEqual([...KIT_GROUPS]);
    });

    it(`runs all ${EXECUTABLE_CASES.length} executable cases of @flint/backend/testing with every CPU feature set`, () => {
      const cases = report.groups.find((g) => g.group === 'cases')!;
      expect(cases.cases).toBeGreaterThanOrEqual(EXECUTABLE_CASES.length);
      expect(cases.cases % EXECUTABLE_CASES.length).toBe(0);
      expect(cases.failures).toEqual([]);
    });

    for (const group of KIT_GROUPS.filter((g) => g !== 'cases')) {
      it(`passes every ${group} check`, () => {
        const found = report.groups.find((g) => g.group === group)!;
        expect(found.cases).toBeGreaterThan(0);
        expect(found.failures).toEqual([]);
      });
    }
  });
}
