export { BaselineCompiler, compileFunction, createCompileStats } from './compiler.ts';
export type { CompileOptions, CompileStats } from './compiler.ts';
