export { ENGINE_CONFIGS } from './configs.ts';
export type { EngineConfig } from './configs.ts';
