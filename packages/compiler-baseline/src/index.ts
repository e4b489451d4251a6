export { BaselineCompiler, compileFunction, createCompileStats } from './compiler.ts';
export type { CompileOptions, CompileStats } from './compiler.ts';
export { baselineSlotSize, localSlot, operandSlot } from './debug.ts';
export type { DebugCodeRequest, DebugSite } from './debug.ts';
