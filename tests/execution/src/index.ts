export { WastRunner } from './wast-runner.ts';
export type { CommandOutcome, EngineConfig } from './wast-runner.ts';
export { ENGINE_CONFIGS, OPTIMIZING_BAILOUTS, OPTIMIZING_STATS, optimizingEngine } from './configs.ts';
