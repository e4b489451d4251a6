export { Prng } from './prng.ts';
export { generateModule } from './generator/module-generator.ts';
export type { GeneratedModule } from './generator/module-generator.ts';
export { NUMERIC_OPERATORS } from './generator/operator-pool.ts';
export { planCalls, runDifferential, NODE_WEBASSEMBLY } from './runner.ts';
export type { Mismatch, PlannedCall, WasmNamespaceLike } from './runner.ts';
export { checkSeed } from './check-seed.ts';
export type { SeedFailure } from './check-seed.ts';
export { KNOWN_MISMATCHES } from './allow-list.ts';
