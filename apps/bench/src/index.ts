export { loadCorpus } from './corpus.ts';
export type { CorpusModule } from './corpus.ts';
export { measure, mbPerSecond } from './measure.ts';
export type { Timing } from './measure.ts';
