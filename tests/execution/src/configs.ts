// Every configuration an execution test runs on: tier × backend × lazy compilation. The backend
// is always the host's: the runtime picks it (`backendForHost`).

import type { EngineConfig } from './wast-runner.ts';

export const ENGINE_CONFIGS: readonly EngineConfig[] = [
  { name: `baseline/${process.arch}`, options: { tier: 'baseline', lazy: false } },
  { name: `baseline/${process.arch}/lazy`, options: { tier: 'baseline', lazy: true } },
];
