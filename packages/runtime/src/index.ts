export { Engine, hasBaselineCompiler } from './engine.ts';
export type { EngineOptions, FunctionCompileInput, FunctionCompiler } from './engine.ts';
export { CompiledModule } from './module.ts';
export type { CompileOptions } from './module.ts';
export { CompileError, LinkError, RuntimeError, UnsupportedError } from './errors.ts';
export { WebAssembly } from './js-api.ts';
