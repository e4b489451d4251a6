export { BaselineCompiler, compileFunction, createCompileStats } from './compiler.ts';
export type { CompileInput, CompileOptions, CompileStats } from './compiler.ts';
