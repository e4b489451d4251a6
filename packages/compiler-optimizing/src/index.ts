export { OptimizingCompiler, createOptimizingStats } from './compiler.ts';
export type { OptimizingBackend, OptimizingCompileOptions, OptimizingStats } from './compiler.ts';
export { PASS_NAMES } from './passes/pipeline.ts';
export type { PassName } from './passes/pipeline.ts';
