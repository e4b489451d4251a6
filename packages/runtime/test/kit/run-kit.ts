// The backend conformance kit, run natively for one backend through the runtime's own machinery:
// a `Store` for the backend (its code space, invoker with entry trampolines and trap exit,
// builtins, host-call dispatcher, lazy-compile callback), the kit's executable cases
// (`@flint/backend/testing`) through `kitExecute`, and the checks of what only whole trampolines
// show: host calls and nested entries, the lazy-compilation stub, stack parameters and results.
// ISA-neutral: it runs whatever backend it is given, on a host whose CPU runs that backend's code
// (natively, or under the backend's emulator: see main.ts).

import { CpuFeatureSet, withCpuFeatures, type Backend } from '@flint/backend';
import { detectCpuFeatures } from '../../src/native/cpu-features.ts';
import { EXECUTABLE_CASES, runExecutableCase } from '@flint/backend/testing';
import { Store } from '../../src/instance/store.ts';
import { kitExecute } from './execute.ts';
import { runHostCalls } from './host-calls.ts';
import { runLazyStub } from './lazy-stub.ts';
import { runStackAreas } from './stack-areas.ts';
import { Group, type GroupReport } from './support.ts';

export type { GroupReport } from './support.ts';

export interface KitReport {
  readonly backend: string;
  /** `process.arch` of the Node that ran the kit. */
  readonly arch: string;
  readonly groups: readonly GroupReport[];
}

/** The groups of the report, in order. */
export const KIT_GROUPS = ['cases', 'host-calls', 'lazy-stub', 'stack-areas'] as const;

/** A group whose own setup failed is reported as one failure, so the other groups still run. */
function guarded(name: string, run: () => GroupReport): GroupReport {
  try {
    return run();
  } catch (error) {
    return { group: name, cases: 1, passed: 0, failures: [{ name: 'setup', problems: [String(error instanceof Error ? error.stack : error)] }] };
  }
}

/**
 * The CPU feature sets the cases run with: everything the CPU reports (uncapped), nothing
 * optional, and each reported feature switched off alone — so every fallback sequence and every
 * mix of them runs on real hardware.
 */
export function kitFeatureSets(backend: Backend, store: Store): [string, CpuFeatureSet][] {
  const detected = detectCpuFeatures(backend, store.codeSpace, {});
  const sets: [string, CpuFeatureSet][] = [[`every detected feature (${detected})`, detected]];
  if (detected.names.length > 0) sets.push(['no optional feature', CpuFeatureSet.NONE]);
  for (const name of detected.names) sets.push([`without ${name}`, detected.without(name)]);
  return sets;
}

export function runKit(backend: Backend): KitReport {
  const store = new Store(backend);
  try {
    const cases = new Group('cases');
    const execute = kitExecute(store);
    for (const [label, features] of kitFeatureSets(backend, store)) {
      const compiling = withCpuFeatures(backend, features);
      for (const c of EXECUTABLE_CASES) cases.check(`${label}: ${c.name}`, () => runExecutableCase(compiling, c, execute));
    }
    const groups = [cases.report(), ...[runHostCalls, runLazyStub, runStackAreas].map((run, i) => guarded(KIT_GROUPS[i + 1]!, () => run(store)))];
    return { backend: backend.name, arch: process.arch, groups };
  } finally {
    store.codeSpace.dispose();
  }
}
