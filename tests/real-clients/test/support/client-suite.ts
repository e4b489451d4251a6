// One client's tests: the library on Node's own WebAssembly gives the reference, then on Flint's
// namespace — installed as the global before the library loads — on every registered tier, each
// in its own child process, must compute exactly the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, hostRunsX64 } from '@flint/test-support';
import { registeredTiers } from '@flint/runtime';
import { NODE_DEFAULT, clientNamed, flintEngine, runClientChild, type ChildReport, type ClientEngine } from '../../src/index.ts';
import { bundleChild, type ChildBundle } from './child-bundle.ts';

/** Flint places and runs machine code for the host; its runs need a host it has a backend for. */
const runsFlint = available('an x86-64 Linux host (Flint runs the libraries natively)', hostRunsX64());

// The optimizing tier compiles tens of megabytes of Wasm in a child; generous, for loaded machines.
const CHILD_TIMEOUT_MS = 240_000;

async function run(bundle: ChildBundle, client: string, engine: ClientEngine): Promise<ChildReport> {
  const outcome = await runClientChild(bundle.script, client, engine, { runs: 2, timeoutMs: CHILD_TIMEOUT_MS });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.report;
}

export function describeClient(name: string, checkResult: (result: unknown) => void): void {
  const client = clientNamed(name);
  describe(`${client.name}: ${client.origin}`, () => {
    let bundle: ChildBundle;
    let reference: Promise<ChildReport> | undefined;
    beforeAll(() => {
      bundle = bundleChild();
    });
    afterAll(() => bundle?.remove());

    const referenceReport = (): Promise<ChildReport> => {
      reference ??= run(bundle, client.name, NODE_DEFAULT);
      return reference;
    };

    it("runs on Node's own WebAssembly and computes what it should", async () => {
      const report = await referenceReport();
      expect(report.namespace).toBe('node');
      checkResult(report.result);
    }, CHILD_TIMEOUT_MS);

    for (const { name: tier } of registeredTiers()) {
      it.skipIf(!runsFlint)(`computes the same with Flint's namespace as the global WebAssembly (${tier} tier)`, async () => {
        const expected = (await referenceReport()).result;
        const report = await run(bundle, client.name, flintEngine(tier));
        expect(report.namespace).toBe('flint');
        expect(report.result).toEqual(expected);
      }, 2 * CHILD_TIMEOUT_MS);
    }
  });
}
