export { WastRunner } from './wast-runner.ts';
export type { CommandOutcome, EngineConfig } from './wast-runner.ts';
export { ENGINE_CONFIGS } from './configs.ts';
