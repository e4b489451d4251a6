import { decodeModule, validateModule, ValType, type Module } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { BaselineCompiler, type CompileOptions, type CompileStats } from '../src/index.ts';
import { RecordingBackend } from './recording-masm.ts';

export { op, ValType };
export const { I32, I64, F32, F64 } = ValType;

export interface Compiled {
  readonly log: string[];
  readonly frameSize: number;
}

/** Builds a one-function module (`params → results`, extra `locals`) and returns it validated. */
export function oneFunction(params: number[], results: number[], locals: number[], body: number[], setUp?: (b: ModuleBuilder) => void): { module: Module } {
  const b = new ModuleBuilder();
  setUp?.(b);
  const type = b.addType({ params, results });
  b.addFunction(type, locals, body);
  const module = decodeModule(b.toBytes());
  validateModule(module); // fixtures must be valid modules: the compiler may assume it
  return { module };
}

/** Compiles the last function of `m` with a recording backend and returns the recorded calls. */
export function compileLast(m: { module: Module }, backend = new RecordingBackend(), stats?: CompileStats, options: CompileOptions = {}): Compiled {
  const compiler = new BaselineCompiler(backend);
  const body = m.module.codes[m.module.codes.length - 1]!;
  compiler.compile({ module: m.module, body }, { ...options, stats });
  return { log: backend.last.log, frameSize: backend.last.frameSize };
}

/** The recorded body: the lines between the zeroing of locals / spilling of params and the epilogue. */
export const lines = (c: Compiled, prefix: string): string[] => c.log.filter((l) => l.startsWith(prefix));
