export { Engine, hasBaselineCompiler } from './engine.ts';
export type { AsyncCompileOptions, EngineOptions, FunctionCompileInput, FunctionCompiler } from './engine.ts';
export type { ByteSource } from './streaming-compile.ts';
export { CodeCacheError } from './serialize.ts';
export { CompiledModule } from './module.ts';
export type { CompileOptions } from './module.ts';
export { CompileError, LinkError, RuntimeError, UnsupportedError } from './errors.ts';
export { WebAssembly } from './js-api.ts';
