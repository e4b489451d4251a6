// Every configuration an execution test runs on in this process: every registered tier × eager
// and lazy compilation, on the host's backend (the runtime picks it). Other backends run the same
// cases through the conformance harness's child pool under their emulators.

import { registeredTiers } from '@flint/runtime';
import type { EngineConfig } from './wast-runner.ts';

export const ENGINE_CONFIGS: readonly EngineConfig[] = registeredTiers().flatMap((tier) => [
  { name: `${tier.name}/${process.arch}`, options: { tier: tier.name, lazy: false } },
  { name: `${tier.name}/${process.arch}/lazy`, options: { tier: tier.name, lazy: true } },
]);
