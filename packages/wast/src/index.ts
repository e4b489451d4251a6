export { WastRunner } from './runner.ts';
export type { WastCommandType, WastOutcome } from './runner.ts';
