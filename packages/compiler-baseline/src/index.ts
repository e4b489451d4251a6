export { BaselineCompiler, compileFunction, createCompileStats } from './compiler.ts';
export type { CompileInput, CompileOptions, CompileStats } from './compiler.ts';
export { localSlot, operandSlot } from './debug.ts';
export type { DebugCodeRequest, DebugSite } from './debug.ts';
